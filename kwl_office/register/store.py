"""The Kwaliteitsregister: every registration and certificate granted, across rounds.

Longer than 600 lines: every question asked of the register (who is the same organisation,
which assessment came before, which entry follows up another) is one :class:`Register` method
over the same tables and the same rule for telling organisations apart.

One database holds five tables — an embedded SQLite file (:mod:`.sqlite`, the default), or a
PostgreSQL database that a whole secretariat shares (:mod:`.postgres`, named by a
``postgresql://`` URL); this module is the same for both (:mod:`.backend`)::

    meta           register_id (a UUID: this register's identity), created_at
    organisations  id, name, name_key (unique: :func:`kwl_office.names.name_key`), contact,
                   address
    assessments    assessment_id (unique), organisation, variant, scope, round
    entries        number (unique, KSW-<year>-<seq>), assessment_id (unique: one entry per
                   assessment), kind, variant, scope, granted_on, valid_until, status,
                   withdrawn_on, created_at, name (the organisation as this entry's own
                   letter and certificate name it)
    results        assessment_id (unique), organisation_id (Organisatie-id, may be ''),
                   name_key, organisation, round, reported_on, catalogue id and version,
                   consolidation (the compressed consolidation.json of every reported
                   assessment, whatever its outcome: what a later round compares with)

A new SQLite register is built in a temporary file and linked into place, so a register file
that exists is always a whole register: an emptied (0 bytes) or foreign file is refused, never
silently taken as a new register that would hand out ``KSW-2026-0001`` a second time; a
register file on a network drive is refused too (use PostgreSQL there). The register's id lets
a round notice that it was given another register than before (:mod:`kwl_office.batch.folder`).

Every write is one transaction that holds the register's write lock from its start: two
commands writing at once wait for each other (``timeout`` seconds, 30 by default) and
otherwise fail with :class:`~kwl_office.errors.RegisterBusy` — nothing is changed then, and the
database is never left half-written. Numbers are assigned inside that transaction, so
concurrent writers never hand out the same number.

**Validity.** An entry granted on day *D* for *n* years is valid **through** the day before
the *n*-th anniversary of *D* (granted 28 November 2026 for 3 years: valid through
27 November 2029); ``valid_until`` is that last valid day, and everything that shows it says
"geldig tot en met". The stored status is ``actief`` or ``ingetrokken``; ``verlopen`` is
computed when an entry is read (``valid_until`` before *today*), so an entry expires without
anyone writing to the register.

**Once registered.** Recording an assessment again (a round reported again) gives the same
entry: the same number and the same dates, unless the dates are a decision of the committee
(``decided``: a Besluitdatum, which may have been corrected). An entry that is withdrawn or
has expired is never changed again: reporting its assessment again renews nothing.

**Followed up.** A new entry never changes an earlier one: an organisation assessed again
may have two active entries, each valid until its own end. :meth:`Register.successors` tells
which entries a newer one of the same organisation follows up, so that the lists of the
secretariat (``kwl register list``, ``show``, ``expiring``) can say so.

**Names.** An organisation is one row, found by the key of its name
(:func:`~kwl_office.names.name_key`), and keeps its first spelling there; each entry keeps the
name as its own documents spell it (the manifest's, as typed), so the public register and the
certificate of a new entry name the organisation alike, and a later spelling never rewrites
an earlier entry.
"""

from __future__ import annotations

import contextlib
import json
import re
import zlib
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from kwl_office import texts_nl as T
from kwl_office.assessment import Organisation, Variant
from kwl_office.consolidation.model import Advice
from kwl_office.errors import InvalidArgument, RegisterError
from kwl_office.kinds import Status
from kwl_office.names import clean_text, name_key, organisation_id_key, tidy_name
from kwl_office.places import RegisterLocation, register_location
from kwl_office.register.backend import Backend, Connection, open_backend

NUMBER_PREFIX = "KSW"
DEFAULT_TIMEOUT = 30.0
#: a certificate takes over a registration, never the other way round
_KIND_RANK = {Advice.REGISTRATION: 1, Advice.CERTIFICATE: 2}


