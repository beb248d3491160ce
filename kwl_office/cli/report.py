"""``kwl report …`` and ``kwl templates …``: Word documents (and PDF) from their templates."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind, Organisation, Submission, Verdict
from kwl_office.batch.folder import find_round, locate_register
from kwl_office.benchmark.files import load_benchmark
from kwl_office.catalogue import Catalogue, load_catalogue
from kwl_office.catalogue.mapping import builtin_mappings, fitting_mapping, load_mapping
from kwl_office.cli.base import KwlCommand, KwlGroup, argument
from kwl_office.cli.common import (
    F,
    catalogue_option,
    decision_options,
    echo,
    echo_findings,
    echo_submission,
    handle_errors,
    key_option,
    register_options,
    warn_about_lookalikes,
)
from kwl_office.consolidation.history import Comparison, compare
from kwl_office.consolidation.model import Consolidation
from kwl_office.documents.context import Decision
from kwl_office.documents.pdf import convert_to_pdf
from kwl_office.documents.produce import (
    DocumentInputs,
    decide,
    load_consolidation,
    load_previous_consolidation,
    make_document,
    spec_for_command,
    with_register_entry,
)
from kwl_office.documents.registry import DocumentKind, DocumentSpec, commands
from kwl_office.documents.sender import load_letter_settings
from kwl_office.documents.templates import (
    check_templates,
    describe_fields,
    own_templates,
    template_names,
)
from kwl_office.dutch import count, join
from kwl_office.errors import ExitCode, LibreOfficeMissing
from kwl_office.excel.reader import read_workbook
from kwl_office.identity import load_key
from kwl_office.register import Register

#: the commands whose documents are addressed to a person: their templates show the contact
#: and the postal address (the letters); the reports and the certificate show neither
_ADDRESSED = frozenset({"letter"})


def _document_options(func: F) -> F:
    func = catalogue_option(func)
    func = click.option("--templates", "templates_dir",
                        type=click.Path(exists=True, file_okay=False),
                        default=None, metavar=T.METAVARS["folder"],
                        help=T.HELP["templates_dir"])(func)
    func = click.option("--pdf", is_flag=True, help=T.HELP["pdf"])(func)
    return click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
                        metavar=T.METAVARS["file"], help=T.HELP["docx_output"])(func)


def _address_options(func: F) -> F:
    func = click.option("--address", multiple=True, metavar=T.METAVARS["line"],
                        help=T.HELP["address_letter"])(func)
    return click.option("--contact", default="", metavar=T.METAVARS["name"],
                        help=T.HELP["contact_letter"])(func)


def _previous_options(func: F) -> F:
    """``--previous`` and ``--mapping``: the reports' "Sinds de vorige keer"."""
    func = click.option("--mapping", "mapping_path", default=None, metavar=T.METAVARS["file"],
                        type=click.Path(exists=True, dir_okay=False),
                        help=T.HELP["mapping_previous"])(func)
    return click.option("--previous", "previous_path", default=None, type=click.Path(exists=True),
                        metavar=T.METAVARS["consolidation"],
                        help=T.HELP["previous_consolidation"])(func)


def _example(command: str, first: DocumentSpec) -> tuple[str, ...]:
    """The example at the end of ``kwl report COMMAND --help``, made from the registry (a
    document that states a decision is signed: its example names the settings, on a second
    line so that it fits a terminal)."""
    example = T.CLI_REPORT_EXAMPLE.format(
        command=command, source=T.CLI_REPORT_EXAMPLE_SOURCE[first.source], output=first.output)
    if not first.states_decision:
        return (example,)
    return (example + " \\", T.CLI_REPORT_EXAMPLE_DECISION)


def _finish_document(path: Path, pdf: bool) -> None:
    echo(T.CLI_WRITTEN.format(path=path))
    if not pdf:
        return
    try:
        for made in convert_to_pdf([path]):
            echo(T.CLI_WRITTEN.format(path=made))
    except LibreOfficeMissing as err:
        echo(f"kwl: {err}", err=True)
        sys.exit(ExitCode.INVALID)


