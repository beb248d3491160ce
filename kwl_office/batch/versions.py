"""Which of two versions of one workbook counts, and how that is told.

The date of a file in the inbox is when the secretariat saved the mail's attachment there,
not when the reviewer saved the workbook: an old draft saved into the inbox after the final
version would win by it. So the moment each workbook says it was last saved decides
(:func:`saved_moment`: ``dcterms:modified`` of an .xlsx, ``dc:date`` of an .ods, written by
Excel and LibreOffice on every save); only when one does not say, or both say the same
second, do the inbox dates decide, as they always did. Whenever a different version meets
the one that counts, the one that lost is remembered with the one that counts
(:class:`~kwl_office.batch.receipts.Rival`) and :mod:`kwl_office.batch.collect` says so on
the console (:class:`VersionNote`) and in the intake (:func:`rival_text`): which counts, why,
and where the other is kept. A corrected version sent later is the usual case and is said
calmly; that the saved moments decided against the inbox dates, or could not decide, is said
too. So is who saved each version last, when the two workbooks name different people
(``cp:lastModifiedBy`` of an .xlsx, ``dc:creator`` of an .ods): a colleague who filled a
forwarded copy of someone else's workbook would otherwise replace that review unseen.

Only read when a version meets another one of the same workbook (:func:`weigh`), never for
the first version of a workbook: a large inbox takes no longer for it.
"""

from __future__ import annotations

import functools
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from xml.etree.ElementTree import Element, ParseError, fromstring

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
#: where a workbook says who saved it last (Excel and LibreOffice write the user name set in
#: the program), in the same part as its saved moment; openpyxl writes it only when set
_SAVED_BY = {
    "docProps/core.xml":
        "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}lastModifiedBy",
    "meta.xml": ".//{http://purl.org/dc/elements/1.1/}creator",
}
#: the most of such a part that is read (it is a few hundred bytes)
_SAVED_PART_LIMIT = 64 * 1024
#: the longest name of who saved a workbook that is told (a longer one is cut with "…")
_SAVED_BY_LIMIT = 80


@dataclass
class VersionNote:
    """Two different versions of one workbook competed and one counts, told on the console
    (:class:`~kwl_office.batch.receipts.Rival`)."""

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
    """Which of two versions counts (``counts``: the name in the inbox of the one that counts
    now) and why, in Dutch, with both saved moments in local time when they decided, where
    the other is kept, and who saved each last when the two name different people. A rival
    that lost to a version that was itself replaced later in the same collect says that
    version "telde"."""
    winner = rival.lost_to or counts
    verb = T.COLLECT_VERSIONS_VERB["counts" if winner == counts else "counted"]
    kept = rival.kept or T.COLLECT_VERSIONS_KEPT_SOMEWHERE
    return _why(winner, verb, kept, rival) + _saved_by_text(winner, rival)


def _why(counts: str, verb: str, kept: str, rival: Rival) -> str:
    """Which counts and why (see :func:`rival_text`)."""
    if rival.impossible:  # a wrong clock: the inbox dates decided
        claims = {"counts": (counts, rival.counts_saved_at), "other": (rival.source,
                                                                    rival.saved_at)}
        unsaid = dutch.join(
            T.COLLECT_VERSIONS_IMPOSSIBLE.format(file=claims[who][0],
                                                 saved=_moments(claims[who][1] or "")[0])
            for who in rival.impossible if claims[who][1])
        return T.COLLECT_VERSIONS_NOT_SAVED.format(counts=counts, verb=verb,
                                                   other=rival.source, unsaid=unsaid, kept=kept)
    if rival.by_saved and rival.saved_at and rival.counts_saved_at:
        counts_saved, other_saved = _moments(rival.counts_saved_at, rival.saved_at)
        text = (T.COLLECT_VERSIONS_LATER if rival.inbox_agrees
                else T.COLLECT_VERSIONS_BY_SAVED)
        return text.format(counts=counts, verb=verb, counts_saved=counts_saved,
                           other=rival.source, other_saved=other_saved, kept=kept)
    if rival.saved_at and rival.counts_saved_at:  # the same second
        return T.COLLECT_VERSIONS_SAME_SAVED.format(
            counts=counts, verb=verb, other=rival.source, saved=_moments(rival.saved_at)[0],
            kept=kept)
    unsaid = (T.COLLECT_VERSIONS_UNSAID_BOTH if not rival.saved_at and not rival.counts_saved_at
              else T.COLLECT_VERSIONS_UNSAID_ONE.format(
                  file=counts if not rival.counts_saved_at else rival.source))
    return T.COLLECT_VERSIONS_NOT_SAVED.format(counts=counts, verb=verb, other=rival.source,
                                               unsaid=unsaid, kept=kept)


def saved_by_others(rival: Rival) -> bool:
    """Whether the two versions say they were last saved by different people (perhaps a
    colleague filled someone else's workbook); False when one of them does not say."""
    mine, theirs = rival.counts_saved_by, rival.saved_by
    return bool(mine and theirs and mine.casefold() != theirs.casefold())


