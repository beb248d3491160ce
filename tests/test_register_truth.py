"""Re-reporting never re-dates or revives a registration, and the register names the
organisation as the entry's own documents do.

A round reported without a Besluitdatum is granted on the day of reporting; reporting it again
a year later (a corrected contact person) must not move that day, nor renew an entry that has
expired since. A new entry shows the organisation's name as its own certificate spells it, not
the spelling of an earlier round; a withdrawn entry shows no validity anywhere.
"""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from kwl_office import texts_nl as T
from kwl_office.assessment import Organisation, Variant
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.manifest import COLUMNS, HEADER_ROW
from kwl_office.catalogue import load_example_catalogue
from kwl_office.cli import main
from kwl_office.consolidation.model import Advice
from kwl_office.documents.text import document_lines
from kwl_office.register import SCHEMA_VERSION, Entry, Register, Status, valid_until
from tests.helpers import ISSUE_DAY, hand_in, make_round, row

HOST = "Welzijn De Linde (fictief)"
#: the first report (no Besluitdatum: granted on this day), a year later, after expiry
FIRST = datetime(2026, 11, 20, 10, tzinfo=UTC)
LATER = datetime(2027, 11, 30, 10, tzinfo=UTC)
EXPIRED = datetime(2029, 12, 15, 10, tzinfo=UTC)
GRANTED = FIRST.date()
UNTIL = valid_until(GRANTED, 3)  # 19 November 2029


def at(moment: datetime, *args: str) -> Result:
    """``kwl ARGS`` as if it were ``moment``."""
    with time_machine.travel(moment, tick=False):
        return CliRunner().invoke(main, list(args))


def set_cell(folder: RoundFolder, key: str, value: Any, offset: int = 1) -> None:
    wb = load_workbook(folder.manifest)
    wb.worksheets[0].cell(HEADER_ROW + offset, list(COLUMNS).index(key) + 1).value = value
    wb.save(folder.manifest)


def entry_of(folder: RoundFolder, assessment_id: str, today: date) -> Entry:
    with Register(folder.register_path()) as register:
        found = register.entry(assessment_id, today=today)
    assert found is not None
    return found


def text_of(path: Path) -> str:
    return "\n".join(document_lines(path))


def reported_round(root: Path, assessment_id: str, host: str, issued: datetime,
                   reported: datetime, register: str = "kwaliteitsregister.sqlite",
                   name: str = "Ronde") -> RoundFolder:
    """An audit by one CI, issued on ``issued``, handed in and reported on ``reported``
    (without a Besluitdatum: granted on the day of reporting)."""
    folder = make_round(root, [row(assessment_id, host, "audit", ci="CI Noord (fictief)")],
                        register=register, name=name)
    assert at(issued, "round", "issue", str(folder.root)).exit_code == 0
    hand_in(folder, load_example_catalogue())
    result = at(reported, "round", "run", str(folder.root), "--jobs", "1")
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def reported_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ronde") / "ronde"
    return reported_round(root, "2026-001", HOST, ISSUE_DAY, FIRST).root


@pytest.fixture
def reported(reported_once: Path, tmp_path: Path) -> RoundFolder:
    root = tmp_path / "ronde"
    shutil.copytree(reported_once, root)
    return RoundFolder(root)


# --- F1: reporting again keeps the date of award -----------------------------------------------


def test_reporting_again_later_keeps_the_date_of_award(reported: RoundFolder) -> None:
    first = entry_of(reported, "2026-001", GRANTED)
    assert (first.number, first.granted_on, first.valid_until) == (
        "KSW-2026-0001", GRANTED, UNTIL)
    # a year later the contact person is corrected: status asks to report again
    set_cell(reported, "contact", "Mw. L. Linde")
    result = at(LATER, "round", "report", str(reported.root), "--jobs", "1")
    assert result.exit_code == 0, result.output
    again = entry_of(reported, "2026-001", LATER.date())
    assert (again.number, again.granted_on, again.valid_until, again.status) == (
        first.number, GRANTED, UNTIL, Status.ACTIVE)
    assert again.organisation.contact == "Mw. L. Linde"
    out = reported.assessment_output("2026-001")
    redated = T.format_date(valid_until(LATER.date(), 3))
    for name in ("brief.docx", "certificaat.docx"):
        text = text_of(out / name)
        assert T.format_date(UNTIL) in text and redated not in text, name
    assert T.format_date(GRANTED) in text_of(out / "certificaat.docx")
    listing = at(LATER, "register", "list", "--round", str(reported.root)).output
    assert f"t/m {UNTIL.isoformat()}" in listing
    # a Besluitdatum, here a corrected one, is the committee's own day: the entry takes it
    decided = date(2026, 11, 18)
    set_cell(reported, "decision_date", decided)
    result = at(LATER, "round", "report", str(reported.root), "--jobs", "1")
    assert result.exit_code == 0, result.output
    corrected = entry_of(reported, "2026-001", LATER.date())
    assert (corrected.number, corrected.granted_on, corrected.valid_until) == (
        first.number, decided, valid_until(decided, 3))
    assert T.format_date(valid_until(decided, 3)) in text_of(out / "brief.docx")


