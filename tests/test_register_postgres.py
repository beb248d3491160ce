"""A register the whole secretariat shares: PostgreSQL next to the SQLite file.

What is the same on both backends runs in tests/test_register.py (every test there that
takes ``reg`` or ``location`` runs on both). Here: what only the server has (its write lock,
a database of something else, a password that must not be shown), copying a register between
backends (``kwl register migrate``), two rounds reporting into one database at once, and the
refusal of a register file on a network drive.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from kwl_office.assessment import Organisation, Variant
from kwl_office.batch.folder import RoundFolder
from kwl_office.cli.register import register_group
from kwl_office.consolidation.model import Advice
from kwl_office.errors import KwlError, RegisterBusy, RegisterError
from kwl_office.places import shown_location
from kwl_office.register import Register
from kwl_office.register.copy import copy_register
from kwl_office.register.network import network_filesystem
from kwl_office.register.postgres import WRITE_LOCK
from tests.helpers import hand_in, make_round, row


def record(reg: Register, assessment_id: str, name: str) -> str:
    return reg.record(
        assessment_id=assessment_id, organisation=Organisation(name=name),
        variant=Variant.PEER_REVIEW, scope="", kind=Advice.REGISTRATION,
        granted_on=date(2026, 12, 1), valid_until=date(2029, 11, 30)).number


# --- what only the server has ----------------------------------------------------------------


@pytest.mark.postgres
def test_a_held_write_lock_makes_a_writer_give_up_clearly(postgres_url: str) -> None:
    with Register(postgres_url) as reg:
        record(reg, "2026-001", "Welzijn Een (fictief)")
    holder = psycopg.connect(postgres_url)
    holder.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))  # held until rollback
    try:
        with Register(postgres_url, timeout=0.3) as waiting:
            # reading goes on while another command writes
            assert [e.number for e in waiting.entries()] == ["KSW-2026-0001"]
            with pytest.raises(RegisterBusy) as info:
                record(waiting, "2026-002", "Welzijn Twee (fictief)")
    finally:
        holder.rollback()
        holder.close()
    assert "\n" not in str(info.value) and "bezet" in str(info.value)
    assert isinstance(info.value, KwlError) and info.value.exit_code == 2
    with Register(postgres_url) as reg:  # nothing half-done: the next number is the next one
        assert record(reg, "2026-002", "Welzijn Twee (fictief)") == "KSW-2026-0002"


@pytest.mark.postgres
def test_a_database_of_something_else_is_refused(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE klanten (id integer)")
    with pytest.raises(RegisterError, match="geen Kwaliteitsregister.*klanten"):
        Register(postgres_url)
    with psycopg.connect(postgres_url) as conn:  # and nothing was added to it
        tables = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = "
                              "current_schema()").fetchall()
    assert tables == [("klanten",)]


@pytest.mark.postgres
def test_reading_commands_do_not_make_the_tables(postgres_url: str) -> None:
    with pytest.raises(RegisterError, match="nog geen Kwaliteitsregister"):
        Register(postgres_url, create=False)
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT to_regclass('meta')").fetchone() == (None,)


def test_an_unreachable_server_is_one_line_without_the_password(tmp_path: Path) -> None:
    url = f"postgresql://kwl:geheim@/kwl?host={tmp_path}&port=1&connect_timeout=1"
    with pytest.raises(RegisterError) as info:
        Register(url, timeout=1)
    message = str(info.value)
    assert "niet bereikbaar" in message and "geheim" not in message and "\n" not in message
    assert shown_location("postgresql://a:b@h/d?password=c") == \
        "postgresql://a:***@h/d?password=***"


# --- copying between backends ----------------------------------------------------------------


def _fill(reg: Register) -> None:
    for i in range(1, 6):
        record(reg, f"2026-{i:03d}", f"Welzijn {i} (fictief)")
    # fixed days, whatever the clock says: the entries were granted on 1 December 2026
    reg.withdraw("KSW-2026-0002", on=date(2026, 12, 5), today=date(2027, 1, 1))
    reg.remember_result({"assessment_id": "2026-001", "catalogue_id": "voorbeeld",
                         "catalogue_version": "1", "advice": "registratie"},
                        organisation="Welzijn 1 (fictief)", organisation_id="KvK 123",
                        reported_on=date(2026, 12, 1))


def _facts(reg: Register) -> tuple[Any, ...]:
    previous = reg.previous_result(assessment_id="2027-001", organisation="Welzijn 1 (fictief)",
                                   organisation_id="KvK 123", before=date(2027, 12, 1))
    return (reg.register_id, reg.highest_number(),
            [(e.number, e.assessment_id, e.status, e.organisation.name, e.withdrawn_on)
             for e in reg.entries(today=date(2027, 1, 1))],
            previous.consolidation if previous else None)


@pytest.mark.postgres
def test_migrate_round_trips_and_is_idempotent(tmp_path: Path, postgres_url: str) -> None:
    start = tmp_path / "register.sqlite"
    with Register(start) as reg:
        _fill(reg)
        before = _facts(reg)
    runner = CliRunner()
    first = runner.invoke(register_group, ["migrate", str(start), postgres_url])
    assert first.exit_code == 0, first.output
    assert "Gekopieerd" in first.output and "5 inschrijvingen" in first.output
    again = runner.invoke(register_group, ["migrate", str(start), postgres_url])
    assert again.exit_code == 0 and "niets gedaan" in again.output
    back = tmp_path / "terug.sqlite"
    assert runner.invoke(register_group, ["migrate", postgres_url, str(back)]).exit_code == 0
    for location in (postgres_url, back):
        with Register(location) as reg:
            assert _facts(reg) == before
            # numbering goes on after the copied numbers, on both sides
            assert record(reg, "2026-006", "Welzijn 6 (fictief)") == "KSW-2026-0006"


@pytest.mark.postgres
def test_migrate_never_merges_into_another_register(tmp_path: Path, postgres_url: str) -> None:
    with Register(tmp_path / "een.sqlite") as one:
        _fill(one)
    with Register(postgres_url) as other:
        record(other, "2025-001", "Iemand anders (fictief)")
        before = _facts(other)
    with Register(tmp_path / "een.sqlite") as one, Register(postgres_url) as other:
        with pytest.raises(RegisterError, match="niet leeg"):
            copy_register(one, other)
        assert _facts(other) == before


# --- two rounds, one register on the server --------------------------------------------------


def _round(root: Path, url: str, prefix: str) -> RoundFolder:
    rows = [row(f"{prefix}-{i:03d}", f"Welzijn {prefix} {i} (fictief)", "intercollegiaal",
                f"Collega {prefix}{i}a (fictief); Collega {prefix}{i}b (fictief)")
            for i in range(1, 7)]
    folder = make_round(root, rows, name=f"Ronde {prefix}", register=url)
    from kwl_office.batch.steps import collect_round, issue_round
    from kwl_office.catalogue import load_catalogue

    issue_round(folder)
    hand_in(folder, load_catalogue(None))
    collect_round(folder)
    return folder


@pytest.mark.postgres
@pytest.mark.slow
def test_two_rounds_report_into_one_database_at_once(tmp_path: Path, postgres_url: str) -> None:
    rounds = [_round(tmp_path / name, postgres_url, prefix)
              for name, prefix in (("ronde-a", "2026"), ("ronde-b", "2027"))]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    started = [subprocess.Popen([sys.executable, "-m", "kwl_office.cli", "round", "report",
                                 str(folder.root), "--jobs", "2"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
               for folder in rounds]
    outputs = [process.communicate(timeout=600)[0] for process in started]
    assert [process.returncode for process in started] == [0, 0], outputs
    with Register(postgres_url) as reg:
        entries = reg.entries()
        register_id = reg.register_id
    numbers = [e.number for e in entries]
    assert len(numbers) == len(set(numbers)) == 12
    year = entries[0].granted_on.year  # the rounds report today
    assert sorted(numbers) == [f"KSW-{year}-{i:04d}" for i in range(1, 13)]  # contiguous
    # every round remembered the one register and its highest number
    for folder in rounds:
        memory = (folder.register_memory).read_text(encoding="utf-8")
        assert register_id in memory


# --- a register file on a network drive ------------------------------------------------------

MOUNTINFO = """\
22 1 252:1 / / rw,relatime shared:1 - ext4 /dev/vda rw
41 22 0:40 / /mnt/gedeeld rw,relatime shared:20 - cifs //server/kwaliteit rw,vers=3.1.1
42 22 0:41 / /mnt/nfs\\040map rw,relatime shared:21 - nfs4 server:/export rw
43 22 0:42 / /mnt/lokaal rw,relatime shared:22 - fuse.fuse-overlayfs fuse-overlayfs rw
"""


@pytest.mark.parametrize(("path", "kind"), [
    ("/mnt/gedeeld/kwaliteitsregister.sqlite", "cifs"),
    ("/mnt/gedeeld/nog/niet/gemaakt/register.sqlite", "cifs"),
    ("/mnt/nfs map/register.sqlite", "nfs4"),
    ("/mnt/lokaal/register.sqlite", ""),
    ("/home/secretariaat/register.sqlite", ""),
    ("/mnt/gedeeldx/register.sqlite", ""),
])
def test_network_drives_are_recognised(path: str, kind: str) -> None:
    assert network_filesystem(path, MOUNTINFO) == kind


def test_a_register_file_on_a_network_drive_is_refused(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    share = tmp_path / "gedeeld"
    share.mkdir()
    fake = f"22 1 252:1 / / rw - ext4 /dev/vda rw\n41 22 0:40 / {share} rw - cifs //s/k rw\n"
    monkeypatch.setattr("kwl_office.register.network._MOUNTINFO", tmp_path / "mountinfo")
    (tmp_path / "mountinfo").write_text(fake, encoding="utf-8")
    if not sys.platform.startswith("linux"):
        pytest.skip("network drives are read from /proc/self/mountinfo on Linux")
    with pytest.raises(RegisterError) as info:
        Register(share / "kwaliteitsregister.sqlite")
    assert "netwerkschijf" in str(info.value) and "postgresql://" in str(info.value)
    assert not (share / "kwaliteitsregister.sqlite").exists()  # nothing made there


@pytest.mark.postgres
@pytest.mark.slow
def test_migrate_round_trips_the_demo_register(tmp_path: Path, postgres_url: str) -> None:
    from kwl_office.cli import main as kwl

    demo = tmp_path / "demo"
    result = CliRunner().invoke(kwl, ["demo", str(demo)])
    assert result.exit_code == 0, result.output
    start = RoundFolder(demo).register_path()
    back = tmp_path / "terug.sqlite"
    runner = CliRunner()
    for source, target in ((str(start), postgres_url), (postgres_url, str(back))):
        done = runner.invoke(register_group, ["migrate", source, target])
        assert done.exit_code == 0 and "Gekopieerd" in done.output, done.output

    def facts(location: Any) -> tuple[Any, ...]:
        with Register(location) as reg:
            return (reg.register_id, reg.highest_number(),
                    [e.model_dump() for e in reg.entries(today=date(2027, 1, 1))],
                    reg.backend.query("SELECT assessment_id, consolidation FROM results "
                                      "ORDER BY assessment_id"))

    original = facts(start)
    assert original[1] is not None and len(original[2]) >= 3  # the demo grants several
    assert facts(postgres_url) == original and facts(back) == original
    # the demo round accepts the database as its own register (same identity, same numbers)
    (demo / "ronde.yaml").write_text(
        (demo / "ronde.yaml").read_text(encoding="utf-8").replace(
            f"kwaliteitsregister: {start.name}", f"kwaliteitsregister: {postgres_url}")
        if isinstance(start, Path) else "", encoding="utf-8")
    assert RoundFolder(demo).register_path() == postgres_url
    RoundFolder(demo).open_register().close()
