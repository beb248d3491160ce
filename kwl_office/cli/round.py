"""``kwl round …`` and ``kwl demo``: the secretariat's round from the command line."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import click

from kwl_office import texts_nl as T
from kwl_office.batch.folder import RoundFolder, demo_today, init_round
from kwl_office.batch.issue import IssueResult
from kwl_office.batch.report import JobResult
from kwl_office.batch.status import entry_labels, round_status
from kwl_office.batch.steps import (
    CollectSummary,
    ReportSummary,
    collect_round,
    issue_round,
    report_round,
)
from kwl_office.cli.base import KwlCommand, KwlGroup, WholeNumber, argument
from kwl_office.cli.common import (
    F,
    catalogue_option,
    echo,
    echo_finding,
    handle_errors,
    printable,
    warn_about_lookalikes,
)
from kwl_office.errors import ExitCode
from kwl_office.findings import Report


def _folder(path: str) -> RoundFolder:
    return RoundFolder(Path(path))


def _print_report(report: Report) -> None:
    for finding in report.findings:
        echo_finding(finding)


@click.group("round", cls=KwlGroup, help=T.HELP_ROUND["round"], examples=T.EXAMPLES["round"])
def round_group() -> None:
    """``kwl round …``."""


@round_group.command("init", help=T.HELP_ROUND["init"],
                       examples=T.EXAMPLES["round init"])
@argument("directory", type=click.Path(file_okay=False), metavar=T.METAVARS["round"])
@click.option("--name", default=None, metavar=T.METAVARS["name"], help=T.HELP_ROUND["name"])
@catalogue_option
@handle_errors
def round_init(directory: str, name: str | None, catalogue_path: str | None) -> None:
    folder = init_round(directory, name=name, catalogue=catalogue_path)
    echo(T.ROUND_INITIALISED.format(path=folder.root, manifest=folder.manifest))


def _jobs_option(func: F) -> F:
    """``--jobs``: how many processes a step may use (issue, collect, report, run)."""
    return click.option("--jobs", type=WholeNumber(min=1), default=None,
                        metavar=T.METAVARS["count"], help=T.HELP_ROUND["jobs"])(func)


@round_group.command("issue", help=T.HELP_ROUND["issue"],
                       examples=T.EXAMPLES["round issue"])
@argument("directory", type=click.Path(exists=True, file_okay=False),
          metavar=T.METAVARS["round"])
@click.option("--macros", is_flag=True, help=T.HELP["macros"])
@_jobs_option
@handle_errors
def round_issue(directory: str, macros: bool, jobs: int | None) -> None:
    result, report = issue_round(_folder(directory), macros=macros, workers=jobs)
    _print_issue(result, report)
    sys.exit(ExitCode.OK if report.valid else ExitCode.INVALID)


def _print_issue(result: IssueResult, report: Report) -> None:
    _print_report(report)
    for item in result.created:
        echo(T.CLI_WRITTEN.format(path=item.file))
    for planned in result.waiting:
        echo(f"  {T.REPORT_WAITING:<13} {T.MIRROR_WAITING.format(item=planned.label)}")
    echo(result.line())


def _print_collect(summary: CollectSummary, *, manifest: bool = True) -> None:
    result = summary.result
    if manifest:  # round run shows the manifest's findings once, with the issue
        _print_report(summary.manifest)
    for finding in summary.rejections:
        echo(f"  {T.CLI_SEVERITY['error']:<13} {finding.message}")
    for skipped in result.skipped:
        echo(f"  {T.CLI_SKIPPED:<13} {skipped.source}: {skipped.reason}")
    for note in result.versions:
        echo(f"  {T.CLI_VERSIONS:<13} {note.message}")
    for superseded in result.superseded:
        echo(f"  {T.CLI_SUPERSEDED:<13} {superseded.message}")
    echo(summary.line())
    echo(T.CLI_WRITTEN.format(path=summary.intake))
    for path in summary.annotated:
        echo(T.ROUND_ANNOTATED.format(path=path))
    for path in summary.removed:
        echo(T.ROUND_STALE_REMOVED.format(path=path))
    if result.key_suspect:
        echo(T.COLLECT_KEY_HINT)


@round_group.command("collect", help=T.HELP_ROUND["collect"],
                       examples=T.EXAMPLES["round collect"])
@argument("directory", type=click.Path(exists=True, file_okay=False),
          metavar=T.METAVARS["round"])
@_jobs_option
@handle_errors
def round_collect(directory: str, jobs: int | None) -> None:
    summary = collect_round(_folder(directory), workers=jobs)
    _print_collect(summary)
    sys.exit(ExitCode.OK if not summary.result.rejected else ExitCode.INVALID)


def _run_report(folder: RoundFolder, jobs: int | None, pdf: bool,
                templates: str | None, incomplete: tuple[str, ...] = ()) -> ReportSummary:
    from kwl_office.documents.registry import DocumentKind

    warn_about_lookalikes(templates, list(DocumentKind))
    bar: list[object] = []

    def start(count: int) -> None:
        if sys.stdout.isatty() and count:
            progress = click.progressbar(length=count, label=T.ROUND_PROGRESS)
            progress.__enter__()
            bar.append(progress)

    def done(result: JobResult) -> None:
        if bar:
            bar[0].update(1)  # type: ignore[attr-defined]
        else:
            echo(f"  {result.status:<12} {result.assessment_id:<10} {result.host}")

    try:
        return report_round(folder, workers=jobs, pdf=pdf, templates=templates,
                            incomplete=incomplete, on_result=done, on_start=start,
                            today=demo_today(folder))
    finally:
        if bar:
            bar[0].__exit__(None, None, None)  # type: ignore[attr-defined]


def _print_summary(summary: ReportSummary, folder: RoundFolder, *,
                   manifest: bool = True) -> None:
    if manifest:
        _print_report(summary.manifest)
    echo("")
    echo(T.ROUND_TABLE_HEADER)
    # a register number as status shows it: with "(ingetrokken op …)" once withdrawn
    numbers = entry_labels(folder, (r.number for r in summary.results),
                           today=demo_today(folder))
    for r in summary.results:
        outcome = r.decision or r.advice or "–"
        _echo_row(T.ROUND_TABLE_ROW, id=r.assessment_id, host=_fit(r.host, _REPORT_NAME),
                  status=r.status, outcome=outcome, number=numbers.get(r.number, r.number))
        for line in (r.message, r.note):
            if line:
                echo(f"      {line}")
        for finding in r.findings:
            echo_finding(finding)
    for entry, reason in summary.waiting:
        _echo_row(T.ROUND_TABLE_ROW, id=entry.assessment.id,
                  host=_fit(entry.assessment.host, _REPORT_NAME), status=T.REPORT_WAITING,
                  outcome=reason, number="")
    if summary.pdf_note:
        echo(summary.pdf_note)
    for line in summary.pdf_failed:
        echo(f"      {line}")
    if summary.with_errors:
        echo(summary.errors_line())
    if summary.disk_line():
        echo(summary.disk_line())


#: the width of the name column of the report's table and of the status (as
#: ``T.ROUND_TABLE_ROW`` and ``T.STATUS_ROW`` pad it)
_REPORT_NAME = _STATUS_NAME = 38
#: the least width of the status's outcome column (wider when an outcome is longer)
_STATUS_OUTCOME = 30


#: bidirectional classes of right-to-left text (Hebrew, Arabic letters, Arabic digits)
_RIGHT_TO_LEFT = frozenset({"R", "AL", "AN"})
#: first strong isolate and pop directional isolate: a right-to-left name between them is
#: laid out on its own, the columns after it stay where they are
_ISOLATE, _POP_ISOLATE = "\u2068", "\u2069"


def _cells(char: str) -> int:
    """Terminal cells a character takes: two for a wide one (an emoji, a Chinese letter),
    none for a combining mark or an invisible format character."""
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _fit(name: str, width: int) -> str:
    """A name as a column ``width`` terminal cells wide, keeping the columns after it in line:
    made printable, a longer one cut with "…" (the full name is in the manifest, intake.xlsx,
    the dashboard and the documents), padded by the cells its letters take (an emoji takes
    two), and a name with right-to-left letters isolated, so that the terminal does not
    reorder the columns after it."""
    text = printable(name)
    if sum(map(_cells, text)) > width:
        kept, used = [], 0
        for char in text:
            if used + _cells(char) > width - 1:
                break
            kept.append(char)
            used += _cells(char)
        text = "".join(kept) + "…"
    used = sum(map(_cells, text))
    if any(unicodedata.bidirectional(char) in _RIGHT_TO_LEFT for char in text):
        text = f"{_ISOLATE}{text}{_POP_ISOLATE}"
    return text + " " * (width - used)


def _echo_row(template: str, *, host: str, **fields: object) -> None:
    """A table row with ``host`` as :func:`_fit` made it; every other text made printable
    (the row as a whole is not: that would show the isolating marks as escapes)."""
    echo(template.format(host=host, **{key: printable(value) if isinstance(value, str) else value
                                       for key, value in fields.items()}), raw=True)


def _report_options(func: F) -> F:
    """``--pdf``, ``--jobs``, ``--templates`` and ``--incomplete``, shared by ``round report``
    and ``round run``."""
    func = click.option("--incomplete", multiple=True, metavar=T.METAVARS["assessment"],
                        help=T.HELP_ROUND["incomplete"])(func)
    func = click.option("--templates", "templates_dir",
                        type=click.Path(exists=True, file_okay=False),
                        default=None, metavar=T.METAVARS["folder"],
                        help=T.HELP["templates_dir"])(func)
    func = _jobs_option(func)
    return click.option("--pdf", is_flag=True, help=T.HELP["pdf"])(func)


@round_group.command("report", help=T.HELP_ROUND["report"],
                       examples=T.EXAMPLES["round report"])
@argument("directory", type=click.Path(exists=True, file_okay=False),
          metavar=T.METAVARS["round"])
@_report_options
@handle_errors
def round_report(directory: str, pdf: bool, jobs: int | None,
                 templates_dir: str | None, incomplete: tuple[str, ...]) -> None:
    folder = _folder(directory)
    summary = _run_report(folder, jobs, pdf, templates_dir, incomplete)
    _print_summary(summary, folder)
    sys.exit(ExitCode.OK if summary.ok else ExitCode.INVALID)


@round_group.command("run", help=T.HELP_ROUND["run"],
                       examples=T.EXAMPLES["round run"])
@argument("directory", type=click.Path(exists=True, file_okay=False),
          metavar=T.METAVARS["round"])
@_report_options
@handle_errors
def round_run(directory: str, pdf: bool, jobs: int | None, templates_dir: str | None,
              incomplete: tuple[str, ...]) -> None:
    folder = _folder(directory)
    # issue first: workbooks with a mirror whose self-evaluation came in last time go out now
    issued, issue_report = issue_round(folder, workers=jobs)
    _print_issue(issued, issue_report)
    collected = collect_round(folder, workers=jobs)
    _print_collect(collected, manifest=False)
    summary = _run_report(folder, jobs, pdf, templates_dir, incomplete)
    _print_summary(summary, folder, manifest=False)
    ok = summary.ok and not collected.result.rejected and issue_report.valid
    sys.exit(ExitCode.OK if ok else ExitCode.INVALID)


@round_group.command("status", help=T.HELP_ROUND["status"],
                       examples=T.EXAMPLES["round status"])
@argument("directory", type=click.Path(exists=True, file_okay=False),
          metavar=T.METAVARS["round"])
@handle_errors
def round_status_command(directory: str) -> None:
    rows, report = round_status(_folder(directory))
    _print_report(report)
    outcomes = [f"{row.advice} {row.number}".strip() for row in rows]
    # "certificaat KSW-2026-0016 (ingetrokken op 30 november 2026)" keeps the states in line
    width = max([_STATUS_OUTCOME, *map(len, outcomes)])
    echo(T.STATUS_HEADER.format(outcome=T.STATUS_OUTCOME_HEADING, width=width))
    for row, outcome in zip(rows, outcomes, strict=True):
        _echo_row(T.STATUS_ROW, id=row.assessment_id, host=_fit(row.host, _STATUS_NAME),
                  variant=row.variant, received=f"{row.received}/{row.expected}",
                  invalid=row.invalid or "", state=row.state, outcome=outcome, width=width)
        for finding in row.findings:
            echo_finding(finding)


@click.command("demo", cls=KwlCommand, help=T.HELP_ROUND["demo"], examples=T.EXAMPLES["demo"])
@argument("directory", type=click.Path(file_okay=False), default="kwl-demo",
          metavar=T.METAVARS["folder"])
@click.option("--pdf", is_flag=True, help=T.HELP["pdf"])
@handle_errors
def demo_command(directory: str, pdf: bool) -> None:
    # imported here: the demo's filling pulls in what the round's own steps do not need
    from kwl_office.batch.demo import demo_benchmark, prepare_demo, prepare_second_round

    folder = prepare_demo(Path(directory), click.echo)
    _print_collect(collect_round(folder))
    summary = _run_report(folder, None, pdf, None)
    _print_summary(summary, folder)
    echo("")
    second = prepare_second_round(folder, click.echo)
    _print_collect(collect_round(second))
    later = _run_report(second, None, pdf, None)
    _print_summary(later, second)
    benchmark = demo_benchmark([folder, second])
    echo("")
    echo(T.DEMO_BENCHMARK.format(path=benchmark.written[0].parent))
    echo("")
    echo(T.DEMO_DONE.format(path=folder.root, second=second.root))
    sys.exit(ExitCode.OK if summary.ok and later.ok else ExitCode.INVALID)
