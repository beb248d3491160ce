"""The Python side of the secretariat's Excel dashboard (``dashboard.xlsm``).

The dashboard's buttons run ``macros/KwlSecretariaat.bas``, which calls
:func:`run_from_excel` through xlwings' ``RunPython`` with the step and the dashboard's own
path. Everything that decides something is a plain function over plain data
(:func:`perform`, :func:`dashboard_view`, :func:`manifest_table`, :func:`status_table`) and
is tested without Excel; :func:`show` writes a view into any book that offers the few members
it uses (:class:`BookLike`), and the xlwings adapter is the two lines in
:func:`run_from_excel`. Only the open-source (BSD) part of xlwings is used: ``xw.Book`` and
ranges.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.manifest import ManifestEntry, read_manifest
from kwl_office.batch.status import StatusRow, round_status
from kwl_office.batch.steps import (
    collect_round,
    issue_round,
    report_round,
)
from kwl_office.errors import KwlError

SHEET_DASHBOARD = "Dashboard"
SHEET_STATUS = "Status"
SHEET_MANIFEST = "Manifest"
#: where the dashboard shows things (the builder and :func:`show` share these)
ROUND_CELL = "B3"
FOLDER_CELL = "B4"
MESSAGE_CELL = "B11"
UPDATED_CELL = "B12"
SUMMARY_CELL = "A15"  # top left of the summary block: labels in column A, values in C
TABLE_CELL = "A4"  # top left of the status and manifest tables (header row first)
TABLE_CLEAR = "A4:L5000"
SUMMARY_CLEAR = "A15:C22"
STEPS = ("uitgeven", "innemen", "rapporteren", "status")

Cell = str | int


# --- plain functions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardView:
    """Everything the dashboard shows, as plain values."""

    round_name: str
    folder: str
    message: str
    updated: str
    summary: list[list[Cell]]
    status: list[list[Cell]]
    manifest: list[list[Cell]]


def perform(step: str, folder: Path) -> str:
    """Run one step of the round in ``folder``; the Dutch message for the dashboard.

    Never raises for what can go wrong in a round (a busy folder, a bad manifest, a broken
    file): the message says it, as the command line would.
    """
    if step not in STEPS:
        return T.DASH_UNKNOWN_STEP.format(step=step, steps=", ".join(STEPS))
    try:
        round_folder = RoundFolder(folder)
        round_folder.config()  # a folder that is no round says so, before anything else
        if step == "uitgeven":
            result, report = issue_round(round_folder)
            return T.DASH_ISSUED.format(created=dutch.count(len(result.created), "workbook"),
                                        existing=dutch.number(result.existing),
                                        errors=dutch.count(len(report.errors), "error"))
        if step == "innemen":
            summary = collect_round(round_folder)
            return T.DASH_COLLECTED.format(new=len(summary.result.new),
                                           unchanged=dutch.count(summary.result.unchanged,
                                                                 "file"),
                                           rejected=len(summary.result.rejected),
                                           invalid=len(summary.annotated))
        if step == "rapporteren":
            reported = report_round(round_folder)
            made = sum(r.status == T.REPORT_MADE for r in reported.results)
            return T.DASH_REPORTED.format(made=made, skipped=len(reported.results) - made
                                          - len(reported.failed), failed=len(reported.failed),
                                          waiting=len(reported.waiting),
                                          errors=len(reported.with_errors))
        return T.DASH_REFRESHED
    except KwlError as err:
        return T.DASH_FAILED.format(step=step, error=err)


def manifest_table(entries: Sequence[ManifestEntry]) -> list[list[Cell]]:
    """The manifest as the dashboard shows it: a header row, then one row per assessment."""
    rows: list[list[Cell]] = [list(T.DASH_MANIFEST_HEADERS)]
    for entry in entries:
        variant = entry.assessment.variant.value
        rows.append([entry.assessment.id, entry.assessment.host,
                     T.VARIANT_LABELS.get(variant, variant), T.scope_name(entry.assessment.scope),
                     _reviewers_text(entry), entry.ci,
                     T.format_date(entry.deadline) if entry.deadline else "",
                     entry.decision or ""])
    return rows


def _reviewers_text(entry: ManifestEntry) -> str:
    """``Noord, Zuid en West``; ``… (gedeelde werkmap)`` when they share one."""
    names = dutch.join(entry.reviewers)
    return T.DASH_SHARED_REVIEWERS.format(reviewers=names) if entry.shared else names


def status_table(rows: Sequence[StatusRow]) -> list[list[Cell]]:
    """Where every assessment stands: a header row, then one row per assessment."""
    table: list[list[Cell]] = [list(T.DASH_STATUS_HEADERS)]
    for row in rows:
        table.append([row.assessment_id, row.host, T.VARIANT_LABELS.get(row.variant, row.variant),
                      row.expected, row.received, row.invalid, row.state,
                      T.ADVICE_LABELS.get(row.advice, row.advice), row.number])
    return table


def summary_table(rows: Sequence[StatusRow]) -> list[list[Cell]]:
    """A few counts for the dashboard's front sheet."""
    return [
        [T.DASH_SUMMARY["assessments"], len(rows)],
        [T.DASH_SUMMARY["expected"], sum(r.expected for r in rows)],
        [T.DASH_SUMMARY["received"], sum(r.received for r in rows)],
        [T.DASH_SUMMARY["invalid"], sum(r.invalid for r in rows)],
        [T.DASH_SUMMARY["reported"], sum(r.state == T.STATUS_REPORTED for r in rows)],
    ]


