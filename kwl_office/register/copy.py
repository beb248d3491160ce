"""Copy a whole register to another backend (``kwl register migrate FROM TO``): a SQLite file
into PostgreSQL when the secretariat starts sharing one register, or back.

The copy is the same register: every row with its id, the entry numbers, and the register's
identity (``meta.register_id``), so a round that used the file accepts the database as the
register it knew. It is one transaction on the target, whose rows are read back and compared
before it commits; on any difference nothing stays. Idempotent: a target that already holds
exactly this register is left as it is; a target that holds anything else is refused, never
merged into.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kwl_office import texts_nl as T
from kwl_office.errors import RegisterError
from kwl_office.register.backend import Connection
from kwl_office.register.store import Register

#: every table's columns, in an order in which the rows can be inserted (references first)
COLUMNS: dict[str, tuple[str, ...]] = {
    "organisations": ("id", "name", "name_key", "contact", "address"),
    "assessments": ("id", "assessment_id", "organisation_id", "variant", "scope", "round"),
    "entries": ("id", "number", "year", "seq", "assessment_id", "kind", "variant", "scope",
                "granted_on", "valid_until", "status", "withdrawn_on", "created_at", "name"),
    "results": ("assessment_id", "organisation_id", "name_key", "organisation", "round",
                "reported_on", "catalogue_id", "catalogue_version", "consolidation"),
}
#: ``meta`` keys that belong to the register (the schema version belongs to the database)
_META_KEYS = ("register_id", "created_at")


@dataclass
class CopyResult:
    """What ``migrate`` did: ``copied`` False when the target already was this register."""

    copied: bool
    register_id: str
    counts: dict[str, int] = field(default_factory=dict)
    highest: str | None = None


def _rows(register: Register, table: str) -> list[tuple[Any, ...]]:
    columns = COLUMNS[table]
    order = columns[0]
    rows = register.backend.query(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}")
    # a database may hand back a memoryview for a blob: compared and written as bytes
    return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]


def _meta(register: Register) -> dict[str, str]:
    return {str(k): str(v) for k, v in register.backend.query("SELECT key, value FROM meta")
            if k in _META_KEYS}


def _content(register: Register) -> dict[str, list[tuple[Any, ...]]]:
    return {table: _rows(register, table) for table in COLUMNS}


def copy_register(source: Register, target: Register) -> CopyResult:
    """Copy ``source`` into ``target`` (see the module's description); raises
    :class:`RegisterError` when the target holds another register or the check fails."""
    content = _content(source)
    meta = _meta(source)
    register_id = meta.get("register_id", "")
    counts = {table: len(rows) for table, rows in content.items()}
    existing = _content(target)
    if _meta(target).get("register_id") == register_id and existing == content:
        return CopyResult(False, register_id, counts, target.highest_number())
    if any(existing.values()):
        raise RegisterError(T.REGISTER_COPY_TARGET_USED.format(
            target=target.shown, register_id=target.register_id))
    with target.backend.write() as conn:
        for key, value in meta.items():
            conn.execute("DELETE FROM meta WHERE key = ?", (key,))
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
        for table, columns in COLUMNS.items():
            marks = ", ".join("?" for _ in columns)
            statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            for row in content[table]:
                conn.execute(statement, row)
        if target.backend.dialect == "postgresql":
            _continue_identities(conn)
        # read back inside the transaction (the same connection sees its own rows): on any
        # difference it is rolled back, so "nothing was copied" is then true
        copied = _content(target)
        differing = [table for table in COLUMNS if copied[table] != content[table]]
        if differing:
            raise RegisterError(T.REGISTER_COPY_CHECK.format(target=target.shown,
                                                             detail=", ".join(differing)))
    return CopyResult(True, register_id, counts, target.highest_number())


def _continue_identities(conn: Connection) -> None:
    # rows were inserted with their own ids: new rows must get ids after them
    for table in ("organisations", "assessments", "entries"):
        conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                     f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)")
