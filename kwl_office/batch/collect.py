"""Collect returned files from the inbox: identify, file a copy, report, annotate.

Originals in the inbox are never modified or moved. Each file is identified by its signed
identity (whatever its name), checked, and copied under ``ontvangen/<toetsing>/``; an earlier
submission of the same workbook is kept in ``historie/``. A shared team workbook that comes
back as several differing copies (sent round by mail) keeps every copy that is in the inbox
(under ``kopieën/``); its submission is their merge (:mod:`kwl_office.excel.merge`), and a
copy the secretariat removes from the inbox stops counting (it is kept in ``historie/``).
Foreign, forged and unreadable files are rejected with a reason. Attachments that are no
workbook at all (a PDF, a letter, a photo, an e-mail), recognised by their content, are
skipped: listed, never an error.
``uitvoer/intake.xlsx`` lists every expected workbook, and every invalid submission gets an
annotated copy to send back.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from kwl_office import texts_nl as T
from kwl_office.assessment import Submission
from kwl_office.atomic import copy_file_atomic, write_bytes_atomic, write_text_atomic
from kwl_office.batch.attachments import attachment_kind
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.issue import IssuedWorkbook, load_index
from kwl_office.batch.pool import map_in, pool_for
from kwl_office.catalogue import Catalogue
from kwl_office.errors import UnreadableFile
from kwl_office.excel.container import read_bounded
from kwl_office.excel.merge import WorkbookCopy, read_copies
from kwl_office.excel.reader import read_submission
from kwl_office.findings import Finding, make_finding
from kwl_office.names import file_name

RECEIVED_INDEX = "ontvangst.json"
#: seconds between saves of the receipts while taking in (see :func:`collect`)
SAVE_EVERY_S = 1.0
#: where the other counting copies of a team workbook are filed, beside the newest
COPIES_DIR = "kopieën"
_SKIP = ("~$", ".~lock", ".")
class ReceivedCopy(BaseModel):
    """One received copy of a workbook, filed in the round folder."""

    model_config = ConfigDict(extra="forbid")

    file: str  # relative to the round folder
    sha256: str
    source: str  # where it was found, relative to the inbox
    source_mtime: float
    received_at: str


class Receipt(BaseModel):
    """The current submission of an issued workbook: its newest received copy, and for a
    shared team workbook that came back as several differing copies the other copies that
    count (``copies``, oldest first; the submission is the merge of all of them)."""

    model_config = ConfigDict(extra="forbid")

    workbook_id: str
    file: str  # relative to the round folder
    sha256: str
    source: str  # where it was found, relative to the inbox
    source_mtime: float
    received_at: str
    history: list[str] = []
    #: absent in receipts written before team workbooks: then there is one copy
    copies: list[ReceivedCopy] = []

    def all_copies(self) -> list[ReceivedCopy]:
        """Every copy that counts, oldest first, the newest (``file``) last."""
        return [*self.copies, ReceivedCopy(file=self.file, sha256=self.sha256,
                                           source=self.source, source_mtime=self.source_mtime,
                                           received_at=self.received_at)]

    @property
    def files(self) -> list[str]:
        """The files of every copy that counts (relative to the round folder)."""
        return [c.file for c in self.all_copies()]


@dataclass
class _Arrival:
    """A new copy of a team workbook found in the inbox, not filed yet."""

    source: str
    suffix: str
    data: bytes
    sha256: str
    mtime: float
    submission: Submission


@dataclass
class Rejection:
    """A file in the inbox that was not taken in: where it was, why (for the intake sheet)
    and the finding (``unreadable-file``, ``identity-tampered`` or ``foreign-workbook``)."""

    source: str
    reason: str
    finding: Finding


@dataclass
class Skipped:
    """A file in the inbox that is no workbook (a PDF, a letter, a photo, an e-mail…),
    recognised by its content: listed with what it is, never taken in, never an error."""

    source: str
    #: what it is: a key of ``texts_nl.SKIPPED_KINDS`` ("pdf", "word", "image", …)
    kind: str

    @property
    def reason(self) -> str:
        """What it is, in Dutch, for the intake sheet and the console."""
        return T.SKIPPED_KINDS[self.kind]


@dataclass
class CollectResult:
    """What ``round collect`` found."""

    new: list[str] = field(default_factory=list)
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    submissions: dict[str, Submission] = field(default_factory=dict)  # workbook id → read
    receipts: dict[str, Receipt] = field(default_factory=dict)
    #: workbooks whose identity was read, and how many of those failed its signature
    signed: int = 0
    unsigned: int = 0

    @property
    def key_suspect(self) -> bool:
        """True when every workbook with an identity (two or more) failed its signature:
        then the round's key is the likely cause, not forgery."""
        return self.signed >= 2 and self.unsigned == self.signed


