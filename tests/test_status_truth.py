"""``kwl round status``, the dashboard and the ``round report`` table say where an assessment
really stands: a reported assessment with a newer workbook in, or whose last report failed,
is not simply "gerapporteerd"; a withdrawn entry is said in the report's table too; a long
organisation name does not push the columns after it out of line."""

from __future__ import annotations

import traceback
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kwl_office import texts_nl as T
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.issue import load_index
from kwl_office.batch.manifest import read_manifest
from kwl_office.batch.report import failed
from kwl_office.batch.status import round_status
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.errors import RoundError
from kwl_office.register import Register
from tests.helpers import (
    count_register_queries,
    dashboard_states,
    fill,
    hand_in,
    make_round,
    row,
    status_states,
)

HOST = "Welzijn Twee (fictief)"
CI = "CI Een (fictief)"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _send_again(folder: RoundFolder, catalogue: Catalogue, part: str, rating: str,
                name: str, comment: str | None = None) -> None:
    """A corrected version of the issued workbook whose label holds ``part``, in the inbox
    under another name (as a later mail's attachment): ``rating`` everywhere, and
    ``comment`` with every norm."""
    item = next(w for w in load_index(folder).values() if part in w.label)
    answer: dict[str, Any] = {"rating": rating}
    if comment:
        answer["comment_review"] = comment
    fill(folder.root / item.file, {n.id: answer for n in catalogue.norms()},
         out=folder.inbox / name)


@pytest.fixture
def audit(tmp_path: Path, catalogue: Catalogue) -> RoundFolder:
    """An audit reported as a certificate."""
    folder = make_round(tmp_path / "ronde", [row("2026-001", HOST, "audit", ci=CI)])
    assert run("round", "issue", str(folder.root)).exit_code == 0
    hand_in(folder, catalogue)
    assert run("round", "collect", str(folder.root)).exit_code == 0
    assert run("round", "report", str(folder.root)).exit_code == 0
    return folder


def test_a_new_version_after_the_report_is_said_until_it_is_reported(
        audit: RoundFolder, catalogue: Catalogue) -> None:
    # collected and reported in the same second (round run on a small round): reported
    assert status_states(audit) == {"2026-001": T.STATUS_REPORTED}
    _send_again(audit, catalogue, "audit", "V", "audit verbeterd.xlsx",
                comment="Na het gesprek aangevuld.")
    assert run("round", "collect", str(audit.root)).exit_code == 0
    new = T.STATUS_REPORTED_BUT.format(reason=T.STATUS_NEW_VERSION)
    assert status_states(audit) == {"2026-001": new}
    assert dashboard_states(audit) == {"2026-001": new}  # the same truth
    status = run("round", "status", str(audit.root))
    assert status.exit_code == 0 and new in status.output
    # status and report agree: what status calls new, the report makes again
    report = run("round", "report", str(audit.root))
    assert f" {T.REPORT_MADE} " in report.output, report.output
    assert status_states(audit) == {"2026-001": T.STATUS_REPORTED}
    again = run("round", "report", str(audit.root))
    assert f" {T.REPORT_SKIPPED} " in again.output, again.output
    assert status_states(audit) == {"2026-001": T.STATUS_REPORTED}


def test_a_failed_report_after_a_certificate_is_said(audit: RoundFolder,
                                                     catalogue: Catalogue) -> None:
    number = round_status(audit)[0][0].number
    assert number.startswith("KSW-") and number in run("round", "status", str(audit.root)).output
    # the corrected audit leads to herbeoordeling: the report refuses while the
    # certificate stands in the register
    _send_again(audit, catalogue, "audit", "N", "audit gecorrigeerd.xlsx")
    assert run("round", "collect", str(audit.root)).exit_code == 0
    report = run("round", "report", str(audit.root))
    assert report.exit_code == 1 and f" {T.REPORT_FAILED} " in report.output
    reason = T.REPORT_REGISTERED_BUT.format(number=number, kind="certificaat",
                                            outcome=T.ADVICE_LABELS["herbeoordeling"].lower())
    assert reason in report.output  # the console's reason, which status repeats
    failure = T.STATUS_FAILED.format(reason=reason, file="uitvoer/2026-001/fout.txt")
    assert (audit.root / "uitvoer" / "2026-001" / "fout.txt").is_file()
    assert status_states(audit) == {"2026-001": failure}
    assert dashboard_states(audit) == {"2026-001": failure}
    # the certificate still stands in the register: that outcome is still shown
    rows = round_status(audit)[0]
    assert (rows[0].advice, rows[0].number) == ("certificaat", number)
    assert failure in run("round", "status", str(audit.root)).output
    # a version that came in after the failure may well succeed: new input, not the failure
    _send_again(audit, catalogue, "audit", "D", "audit opnieuw.xlsx")
    assert run("round", "collect", str(audit.root)).exit_code == 0
    assert status_states(audit) == {
        "2026-001": T.STATUS_REPORTED_BUT.format(reason=T.STATUS_NEW_VERSION)}


