"""``kwl catalogue …``: check, show and export the normenkader."""

from __future__ import annotations

import click

from kwl_office import texts_nl as T
from kwl_office.catalogue import Catalogue, load_catalogue, save_catalogue
from kwl_office.cli.common import catalogue_option, echo, handle_errors, printable, styled


@click.group("catalogue", help=T.HELP["catalogue"])
def catalogue_group() -> None:
    """``kwl catalogue …``."""


@catalogue_group.command("check", help=T.HELP["catalogue_check"])
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@handle_errors
def catalogue_check(path: str | None) -> None:
    cat = load_catalogue(path)
    echo(_catalogue_summary(cat))
    echo(f"Vingerafdruk: {cat.fingerprint}")


def _catalogue_summary(cat: Catalogue) -> str:
    norms = list(cat.norms())
    return T.CLI_CATALOGUE_OK.format(
        title=cat.title, version=cat.version, domains=len(cat.domains),
        values=sum(len(d.quality_values) for d in cat.domains), norms=len(norms),
        distinctive=sum(n.distinctive for n in norms),
    )


@catalogue_group.command("show", help=T.HELP["catalogue_show"])
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@handle_errors
def catalogue_show(path: str | None) -> None:
    cat = load_catalogue(path)
    echo(styled(cat.title, bold=True) + printable(f"  (id {cat.id}, versie {cat.version})"),
         raw=True)
    if cat.is_example:
        echo(T.EXAMPLE_NOTE)
    echo("Schaal: " + ", ".join(
        f"{lv.code} = {lv.label}" + (f" ({lv.score})" if lv.score is not None else "")
        for lv in cat.scale))
    for domain in cat.domains:
        echo("")
        echo(styled(f"{domain.id}  {domain.title}", bold=True), raw=True)
        for value in domain.quality_values:
            echo(f"  {value.id}  {value.title}")
            for norm in value.norms:
                mark = "*" if norm.distinctive else " "
                echo(f"   {mark} {norm.id:<6} {norm.text}")
    echo("")
    echo("* = onderscheidende norm")
    echo(_catalogue_summary(cat))


@catalogue_group.command("export", help=T.HELP["catalogue_export"])
@click.argument("out", type=click.Path(dir_okay=False))
@catalogue_option
@handle_errors
def catalogue_export(out: str, catalogue_path: str | None) -> None:
    path = save_catalogue(load_catalogue(catalogue_path), out)
    echo(T.CLI_WRITTEN.format(path=path))