_SELECT = """
SELECT e.number, e.assessment_id, e.kind, e.variant, e.scope, e.granted_on, e.valid_until,
       e.status, e.withdrawn_on, e.created_at, a.round,
       COALESCE(NULLIF(e.name, ''), o.name), o.contact, o.address
FROM entries e
JOIN assessments a ON a.assessment_id = e.assessment_id
JOIN organisations o ON o.id = a.organisation_id
"""

_NUMBER_RE = re.compile(rf"^{NUMBER_PREFIX}-\d{{4}}-\d+$", re.IGNORECASE)


class Entry(BaseModel):
    """One registration or certificate in the register, with its status on the day read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: str
    assessment_id: str
    organisation: Organisation
    kind: Advice
    variant: Variant
    #: the units assessed; empty means the whole organisation
    scope: str = ""
    round: str = ""
    granted_on: date
    valid_until: date
    status: Status
    withdrawn_on: date | None = None
    created_at: datetime

    @field_validator("kind")
    @classmethod
    def _registered_kind(cls, kind: Advice) -> Advice:
        if kind not in (Advice.REGISTRATION, Advice.CERTIFICATE):
            raise ValueError(T.REGISTER_BAD_KIND.format(kind=kind.value))
        return kind


class StoredResult(BaseModel):
    """An assessment's consolidation as the register kept it (:meth:`Register.remember_result`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    assessment_id: str
    organisation: str
    round: str = ""
    reported_on: date
    catalogue_id: str
    catalogue_version: str
    #: the content of its consolidation.json
    consolidation: dict[str, Any]

    @property
    def assessed_on(self) -> date:
        """The day the assessment was done, as far as the register knows: the day its last
        workbook was issued (``last_issued`` in its consolidation), or the day it was
        reported when it was kept without one."""
        try:
            return date.fromisoformat(str(self.consolidation["last_issued"]))
        except (KeyError, ValueError):
            return self.reported_on


def valid_until(granted_on: date, years: int) -> date:
    """The last day of validity: the day before the ``years``-th anniversary of
    ``granted_on`` (a grant on 29 February ends on 27 February)."""
    try:
        anniversary = granted_on.replace(year=granted_on.year + years)
    except ValueError:  # 29 February in a year that has none
        anniversary = granted_on.replace(year=granted_on.year + years, day=28)
    return anniversary - timedelta(days=1)


def _kept_dates(entry: Entry, kind: Advice, granted_on: date,
                valid_until_: date) -> tuple[date, date]:
    """The dates of ``entry`` recorded again with the day of reporting ``granted_on``: its own
    dates; for another kind (a corrected variant) its day of granting with the validity of
    that kind (the years from ``granted_on`` to ``valid_until_``)."""
    if kind is entry.kind:
        return entry.granted_on, entry.valid_until
    span = valid_until_.year - granted_on.year
    for years in (span, span + 1):  # a validity may end on 31 December of the year before
        with contextlib.suppress(ValueError, OverflowError):
            if years > 0 and valid_until(granted_on, years) == valid_until_:
                return entry.granted_on, valid_until(entry.granted_on, years)
    # not a whole number of years: the same length of time
    return entry.granted_on, entry.granted_on + (valid_until_ - granted_on)


def _tidy(text: str) -> str:
    # names are compared, signed and shown in one form (see kwl_office.names)
    return tidy_name(text)


def _status(stored: str, valid_until: date, today: date) -> Status:
    if stored == Status.WITHDRAWN.value:
        return Status.WITHDRAWN
    return Status.EXPIRED if valid_until < today else Status.ACTIVE


