"""The dashboard's Python side (kwl_office.xl) on plain data, and its adapter against a
stand-in for the few xlwings members it uses (backed by openpyxl cells).

A real Excel run (RunPython through the xlwings add-in) is not covered here: xlwings drives
Excel only on Windows and macOS. See the README, "Het dashboard".
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from kwl_office import texts_nl as T
from kwl_office.assessment import Assessment, Organisation, Variant
from kwl_office.batch.demo import fill_like_a_person
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.issue import load_index
from kwl_office.batch.manifest import HEADER_ROW, ManifestEntry
from kwl_office.batch.status import StatusRow
from kwl_office.cli import main
from kwl_office.xl import (
    MESSAGE_CELL,
    ROUND_CELL,
    SHEET_DASHBOARD,
    SHEET_MANIFEST,
    SHEET_STATUS,
    SUMMARY_CELL,
    TABLE_CELL,
    DashboardView,
    dashboard_view,
    manifest_table,
    perform,
    show,
    status_table,
    summary_table,
)
from kwl_office.xl.dashboard import DASHBOARD_NAME, build_dashboard
from tests.helpers import GOOD, round_rows

NOW = datetime(2026, 11, 28, 14, 5)


# --- a stand-in for xlwings' Sheet and Range ---------------------------------------------------


class StandInRange:
    """``value`` (read the top-left cell; write a scalar or rows from the top-left, an empty
    string leaving the cell empty) and ``clear_contents()``, as xlwings' Range does them."""

    def __init__(self, sheet: Worksheet, address: str) -> None:
        self.sheet, self.address = sheet, address

    @property
    def value(self) -> Any:
        row, col = coordinate_to_tuple(self.address.split(":")[0])
        return self.sheet.cell(row, col).value

    @value.setter
    def value(self, value: Any) -> None:
        row, col = coordinate_to_tuple(self.address.split(":")[0])
        rows = value if isinstance(value, list) else [[value]]
        for r, values in enumerate(rows):
            for c, item in enumerate(values):
                self.sheet.cell(row + r, col + c).value = None if item == "" else item

    def clear_contents(self) -> None:
        first_col, first_row, last_col, last_row = range_boundaries(self.address)
        for row in self.sheet.iter_rows(min_row=first_row, max_row=min(last_row,
                                        self.sheet.max_row), min_col=first_col,
                                        max_col=last_col):
            for cell in row:
                if cell.value is not None:
                    cell.value = None


class StandInSheet:
    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet

    def range(self, address: str) -> StandInRange:
        return StandInRange(self.sheet, address)


def table_at(ws: Worksheet, address: str) -> list[list[Any]]:
    """The filled rows of the table whose top-left cell is ``address``."""
    row, col = coordinate_to_tuple(address)
    rows = []
    for values in ws.iter_rows(min_row=row, min_col=col, values_only=True):
        if values[0] is None:
            break
        rows.append([v for v in values if v is not None])
    return rows


# --- plain functions ----------------------------------------------------------------------------


def entry(number: int, variant: Variant, **kw: Any) -> ManifestEntry:
    return ManifestEntry(
        assessment=Assessment(id=f"2026-{number:03d}", host=f"Organisatie {number}",
                              variant=variant, scope=kw.pop("scope", "")),
        organisation=Organisation(name=f"Organisatie {number}"), **kw)


def test_manifest_table_has_a_row_per_assessment() -> None:
    table = manifest_table([
        entry(1, Variant.PEER_REVIEW, reviewers=["A (fictief)", "B (fictief)"],
              deadline=date(2027, 1, 15), scope="Team Oost"),
        entry(2, Variant.AUDIT, ci="CI (fictief)", decision="toekennen"),
        entry(3, Variant.PEER_REVIEW, reviewers=["A (fictief)", "B (fictief)"], shared=True),
    ])
    assert table[0] == list(T.DASH_MANIFEST_HEADERS)
    # variants and dates as people read them, reviewers joined with "en"
    assert table[1] == ["2026-001", "Organisatie 1", T.VARIANT_LABELS[Variant.PEER_REVIEW.value],
                        "Team Oost", "A (fictief) en B (fictief)", "", "15 januari 2027", ""]
    assert table[2][5:] == ["CI (fictief)", "", "toekennen"]
    # a team that shares one workbook (manifest column Werkmap)
    assert table[3][4] == "A (fictief) en B (fictief) (gedeelde werkmap)"
    assert all(len(row) == len(table[0]) for row in table)


def test_status_and_summary_tables() -> None:
    rows = [StatusRow("2026-001", "Org 1", "intercollegiaal", 3, 3, 0, T.STATUS_REPORTED,
                      "registratie", "KSW-2026-0001"),
            StatusRow("2026-002", "Org 2", "audit", 2, 1, 1, "wacht op 1 werkmap")]
    table = status_table(rows)
    assert table[0] == list(T.DASH_STATUS_HEADERS)
    assert table[1] == ["2026-001", "Org 1", T.VARIANT_LABELS["intercollegiaal"], 3, 3, 0,
                        T.STATUS_REPORTED, T.ADVICE_LABELS["registratie"], "KSW-2026-0001"]
    assert dict((k, v) for k, v in summary_table(rows)) == {
        T.DASH_SUMMARY["assessments"]: 2, T.DASH_SUMMARY["expected"]: 5,
        T.DASH_SUMMARY["received"]: 4, T.DASH_SUMMARY["invalid"]: 1,
        T.DASH_SUMMARY["reported"]: 1}
    assert status_table([]) == [list(T.DASH_STATUS_HEADERS)]


