"""After a report that failed (a full disk) or was stopped after the register step, the
report's table and ``kwl round status`` say what the register holds: its outcome and number,
and that the letter and certificate were not made. A disk error is said in Dutch, by its kind
and place, and ``fout.txt`` starts with that line. A ``geconsolideerd.xlsx`` kwl wrote itself
is not kept under ``eerder/`` as if a person had changed it."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from xlsxwriter.exceptions import FileCreateError

from kwl_office import texts_nl as T
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.manifest import read_manifest
from kwl_office.batch.report import failed
from kwl_office.batch.status import round_status
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.consolidation.files import EARLIER_DIR, WORKBOOK_NAME
from kwl_office.excel import layout as L
from kwl_office.register import Register
from tests.helpers import dashboard_states, hand_in, make_round, row, status_states

CI = "CI Een (fictief)"
#: the start of the Dutch line for a full disk, up to the place it names
DISK_FULL = T.CLI_OS_ERRORS["ENOSPC"].split("{path}")[0]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def collected(tmp_path: Path, catalogue: Catalogue) -> RoundFolder:
    """Two audits, everything in and valid: each will be a certificate."""
    folder = make_round(tmp_path / "ronde", [row("2026-001", "Welzijn Een (fictief)", "audit",
                                                 ci=CI),
                                             row("2026-002", "Welzijn Twee (fictief)", "audit",
                                                 ci=CI)])
    assert run("round", "issue", str(folder.root)).exit_code == 0
    hand_in(folder, catalogue)
    assert run("round", "collect", str(folder.root)).exit_code == 0
    return folder


def _disk_full(monkeypatch: pytest.MonkeyPatch, folder: Path, names: set[str]) -> None:
    """From now on, moving one of ``names`` into place in ``folder`` fails as on a full disk
    (the rest of the round is written as before): it stands in for the disk."""
    replace: Callable[..., None] = os.replace

    def full(source: str | Path, target: str | Path, **kwargs: object) -> None:
        if Path(target).parent == folder and Path(target).name in names:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        replace(source, target, **kwargs)

    monkeypatch.setattr(os, "replace", full)


def _line(output: str, assessment_id: str) -> str:
    return next(line for line in output.splitlines() if line.startswith(assessment_id))


def _number(folder: RoundFolder, assessment_id: str) -> str:
    with Register(folder.register_path()) as register:
        entry = register.entry(assessment_id)
    assert entry is not None and entry.status.value == "actief"
    return entry.number


def _fail_letters(collected: RoundFolder, monkeypatch: pytest.MonkeyPatch, *,
                  fout: bool) -> Result:
    """``round report`` while the disk is full for the letter and certificate of 2026-002
    (with ``fout``: for its fout.txt as well), with the monkeypatch undone after it."""
    out = collected.assessment_output("2026-002")
    with monkeypatch.context() as patch:
        _disk_full(patch, out.resolve(), {"brief.docx", "certificaat.docx"}
                   | ({"fout.txt"} if fout else set()))
        return run("round", "report", str(collected.root), "--jobs", "1")


def test_a_registered_assessment_whose_documents_failed_is_said_as_registered(
        collected: RoundFolder, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _fail_letters(collected, monkeypatch, fout=True)
    assert report.exit_code == 1, report.output
    number = _number(collected, "2026-002")
    out = collected.assessment_output("2026-002")
    assert not (out / "brief.docx").exists() and not (out / "fout.txt").exists()
    # the table: the outcome and number the register holds, never "–" (no outcome)
    line = _line(report.output, "2026-002")
    assert f" {T.REPORT_FAILED} " in line and " certificaat " in line, report.output
    assert line.rstrip().endswith(number) and "–" not in line, report.output
    assert T.REPORT_REGISTERED_NOT_MADE.format(
        number=number, documents=T.REGISTERED_DOCUMENTS["certificaat"]) in report.output
    # said in Dutch by its kind and place; the disk once more at the end, what to do
    assert f"{DISK_FULL}uitvoer/2026-002" in report.output, report.output
    assert "OSError" not in report.output and "Errno" not in report.output
    assert report.output.count(T.ROUND_DISK_FULL) == 1
    assert report.output.rstrip().endswith(T.ROUND_DISK_FULL)
    # status: not "klaar voor rapportage" with no outcome, but what the register holds
    expected = (T.STATUS_REGISTERED_NOT_MADE.format(
        number=number, documents=T.REGISTERED_DOCUMENTS["certificaat"])
        + f": {T.STATUS_REPORT_AGAIN}")
    assert status_states(collected) == {"2026-001": T.STATUS_REPORTED, "2026-002": expected}
    assert dashboard_states(collected)["2026-002"] == expected
    rows = {r.assessment_id: r for r in round_status(collected)[0]}
    assert (rows["2026-002"].advice, rows["2026-002"].number) == ("certificaat", number)
    status = run("round", "status", str(collected.root))
    assert expected in status.output and T.STATUS_READY not in status.output

    # with space again: made, with the same number, and reported
    again = run("round", "report", str(collected.root), "--jobs", "1")
    assert again.exit_code == 0, again.output
    assert f" {T.REPORT_MADE} " in _line(again.output, "2026-002")
    assert _number(collected, "2026-002") == number
    assert (out / "brief.docx").is_file() and (out / "certificaat.docx").is_file()
    assert status_states(collected) == {"2026-001": T.STATUS_REPORTED,
                                        "2026-002": T.STATUS_REPORTED}


def test_a_failure_after_the_register_step_says_both(
        collected: RoundFolder, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _fail_letters(collected, monkeypatch, fout=False)
    assert report.exit_code == 1, report.output
    number = _number(collected, "2026-002")
    fout = collected.assessment_output("2026-002") / "fout.txt"
    text = fout.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    # a Dutch first line above the traceback: the line the console gave
    assert first.startswith(f"{DISK_FULL}uitvoer/2026-002"), text
    assert first in report.output and "Traceback (most recent call last)" in text
    state = status_states(collected)["2026-002"]
    assert state == "; ".join((
        T.STATUS_FAILED.format(reason=first, file="uitvoer/2026-002/fout.txt"),
        T.STATUS_REGISTERED_NOT_MADE.format(
            number=number, documents=T.REGISTERED_DOCUMENTS["certificaat"])))


def test_a_killed_report_is_said_as_registered(collected: RoundFolder) -> None:
    """As a report killed after the register step leaves it: the entry, no documents, no
    state and no fout.txt."""
    assert run("round", "report", str(collected.root), "--jobs", "1").exit_code == 0
    number = _number(collected, "2026-001")
    out = collected.assessment_output("2026-001")
    for path in out.iterdir():
        if path.is_file():
            path.unlink()
    rows = {r.assessment_id: r for r in round_status(collected)[0]}
    assert rows["2026-001"].state == T.STATUS_REGISTERED_NOT_MADE.format(
        number=number, documents=T.REGISTERED_DOCUMENTS["certificaat"]) + (
        f": {T.STATUS_REPORT_AGAIN}")
    assert (rows["2026-001"].advice, rows["2026-001"].number) == ("certificaat", number)
    assert rows["2026-002"].state == T.STATUS_REPORTED


def test_kwls_own_consolidated_workbook_is_not_kept_as_edited(
        collected: RoundFolder, monkeypatch: pytest.MonkeyPatch) -> None:
    # the failed run wrote geconsolideerd.xlsx, but no state
    assert _fail_letters(collected, monkeypatch, fout=True).exit_code == 1
    out = collected.assessment_output("2026-002")
    assert (out / WORKBOOK_NAME).is_file()
    assert run("round", "report", str(collected.root), "--jobs", "1").exit_code == 0
    assert not (out / EARLIER_DIR).exists()
    # what a person typed is still kept before it is replaced
    workbook = out / WORKBOOK_NAME
    wb = load_workbook(workbook)
    ws = wb[L.SHEET_MATRIX]
    header = L.CONSOLIDATED_HEADER_ROW
    cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    ws.cell(header + 1, cols[L.MATRIX_FINAL.label]).value = "Voldoet"
    ws.cell(header + 1, cols[L.MATRIX_MOTIVATION.label]).value = "Besproken in het overleg."
    wb.save(workbook)
    typed = workbook.read_bytes()
    again = run("round", "report", str(collected.root), "--jobs", "1")
    assert again.exit_code == 0 and f" {T.REPORT_MADE} " in _line(again.output, "2026-002")
    kept = list((out / EARLIER_DIR).iterdir())
    assert len(kept) == 1 and kept[0].read_bytes() == typed


def test_a_wrapped_disk_error_is_said_in_dutch(collected: RoundFolder) -> None:
    entries, _ = read_manifest(collected.manifest)
    try:
        raise FileCreateError(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    except FileCreateError as err:  # as XlsxWriter raises it on a full disk
        result = failed(collected, entries[1], err)
    assert result.message == T.CLI_OS_ERRORS["ENOSPC"].format(path="uitvoer/2026-002")
    assert result.os_error == "ENOSPC"
    assert status_states(collected)["2026-002"] == T.STATUS_FAILED.format(
        reason=result.message, file="uitvoer/2026-002/fout.txt")
