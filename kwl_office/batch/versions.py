"""Which of two versions of one workbook counts, and how that is told.

The date of a file in the inbox is when the secretariat saved the mail's attachment there,
not when the reviewer saved the workbook: an old draft saved into the inbox after the final
version would win by it. So the moment each workbook says it was last saved decides
(:func:`saved_moment`: ``dcterms:modified`` of an .xlsx, ``dc:date`` of an .ods, written by
Excel and LibreOffice on every save); only when one does not say, or both say the same
second, do the inbox dates decide, as they always did. When the saved moments decide against
the inbox dates, or cannot decide, the version that lost is remembered with the one that
counts (:class:`~kwl_office.batch.receipts.Rival`) and :mod:`kwl_office.batch.collect` says
so on the console (:class:`VersionNote`) and in the intake (:func:`rival_text`).

Only read when a version meets another one of the same workbook (:func:`weigh`), never for
the first version of a workbook: a large inbox takes no longer for it.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from xml.etree.ElementTree import ParseError, fromstring

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.receipts import Receipt, Rival
from kwl_office.errors import UnreadableFile
from kwl_office.excel.container import read_bounded
from kwl_office.excel.zipparts import ZIP_ERRORS

#: where a workbook says when it was last saved (Excel, LibreOffice and openpyxl write it
#: on every save): the part, the element, and the time zone of a time written without one
#: (OOXML's dcterms:modified is UTC; LibreOffice writes an .ods's dc:date in local time)
_SAVED_PARTS = (
    ("docProps/core.xml", "{http://purl.org/dc/terms/}modified", UTC),
    ("meta.xml", ".//{http://purl.org/dc/elements/1.1/}date", None),
)
#: the most of such a part that is read (it is a few hundred bytes)
_SAVED_PART_LIMIT = 64 * 1024


@dataclass
class VersionNote:
    """Two different versions of one workbook competed and one counts, told on the console
    because the workbooks' saved moments decided against the inbox dates, or could not
    decide (:class:`~kwl_office.batch.receipts.Rival`)."""

    workbook_id: str
    #: the workbook, as the intake and the status name it
    label: str
    #: the name in the inbox of the version that counts
    counts: str
    rival: Rival

    @property
    def message(self) -> str:
        """Which counts and why, in Dutch (:func:`rival_text`)."""
        return f"{self.label}: {rival_text(self.counts, self.rival)}"


def rival_text(counts: str, rival: Rival) -> str:
    """Which of two versions counts (``counts``: its name in the inbox) and why, in Dutch,
    with both saved moments in local time when they decided."""
    if rival.impossible:  # a wrong clock: the inbox dates decided
        claims = {"counts": (counts, rival.counts_saved_at), "other": (rival.source,
                                                                    rival.saved_at)}
        unsaid = dutch.join(
            T.COLLECT_VERSIONS_IMPOSSIBLE.format(file=claims[who][0],
                                                 saved=_moments(claims[who][1] or "")[0])
            for who in rival.impossible if claims[who][1])
        return T.COLLECT_VERSIONS_NOT_SAVED.format(counts=counts, other=rival.source,
                                                   unsaid=unsaid)
    if rival.by_saved and rival.saved_at and rival.counts_saved_at:
        counts_saved, other_saved = _moments(rival.counts_saved_at, rival.saved_at)
        return T.COLLECT_VERSIONS_BY_SAVED.format(counts=counts, counts_saved=counts_saved,
                                                  other=rival.source, other_saved=other_saved)
    if rival.saved_at and rival.counts_saved_at:  # the same second
        return T.COLLECT_VERSIONS_SAME_SAVED.format(
            counts=counts, other=rival.source, saved=_moments(rival.saved_at)[0])
    unsaid = (T.COLLECT_VERSIONS_UNSAID_BOTH if not rival.saved_at and not rival.counts_saved_at
              else T.COLLECT_VERSIONS_UNSAID_ONE.format(
                  file=counts if not rival.counts_saved_at else rival.source))
    return T.COLLECT_VERSIONS_NOT_SAVED.format(counts=counts, other=rival.source,
                                               unsaid=unsaid)


def _moments(*stamps: str) -> list[str]:
    """Stored saved moments (ISO, UTC) as people read them on their own clock; to the
    second when they would otherwise read the same (two saves in one minute)."""
    local = [datetime.fromisoformat(stamp).astimezone() for stamp in stamps]
    texts = [T.COLLECT_MOMENT.format(date=T.format_date(t.date()), time=f"{t:%H:%M}")
             for t in local]
    if len(set(texts)) < len(texts):
        texts = [T.COLLECT_MOMENT.format(date=T.format_date(t.date()), time=f"{t:%H:%M:%S}")
                 for t in local]
    return texts


def saved_moment(data: bytes) -> datetime | None:
    """When a workbook says it was last saved: ``dcterms:modified`` of an .xlsx/.xlsm
    (``docProps/core.xml``), ``dc:date`` of an .ods (``meta.xml``); in UTC, to the second.
    None when it does not say, or not readably. Excel and LibreOffice write it on every
    save, kwl when it issues the workbook. Costs ~0.15 ms (the zip opened, one part read):
    called only when two versions of a workbook compete, never for every file of the inbox
    (a round's 1,200 first versions are taken in without it)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            for part, element, zone in _SAVED_PARTS:
                if part not in names:
                    continue
                with archive.open(part) as member:
                    xml = member.read(_SAVED_PART_LIMIT)
                if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
                    return None  # a DTD: not parsed (entity attacks); no workbook has one
                found = fromstring(xml).find(element)
                if found is None or not found.text:
                    return None
                moment = datetime.fromisoformat(found.text.strip())
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=zone) if zone else moment.astimezone()
                return moment.astimezone(UTC).replace(microsecond=0)
    except (*ZIP_ERRORS, ParseError, KeyError):
        return None
    return None