def test_register_add_again_keeps_the_date_of_award(reported: RoundFolder) -> None:
    out = reported.assessment_output("2026-001")
    result = at(LATER, "register", "add", str(out), "--round", str(reported.root))
    assert result.exit_code == 0, result.output
    entry = entry_of(reported, "2026-001", LATER.date())
    assert (entry.granted_on, entry.valid_until) == (GRANTED, UNTIL)
    assert T.format_date(UNTIL) in result.output


# --- F1b: an expired entry is never renewed ----------------------------------------------------


def test_an_expired_entry_is_never_renewed(reported: RoundFolder) -> None:
    out = reported.assessment_output("2026-001")
    sent = {name: (out / name).read_bytes() for name in ("brief.docx", "certificaat.docx")}
    assert entry_of(reported, "2026-001", EXPIRED.date()).status is Status.EXPIRED
    set_cell(reported, "address", "Lindelaan 200; 6811 BB Arnhem")
    result = at(EXPIRED, "round", "report", str(reported.root), "--jobs", "1")
    assert result.exit_code == 0, result.output
    entry = entry_of(reported, "2026-001", EXPIRED.date())
    assert (entry.status, entry.granted_on, entry.valid_until) == (
        Status.EXPIRED, GRANTED, UNTIL)
    # what was sent stays as it was; the report itself is made again
    assert {name: (out / name).read_bytes() for name in sent} == sent
    line = next(x for x in result.output.splitlines() if "KSW-2026-0001" in x)
    assert T.format_date(UNTIL) in line
    status = at(EXPIRED, "round", "status", str(reported.root)).output
    assert f"KSW-2026-0001 (verlopen: geldig tot en met {T.format_date(UNTIL)})" in status
    # reported again, unchanged: still said
    result = at(EXPIRED, "round", "report", str(reported.root), "--jobs", "1")
    assert T.format_date(UNTIL) in next(x for x in result.output.splitlines()
                                        if "KSW-2026-0001" in x)
    # nor by kwl register add
    result = at(EXPIRED, "register", "add", str(out), "--round", str(reported.root))
    assert result.exit_code == 0, result.output
    assert T.format_date(UNTIL) in result.output and "2032" not in result.output
    entry = entry_of(reported, "2026-001", EXPIRED.date())
    assert (entry.status, entry.granted_on, entry.valid_until) == (
        Status.EXPIRED, GRANTED, UNTIL)
    csv_path = reported.root / "register.csv"
    assert at(EXPIRED, "register", "export", str(csv_path), "--round",
              str(reported.root)).exit_code == 0
    assert "2032" not in csv_path.read_text(encoding="utf-8-sig")


# --- F2: the register names the organisation as its documents do -------------------------------


def test_a_new_entry_names_the_organisation_as_its_certificate_does(tmp_path: Path) -> None:
    first = reported_round(tmp_path / "ronde-1", "2026-001", HOST, ISSUE_DAY, FIRST,
                           register="../register.sqlite", name="Ronde 1")
    spelled = "Welzijn de Linde (fictief)"  # other capitals: the same organisation
    second = reported_round(tmp_path / "ronde-2", "2027-001", spelled,
                            datetime(2027, 11, 1, 9, tzinfo=UTC), LATER,
                            register="../register.sqlite", name="Ronde 2")
    with Register(first.register_path()) as register:
        names = {e.number: e.organisation.name for e in register.entries()}
        organisations = register.backend.query("SELECT COUNT(*) FROM organisations")
    assert names == {"KSW-2026-0001": HOST, "KSW-2027-0001": spelled}
    assert organisations == [(1,)]  # still one organisation
    out = second.assessment_output("2027-001")
    assert spelled in text_of(out / "certificaat.docx")
    # recognised as the same organisation: its report compares with the previous one
    assert "Sinds de vorige keer" in text_of(out / "auditrapport.docx")
    csv_path = tmp_path / "register.csv"
    assert at(LATER, "register", "export", str(csv_path), "--round",
              str(second.root)).exit_code == 0
    rows = {r[1]: r[0] for r in csv.reader(
        io.StringIO(csv_path.read_text(encoding="utf-8-sig")), delimiter=";")}
    assert (rows["KSW-2026-0001"], rows["KSW-2027-0001"]) == (HOST, spelled)
    shown = at(LATER, "register", "show", "KSW-2027-0001", "--round", str(second.root))
    assert spelled in shown.output and HOST not in shown.output
    added = at(LATER, "register", "add", str(out), "--round", str(second.root))
    assert added.exit_code == 0, added.output
    assert f"voor {spelled}," in added.output


# --- the register itself -----------------------------------------------------------------------


