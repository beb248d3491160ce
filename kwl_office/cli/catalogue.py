"""``kwl catalogue …``: check, show, export and compare the normenkader (and a mapping between
two versions)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from kwl_office import texts_nl as T
from kwl_office.catalogue import Catalogue, load_catalogue, save_catalogue
from kwl_office.cli.base import KwlGroup, argument
from kwl_office.cli.common import (
    PLACE_WIDTH,
    catalogue_option,
    echo,
    echo_finding,
    echo_wrapped,
    handle_errors,
    styled,
)
from kwl_office.dutch import count, decimal, join
from kwl_office.errors import ExitCode, InvalidArgument

if TYPE_CHECKING:
    from kwl_office.catalogue.diff import CatalogueDiff, NormChange


@click.group("catalogue", cls=KwlGroup, help=T.HELP["catalogue"],
             examples=T.EXAMPLES["catalogue"])
def catalogue_group() -> None:
    """``kwl catalogue …``."""


@catalogue_group.command("check", help=T.HELP["catalogue_check"],
                         examples=T.EXAMPLES["catalogue check"])
@argument("path", required=False, type=click.Path(dir_okay=False),
          metavar=T.METAVARS["file"])
@click.option("--mapping", "mapping_path", type=click.Path(dir_okay=False), default=None,
              metavar=T.METAVARS["file"], help=T.HELP["mapping_check"])
@click.option("--previous", "previous_path", type=click.Path(dir_okay=False), default=None,
              metavar=T.METAVARS["file"], help=T.HELP["previous_catalogue"])
@handle_errors
def catalogue_check(path: str | None, mapping_path: str | None,
                    previous_path: str | None) -> None:
    cat = load_catalogue(path)
    echo(_catalogue_summary(cat))
    echo(T.CLI_FINGERPRINT.format(fingerprint=cat.fingerprint))
    if mapping_path is None:
        if previous_path is not None:
            raise InvalidArgument(T.CLI_PREVIOUS_WITHOUT_MAPPING)
        return
    _check_mapping(mapping_path, load_catalogue(previous_path), cat)


def _check_mapping(mapping_path: str, old: Catalogue, new: Catalogue) -> None:
    """Print the findings of a mapping between ``old`` and ``new``; exit 1 on errors."""
    from kwl_office.catalogue.mapping import check_mapping, load_mapping

    mapping = load_mapping(mapping_path)
    report = check_mapping(mapping, old, new)
    width = max([PLACE_WIDTH, *(len(f.location() or f.file or "") for f in report.findings)])
    for finding in report.findings:
        echo_finding(finding, width=width)
    comparable = sum(1 for old_id in mapping.norms if mapping.comparable(old_id))
    template = (T.CLI_MAPPING_INVALID if not report.valid
                else T.CLI_MAPPING_WARNINGS if report.warnings else T.CLI_MAPPING_OK)
    echo_wrapped(template.format(
        source=mapping.source.label(), target=mapping.target.label(),
        comparable=count(comparable, "norm"), errors=count(len(report.errors), "error"),
        warnings=count(len(report.warnings), "warning")))
    if not report.valid:
        raise SystemExit(ExitCode.INVALID)


@catalogue_group.command("diff", help=T.HELP["catalogue_diff"],
                         examples=T.EXAMPLES["catalogue diff"])
@argument("old_path", type=click.Path(dir_okay=False), metavar=T.METAVARS["old_catalogue"])
@argument("new_path", type=click.Path(dir_okay=False), metavar=T.METAVARS["new_catalogue"])
@click.option("--json", "as_json", is_flag=True, help=T.HELP["diff_json"])
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              metavar=T.METAVARS["file"], help=T.HELP["diff_output"])
@handle_errors
def catalogue_diff(old_path: str, new_path: str, as_json: bool, output: str | None) -> None:
    from kwl_office.catalogue.diff import diff_catalogues
    from kwl_office.catalogue.mapping import save_mapping

    diff = diff_catalogues(load_catalogue(old_path), load_catalogue(new_path))
    if as_json:
        click.echo(json.dumps(diff.to_json(), ensure_ascii=False, indent=2))
    else:
        _echo_diff(diff)
    if output is not None:
        path = save_mapping(diff.draft_mapping(), output, draft=True, notes=diff.notes(),
                            footer=diff.footer())
        # with --json the object alone goes to stdout, so a script can read it
        echo_wrapped(T.CLI_DRAFT_WRITTEN.format(path=path), err=as_json)


def _echo_diff(diff: CatalogueDiff) -> None:
    from kwl_office.catalogue.diff import DiffKind

    counts = diff.counts()
    echo(styled(T.CLI_DIFF_TITLE.format(old=diff.old.label(), new=diff.new.label()), bold=True),
         raw=True)
    echo_wrapped(T.CLI_DIFF_COUNTS.format(parts=join(
        f"{counts[kind.value]} {T.DIFF_KINDS[kind.value]}" for kind in DiffKind)))
    for kind in (DiffKind.REWORDED, DiffKind.RENAMED, DiffKind.SPLIT, DiffKind.REMOVED,
                 DiffKind.ADDED):
        changes = diff.of_kind(kind)
        if not changes:
            continue
        echo("")
        echo(styled(T.CLI_DIFF_HEADING.format(
            kind=T.DIFF_KINDS[kind.value].capitalize(), norms=count(len(changes), "norm")),
            bold=True), raw=True)
        for change in changes:
            _echo_change(change)
    unchanged = diff.of_kind(DiffKind.UNCHANGED)
    if unchanged:
        echo("")
        echo(styled(T.CLI_DIFF_HEADING.format(kind=T.DIFF_KINDS["unchanged"].capitalize(),
                                              norms=count(len(unchanged), "norm")), bold=True),
             raw=True)
        echo_wrapped(", ".join(str(c.old_id) for c in unchanged), indent="  ")
    echo("")
    echo_wrapped(T.CLI_DIFF_LEGEND)


def _echo_change(change: NormChange) -> None:
    from kwl_office.catalogue.diff import DiffKind, render_word_diff, word_diff

    pad = " " * 8
    if change.kind is DiffKind.ADDED:
        echo_wrapped(f"  {change.new_ids[0]:<6}{change.new_texts[0]}", hanging=pad)
        return
    if change.kind is DiffKind.REMOVED:
        echo_wrapped(f"  {change.old_id:<6}{change.old_text}", hanging=pad)
        return
    targets = join(f"{new_id} ({decimal(score, 2)})"
                   for new_id, score in zip(change.new_ids, change.similarities, strict=True))
    echo_wrapped(f"  {change.old_id} → {targets}", hanging=pad)
    for text in change.new_texts:
        if text == change.old_text:
            echo_wrapped(T.CLI_DIFF_SAME_TEXT, indent=pad)
            continue
        echo_wrapped(render_word_diff(word_diff(change.old_text, text)), indent=pad)


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
