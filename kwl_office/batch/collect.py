"""Collect returned files from the inbox: identify, file a copy, report, annotate.

Originals in the inbox are never modified or moved. Each file is identified by its signed
identity (whatever its name), checked, and copied under ``ontvangen/<toetsing>/``; an earlier
submission of the same workbook is kept in ``historie/``. Which of two versions counts is
decided by the moment each workbook says it was saved, not by the date of its file in the
inbox, which is when the secretariat saved the mail's attachment: an old draft saved into
the inbox after the final version must not replace it (:mod:`kwl_office.batch.versions`;
only when one of them does not say, or both say the same second, do the inbox dates
decide). A shared team workbook that comes back as several differing copies (sent round by
mail) keeps every copy that is in the inbox (under ``kopieën/``, the newest by the same
rule); its submission is their merge (:mod:`kwl_office.excel.merge`), and a copy the
secretariat removes from the inbox stops counting (it is kept in ``historie/``), as do the
copies a copy of the merged workbook sent back was made from
(:mod:`kwl_office.batch.team_copies`).
Foreign, forged and unreadable files are rejected with a reason. Attachments that are no
workbook at all (a PDF, a letter, a photo, an e-mail), recognised by their content, are
skipped: listed, never an error.
``uitvoer/intake.xlsx`` lists every expected workbook, and every invalid submission gets an
annotated copy to send back.
"""

from __future__ import annotations

import functools
import hashlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kwl_office import texts_nl as T
from kwl_office.assessment import Submission
from kwl_office.atomic import (
    copy_file_atomic,
    stage_bytes,
    write_bytes_atomic,
)
from kwl_office.batch.attachments import attachment_kind
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.issue import IssuedWorkbook, load_index
from kwl_office.batch.pool import map_in_groups, parent_gone, pool_for
from kwl_office.batch.receipts import (
    Receipt,
    Rival,
    load_receipts,
    read_all_received,
    save_receipts,
)
from kwl_office.batch.team_copies import COPIES_DIR as COPIES_DIR
from kwl_office.batch.team_copies import (
    Arrival,
    SupersededNote,
    file_team_copies,
    history_path,
    received_path,
    to_history,
)
from kwl_office.batch.versions import VersionNote, weigh
from kwl_office.catalogue import Catalogue
from kwl_office.errors import UnreadableFile
from kwl_office.excel.container import read_bounded
from kwl_office.excel.reader import ReadRequest, read_submissions
from kwl_office.findings import Finding, make_finding

