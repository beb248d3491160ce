"""The ``kwl`` command line: parse, call one library function, print.

The library never imports click; errors of the library (:class:`KwlError`) become a one-line
message and exit status 2, never a traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from kwl_office import texts_nl as T
from kwl_office._version import __version__
from kwl_office.assessment import Kind, Submission, Variant
from kwl_office.catalogue import Catalogue, load_catalogue, save_catalogue
from kwl_office.consolidation import Consolidation
from kwl_office.consolidation_files import JSON_NAME, WORKBOOK_NAME, consolidate_files
from kwl_office.errors import KwlError, UnreadableFile
from kwl_office.excel.reader import read_workbook
from kwl_office.excel.writer import WorkbookSpec, write_workbook
from kwl_office.identity import default_key_path, load_key

F = TypeVar("F", bound=Callable[..., Any])


def _fail(err: KwlError) -> None:
    click.echo(f"kwl: {err}", err=True)
    sys.exit(err.exit_code)


def handle_errors(func: F) -> F:
    """Turn a :class:`KwlError` into a one-line message and its exit status."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KwlError as err:
            _fail(err)

    return wrapper  # type: ignore[return-value]


def catalogue_option(func: F) -> F:
    """``--catalogue PATH`` shared by every command that needs the normenkader."""
    return click.option("--catalogue", "catalogue_path", type=click.Path(dir_okay=False),
                        default=None, help=T.HELP["catalogue_option"])(func)


def key_option(func: F) -> F:
    """``--key FILE`` shared by every command that signs or verifies workbooks."""
    return click.option("--key", "key_file", type=click.Path(dir_okay=False), default=None,
                        help=T.HELP["key_option"].format(default=default_key_path()))(func)


@click.group(help=T.HELP["main"])
@click.version_option(__version__, prog_name="kwl")
def main() -> None:
    """Entry point of the ``kwl`` console script."""


# --- catalogue -------------------------------------------------------------------------------


@main.group(help=T.HELP["catalogue"])
def catalogue() -> None:
    """``kwl catalogue …``."""


@catalogue.command("check", help=T.HELP["catalogue_check"])
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@handle_errors
def catalogue_check(path: str | None) -> None:
    cat = load_catalogue(path)
    click.echo(_catalogue_summary(cat))
    click.echo(f"Vingerafdruk: {cat.fingerprint}")


def _catalogue_summary(cat: Catalogue) -> str:
    norms = list(cat.norms())
    return T.CLI_CATALOGUE_OK.format(
        title=cat.title, version=cat.version, domains=len(cat.domains),
        values=sum(len(d.quality_values) for d in cat.domains), norms=len(norms),
        distinctive=sum(n.distinctive for n in norms),
    )


@catalogue.command("show", help=T.HELP["catalogue_show"])
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@handle_errors
def catalogue_show(path: str | None) -> None:
    cat = load_catalogue(path)
    click.echo(click.style(cat.title, bold=True) + f"  (id {cat.id}, versie {cat.version})")
    if cat.is_example:
        click.echo(T.EXAMPLE_NOTE)
    click.echo("Schaal: " + ", ".join(
        f"{lv.code} = {lv.label}" + (f" ({lv.score})" if lv.score is not None else "")
        for lv in cat.scale))
    for domain in cat.domains:
        click.echo("")
        click.echo(click.style(f"{domain.id}  {domain.title}", bold=True))
        for value in domain.quality_values:
            click.echo(f"  {value.id}  {value.title}")
            for norm in value.norms:
                mark = "*" if norm.distinctive else " "
                click.echo(f"   {mark} {norm.id:<6} {norm.text}")
    click.echo("")
    click.echo("* = onderscheidende norm")
    click.echo(_catalogue_summary(cat))


@catalogue.command("export", help=T.HELP["catalogue_export"])
@click.argument("out", type=click.Path(dir_okay=False))
@catalogue_option
@handle_errors
def catalogue_export(out: str, catalogue_path: str | None) -> None:
    path = save_catalogue(load_catalogue(catalogue_path), out)
    click.echo(T.CLI_WRITTEN.format(path=path))


# --- workbooks -------------------------------------------------------------------------------


@main.group(help=T.HELP["workbook"])
def workbook() -> None:
    """``kwl workbook …``."""


