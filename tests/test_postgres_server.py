"""The throw-away PostgreSQL server of the tests (tests/postgres.py, issue 17).

Tests that need a real server are marked ``postgres``; those about finding binaries, failing
cleanly and the skip/fail rule use fakes and run everywhere. psycopg is imported in the tests
that have a server (whose start checks for it), so without psycopg they skip (fail in CI)
rather than break the collection.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.postgres import (
    PostgresServer,
    PostgresUnavailable,
    find_bin_dir,
    started_or_unavailable,
    unavailable,
)

USER_TABLES = ("SELECT table_name FROM information_schema.tables "
               "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")


def tables(url: str) -> list[str]:
    import psycopg

    with psycopg.connect(url) as conn:
        return [r[0] for r in conn.execute(USER_TABLES).fetchall()]


@pytest.mark.postgres
def test_fresh_databases_are_distinct_and_empty(postgres_server: PostgresServer,
                                                postgres_url: str) -> None:
    import psycopg

    other = postgres_server.fresh_database()
    assert other != postgres_url
    assert tables(postgres_url) == [] and tables(other) == []
    with psycopg.connect(postgres_url) as conn:
        conn.execute("CREATE TABLE beoordeling (id text PRIMARY KEY, host text NOT NULL)")
        conn.execute("INSERT INTO beoordeling VALUES ('2026-001', 'Coöperatie Één (fictief)')")
    # committed on leaving the block: a new connection sees it, the other database does not
    assert tables(postgres_url) == ["beoordeling"]
    assert tables(other) == []
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT host FROM beoordeling").fetchall() == [
            ("Coöperatie Één (fictief)",)]
        names = {conn.execute("SELECT current_database()").fetchone()}
    with psycopg.connect(other) as conn:
        names.add(conn.execute("SELECT current_database()").fetchone())
    assert len(names) == 2


@pytest.mark.postgres
def test_server_listens_only_on_its_own_socket(postgres_server: PostgresServer,
                                               postgres_url: str) -> None:
    import psycopg

    parts = urlsplit(postgres_url)
    assert parts.scheme == "postgresql" and parts.hostname is None
    query = parse_qs(parts.query)
    assert query["host"] == [str(postgres_server.socket_dir)]
    with psycopg.connect(postgres_url) as conn:
        assert conn.info.host == str(postgres_server.socket_dir)
        settings = {name: conn.execute(f"SHOW {name}").fetchone()[0]  # type: ignore[index]
                    for name in ("listen_addresses", "fsync", "full_page_writes",
                                 "server_encoding")}
    assert settings == {"listen_addresses": "", "fsync": "off", "full_page_writes": "off",
                        "server_encoding": "UTF8"}


@pytest.mark.postgres
def test_stop_ends_the_server_and_removes_its_folder() -> None:
    server = started_or_unavailable()
    import psycopg

    try:
        url = server.fresh_database()
        root = server.root
        assert root is not None
        pid = int((server.data_dir / "postmaster.pid").read_text().split()[0])
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        server.stop()
    assert not server.running and not root.exists()
    assert not _alive(pid)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=5)
    with pytest.raises(PostgresUnavailable):
        server.fresh_database()
    server.stop()  # a second stop is harmless


def _alive(pid: int, wait: float = 5.0) -> bool:
    # the server is not our child: once it ends, init reaps it (or, in a container whose
    # init does not, it stays a zombie, which has ended all the same)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return False
            except PermissionError:
                pass
        else:
            if state in ("Z", "X"):
                return False
        time.sleep(0.05)
    return True


def _fake_bin(folder: Path, initdb: str = "exit 0") -> Path:
    folder.mkdir(parents=True)
    for name, body in (("initdb", initdb), ("pg_ctl", "exit 0")):
        script = folder / name
        script.write_text(f"#!/bin/sh\n{body}\n", encoding="ascii")
        script.chmod(0o755)
    return folder


def test_find_bin_dir_takes_path_first_then_the_highest_version(tmp_path: Path) -> None:
    for version in ("9.6", "15", "16"):
        _fake_bin(tmp_path / "lib" / version / "bin")
    pattern = str(tmp_path / "lib" / "*" / "bin")
    empty = tmp_path / "empty"
    empty.mkdir()
    # numerically highest (a string sort would pick 9.6)
    assert find_bin_dir(path=str(empty), pattern=pattern) == tmp_path / "lib" / "16" / "bin"
    on_path = _fake_bin(tmp_path / "path")
    assert find_bin_dir(path=str(on_path), pattern=pattern) == on_path


def test_find_bin_dir_without_postgres_says_so(tmp_path: Path) -> None:
    with pytest.raises(PostgresUnavailable, match="initdb/pg_ctl not found"):
        find_bin_dir(path=str(tmp_path), pattern=str(tmp_path / "*" / "bin"))


def test_failed_initdb_is_the_reason_and_leaves_nothing_behind(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # start() looks for psycopg before initdb (without it the postgres tests say so)
    pytest.importorskip("psycopg")
    fake = _fake_bin(tmp_path / "bin", initdb='echo "initdb: kapotte schijf" >&2; exit 1')
    # a short folder of its own (tmp_path may be too long for the server's socket path)
    temp = Path(tempfile.mkdtemp(prefix="kwl-t-"))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    try:
        server = PostgresServer(bin_dir=fake, account=None)
        with pytest.raises(PostgresUnavailable, match=r"initdb exited with 1: initdb: kapotte"):
            server.start()
        assert server.root is None and not server.running
        assert list(temp.iterdir()) == []
    finally:
        shutil.rmtree(temp)


def test_unavailable_skips_locally_and_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KWL_REQUIRE_POSTGRES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no PostgreSQL server: geen initdb"):
        unavailable("geen initdb")
    monkeypatch.setenv("KWL_REQUIRE_POSTGRES", "1")
    with pytest.raises(pytest.fail.Exception, match="KWL_REQUIRE_POSTGRES=1"):
        unavailable("geen initdb")