class Register:
    """The Kwaliteitsregister (a SQLite file or a ``postgresql://`` URL); use as a context
    manager to close it.

    ``timeout`` is how long (seconds) a write waits for another command that is writing
    before :class:`RegisterBusy` is raised. With ``create=False`` a missing register is an
    error instead of a new, empty one (for commands that only read).
    """

    def __init__(self, location: RegisterLocation, *, timeout: float = DEFAULT_TIMEOUT,
                 create: bool = True) -> None:
        #: the file, or the database URL (as given: it may hold a password)
        self.path: RegisterLocation = register_location(location)
        self.timeout = timeout
        self._backend: Backend = open_backend(self.path, timeout=timeout, create=create)

    @property
    def shown(self) -> str:
        """The register as messages show it (a URL without its password)."""
        return self._backend.shown

    @property
    def backend(self) -> Backend:
        """The database behind the register (for copying it: :mod:`.copy`)."""
        return self._backend

    # --- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the database connection."""
        self._backend.close()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _write(self) -> AbstractContextManager[Connection]:
        return self._backend.write()

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._backend.query(sql, params)

    @property
    def register_id(self) -> str:
        """This register's identity (a UUID stored inside it when it was created)."""
        rows = self._query("SELECT value FROM meta WHERE key = 'register_id'")
        if not rows:
            raise RegisterError(T.REGISTER_NOT_A_REGISTER.format(path=self.shown,
                                                                 detail="meta.register_id"))
        return str(rows[0][0])

    def highest_number(self) -> str | None:
        """The highest entry number in the register (by year, then sequence), or None."""
        rows = self._query("SELECT number FROM entries ORDER BY year DESC, seq DESC LIMIT 1")
        return str(rows[0][0]) if rows else None

    # --- writing -----------------------------------------------------------------------------

    def record(self, *, assessment_id: str, organisation: Organisation, variant: Variant,
               scope: str, kind: Advice, granted_on: date, valid_until: date,
               round: str = "", decided: bool = False, today: date | None = None) -> Entry:
        """Register the outcome of an assessment and return its entry.

        Idempotent: recording the same assessment again returns the existing entry with the
        same number and the same dates. When kind, variant, scope or the organisation's
        spelling differ they are updated (a corrected manifest), the number stays. The dates
        of an existing entry change only when ``decided``: ``granted_on`` is then the day the
        committee decided (a Besluitdatum, perhaps corrected); otherwise it is merely the day
        of reporting, and the entry keeps the day it was first granted (another kind counts
        its own validity from that day). An entry that is withdrawn, or has expired on
        ``today`` (default: the current date), is returned as it is: never renewed. An
        assessment belongs to one organisation: recording it for another raises
        :class:`InvalidArgument`.
        """
        today = today or date.today()
        # everything stored is cleaned on the way in: no control character reaches a list,
        # an export or a terminal from here
        assessment_id = _tidy(assessment_id)
        name = _tidy(organisation.name)
        scope = clean_text(scope)
        organisation = Organisation(name=name, contact=clean_text(organisation.contact),
                                    address=tuple(line for line in (
                                        clean_text(a) for a in organisation.address) if line))
        if not assessment_id:
            raise InvalidArgument(T.REGISTER_EMPTY_ASSESSMENT)
        if kind not in (Advice.REGISTRATION, Advice.CERTIFICATE):
            raise InvalidArgument(T.REGISTER_BAD_KIND.format(kind=kind.value))
        if variant is Variant.SELF_EVALUATION:
            raise InvalidArgument(T.REGISTER_SELF_ONLY.format(assessment=assessment_id))
        if kind is Advice.CERTIFICATE and not variant.is_audit:
            raise InvalidArgument(T.REGISTER_CERTIFICATE_VARIANT.format(
                variant=T.VARIANT_LABELS[variant.value], assessment=assessment_id))
        if valid_until < granted_on:
            raise InvalidArgument(T.REGISTER_BAD_DATES.format(
                valid_until=valid_until.isoformat(), granted_on=granted_on.isoformat(),
                assessment=assessment_id))
        address = json.dumps(list(organisation.address), ensure_ascii=False)
        with self._write() as conn:
            found = self._select(conn, "WHERE e.assessment_id = ?", (assessment_id,), today)
            if found and found[0].status is not Status.ACTIVE:
                # withdrawn or expired: what was granted then stays as it was (asked who it
                # belongs to all the same)
                if name_key(found[0].organisation.name) != name_key(name):
                    raise InvalidArgument(T.REGISTER_OTHER_ORGANISATION.format(
                        assessment=assessment_id, found=found[0].organisation.name,
                        given=name))
                return found[0]
            org_id = self._upsert_organisation(conn, name, organisation.contact.strip(), address)
            self._upsert_assessment(conn, assessment_id, org_id, name, variant, scope,
                                    round.strip())
            if found and not decided:
                granted_on, valid_until = _kept_dates(found[0], kind, granted_on, valid_until)
            wanted = (kind.value, variant.value, scope, granted_on.isoformat(),
                      valid_until.isoformat(), name)
            if not found:
                year = granted_on.year
                seq = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM entries "
                                   "WHERE year = ?", (year,)).fetchone()[0]
                conn.execute(
                    "INSERT INTO entries (number, year, seq, assessment_id, kind, variant, "
                    "scope, granted_on, valid_until, name, status, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'actief', ?)",
                    (format_number(year, seq), year, seq, assessment_id, *wanted,
                     datetime.now(UTC).replace(microsecond=0).isoformat()))
            else:
                old = found[0]
                if (old.kind.value, old.variant.value, old.scope, old.granted_on.isoformat(),
                        old.valid_until.isoformat(), old.organisation.name) != wanted:
                    conn.execute(
                        "UPDATE entries SET kind = ?, variant = ?, scope = ?, granted_on = ?, "
                        "valid_until = ?, name = ? WHERE assessment_id = ?",
                        (*wanted, assessment_id))
            found = self._select(conn, "WHERE e.assessment_id = ?", (assessment_id,), today)
        return found[0]

    @staticmethod
    def _upsert_organisation(conn: Connection, name: str, contact: str,
                             address: str) -> int:
        key = name_key(name)
        row = conn.execute("SELECT id, contact, address FROM organisations WHERE name_key = ?",
                           (key,)).fetchone()
        if row is None:
            return int(conn.execute(
                "INSERT INTO organisations (name, name_key, contact, address) "
                "VALUES (?, ?, ?, ?) RETURNING id", (name, key, contact, address)).fetchone()[0])
        org_id, old_contact, old_address = row
        # the latest known contact and address win; an empty one never erases a known one
        if contact and contact != old_contact:
            conn.execute("UPDATE organisations SET contact = ? WHERE id = ?", (contact, org_id))
        if address != "[]" and address != old_address:
            conn.execute("UPDATE organisations SET address = ? WHERE id = ?", (address, org_id))
        return int(org_id)

    @staticmethod
    def _upsert_assessment(conn: Connection, assessment_id: str, org_id: int,
                           name: str, variant: Variant, scope: str, round_: str) -> None:
        row = conn.execute(
            "SELECT a.organisation_id, o.name, a.variant, a.scope, a.round FROM assessments a "
            "JOIN organisations o ON o.id = a.organisation_id WHERE a.assessment_id = ?",
            (assessment_id,)).fetchone()
        if row is None:
            conn.execute(
                "INSERT INTO assessments (assessment_id, organisation_id, variant, scope, round) "
                "VALUES (?, ?, ?, ?, ?)", (assessment_id, org_id, variant.value, scope, round_))
            return
        old_org, old_name, old_variant, old_scope, old_round = row
        if old_org != org_id:
            raise InvalidArgument(T.REGISTER_OTHER_ORGANISATION.format(
                assessment=assessment_id, found=old_name, given=name))
        round_ = round_ or old_round
        if (old_variant, old_scope, old_round) != (variant.value, scope, round_):
            conn.execute("UPDATE assessments SET variant = ?, scope = ?, round = ? "
                         "WHERE assessment_id = ?", (variant.value, scope, round_,
                                                     assessment_id))

    def remember_result(self, consolidation: dict[str, Any], *, organisation: str,
                        organisation_id: str = "", round: str = "",
                        reported_on: date) -> None:
        """Keep the consolidation (``consolidation.json``'s content) of a reported assessment,
        whatever its outcome, so a later round can show the organisation what changed since
        (:meth:`previous_result`). Idempotent: reporting the assessment again replaces it.
        ``organisation_id``: the manifest's Organisatie-id (e.g. a KvK number), or ''. An
        assessment belongs to one organisation (the same id, or without ids on both sides
        the same name): keeping it for another raises :class:`InvalidArgument`."""
        assessment_id = _tidy(str(consolidation.get("assessment_id", "")))
        if not assessment_id:
            raise InvalidArgument(T.REGISTER_EMPTY_ASSESSMENT)
        data = zlib.compress(json.dumps(consolidation, ensure_ascii=False).encode("utf-8"))
        org_key, by_name = organisation_id_key(organisation_id), name_key(organisation)
        with self._write() as conn:
            # a number used again for another organisation: its result would be lost, and
            # with it what that organisation's next round compares with
            self._refuse_other_owner(lambda sql, params: conn.execute(sql, params).fetchone(),
                                     assessment_id, organisation, org_key)
            conn.execute(
                "INSERT INTO results (assessment_id, organisation_id, name_key, organisation, "
                "round, reported_on, catalogue_id, catalogue_version, consolidation) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (assessment_id) DO UPDATE SET "
                "organisation_id = excluded.organisation_id, name_key = excluded.name_key, "
                "organisation = excluded.organisation, round = excluded.round, "
                "reported_on = excluded.reported_on, catalogue_id = excluded.catalogue_id, "
                "catalogue_version = excluded.catalogue_version, "
                "consolidation = excluded.consolidation",
                (assessment_id, org_key, by_name, _tidy(organisation), round.strip(),
                 reported_on.isoformat(), str(consolidation.get("catalogue_id", "")),
                 str(consolidation.get("catalogue_version", "")), data))

    def check_owner(self, assessment_id: str, organisation: str,
                    organisation_id: str = "") -> None:
        """Raise :class:`InvalidArgument` when the register ties ``assessment_id`` to another
        organisation (an entry, or a kept result: the same Organisatie-id, or without ids on
        both sides the same name): asked before anything is written for it (and asked again
        by each write, inside its transaction)."""
        self._refuse_other_owner(lambda sql, params: next(iter(self._query(sql, params)), None),
                                 _tidy(assessment_id), organisation,
                                 organisation_id_key(organisation_id))

    @staticmethod
    def _refuse_other_owner(fetch: Callable[[str, tuple[str]], Sequence[Any] | None],
                            assessment_id: str, organisation: str, org_key: str) -> None:
        by_name = name_key(organisation)
        kept = fetch("SELECT organisation_id, name_key, organisation FROM results "
                     "WHERE assessment_id = ?", (assessment_id,))
        other = None
        if kept is not None and (kept[0] != org_key if kept[0] and org_key
                                 else kept[1] != by_name):
            other = kept[2]
        registered = fetch("SELECT o.name_key, o.name FROM assessments a JOIN organisations o "
                           "ON o.id = a.organisation_id WHERE a.assessment_id = ?",
                           (assessment_id,))
        if other is None and registered is not None and registered[0] != by_name:
            other = registered[1]
        if other is not None:
            raise InvalidArgument(T.REGISTER_OTHER_ORGANISATION.format(
                assessment=assessment_id, found=other, given=_tidy(organisation)))

    def previous_result(self, *, assessment_id: str, organisation: str,
                        organisation_id: str = "", before: date, round: str = "",
                        assessed_on: date | None = None, scope: str = "") -> StoredResult | None:
        """The organisation's latest assessment *before* this one; None when there is none
        (or it cannot be told apart).

        Before this one: reported on or before ``before``, of another round than ``round``
        (two assessments of one round, such as two scopes, are never each other's previous),
        and assessed before ``assessed_on`` (the day this assessment's last workbook was
        issued; a kept result's day is its own ``last_issued``, or the day it was reported
        when an older version kept it without one). So an earlier round reported again
        never compares with a later one, and a day both share decides nothing. With a
        ``scope``, an earlier assessment of the same scope is preferred over a later one of
        another scope (an organisation assessed per department).

        Who is the same organisation: with an Organisatie-id, the results with that id, else
        (a previous round without the column) those with the same name and no id; without an
        id, those with the same name. A name that belongs to organisations with different ids
        is no answer: never compare with another organisation."""
        found = self._other_rounds(assessment_id=assessment_id, organisation=organisation,
                                   organisation_id=organisation_id, before=before,
                                   round=round)
        earlier = [stored for stored in found
                   if assessed_on is None or stored.assessed_on < assessed_on]
        earlier = _same_scope_first(earlier, scope)
        return max(earlier, key=_latest_first) if earlier else None

    def passed_over_result(self, *, assessment_id: str, organisation: str,
                           organisation_id: str = "", before: date, round: str = "",
                           assessed_on: date, scope: str = "") -> StoredResult | None:
        """The organisation's assessment that :meth:`previous_result` (the same arguments)
        passed over only because it was not assessed before this one: assessed on the same
        day as ``assessed_on`` or later (the nearest such day first); None when there is
        none. For telling why a report has no comparison although the register knows
        another assessment of the organisation (two rounds on one day)."""
        found = self._other_rounds(assessment_id=assessment_id, organisation=organisation,
                                   organisation_id=organisation_id, before=before,
                                   round=round)
        later = _same_scope_first([stored for stored in found
                                   if stored.assessed_on >= assessed_on], scope)
        return min(later, key=lambda s: (s.assessed_on, s.assessment_id)) if later else None

    def _other_rounds(self, *, assessment_id: str, organisation: str, organisation_id: str,
                      before: date, round: str) -> list[StoredResult]:
        """The kept results of the same organisation (see :meth:`previous_result`) of other
        rounds than ``round``, reported on or before ``before``, other than
        ``assessment_id``; [] when the name is no answer."""
        key, by_name = organisation_id_key(organisation_id), name_key(organisation)
        query = ("SELECT assessment_id, organisation_id, organisation, round, reported_on, "
                 "catalogue_id, catalogue_version, consolidation FROM results "
                 "WHERE assessment_id != ? AND reported_on <= ? AND ")
        params: tuple[Any, ...] = (_tidy(assessment_id), before.isoformat())
        rows = (self._query(query + "organisation_id = ?", (*params, key)) if key else [])
        if not rows:
            rows = self._query(query + "name_key = ?", (*params, by_name))
            ids = {row[1] for row in rows if row[1]}
            if key:
                rows = [row for row in rows if not row[1]]
            elif len(ids) > 1:
                return []
        round_ = round.strip()
        return [StoredResult(
                    assessment_id=row[0], organisation=row[2], round=row[3],
                    reported_on=date.fromisoformat(row[4]), catalogue_id=row[5],
                    catalogue_version=row[6],
                    consolidation=json.loads(zlib.decompress(row[7]).decode("utf-8")))
                for row in rows if not (round_ and row[3] == round_)]

    def withdraw(self, number: str, *, on: date, today: date | None = None) -> Entry:
        """Withdraw an entry as of ``on``; it stays in the register with status *ingetrokken*.

        Withdrawing an entry that is already withdrawn changes nothing. A day after ``today``
        (default: the current date) is refused (:class:`InvalidArgument`), as is a day before
        the entry was granted.
        """
        today = today or date.today()
        if on > today:
            # the register has no "withdrawn from tomorrow": a withdrawn entry is shown as
            # withdrawn everywhere at once, while it is still valid until that day
            raise InvalidArgument(T.REGISTER_WITHDRAW_LATER.format(
                number=_canonical_number(number), on=T.format_date(on),
                today=T.format_date(today)))
        with self._write() as conn:
            found = self._select(conn, "WHERE e.number = ?", (_canonical_number(number),), on)
            if not found:
                raise InvalidArgument(T.REGISTER_UNKNOWN_ENTRY.format(key=number.strip()))
            entry = found[0]
            if entry.status is Status.WITHDRAWN:
                return entry
            if on < entry.granted_on:
                raise InvalidArgument(T.REGISTER_WITHDRAW_TOO_EARLY.format(
                    number=entry.number, on=T.format_date(on),
                    granted_on=T.format_date(entry.granted_on)))
            conn.execute("UPDATE entries SET status = 'ingetrokken', withdrawn_on = ? "
                         "WHERE number = ?", (on.isoformat(), entry.number))
            return self._select(conn, "WHERE e.number = ?", (entry.number,), on)[0]

    # --- reading -----------------------------------------------------------------------------

    def _select(self, conn: Connection | None, where: str, params: Sequence[Any],
                today: date) -> list[Entry]:
        sql = f"{_SELECT} {where} ORDER BY e.year, e.seq"
        rows = conn.execute(sql, params).fetchall() if conn else self._query(sql, params)
        return [_entry(row, today) for row in rows]

    def entry(self, key: str, *, today: date | None = None) -> Entry | None:
        """The entry with this number (``KSW-2026-0042``) or of this assessment, or None."""
        today = today or date.today()
        number = _canonical_number(key)
        found = self._select(None, "WHERE e.number = ?", (number,), today)
        return found[0] if found else next(
            iter(self._select(None, "WHERE e.assessment_id = ?", (_tidy(key),), today)), None)

    def entries(self, *, status: str | None = None, today: date | None = None) -> list[Entry]:
        """All entries in number order, optionally only those with ``status`` on ``today``."""
        wanted = _parse_status(status) if status is not None else None
        found = self._select(None, "", (), today or date.today())
        return [e for e in found if wanted is None or e.status is wanted]

    def expiring(self, within_days: int, *, today: date) -> list[Entry]:
        """Active entries whose validity ends within ``within_days`` days of ``today``
        (days that reach past 31 December 9999, the last date there is, count up to it)."""
        if within_days < 0:
            raise InvalidArgument(T.REGISTER_NEGATIVE_DAYS.format(days=within_days))
        # clamped, not added blindly: today + 10**8 days is no date (OverflowError)
        until = (date.max if within_days >= (date.max - today).days
                 else today + timedelta(days=within_days))
        found = self._select(None, "WHERE e.valid_until BETWEEN ? AND ?",
                             (today.isoformat(), until.isoformat()), today)
        return sorted((e for e in found if e.status is Status.ACTIVE),
                      key=lambda e: (e.valid_until, number_order(e.number)))

    def successors(self, *, today: date | None = None) -> dict[str, Entry]:
        """Entries that a newer active entry of the same organisation follows up: the old
        entry's number → the newest such entry (on ``today``, default the current date).

        The old entry keeps its own status (active until its end or a withdrawal); this only
        tells that the organisation has since been granted again, so that nobody chases it
        to renew. A withdrawn entry has no successor: its withdrawal is what counts.

        The newer entry (granted later; on the same day, numbered later) follows up when it
        is active, of the same kind or a certificate after a registration (a registration
        does not take over a certificate), for the same scope or the whole organisation,
        and of the same organisation as the register knows it: the same Organisatie-id on
        both (the manifest's, kept with their results), or the same organisation (by the key
        of its name) when not both have one, unless that name is shared by organisations
        with different Organisatie-ids.
        """
        today = today or date.today()
        entries = self._select(None, "", (), today)
        facts = {number: (int(org), name_key_, org_id_key or "") for number, org, name_key_,
                 org_id_key in self._query(
                     "SELECT e.number, a.organisation_id, o.name_key, r.organisation_id "
                     "FROM entries e JOIN assessments a ON a.assessment_id = e.assessment_id "
                     "JOIN organisations o ON o.id = a.organisation_id "
                     "LEFT JOIN results r ON r.assessment_id = e.assessment_id")}
        # a name that organisations with different ids share tells nobody apart
        ids_by_name: dict[str, set[str]] = {}
        for name_key_, org_id_key in self._query(
                "SELECT name_key, organisation_id FROM results WHERE organisation_id != ''"):
            ids_by_name.setdefault(name_key_, set()).add(org_id_key)
        for _, name_key_, org_id_key in facts.values():
            if org_id_key:
                ids_by_name.setdefault(name_key_, set()).add(org_id_key)

        def same_organisation(old: Entry, new: Entry) -> bool:
            old_org, old_name, old_id = facts[old.number]
            new_org, _, new_id = facts[new.number]
            if old_id and new_id:
                return old_id == new_id
            return old_org == new_org and len(ids_by_name.get(old_name, ())) <= 1

        def order(entry: Entry) -> tuple[date, tuple[int, int]]:
            return entry.granted_on, number_order(entry.number)

        # only entries of the same organisation row or id are looked at (a national register
        # holds thousands)
        by_row: dict[int, list[Entry]] = {}
        by_id: dict[str, list[Entry]] = {}
        for entry in entries:
            if entry.status is Status.ACTIVE:
                org, _, org_id_key = facts[entry.number]
                by_row.setdefault(org, []).append(entry)
                if org_id_key:
                    by_id.setdefault(org_id_key, []).append(entry)
        found: dict[str, Entry] = {}
        for old in entries:
            if old.status is Status.WITHDRAWN:
                continue
            org, _, org_id_key = facts[old.number]
            candidates = {new.number: new for new in
                          by_row.get(org, []) + (by_id.get(org_id_key, []) if org_id_key else [])}
            newer = [new for new in candidates.values()
                     if order(new) > order(old)
                     and _KIND_RANK[new.kind] >= _KIND_RANK[old.kind]
                     and (not new.scope.strip() or name_key(new.scope) == name_key(old.scope))
                     and same_organisation(old, new)]
            if newer:
                found[old.number] = max(newer, key=order)
        return found