def _common_workbook_options(func: F) -> F:
    # applied bottom-up: the last one applied is listed first in --help
    func = key_option(catalogue_option(func))
    func = click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
                        help=T.HELP["output"])(func)
    func = click.option("--deadline", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                        metavar="JJJJ-MM-DD", help=T.HELP["deadline"])(func)
    func = click.option("--host", required=True, help=T.HELP["host"])(func)
    return click.option("--assessment", required=True, help=T.HELP["assessment"])(func)


def _write(kind: Kind, output: str, catalogue_path: str | None, key_file: str | None,
           assessment: str, host: str, reviewer: str = "", deadline: Any = None,
           selfeval: str | None = None, distinctive_only: bool = False) -> None:
    cat = load_catalogue(catalogue_path)
    key = load_key(key_file, create=True)
    assert key is not None
    mirror = _read_mirror(selfeval, cat, key, assessment, host) if selfeval else None
    spec = WorkbookSpec(kind=kind, assessment_id=assessment, host=host, reviewer=reviewer,
                        deadline=deadline.date() if deadline else None,
                        distinctive_only=distinctive_only)
    write_workbook(output, spec, cat, key=key, mirror=mirror)
    click.echo(T.CLI_WRITTEN.format(path=output))


def _read_mirror(path: str, cat: Catalogue, key: bytes, assessment: str,
                 host: str) -> Submission:
    sub = read_workbook(path, cat, key=key, expected_kind=Kind.SELF_EVALUATION)
    ident = sub.identity
    if ident is not None and (ident.host != host or ident.assessment_id != assessment):
        raise click.UsageError(T.CLI_SELFEVAL_OTHER_HOST.format(
            path=path, found=ident.host, found_id=ident.assessment_id, host=host,
            assessment=assessment))
    if not sub.valid:
        click.echo(T.CLI_SELFEVAL_INVALID.format(path=path), err=True)
        _print_findings(sub, errors_only=True, err=True)
        sys.exit(1)
    return sub


@workbook.command("selfeval", help=T.HELP["workbook_selfeval"])
@_common_workbook_options
@handle_errors
def workbook_selfeval(assessment: str, host: str, deadline: Any, output: str,
                      catalogue_path: str | None, key_file: str | None) -> None:
    _write(Kind.SELF_EVALUATION, output, catalogue_path, key_file, assessment, host,
           deadline=deadline)


@workbook.command("peer", help=T.HELP["workbook_peer"])
@_common_workbook_options
@click.option("--reviewer", required=True, help=T.HELP["reviewer_peer"])
@click.option("--selfeval", type=click.Path(exists=True, dir_okay=False), default=None,
              help=T.HELP["selfeval"])
@handle_errors
def workbook_peer(assessment: str, host: str, deadline: Any, output: str,
                  catalogue_path: str | None, key_file: str | None, reviewer: str,
                  selfeval: str | None) -> None:
    _write(Kind.PEER, output, catalogue_path, key_file, assessment, host, reviewer, deadline,
           selfeval)


@workbook.command("audit", help=T.HELP["workbook_audit"])
@_common_workbook_options
@click.option("--reviewer", required=True, help=T.HELP["reviewer_audit"])
@click.option("--selfeval", type=click.Path(exists=True, dir_okay=False), default=None,
              help=T.HELP["selfeval"])
@click.option("--distinctive-only", is_flag=True, help=T.HELP["distinctive_only"])
@handle_errors
def workbook_audit(assessment: str, host: str, deadline: Any, output: str,
                   catalogue_path: str | None, key_file: str | None, reviewer: str,
                   selfeval: str | None, distinctive_only: bool) -> None:
    _write(Kind.AUDIT, output, catalogue_path, key_file, assessment, host, reviewer, deadline,
           selfeval, distinctive_only)


# --- consolidate -----------------------------------------------------------------------------


@main.command("consolidate", help=T.HELP["consolidate"])
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False),
              help=T.HELP["outdir"])
@click.option("--overrides", type=click.Path(exists=True, dir_okay=False), default=None,
              help=T.HELP["overrides"])
@click.option("--variant", type=click.Choice([v.value for v in Variant]), default=None,
              help=T.HELP["variant"])
@click.option("--json", "as_json", is_flag=True, help=T.HELP["json_consolidation"])
@catalogue_option
@key_option
@handle_errors
def consolidate_command(inputs: tuple[str, ...], outdir: str, overrides: str | None,
                        variant: str | None, as_json: bool, catalogue_path: str | None,
                        key_file: str | None) -> None:
    cat = load_catalogue(catalogue_path)
    result = consolidate_files(
        inputs, outdir, catalogue=cat, key=load_key(key_file, create=False),
        overrides=overrides, variant=Variant(variant) if variant else None)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_consolidation(result, cat)
        click.echo(T.CLI_WRITTEN.format(path=Path(outdir) / JSON_NAME))
        click.echo(T.CLI_WRITTEN.format(path=Path(outdir) / WORKBOOK_NAME))
    sys.exit(0 if result.valid else 1)


