"""Issue the workbooks a manifest implies; running again only adds what is missing.

An assessment with *Spiegel* in the manifest gets its peer and audit workbooks only once its
self-evaluation is in and valid: they show it beside each norm (the mirror), so they cannot be
made before. Until then they are *waiting*; the next ``round issue`` (or ``round run``) after
the self-evaluation was collected makes them.

An assessment with *Werkmap = gedeeld* gets one shared team workbook for its peer reviewers
(:mod:`kwl_office.excel.team`) instead of one per reviewer. The way an assessment's peer
workbooks were first issued holds: switching the row afterwards never issues anything again
over what people may be filling in (a warning says so); a reviewer added to the row later
gets a workbook of their own.
"""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office.assessment import Identity, Kind, Submission, Variant
from kwl_office.atomic import write_text_atomic
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.manifest import ManifestEntry
from kwl_office.batch.pool import map_in, pool_for
from kwl_office.catalogue import Catalogue
from kwl_office.errors import KwlError
from kwl_office.excel.reader import read_workbook
from kwl_office.excel.stamp import WorkbookStamper
from kwl_office.excel.writer import WorkbookSpec, signed_identity, write_workbook
from kwl_office.findings import Finding, Report, make_finding
from kwl_office.identity import verify
from kwl_office.names import file_name, id_key, name_key

INDEX_NAME = "index.json"


class _Filler:
    """Who fills a workbook in and what kind it is, as the intake shows them; for a class
    with ``kind``, ``reviewer`` and ``reviewers`` (a team workbook's)."""

    if TYPE_CHECKING:  # the subclass's fields (not fields of their own here: pydantic)
        kind: Kind
        reviewer: str
        reviewers: tuple[str, ...]

    @property
    def who(self) -> str:
        """Who fills it in: the reviewer, the team (``Noord, Zuid en West``) or ''."""
        return dutch.join(self.reviewers) if self.reviewers else self.reviewer

    @property
    def kind_text(self) -> str:
        """The kind as the intake shows it: ``peer``, ``peer (gedeeld)``, …"""
        return T.TEAM_INTAKE_KIND if self.reviewers else self.kind.value


class IssuedWorkbook(_Filler, BaseModel):
    """One issued workbook, as the round remembers it."""

    model_config = ConfigDict(extra="forbid")

    workbook_id: str
    assessment_id: str
    kind: Kind
    reviewer: str = ""
    file: str  # relative to the round folder
    issued_at: str
    #: the reviewers of a shared team workbook, in sheet order (the first is the
    #: penvoerder); empty for a workbook of one reviewer (index files of before have none)
    reviewers: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """How a person recognises it: ``2026-014 peer - Welzijn Noord``, a team workbook
        ``2026-014 gedeeld - Noord, Zuid en West``."""
        return workbook_label(self.assessment_id, self.kind, self.reviewer, self.reviewers)


def workbook_label(assessment_id: str, kind: Kind, reviewer: str,
                   reviewers: Sequence[str] = ()) -> str:
    """``2026-014 peer - Welzijn Noord``, ``2026-014 gedeeld - Noord, Zuid en West`` or
    ``2026-014 zelfevaluatie``."""
    if reviewers:
        return f"{assessment_id} {T.TEAM_LABEL_KIND} - {dutch.join(reviewers)}"
    who = reviewer or "zelfevaluatie"
    prefix = "" if kind is Kind.SELF_EVALUATION else f"{kind.value} - "
    return f"{assessment_id} {prefix}{who}"


@dataclass(frozen=True)
class Planned(_Filler):
    """A workbook the manifest asks for."""

    entry: ManifestEntry
    kind: Kind
    reviewer: str = ""
    distinctive_only: bool = False
    #: a shared team workbook: its reviewers (``reviewer`` is then empty)
    reviewers: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        return workbook_key(self.entry.assessment.id, self.kind, self.reviewer)

    @property
    def label(self) -> str:
        """How a person recognises it: ``2026-014 peer - Welzijn Noord``."""
        return workbook_label(self.entry.assessment.id, self.kind, self.reviewer,
                              self.reviewers)

    def file_name(self, suffix: str = ".xlsx") -> str:
        """``2026-014 peer - Welzijn Noord.xlsx``: who recognises it, recognises it. Names
        that are too long or hold unsafe characters get a hash suffix (never collide)."""
        host = self.entry.assessment.host
        if self.kind is Kind.SELF_EVALUATION:
            name = f"{self.entry.assessment.id} zelfevaluatie - {host}"
        elif self.reviewers:
            name = _team_file_stem(self.entry.assessment.id, self.reviewers)
        else:
            name = f"{self.entry.assessment.id} {self.kind.value} - {self.reviewer}"
        return file_name(name) + suffix

    def relative_path(self, suffix: str = ".xlsx") -> Path:
        """Where the workbook goes, relative to the round folder."""
        return Path("uitgegeven") / file_name(self.entry.assessment.id) / self.file_name(suffix)


