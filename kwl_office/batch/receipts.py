"""The receipts of a round: which received copy of each issued workbook counts
(``ontvangen/ontvangst.json``), and reading those copies back.

:mod:`kwl_office.batch.collect` writes them while it takes in the inbox; report, status and
issue read them.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from concurrent.futures import Executor
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from kwl_office.assessment import Submission
from kwl_office.atomic import write_text_atomic
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.pool import map_in_groups
from kwl_office.catalogue import Catalogue
from kwl_office.errors import UnreadableFile
from kwl_office.excel.merge import WorkbookCopy, read_copies
from kwl_office.excel.reader import ReadRequest, read_workbooks

RECEIVED_INDEX = "ontvangst.json"


class ReceivedCopy(BaseModel):
    """One received copy of a workbook, filed in the round folder."""

    model_config = ConfigDict(extra="forbid")

    file: str  # relative to the round folder
    sha256: str
    source: str  # where it was found, relative to the inbox
    source_mtime: float
    received_at: str
    #: of a team workbook: the received copies (digests) this one says it was merged from,
    #: being (made from) the merged workbook sent back (:mod:`kwl_office.batch.team_copies`)
    merged_from: list[str] = []


class Rival(BaseModel):
    """A different version of the same workbook that competed with the one that counts and
    was kept as history, remembered to be told (console and intake): which counts and why,
    the moments the two workbooks say they were saved and who saved them
    (:mod:`kwl_office.batch.versions`)."""

    model_config = ConfigDict(extra="forbid")

    source: str  # its name in the inbox
    sha256: str
    #: when it says it was saved (ISO 8601, UTC); None: it does not say
    saved_at: str | None
    #: when the version that counts says it was saved (ISO 8601, UTC); None: it does not say
    counts_saved_at: str | None
    #: True: the saved moments decided, against the inbox dates; False: the inbox dates did
    by_saved: bool
    #: whose saved moment could not be right (later than the file came into the inbox: a
    #: wrong clock), so it did not decide: "counts" and/or "other"; absent in older receipts
    impossible: list[str] = []
    #: True: the saved moments decided as the inbox dates would have (a corrected version
    #: sent later); absent in older receipts, which remembered a rival only otherwise
    inbox_agrees: bool = False
    #: who saved it last / the version it lost to, as each workbook says (None: it does not
    #: say); absent in older receipts
    saved_by: str | None = None
    counts_saved_by: str | None = None
    #: where it is kept (relative to the round folder); absent in older receipts
    kept: str | None = None
    #: the name in the inbox of the version it lost to, when that was itself replaced later
    #: in the same collect (None, or the receipt's ``source``: the one that counts)
    lost_to: str | None = None


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
    #: the versions this one won from (:class:`Rival`), in the order they came, with those
    #: the version it replaced won from in the same collect; absent in receipts written
    #: before versions were weighed by their saved moments
    rivals: list[Rival] = []
    #: the newest copy's ``merged_from`` (:class:`ReceivedCopy`)
    merged_from: list[str] = []
    #: copies of a team workbook that no longer count because a copy that was sent back
    #: merged from them came in, each filed in ``historie/`` (what the merge of the copies
    #: made from the one sent back compares with); absent in receipts written before
    superseded: list[ReceivedCopy] = []

    def all_copies(self) -> list[ReceivedCopy]:
        """Every copy that counts, oldest first, the newest (``file``) last."""
        return [*self.copies, ReceivedCopy(file=self.file, sha256=self.sha256,
                                           source=self.source, source_mtime=self.source_mtime,
                                           received_at=self.received_at,
                                           merged_from=self.merged_from)]

    @property
    def files(self) -> list[str]:
        """The files of every copy that counts (relative to the round folder)."""
        return [c.file for c in self.all_copies()]


def read_received(folder: RoundFolder, receipt: Receipt, catalogue: Catalogue,
                  key: bytes | None) -> Submission:
    """The current submission of a received workbook: its filed copy read back, or for a
    team workbook received as several copies their merge, whose findings name each copy by
    its name in the inbox. Every read of a receipt goes through here (many at once through
    :func:`read_all_received`, with the same result). Raises
    :class:`~kwl_office.errors.UnreadableFile` when a filed copy cannot be read."""
    return read_copies(received_copies(folder, receipt), catalogue, key=key)


def submission_of(folder: RoundFolder, receipt: Receipt, catalogue: Catalogue,
                  key: bytes | None, read: dict[str, Submission] | None = None
                  ) -> Submission | None:
    """The submission of a received workbook: from ``read`` (by workbook id: what a caller
    read for many at once, :func:`read_all_received`) or read now (:func:`read_received`);
    None when its filed copy cannot be read."""
    sub = (read or {}).get(receipt.workbook_id)
    if sub is not None:
        return sub
    try:
        return read_received(folder, receipt, catalogue, key)
    except UnreadableFile:
        return None


def read_all_received(folder: RoundFolder, receipts: Iterable[Receipt], catalogue: Catalogue,
                      key: bytes | None, *, pool: Executor | None = None, workers: int = 1
                      ) -> tuple[dict[str, Submission], dict[str, str]]:
    """:func:`read_received` for many receipts, in ``pool`` when given (``workers`` processes):
    the submissions by workbook id, and the reason per workbook id whose copy could not be
    read."""
    task = functools.partial(_read_received_group, str(folder.root), catalogue, key)
    submissions: dict[str, Submission] = {}
    unreadable: dict[str, str] = {}
    for workbook_id, sub, reason in map_in_groups(pool, task, receipts, workers=workers):
        if sub is not None:
            submissions[workbook_id] = sub
        else:
            unreadable[workbook_id] = reason
    return submissions, unreadable


def _read_received_group(root: str, catalogue: Catalogue, key: bytes | None,
                         receipts: list[Receipt]) -> list[tuple[str, Submission | None, str]]:
    """:func:`read_received` for a group of receipts: the usual receipt (one copy) read with
    the others of the group (:func:`~kwl_office.excel.reader.read_workbooks`, the same
    result a group at a time), a team workbook's several copies merged on their own."""
    folder = RoundFolder(Path(root))
    single = [r for r in receipts if not r.copies]
    read = dict(zip((r.workbook_id for r in single), read_workbooks(
        [ReadRequest(received_copies(folder, r)[0].path) for r in single], catalogue, key=key),
        strict=True))
    results: list[tuple[str, Submission | None, str]] = []
    for receipt in receipts:
        got = read.get(receipt.workbook_id)
        if got is None:  # several copies
            try:
                got = read_received(folder, receipt, catalogue, key)
            except UnreadableFile as err:
                got = err
        results.append((receipt.workbook_id, got, "") if isinstance(got, Submission)
                       else (receipt.workbook_id, None, got.reason))
    return results


def received_copies(folder: RoundFolder, receipt: Receipt) -> list[WorkbookCopy]:
    """Every copy of a received workbook that counts, oldest first, named as in the inbox;
    each with the superseded copies it was merged from (its ``base``, kept in history)."""
    superseded = {c.sha256: c for c in receipt.superseded}
    return [WorkbookCopy(c.source, folder.root / c.file, base=tuple(
        WorkbookCopy(s.source, folder.root / s.file)
        for s in (superseded.get(d) for d in c.merged_from) if s is not None))
        for c in receipt.all_copies()]


def load_receipts(folder: RoundFolder) -> dict[str, Receipt]:
    """workbook id → current receipt."""
    path = folder.received / RECEIVED_INDEX
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: Receipt.model_validate(v) for k, v in data.items()}


def save_receipts(folder: RoundFolder, receipts: dict[str, Receipt]) -> None:
    """Write every receipt (workbook id → receipt) atomically, in workbook id order."""
    data = {k: receipts[k].model_dump(mode="json") for k in sorted(receipts)}
    write_text_atomic(folder.received / RECEIVED_INDEX,
                      json.dumps(data, ensure_ascii=False) + "\n")