#: seconds between saves of the receipts while taking in (see :func:`collect`)
SAVE_EVERY_S = 1.0
_SKIP = ("~$", ".~lock", ".")
#: a submission with one of these findings is refused as forged, whatever else it holds
_IDENTITY_FAULTS = frozenset({"identity-missing", "identity-tampered"})


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

    #: the workbooks of which a new version was taken in, each once (in the order taken in),
    #: however many versions of it came in together
    new: list[str] = field(default_factory=list)
    #: inbox files that bring nothing new: taken in before, or an older version of a workbook
    #: than the one that counts (kept as history)
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    submissions: dict[str, Submission] = field(default_factory=dict)  # workbook id → read
    receipts: dict[str, Receipt] = field(default_factory=dict)
    #: workbooks of which two different versions competed and the outcome needs telling
    #: (:class:`VersionNote`), one per workbook, in the order taken in
    versions: list[VersionNote] = field(default_factory=list)
    #: team workbooks of which copies stopped counting, superseded by a copy of the merged
    #: workbook sent back (:class:`SupersededNote`), one per workbook
    superseded: list[SupersededNote] = field(default_factory=list)
    #: workbooks whose identity was read, and how many of those failed its signature
    signed: int = 0
    unsigned: int = 0
    _new_ids: set[str] = field(default_factory=set, init=False, repr=False, compare=False)

    def taken_in(self, workbook_id: str) -> None:
        """Count a new version of ``workbook_id`` as taken in: two versions of one workbook
        in the same inbox (the older goes to history) are one workbook, not two."""
        if workbook_id not in self._new_ids:
            self._new_ids.add(workbook_id)
            self.new.append(workbook_id)

    @property
    def key_suspect(self) -> bool:
        """True when every workbook with an identity (two or more) failed its signature:
        then the round's key is the likely cause, not forgery."""
        return self.signed >= 2 and self.unsigned == self.signed


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
    # newest last: when two files are submissions of the same workbook, the later one wins
    # unless the saved moments in the workbooks say otherwise (see _Taking.take)
    mtimes = {path: _mtime(path) for path in inbox_files(folder)}
    files = sorted(mtimes, key=lambda p: (mtimes[p], str(p)))
    known = {c.sha256 for r in receipts.values() for c in (*r.all_copies(), *r.superseded)}
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
    taking = _Taking(folder, index, receipts, known, result)
    with pool_for(workers, len(new)) as (pool, count):
        # the new workbooks are read in the workers while they are taken in here, in order;
        # a worker also writes the copy of a workbook of this round beside where it is
        # filed, so filing it here is a rename: with two workers this process would be the
        # bottleneck otherwise (three processes share the two cores)
        places = {w.workbook_id: str(received_path(folder, w, "")) for w in index.values()}
        task = functools.partial(_read_inbox_group, catalogue, key, places)
        read = _InOrder([Path(item[0]) for item in new],
                        map_in_groups(pool, task, new, workers=count))
        try:
            for path in files:
                taking.take(path, found[path], mtimes[path], read)
        finally:
            read.drain()  # the copies written for files that were not filed are removed
    result.versions = [VersionNote(workbook_id, index[workbook_id].label,
                                   receipts[workbook_id].source, rival)
                       for workbook_id, rivals in taking.told.items() for rival in rivals]
    present, arrivals = taking.present, taking.arrivals
    forked, result.superseded = file_team_copies(folder, index, receipts, arrivals, present)
    if taking.unsaved or forked:
        save_receipts(folder, receipts)
    for workbook_id in forked:
        news = arrivals[workbook_id]
        if news:
            result.taken_in(workbook_id)
        if (len(news) == 1 and not receipts[workbook_id].copies
                and receipts[workbook_id].sha256 == news[0].sha256):
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
class _Taking:
    """Taking in the inbox, file by file in order: what is known and received so far."""

    folder: RoundFolder
    index: dict[str, IssuedWorkbook]
    receipts: dict[str, Receipt]
    known: set[str]  # the digests of every copy received
    result: CollectResult
    present: set[str] = field(default_factory=set)  # the digests of everything in the inbox
    arrivals: dict[str, list[Arrival]] = field(default_factory=dict)  # team workbook → new
    #: workbook → the versions the one that counts won from in this run, when that needs
    #: telling
    told: dict[str, list[Rival]] = field(default_factory=dict)
    unsaved: int = 0
    saved_at: float = field(default_factory=time.monotonic)

    def take(self, path: Path, inbox_file: _InboxFile, mtime: float, read: _InOrder) -> None:
        """Take in one inbox file: refuse, skip, keep as history or file it."""
        folder, result = self.folder, self.result
        source = path.relative_to(folder.inbox).as_posix()
        if inbox_file.error is not None:
            reason = inbox_file.error.reason
            result.rejected.append(Rejection(source, reason, make_finding(
                "unreadable-file", file=source, reason=reason)))
            return
        if inbox_file.skipped is not None:
            result.skipped.append(Skipped(source, inbox_file.skipped))
            return
        data, digest = inbox_file.data, inbox_file.digest
        self.present.add(digest)
        if digest in self.known:
            result.unchanged += 1
            return
        got = read.take(path)
        sub = got.submission
        issued = self._issued(source, sub)
        if issued is None:
            got.discard()
            return
        if sub.is_team:  # filed after the loop, once all its copies are known
            got.discard()  # (never written by a worker: its copies are laid out together)
            self.arrivals.setdefault(issued.workbook_id, []).append(
                Arrival(source, path.suffix, data, digest, mtime, sub))
            self.known.add(digest)
            return
        workbook_id = issued.workbook_id
        current = self.receipts.get(workbook_id)
        rival = None
        try:
            # the usual file is the first version of its workbook: nothing to weigh (nothing
            # more is read), so a large inbox takes no longer than before
            if current is not None:
                verdict = weigh(folder, current, data, mtime)
                if not verdict.arrival_counts:
                    # an older version: kept as history, the newer stays current. It is
                    # weighed again at every collect while it is in the inbox (a later inbox
                    # date can still make it count where the saved moments cannot decide),
                    # but told once, when first kept: the intake goes on saying it
                    seen = history_path(folder, issued, path.suffix, digest).exists()
                    kept = to_history(folder, issued, path.suffix, data, digest,
                                      staged=got.staged)
                    result.unchanged += 1
                    if verdict.told and not seen:
                        rival = verdict.rival(source, digest, lost_to=current.source,
                                              kept=kept.relative_to(folder.root).as_posix())
                        self.receipts[workbook_id] = current.model_copy(
                            update={"rivals": [*current.rivals, rival]})
                        self.told.setdefault(workbook_id, []).append(rival)
                        self.unsaved += 1
                    return
                if verdict.told:
                    rival = verdict.rival(current.source, current.sha256, lost_to=source,
                                          kept=_kept_path(current))
            # what was told in this collect about the version it replaces is kept with it
            # (each line names the version that won); what was told at an earlier collect
            # is no longer about the one that counts (the console said it then)
            told = [*self.told.get(workbook_id, []), *([rival] if rival is not None else [])]
            self.receipts[workbook_id] = _file_copy(
                folder, issued, path.suffix, data, source, digest, mtime, current,
                staged=got.staged, rivals=told)
        except BaseException:
            got.discard()  # not put in place (a full disk…): removed, the error goes on
            raise
        self.told.pop(workbook_id, None)
        if told:
            self.told[workbook_id] = told
        self.known.add(digest)
        self.unsaved += 1
        # saved now and then: rewriting the whole index per file grows with the square of
        # the round (1,200 receipts take ~10 ms to write); a crash loses at most a second
        # of receipts, whose copies are simply redone
        if time.monotonic() - self.saved_at >= SAVE_EVERY_S:
            save_receipts(folder, self.receipts)
            self.unsaved, self.saved_at = 0, time.monotonic()
        result.taken_in(issued.workbook_id)
        result.submissions[issued.workbook_id] = sub  # the copy has the same bytes

    def _issued(self, source: str, sub: Submission) -> IssuedWorkbook | None:
        """The issued workbook a submission is, or None when it is refused (unreadable,
        foreign, forged): the reason is in the result."""
        result = self.result
        if sub.unreadable:
            result.rejected.append(_refused(source, sub))
            return None
        ident = sub.identity
        codes = sub.report.codes()
        if ident is not None and "identity-missing" not in codes:
            result.signed += 1
            result.unsigned += "identity-tampered" in codes
        issued = self.index.get(ident.workbook_id) if ident is not None else None
        if ident is not None and issued is None and "identity-missing" not in codes:
            # not a workbook this round recorded: of another round (another key), or signed
            # with this round's key by an issue that was interrupted before recording it
            text = (T.COLLECT_FOREIGN if "identity-tampered" in codes or ident.signature == ""
                    else T.COLLECT_NOT_RECORDED)
            reason = text.format(assessment=ident.assessment_id, host=ident.host)
            result.rejected.append(Rejection(source, reason, make_finding(
                "foreign-workbook", file=source, reason=reason)))
            return None
        if issued is None or not _IDENTITY_FAULTS.isdisjoint(codes):
            result.rejected.append(Rejection(source, T.COLLECT_FORGED, make_finding(
                "identity-tampered", file=source, detail=f" ({source})")))
            return None
        return issued


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