def _self_evaluation(source: str, cat: Catalogue, key_file: str | None) -> Submission:
    # the feedback document lists the open norms itself: an unfinished self-evaluation is
    # exactly what the feedback meeting may discuss
    sub = read_workbook(source, cat, key=load_key(key_file, create=False),
                        expected_kind=Kind.SELF_EVALUATION, allow_incomplete=True)
    if not sub.valid:
        echo_submission(sub, cat)
        echo_findings(sub, errors_only=True)
        sys.exit(ExitCode.INVALID)
    return sub


def _decision(cons: Consolidation, cat: Catalogue, options: dict[str, Any]) -> Decision:
    """The decision, with its number and dates from the register when it grants."""
    verdict, day = options.get("decision"), options.get("decision_date")
    decided = decide(cons, cat, verdict=Verdict(verdict) if verdict else None,
                     decided_on=day.date() if day else None)
    if decided.granted:
        path = locate_register(options.get("register_path"), options.get("round_dir"))
        with Register(path, create=False) as reg:
            with_register_entry(decided, reg, cons.assessment_id)
    return decided


def _sender(inputs: DocumentInputs, options: dict[str, Any]) -> None:
    """The sender and signatory: from --settings, else from the round (--round or the
    current folder); without either the letter is refused, naming what to give."""
    path = options.get("settings_path")
    if path:
        inputs.sender, inputs.sender_source = load_letter_settings(path), str(path)
        return
    folder = find_round(options.get("round_dir"))
    if folder is not None:
        inputs.sender = folder.config().letter_settings()
        inputs.sender_source = str(folder.config_path)
    else:
        inputs.sender_source = T.DOC_SETTINGS_NO_FILE


def _previous(current: Consolidation, cat: Catalogue,
              options: dict[str, Any]) -> Comparison | None:
    """The comparison with the previous assessment (``--previous``, through ``--mapping``
    when the catalogue versions differ); None without ``--previous``."""
    path, mapping = options.get("previous_path"), options.get("mapping_path")
    if not path:
        return None
    previous = load_previous_consolidation(path)
    # without --mapping a shipped mapping that fits exactly is used (never a guess)
    found = (load_mapping(mapping) if mapping else
             fitting_mapping(builtin_mappings(), previous.catalogue_fingerprint,
                             current.catalogue_fingerprint))
    return compare(previous, current, found, catalogue=cat)


def _run(command: str, source: str, output: str, pdf: bool, templates_dir: str | None,
         catalogue_path: str | None, contact: str = "", address: tuple[str, ...] = (),
         **options: Any) -> None:
    cat = load_catalogue(catalogue_path)
    first = commands()[command][0]
    inputs = DocumentInputs(catalogue=cat, organisation=Organisation(name="?"),
                            today=date.today())
    if first.source == "self-evaluation":
        inputs.submission = _self_evaluation(source, cat, options.get("key_file"))
        host = inputs.submission.identity.host if inputs.submission.identity else "?"
    else:
        inputs.consolidation = load_consolidation(source, cat)
        host = inputs.consolidation.host
        inputs.previous = _previous(inputs.consolidation, cat, options)
        if options.get("benchmark_path"):
            inputs.benchmark = load_benchmark(options["benchmark_path"])
        if first.states_decision:
            inputs.decision = _decision(inputs.consolidation, cat, options)
            _sender(inputs, options)
    inputs.organisation = Organisation(name=host, contact=contact, address=address)
    spec = spec_for_command(command, inputs.decision)
    warn_about_lookalikes(templates_dir, [spec.kind])
    _finish_document(make_document(spec, inputs, output, templates=templates_dir), pdf)