def _team_file_stem(assessment_id: str, reviewers: Sequence[str]) -> str:
    """``2026-014 team - Noord & Zuid & West``; when that is too long for a file name, the
    penvoerder and how many others (a shortened list would hide a reviewer)."""
    prefix = f"{assessment_id} {T.TEAM_FILE_KIND} - "
    # '&': a comma is no safe file-name character (it would cost the readable name)
    full = prefix + " & ".join(reviewers)
    if file_name(full) == full:
        return full
    others = dutch.count(len(reviewers) - 1, "andere", "anderen")
    return prefix + T.TEAM_FILE_OTHERS.format(first=reviewers[0], others=others)


def workbook_key(assessment_id: str, kind: Kind, reviewer: str) -> tuple[str, str, str]:
    """What makes a workbook one: assessment, kind and reviewer, compared as identities.
    A team workbook has no single reviewer: its key has '' there (one per assessment)."""
    return (id_key(assessment_id), kind.value, name_key(reviewer))


def issued_by_assessment(index: dict[str, IssuedWorkbook]) -> dict[str, list[IssuedWorkbook]]:
    """The issued workbooks per assessment (``id_key``)."""
    found: dict[str, list[IssuedWorkbook]] = {}
    for item in index.values():
        found.setdefault(id_key(item.assessment_id), []).append(item)
    return found


def plan(entry: ManifestEntry, issued: Sequence[IssuedWorkbook] = ()) -> list[Planned]:
    """The workbooks one assessment needs: self-evaluation, then the peer workbooks (one per
    reviewer, or one shared team workbook), then the CI's audit workbook. ``issued``: the
    workbooks of this assessment issued before; the way its peer workbooks were issued
    holds (see :func:`mode_findings`)."""
    variant = entry.assessment.variant
    planned = [Planned(entry, Kind.SELF_EVALUATION)]
    planned += _peer_plan(entry, issued)
    if variant in (Variant.AUDIT, Variant.COMBINATION):
        planned.append(Planned(entry, Kind.AUDIT, entry.ci))
    if variant is Variant.HKZ_ISO:
        planned.append(Planned(entry, Kind.AUDIT, entry.ci, distinctive_only=True))
    return planned


def _peer_plan(entry: ManifestEntry, issued: Sequence[IssuedWorkbook]) -> list[Planned]:
    peers = entry.peer_reviewers
    issued_peers = [w for w in issued if w.kind is Kind.PEER]
    team = next((w for w in issued_peers if w.reviewers), None)
    if team is not None:
        # the team workbook stays what it is; a reviewer added later gets their own
        covered = {name_key(name) for name in team.reviewers}
        return [Planned(entry, Kind.PEER, reviewers=team.reviewers)] + [
            Planned(entry, Kind.PEER, r) for r in peers if name_key(r) not in covered]
    if entry.shared and len(peers) >= 2 and not issued_peers:
        return [Planned(entry, Kind.PEER, reviewers=tuple(peers))]
    return [Planned(entry, Kind.PEER, r) for r in peers]


def expected_workbooks(entry: ManifestEntry, issued: Sequence[IssuedWorkbook]
                       ) -> list[IssuedWorkbook]:
    """The issued workbooks of this assessment that the manifest row still asks for (by
    :func:`plan`, so a row switched to or from *gedeeld* keeps what was issued, and a shared
    team workbook keeps everyone it was issued to). A workbook issued to one reviewer or CI
    whom the row no longer names is not expected any more: it does not count, also when it
    comes back (the manifest is who reviews; a reviewer taken off, e.g. for a conflict of
    interest, never counts silently)."""
    wanted = {item.key for item in plan(entry, issued)}
    return [w for w in issued
            if workbook_key(w.assessment_id, w.kind, w.reviewer) in wanted]


