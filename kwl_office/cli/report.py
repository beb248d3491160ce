"""``kwl report …`` and ``kwl templates …``: Word documents (and PDF) from their templates."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind, Organisation, Verdict
from kwl_office.batch.folder import locate_register
from kwl_office.catalogue import Catalogue, load_catalogue
from kwl_office.cli.common import (
    F,
    catalogue_option,
    decision_options,
    echo_findings,
    echo_submission,
    handle_errors,
    key_option,
    register_options,
)
from kwl_office.consolidation.model import Consolidation
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
from kwl_office.errors import ExitCode, LibreOfficeMissing
from kwl_office.excel.reader import read_workbook
from kwl_office.identity import load_key
from kwl_office.register import Register


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
        sys.exit(ExitCode.INVALID)


def _organisation(host: str, contact: str, address: tuple[str, ...]) -> Organisation:
    return Organisation(name=host, contact=contact, address=address)


@click.group("report", help=T.HELP["report"])
def report_group() -> None:
    """``kwl report …``."""


@report_group.command("learning", help=T.HELP["report_learning"])
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


@report_group.command("audit", help=T.HELP["report_audit"])
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


@report_group.command("feedback", help=T.HELP["report_feedback"])
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
        echo_submission(sub)
        echo_findings(sub, errors_only=True)
        sys.exit(ExitCode.INVALID)
    host = sub.identity.host if sub.identity else "?"
    path = feedback_report(sub, cat, output, templates=templates_dir,
                           organisation=_organisation(host, contact, address))
    _finish_document(path, pdf)


@report_group.command("letter", help=T.HELP["report_letter"])
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


@report_group.command("certificate", help=T.HELP["report_certificate"])
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


@click.group("templates", help=T.HELP["templates"])
def templates_group() -> None:
    """``kwl templates …``."""


@templates_group.command("context", help=T.HELP["templates_context"])
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


@templates_group.command("check", help=T.HELP["templates_check"])
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
    sys.exit(ExitCode.OK if result.valid else ExitCode.INVALID)