def read_received(folder: RoundFolder, receipt: Receipt, catalogue: Catalogue,
                  key: bytes | None) -> Submission:
    """The current submission of a received workbook: its filed copy read back, or for a
    team workbook received as several copies their merge, whose findings name each copy by
    its name in the inbox. Every read of a receipt goes through here. Raises
    :class:`~kwl_office.errors.UnreadableFile` when a filed copy cannot be read."""
    return read_copies(received_copies(folder, receipt), catalogue, key=key)


def read_all_received(folder: RoundFolder, receipts: Iterable[Receipt], catalogue: Catalogue,
                      key: bytes | None, *, pool: Executor | None = None, workers: int = 1
                      ) -> tuple[dict[str, Submission], dict[str, str]]:
    """:func:`read_received` for many receipts, in ``pool`` when given (``workers`` processes):
    the submissions by workbook id, and the reason per workbook id whose copy could not be
    read."""
    task = functools.partial(_read_received_task, str(folder.root), catalogue, key)
    submissions: dict[str, Submission] = {}
    unreadable: dict[str, str] = {}
    for workbook_id, sub, reason in map_in(pool, task, receipts, workers=workers):
        if sub is not None:
            submissions[workbook_id] = sub
        else:
            unreadable[workbook_id] = reason
    return submissions, unreadable


def _read_received_task(root: str, catalogue: Catalogue, key: bytes | None, receipt: Receipt
                        ) -> tuple[str, Submission | None, str]:
    try:
        return receipt.workbook_id, read_received(RoundFolder(Path(root)), receipt, catalogue,
                                                  key), ""
    except UnreadableFile as err:
        return receipt.workbook_id, None, err.reason


def received_copies(folder: RoundFolder, receipt: Receipt) -> list[WorkbookCopy]:
    """Every copy of a received workbook that counts, oldest first, named as in the inbox."""
    return [WorkbookCopy(c.source, folder.root / c.file) for c in receipt.all_copies()]


def load_receipts(folder: RoundFolder) -> dict[str, Receipt]:
    """workbook id → current receipt."""
    path = folder.received / RECEIVED_INDEX
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: Receipt.model_validate(v) for k, v in data.items()}


def _save_receipts(folder: RoundFolder, receipts: dict[str, Receipt]) -> None:
    data = {k: receipts[k].model_dump(mode="json") for k in sorted(receipts)}
    write_text_atomic(folder.received / RECEIVED_INDEX,
                      json.dumps(data, ensure_ascii=False) + "\n")


def inbox_files(folder: RoundFolder) -> list[Path]:
    """Every entry below the inbox that is not a folder (also links, pipes and devices, which
    are refused with a reason rather than passed over), lock and hidden files left out, in a
    stable order. Links to folders are not followed."""
    found = []
    for top, dirs, files in os.walk(folder.inbox, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(top) / name for name in files if not name.startswith(_SKIP)]
    return sorted(found)