def dashboard_view(folder: Path, message: str, *, now: datetime | None = None) -> DashboardView:
    """The dashboard's contents for the round in ``folder`` (reads only)."""
    round_folder = RoundFolder(folder)
    name = round_folder.config().naam
    entries, _ = read_manifest(round_folder.manifest)
    rows, _ = round_status(round_folder)
    moment = now or datetime.now()
    return DashboardView(
        round_name=name, folder=str(folder), message=message,
        updated=f"{T.format_date(moment.date())} {moment:%H:%M}",
        summary=summary_table(rows), status=status_table(rows),
        manifest=manifest_table(entries))


# --- the adapter -------------------------------------------------------------------------------


class RangeLike(Protocol):
    """The members of an xlwings ``Range`` that :func:`show` uses."""

    @property
    def value(self) -> Any: ...

    @value.setter
    def value(self, value: Any) -> None: ...

    def clear_contents(self) -> Any: ...


class SheetLike(Protocol):
    """The member of an xlwings ``Sheet`` that :func:`show` uses."""

    def range(self, address: str) -> RangeLike: ...


def show(sheet: Callable[[str], SheetLike], view: DashboardView) -> None:
    """Write ``view`` into the dashboard: message, counts and both tables (old rows cleared).

    ``sheet`` gives a sheet by name; for xlwings that is ``lambda name: book.sheets[name]``.
    """
    front = sheet(SHEET_DASHBOARD)
    front.range(ROUND_CELL).value = view.round_name
    front.range(FOLDER_CELL).value = view.folder
    front.range(MESSAGE_CELL).value = view.message
    front.range(UPDATED_CELL).value = view.updated
    front.range(SUMMARY_CLEAR).clear_contents()
    front.range(SUMMARY_CELL).value = [[label, None, value] for label, value in view.summary]
    for name, table in ((SHEET_STATUS, view.status), (SHEET_MANIFEST, view.manifest)):
        target = sheet(name)
        target.range(TABLE_CLEAR).clear_contents()
        target.range(TABLE_CELL).value = table


def run_from_excel(step: str, workbook_path: str) -> None:  # pragma: no cover - needs Excel
    """Entry point for ``RunPython``: run ``step`` for the round the dashboard lives in and
    show the outcome in it. Only this function touches xlwings."""
    import xlwings as xw  # only on the secretariat's machine, with Excel

    folder = Path(workbook_path).parent
    message = perform(step, folder)
    book = xw.Book(workbook_path)
    show(lambda name: book.sheets[name], dashboard_view(folder, message))
