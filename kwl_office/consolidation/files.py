"""Consolidating from files: read the workbooks, consolidate, write the outputs.

The file-facing edge of :func:`kwl_office.consolidation.rules.consolidate`: it expands folders into
workbook files, reads each one (an unreadable file becomes a finding, not a crash; copies of
one shared team workbook are merged into one submission), works out
the assessment and its variant from the signed identities, reads the consensus meeting's
overrides, and writes ``consolidation.json`` and ``geconsolideerd.xlsx`` atomically.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from kwl_office import texts_nl as T
from kwl_office.assessment import Assessment, Kind, NormScope, Submission, Variant
from kwl_office.atomic import copy_file_atomic, write_text_atomic
from kwl_office.catalogue import Catalogue
from kwl_office.consolidation.history import Comparison
from kwl_office.consolidation.model import Consolidation, Override
from kwl_office.consolidation.overrides import read_overrides
from kwl_office.consolidation.rules import consolidate
from kwl_office.consolidation.workbook import write_consolidated
from kwl_office.errors import NothingToConsolidate
from kwl_office.excel import reader
from kwl_office.excel.merge import WorkbookCopy, read_copies
from kwl_office.findings import Finding

JSON_NAME = "consolidation.json"
WORKBOOK_NAME = "geconsolideerd.xlsx"
EARLIER_DIR = "eerder"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")


def workbook_paths(inputs: Sequence[str | Path]) -> list[Path]:
    """Files as given; folders expanded (recursively) to their workbooks.

    Lock files of Excel/LibreOffice (``~$…``, ``.~lock…``), hidden files and our own
    consolidated workbooks are skipped inside folders.
    """
    paths: list[Path] = []
    for item in inputs:
        path = Path(item)
        if not path.is_dir():
            paths.append(path)
            continue
        for found in sorted(path.rglob("*")):
            if (found.is_file() and found.suffix.lower() in WORKBOOK_SUFFIXES
                    and not found.name.startswith(("~$", ".", "~"))
                    and found.name != WORKBOOK_NAME
                    and EARLIER_DIR not in found.relative_to(path).parts):
                paths.append(found)
    return paths


def read_submissions(
    paths: Sequence[Path], catalogue: Catalogue, key: bytes | None
) -> tuple[list[Submission], list[Finding]]:
    """Read every workbook; a file that cannot be read at all becomes its ``unreadable-file``
    finding (:func:`~kwl_office.excel.reader.read_submissions`) instead of a submission.
    Several copies of one shared team workbook (the same workbook id: forks of a workbook
    sent round by mail) become one submission, their merge
    (:func:`~kwl_office.excel.merge.read_copies`), in the place of the first."""
    submissions: list[Submission] = []
    findings: list[Finding] = []
    forks: dict[str, list[int]] = {}  # team workbook id → positions in submissions
    for sub in reader.read_submissions([reader.ReadRequest(path) for path in paths],
                                       catalogue, key=key, explain_empty=True):
        if sub.unreadable:
            findings.extend(sub.report.findings)
            continue
        if sub.is_team and sub.identity is not None:
            forks.setdefault(sub.identity.workbook_id, []).append(len(submissions))
        submissions.append(sub)
    merged: set[int] = set()
    for positions in forks.values():
        if len(positions) > 1:
            submissions[positions[0]] = _merge_copies([submissions[i] for i in positions],
                                                      catalogue, key)
            merged.update(positions[1:])
    return [s for i, s in enumerate(submissions) if i not in merged], findings


def _merge_copies(copies: list[Submission], catalogue: Catalogue,
                  key: bytes | None) -> Submission:
    """Copies of one team workbook merged, the oldest file first (findings name each copy
    by its file name)."""
    paths = sorted((Path(s.file) for s in copies), key=lambda p: (p.stat().st_mtime, str(p)))
    names = [p.name for p in paths]
    if len(set(names)) < len(names):  # the same name in two folders: the whole path
        names = [str(p) for p in paths]
    return read_copies([WorkbookCopy(n, p) for n, p in zip(names, paths, strict=True)],
                       catalogue, key=key)


def infer_assessment(submissions: Sequence[Submission],
                     variant: Variant | None = None) -> Assessment:
    """The assessment most submissions belong to, with its variant from the workbook kinds.

    Peer workbooks only → intercollegiale adviesmeting; audit workbooks only → audit, or the
    HKZ/ISO combination when they hold only the distinctive norms; both → combinatietoets;
    a self-evaluation alone → zelfevaluatie. ``variant`` overrides the guess.
    """
    identities = [s.identity for s in submissions if s.identity is not None]
    if not identities:
        raise NothingToConsolidate(T.CONSOLIDATE_NOTHING)
    counts = Counter(i.assessment_id for i in identities)
    assessment_id = counts.most_common(1)[0][0]
    ours = [i for i in identities if i.assessment_id == assessment_id]
    host = Counter(i.host for i in ours).most_common(1)[0][0]
    if variant is None:
        kinds = {i.kind for i in ours}
        if Kind.PEER in kinds and Kind.AUDIT in kinds:
            variant = Variant.COMBINATION
        elif Kind.PEER in kinds:
            variant = Variant.PEER_REVIEW
        elif Kind.AUDIT in kinds:
            audits = [i for i in ours if i.kind is Kind.AUDIT]
            distinctive = all(i.norm_scope is NormScope.DISTINCTIVE for i in audits)
            variant = Variant.HKZ_ISO if distinctive else Variant.AUDIT
        else:
            variant = Variant.SELF_EVALUATION
    return Assessment(id=assessment_id, host=host, variant=variant)


def consolidate_files(
    inputs: Sequence[str | Path],
    outdir: str | Path,
    *,
    catalogue: Catalogue,
    key: bytes | None,
    overrides: str | Path | None = None,
    variant: Variant | None = None,
) -> Consolidation:
    """Read workbooks (files or folders), consolidate, write the JSON and the workbook."""
    outdir = Path(outdir)
    paths = workbook_paths(inputs)
    submissions, findings = read_submissions(paths, catalogue, key)
    assessment = infer_assessment(submissions, variant)
    override_list: list[Override] = []
    if overrides is not None:
        override_list, report = read_overrides(overrides, catalogue, assessment_id=assessment.id)
        findings += report.findings
    result = consolidate(catalogue, assessment, submissions, override_list)
    result.findings = findings + result.findings
    write_outputs(result, outdir, catalogue, overrides=overrides)
    return result


def write_outputs(result: Consolidation, outdir: Path, catalogue: Catalogue, *,
                  overrides: str | Path | None = None, in_round: bool = False,
                  previous: Comparison | None = None) -> tuple[Path, Path]:
    """Write ``consolidation.json`` and ``geconsolideerd.xlsx`` into ``outdir`` atomically
    (``in_round``: made by ``kwl round report``, so the workbook names that as the next step;
    ``previous``: the comparison with the organisation's previous assessment, a sheet of its
    own in the workbook).

    A filled ``geconsolideerd.xlsx`` that is about to be replaced (the overrides file of the
    consensus meeting, read back just now) is first kept under ``eerder/`` by its content
    hash, so nothing a person typed is ever lost.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    workbook = outdir / WORKBOOK_NAME
    if workbook.exists() and overrides is not None:
        _keep_earlier(workbook, outdir / EARLIER_DIR)
    json_path = write_text_atomic(
        outdir / JSON_NAME,
        json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    write_consolidated(workbook, result, catalogue, in_round=in_round, previous=previous)
    return json_path, workbook


def _keep_earlier(path: Path, folder: Path) -> Path:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    target = folder / f"{path.stem}.{digest}{path.suffix}"
    if not target.exists():
        copy_file_atomic(path, target)
    return target