def _saved_by_text(counts: str, rival: Rival) -> str:
    """Who saved each version last, when both workbooks say it and name different people
    (nothing otherwise: what a workbook does not say is not guessed)."""
    if not saved_by_others(rival):
        return ""
    return " " + T.COLLECT_VERSIONS_SAVED_BY.format(
        counts=counts, counts_by=rival.counts_saved_by, other=rival.source,
        other_by=rival.saved_by)


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
    return saved_facts(data)[0]


def saved_facts(data: bytes) -> tuple[datetime | None, str | None]:
    """When a workbook says it was last saved (:func:`saved_moment`) and by whom: the user
    name Excel and LibreOffice write on every save (``cp:lastModifiedBy`` of an .xlsx,
    ``dc:creator`` of an .ods), control characters left out, cut at 80 characters; None
    for what it does not say, or not readably. One bounded read of one part, no DTD parsed;
    like :func:`saved_moment` only called when two versions of a workbook compete."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            for part, element, zone in _SAVED_PARTS:
                if part not in names:
                    continue
                with archive.open(part) as member:
                    xml = member.read(_SAVED_PART_LIMIT)
                if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
                    return None, None  # a DTD: not parsed (entity attacks); no workbook has one
                root = fromstring(xml)
                return _moment(root.find(element), zone), _name(root.find(_SAVED_BY[part]))
    except (*ZIP_ERRORS, ParseError, KeyError):
        return None, None
    return None, None


def _moment(found: Element | None, zone: tzinfo | None) -> datetime | None:
    if found is None or not found.text:
        return None
    try:
        moment = datetime.fromisoformat(found.text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone) if zone else moment.astimezone()
    return moment.astimezone(UTC).replace(microsecond=0)


def _name(found: Element | None) -> str | None:
    """A user name as people read it: control characters out, spaces collapsed, cut short."""
    if found is None or not found.text:
        return None
    text = " ".join("".join(c if unicodedata.category(c)[0] != "C" else " "
                            for c in found.text[:1000]).split())
    if len(text) > _SAVED_BY_LIMIT:
        text = text[:_SAVED_BY_LIMIT - 1] + "…"
    return text or None


@dataclass(frozen=True)
class Verdict:
    """Which of two different versions of one workbook counts: the one arriving or the
    current one, the moments each says it was saved (and by whom), and whether that is
    told."""

    arrival_counts: bool
    #: the saved moments decided (both say one, and not the same second)
    by_saved: bool
    arriving_saved: datetime | None
    current_saved: datetime | None
    #: whether it is told: always when the two were compared (not when the filed copy is
    #: gone: nothing to compare, nothing kept)
    told: bool
    #: the arriving / the current version says it was saved after it came into the inbox
    #: (a wrong clock): that moment decided nothing
    impossible: tuple[bool, bool] = (False, False)
    #: the saved moments decided as the inbox dates would have (the usual: a corrected
    #: version sent later), told calmly
    inbox_agrees: bool = False
    #: who saved the arriving / the current version last, as each workbook says
    arriving_by: str | None = None
    current_by: str | None = None

    def rival(self, source: str, sha256: str, *, kept: str, lost_to: str) -> Rival:
        """The version that lost (named by its ``source`` and digest, kept as ``kept`` in
        the round folder, having lost to ``lost_to``: a name in the inbox), as remembered
        with the one that counts."""
        lost, won = ((self.current_saved, self.arriving_saved) if self.arrival_counts
                     else (self.arriving_saved, self.current_saved))
        lost_by, won_by = ((self.current_by, self.arriving_by) if self.arrival_counts
                           else (self.arriving_by, self.current_by))
        arriving, current = self.impossible
        lost_wrong, won_wrong = ((current, arriving) if self.arrival_counts
                                 else (arriving, current))
        return Rival(source=source, sha256=sha256, saved_at=_iso(lost),
                     counts_saved_at=_iso(won), by_saved=self.by_saved,
                     impossible=[who for who, wrong in (("counts", won_wrong),
                                                        ("other", lost_wrong)) if wrong],
                     inbox_agrees=self.inbox_agrees, saved_by=lost_by, counts_saved_by=won_by,
                     kept=kept, lost_to=lost_to)


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
    (arriving, arriving_by), (present, present_by) = saved_facts(data), saved_facts(current_data)
    verdict = functools.partial(Verdict, arriving_saved=arriving, current_saved=present,
                                told=True, arriving_by=arriving_by, current_by=present_by)
    # a workbook cannot have been saved after it came into the inbox: such a moment is a
    # wrong clock (a reviewer's PC in 2099 would otherwise win against every later version,
    # for good); it decides nothing, and that is said
    impossible = (not _possible(arriving, mtime), not _possible(present, current.source_mtime))
    if any(impossible):
        return verdict(by_inbox, False, impossible=impossible)
    if arriving is not None and present is not None and arriving != present:
        return verdict(arriving > present, True, inbox_agrees=(arriving > present) == by_inbox)
    return verdict(by_inbox, False)


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
