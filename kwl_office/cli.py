"""The ``kwl`` command line: parse, call one library function, print.

The library never imports click; errors of the library (:class:`KwlError`) become a one-line
message and exit status 2, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from kwl_office import texts_nl as T
from kwl_office._version import __version__
from kwl_office.assessment import Kind, Organisation, Submission, Variant, Verdict
from kwl_office.batch.folder import locate_register
from kwl_office.catalogue import Catalogue, load_catalogue, save_catalogue
from kwl_office.cli_common import (
    F,
    catalogue_option,
    decision_options,
    echo_finding,
    handle_errors,
    key_option,
    register_options,
)
from kwl_office.consolidation import Consolidation
from kwl_office.consolidation_files import JSON_NAME, WORKBOOK_NAME, consolidate_files
from kwl_office.documents.context import Decision
from kwl_office.documents.pdf import convert_to_pdf
from kwl_office.documents.produce import (
    audit_report,
    certificate,
    decide,
    feedback_report,
    learning_report,
    letter,
    load_consolidation,
    with_register_entry,
)
from kwl_office.documents.render import DocumentKind
from kwl_office.documents.templates import check_templates, describe_fields
from kwl_office.errors import LibreOfficeMissing, UnreadableFile
from kwl_office.excel.reader import read_workbook
from kwl_office.excel.writer import WorkbookSpec, workbook_path, write_workbook
from kwl_office.identity import load_key
from kwl_office.register import Register


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
    func = click.option("--macros", is_flag=True, help=T.HELP["macros"])(func)
    func = click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
                        help=T.HELP["output"])(func)
    func = click.option("--deadline", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                        metavar="JJJJ-MM-DD", help=T.HELP["deadline"])(func)
    func = click.option("--host", required=True, help=T.HELP["host"])(func)
    return click.option("--assessment", required=True, help=T.HELP["assessment"])(func)


def _write(kind: Kind, output: str, catalogue_path: str | None, key_file: str | None,
           macros: bool, assessment: str, host: str, reviewer: str = "", deadline: Any = None,
           selfeval: str | None = None, distinctive_only: bool = False) -> None:
    cat = load_catalogue(catalogue_path)
    key = load_key(key_file, create=True)
    assert key is not None
    mirror = _read_mirror(selfeval, cat, key, assessment, host) if selfeval else None
    spec = WorkbookSpec(kind=kind, assessment_id=assessment, host=host, reviewer=reviewer,
                        deadline=deadline.date() if deadline else None,
                        distinctive_only=distinctive_only)
    path = workbook_path(output, macros=macros)
    write_workbook(path, spec, cat, key=key, mirror=mirror, macros=macros)
    click.echo(T.CLI_WRITTEN.format(path=path))


def _read_mirror(path: str, cat: Catalogue, key: bytes, assessment: str,
                 host: str) -> Submission:
    # a mirror shows what the host filled in so far: open norms are fine there
    sub = read_workbook(path, cat, key=key, expected_kind=Kind.SELF_EVALUATION,
                        allow_incomplete=True)
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
def workbook_selfeval(assessment: str, host: str, deadline: Any, output: str, macros: bool,
                      catalogue_path: str | None, key_file: str | None) -> None:
    _write(Kind.SELF_EVALUATION, output, catalogue_path, key_file, macros, assessment, host,
           deadline=deadline)


@workbook.command("peer", help=T.HELP["workbook_peer"])
@_common_workbook_options
@click.option("--reviewer", required=True, help=T.HELP["reviewer_peer"])
@click.option("--selfeval", type=click.Path(exists=True, dir_okay=False), default=None,
              help=T.HELP["selfeval"])
@handle_errors
def workbook_peer(assessment: str, host: str, deadline: Any, output: str, macros: bool,
                  catalogue_path: str | None, key_file: str | None, reviewer: str,
                  selfeval: str | None) -> None:
    _write(Kind.PEER, output, catalogue_path, key_file, macros, assessment, host, reviewer,
           deadline, selfeval)


@workbook.command("audit", help=T.HELP["workbook_audit"])
@_common_workbook_options
@click.option("--reviewer", required=True, help=T.HELP["reviewer_audit"])
@click.option("--selfeval", type=click.Path(exists=True, dir_okay=False), default=None,
              help=T.HELP["selfeval"])
@click.option("--distinctive-only", is_flag=True, help=T.HELP["distinctive_only"])
@handle_errors
def workbook_audit(assessment: str, host: str, deadline: Any, output: str, macros: bool,
                   catalogue_path: str | None, key_file: str | None, reviewer: str,
                   selfeval: str | None, distinctive_only: bool) -> None:
    _write(Kind.AUDIT, output, catalogue_path, key_file, macros, assessment, host, reviewer,
           deadline, selfeval, distinctive_only)


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
        line = T.CLI_DOMAIN_LINE.format(
            title=summary.title, counts=counts, open=summary.open,
            share=_share(summary.share_met), disagreements=summary.disagreements)
        if result.has_agreement:
            line += T.CLI_DOMAIN_ALPHA.format(alpha=_alpha(summary.alpha))
        click.echo(line)
    agreement = result.agreement
    if result.has_agreement:
        click.echo(T.CLI_AGREEMENT.format(
            alpha=_alpha(agreement.alpha), percent=_share(agreement.percent_agreement).strip(),
            units=agreement.pairable_units))
    for finding in result.findings:
        echo_finding(finding)


# --- documents -------------------------------------------------------------------------------


def _document_options(func: F) -> F:
    func = catalogue_option(func)
    func = click.option("--address", multiple=True, help=T.HELP["address"])(func)
    func = click.option("--contact", default="", help=T.HELP["contact"])(func)
    func = click.option("--templates", "templates_dir", type=click.Path(file_okay=False),
                        default=None, help=T.HELP["templates_dir"])(func)
    func = click.option("--pdf", is_flag=True, help=T.HELP["pdf"])(func)
    return click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
                        help=T.HELP["docx_output"])(func)


def _letter(source: str, catalogue_path: str | None, decision: str | None,
            decision_date: Any, register_path: str | None, round_dir: str | None
            ) -> tuple[Catalogue, Consolidation, Decision]:
    """The consolidation and the decision with its register entry (number, dates)."""
    cat = load_catalogue(catalogue_path)
    cons = load_consolidation(source, cat)
    decided = decide(cons, cat, verdict=Verdict(decision) if decision else None,
                     decided_on=decision_date.date() if decision_date else None)
    if decided.granted:
        with Register(locate_register(register_path, round_dir), create=False) as reg:
            with_register_entry(decided, reg, cons.assessment_id)
    return cat, cons, decided


def _finish_document(path: Path, pdf: bool) -> None:
    click.echo(T.CLI_WRITTEN.format(path=path))
    if not pdf:
        return
    try:
        for made in convert_to_pdf([path]):
            click.echo(T.CLI_WRITTEN.format(path=made))
    except LibreOfficeMissing as err:
        click.echo(f"kwl: {err}", err=True)
        sys.exit(1)


def _organisation(host: str, contact: str, address: tuple[str, ...]) -> Organisation:
    return Organisation(name=host, contact=contact, address=address)


@main.group(help=T.HELP["report"])
def report() -> None:
    """``kwl report …``."""


@report.command("learning", help=T.HELP["report_learning"])
@click.argument("source", type=click.Path(exists=True), metavar="CONSOLIDATIEMAP")
@_document_options
@handle_errors
def report_learning(source: str, output: str, pdf: bool, templates_dir: str | None,
                    contact: str, address: tuple[str, ...], catalogue_path: str | None) -> None:
    cat = load_catalogue(catalogue_path)
    cons = load_consolidation(source, cat)
    path = learning_report(cons, cat, output, templates=templates_dir,
                           organisation=_organisation(cons.host, contact, address))
    _finish_document(path, pdf)


@report.command("audit", help=T.HELP["report_audit"])
@click.argument("source", type=click.Path(exists=True), metavar="CONSOLIDATIEMAP")
@_document_options
@handle_errors
def report_audit(source: str, output: str, pdf: bool, templates_dir: str | None,
                 contact: str, address: tuple[str, ...], catalogue_path: str | None) -> None:
    cat = load_catalogue(catalogue_path)
    cons = load_consolidation(source, cat)
    path = audit_report(cons, cat, output, templates=templates_dir,
                        organisation=_organisation(cons.host, contact, address))
    _finish_document(path, pdf)


@report.command("feedback", help=T.HELP["report_feedback"])
@click.argument("source", type=click.Path(exists=True, dir_okay=False),
                metavar="ZELFEVALUATIE.xlsx")
@_document_options
@key_option
@handle_errors
def report_feedback(source: str, output: str, pdf: bool, templates_dir: str | None,
                    contact: str, address: tuple[str, ...], catalogue_path: str | None,
                    key_file: str | None) -> None:
    cat = load_catalogue(catalogue_path)
    # the feedback document lists the open norms itself: an unfinished self-evaluation is
    # exactly what the feedback meeting may discuss
    sub = read_workbook(source, cat, key=load_key(key_file, create=False),
                        expected_kind=Kind.SELF_EVALUATION, allow_incomplete=True)
    if not sub.valid:
        _print_summary(sub)
        _print_findings(sub, errors_only=True)
        sys.exit(1)
    host = sub.identity.host if sub.identity else "?"
    path = feedback_report(sub, cat, output, templates=templates_dir,
                           organisation=_organisation(host, contact, address))
    _finish_document(path, pdf)


@report.command("letter", help=T.HELP["report_letter"])
@click.argument("source", type=click.Path(exists=True), metavar="CONSOLIDATIEMAP")
@_document_options
@decision_options
@register_options
@handle_errors
def report_letter(source: str, output: str, pdf: bool, templates_dir: str | None,
                  contact: str, address: tuple[str, ...], catalogue_path: str | None,
                  decision: str | None, decision_date: Any, register_path: str | None,
                  round_dir: str | None) -> None:
    cat, cons, decided = _letter(source, catalogue_path, decision, decision_date,
                                 register_path, round_dir)
    path = letter(cons, cat, output, decision=decided, templates=templates_dir,
                  organisation=_organisation(cons.host, contact, address))
    _finish_document(path, pdf)


@report.command("certificate", help=T.HELP["report_certificate"])
@click.argument("source", type=click.Path(exists=True), metavar="CONSOLIDATIEMAP")
@_document_options
@decision_options
@register_options
@handle_errors
def report_certificate(source: str, output: str, pdf: bool, templates_dir: str | None,
                       contact: str, address: tuple[str, ...], catalogue_path: str | None,
                       decision: str | None, decision_date: Any, register_path: str | None,
                       round_dir: str | None) -> None:
    cat, cons, decided = _letter(source, catalogue_path, decision, decision_date,
                                 register_path, round_dir)
    path = certificate(cons, cat, output, decision=decided, templates=templates_dir,
                       organisation=_organisation(cons.host, contact, address))
    _finish_document(path, pdf)


@main.group(help=T.HELP["templates"])
def templates() -> None:
    """``kwl templates …``."""


@templates.command("context", help=T.HELP["templates_context"])
@click.argument("kind", required=False, type=click.Choice([k.value for k in DocumentKind]))
@catalogue_option
@handle_errors
def templates_context(kind: str | None, catalogue_path: str | None) -> None:
    cat = load_catalogue(catalogue_path)
    kinds = [DocumentKind(kind)] if kind else list(DocumentKind)
    for index, item in enumerate(kinds):
        if index:
            click.echo("")
        click.echo("\n".join(describe_fields(item, cat)))


@templates.command("check", help=T.HELP["templates_check"])
@click.argument("directory", required=False, type=click.Path(exists=True, file_okay=False))
@catalogue_option
@handle_errors
def templates_check(directory: str | None, catalogue_path: str | None) -> None:
    result = check_templates(load_catalogue(catalogue_path), directory)
    for finding in result.findings:
        click.echo(T.CLI_TEMPLATE_LINE.format(severity=T.CLI_SEVERITY[finding.severity.value],
                                              file=finding.file or "", message=finding.message))
    if result.valid:
        click.echo(T.CLI_TEMPLATES_OK.format(count=len(DocumentKind)))
    sys.exit(0 if result.valid else 1)


# --- check -----------------------------------------------------------------------------------


@main.command("check", help=T.HELP["check"])
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help=T.HELP["json"])
@click.option("--kind", type=click.Choice([k.value for k in Kind]), default=None,
              help=T.HELP["kind"])
@click.option("--allow-incomplete", is_flag=True, help=T.HELP["allow_incomplete"])
@catalogue_option
@key_option
@handle_errors
def check(files: tuple[str, ...], as_json: bool, kind: str | None, allow_incomplete: bool,
          catalogue_path: str | None, key_file: str | None) -> None:
    cat = load_catalogue(catalogue_path)
    key = load_key(key_file, create=False)
    expected = Kind(kind) if kind else None
    results: list[dict[str, Any]] = []
    unreadable = invalid = False
    for file in files:
        try:
            sub = read_workbook(file, cat, key=key, expected_kind=expected,
                                allow_incomplete=allow_incomplete)
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
        echo_finding(finding, err=err)



# --- commands defined in their own modules ---------------------------------------------------
# imported last: they import the shared options from kwl_office.cli_common, not from here
from kwl_office.cli_dashboard import dashboard  # noqa: E402
from kwl_office.cli_register import register  # noqa: E402
from kwl_office.cli_round import demo, round_group  # noqa: E402
from kwl_office.cli_route import route  # noqa: E402

main.add_command(round_group)
main.add_command(demo)
main.add_command(register)
main.add_command(route)
main.add_command(dashboard)


if __name__ == "__main__":  # pragma: no cover
    main()
