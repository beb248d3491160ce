"""Where each assessment of a round stands (``kwl round status``, the dashboard): read only,
never a lock. It asks what the round's steps ask (:mod:`kwl_office.batch.readiness`: which
workbooks the manifest still expects, whether they are in and valid), so status and report
never disagree; and says when a report is out of date or failed since.

Out of date: what the report was made from and status can know (the workbooks that count,
the Eindoordelen in ``geconsolideerd.xlsx``, the manifest row, the letter settings and the
branch benchmark of ``ronde.yaml``, the catalogue, the tool's version) is recomputed by the
same function the report keeps it with (:func:`~kwl_office.batch.readiness.folder_fingerprint`)
and compared part by part. Only the report knows the templates given on its command line and
the register's history: a change there is not seen here. A state written by an older kwl has
no such fingerprint: a workbook taken in after it is all that is seen, as then.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.intake import status_of
from kwl_office.batch.issue import (
    expected_workbooks,
    load_index,
    pending_mirror_workbooks,
)
from kwl_office.batch.manifest import ManifestEntry
from kwl_office.batch.pool import pool_for
from kwl_office.batch.readiness import (
    Readiness,
    benchmark_digest,
    folder_fingerprint,
    input_parts,
)
from kwl_office.batch.receipts import (
    ReceivedCopy,
    load_receipts,
    read_all_received,
)
from kwl_office.batch.report import (
    FOLDER_INPUTS,
    STATE_NAME,
    read_state,
    readiness,
)
from kwl_office.batch.steps import (
    collected_self_evaluations,
    decision_untrue,
    round_manifest,
    waiting_reasons,
    with_pending,
)
from kwl_office.catalogue import Catalogue
from kwl_office.errors import (
    KwlError,
)
from kwl_office.findings import Finding, Report
from kwl_office.names import id_key
from kwl_office.places import register_exists
from kwl_office.register import Entry, Register, Status


@dataclass
class StatusRow:
    """Where one assessment stands."""

    assessment_id: str
    host: str
    variant: str
    expected: int
    received: int
    invalid: int
    state: str
    advice: str = ""
    number: str = ""
    #: the findings of its last report (consolidation errors and warnings)
    findings: list[Finding] = field(default_factory=list)


#: the traceback of an assessment's last failed report, beside its outputs: written by
#: :func:`~kwl_office.batch.report.failed`, removed when the assessment is made again
FAILURE_NAME = "fout.txt"

#: when something was written: the second it records itself (ISO 8601, UTC: a copy of the
#: round folder keeps it), then its file's own time, finer, for two things in one second
_Moment = tuple[datetime, float]


def round_status(folder: RoundFolder) -> tuple[list[StatusRow], Report]:
    """One row per assessment of the manifest (reads only; takes no lock). A workbook with
    a mirror that is not issued yet counts as expected and missing, and its state says that
    it waits for the self-evaluation.

    "gerapporteerd" holds while the report is current: a change since in what it was made
    from makes it "gerapporteerd, maar nu: nieuwe versie binnen (opnieuw rapporteren)" (or
    what else changed: "manifest gewijzigd", …), a report that failed since, with no
    workbook in after that, "rapportage mislukt: …" (a first one too)."""
    catalogue = folder.catalogue()
    key = folder.key()
    entries, report = round_manifest(folder, catalogue)
    index = load_index(folder)
    receipts = load_receipts(folder)
    wanted = [r for workbook_id, r in receipts.items() if workbook_id in index]
    with pool_for(None, len(wanted)) as (pool, count):
        read, _ = read_all_received(folder, wanted, catalogue, key, pool=pool, workers=count)
    waiting = pending_mirror_workbooks(entries, index)
    pending = waiting_reasons(waiting, collected_self_evaluations(folder, entries, catalogue,
                                                                  key, index, receipts, read))
    states = {entry.assessment.id: read_state(folder.assessment_output(entry.assessment.id))
              for entry in entries}
    # a reported assessment's state was written when it was reported: whether its entry was
    # withdrawn or expired since, and what a report that failed or was stopped after the
    # register step registered, only the register knows (one query for the whole round)
    found = _register_entries(folder) if entries else []
    labels = _labelled({number: number for data in states.values()
                        if (number := data.get("number", ""))}, found)
    active = {id_key(e.assessment_id): e for e in found if e.status is Status.ACTIVE}
    copies = {copy.file: copy for receipt in receipts.values() for copy in receipt.all_copies()}
    benchmark = benchmark_digest(folder) if any(states.values()) else ""
    rows = []
    for entry in entries:
        # what the manifest still asks for: a workbook of a reviewer taken off the row is
        # neither expected nor counted (readiness says the same)
        expected = expected_workbooks(entry, [w for w in index.values()
                                              if w.assessment_id == entry.assessment.id])
        later = pending.get(id_key(entry.assessment.id), [])
        received = [w for w in expected if w.workbook_id in receipts]
        invalid = 0
        subs = {}
        for w in received:
            if w.workbook_id in read:  # an unreadable copy counts as invalid
                subs[w.workbook_id] = read[w.workbook_id]
            invalid += w.workbook_id not in read or status_of(w, subs) == T.INTAKE_INVALID
        out = folder.assessment_output(entry.assessment.id)
        data = states[entry.assessment.id]
        advice = number = ""
        findings: list[Finding] = []
        ready = with_pending(readiness(folder, entry, catalogue, key, index, subs, receipts),
                              later)
        failure = _failure(folder, out, ready.files, copies)
        if not expected:
            state = T.STATUS_NOT_ISSUED
        elif data:
            # the last attempt first: a report that failed since is what to act on
            anyway = _reported_incomplete(data)
            if failure:
                state = failure
            elif not ready.ready and not anyway:
                state = T.STATUS_REPORTED_BUT.format(reason=ready.reason)
            elif changed := _out_of_date(folder, entry, ready, catalogue, data, benchmark,
                                         copies):
                state = T.STATUS_REPORTED_BUT.format(reason=changed)
            elif not ready.ready:  # reported with --incomplete, knowing what was missing
                state = T.STATUS_REPORTED_INCOMPLETE.format(reason=ready.reason)
            else:
                state = T.STATUS_REPORTED
            advice = data.get("decision") or data.get("advice", "")
            number = labels.get(data.get("number", ""), "")
            findings = [Finding.model_validate(f) for f in data.get("findings", [])]
            if data.get("waiting") and not failure:
                # e.g. the letter waits for a signatory in ronde.yaml
                state = f"{state}; {data['waiting']}"
        elif failure:
            state = failure
        elif not ready.ready:
            state = ready.reason
        else:  # as round report says it
            state = decision_untrue(entry, date.today(), ready.submissions) or T.STATUS_READY
        registered = active.get(id_key(entry.assessment.id)) if expected else None
        if registered is not None and not _states(data, registered):
            state = _with_registered(state, registered)
            advice, number = registered.kind.value, registered.number
        rows.append(StatusRow(entry.assessment.id, entry.assessment.host,
                              entry.assessment.variant.value, len(expected) + len(later),
                              len(received), invalid, state, advice, number, findings))
    return rows, report


def _states(data: dict[str, Any], entry: Entry) -> bool:
    """Whether the report whose state file holds ``data`` made the documents that state the
    register's active ``entry`` (its number, as that kind)."""
    return data.get("number") == entry.number and data.get("decision") == entry.kind.value


