"""The Kwaliteitsregister: numbering, idempotence, status, exports, concurrency and the CLI."""

from __future__ import annotations

import csv
import io
import multiprocessing
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from kwl_office import texts_nl as T
from kwl_office.assessment import Organisation, Variant
from kwl_office.cli.register import register_group
from kwl_office.consolidation.model import Advice
from kwl_office.errors import InvalidArgument, KwlError, RegisterBusy, RegisterError
from kwl_office.register import (
    SCHEMA_VERSION,
    Entry,
    Register,
    Status,
    export_register,
    neutralise_csv_cell,
)

TODAY = date(2026, 6, 1)
HOST = "Stichting Welzijn Oost (fictief)"


def record(reg: Register, assessment_id: str, name: str = HOST, *,
           variant: Variant = Variant.PEER_REVIEW, kind: Advice = Advice.REGISTRATION,
           granted_on: date = date(2026, 3, 1), valid_until: date | None = None,
           scope: str = "", round: str = "2026", decided: bool = False) -> Entry:
    return reg.record(
        assessment_id=assessment_id, organisation=Organisation(name=name), variant=variant,
        scope=scope, kind=kind, granted_on=granted_on,
        valid_until=valid_until or granted_on.replace(year=granted_on.year + 3), round=round,
        decided=decided)


