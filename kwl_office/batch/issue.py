"""Issue the workbooks a manifest implies; running again only adds what is missing.

An assessment with *Spiegel* in the manifest gets its peer and audit workbooks only once its
self-evaluation is in and valid: they show it beside each norm (the mirror), so they cannot be
made before. Until then they are *waiting*; the next ``round issue`` (or ``round run``) after
the self-evaluation was collected makes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office.assessment import Kind, Submission, Variant
from kwl_office.atomic import write_text_atomic
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.manifest import ManifestEntry
from kwl_office.catalogue import Catalogue
from kwl_office.excel.stamp import WorkbookStamper
from kwl_office.excel.writer import WorkbookSpec, write_workbook
from kwl_office.findings import Report, make_finding
from kwl_office.names import file_name, id_key, name_key

INDEX_NAME = "index.json"


class IssuedWorkbook(BaseModel):
    """One issued workbook, as the round remembers it."""

    model_config = ConfigDict(extra="forbid")

    workbook_id: str
    assessment_id: str
    kind: Kind
    reviewer: str = ""
    file: str  # relative to the round folder
    issued_at: str

    @property
    def label(self) -> str:
        """How a person recognises it: ``2026-014 peer - Welzijn Noord``."""
        who = self.reviewer or "zelfevaluatie"
        kind = "" if self.kind is Kind.SELF_EVALUATION else f"{self.kind.value} - "
        return f"{self.assessment_id} {kind}{who}"


@dataclass(frozen=True)
class Planned:
    """A workbook the manifest asks for."""

    entry: ManifestEntry
    kind: Kind
    reviewer: str = ""
    distinctive_only: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        return workbook_key(self.entry.assessment.id, self.kind, self.reviewer)

    @property
    def label(self) -> str:
        """How a person recognises it: ``2026-014 peer - Welzijn Noord``."""
        who = self.reviewer or "zelfevaluatie"
        kind = "" if self.kind is Kind.SELF_EVALUATION else f"{self.kind.value} - "
        return f"{self.entry.assessment.id} {kind}{who}"

    def file_name(self, suffix: str = ".xlsx") -> str:
        """``2026-014 peer - Welzijn Noord.xlsx``: who recognises it, recognises it. Names
        that are too long or hold unsafe characters get a hash suffix (never collide)."""
        host = self.entry.assessment.host
        if self.kind is Kind.SELF_EVALUATION:
            name = f"{self.entry.assessment.id} zelfevaluatie - {host}"
        else:
            name = f"{self.entry.assessment.id} {self.kind.value} - {self.reviewer}"
        return file_name(name) + suffix

    def relative_path(self, suffix: str = ".xlsx") -> Path:
        """Where the workbook goes, relative to the round folder."""
        return Path("uitgegeven") / file_name(self.entry.assessment.id) / self.file_name(suffix)


def workbook_key(assessment_id: str, kind: Kind, reviewer: str) -> tuple[str, str, str]:
    """What makes a workbook one: assessment, kind and reviewer, compared as identities."""
    return (id_key(assessment_id), kind.value, name_key(reviewer))


def plan(entry: ManifestEntry) -> list[Planned]:
    """The workbooks one assessment needs: self-evaluation, then one per reviewer."""
    variant = entry.assessment.variant
    planned = [Planned(entry, Kind.SELF_EVALUATION)]
    if variant in (Variant.PEER_REVIEW, Variant.COMBINATION):
        planned += [Planned(entry, Kind.PEER, r) for r in entry.reviewers]
    if variant in (Variant.AUDIT, Variant.COMBINATION):
        planned.append(Planned(entry, Kind.AUDIT, entry.ci))
    if variant is Variant.HKZ_ISO:
        planned.append(Planned(entry, Kind.AUDIT, entry.ci, distinctive_only=True))
    return planned


def load_index(folder: RoundFolder) -> dict[str, IssuedWorkbook]:
    """workbook id → issued workbook."""
    path = folder.issued / INDEX_NAME
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: IssuedWorkbook.model_validate(v) for k, v in data.items()}


def save_index(folder: RoundFolder, index: dict[str, IssuedWorkbook]) -> None:
    """Write the index atomically (sorted, so it diffs well)."""
    data = {k: index[k].model_dump(mode="json") for k in sorted(index)}
    write_text_atomic(folder.issued / INDEX_NAME,
                      json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def pending_mirror_workbooks(entries: list[ManifestEntry],
                             index: dict[str, IssuedWorkbook]) -> list[Planned]:
    """The peer and audit workbooks of assessments with a mirror that are not issued yet:
    they wait for the self-evaluation (and count as missing until they are in)."""
    known = {workbook_key(w.assessment_id, w.kind, w.reviewer) for w in index.values()}
    return [item for entry in entries if entry.mirror for item in plan(entry)
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

    def line(self) -> str:
        """The Dutch summary line: ``Uitgegeven: 3 nieuwe werkmappen; 12 al eerder …``."""
        text = T.ROUND_ISSUED.format(
            created=dutch.count(len(self.created), NEW_WORKBOOK), existing=self.existing)
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
                    today: date | None = None) -> IssueResult:
    """Create every workbook the manifest implies that was not issued before.

    A workbook already issued is never changed (its file and identity stay as they are).
    Each workbook shape is built once and the identities stamped in
    (:class:`~kwl_office.excel.stamp.WorkbookStamper`), a few milliseconds per workbook. The
    index is saved every hundred workbooks and at the end, so an interrupted run loses nothing
    (a workbook written but not yet in the index is simply made again, under the same name).
    With ``macros`` new workbooks are ``.xlsm`` files with the check macro.

    ``mirrors``: the valid self-evaluation per assessment (``id_key``) of the assessments
    with Spiegel; their peer and audit workbooks are made with it beside each norm, and wait
    (``IssueResult.waiting``) while it is not there. A row whose workbooks are made today
    with an Inleverdatum before ``today`` gets the warning ``manifest-deadline-past``.
    """
    index = load_index(folder)
    known = {workbook_key(w.assessment_id, w.kind, w.reviewer) for w in index.values()}
    owners = {_owner_key(w.file): w.label for w in index.values()}
    report = Report()
    todo: list[tuple[Path, WorkbookSpec, Submission | None]] = []
    waiting: list[Planned] = []
    existing = 0
    today = today or date.today()
    for entry in entries:
        before = len(todo)
        mirror = (mirrors or {}).get(id_key(entry.assessment.id)) if entry.mirror else None
        for item in plan(entry):
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
                distinctive_only=item.distinctive_only),
                mirror if item.kind is not Kind.SELF_EVALUATION else None))
        if len(todo) > before and entry.deadline is not None and entry.deadline < today:
            report.add(make_finding("manifest-deadline-past", sheet=entry.sheet,
                                    cell=entry.cells.get("deadline"),
                                    value=T.format_date(entry.deadline),
                                    today=T.format_date(today)))
    created: list[IssuedWorkbook] = []
    stamper = WorkbookStamper(catalogue, macros=macros)
    for number, (relative, spec, shown) in enumerate(todo, start=1):
        if shown is None:
            identity = stamper.write(folder.root / relative, spec, key=key)
        else:
            # a mirror makes every workbook's shape its own: built in full, not stamped
            identity = write_workbook(folder.root / relative, spec, catalogue, key=key,
                                      mirror=shown, macros=macros)
        created.append(IssuedWorkbook(
            workbook_id=identity.workbook_id, assessment_id=spec.assessment_id, kind=spec.kind,
            reviewer=identity.reviewer, file=relative.as_posix(), issued_at=identity.issued_at))
        index[identity.workbook_id] = created[-1]
        if number % 100 == 0 or number == len(todo):
            save_index(folder, index)
    return IssueResult(created=created, existing=existing, report=report, waiting=waiting)