def inbox_bytes(folder: RoundFolder, path: Path) -> bytes:
    """The bytes of an inbox file, read once and bounded
    (:func:`~kwl_office.excel.container.read_bounded`). A link is followed only when it
    stays inside the round folder; one that leaves it is refused unread."""
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(folder.root.resolve()):
            raise UnreadableFile(path, T.UNREADABLE["link-outside"])
        path = target
    return read_bounded(path)


def _mtime(path: Path) -> float:
    try:
        return path.lstat().st_mtime
    except OSError:
        return 0.0


def collect(folder: RoundFolder, catalogue: Catalogue, key: bytes, *,
            workers: int | None = None) -> CollectResult:
    """Take in everything in the inbox; safe to run again (unchanged files are skipped).

    With many files the workbooks are read in ``workers`` processes (default: the cores)
    before they are taken in, one by one and in order, as when read here.
    """
    index = load_index(folder)
    receipts = load_receipts(folder)
    result = CollectResult(receipts=receipts)
    # newest last: when two files are submissions of the same workbook, the newer wins
    files = sorted(inbox_files(folder), key=lambda p: (_mtime(p), str(p)))
    known = {c.sha256 for r in receipts.values() for c in r.all_copies()}
    present: set[str] = set()  # the digests of everything in the inbox now
    arrivals: dict[str, list[_Arrival]] = {}  # team workbook id → its new copies
    unsaved, saved_at = 0, time.monotonic()
    found: dict[Path, _InboxFile] = {}
    for path in files:
        try:
            # stat, then one bounded read: no special file, far link or huge file is read
            data = inbox_bytes(folder, path)
        except UnreadableFile as err:
            found[path] = _InboxFile(error=err)
            continue
        kind = attachment_kind(path.name, data)
        # an attachment keeps only what it is: its bytes are not held for the whole run
        found[path] = (_InboxFile(skipped=kind) if kind is not None
                       else _InboxFile(data=data, digest=hashlib.sha256(data).hexdigest()))
    new = _new_workbooks(folder, found, known)
    with pool_for(workers, len(new)) as (pool, count):
        # the new workbooks are read in the workers while they are taken in here, in order
        task = functools.partial(_read_inbox_task, catalogue, key)
        read = _InOrder([Path(item[0]) for item in new],
                        map_in(pool, task, new, workers=count))
        for path in files:
            source = path.relative_to(folder.inbox).as_posix()
            inbox_file = found[path]
            if inbox_file.error is not None:
                reason = inbox_file.error.reason
                result.rejected.append(Rejection(source, reason, make_finding(
                    "unreadable-file", file=source, reason=reason)))
                continue
            if inbox_file.skipped is not None:
                result.skipped.append(Skipped(source, inbox_file.skipped))
                continue
            data, digest = inbox_file.data, inbox_file.digest
            present.add(digest)
            if digest in known:
                result.unchanged += 1
                continue
            sub = read.take(path)
            if sub.unreadable:
                result.rejected.append(_refused(source, sub))
                continue
            ident = sub.identity
            codes = sub.report.codes()
            if ident is not None and "identity-missing" not in codes:
                result.signed += 1
                result.unsigned += "identity-tampered" in codes
            issued = index.get(ident.workbook_id) if ident is not None else None
            if ident is not None and issued is None and "identity-missing" not in codes:
                # not a workbook this round issued: of another round, or another key
                reason = T.COLLECT_FOREIGN.format(assessment=ident.assessment_id, host=ident.host)
                result.rejected.append(Rejection(source, reason, make_finding(
                    "foreign-workbook", file=source, reason=reason)))
                continue
            if issued is None or "identity-missing" in codes or "identity-tampered" in codes:
                result.rejected.append(Rejection(source, T.COLLECT_FORGED, make_finding(
                    "identity-tampered", file=source, detail=f" ({source})")))
                continue
            mtime = _mtime(path)
            if ident is not None and ident.is_team:  # filed below, once all its copies are known
                arrivals.setdefault(issued.workbook_id, []).append(
                    _Arrival(source, path.suffix, data, digest, mtime, sub))
                known.add(digest)
                continue
            current = receipts.get(issued.workbook_id)
            if current is not None and current.source_mtime > mtime:
                # an older version arriving late: keep it as history, the newer stays current
                _to_history(folder, issued, path.suffix, data, digest)
                result.unchanged += 1
                continue
            receipts[issued.workbook_id] = _file_copy(folder, issued, path.suffix, data, source,
                                                      digest, mtime, current)
            known.add(digest)
            unsaved += 1
            # saved now and then: rewriting the whole index per file grows with the square of
            # the round (1,200 receipts take ~10 ms to write); a crash loses at most a second
            # of receipts, whose copies are simply redone
            if time.monotonic() - saved_at >= SAVE_EVERY_S:
                _save_receipts(folder, receipts)
                unsaved, saved_at = 0, time.monotonic()
            result.new.append(issued.workbook_id)
            result.submissions[issued.workbook_id] = sub  # the copy has the same bytes
    forked = _file_team_copies(folder, index, receipts, arrivals, present)
    if unsaved or forked:
        _save_receipts(folder, receipts)
    for workbook_id in forked:
        news = arrivals[workbook_id]
        if news:
            result.new.append(workbook_id)
        if len(news) == 1 and not receipts[workbook_id].copies:
            result.submissions[workbook_id] = news[0].submission  # the filed bytes, read
    unread = [receipt for workbook_id, receipt in receipts.items()
              if workbook_id in index and workbook_id not in result.submissions]
    with pool_for(workers, len(unread)) as (pool, count):
        subs, unreadable = read_all_received(folder, unread, catalogue, key, pool=pool,
                                             workers=count)
    result.submissions.update(subs)
    for receipt in unread:
        if receipt.workbook_id in unreadable:  # a received copy damaged afterwards
            reason = unreadable[receipt.workbook_id]
            result.rejected.append(Rejection(receipt.file, reason, make_finding(
                "unreadable-file", file=receipt.file, reason=reason)))
    return result