def _with_registered(state: str, entry: Entry) -> str:
    """The Stand of an assessment whose active register ``entry`` its documents do not state
    yet: said instead of "klaar voor rapportage" or "gerapporteerd" (both untrue), after any
    other Stand (a failure, a reason to wait, a change to report)."""
    note = T.STATUS_REGISTERED_NOT_MADE.format(
        number=entry.number, documents=T.REGISTERED_DOCUMENTS[entry.kind.value])
    if state in (T.STATUS_READY, T.STATUS_REPORTED):
        return f"{note}: {T.STATUS_REPORT_AGAIN}"
    return f"{state}; {note}"


def entry_labels(folder: RoundFolder, numbers: Iterable[str], *,
                 today: date | None = None) -> dict[str, str]:
    """Each register number as the round's tables show it: ``KSW-2026-0016 (ingetrokken op
    …)`` or ``… (verlopen: …)`` when its entry is no longer valid on ``today`` (default: the
    current date), as the register says now (one query). Without a readable register, every
    number stays as it is (this never creates a register)."""
    labels = {number: number for number in numbers if number}
    if not labels:
        return labels
    return _labelled(labels, _register_entries(folder, today=today))


def _register_entries(folder: RoundFolder, *, today: date | None = None) -> list[Entry]:
    """Every entry of the round's register, with its status on ``today`` (one query); none
    without a readable register (this never creates one)."""
    try:
        location = folder.register_path()
        if not register_exists(location):
            return []
        with Register(location, create=False) as register:
            return register.entries(today=today)
    except (KwlError, OSError):
        return []  # the tables show what the round knows, as without a register


def _labelled(labels: dict[str, str], found: list[Entry]) -> dict[str, str]:
    """``labels`` (number → number) with each entry of ``found`` that is no longer active
    said as such."""
    for entry in found:
        if entry.number in labels and entry.status is not Status.ACTIVE:
            labels[entry.number] = T.STATUS_ENTRY[entry.status.value].format(
                number=entry.number, until=T.format_date(entry.valid_until),
                on=T.format_date(entry.withdrawn_on) if entry.withdrawn_on else "?")
    return labels


def _reported_incomplete(state: dict[str, Any]) -> bool:
    """Whether the last report was made with ``--incomplete`` (its findings say so)."""
    return any(isinstance(f, dict) and f.get("code") == "reported-incomplete"
               for f in state.get("findings", []))