def not_expected_reason(entry: ManifestEntry, workbook: IssuedWorkbook) -> str:
    """Why an issued workbook is not expected (see :func:`expected_workbooks`): its reviewer
    or CI is no longer in the row, or the row's variant has no such workbook (the name is
    still in the cell then, and is never said to be gone)."""
    column = entry.reviewers if workbook.kind is Kind.PEER else [entry.ci]
    if any(name and name_key(name) == name_key(workbook.reviewer) for name in column):
        return T.NOT_EXPECTED_VARIANT.format(
            variant=T.VARIANT_LABELS[entry.assessment.variant.value].lower())
    # a spelling put right ("Welzijn Nord" → "Welzijn Noord") is another reviewer to kwl:
    # said plainly, with the way to keep the work that came in (nothing is guessed)
    alike = next((name for name in column if name and _spelled_alike(name, workbook.reviewer)),
                 None)
    if alike is not None:
        return T.NOT_EXPECTED_RESPELLED.format(reviewer=workbook.who, now=alike)
    return T.NOT_EXPECTED_REMOVED.format(reviewer=workbook.who)


def _spelled_alike(one: str, other: str) -> bool:
    """Whether two names differ as a spelling put right does (a letter or two)."""
    return difflib.SequenceMatcher(None, name_key(one), name_key(other)).ratio() >= 0.85


def not_expected(entries: Sequence[ManifestEntry], index: dict[str, IssuedWorkbook]
                 ) -> dict[str, str]:
    """Workbook id → why it is not expected (:func:`not_expected_reason`), for every issued
    workbook of ``entries`` that the manifest no longer asks for (:func:`expected_workbooks`)."""
    by_assessment: dict[str, list[IssuedWorkbook]] = {}
    for workbook in index.values():
        by_assessment.setdefault(workbook.assessment_id, []).append(workbook)
    found = {}
    for entry in entries:
        issued = by_assessment.get(entry.assessment.id, [])
        kept = {w.workbook_id for w in expected_workbooks(entry, issued)}
        found.update({w.workbook_id: not_expected_reason(entry, w)
                      for w in issued if w.workbook_id not in kept})
    return found


def _removed_findings(entry: ManifestEntry, issued: Sequence[IssuedWorkbook]
                      ) -> list[Finding]:
    """One warning per workbook issued to a reviewer or CI the row no longer names, at the
    cell that named them (Beoordelaars, or CI for an audit workbook)."""
    kept = {w.workbook_id for w in expected_workbooks(entry, issued)}
    return [make_finding("manifest-reviewer-removed", sheet=entry.sheet,
                         cell=entry.cells.get("ci" if w.kind is Kind.AUDIT else "reviewers"),
                         assessment=entry.assessment.id, label=w.label,
                         reason=not_expected_reason(entry, w))
            for w in issued if w.workbook_id not in kept]


def mode_findings(entry: ManifestEntry, issued: Sequence[IssuedWorkbook]) -> list[Finding]:
    """Warnings (at the row's Werkmap cell) when the row no longer says what was issued: a
    row switched to or from *gedeeld*, or a team that changed after its workbook went out.
    Nothing is issued again (see :func:`plan`). A workbook issued to a reviewer or CI the
    row no longer names gets its own warning (``manifest-reviewer-removed``): it is no
    longer expected (see :func:`expected_workbooks`)."""
    dropped = _removed_findings(entry, issued)
    peers = [w for w in issued if w.kind is Kind.PEER]
    team = next((w for w in peers if w.reviewers), None)
    details = []
    if team is None and entry.shared and peers:
        details.append(T.MODE_ISSUED_PER_REVIEWER.format(
            reviewers=dutch.join(w.reviewer for w in peers)))
    elif team is not None and not entry.shared:
        details.append(T.MODE_ISSUED_SHARED.format(team=dutch.join(team.reviewers)))
    if team is not None:
        covered = {name_key(name) for name in team.reviewers}
        listed = {name_key(name) for name in entry.peer_reviewers}
        added = [r for r in entry.peer_reviewers if name_key(r) not in covered]
        removed = [r for r in team.reviewers if name_key(r) not in listed]
        if added:
            details.append(T.MODE_TEAM_ADDED.format(reviewers=dutch.join(added)))
        if removed:
            details.append(T.MODE_TEAM_REMOVED.format(reviewers=dutch.join(removed)))
    if not details:
        return dropped
    return [make_finding("manifest-workbook-mode-changed", sheet=entry.sheet,
                         cell=entry.cells.get("workbook") or entry.cells.get("reviewers"),
                         assessment=entry.assessment.id, detail=" ".join(details)), *dropped]


def load_index(folder: RoundFolder) -> dict[str, IssuedWorkbook]:
    """workbook id → issued workbook."""
    path = folder.issued / INDEX_NAME
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: IssuedWorkbook.model_validate(v) for k, v in data.items()}