def _share(value: float | None) -> str:
    return "  –  " if value is None else f"{value:>4.0%}"


def _alpha(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _print_consolidation(result: Consolidation, cat: Catalogue) -> None:
    click.echo(T.CLI_CONSOLIDATED.format(
        host=result.host, assessment=result.assessment_id,
        variant=T.VARIANT_LABELS[result.variant.value], reviewers=len(result.reviewers),
        selfeval=" + zelfevaluatie" if result.self_evaluation else ""))
    advice = T.ADVICE_LABELS[result.advice.value] if result.advice else T.NO_ADVICE
    click.echo(click.style(T.CLI_ADVICE.format(advice=advice), bold=True))
    if result.blocking_norms:
        click.echo(T.CLI_BLOCKING.format(norms=", ".join(result.blocking_norms)))
    for summary in [*result.domains.values(), result.overall]:
        counts = " ".join(f"{code} {summary.counts[code]:>2}" for code in summary.counts)
        click.echo(T.CLI_DOMAIN_LINE.format(
            title=summary.title, counts=counts, open=summary.open,
            share=_share(summary.share_met), disagreements=summary.disagreements,
            alpha=_alpha(summary.alpha)))
    agreement = result.agreement
    click.echo(T.CLI_AGREEMENT.format(
        alpha=_alpha(agreement.alpha), percent=_share(agreement.percent_agreement).strip(),
        units=agreement.pairable_units))
    for finding in result.findings:
        click.echo(T.CLI_FINDING_LINE.format(
            severity=T.CLI_SEVERITY[finding.severity.value],
            location=finding.location() or finding.file or "", norm=finding.norm_id or "",
            message=finding.message))


# --- check -----------------------------------------------------------------------------------


@main.command("check", help=T.HELP["check"])
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help=T.HELP["json"])
@click.option("--kind", type=click.Choice([k.value for k in Kind]), default=None,
              help=T.HELP["kind"])
@catalogue_option
@key_option
@handle_errors
def check(files: tuple[str, ...], as_json: bool, kind: str | None, catalogue_path: str | None,
          key_file: str | None) -> None:
    cat = load_catalogue(catalogue_path)
    key = load_key(key_file, create=False)
    expected = Kind(kind) if kind else None
    results: list[dict[str, Any]] = []
    unreadable = invalid = False
    for file in files:
        try:
            sub = read_workbook(file, cat, key=key, expected_kind=expected)
        except UnreadableFile as err:
            unreadable = True
            results.append({"file": file, "valid": False, "error": err.reason,
                            "error_type": type(err).__name__, "findings": []})
            if not as_json:
                click.echo(T.CLI_UNREADABLE.format(message=err), err=True)
            continue
        invalid = invalid or not sub.valid
        results.append(sub.to_json())
        if not as_json:
            _print_summary(sub)
            _print_findings(sub)
    if as_json:
        payload: Any = results[0] if len(results) == 1 else results
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    sys.exit(2 if unreadable else 1 if invalid else 0)


def _print_summary(sub: Submission) -> None:
    ident = sub.identity
    rated = sum(1 for r in sub.responses.values() if r.rating)
    click.echo(T.CLI_FILE_SUMMARY.format(
        mark=click.style("✓", fg="green") if sub.valid else click.style("✗", fg="red"),
        file=sub.file,
        status=T.CLI_VALID if sub.valid else T.CLI_INVALID,
        kind=T.KIND_TITLES[ident.kind.value] if ident else T.CLI_NO_IDENTITY,
        host=ident.host if ident else "?",
        reviewer=f" door {ident.reviewer}" if ident and ident.reviewer else "",
        rated=rated, total=len(sub.responses),
        errors=len(sub.report.errors), warnings=len(sub.report.warnings),
    ))


def _print_findings(sub: Submission, *, errors_only: bool = False, err: bool = False) -> None:
    findings = sub.report.errors if errors_only else sub.report.findings
    for finding in findings:
        click.echo(T.CLI_FINDING_LINE.format(
            severity=T.CLI_SEVERITY[finding.severity.value],
            location=finding.location(), norm=finding.norm_id or "",
            message=finding.message), err=err)


if __name__ == "__main__":  # pragma: no cover
    main()
