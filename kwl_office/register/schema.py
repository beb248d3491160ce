"""The register's SQLite schema: its tables, how a new register is made, and the migrations
from older versions (the version lives in ``PRAGMA user_version``). :mod:`.store` uses it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path

from kwl_office import texts_nl as T
from kwl_office.errors import RegisterError
from kwl_office.names import name_key

#: bump when the tables change, and add a migration step in :func:`migrate`
SCHEMA_VERSION = 3


_META = """
CREATE TABLE meta (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL
)
"""
_RESULTS = """
CREATE TABLE results (
    assessment_id       TEXT PRIMARY KEY,
    organisation_id     TEXT NOT NULL DEFAULT '',
    name_key            TEXT NOT NULL,
    organisation        TEXT NOT NULL,
    round               TEXT NOT NULL DEFAULT '',
    reported_on         TEXT NOT NULL,
    catalogue_id        TEXT NOT NULL,
    catalogue_version   TEXT NOT NULL,
    consolidation       BLOB NOT NULL
);
CREATE INDEX results_organisation_id ON results (organisation_id);
CREATE INDEX results_name_key ON results (name_key)
"""
_SCHEMA = _META + """;
CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL UNIQUE,
    contact     TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE assessments (
    id              INTEGER PRIMARY KEY,
    assessment_id   TEXT NOT NULL UNIQUE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    variant         TEXT NOT NULL,
    scope           TEXT NOT NULL DEFAULT '',
    round           TEXT NOT NULL DEFAULT ''
);
CREATE TABLE entries (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    year            INTEGER NOT NULL,
    seq             INTEGER NOT NULL,
    assessment_id   TEXT NOT NULL UNIQUE REFERENCES assessments(assessment_id),
    kind            TEXT NOT NULL CHECK (kind IN ('registratie', 'certificaat')),
    variant         TEXT NOT NULL,
    scope           TEXT NOT NULL DEFAULT '',
    granted_on      TEXT NOT NULL,
    valid_until     TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'actief'
                    CHECK (status IN ('actief', 'verlopen', 'ingetrokken')),
    withdrawn_on    TEXT,
    created_at      TEXT NOT NULL,
    UNIQUE (year, seq)
);
CREATE INDEX entries_valid_until ON entries (valid_until);
""" + _RESULTS


def error_code(err: sqlite3.Error) -> int | None:
    """SQLite's primary result code of an error (extended codes share the low byte)."""
    code = getattr(err, "sqlite_errorcode", None)
    return code & 0xFF if code is not None else None


def disk_full(err: sqlite3.Error, path: Path) -> bool:
    """SQLITE_FULL, or an I/O error while the disk has (almost) no room: SQLite reports a
    full disk during a write of its log as "disk I/O error"."""
    code = error_code(err)
    if code == sqlite3.SQLITE_FULL:
        return True
    if code == sqlite3.SQLITE_IOERR or "disk I/O error" in str(err):
        try:
            return shutil.disk_usage(path.parent).free < 1024 * 1024
        except OSError:
            return False
    return False


def create_register(path: Path) -> None:
    """Build a new, empty register in a temporary file and link it into place.

    A register file therefore never exists half-made, and a 0-byte file at the path always
    means it was emptied afterwards. When another process creates it at the same moment, its
    register wins and ours is thrown away.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("BEGIN")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            _set_identity(conn)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
        finally:
            conn.close()
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # created by another command just now: use that one
        except OSError:
            # a filesystem without hard links: rename, unless someone was first after all
            if not path.exists():
                os.replace(tmp, path)
    except sqlite3.Error as err:
        if disk_full(err, path):
            raise RegisterError(T.REGISTER_DISK_FULL.format(path=path)) from err
        raise RegisterError(T.REGISTER_CANNOT_OPEN.format(path=path, detail=err)) from err
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            leftover.unlink(missing_ok=True)


def _set_identity(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO meta (key, value) VALUES ('register_id', ?), ('created_at', ?)",
                 (str(uuid.uuid4()), datetime.now(UTC).replace(microsecond=0).isoformat()))


def emptied(path: Path) -> bool:
    """A 0-byte register file whose write-ahead log holds nothing either."""
    if path.stat().st_size:
        return False
    wal = path.with_name(path.name + "-wal")
    return not wal.exists() or wal.stat().st_size == 0


def _migrate_1_to_2(conn: sqlite3.Connection) -> None:
    """Version 2: the register's identity (``meta``) and name keys by
    :func:`kwl_office.names.name_key` (organisations that now share a key are merged)."""
    conn.execute(_META)
    _set_identity(conn)
    keep: dict[str, int] = {}
    for org_id, name in conn.execute("SELECT id, name FROM organisations ORDER BY id").fetchall():
        key = name_key(name)
        if key in keep:
            conn.execute("UPDATE assessments SET organisation_id = ? WHERE organisation_id = ?",
                         (keep[key], org_id))
            conn.execute("DELETE FROM organisations WHERE id = ?", (org_id,))
        else:
            keep[key] = org_id
            conn.execute("UPDATE organisations SET name_key = ? WHERE id = ?",
                         (f"\x00{org_id}", org_id))  # out of the way of the unique index
    for key, org_id in keep.items():
        conn.execute("UPDATE organisations SET name_key = ? WHERE id = ?", (key, org_id))
    conn.execute("PRAGMA user_version = 2")


def _migrate_2_to_3(conn: sqlite3.Connection) -> None:
    """Version 3: the results of reported assessments (``results``), so a later round finds
    an organisation's previous assessment."""
    for statement in _RESULTS.split(";"):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 3")




def migrate(conn: sqlite3.Connection) -> None:
    """Bring a register of an older version to :data:`SCHEMA_VERSION`, step by step, inside
    the caller's write transaction (another process may have migrated it meanwhile: each
    step looks at the version it finds)."""
    if conn.execute("PRAGMA user_version").fetchone()[0] == 1:
        _migrate_1_to_2(conn)
    if conn.execute("PRAGMA user_version").fetchone()[0] == 2:
        _migrate_2_to_3(conn)
