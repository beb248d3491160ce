"""Issue the workbooks a manifest implies; running again only adds what is missing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from kwl_office.assessment import Kind, Variant
from kwl_office.atomic import write_text_atomic
from kwl_office.batch.folder import RoundFolder, safe_name
from kwl_office.batch.manifest import ManifestEntry
from kwl_office.catalogue import Catalogue
from kwl_office.excel.stamp import WorkbookStamper
from kwl_office.excel.writer import WorkbookSpec

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
        return (self.entry.assessment.id, self.kind.value, self.reviewer.casefold())

    def file_name(self, suffix: str = ".xlsx") -> str:
        """``2026-014 peer - Welzijn Noord.xlsx``: who recognises it, recognises it."""
        host = self.entry.assessment.host
        if self.kind is Kind.SELF_EVALUATION:
            name = f"{self.entry.assessment.id} zelfevaluatie - {host}"
        else:
            name = f"{self.entry.assessment.id} {self.kind.value} - {self.reviewer}"
        return safe_name(name) + suffix


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


@dataclass
class IssueResult:
    """What ``round issue`` did."""

    created: list[IssuedWorkbook]
    existing: int


def issue_workbooks(folder: RoundFolder, entries: list[ManifestEntry], catalogue: Catalogue,
                    key: bytes, *, macros: bool = False) -> IssueResult:
    """Create every workbook the manifest implies that was not issued before.

    A workbook already issued is never changed (its file and identity stay as they are).
    Each workbook shape is built once and the identities stamped in
    (:class:`~kwl_office.excel.stamp.WorkbookStamper`), a few milliseconds per workbook. The
    index is saved every hundred workbooks and at the end, so an interrupted run loses nothing
    (a workbook written but not yet in the index is simply made again, under the same name).
    With ``macros`` new workbooks are ``.xlsm`` files with the check macro.
    """
    index = load_index(folder)
    known = {(w.assessment_id, w.kind.value, w.reviewer.casefold()) for w in index.values()}
    todo: list[tuple[Path, WorkbookSpec]] = []
    existing = 0
    for entry in entries:
        for item in plan(entry):
            if item.key in known:
                existing += 1
                continue
            known.add(item.key)
            relative = (Path("uitgegeven") / safe_name(entry.assessment.id)
                        / item.file_name(".xlsm" if macros else ".xlsx"))
            todo.append((relative, WorkbookSpec(
                kind=item.kind, assessment_id=entry.assessment.id, host=entry.assessment.host,
                reviewer=item.reviewer, deadline=entry.deadline,
                distinctive_only=item.distinctive_only)))
    created: list[IssuedWorkbook] = []
    stamper = WorkbookStamper(catalogue, macros=macros)
    for number, (relative, spec) in enumerate(todo, start=1):
        identity = stamper.write(folder.root / relative, spec, key=key)
        created.append(IssuedWorkbook(
            workbook_id=identity.workbook_id, assessment_id=spec.assessment_id, kind=spec.kind,
            reviewer=identity.reviewer, file=relative.as_posix(), issued_at=identity.issued_at))
        index[identity.workbook_id] = created[-1]
        if number % 100 == 0 or number == len(todo):
            save_index(folder, index)
    return IssueResult(created=created, existing=existing)