@dataclass
class _Read:
    """A new inbox file read (in a worker or here), and the copy the worker wrote beside
    where the workbook is filed (None: not written; filed from the bytes here)."""

    submission: Submission
    #: the copy the worker wrote, to put in place with ``os.replace`` (or None)
    staged: Path | None = None

    def discard(self) -> None:
        """Remove the written copy, if it is still there (the file is not filed)."""
        if self.staged is not None:
            self.staged.unlink(missing_ok=True)


class _InOrder:
    """Results that come in the order of ``paths``; taken by path, in that order (a path
    the caller passes over is read all the same, and dropped when a later one is taken)."""

    def __init__(self, paths: list[Path], results: Iterator[_Read]) -> None:
        self._paths = iter(paths)
        self._results = results

    def take(self, path: Path) -> _Read:
        for found in self._paths:
            result = next(self._results)
            if found == path:
                return result
            result.discard()
        raise KeyError(path)

    def drain(self) -> None:
        """Wait for the results not taken and remove the copies written for them (a file
        passed over, or every file after an error)."""
        for _ in self._paths:
            try:
                next(self._results).discard()
            except Exception:  # noqa: BLE001 - cleaning up after an error that is raised
                break


def _read_inbox_group(catalogue: Catalogue, key: bytes, places: dict[str, str],
                      items: list[tuple[str, str, bytes]]) -> list[_Read]:
    """Read new inbox files (a group at a time: :func:`read_submissions`); for each that is
    a workbook of this round (``places``: workbook id → where it is filed, without suffix),
    not a team workbook, with an intact identity, also write its copy beside that place."""
    subs = read_submissions([ReadRequest(Path(path), data, source)
                             for path, source, data in items], catalogue, key=key,
                            explain_empty=True)  # its findings go to people
    return [_staged(sub, places, path, data) for sub, (path, _, data) in zip(subs, items,
                                                                              strict=True)]


