"""The register in one SQLite file (standard library :mod:`sqlite3`): the embedded default.

The database runs in WAL mode, so readers never wait for a writer. Every write is one
``BEGIN IMMEDIATE`` transaction: two commands writing at once wait for each other and
otherwise fail with :class:`~kwl_office.errors.RegisterBusy`. WAL needs a local disk
(SQLite's shared memory and locks do not work across network shares), so a register file on
a network drive is refused (:mod:`.network`): a secretariat that shares one register uses
PostgreSQL (:mod:`.postgres`).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from kwl_office import texts_nl as T
from kwl_office.errors import RegisterBusy, RegisterError
from kwl_office.register.backend import Backend, Connection
from kwl_office.register.network import network_filesystem
from kwl_office.register.schema import (
    SCHEMA_VERSION,
    create_register,
    disk_full,
    emptied,
    error_code,
    migrate,
)


def _busy_code(err: sqlite3.Error) -> bool:
    code = getattr(err, "sqlite_errorcode", None)
    if code is not None:
        # extended codes (SQLITE_BUSY_SNAPSHOT, …) share the primary code in the low byte
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(err) or "busy" in str(err)


class SqliteBackend(Backend):
    """A register file; created (whole, never half) when missing and ``create``."""

    dialect = "sqlite"

    def __init__(self, path: Path, *, timeout: float, create: bool) -> None:
        self.path = path
        self.shown = str(path)
        self.timeout = timeout
        remote = network_filesystem(path)
        if remote:
            raise RegisterError(T.REGISTER_NETWORK_DRIVE.format(path=path, kind=remote))
        if not path.exists():
            if not create:
                raise RegisterError(T.REGISTER_MISSING.format(path=path))
            create_register(path)
        elif not path.is_file():
            raise RegisterError(T.REGISTER_NOT_A_REGISTER.format(path=path,
                                                                 detail=T.REGISTER_NOT_A_FILE))
        elif emptied(path):
            raise RegisterError(T.REGISTER_EMPTIED.format(path=path))
        try:
            # isolation_level=None: no implicit transactions; we issue BEGIN IMMEDIATE ourselves
            self._conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as err:
            raise RegisterError(T.REGISTER_CANNOT_OPEN.format(path=path, detail=err)) from err
        try:
            self._ensure_schema()
        except BaseException:
            self._conn.close()
            raise

    def close(self) -> None:
        self._conn.close()

    def error(self, err: sqlite3.Error) -> RegisterError:
        """The Dutch error for a SQLite error."""
        if _busy_code(err):
            return RegisterBusy(T.REGISTER_BUSY.format(path=self.path, seconds=self.timeout))
        if disk_full(err, self.path):
            return RegisterError(T.REGISTER_DISK_FULL.format(path=self.path))
        if error_code(err) == sqlite3.SQLITE_READONLY:
            return RegisterError(T.REGISTER_READ_ONLY.format(path=self.path))
        if isinstance(err, sqlite3.DatabaseError) and not isinstance(
                err, sqlite3.OperationalError | sqlite3.IntegrityError):
            return RegisterError(T.REGISTER_NOT_A_REGISTER.format(path=self.path, detail=err))
        return RegisterError(T.REGISTER_CANNOT_OPEN.format(path=self.path, detail=err))

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            raise self.error(err) from err
        try:
            yield conn
        except BaseException as err:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(err, sqlite3.Error):
                raise self.error(err) from err
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as err:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise self.error(err) from err

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as err:
            raise self.error(err) from err

    def _ensure_schema(self) -> None:
        try:
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.Error as err:
            raise self.error(err) from err
        if version > SCHEMA_VERSION:
            raise RegisterError(T.REGISTER_NEWER.format(path=self.path, found=version,
                                                        supported=SCHEMA_VERSION))
        if version == 0:
            # we never create a register in place: a file without our schema is not ours
            tables = sorted(row[0] for row in self.query(
                "SELECT name FROM sqlite_master WHERE type = 'table'"))
            raise RegisterError(T.REGISTER_NOT_A_REGISTER.format(
                path=self.path, detail=", ".join(tables) or T.REGISTER_NO_TABLES))
        if version < SCHEMA_VERSION:
            with self.write() as conn:
                assert isinstance(conn, sqlite3.Connection)
                migrate(conn)  # another process may have migrated it while we waited
        try:
            # a no-op once the file is in WAL mode; readers then never wait for a writer
            self._conn.execute("PRAGMA journal_mode = WAL").fetchone()
            self._conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as err:
            raise self.error(err) from err