def test_perform_refuses_unknown_steps_and_non_rounds_with_a_message(tmp_path: Path) -> None:
    assert "onzin" in perform("onzin", tmp_path) and "uitgeven" in perform("onzin", tmp_path)
    message = perform("uitgeven", tmp_path)  # not a round folder: a message, no exception
    assert message.startswith(T.DASH_FAILED.split("{")[0]) and str(tmp_path) in message


# --- a round driven from the dashboard's functions --------------------------------------------


@pytest.fixture
def round_dir(tmp_path: Path) -> Path:
    root = tmp_path / "ronde"
    assert CliRunner().invoke(main, ["round", "init", str(root), "--name", "Dashronde"]
                              ).exit_code == 0
    folder = RoundFolder(root)  # its register: the user's (in the test's own home folder)
    wb = load_workbook(folder.manifest)
    for offset, row in enumerate(round_rows()[:2], start=1):  # two peer reviews, two peers each
        for col, value in enumerate(row, start=1):
            wb.worksheets[0].cell(HEADER_ROW + offset, col).value = value
    wb.save(folder.manifest)
    return root


def test_the_steps_of_a_round_from_the_dashboard(round_dir: Path) -> None:
    folder = RoundFolder(round_dir)
    assert perform("uitgeven", round_dir) == T.DASH_ISSUED.format(
        created="6 werkmappen", existing=0, errors="0 fouten")
    assert perform("uitgeven", round_dir) == T.DASH_ISSUED.format(
        created="0 werkmappen", existing=6, errors="0 fouten")
    for item in load_index(folder).values():
        fill_like_a_person(round_dir / item.file, folder.inbox / f"{item.label}.xlsx",
                           item.kind, item.label, weights=GOOD)
    assert perform("innemen", round_dir) == T.DASH_COLLECTED.format(
        new=6, unchanged="0 bestanden", rejected=0, invalid=0)
    assert perform("rapporteren", round_dir) == T.DASH_REPORTED.format(
        made=2, skipped=0, failed=0, waiting=0, errors=0)
    assert perform("status", round_dir) == T.DASH_REFRESHED
    view = dashboard_view(round_dir, "klaar", now=NOW)
    assert view.round_name == "Dashronde" and view.updated == "28 november 2026 14:05"
    # reported; the letters wait for the signatory a fresh ronde.yaml does not have yet
    states = [row[6] for row in view.status[1:]]
    assert len(states) == 2 and all(s.startswith(T.STATUS_REPORTED + "; ") for s in states)
    assert all("ondertekenaar.naam" in s for s in states)
    assert [row[0] for row in view.manifest[1:]] == ["2026-001", "2026-002"]
    with folder.lock():  # the command line is busy with this round
        busy = perform("innemen", round_dir)
    assert busy.startswith(T.DASH_FAILED.split("{")[0])


def test_dashboard_file_and_adapter_agree(round_dir: Path) -> None:
    """The builder puts everything where :func:`show` writes it; show() replaces old rows."""
    path = build_dashboard(round_dir, now=NOW)
    assert path == round_dir / DASHBOARD_NAME
    wb = load_workbook(path, keep_vba=True)
    assert wb.sheetnames == [SHEET_DASHBOARD, SHEET_STATUS, SHEET_MANIFEST]
    front = wb[SHEET_DASHBOARD]
    assert front[ROUND_CELL].value == "Dashronde" and front[MESSAGE_CELL].value == T.DASH_BUILT
    built = dashboard_view(round_dir, T.DASH_BUILT, now=NOW)
    assert table_at(wb[SHEET_STATUS], TABLE_CELL) == [
        [v for v in row if v != ""] for row in built.status]
    assert table_at(wb[SHEET_MANIFEST], TABLE_CELL) == [
        [v for v in row if v != ""] for row in built.manifest]
    label_row = front[SUMMARY_CELL].row
    assert [(front.cell(label_row + i, 1).value, front.cell(label_row + i, 3).value)
            for i in range(len(built.summary))] == [tuple(r) for r in built.summary]

    shorter = DashboardView("Dashronde", str(round_dir), "Innemen: 1 nieuw", "nu",
                            summary=built.summary[:2], status=built.status[:2],
                            manifest=built.manifest[:1])
    show(lambda name: StandInSheet(wb[name]), shorter)
    assert front[MESSAGE_CELL].value == "Innemen: 1 nieuw"
    assert table_at(wb[SHEET_STATUS], TABLE_CELL) == [
        [v for v in row if v != ""] for row in built.status[:2]]
    assert table_at(wb[SHEET_MANIFEST], TABLE_CELL) == [list(T.DASH_MANIFEST_HEADERS)]
    assert front.cell(label_row + 2, 1).value is None  # the old summary rows are gone
