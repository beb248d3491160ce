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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from kwl_office import texts_nl as T
from kwl_office.assessment import Submission
from kwl_office.atomic import copy_file_atomic, write_text_atomic
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.issue import IssuedWorkbook, load_index
from kwl_office.catalogue import Catalogue
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


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def inbox_files(folder: RoundFolder) -> list[Path]:
    """Every file below the inbox, lock files and hidden files left out, in a stable order."""
    return sorted(p for p in folder.inbox.rglob("*")
                  if p.is_file() and not p.name.startswith(_SKIP))


def collect(folder: RoundFolder, catalogue: Catalogue, key: bytes) -> CollectResult:
    """Take in everything in the inbox; safe to run again (unchanged files are skipped)."""
    index = load_index(folder)
    receipts = load_receipts(folder)
    result = CollectResult(receipts=receipts)
    # newest last: when two files are submissions of the same workbook, the newer wins
    files = sorted(inbox_files(folder), key=lambda p: (p.stat().st_mtime, str(p)))
    known = {r.sha256 for r in receipts.values()}
    unsaved = 0
    for path in files:
        source = path.relative_to(folder.inbox).as_posix()
        digest = _sha256(path)
        if digest in known:
            result.unchanged += 1
            continue
        sub = read_submission(path, catalogue, key=key, name=source)
        if sub.unreadable:
            result.rejected.append(_refused(source, sub))
            continue
        ident = sub.identity
        codes = sub.report.codes()
        if ident is None or "identity-missing" in codes or "identity-tampered" in codes:
            result.rejected.append(Rejection(source, T.COLLECT_FORGED, make_finding(
                "identity-tampered", file=source, detail=f" ({source})")))
            continue
        issued = index.get(ident.workbook_id)
        if issued is None:
            reason = T.COLLECT_FOREIGN.format(assessment=ident.assessment_id, host=ident.host)
            result.rejected.append(Rejection(source, reason, make_finding(
                "foreign-workbook", file=source, reason=reason)))
            continue
        current = receipts.get(issued.workbook_id)
        mtime = path.stat().st_mtime
        if current is not None and current.source_mtime > mtime:
            # an older version arriving late: keep it as history, the newer stays current
            _to_history(folder, issued, path, digest)
            result.unchanged += 1
            continue
        receipts[issued.workbook_id] = _file_copy(folder, issued, path, source, digest, mtime,
                                                  current)
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


def _to_history(folder: RoundFolder, issued: IssuedWorkbook, path: Path, digest: str) -> Path:
    target = _target(folder, issued, path.suffix)
    history = target.parent / "historie" / f"{target.stem}.{digest[:12]}{target.suffix}"
    if not history.exists():
        copy_file_atomic(path, history)
    return history


def _file_copy(folder: RoundFolder, issued: IssuedWorkbook, path: Path, source: str,
               digest: str, mtime: float, current: Receipt | None) -> Receipt:
    history = list(current.history) if current else []
    if current is not None:
        old = folder.root / current.file
        if old.exists():
            kept = old.parent / "historie" / f"{old.stem}.{current.sha256[:12]}{old.suffix}"
            if not kept.exists():
                copy_file_atomic(old, kept)
            history.append(kept.relative_to(folder.root).as_posix())
            if old.suffix.lower() != path.suffix.lower():
                old.unlink()
    target = _target(folder, issued, path.suffix)
    copy_file_atomic(path, target)
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
