"""``kwl round status`` says a report is out of date whenever ``kwl round report`` would make
it again for what status can know: not only a new workbook in, but also the consensus
meeting's Eindoordelen in ``geconsolideerd.xlsx``, a changed manifest row and changed letter
settings in ``ronde.yaml``; the dashboard says the same. A state file of an older kwl (without
what status compares) keeps the old, time-based behaviour until the report writes it again."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office.batch.folder import RoundFolder, config_text
from kwl_office.batch.issue import load_index
from kwl_office.batch.manifest import COLUMNS, HEADER_ROW
from kwl_office.batch.report import STATE_NAME
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.excel import layout as L
from tests.helpers import dashboard_states, fill_all, hand_in, make_round, row, status_states

HOST = "Wijkkracht Oost (fictief)"
REVIEWERS = "Welzijn Noord (fictief); Buurtwerk Zuid (fictief)"
#: what a state file written before status could compare the inputs held
OLD_STATE_KEYS = {"inputs", "written_consolidated", "documents", "advice", "decision",
                  "number", "findings", "waiting", "finished_at"}


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _changed(*parts: str) -> str:
    """What status says of a reported assessment whose ``parts`` (STATUS_CHANGED_PARTS keys,
    or "workbook") changed since."""
    what = [T.STATUS_CHANGED_WORKBOOK if part == "workbook" else T.STATUS_CHANGED_PARTS[part]
            for part in parts]
    return T.STATUS_REPORTED_BUT.format(
        reason=T.STATUS_CHANGED.format(what=dutch.join(what)))


def _report(folder: RoundFolder) -> str:
    """``kwl round report``'s word for the one assessment (gemaakt, ongewijzigd, …)."""
    result = run("round", "report", str(folder.root))
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.startswith("2026-001"))
    return next(word for word in (T.REPORT_MADE, T.REPORT_SKIPPED, T.REPORT_FAILED)
                if f" {word} " in line)


def _set_manifest(folder: RoundFolder, values: dict[str, Any]) -> None:
    wb = load_workbook(folder.manifest)
    for key, value in values.items():
        column = get_column_letter(list(COLUMNS).index(key) + 1)
        wb.worksheets[0][f"{column}{HEADER_ROW + 1}"] = value
    wb.save(folder.manifest)


def _fill_final_rating(folder: RoundFolder, rating: str, motivation: str) -> None:
    """The consensus meeting's Eindoordeel and Motivering of the first norm, typed into the
    assessment's ``geconsolideerd.xlsx``."""
    workbook = folder.assessment_output("2026-001") / "geconsolideerd.xlsx"
    wb = load_workbook(workbook)
    ws = wb[L.SHEET_MATRIX]
    header = L.CONSOLIDATED_HEADER_ROW
    cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    ws.cell(header + 1, cols[L.MATRIX_FINAL.label]).value = rating
    ws.cell(header + 1, cols[L.MATRIX_MOTIVATION.label]).value = motivation
    wb.save(workbook)


def _state_file(folder: RoundFolder) -> Path:
    return folder.assessment_output("2026-001") / STATE_NAME


@pytest.fixture
def reported(tmp_path: Path, catalogue: Catalogue) -> RoundFolder:
    """A peer review, reported (an advice for registration, its letter and documents)."""
    folder = make_round(tmp_path / "ronde", [row("2026-001", HOST, "intercollegiaal",
                                                 REVIEWERS)])
    assert run("round", "issue", str(folder.root)).exit_code == 0
    hand_in(folder, catalogue)
    assert run("round", "collect", str(folder.root)).exit_code == 0
    assert _report(folder) == T.REPORT_MADE
    assert status_states(folder) == {"2026-001": T.STATUS_REPORTED}
    return folder


def test_a_final_rating_filled_in_after_the_report_is_said_until_it_is_reported(
        reported: RoundFolder) -> None:
    _fill_final_rating(reported, "Voldoet", "Besproken in het consensusoverleg.")
    state = _state_file(reported).read_bytes()
    changed = _changed("overrides")
    assert status_states(reported) == {"2026-001": changed}
    assert dashboard_states(reported) == {"2026-001": changed}  # the same truth
    status = run("round", "status", str(reported.root))
    assert status.exit_code == 0 and changed in status.output
    assert _state_file(reported).read_bytes() == state  # status only reads
    # what status calls changed, the report makes again; then it is current
    assert _report(reported) == T.REPORT_MADE
    assert status_states(reported) == {"2026-001": T.STATUS_REPORTED}
    assert _report(reported) == T.REPORT_SKIPPED
    assert status_states(reported) == {"2026-001": T.STATUS_REPORTED}


@pytest.mark.parametrize("values", [
    {"address": "Dorpsstraat 1; 1234 AB Ergens"},
    {"decision": "toekennen", "decision_date": date.today()},
], ids=["adres", "besluit"])
def test_a_changed_manifest_row_is_said_until_it_is_reported(
        reported: RoundFolder, values: dict[str, Any]) -> None:
    _set_manifest(reported, values)
    changed = _changed("manifest")
    assert status_states(reported) == {"2026-001": changed}
    assert dashboard_states(reported) == {"2026-001": changed}
    assert _report(reported) == T.REPORT_MADE
    assert status_states(reported) == {"2026-001": T.STATUS_REPORTED}


