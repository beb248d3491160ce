"""Whether an assessment can be reported: every workbook the manifest still expects is in,
complete and valid (:func:`readiness`), what ``--incomplete`` may report anyway
(:func:`incomplete_refusal`), the warnings for what the manifest row no longer says
(:func:`manifest_findings`), and what an assessment is reported from (:func:`input_parts`,
:func:`folder_fingerprint`).

Kept apart from :mod:`kwl_office.batch.report`, which decides and makes the documents; the
status (:func:`kwl_office.batch.status.round_status`) asks the same questions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kwl_office import texts_nl as T
from kwl_office._version import __version__
from kwl_office.assessment import Kind, Submission, Variant
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.issue import (
    IssuedWorkbook,
    expected_workbooks,
    load_index,
    not_expected_reason,
)
from kwl_office.batch.manifest import ManifestEntry
from kwl_office.batch.receipts import Receipt, load_receipts, submission_of
from kwl_office.catalogue import Catalogue
from kwl_office.consolidation.files import WORKBOOK_NAME
from kwl_office.consolidation.model import Consolidation
from kwl_office.consolidation.overrides import read_overrides
from kwl_office.errors import UnreadableFile
from kwl_office.findings import Finding, make_finding
from kwl_office.names import name_key


@dataclass
class Readiness:
    """Whether an assessment can be reported, and why not.

    ``files`` are the received, valid workbooks (relative to the round folder) with their
    read-back ``submissions``; ``missing`` names every expected workbook that is not in or
    not valid (``2026-014 peer - Welzijn Noord: ontbreekt``). ``not_counted``: received
    workbooks that are no longer expected (their reviewer left the manifest row), each with
    why: they never count.
    """

    ready: bool
    reason: str = ""
    files: list[str] = field(default_factory=list)
    submissions: list[Submission] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    #: (label, why, manifest cell) of each
    not_counted: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def reviews(self) -> list[Submission]:
        """The counting submissions that are reviews (peer or audit), not the
        self-evaluation."""
        return [sub for sub in self.submissions if sub.kind is not Kind.SELF_EVALUATION]


def incomplete_refusal(entry: ManifestEntry, ready: Readiness) -> str:
    """Why an assessment that is not ready still waits although ``--incomplete`` names it;
    '' when it is reported with what is there. Nothing is there without a single counting
    workbook, and a peer review or audit without a single counting review has no reviewer
    and no judgement to report: its documents would state both (never a certificate for an
    audit nobody did)."""
    if not ready.submissions:
        return ready.reason
    if entry.assessment.variant is not Variant.SELF_EVALUATION and not ready.reviews:
        return "; ".join(filter(None, (ready.reason, T.REPORT_NO_REVIEW)))
    return ""


def readiness(folder: RoundFolder, entry: ManifestEntry, catalogue: Catalogue, key: bytes,
              index: dict[str, IssuedWorkbook] | None = None,
              submissions: dict[str, Submission] | None = None,
              receipts: dict[str, Receipt] | None = None) -> Readiness:
    """Complete and valid? Every expected workbook — the self-evaluation and every review —
    received, complete and valid. A missing workbook blocks exactly as an invalid one does.
    A workbook issued to a reviewer or CI the manifest row no longer names is not expected
    (:func:`~kwl_office.batch.issue.expected_workbooks`): it is not waited for, and when it
    comes back anyway it is in ``not_counted``, never in ``submissions``."""
    index = index if index is not None else load_index(folder)
    receipts = receipts if receipts is not None else load_receipts(folder)
    issued = [w for w in index.values() if w.assessment_id == entry.assessment.id]
    wanted = expected_workbooks(entry, issued)
    expected = sorted(wanted, key=lambda w: (w.kind is not Kind.SELF_EVALUATION, w.label))
    if not expected:
        return Readiness(False, T.REPORT_NOT_ISSUED)
    missing, invalid = [], []
    found = Readiness(True)
    kept = {w.workbook_id for w in wanted}
    found.not_counted = [
        (w.label, not_expected_reason(entry, w),
         entry.cells.get("ci" if w.kind is Kind.AUDIT else "reviewers", ""))
        for w in sorted(issued, key=lambda w: w.label)
        if w.workbook_id not in kept and w.workbook_id in receipts]
    for item in expected:
        receipt = receipts.get(item.workbook_id)
        if receipt is None:
            missing.append(item.label)
            continue
        sub = submission_of(folder, receipt, catalogue, key, submissions)
        if sub is None or not sub.valid:  # an unreadable copy is invalid too
            invalid.append(item.label)
            continue
        found.files.extend(receipt.files)  # a team workbook's copies: all of them
        found.submissions.append(sub)
    found.missing = ([T.REPORT_ITEM_MISSING.format(item=m) for m in missing]
                     + [T.REPORT_ITEM_INVALID.format(item=i) for i in invalid])
    if missing or invalid:
        parts = []
        if missing:
            parts.append(T.REPORT_MISSING.format(count=len(missing), items=", ".join(missing)))
        if invalid:
            parts.append(T.REPORT_INVALID.format(items=", ".join(invalid)))
        found.ready = False
        found.reason = "; ".join(parts)
    return found


def manifest_findings(entry: ManifestEntry, ready: Readiness,
                      result: Consolidation) -> list[Finding]:
    """Warnings for what the manifest row no longer says: a received workbook of a reviewer
    it no longer names (it did not count), and a reviewer it no longer names who counts all
    the same through the shared team workbook they were issued (the documents name them)."""
    found = [make_finding("workbook-not-counted", sheet=entry.sheet, cell=cell or None,
                          label=label, reason=reason)
             for label, reason, cell in ready.not_counted]
    named = {name_key(name) for name in [*entry.peer_reviewers, entry.ci] if name}
    teams = {name_key(name) for sub in ready.submissions if sub.identity is not None
             for name in sub.identity.reviewers}
    found += [make_finding("reviewer-not-in-manifest", sheet=entry.sheet,
                           cell=entry.cells.get("reviewers"), reviewer=reviewer)
              for reviewer in result.reviewers
              if name_key(reviewer) not in named and name_key(reviewer) in teams]
    return found


# --- what an assessment is reported from -------------------------------------------------------


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's contents ('' when it is not there)."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def input_parts(folder: RoundFolder, entry: ManifestEntry, files: Sequence[str],
                catalogue: Catalogue, state: dict[str, Any], *, missing: Sequence[str] = (),
                not_counted: Sequence[str] = ()) -> dict[str, Any]:
    """What the outputs of an assessment depend on that the round folder holds: the received
    copies that count (``files``, by contents), what was missing, the workbooks that came in
    and do not count (by label), the overrides in ``geconsolideerd.xlsx`` (by what the
    report reads of them: :func:`overrides_digest`), the manifest row, the catalogue, the
    sender and signatory of the letters, and the tool's version. The report's input digest
    adds the templates and the register's history; ``kwl round status`` recomputes these
    alone (:func:`folder_fingerprint`)."""
    parts = {
        "entry": entry.fingerprint_data(),
        "files": {f: file_digest(folder.root / f) for f in sorted(files)},
        "missing": sorted(missing),
        "overrides": overrides_digest(folder, entry, catalogue, state),
        "catalogue": catalogue.fingerprint,
        "letters": folder.config().letter_settings().model_dump(),
        "tool": __version__,
    }
    if not_counted:  # a workbook that came in and does not count: said under the assessment
        parts["not_counted"] = sorted(not_counted)
    return parts


def overrides_digest(folder: RoundFolder, entry: ManifestEntry, catalogue: Catalogue,
                     state: dict[str, Any]) -> str:
    """The overrides of an assessment's ``geconsolideerd.xlsx`` as the report reads them
    (:func:`~kwl_office.consolidation.overrides.read_overrides`: the Eindoordelen and
    Motiveringen, with the findings on them), not its bytes: opened and saved again unchanged
    (Excel, LibreOffice) it is the same. '' when there is none. While the file is byte for
    byte the one the last report wrote (``written_consolidated`` of ``state``) the digest
    that report kept of it (``written_overrides``) is taken without opening it; the state
    of an older kwl kept none: then it is read. A file that cannot be opened at all
    is taken by its bytes (the report then fails on it, as it always did)."""
    path = folder.assessment_output(entry.assessment.id) / WORKBOOK_NAME
    if not path.exists():
        return ""
    sha = file_digest(path)
    kept = state.get("written_overrides")
    if sha == state.get("written_consolidated") and isinstance(kept, str):
        return kept  # our own output, not edited since
    try:
        overrides, report = read_overrides(path, catalogue, assessment_id=entry.assessment.id)
    except UnreadableFile:
        return f"bestand:{sha}"
    return "waarden:" + json_digest([[o.model_dump(mode="json") for o in overrides],
                                  [f.model_dump(mode="json") for f in report.findings]])


def folder_fingerprint(parts: dict[str, Any], benchmark: str) -> dict[str, Any]:
    """What the state file of a report keeps of its :func:`input_parts` (and ``benchmark``,
    the digest of the branch benchmark of ``ronde.yaml``), so that ``kwl round status`` can
    say exactly which of them changed since: each part by its digest, the received copies
    each by its own (a new one is a new version in)."""
    return {
        "files": parts["files"],
        "workbooks": json_digest([parts["missing"], parts.get("not_counted", [])]),
        "overrides": parts["overrides"],
        "manifest": json_digest(parts["entry"]),
        "letters": json_digest(parts["letters"]),
        "benchmark": benchmark,
        "catalogue": parts["catalogue"],
        "tool": parts["tool"],
    }


def json_digest(data: object) -> str:
    """The SHA-256 of ``data`` as sorted JSON (what the report's digests are made of)."""
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def benchmark_digest(folder: RoundFolder) -> str:
    """The digest of the branch benchmark ``ronde.yaml`` names ('' for none)."""
    name = folder.config().branchebeeld
    return file_digest(folder.root / name) if name else ""
