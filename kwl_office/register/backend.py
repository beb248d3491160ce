"""Where the register's tables live: the database behind :class:`~.store.Register`.

Two backends with one small interface, so the register's own code (numbers, withdrawals,
results) is written once:

* :class:`~.sqlite.SqliteBackend` – one file, embedded (the default, for one person and for
  the demo);
* :class:`~.postgres.PostgresBackend` – a PostgreSQL database, for a secretariat of several
  people writing one register.

The register's SQL is written once, with ``?`` placeholders and what both dialects share
(``ON CONFLICT``, ``RETURNING``); each backend runs it as its database needs. Every change is
one write transaction that holds the register's write lock from its start, so two commands
never hand out the same number; waiting longer than ``timeout`` seconds for another writer
raises :class:`~kwl_office.errors.RegisterBusy` and changes nothing. Every database error
becomes a :class:`~kwl_office.errors.RegisterError` with a Dutch message.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from kwl_office.places import RegisterLocation, is_register_url


class Cursor(Protocol):
    """What a statement returns (a DB-API cursor)."""

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    """A connection inside a write transaction: statements with ``?`` placeholders."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...


class Backend(ABC):
    """The database of one register."""

    #: "sqlite" or "postgresql"
    dialect: str
    #: the register as messages show it (a file, or a URL without password)
    shown: str

    @abstractmethod
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of a read-only statement (outside a write transaction)."""

    @abstractmethod
    def write(self) -> AbstractContextManager[Connection]:
        """One write transaction, holding the register's write lock from its start;
        committed when the block ends, rolled back on an exception."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection."""


def open_backend(location: RegisterLocation, *, timeout: float, create: bool) -> Backend:
    """The backend of a register: a PostgreSQL database for a ``postgresql://`` URL, else a
    SQLite file (created when missing, unless not ``create``)."""
    if is_register_url(location):
        from kwl_office.register.postgres import PostgresBackend  # only when asked for

        return PostgresBackend(str(location), timeout=timeout, create=create)
    from pathlib import Path

    from kwl_office.register.sqlite import SqliteBackend

    return SqliteBackend(Path(location), timeout=timeout, create=create)