def test_changed_letter_settings_and_more_at_once_are_all_said(
        reported: RoundFolder, catalogue: Catalogue) -> None:
    config = reported.config()
    config.ondertekenaar.naam = "J. de Boer (fictief)"
    reported.config_path.write_text(config_text(config), encoding="utf-8")
    assert status_states(reported) == {"2026-001": _changed("letters")}
    # a corrected workbook and the manifest too: each said, the workbook as before
    _set_manifest(reported, {"contact": "mevrouw A. Jansen"})
    item = next(w for w in load_index(reported).values() if "Noord" in w.label)
    fill_all(reported.root / item.file, catalogue, rating="D",
             out=reported.inbox / "noord verbeterd.xlsx")
    assert run("round", "collect", str(reported.root)).exit_code == 0
    assert status_states(reported) == {"2026-001": _changed("workbook", "manifest", "letters")}
    assert _report(reported) == T.REPORT_MADE
    assert status_states(reported) == {"2026-001": T.STATUS_REPORTED}
    # a new workbook alone is said as it always was
    fill_all(reported.root / item.file, catalogue, rating="V",
             out=reported.inbox / "noord opnieuw.xlsx")
    assert run("round", "collect", str(reported.root)).exit_code == 0
    assert status_states(reported) == {
        "2026-001": T.STATUS_REPORTED_BUT.format(reason=T.STATUS_NEW_VERSION)}


def test_nothing_the_documents_hold_changed_is_reported(reported: RoundFolder) -> None:
    # the Inleverdatum is in no document: the report does not make them again, and status
    # agrees that the report is current
    _set_manifest(reported, {"deadline": date(2027, 1, 15)})
    assert status_states(reported) == {"2026-001": T.STATUS_REPORTED}
    assert _report(reported) == T.REPORT_SKIPPED
    assert status_states(reported) == {"2026-001": T.STATUS_REPORTED}
    assert dashboard_states(reported) == {"2026-001": T.STATUS_REPORTED}


def _make_old(folder: RoundFolder) -> None:
    """The state file as an older kwl wrote it."""
    path = _state_file(folder)
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({k: v for k, v in data.items() if k in OLD_STATE_KEYS}),
                    encoding="utf-8")


def test_an_old_state_file_keeps_the_old_behaviour(reported: RoundFolder,
                                                   catalogue: Catalogue) -> None:
    _make_old(reported)
    # what only the new state holds is not known: as before, a changed manifest row is not
    # seen, a workbook taken in after the report is
    _set_manifest(reported, {"address": "Dorpsstraat 1; 1234 AB Ergens"})
    assert status_states(reported) == {"2026-001": T.STATUS_REPORTED}
    item = next(w for w in load_index(reported).values() if "Zuid" in w.label)
    fill_all(reported.root / item.file, catalogue, rating="D",
             out=reported.inbox / "zuid verbeterd.xlsx")
    assert run("round", "collect", str(reported.root)).exit_code == 0
    new = T.STATUS_REPORTED_BUT.format(reason=T.STATUS_NEW_VERSION)
    assert status_states(reported) == {"2026-001": new}
    assert dashboard_states(reported) == {"2026-001": new}
    # the report makes it again and writes the new state: from then on status is exact
    assert _report(reported) == T.REPORT_MADE
    _fill_final_rating(reported, "Voldoet", "Besproken.")
    assert status_states(reported) == {"2026-001": _changed("overrides")}


def test_an_unchanged_report_completes_an_old_state_file(reported: RoundFolder) -> None:
    _make_old(reported)
    assert status_states(reported) == {"2026-001": T.STATUS_REPORTED}
    # nothing changed: the report makes nothing, but keeps what status compares from now on
    assert _report(reported) == T.REPORT_SKIPPED
    _set_manifest(reported, {"address": "Dorpsstraat 1; 1234 AB Ergens"})
    assert status_states(reported) == {"2026-001": _changed("manifest")}
    assert _report(reported) == T.REPORT_MADE


def _resave(folder: RoundFolder) -> None:
    """``geconsolideerd.xlsx`` opened and saved again without a change (as Excel offers for
    a file a library wrote): other bytes, the same cells."""
    workbook = folder.assessment_output("2026-001") / "geconsolideerd.xlsx"
    before = workbook.read_bytes()
    load_workbook(workbook).save(workbook)
    assert workbook.read_bytes() != before


def test_a_consolidated_workbook_saved_again_unchanged_is_no_change(
        reported: RoundFolder) -> None:
    _resave(reported)
    assert status_states(reported) == {"2026-001": T.STATUS_REPORTED}
    assert dashboard_states(reported) == {"2026-001": T.STATUS_REPORTED}
    assert _report(reported) == T.REPORT_SKIPPED
    # an Eindoordeel typed in after all is a change, said and reported as one
    _fill_final_rating(reported, "Voldoet", "Besproken in het consensusoverleg.")
    assert status_states(reported) == {"2026-001": _changed("overrides")}
    assert _report(reported) == T.REPORT_MADE
    assert status_states(reported) == {"2026-001": T.STATUS_REPORTED}
    # the file the report wrote, with the Eindoordeel in it, saved again unchanged
    _resave(reported)
    assert status_states(reported) == {"2026-001": T.STATUS_REPORTED}
    assert _report(reported) == T.REPORT_SKIPPED
    # an Eindoordeel changed is said and made again
    _fill_final_rating(reported, "Voldoet niet", "Toch anders besproken.")
    assert status_states(reported) == {"2026-001": _changed("overrides")}
    assert _report(reported) == T.REPORT_MADE
    assert status_states(reported) == {"2026-001": T.STATUS_REPORTED}


def test_a_damaged_consolidated_workbook_is_a_change_the_report_fails_on(
        reported: RoundFolder) -> None:
    workbook = reported.assessment_output("2026-001") / "geconsolideerd.xlsx"
    workbook.write_bytes(b"geen werkmap")
    assert status_states(reported) == {"2026-001": _changed("overrides")}
    result = run("round", "report", str(reported.root))
    assert result.exit_code == 1 and f" {T.REPORT_FAILED} " in result.output
    assert "geconsolideerd.xlsx" in result.output