def record(register: Register, assessment_id: str, name: str = HOST, *,
           granted_on: date = GRANTED, kind: Advice = Advice.CERTIFICATE, years: int = 3,
           decided: bool = False, today: date | None = None) -> Entry:
    # only what is asked is passed on (what the register did before needs no new keyword)
    extra: dict[str, Any] = {"decided": True} if decided else {}
    return register.record(
        assessment_id=assessment_id, organisation=Organisation(name=name),
        variant=Variant.AUDIT, scope="", kind=kind, granted_on=granted_on,
        valid_until=valid_until(granted_on, years), **extra,
        **({"today": today} if today else {}))


def test_recording_again_keeps_the_dates_unless_decided(tmp_path: Path) -> None:
    with Register(tmp_path / "register.sqlite") as register:
        first = record(register, "2026-001")
        later = LATER.date()
        again = record(register, "2026-001", granted_on=later, today=later)
        assert (again.number, again.granted_on, again.valid_until) == (
            first.number, GRANTED, UNTIL)
        # another kind (a corrected variant) counts its own validity from the same day
        other = record(register, "2026-001", granted_on=later, kind=Advice.REGISTRATION,
                       years=5, today=later)
        assert (other.kind, other.granted_on, other.valid_until) == (
            Advice.REGISTRATION, GRANTED, valid_until(GRANTED, 5))
        decided = record(register, "2026-001", granted_on=date(2026, 11, 25), decided=True,
                         today=later)
        assert (decided.number, decided.granted_on) == (first.number, date(2026, 11, 25))
        # expired: never renewed, not even by a decision
        expired = EXPIRED.date()
        kept = record(register, "2026-001", granted_on=expired, decided=True, today=expired)
        assert (kept.status, kept.granted_on) == (Status.EXPIRED, date(2026, 11, 25))
        # withdrawn: never renewed either
        record(register, "2026-002")
        register.withdraw("KSW-2026-0002", on=date(2026, 12, 1), today=date(2026, 12, 1))
        withdrawn = record(register, "2026-002", granted_on=later, decided=True, today=later)
        assert (withdrawn.status, withdrawn.granted_on) == (Status.WITHDRAWN, GRANTED)


def test_each_entry_keeps_its_own_spelling(tmp_path: Path) -> None:
    with Register(tmp_path / "register.sqlite") as register:
        record(register, "2026-001", "Welzijn De Linde (fictief)")
        new = record(register, "2027-001", "Welzijn de  Linde (fictief)",
                     granted_on=LATER.date())
        assert new.organisation.name == "Welzijn de Linde (fictief)"
        old = register.entry("2026-001", today=LATER.date())
        assert old is not None and old.organisation.name == "Welzijn De Linde (fictief)"


def test_a_register_of_version_3_gets_the_names_of_its_organisations(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    with Register(path) as register:
        record(register, "2026-001")
        record(register, "2026-002", "Buurtkracht (fictief)")
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE entries DROP COLUMN name")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    with Register(path) as register:
        assert [e.organisation.name for e in register.entries(today=GRANTED)] == [
            HOST, "Buurtkracht (fictief)"]
        assert register.backend.query("SELECT name FROM entries ORDER BY seq") == [
            (HOST,), ("Buurtkracht (fictief)",)]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    conn.close()


def test_a_postgres_register_of_version_3_is_migrated(postgres_url: str) -> None:
    import psycopg

    with Register(postgres_url) as register:
        record(register, "2026-001")
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("ALTER TABLE entries DROP COLUMN name")
        conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    with Register(postgres_url) as register:
        assert register.backend.query("SELECT name FROM entries") == [(HOST,)]
        new = record(register, "2026-002", "Welzijn de Linde (fictief)")
        assert new.organisation.name == "Welzijn de Linde (fictief)"
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'"
                            ).fetchall() == [("4",)]


# --- F5: a withdrawn entry shows no validity ---------------------------------------------------


def test_a_withdrawn_entry_shows_no_validity_anywhere(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    with Register(path) as register:
        record(register, "2026-001")
        register.withdraw("KSW-2026-0001", on=date(2026, 11, 25), today=date(2026, 11, 30))
    shown = UNTIL.isoformat(), T.format_date(UNTIL), UNTIL.strftime("%d-%m-%Y")
    result = CliRunner().invoke(main, ["register", "show", "KSW-2026-0001",
                                       "--register", str(path)])
    assert result.exit_code == 0, result.output
    assert T.REGISTER_HEADERS["valid_until"] in result.output
    assert not any(text in result.output for text in shown)
    csv_path, xlsx_path = tmp_path / "register.csv", tmp_path / "register.xlsx"
    for out in (csv_path, xlsx_path):
        result = CliRunner().invoke(main, ["register", "export", str(out),
                                           "--register", str(path)])
        assert result.exit_code == 0, result.output
    header, entry = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig")),
                                    delimiter=";"))
    column = header.index(T.REGISTER_HEADERS["valid_until"])
    assert entry[column] == "" and entry[header.index(T.REGISTER_HEADERS["withdrawn_on"])]
    sheet = load_workbook(xlsx_path).worksheets[0]
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0][column] == T.REGISTER_HEADERS["valid_until"]
    assert values[1][column] is None
    assert values[1][header.index(T.REGISTER_HEADERS["granted_on"])] is not None
