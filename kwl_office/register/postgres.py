"""The register in a PostgreSQL database (psycopg 3): one register a whole secretariat writes.

Named by a URL (``postgresql://server/database``, or with ``?host=/run/postgresql`` for a
socket); the credentials come from libpq's own places — ``PGPASSWORD``, a pgpass file, a
service file (``postgresql:///?service=kwl``) — never from the round folder.

The same guarantees as the SQLite file: every change is one transaction that first takes the
register's write lock (a transaction-scoped advisory lock), so numbers are given one writer at
a time and never twice, and waiting longer than ``timeout`` seconds for it raises
:class:`~kwl_office.errors.RegisterBusy` with nothing changed. The tables are those of
:mod:`.schema`; the schema version is kept in ``meta`` (``schema_version``), as SQLite keeps it
in ``PRAGMA user_version``. A database with other tables but not ours is refused, never used.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from kwl_office import texts_nl as T
from kwl_office.errors import RegisterBusy, RegisterError
from kwl_office.places import shown_location
from kwl_office.register.backend import Backend, Connection, Cursor
from kwl_office.register.schema import (
    MIGRATION_3_TO_4,
    SCHEMA_VERSION,
    new_identity,
    schema_statements,
)

if TYPE_CHECKING:
    import psycopg

#: the register's write lock (``pg_advisory_xact_lock``): any fixed 64-bit number
WRITE_LOCK = 0x6B776C5F72656769  # "kwl_regi"


class _Statements:
    """A connection inside a transaction that takes the register's ``?`` placeholders."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        return self._conn.execute(_placeholders(sql), params or None)


def _placeholders(sql: str) -> str:
    # the register's SQL has no literal ? or % (checked here, so none slips in unnoticed)
    assert "%" not in sql, sql
    return sql.replace("?", "%s")


class PostgresBackend(Backend):
    """A register in a PostgreSQL database; its tables are made when the database is empty
    and ``create``."""

    dialect = "postgresql"

    def __init__(self, url: str, *, timeout: float, create: bool) -> None:
        self.url = url
        self.shown = shown_location(url)
        self.timeout = timeout
        try:
            import psycopg
        except ImportError as err:  # pragma: no cover - psycopg is a dependency
            raise RegisterError(T.REGISTER_NO_DRIVER.format(path=self.shown)) from err
        self._psycopg = psycopg
        try:
            self._conn: psycopg.Connection[Any] = psycopg.connect(
                url, autocommit=True, connect_timeout=max(1, int(timeout)),
                application_name="kwl")
        except psycopg.Error as err:
            raise RegisterError(T.REGISTER_SERVER_UNREACHABLE.format(
                path=self.shown, detail=_first_line(err))) from err
        try:
            self._ensure_schema(create)
        except BaseException:
            self._conn.close()
            raise

    def close(self) -> None:
        self._conn.close()

    def error(self, err: Exception) -> RegisterError:
        """The Dutch error for a database error."""
        errors = self._psycopg.errors
        if isinstance(err, errors.LockNotAvailable | errors.QueryCanceled):
            return RegisterBusy(T.REGISTER_BUSY.format(path=self.shown, seconds=self.timeout))
        if isinstance(err, errors.DiskFull):
            return RegisterError(T.REGISTER_DISK_FULL.format(path=self.shown))
        if isinstance(err, errors.ReadOnlySqlTransaction | errors.InsufficientPrivilege):
            return RegisterError(T.REGISTER_READ_ONLY.format(path=self.shown))
        if isinstance(err, self._psycopg.OperationalError):
            return RegisterError(T.REGISTER_SERVER_UNREACHABLE.format(
                path=self.shown, detail=_first_line(err)))
        return RegisterError(T.REGISTER_CANNOT_OPEN.format(path=self.shown,
                                                           detail=_first_line(err)))

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        try:
            with self._conn.transaction():
                # waiting for another writer is bounded, as SQLite's busy timeout is
                self._conn.execute(
                    f"SET LOCAL lock_timeout = '{max(1, int(self.timeout * 1000))}ms'")
                self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                yield _Statements(self._conn)
        except self._psycopg.Error as err:
            raise self.error(err) from err

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            cursor = self._conn.execute(_placeholders(sql), params or None)
            return cursor.fetchall() if cursor.description is not None else []
        except self._psycopg.Error as err:
            raise self.error(err) from err

    def _ensure_schema(self, create: bool) -> None:
        # an existing register is opened without its write lock (reading never waits for a
        # writer); only making the tables takes it, so two commands never make them twice
        if "meta" not in self._tables(self.query):
            with self.write() as conn:
                # another command may have made them while we waited for the lock (asked of
                # pg_tables: a name lookup may still answer from before that commit)
                if "meta" not in self._tables(lambda sql: conn.execute(sql).fetchall()):
                    self._make_tables(conn, create)
                    return
        found, version = self._version(self.query)
        if version == 3:
            with self.write() as conn:
                # another command may have migrated it while we waited for the lock
                found, version = self._version(lambda sql: conn.execute(sql).fetchall())
                if version == 3:
                    for statement in MIGRATION_3_TO_4:
                        conn.execute(statement)
                    conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
                    found, version = "4", 4
        if version > SCHEMA_VERSION:
            raise RegisterError(T.REGISTER_NEWER.format(path=self.shown, found=version,
                                                        supported=SCHEMA_VERSION))
        if version < SCHEMA_VERSION:
            # registers on PostgreSQL began at version 3: a lower number is not ours
            raise RegisterError(T.REGISTER_NOT_A_REGISTER.format(
                path=self.shown, detail=f"meta.schema_version {found}"))

    @staticmethod
    def _version(run: Callable[[str], Sequence[Any]]) -> tuple[str, int]:
        rows = run("SELECT value FROM meta WHERE key = 'schema_version'")
        found = str(rows[0][0]) if rows else "–"
        return found, int(found) if found.isdigit() else 0

    @staticmethod
    def _tables(run: Callable[[str], list[Any]]) -> list[str]:
        return [str(row[0]) for row in run(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "ORDER BY tablename")]

    def _make_tables(self, conn: Connection, create: bool) -> None:
        others = self._tables(lambda sql: conn.execute(sql).fetchall())
        if others:  # a database of something else: never ours to fill
            raise RegisterError(T.REGISTER_NOT_A_REGISTER.format(path=self.shown,
                                                                 detail=", ".join(others)))
        if not create:
            raise RegisterError(T.REGISTER_MISSING.format(path=self.shown))
        for statement in schema_statements("postgresql"):
            conn.execute(statement)
        for key, value in new_identity().items():
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
        conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)",
                     (str(SCHEMA_VERSION),))


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