def test_a_failed_first_report_is_not_ready_for_reporting(tmp_path: Path,
                                                          catalogue: Catalogue) -> None:
    folder = make_round(tmp_path / "ronde", [row("2026-001", HOST, "zelfevaluatie")])
    assert run("round", "issue", str(folder.root)).exit_code == 0
    hand_in(folder, catalogue)
    assert run("round", "collect", str(folder.root)).exit_code == 0
    assert status_states(folder) == {"2026-001": T.STATUS_READY}
    entries, _ = read_manifest(folder.manifest)
    # how report_round records a failure (a chained error, as from a deeper one)
    try:
        try:
            raise OSError("schijf vol")
        except OSError as err:
            raise RoundError("het register kon niet worden bijgewerkt") from err
    except RoundError as err:
        result = failed(folder, entries[0], err)
    assert "Traceback" in (folder.output / "2026-001" / "fout.txt").read_text(encoding="utf-8")
    expected = T.STATUS_FAILED.format(reason=result.message,
                                      file="uitvoer/2026-001/fout.txt")
    assert status_states(folder) == {"2026-001": expected}
    # not one of our own errors: said with its kind, as the console does
    result = failed(folder, entries[0], _raised(ValueError("kapot")))
    assert result.message == "ValueError: kapot"
    assert status_states(folder) == {"2026-001": T.STATUS_FAILED.format(
        reason="ValueError: kapot", file="uitvoer/2026-001/fout.txt")}
    # a report that succeeds removes the failure: reported
    assert run("round", "report", str(folder.root)).exit_code == 0
    assert status_states(folder) == {"2026-001": T.STATUS_REPORTED}


def _raised(err: Exception) -> Exception:
    try:
        raise err
    except Exception as raised:  # noqa: BLE001 - to give it a traceback
        assert traceback.format_exception(raised)
        return raised


def test_the_report_table_says_a_withdrawn_entry(audit: RoundFolder,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    with Register(audit.register_path()) as register:
        entry = register.entry("2026-001")
        assert entry is not None
        register.withdraw(entry.number, on=date.today())
    withdrawn = T.STATUS_ENTRY["ingetrokken"].format(number=entry.number,
                                                     on=T.format_date(date.today()))
    queries = count_register_queries(monkeypatch)
    report = run("round", "report", str(audit.root))
    assert report.exit_code == 0, report.output
    line = next(line for line in report.output.splitlines() if line.startswith("2026-001"))
    assert f" {T.REPORT_SKIPPED} " in line and line.endswith(withdrawn), report.output
    assert len(queries) == 1  # one register query for the whole table
    # as round status says it
    assert withdrawn in run("round", "status", str(audit.root)).output


def test_a_long_name_keeps_the_columns_in_line(tmp_path: Path) -> None:
    name = ("Stichting voor Maatschappelijke Dienstverlening, Welzijn en Wijkgericht Werken in "
            "de Regio Midden-Holland (fictief)")
    folder = make_round(tmp_path / "ronde", [row("2026-001", name, "zelfevaluatie"),
                                             row("2026-002", "Kort (fictief)", "zelfevaluatie")])
    assert run("round", "issue", str(folder.root)).exit_code == 0
    for args, column, value in ((("round", "status"), "Variant", "zelfevaluatie"),
                                (("round", "report"), "Status", T.REPORT_WAITING)):
        output = run(*args, str(folder.root)).output
        lines = output.splitlines()
        header = next(n for n, line in enumerate(lines) if line.startswith("Toetsing"))
        start = lines[header].index(column)
        rows = {line[:8]: line for line in lines[header + 1:header + 3]}
        # the column after the name starts where its header does, in every row
        assert all(line[start:].startswith(value) for line in rows.values()), output
        # the long name is cut where its column ends, with "…" to say so
        shown = rows["2026-001"][len("Toetsing "):start].strip()
        assert shown.endswith("…") and name.startswith(shown[:-1]), output
        assert rows["2026-002"][len("Toetsing "):start].strip() == "Kort (fictief)"