def _new_workbooks(folder: RoundFolder, found: dict[Path, _InboxFile], known: set[str]
                   ) -> list[tuple[str, str, bytes]]:
    """(path, name in the inbox, bytes) of every inbox file that may be a workbook not taken
    in before, in inbox order."""
    return [(str(path), path.relative_to(folder.inbox).as_posix(), inbox_file.data)
            for path, inbox_file in found.items()
            if inbox_file.may_be_workbook and inbox_file.digest not in known]


@dataclass
class _InboxFile:
    """An inbox file as first read: why it cannot be read, or what attachment it is, else its
    bytes and their digest."""

    error: UnreadableFile | None = None
    skipped: str | None = None
    data: bytes = b""
    digest: str = ""

    @property
    def may_be_workbook(self) -> bool:
        """Neither unreadable nor an attachment."""
        return self.error is None and self.skipped is None


class _InOrder:
    """Results that come in the order of ``paths``; taken by path, in that order (a path
    the caller passes over is read all the same, and dropped when a later one is taken)."""

    def __init__(self, paths: list[Path], results: Iterator[Submission]) -> None:
        self._paths = iter(paths)
        self._results = results

    def take(self, path: Path) -> Submission:
        for found in self._paths:
            result = next(self._results)
            if found == path:
                return result
        raise KeyError(path)


def _read_inbox_task(catalogue: Catalogue, key: bytes, item: tuple[str, str, bytes]
                     ) -> Submission:
    path, source, data = item
    return read_submission(Path(path), catalogue, key=key, name=source, data=data)




