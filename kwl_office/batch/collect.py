"""Collect returned files from the inbox: identify, file a copy, report, annotate.

Originals in the inbox are never modified or moved. Each file is identified by its signed
identity (whatever its name), checked, and copied under ``ontvangen/<toetsing>/``; an earlier
submission of the same workbook is kept in ``historie/``. Foreign, forged and unreadable files
are rejected with a reason. ``uitvoer/intake.xlsx`` lists every expected workbook, and every
invalid submission gets an annotated copy to send back.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from kwl_office import texts_nl as T
from kwl_office.assessment import Submission
from kwl_office.atomic import copy_file_atomic, write_bytes_atomic, write_text_atomic
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.issue import IssuedWorkbook, load_index
from kwl_office.catalogue import Catalogue
from kwl_office.errors import UnreadableFile
from kwl_office.excel.container import read_bounded
from kwl_office.excel.reader import read_submission
from kwl_office.findings import Finding, make_finding
from kwl_office.names import file_name

RECEIVED_INDEX = "ontvangst.json"
_SKIP = ("~$", ".~lock", ".")


class Receipt(BaseModel):
    """The current submission of an issued workbook."""

    model_config = ConfigDict(extra="forbid")

    workbook_id: str
    file: str  # relative to the round folder
    sha256: str
    source: str  # where it was found, relative to the inbox
    source_mtime: float
    received_at: str
    history: list[str] = []


@dataclass
class Rejection:
    """A file in the inbox that was not taken in: where it was, why (for the intake sheet)
    and the finding (``unreadable-file``, ``identity-tampered`` or ``foreign-workbook``)."""

    source: str
    reason: str
    finding: Finding


@dataclass
class CollectResult:
    """What ``round collect`` found."""

    new: list[str] = field(default_factory=list)
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
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


def collect(folder: RoundFolder, catalogue: Catalogue, key: bytes) -> CollectResult:
    """Take in everything in the inbox; safe to run again (unchanged files are skipped)."""
    index = load_index(folder)
    receipts = load_receipts(folder)
    result = CollectResult(receipts=receipts)
    # newest last: when two files are submissions of the same workbook, the newer wins
    files = sorted(inbox_files(folder), key=lambda p: (_mtime(p), str(p)))
    known = {r.sha256 for r in receipts.values()}
    unsaved = 0
    for path in files:
        source = path.relative_to(folder.inbox).as_posix()
        try:
            # stat, then one bounded read: no special file, far link or huge file is read
            data = inbox_bytes(folder, path)
        except UnreadableFile as err:
            result.rejected.append(Rejection(source, err.reason, make_finding(
                "unreadable-file", file=source, reason=err.reason)))
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest in known:
            result.unchanged += 1
            continue
        sub = read_submission(path, catalogue, key=key, name=source, data=data)
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
        current = receipts.get(issued.workbook_id)
        mtime = _mtime(path)
        if current is not None and current.source_mtime > mtime:
            # an older version arriving late: keep it as history, the newer stays current
            _to_history(folder, issued, path.suffix, data, digest)
            result.unchanged += 1
            continue
        receipts[issued.workbook_id] = _file_copy(folder, issued, path.suffix, data, source,
                                                  digest, mtime, current)
        known.add(digest)
        unsaved += 1
        # saved in batches: rewriting the whole index per file grows with the square of the
        # round; a crash loses at most a batch of receipts, whose copies are simply redone
        if unsaved >= 50:
            _save_receipts(folder, receipts)
            unsaved = 0
        result.new.append(issued.workbook_id)
        result.submissions[issued.workbook_id] = sub  # the copy has the same bytes
    if unsaved:
        _save_receipts(folder, receipts)
    for workbook_id, receipt in receipts.items():
        if workbook_id in index and workbook_id not in result.submissions:
            sub = read_submission(folder.root / receipt.file, catalogue, key=key,
                                  name=receipt.file)
            if sub.unreadable:  # a received copy damaged afterwards
                result.rejected.append(_refused(receipt.file, sub))
            else:
                result.submissions[workbook_id] = sub
    return result


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
    return Rejection(source, finding.message, finding)


def rejection_findings(result: CollectResult) -> list[Finding]:
    """The rejected files as findings (for the intake workbook and the CLI)."""
    return [r.finding for r in result.rejected]