#: every backend the register runs on: each test that takes ``reg`` (or ``location``) runs on
#: both, with the same assertions (PostgreSQL: a fresh database of the test server)
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """A register location that does not exist yet: a file, or an empty database."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return tmp_path / "register.sqlite"


@pytest.fixture
def reg(location: Any) -> Any:
    with Register(location) as opened:
        yield opened


# --- numbering and idempotence ---------------------------------------------------------------


def test_numbers_count_up_per_year(reg: Register) -> None:
    numbers = [record(reg, f"2026-{i:03d}", f"Organisatie {i}").number for i in range(1, 4)]
    assert numbers == ["KSW-2026-0001", "KSW-2026-0002", "KSW-2026-0003"]
    other_year = record(reg, "2027-001", "Organisatie 9", granted_on=date(2027, 1, 5))
    assert other_year.number == "KSW-2027-0001"
    assert record(reg, "2026-004", "Organisatie 4").number == "KSW-2026-0004"


def test_recording_again_keeps_the_number(reg: Register) -> None:
    first = record(reg, "2026-001")
    record(reg, "2026-002", "Andere organisatie (fictief)")
    again = record(reg, " 2026-001 ", "  stichting   welzijn OOST (fictief) ")
    # the same entry, named as its documents made again now spell it
    assert again == first.model_copy(
        update={"organisation": Organisation(name="stichting welzijn OOST (fictief)")})
    assert len(reg.entries(today=TODAY)) == 2


def test_recording_with_other_outcome_updates_but_keeps_the_number(reg: Register) -> None:
    first = record(reg, "2026-001", variant=Variant.AUDIT)
    changed = record(reg, "2026-001", variant=Variant.AUDIT, kind=Advice.CERTIFICATE,
                     granted_on=date(2026, 4, 1), valid_until=date(2030, 4, 1), scope="Team A",
                     decided=True)  # a decision's day: without one the dates would stay
    assert changed.number == first.number
    assert (changed.kind, changed.granted_on, changed.valid_until, changed.scope) == (
        Advice.CERTIFICATE, date(2026, 4, 1), date(2030, 4, 1), "Team A")
    assert changed.created_at == first.created_at
    assert reg.entry(first.number) == changed


def test_an_assessment_belongs_to_one_organisation(reg: Register) -> None:
    record(reg, "2026-001")
    with pytest.raises(InvalidArgument, match="2026-001"):
        record(reg, "2026-001", "Een heel andere organisatie (fictief)")
    # nothing of the refused call was kept
    assert [e.organisation.name for e in reg.entries()] == [HOST]


def test_organisations_are_one_by_normalised_name(reg: Register) -> None:
    record(reg, "2026-001", HOST)
    reg.record(assessment_id="2026-002", organisation=Organisation(
        name=HOST.upper(), contact="J. Jansen", address=("Dorpsstraat 1", "1234 AB Oost")),
        variant=Variant.PEER_REVIEW, scope="", kind=Advice.REGISTRATION,
        granted_on=date(2026, 5, 1), valid_until=date(2029, 5, 1))
    # one organisation row, in the database itself (whichever backend)
    assert reg.backend.query("SELECT name, contact FROM organisations") == [
        (HOST, "J. Jansen")]
    entry = reg.entry("2026-002")
    assert entry is not None
    assert entry.organisation.address == ("Dorpsstraat 1", "1234 AB Oost")


@pytest.mark.parametrize(("variant", "kind"), [
    (Variant.PEER_REVIEW, Advice.CERTIFICATE),
    (Variant.SELF_EVALUATION, Advice.REGISTRATION),
    (Variant.AUDIT, Advice.REASSESSMENT),
    (Variant.AUDIT, Advice.INCOMPLETE),
])
def test_only_registrations_and_certificates_that_fit_the_variant(
        reg: Register, variant: Variant, kind: Advice) -> None:
    with pytest.raises(InvalidArgument):
        record(reg, "2026-001", variant=variant, kind=kind)
    assert reg.entries() == []


def test_valid_until_before_granted_is_refused(reg: Register) -> None:
    with pytest.raises(InvalidArgument):
        record(reg, "2026-001", granted_on=date(2026, 3, 1), valid_until=date(2026, 2, 1))


def test_lookup_by_number_or_assessment(reg: Register) -> None:
    entry = record(reg, "2026-014")
    assert reg.entry("KSW-2026-0001") == entry
    assert reg.entry("ksw-2026-0001") == entry
    assert reg.entry("2026-014") == entry
    assert reg.entry("KSW-2026-0099") is None
    assert reg.entry("2026-999") is None


# --- status, expiry, withdrawal --------------------------------------------------------------


def test_status_is_computed_on_the_day(reg: Register) -> None:
    entry = record(reg, "2026-001", granted_on=date(2026, 1, 1), valid_until=date(2026, 12, 31))
    assert reg.entries(today=date(2026, 12, 31))[0].status is Status.ACTIVE
    assert reg.entries(today=date(2027, 1, 1))[0].status is Status.EXPIRED
    assert reg.entries(status="verlopen", today=date(2027, 1, 1)) == [
        entry.model_copy(update={"status": Status.EXPIRED})]
    assert reg.entries(status="actief", today=date(2027, 1, 1)) == []
    with pytest.raises(InvalidArgument):
        reg.entries(status="geldig")


def test_expiring(reg: Register) -> None:
    record(reg, "2026-001", "Vroeg (fictief)", valid_until=TODAY + timedelta(days=10))
    record(reg, "2026-002", "Later (fictief)", valid_until=TODAY + timedelta(days=200))
    record(reg, "2026-003", "Verlopen (fictief)", granted_on=date(2025, 1, 1),
           valid_until=TODAY - timedelta(days=1))
    record(reg, "2026-004", "Precies (fictief)", valid_until=TODAY + timedelta(days=30))
    withdrawn = record(reg, "2026-005", "Ingetrokken (fictief)",
                       valid_until=TODAY + timedelta(days=5))
    reg.withdraw(withdrawn.number, on=TODAY)
    names = [e.organisation.name for e in reg.expiring(30, today=TODAY)]
    assert names == ["Vroeg (fictief)", "Precies (fictief)"]
    assert reg.expiring(0, today=TODAY) == []
    with pytest.raises(InvalidArgument):
        reg.expiring(-1, today=TODAY)


@pytest.mark.parametrize("days", [(date.max - TODAY).days, 99_999_999, 10**12])
def test_expiring_far_ahead_is_every_active_entry(reg: Register, days: int) -> None:
    # today + days is no date at all: the library counts up to the last day there is
    record(reg, "2026-001", valid_until=TODAY + timedelta(days=10))
    record(reg, "2026-002", valid_until=date(9999, 12, 31))
    assert [e.assessment_id for e in reg.expiring(days, today=TODAY)] == ["2026-001",
                                                                          "2026-002"]


def test_withdraw(reg: Register) -> None:
    entry = record(reg, "2026-001")
    withdrawn = reg.withdraw(entry.number, on=date(2026, 5, 1))
    assert (withdrawn.status, withdrawn.withdrawn_on) == (Status.WITHDRAWN, date(2026, 5, 1))
    # withdrawn wins over expired, and a second withdrawal changes nothing
    assert reg.entries(today=date(2040, 1, 1))[0].status is Status.WITHDRAWN
    assert reg.withdraw(entry.number, on=date(2026, 6, 1)).withdrawn_on == date(2026, 5, 1)
    # recording the assessment again (a re-run of the round) does not bring it back
    assert record(reg, "2026-001").status is Status.WITHDRAWN
    with pytest.raises(InvalidArgument):
        reg.withdraw("KSW-2026-0099", on=TODAY)


def test_withdraw_after_today_is_refused(reg: Register) -> None:
    # withdrawn from tomorrow would show as withdrawn everywhere today, while still valid
    entry = record(reg, "2026-001")
    with pytest.raises(InvalidArgument) as refused:
        reg.withdraw(entry.number, on=TODAY + timedelta(days=1), today=TODAY)
    assert entry.number in str(refused.value)
    assert reg.entry(entry.number, today=TODAY) == entry
    withdrawn = reg.withdraw(entry.number, on=TODAY, today=TODAY)
    assert (withdrawn.status, withdrawn.withdrawn_on) == (Status.WITHDRAWN, TODAY)


def test_withdraw_before_granted_is_refused(reg: Register) -> None:
    entry = record(reg, "2026-001", granted_on=date(2026, 3, 1))
    with pytest.raises(InvalidArgument) as refused:
        reg.withdraw(entry.number, on=date(2026, 2, 1))
    # dates as every other register message shows them: 1 februari 2026, not 2026-02-01
    message = str(refused.value)
    assert "1 februari 2026" in message and "1 maart 2026" in message
    assert "2026-02-01" not in message and "2026-03-01" not in message


# --- the database ----------------------------------------------------------------------------


def test_schema_version_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "register.sqlite"
    with Register(path) as reg:
        record(reg, "2026-001")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    with Register(path) as reopened:  # reopening keeps everything
        assert [e.number for e in reopened.entries()] == ["KSW-2026-0001"]


def test_a_newer_register_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    Register(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(RegisterError, match="nieuwere versie"):
        Register(path)


@pytest.mark.parametrize("content", [b"dit is geen database" * 100, "sqlite-other"])
def test_other_files_are_not_a_register(tmp_path: Path, content: bytes | str) -> None:
    path = tmp_path / "iets.sqlite"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE boodschappen (wat TEXT)")
        conn.close()
    before = path.read_bytes()
    with pytest.raises(RegisterError) as info:
        Register(path)
    assert "\n" not in str(info.value)
    assert path.read_bytes() == before


def test_reading_commands_do_not_create_a_register(tmp_path: Path) -> None:
    path = tmp_path / "typfout.sqlite"
    with pytest.raises(RegisterError):
        Register(path, create=False)
    assert not path.exists()


def test_a_held_write_lock_makes_a_writer_give_up_clearly(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    with Register(path) as reg:
        record(reg, "2026-001")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Register(path, timeout=0.2) as waiting:
            # reading still works while another command writes (WAL)
            assert [e.number for e in waiting.entries()] == ["KSW-2026-0001"]
            with pytest.raises(RegisterBusy) as info:
                record(waiting, "2026-002", "Andere organisatie (fictief)")
            with pytest.raises(RegisterBusy):
                waiting.withdraw("KSW-2026-0001", on=TODAY)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    message = str(info.value)
    assert "\n" not in message
    assert "bezet" in message and str(path) in message
    assert isinstance(info.value, KwlError) and info.value.exit_code == 2
    with Register(path) as reg:
        assert [e.status for e in reg.entries(today=TODAY)] == [Status.ACTIVE]
        assert record(reg, "2026-002", "Andere organisatie (fictief)").number == "KSW-2026-0002"


def _record_many(location: Any, prefix: str, count: int, barrier: Any) -> None:
    barrier.wait()
    with Register(location) as reg:
        for i in range(count):
            record(reg, f"{prefix}-{i:02d}", f"Organisatie {prefix} {i} (fictief)")


@pytest.mark.slow
def test_two_processes_record_at_once(location: Any) -> None:
    # not made yet: both processes race to make the register (file, or tables)
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    workers = [ctx.Process(target=_record_many, args=(location, prefix, 20, barrier))
               for prefix in ("A", "B")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]
    with Register(location) as reg:
        numbers = [e.number for e in reg.entries()]
    assert len(numbers) == len(set(numbers)) == 40
    assert sorted(numbers) == [f"KSW-2026-{i:04d}" for i in range(1, 41)]
    if isinstance(location, Path):
        conn = sqlite3.connect(location)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.close()


# --- exports ---------------------------------------------------------------------------------

HOSTILE = ["=cmd|' /C calc'!A0", "+1", "-2", "@SUM(1)", "  =1+1", "\t-3"]


@pytest.fixture
def filled(reg: Register) -> Register:
    record(reg, "2026-001", "Zuid Welzijn (fictief)", variant=Variant.AUDIT,
           kind=Advice.CERTIFICATE, scope="Team Jeugd; Team Wijk")
    record(reg, "2026-002", "<script>alert('x')</script> & Co (fictief)")
    for i, name in enumerate(HOSTILE, start=3):
        record(reg, f"2026-{i:03d}", name, scope=HOSTILE[-i % len(HOSTILE)])
    old = record(reg, "2025-001", "Anders Welzijn (fictief)", granted_on=date(2022, 5, 1),
                 valid_until=date(2025, 5, 1))
    assert old.number == "KSW-2022-0001"
    return reg


def test_neutralise_csv_cell() -> None:
    assert [neutralise_csv_cell(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert neutralise_csv_cell("Stichting = goed") == "Stichting = goed"
    assert neutralise_csv_cell("a\x00b") == "ab"


def test_csv_export(filled: Register, tmp_path: Path) -> None:
    out = export_register(filled, tmp_path / "register.csv", "csv", today=TODAY)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:8] == ["Organisatie", "Nummer", "Soort", "Toetsingsvariant", "Scope",
                           "Toegekend op", "Geldig tot en met", "Status"]
    assert all(len(row) == len(rows[0]) for row in rows)
    assert len(rows) == 1 + 9
    cells = [cell for row in rows[1:] for cell in row]
    for hostile in HOSTILE:  # names and scopes are stored without surrounding spaces
        assert "'" + hostile.strip() in cells
        assert hostile.strip() not in cells
    assert not any(cell.lstrip(" \t").startswith(("=", "+", "-", "@")) for cell in cells)
    by_number = {row[1]: row for row in rows[1:]}
    assert by_number["KSW-2022-0001"][7] == "Verlopen"
    assert by_number["KSW-2026-0001"][5:7] == ["2026-03-01", "2029-03-01"]


def test_html_export(filled: Register, tmp_path: Path) -> None:
    page = export_register(filled, tmp_path / "register.html", "html",
                           today=TODAY).read_text("utf-8")
    assert "<title>Kwaliteitsregister Sociaal Werk</title>" in page
    assert '<html lang="nl">' in page
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co (fictief)" in page
    assert "http" not in page and "<link" not in page and "src=" not in page
    assert page.count("<tr>") == 1 + 9
    # sorted by organisation, case-insensitively
    assert page.index("Anders Welzijn") < page.index("Zuid Welzijn")
    assert "1 maart 2029" in page and "Verlopen" in page


def test_xlsx_export(filled: Register, tmp_path: Path) -> None:
    out = export_register(filled, tmp_path / "register.xlsx", "xlsx", today=TODAY)
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Organisatie", "Nummer", "Soort")
    assert len(rows) == 1 + 9
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:K10"
    assert sheet["A1"].font.bold
    numbers = {row[1]: row for row in rows[1:]}
    assert numbers["KSW-2026-0001"][0] == "Zuid Welzijn (fictief)"
    assert numbers["KSW-2026-0001"][6].date() == date(2029, 3, 1)
    # hostile names are text, never formulas
    assert all(sheet.cell(row=r, column=1).data_type == "s" for r in range(2, 11))


def test_export_is_atomic_and_keeps_an_existing_file_on_error(filled: Register,
                                                              tmp_path: Path) -> None:
    target = tmp_path / "register.csv"
    target.write_text("oud", encoding="utf-8")
    with pytest.raises(InvalidArgument):
        export_register(filled, target, "pdf", today=TODAY)  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "oud"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_empty_register_exports(reg: Register, tmp_path: Path) -> None:
    page = export_register(reg, tmp_path / "leeg.html", "html", today=TODAY).read_text("utf-8")
    assert T.REGISTER_HTML_EMPTY in page
    sheet = load_workbook(export_register(reg, tmp_path / "leeg.xlsx", "xlsx")).active
    assert sheet.max_row == 1


# --- CLI -------------------------------------------------------------------------------------


@click.group()
def cli() -> None:
    """A stand-in for ``kwl``: only the register group."""


cli.add_command(register_group)


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def _cli_entries(location: Any) -> Any:
    # granted in a fixed year (stable numbers), valid relative to the real today (the CLI's)
    today, granted = date.today(), date(2020, 1, 10)
    with Register(location) as reg:
        record(reg, "2026-001", "Welzijn Noord (fictief)", granted_on=granted,
               valid_until=today + timedelta(days=20))
        record(reg, "2026-002", "Welzijn Zuid (fictief)", variant=Variant.AUDIT,
               kind=Advice.CERTIFICATE, granted_on=granted,
               valid_until=today + timedelta(days=1000))
        record(reg, "2026-003", "Welzijn West (fictief)", granted_on=granted,
               valid_until=today - timedelta(days=5))
    return location


@pytest.fixture
def cli_register(location: Any) -> Any:
    """Three entries, in a register file or (``--register postgresql://…``) a database."""
    return _cli_entries(location)


@pytest.fixture
def cli_register_file(tmp_path: Path) -> Path:
    return Path(_cli_entries(tmp_path / "register.sqlite"))


def test_cli_help_names_the_default_path(tmp_path: Path) -> None:
    result = run("register", "list", "--help", env={"KWL_REGISTER": str(tmp_path / "x")})
    assert result.exit_code == 0
    assert "KWL_REGISTER" in result.output and "kwaliteitsregister.sqlite" in result.output
    assert str(tmp_path) not in result.output
    for command in ("list", "show", "export", "expiring", "withdraw"):
        assert run("register", command, "--help").exit_code == 0


def test_cli_list(cli_register: Any) -> None:
    result = run("register", "list", "--register", str(cli_register))
    assert result.exit_code == 0, result.output
    for name in ("Welzijn Noord", "Welzijn Zuid", "Welzijn West"):
        assert name in result.output
    expired = run("register", "list", "--status", "verlopen", "--register", str(cli_register))
    assert expired.exit_code == 0
    assert "Welzijn West" in expired.output and "Welzijn Noord" not in expired.output
    assert run("register", "list", "--status", "kapot",
               "--register", str(cli_register)).exit_code == 2


def test_cli_uses_the_environment_variable(cli_register: Any) -> None:
    result = run("register", "list", env={"KWL_REGISTER": str(cli_register)})
    assert result.exit_code == 0
    assert "KSW-" in result.output and "Welzijn Zuid" in result.output


def test_cli_show(cli_register: Any) -> None:
    by_number = run("register", "show", "KSW-2020-0002", "--register", str(cli_register))
    assert by_number.exit_code == 0, by_number.output
    assert "Welzijn Zuid (fictief)" in by_number.output and "Certificaat" in by_number.output
    by_assessment = run("register", "show", "2026-002", "--register", str(cli_register))
    assert by_assessment.output == by_number.output
    missing = run("register", "show", "KSW-2026-0999", "--register", str(cli_register))
    assert missing.exit_code == 1
    assert "KSW-2026-0999" in missing.output


def test_cli_expiring(cli_register: Any) -> None:
    result = run("register", "expiring", "--within", "30", "--register", str(cli_register))
    assert result.exit_code == 0, result.output
    assert "Welzijn Noord" in result.output
    assert "Welzijn Zuid" not in result.output and "Welzijn West" not in result.output
    none = run("register", "expiring", "--within", "1", "--register", str(cli_register))
    assert none.exit_code == 0 and "Welzijn" not in none.output


def test_cli_expiring_within_has_an_upper_bound(cli_register: Any) -> None:
    args = ["--register", str(cli_register)]
    too_far = run("register", "expiring", "--within", "99999999", *args)
    assert too_far.exit_code == 2 and "Traceback" not in too_far.output
    assert "99999999" in too_far.output
    century = run("register", "expiring", "--within", "36500", *args)
    assert century.exit_code == 0, century.output
    assert "Welzijn Noord" in century.output and "Welzijn Zuid" in century.output


@pytest.mark.parametrize(("name", "fmt"), [("r.xlsx", None), ("r.csv", None),
                                          ("r.html", None), ("lijst.txt", "html")])
def test_cli_export(cli_register: Any, tmp_path: Path, name: str, fmt: str | None) -> None:
    out = tmp_path / "uit" / name
    args = ["register", "export", str(out), "--register", str(cli_register)]
    result = run(*args, *(["--format", fmt] if fmt else []))
    assert result.exit_code == 0, result.output
    assert out.is_file() and str(out) in result.output
    if out.suffix != ".xlsx":
        assert "Welzijn Zuid (fictief)" in out.read_text("utf-8-sig")


@pytest.mark.parametrize(("name", "fmt"), [("r.xlsx", "csv"), ("r.csv", "html"),
                                          ("r.HTM", "xlsx"), ("r.html", "csv")])
def test_cli_export_refuses_a_format_the_name_contradicts(
        cli_register: Any, tmp_path: Path, name: str, fmt: str) -> None:
    out = tmp_path / name
    result = run("register", "export", str(out), "--format", fmt,
                 "--register", str(cli_register))
    assert result.exit_code == 2 and not out.exists()
    assert result.output.startswith("kwl: ") and result.output.count("\n") == 1
    assert name in result.output and f"--format {fmt}" in result.output


@pytest.mark.parametrize(("name", "fmt"), [("r.CSV", "csv"), ("r.htm", "html"),
                                          ("register", "csv")])
def test_cli_export_takes_a_format_that_fits_the_name(
        cli_register: Any, tmp_path: Path, name: str, fmt: str) -> None:
    out = tmp_path / name
    result = run("register", "export", str(out), "--format", fmt,
                 "--register", str(cli_register))
    assert result.exit_code == 0, result.output
    assert "Welzijn Zuid (fictief)" in out.read_text("utf-8-sig")


@pytest.mark.parametrize("name", ["r.txt", "register"])
def test_cli_export_needs_a_format(cli_register: Any, tmp_path: Path, name: str) -> None:
    result = run("register", "export", str(tmp_path / name), "--register", str(cli_register))
    assert result.exit_code == 2
    assert not (tmp_path / name).exists()
    # one line like the other refusals, not click's usage text
    assert result.output.startswith("kwl: ") and result.output.count("\n") == 1
    assert name in result.output and "--format" in result.output


def test_cli_withdraw(cli_register: Any) -> None:
    args = ["--register", str(cli_register)]
    on = date.today().isoformat()
    result = run("register", "withdraw", "KSW-2020-0001", "--on", on, *args)
    assert result.exit_code == 0, result.output
    assert "KSW-2020-0001" in result.output and "Welzijn Noord" in result.output
    again = run("register", "withdraw", "KSW-2020-0001", *args)
    assert again.exit_code == 0
    assert again.output.strip() == T.REGISTER_CLI_ALREADY_WITHDRAWN.format(
        number="KSW-2020-0001", organisation="Welzijn Noord (fictief)",
        on=T.format_date(date.today()))
    listed = run("register", "list", "--status", "ingetrokken", *args)
    assert "Welzijn Noord" in listed.output and "Welzijn Zuid" not in listed.output
    unknown = run("register", "withdraw", "KSW-2026-0999", *args)
    assert unknown.exit_code == 2
    assert unknown.output.startswith("kwl: ") and unknown.output.count("\n") == 1


def test_cli_withdraw_after_today_is_refused(cli_register: Any) -> None:
    tomorrow = date.today() + timedelta(days=1)
    args = ["--register", str(cli_register)]
    result = run("register", "withdraw", "KSW-2020-0002", "--on", tomorrow.isoformat(), *args)
    assert result.exit_code == 2
    assert result.output.startswith("kwl: ") and result.output.count("\n") == 1
    assert T.format_date(tomorrow) in result.output
    assert T.format_date(date.today()) in result.output
    with Register(cli_register) as reg:
        entry = reg.entry("KSW-2020-0002")
    assert entry is not None and entry.status is Status.ACTIVE and entry.withdrawn_on is None


def test_cli_missing_register_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bestaat-niet.sqlite"
    result = run("register", "list", "--register", str(path))
    assert result.exit_code == 2
    assert result.output.startswith("kwl: ") and "Traceback" not in result.output
    assert not path.exists()


def test_cli_busy_register_is_one_line(cli_register_file: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kwl_office.cli.register.TIMEOUT", 0.1)
    holder = sqlite3.connect(cli_register_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = run("register", "withdraw", "KSW-2020-0001", "--register",
                     str(cli_register_file))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 2
    assert result.output.startswith("kwl: ") and result.output.count("\n") == 1
    assert result.output.startswith("kwl: " + T.REGISTER_BUSY.split("{")[0])