@dataclass(frozen=True)
class Verdict:
    """Which of two different versions of one workbook counts: the one arriving or the
    current one, the moments each says it was saved, and whether that needs telling."""

    arrival_counts: bool
    #: the saved moments decided (both say one, and not the same second)
    by_saved: bool
    arriving_saved: datetime | None
    current_saved: datetime | None
    #: the saved moments decided against the inbox dates, or could not decide
    told: bool
    #: the arriving / the current version says it was saved after it came into the inbox
    #: (a wrong clock): that moment decided nothing
    impossible: tuple[bool, bool] = (False, False)

    def rival(self, source: str, sha256: str) -> Rival:
        """The version that lost (named by its ``source`` and digest), as remembered with
        the one that counts."""
        lost, won = ((self.current_saved, self.arriving_saved) if self.arrival_counts
                     else (self.arriving_saved, self.current_saved))
        arriving, current = self.impossible
        lost_wrong, won_wrong = ((current, arriving) if self.arrival_counts
                                 else (arriving, current))
        return Rival(source=source, sha256=sha256, saved_at=_iso(lost),
                     counts_saved_at=_iso(won), by_saved=self.by_saved,
                     impossible=[who for who, wrong in (("counts", won_wrong),
                                                        ("other", lost_wrong)) if wrong])


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def weigh(folder: RoundFolder, current: Receipt, data: bytes, mtime: float) -> Verdict:
    """Which counts of a version arriving (``data``, its inbox file's ``mtime``) and the
    current one: the later saved, as both workbooks say; when one does not say or both say
    the same second, the later file in the inbox as before (a tie: the arriving one)."""
    by_inbox = mtime >= current.source_mtime
    filed = folder.root / current.file
    try:
        current_data = read_bounded(filed)
    except UnreadableFile:
        # the filed copy is gone (removed by hand): nothing to compare, nothing to keep
        return Verdict(by_inbox, False, None, None, told=False)
    arriving, present = saved_moment(data), saved_moment(current_data)
    # a workbook cannot have been saved after it came into the inbox: such a moment is a
    # wrong clock (a reviewer's PC in 2099 would otherwise win against every later version,
    # for good); it decides nothing, and that is said
    impossible = (not _possible(arriving, mtime), not _possible(present, current.source_mtime))
    if any(impossible):
        return Verdict(by_inbox, False, arriving, present, told=True, impossible=impossible)
    if arriving is not None and present is not None and arriving != present:
        return Verdict(arriving > present, True, arriving, present,
                       told=(arriving > present) != by_inbox)
    return Verdict(by_inbox, False, arriving, present, told=True)


#: how much later than its file's date in the inbox a saved moment may be: clocks of two
#: computers differ by minutes, not by an hour
_CLOCK_SLACK = timedelta(hours=1)


def _possible(saved: datetime | None, arrived: float) -> bool:
    """Whether a workbook can have been saved at ``saved``, its file being in the inbox since
    ``arrived`` (a timestamp) and now: not later than either (give or take the clocks)."""
    if saved is None:
        return True
    latest = min(datetime.fromtimestamp(arrived, UTC), datetime.now(UTC))
    return saved <= latest + _CLOCK_SLACK