def _staged(sub: Submission, places: dict[str, str], path: str, data: bytes) -> _Read:
    """The read of one inbox file, with the copy written beside its place when it is filed
    there (see :func:`_read_inbox_group`)."""
    ident = sub.identity
    place = places.get(ident.workbook_id) if ident is not None else None
    if (place is None or sub.is_team or sub.unreadable
            or not _IDENTITY_FAULTS.isdisjoint(sub.report.codes())):
        return _Read(sub)  # not filed (refused), or filed otherwise (a team workbook)
    if parent_gone():
        os._exit(1)  # the command is gone (killed): write nothing more into its round
    try:
        return _Read(sub, stage_bytes(place + Path(path).suffix.lower(), data))
    except OSError:
        return _Read(sub)  # filed from the bytes, where the error is reported as always


def _file_copy(folder: RoundFolder, issued: IssuedWorkbook, suffix: str, data: bytes,
               source: str, digest: str, mtime: float, current: Receipt | None, *,
               staged: Path | None = None, rivals: list[Rival] | None = None) -> Receipt:
    """File ``data`` as the workbook's current copy (the copy before it into its history);
    ``staged``: the same bytes written beside it already, put in place; ``rivals``: the
    copy before it, when how it lost needs telling."""
    history = list(current.history) if current else []
    if current is not None:
        old = folder.root / current.file
        if old.exists():
            kept = folder.root / _kept_path(current)
            if not kept.exists():
                copy_file_atomic(old, kept)
            history.append(kept.relative_to(folder.root).as_posix())
            if old.suffix.lower() != suffix.lower():
                old.unlink()
    target = received_path(folder, issued, suffix)
    # the bytes that were checked are the bytes filed: the inbox file may change meanwhile
    if staged is not None:
        os.replace(staged, target)
    else:
        write_bytes_atomic(target, data)
    return Receipt(workbook_id=issued.workbook_id, file=target.relative_to(folder.root).as_posix(),
                   sha256=digest, source=source, source_mtime=mtime,
                   received_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
                   history=history, rivals=rivals or [])


def _kept_path(current: Receipt) -> str:
    """Where the current copy of a workbook is kept in its history when a newer version
    replaces it (relative to the round folder)."""
    old = Path(current.file)
    return (old.parent / "historie" / f"{old.stem}.{current.sha256[:12]}{old.suffix}").as_posix()


def _refused(source: str, sub: Submission) -> Rejection:
    finding = sub.report.findings[0]  # the unreadable-file finding of read_submission
    # the intake sheet has the file in its own column: the reason alone, not "file: reason"
    return Rejection(source, finding.message.removeprefix(f"{finding.file}: "), finding)


def rejection_findings(result: CollectResult) -> list[Finding]:
    """The rejected files as findings (for the intake workbook and the CLI)."""
    return [r.finding for r in result.rejected]