def _report_command(command: str, specs: tuple[DocumentSpec, ...]) -> click.Command:
    """``kwl report COMMAND``, with the options its documents need (from the registry)."""
    first = specs[0]

    def callback(**options: Any) -> None:
        _run(command, **options)

    func: Any = handle_errors(callback)
    if first.states_decision:
        func = register_options(decision_options(command)(func))
        func = click.option("--settings", "settings_path", default=None, help=T.HELP["settings"],
                            metavar=T.METAVARS["file"],
                            type=click.Path(exists=True, dir_okay=False))(func)
    if first.source == "self-evaluation":
        func = key_option(func)
    if command in _ADDRESSED:
        func = _address_options(func)
    if first.fields.endswith(":report_fields"):
        func = _previous_options(func)
        func = click.option("--benchmark", "benchmark_path", default=None,
                            type=click.Path(exists=True), metavar=T.METAVARS["benchmark"],
                            help=T.HELP["benchmark_option"])(func)
    func = _document_options(func)
    if first.source == "self-evaluation":
        func = argument("source", type=click.Path(exists=True, dir_okay=False),
                        metavar=T.METAVARS["self_evaluation"])(func)
    else:
        func = argument("source", type=click.Path(exists=True),
                        metavar=T.METAVARS["consolidation"])(func)
    return click.command(command, cls=KwlCommand, help=first.help,
                         examples=_example(command, first))(func)


@click.group("report", cls=KwlGroup, help=T.HELP["report"], examples=T.EXAMPLES["report"])
def report_group() -> None:
    """``kwl report …``: one command per entry of the document registry."""


for _command, _specs in commands().items():
    report_group.add_command(_report_command(_command, _specs))


@click.group("templates", cls=KwlGroup, help=T.HELP["templates"],
             examples=T.EXAMPLES["templates"])
def templates_group() -> None:
    """``kwl templates …``."""


@templates_group.command(
    "context", examples=T.EXAMPLES["templates context"],
    help=T.HELP["templates_context"].format(kinds=join([k.value for k in DocumentKind], "of")))
@argument("kind", required=False, type=click.Choice([k.value for k in DocumentKind]),
          metavar=T.METAVARS["kind"])
@catalogue_option
@handle_errors
def templates_context(kind: str | None, catalogue_path: str | None) -> None:
    cat = load_catalogue(catalogue_path)
    kinds = [DocumentKind(kind)] if kind else list(DocumentKind)
    for index, item in enumerate(kinds):
        if index:
            echo("")
        for line in describe_fields(item, cat):
            echo(line)


@templates_group.command("check", help=T.HELP["templates_check"],
                         examples=T.EXAMPLES["templates check"])
@argument("directory", required=False, type=click.Path(exists=True, file_okay=False),
          metavar=T.METAVARS["folder"])
@catalogue_option
@handle_errors
def templates_check(directory: str | None, catalogue_path: str | None) -> None:
    result = check_templates(load_catalogue(catalogue_path), directory)
    own = [kind.template for kind in own_templates(directory)]
    total = len(template_names())
    if len(own) == total:
        echo(T.CLI_TEMPLATES_ALL_OWN.format(count=total, folder=directory))
    elif own:  # none: a warning says so
        rest = T.CLI_TEMPLATES_REST[0 if total - len(own) == 1 else 1]
        echo(T.CLI_TEMPLATES_OWN.format(own=len(own), count=total, folder=directory,
                                        names=join(own), rest=rest.format(count=total - len(own))))
    for finding in result.findings:
        echo(T.CLI_TEMPLATE_LINE.format(severity=T.CLI_SEVERITY[finding.severity.value],
                                              file=finding.file or "", message=finding.message))
    # warnings (a file in the folder that is not used) do not fail the check; errors do
    if result.valid and result.warnings:
        echo(T.CLI_TEMPLATES_OK_WARNINGS.format(
            count=total, warnings=count(len(result.warnings), "warning")))
    elif result.valid:
        echo(T.CLI_TEMPLATES_OK.format(count=total))
    sys.exit(ExitCode.OK if result.valid else ExitCode.INVALID)