def _out_of_date(folder: RoundFolder, entry: ManifestEntry, ready: Readiness,
                 catalogue: Catalogue, state: dict[str, Any], benchmark: str,
                 copies: dict[str, ReceivedCopy]) -> str:
    """Why the report of a ready assessment, whose state file holds ``state``, is out of
    date ('' while it is current): what changed since in what it was made from, as
    :func:`_what_changed` says it; for a state of an older kwl, a workbook it counts that
    was taken in after it."""
    before = state.get(FOLDER_INPUTS)
    if not isinstance(before, dict):
        out = folder.assessment_output(entry.assessment.id)
        return T.STATUS_NEW_VERSION if _came_in_after(
            folder, ready.files, copies, _moment(out / STATE_NAME, state.get("finished_at"))
        ) else ""
    # the report's own function on what readiness gives it: status and report agree
    now = folder_fingerprint(input_parts(folder, entry, ready.files, catalogue, state,
                                         missing=ready.missing,
                                         not_counted=[n for n, _, _ in ready.not_counted]),
                             benchmark)
    return _what_changed(before, now)


def _what_changed(before: dict[str, Any], now: dict[str, Any]) -> str:
    """``nieuwe versie binnen en manifest gewijzigd (opnieuw rapporteren)``: the parts of
    :func:`~kwl_office.batch.readiness.folder_fingerprint` that differ between the report's
    (``before``) and ``now``, each said as it is; '' when none does. A received copy that
    counts and was not counted then is a new version in; one that no longer counts is said
    by what made it so (a manifest row changed), or else as any other change."""
    known = before.get("files")
    known = known if isinstance(known, dict) else {}
    what = ([T.STATUS_CHANGED_WORKBOOK]
            if any(known.get(file) != sha for file, sha in now["files"].items()) else [])
    what += [text for part, text in T.STATUS_CHANGED_PARTS.items()
             if before.get(part) != now[part]]
    if not what and any(before.get(part) != value for part, value in now.items()):
        what = [T.STATUS_CHANGED_OTHER]
    return T.STATUS_CHANGED.format(what=dutch.join(what)) if what else ""


def _failure(folder: RoundFolder, out: Path, files: list[str],
             copies: dict[str, ReceivedCopy]) -> str:
    """``rapportage mislukt: …`` when the last report of the assessment whose outputs are in
    ``out`` failed (a success removes ``fout.txt``) and none of ``files`` came in since (a
    new version may well succeed); else ''."""
    path = out / FAILURE_NAME
    try:
        text, moment = path.read_text(encoding="utf-8", errors="replace"), _moment(path)
    except OSError:
        return ""
    if _came_in_after(folder, files, copies, moment):
        return ""
    return T.STATUS_FAILED.format(reason=_failure_reason(text),
                                  file=path.relative_to(folder.root).as_posix())


def _failure_reason(text: str) -> str:
    """Why a report failed, as the console said it: the first line of ``fout.txt``; from a
    ``fout.txt`` of an older kwl (the traceback alone), one of our own errors by its message,
    another with its kind."""
    lines = text.splitlines()
    if lines and lines[0].strip() and not lines[0].startswith("Traceback ("):
        return lines[0].strip()[:300]  # the reason as the console said it
    # of an older kwl, the traceback alone: the last one is the error itself (those before
    # it led to it)
    start = max((n for n, line in enumerate(lines) if line.startswith("Traceback (")),
                default=-1)
    for line in lines[start + 1:]:
        if not line.strip() or line[0].isspace():  # a frame of the traceback
            continue
        kind, _, message = line.partition(": ")
        if " " in kind:  # no exception's line: the text as it is
            return line.strip()[:300]
        name = kind.rsplit(".", 1)[-1]
        if not message:
            return name
        return (message if kind.startswith("kwl_office.") else f"{name}: {message}")[:300]
    return T.STATUS_FAILED_UNKNOWN


def _moment(path: Path, stamp: str | None = None) -> _Moment:
    """When ``path`` was written (:data:`_Moment`); ``stamp``: the moment it records
    itself, if any. Raises :class:`OSError` when it is not there."""
    mtime = path.stat().st_mtime
    try:
        second = datetime.fromisoformat(stamp) if stamp else None
    except ValueError:
        second = None
    if second is None or second.tzinfo is None:
        second = datetime.fromtimestamp(mtime, UTC).replace(microsecond=0)
    return second, mtime


def _came_in_after(folder: RoundFolder, files: Iterable[str],
                   copies: dict[str, ReceivedCopy], moment: _Moment) -> bool:
    """Whether one of ``files`` (:attr:`Readiness.files`: the received copies whose contents
    the report's input digest holds) was taken in after ``moment``: new to the report."""
    for file in files:
        copy = copies.get(file)
        try:
            if _moment(folder.root / file, copy.received_at if copy else None) > moment:
                return True
        except OSError:
            continue  # not there: readiness says so
    return False