def _latest_first(stored: StoredResult) -> tuple[date, date, str]:
    return stored.assessed_on, stored.reported_on, stored.assessment_id


def _same_scope_first(results: list[StoredResult], scope: str) -> list[StoredResult]:
    """Of ``results``, those of ``scope`` when there are any (an organisation assessed per
    department compares department with department), else all."""
    if not scope.strip():
        return results
    wanted = name_key(scope)
    same = [stored for stored in results
            if name_key(str(stored.consolidation.get("scope") or "")) == wanted]
    return same or results


def format_number(year: int, seq: int) -> str:
    """The readable entry number: ``KSW-2026-0042``."""
    return f"{NUMBER_PREFIX}-{year}-{seq:04d}"


def number_order(number: str) -> tuple[int, int]:
    """``KSW-2026-0042`` → ``(2026, 42)``: register numbers in the order they were given."""
    _, year, seq = number.rsplit("-", 2)
    return int(year), int(seq)


def _canonical_number(key: str) -> str:
    key = key.strip()
    return key.upper() if _NUMBER_RE.match(key) else key


def _parse_status(status: str) -> Status:
    try:
        return Status(status.strip().casefold())
    except ValueError as err:
        raise InvalidArgument(T.REGISTER_UNKNOWN_STATUS.format(
            status=status, allowed=", ".join(s.value for s in Status))) from err


def _entry(row: tuple[Any, ...], today: date) -> Entry:
    (number, assessment_id, kind, variant, scope, granted_on, valid_until, status,
     withdrawn_on, created_at, round_, name, contact, address) = row
    until = date.fromisoformat(valid_until)
    return Entry(
        number=number, assessment_id=assessment_id,
        organisation=Organisation(name=name, contact=contact,
                                  address=tuple(json.loads(address))),
        kind=Advice(kind), variant=Variant(variant), scope=scope, round=round_,
        granted_on=date.fromisoformat(granted_on), valid_until=until,
        status=_status(status, until, today),
        withdrawn_on=date.fromisoformat(withdrawn_on) if withdrawn_on else None,
        created_at=datetime.fromisoformat(created_at),
    )
