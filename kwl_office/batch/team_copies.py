"""Where received copies are filed, and the copies of a shared team workbook: which count,
and which the merged workbook sent back supersedes.

A shared team workbook sent round by mail comes back as several copies. Every copy in the
inbox counts and the submission is their merge (:mod:`kwl_office.excel.merge`); a copy the
secretariat removes from the inbox stops counting (it is kept in ``historie/``).

When that merge is not in order, the team gets the merged workbook back ("met opmerkingen",
:func:`kwl_office.batch.intake.annotate`) and is told to go on in it, not in the old copies.
The returned workbook says which received copies it was merged from, in a custom document
property (:data:`MERGED_FROM_PROPERTY`, which Excel and LibreOffice keep). A copy of it that
comes back **supersedes** those copies: they stop counting and are kept in ``historie/``,
although they are still in the inbox (kwl never changes the inbox, and nobody should have
to know which old mails to delete). A copy that was not part of that merge (someone went on
in an old copy and sent it later) still counts and is merged, so no work is lost; a claim
of copies that were never received is ignored. The superseded copies stay with the
workbook's receipt (``Receipt.superseded``): the merge compares the returned workbook's
copies with them, so a cell corrected in one copy of the returned workbook is no conflict
with the uncorrected value that another copy of it still has.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office.assessment import Submission
from kwl_office.atomic import write_bytes_atomic
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.issue import IssuedWorkbook
from kwl_office.batch.receipts import Receipt, ReceivedCopy
from kwl_office.batch.versions import saved_moment
from kwl_office.errors import UnreadableFile
from kwl_office.excel import layout as L
from kwl_office.excel.container import open_workbook_file
from kwl_office.names import file_name

#: where the other counting copies of a team workbook are filed, beside the newest
COPIES_DIR = "kopieën"
#: the custom document property of a returned team workbook that names the received copies
#: it was merged from: the start of each one's SHA-256, separated by spaces
MERGED_FROM_PROPERTY = L.PROPERTY_PREFIX + "merged_from"
#: hex digits of a digest written in :data:`MERGED_FROM_PROPERTY`: 64 bits tell copies of
#: one workbook apart, and 15 copies stay within the 255 characters Excel's dialog allows
CLAIM_DIGITS = 16
_CLAIM = re.compile(f"[0-9a-f]{{{CLAIM_DIGITS},64}}")


@dataclass
class Arrival:
    """A new copy of a team workbook found in the inbox, not filed yet."""

    source: str
    suffix: str
    data: bytes
    sha256: str
    mtime: float
    submission: Submission


@dataclass
class SupersededNote:
    """Copies of a team workbook that stopped counting at this collect because a copy of the
    merged workbook sent back came in (told on the console, one line per workbook)."""

    workbook_id: str
    #: the workbook, as the intake and the status name it
    label: str
    #: the names in the inbox of the copies of the returned workbook that supersede them
    by: list[str]
    #: the names in the inbox of the copies that no longer count
    superseded: list[str]

    @property
    def message(self) -> str:
        """What happened, in Dutch."""
        text = T.COLLECT_SUPERSEDED["one" if len(self.superseded) == 1 else "many"]
        return f"{self.label}: " + text.format(
            by=dutch.join(f"'{name}'" for name in self.by),
            old=dutch.join(f"'{name}'" for name in self.superseded))


def claim_text(digests: list[str]) -> str:
    """The value of :data:`MERGED_FROM_PROPERTY` for a workbook merged from ``digests``."""
    return " ".join(digest[:CLAIM_DIGITS] for digest in digests)


def claimed(arrival: Arrival, known: set[str]) -> list[str]:
    """The digests among ``known`` (copies of this workbook received) that an arriving copy
    says it was merged from; unknown ones and its own are left out."""
    try:
        text = open_workbook_file(Path(arrival.source), arrival.data).properties.get(
            MERGED_FROM_PROPERTY, "")
    except UnreadableFile:
        return []
    prefixes = _CLAIM.findall(text.lower())
    return sorted(digest for digest in known - {arrival.sha256}
                  if any(digest.startswith(prefix) for prefix in prefixes))


def file_team_copies(folder: RoundFolder, index: dict[str, IssuedWorkbook],
                     receipts: dict[str, Receipt], arrivals: dict[str, list[Arrival]],
                     present: set[str]) -> tuple[list[str], list[SupersededNote]]:
    """File the copies of team workbooks: every copy in the inbox counts (forks of a
    workbook sent round by mail are merged), except those a copy of the merged workbook
    sent back supersedes; a copy no longer in the inbox stops counting and goes to history.
    When no copy of a workbook is in the inbox any more (the inbox was cleared), what was
    received stays as it is. Returns the workbooks that changed, and what was superseded."""
    changed, notes = [], []
    for workbook_id, receipt in list(receipts.items()):
        copies = receipt.all_copies()
        if (workbook_id not in arrivals and workbook_id in index and len(copies) > 1
                and any(c.sha256 not in present for c in copies)
                and any(c.sha256 in present for c in copies)):
            arrivals[workbook_id] = []  # a copy was removed from the inbox
    for workbook_id, news in arrivals.items():
        issued = index[workbook_id]
        current = receipts.get(workbook_id)
        old = current.all_copies() if current is not None else []
        kept = [c for c in old if c.sha256 in present and (folder.root / c.file).is_file()]
        receipt, gone = _refile(folder, issued, current, kept, news)
        receipts[workbook_id] = receipt
        changed.append(workbook_id)
        if gone:
            digests = {c.sha256 for c in gone}
            counting = receipt.all_copies()
            by = ([c.source for c in counting if digests.intersection(c.merged_from)]
                  or [c.source for c in counting if c.merged_from])
            notes.append(SupersededNote(workbook_id, issued.label, by,
                                        [c.source for c in gone]))
    return changed, notes


def _refile(folder: RoundFolder, issued: IssuedWorkbook, current: Receipt | None,
            kept: list[ReceivedCopy], news: list[Arrival]
            ) -> tuple[Receipt, list[ReceivedCopy]]:
    """Lay out a team workbook's counting copies: the newest where a single copy would be,
    the others under ``kopieën/``; dropped and superseded copies into ``historie/``. Newest
    by the moment each copy says it was saved when every copy says one, else by the inbox
    dates (as a single workbook's versions: :func:`~kwl_office.batch.versions.weigh`); every
    copy counts either way, but the newest is the one the merge writes into and is
    annotated. Returns the receipt and the copies superseded now."""
    old = current.all_copies() if current is not None else []
    history = list(current.history) if current is not None else []
    superseded = list(current.superseded) if current is not None else []
    data = {c.sha256: (folder.root / c.file).read_bytes() for c in kept}
    data.update({a.sha256: a.data for a in news})
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    known = {c.sha256 for c in (*old, *superseded)} | {a.sha256 for a in news}
    entries = [*kept, *(ReceivedCopy(file="", sha256=a.sha256, source=a.source,
                                     source_mtime=a.mtime, received_at=now,
                                     merged_from=claimed(a, known)) for a in news)]
    claims = {digest for entry in entries for digest in entry.merged_from}
    if all(entry.sha256 in claims for entry in entries):
        claims = set()  # copies that each claim the other: none would count, none is believed
    claimed_news = {e.sha256: e for e in entries[len(kept):] if e.sha256 in claims}
    entries = [entry for entry in entries if entry.sha256 not in claims]
    saved = {c.sha256: saved_moment(data[c.sha256]) for c in entries} if len(entries) > 1 else {}
    if saved and None not in saved.values():
        # the same second (a tie) falls back on the inbox dates
        entries.sort(key=lambda c: (saved[c.sha256], c.source_mtime, c.source))
    else:
        entries.sort(key=lambda c: (c.source_mtime, c.source))
    suffixes = {c.sha256: Path(c.file).suffix for c in kept}
    suffixes.update({a.sha256: a.suffix.lower() for a in news})
    counting = {entry.sha256 for entry in entries}
    before = len(superseded)
    for dropped in (c for c in old if c.sha256 not in counting):
        source = folder.root / dropped.file
        if source.exists():
            kept_as = to_history(folder, issued, source.suffix, source.read_bytes(),
                                 dropped.sha256)
            history.append(kept_as.relative_to(folder.root).as_posix())
            if dropped.sha256 in claims:
                superseded.append(dropped.model_copy(update={"file": history[-1]}))
    for arrival in (a for a in news if a.sha256 in claims):  # superseded as it came in
        kept_as = to_history(folder, issued, arrival.suffix, arrival.data, arrival.sha256)
        history.append(kept_as.relative_to(folder.root).as_posix())
        superseded.append(claimed_news[arrival.sha256].model_copy(update={"file": history[-1]}))
    placed = []
    for n, entry in enumerate(entries):
        suffix = suffixes[entry.sha256]
        target = received_path(folder, issued, suffix)
        if n < len(entries) - 1:
            target = target.parent / COPIES_DIR / f"{target.stem}.{entry.sha256[:12]}{suffix}"
        file = target.relative_to(folder.root).as_posix()
        if file != entry.file or not target.exists():  # a copy that stays is not rewritten
            write_bytes_atomic(target, data[entry.sha256])
        placed.append(entry.model_copy(update={"file": file}))
    for stale in {c.file for c in old} - {c.file for c in placed}:
        (folder.root / stale).unlink(missing_ok=True)
    newest = placed[-1]
    return Receipt(workbook_id=issued.workbook_id, file=newest.file, sha256=newest.sha256,
                   source=newest.source, source_mtime=newest.source_mtime,
                   received_at=newest.received_at, history=history, copies=placed[:-1],
                   merged_from=newest.merged_from, superseded=superseded), superseded[before:]


def received_path(folder: RoundFolder, issued: IssuedWorkbook, suffix: str) -> Path:
    """Where the copy of ``issued`` that counts is filed."""
    stem = Path(issued.file).stem
    return folder.received / file_name(issued.assessment_id) / f"{stem}{suffix.lower()}"


def to_history(folder: RoundFolder, issued: IssuedWorkbook, suffix: str, data: bytes,
               digest: str, *, staged: Path | None = None) -> Path:
    """Keep ``data`` in the workbook's history (once per content); ``staged``: the same bytes
    written beside the workbook already, used or removed."""
    history = history_path(folder, issued, suffix, digest)
    if history.exists():
        if staged is not None:
            staged.unlink(missing_ok=True)
    elif staged is not None:
        history.parent.mkdir(exist_ok=True)
        os.replace(staged, history)
    else:
        write_bytes_atomic(history, data)
    return history


def history_path(folder: RoundFolder, issued: IssuedWorkbook, suffix: str,
                 digest: str) -> Path:
    """Where a version of the workbook (by its content) is kept as history."""
    target = received_path(folder, issued, suffix)
    return target.parent / "historie" / f"{target.stem}.{digest[:12]}{target.suffix}"