def save_index(folder: RoundFolder, index: dict[str, IssuedWorkbook]) -> None:
    """Write the index atomically (sorted, so it diffs well)."""
    # "reviewers" only for a team workbook: the index of a round without one stays as it was
    data = {k: index[k].model_dump(mode="json", exclude=None if index[k].reviewers
                                   else {"reviewers"}) for k in sorted(index)}
    write_text_atomic(folder.issued / INDEX_NAME,
                      json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def pending_mirror_workbooks(entries: list[ManifestEntry],
                             index: dict[str, IssuedWorkbook]) -> list[Planned]:
    """The peer and audit workbooks of assessments with a mirror that are not issued yet:
    they wait for the self-evaluation (and count as missing until they are in)."""
    known = {workbook_key(w.assessment_id, w.kind, w.reviewer) for w in index.values()}
    issued = issued_by_assessment(index)
    return [item for entry in entries if entry.mirror
            for item in plan(entry, issued.get(id_key(entry.assessment.id), []))
            if item.kind is not Kind.SELF_EVALUATION and item.key not in known]


#: how the console counts what was made: "1 nieuwe werkmap", "3 nieuwe werkmappen"
NEW_WORKBOOK = dutch.Word("nieuwe werkmap", "nieuwe werkmappen")


@dataclass
class IssueResult:
    """What ``round issue`` did; ``report`` has the workbooks it refused to make and the
    manifest warnings of this issue (an Inleverdatum already past); ``waiting`` the workbooks
    with a mirror whose self-evaluation is not in and valid yet."""

    created: list[IssuedWorkbook]
    existing: int
    report: Report
    waiting: list[Planned] = field(default_factory=list)
    #: of ``created``: written by an interrupted run and taken as they were, not made again
    adopted: int = 0

    def line(self) -> str:
        """The Dutch summary line: ``Uitgegeven: 3 nieuwe werkmappen; 12 al eerder …``."""
        text = T.ROUND_ISSUED.format(
            created=dutch.count(len(self.created), NEW_WORKBOOK), existing=self.existing)
        if self.adopted:
            text += T.ROUND_ISSUED_ADOPTED.format(
                adopted=dutch.count(self.adopted, "workbook"))
        if self.waiting:
            text += T.ROUND_ISSUED_WAITING.format(
                waiting=dutch.count(len(self.waiting), "workbook"))
        return text


def _owner_key(relative: str | Path) -> str:
    # one owner per file name, whatever its case or suffix (.xlsx/.xlsm): folders on Windows
    # and macOS do not tell "Noord" from "noord"
    return Path(relative).with_suffix("").as_posix().casefold()


def issue_workbooks(folder: RoundFolder, entries: list[ManifestEntry], catalogue: Catalogue,
                    key: bytes, *, macros: bool = False,
                    mirrors: dict[str, Submission] | None = None,
                    today: date | None = None, workers: int | None = None) -> IssueResult:
    """Create every workbook the manifest implies that was not issued before.

    A workbook already issued is never changed (its file and identity stay as they are).
    Every workbook of one run carries the same issue time: now, on ``today`` when given.
    Each workbook shape is built once and the identities stamped in
    (:class:`~kwl_office.excel.stamp.WorkbookStamper`), a few milliseconds per workbook. The
    index is saved every hundred workbooks and at the end. A run that was interrupted (killed,
    a full disk) may have left workbooks under their final names that the index does not know
    yet: such a file may have gone out already (a synchronised folder, a colleague who mailed
    it), so the next run takes it as it is when it is the workbook the manifest asks for,
    signed with the round's key (:func:`_left_by_interrupted_run`), and makes it again only
    otherwise. ``IssueResult.adopted`` counts them.
    Many workbooks are written in ``workers`` processes (default: the cores).
    With ``macros`` new workbooks are ``.xlsm`` files with the check macro.

    ``mirrors``: the valid self-evaluation per assessment (``id_key``) of the assessments
    with Spiegel; their peer and audit workbooks are made with it beside each norm, and wait
    (``IssueResult.waiting``) while it is not there. A row whose workbooks are made today
    with an Inleverdatum before ``today`` gets the warning ``manifest-deadline-past``.
    """
    # one moment for the whole run, taken here: every workbook of a run says the same issue
    # time, whichever worker wrote it; on ``today`` when the caller names the day (the demo)
    moment = datetime.now(UTC).replace(microsecond=0)
    if today is not None:
        moment = datetime.combine(today, moment.timetz())
    index = load_index(folder)
    known = {workbook_key(w.assessment_id, w.kind, w.reviewer) for w in index.values()}
    owners = {_owner_key(w.file): w.label for w in index.values()}
    report = Report()
    todo: list[tuple[Path, WorkbookSpec, Submission | None]] = []
    waiting: list[Planned] = []
    existing = 0
    today = today or date.today()
    issued = issued_by_assessment(index)
    for entry in entries:
        before = len(todo)
        mirror = (mirrors or {}).get(id_key(entry.assessment.id)) if entry.mirror else None
        earlier = issued.get(id_key(entry.assessment.id), [])
        report.extend(mode_findings(entry, earlier))
        for item in plan(entry, earlier):
            if item.key in known:
                existing += 1
                continue
            if entry.mirror and item.kind is not Kind.SELF_EVALUATION and mirror is None:
                waiting.append(item)
                continue
            relative = item.relative_path(".xlsm" if macros else ".xlsx")
            owner = owners.get(_owner_key(relative))
            if owner is not None:
                # never overwrite a workbook another expected workbook already owns
                report.add(make_finding("workbook-name-taken", file=relative.name,
                                        owner=owner, label=item.label))
                continue
            known.add(item.key)
            owners[_owner_key(relative)] = item.label
            todo.append((relative, WorkbookSpec(
                kind=item.kind, assessment_id=entry.assessment.id, host=entry.assessment.host,
                reviewer=item.reviewer, deadline=entry.deadline,
                distinctive_only=item.distinctive_only, reviewers=item.reviewers),
                mirror if item.kind is not Kind.SELF_EVALUATION else None))
        if len(todo) > before and entry.deadline is not None and entry.deadline < today:
            report.add(make_finding("manifest-deadline-past", sheet=entry.sheet,
                                    cell=entry.cells.get("deadline"),
                                    value=T.format_date(entry.deadline),
                                    today=T.format_date(today)))
    created: list[IssuedWorkbook] = []
    adopted = 0
    task = functools.partial(_issue_task, str(folder.root), catalogue, key, macros, moment)
    with pool_for(workers, len(todo)) as (pool, count):
        for number, (made, kept) in enumerate(map_in(pool, task, todo, workers=count),
                                               start=1):
            created.append(made)
            adopted += kept
            index[made.workbook_id] = made
            if number % 100 == 0 or number == len(todo):
                save_index(folder, index)
    return IssueResult(created=created, existing=existing, report=report, waiting=waiting,
                       adopted=adopted)


#: the stamper of this process (one per catalogue and macro choice: each worker builds each
#: workbook shape once)
_STAMPER: dict[tuple[str, bool], WorkbookStamper] = {}


def _issue_task(root: str, catalogue: Catalogue, key: bytes, macros: bool, moment: datetime,
                item: tuple[Path, WorkbookSpec, Submission | None]
                ) -> tuple[IssuedWorkbook, bool]:
    """Write one workbook (in a worker, or here) and say what was issued, and whether it was
    there already (left by an interrupted run, taken as it is)."""
    relative, spec, shown = item
    path = Path(root) / relative
    left = _left_by_interrupted_run(path, spec, catalogue, key)
    if left is not None:
        identity = left
    elif shown is None:
        wanted = (catalogue.fingerprint, macros)
        if wanted not in _STAMPER:
            _STAMPER.clear()
            _STAMPER[wanted] = WorkbookStamper(catalogue, macros=macros)
        identity = _STAMPER[wanted].write(path, spec, key=key, issued_at=moment)
    else:
        # a mirror makes every workbook's shape its own: built in full, not stamped
        identity = write_workbook(path, spec, catalogue, key=key, mirror=shown, macros=macros,
                                  issued_at=moment)
    return IssuedWorkbook(
        workbook_id=identity.workbook_id, assessment_id=spec.assessment_id, kind=spec.kind,
        reviewer=identity.reviewer, file=relative.as_posix(), issued_at=identity.issued_at,
        reviewers=identity.reviewers), left is not None


def _left_by_interrupted_run(path: Path, spec: WorkbookSpec, catalogue: Catalogue,
                             key: bytes) -> Identity | None:
    """The identity of the workbook at ``path`` when it is exactly the one ``spec`` asks for
    (every signed field but the workbook's own id and issue time, which are its own), signed
    with ``key``: a run interrupted after writing it and before saving the index. None when
    there is no file (the usual case: one ``stat``) or it is anything else."""
    if not path.is_file():
        return None
    try:
        found = read_workbook(path, catalogue, key=key, allow_incomplete=True).identity
    except (KwlError, OSError):
        return None
    if found is None or not found.signature or not verify(found, key):
        return None
    try:
        wanted = signed_identity(spec, catalogue, key=key, workbook_id=found.workbook_id,
                                 issued_at=datetime.fromisoformat(found.issued_at))
    except (KwlError, ValueError):
        return None
    unsigned = {"signature", "tool_version"}
    return found if (found.model_dump(exclude=unsigned) == wanted.model_dump(exclude=unsigned)
                     ) else None
