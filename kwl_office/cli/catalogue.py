"""``kwl catalogue …``: check, show and export the normenkader."""

from __future__ import annotations

import click

from kwl_office import texts_nl as T
from kwl_office.catalogue import Catalogue, load_catalogue, save_catalogue
from kwl_office.cli.base import KwlGroup, argument
from kwl_office.cli.common import (
    catalogue_option,
    echo,
    echo_wrapped,
    handle_errors,
    styled,
)
from kwl_office.dutch import count


@click.group("catalogue", cls=KwlGroup, help=T.HELP["catalogue"],
             examples=T.EXAMPLES["catalogue"])
def catalogue_group() -> None:
    """``kwl catalogue …``."""


@catalogue_group.command("check", help=T.HELP["catalogue_check"],
                         examples=T.EXAMPLES["catalogue check"])
@argument("path", required=False, type=click.Path(dir_okay=False),
          metavar=T.METAVARS["file"])
@handle_errors
def catalogue_check(path: str | None) -> None:
    cat = load_catalogue(path)
    echo(_catalogue_summary(cat))
    echo(T.CLI_FINGERPRINT.format(fingerprint=cat.fingerprint))


def _catalogue_summary(cat: Catalogue) -> str:
    norms = list(cat.norms())
    return T.CLI_CATALOGUE_OK.format(
        title=cat.title, version=cat.version, domains=count(len(cat.domains), "domain"),
        values=count(sum(len(d.quality_values) for d in cat.domains), "quality_value"),
        norms=count(len(norms), "norm"), distinctive=sum(n.distinctive for n in norms),
    )


@catalogue_group.command("show", help=T.HELP["catalogue_show"],
                         examples=T.EXAMPLES["catalogue show"])
@argument("path", required=False, type=click.Path(dir_okay=False),
          metavar=T.METAVARS["file"])
@handle_errors
def catalogue_show(path: str | None) -> None:
    cat = load_catalogue(path)
    echo(styled(cat.title, bold=True), raw=True)
    echo(T.CLI_CATALOGUE_ID.format(id=cat.id, version=cat.version))
    if cat.is_example:
        echo_wrapped(T.EXAMPLE_NOTE)
    echo_wrapped(T.CLI_SCALE.format(levels=", ".join(
        f"{lv.code} = {lv.label}" + (f" ({lv.score})" if lv.score is not None else "")
        for lv in cat.scale)), hanging="  ")
    for domain in cat.domains:
        echo("")
        echo(styled(f"{domain.id}  {domain.title}", bold=True), raw=True)
        for value in domain.quality_values:
            echo_wrapped(f"{value.id}  {value.title}", indent="  ",
                         hanging=" " * (len(value.id) + 4))
            for norm in value.norms:
                mark = "*" if norm.distinctive else " "
                prefix = f"   {mark} {norm.id:<6} "
                echo_wrapped(prefix + norm.text, hanging=" " * len(prefix))
    echo("")
    echo(T.CLI_DISTINCTIVE_MARK)
    echo_wrapped(_catalogue_summary(cat))


@catalogue_group.command("export", help=T.HELP["catalogue_export"],
                         examples=T.EXAMPLES["catalogue export"])
@argument("out", type=click.Path(dir_okay=False), metavar=T.METAVARS["file"])
@catalogue_option
@handle_errors
def catalogue_export(out: str, catalogue_path: str | None) -> None:
    path = save_catalogue(load_catalogue(catalogue_path), out)
    echo(T.CLI_WRITTEN.format(path=path))