def _file_team_copies(folder: RoundFolder, index: dict[str, IssuedWorkbook],
                      receipts: dict[str, Receipt], arrivals: dict[str, list[_Arrival]],
                      present: set[str]) -> list[str]:
    """File the copies of team workbooks: every copy in the inbox counts (forks of a
    workbook sent round by mail are merged), a copy no longer in the inbox stops counting
    and goes to history. When no copy of a workbook is in the inbox any more (the inbox
    was cleared), what was received stays as it is. Returns the workbooks that changed."""
    changed = []
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
        receipts[workbook_id] = _refile(folder, issued, current, kept, news)
        changed.append(workbook_id)
    return changed


def _refile(folder: RoundFolder, issued: IssuedWorkbook, current: Receipt | None,
            kept: list[ReceivedCopy], news: list[_Arrival]) -> Receipt:
    """Lay out a team workbook's counting copies: the newest where a single copy would be,
    the others under ``kopieën/``; dropped copies into ``historie/``."""
    old = current.all_copies() if current is not None else []
    history = list(current.history) if current is not None else []
    data = {c.sha256: (folder.root / c.file).read_bytes() for c in kept}
    data.update({a.sha256: a.data for a in news})
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    entries = sorted([*kept, *(ReceivedCopy(file="", sha256=a.sha256, source=a.source,
                                            source_mtime=a.mtime, received_at=now)
                               for a in news)],
                     key=lambda c: (c.source_mtime, c.source))
    suffixes = {c.sha256: Path(c.file).suffix for c in kept}
    suffixes.update({a.sha256: a.suffix.lower() for a in news})
    for dropped in (c for c in old if c.sha256 not in data):
        source = folder.root / dropped.file
        if source.exists():
            kept_as = _to_history(folder, issued, source.suffix, source.read_bytes(),
                                  dropped.sha256)
            history.append(kept_as.relative_to(folder.root).as_posix())
    placed = []
    for n, entry in enumerate(entries):
        suffix = suffixes[entry.sha256]
        target = _target(folder, issued, suffix)
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
                   received_at=newest.received_at, history=history, copies=placed[:-1])


def _target(folder: RoundFolder, issued: IssuedWorkbook, suffix: str) -> Path:
    stem = Path(issued.file).stem
    return folder.received / file_name(issued.assessment_id) / f"{stem}{suffix.lower()}"


def _to_history(folder: RoundFolder, issued: IssuedWorkbook, suffix: str, data: bytes,
                digest: str) -> Path:
    target = _target(folder, issued, suffix)
    history = target.parent / "historie" / f"{target.stem}.{digest[:12]}{target.suffix}"
    if not history.exists():
        write_bytes_atomic(history, data)
    return history


def _file_copy(folder: RoundFolder, issued: IssuedWorkbook, suffix: str, data: bytes,
               source: str, digest: str, mtime: float, current: Receipt | None) -> Receipt:
    history = list(current.history) if current else []
    if current is not None:
        old = folder.root / current.file
        if old.exists():
            kept = old.parent / "historie" / f"{old.stem}.{current.sha256[:12]}{old.suffix}"
            if not kept.exists():
                copy_file_atomic(old, kept)
            history.append(kept.relative_to(folder.root).as_posix())
            if old.suffix.lower() != suffix.lower():
                old.unlink()
    target = _target(folder, issued, suffix)
    # the bytes that were checked are the bytes filed: the inbox file may change meanwhile
    write_bytes_atomic(target, data)
    return Receipt(workbook_id=issued.workbook_id, file=target.relative_to(folder.root).as_posix(),
                   sha256=digest, source=source, source_mtime=mtime,
                   received_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
                   history=history)


def _refused(source: str, sub: Submission) -> Rejection:
    finding = sub.report.findings[0]  # the unreadable-file finding of read_submission
    # the intake sheet has the file in its own column: the reason alone, not "file: reason"
    return Rejection(source, finding.message.removeprefix(f"{finding.file}: "), finding)


def rejection_findings(result: CollectResult) -> list[Finding]:
    """The rejected files as findings (for the intake workbook and the CLI)."""
    return [r.finding for r in result.rejected]
