"""``round report``: consolidate, document and register every complete assessment.

Each assessment is one job, run in a worker process; a failing job is recorded and the rest
completes. A job whose inputs did not change since its last successful run is skipped. Every
output is written atomically and the job's state file last, so a run that is killed halfway is
simply done again next time: no half-written file is ever visible under its final name.
"""

from __future__ import annotations

import hashlib
import json
import os
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from kwl_office import texts_nl as T
from kwl_office._version import __version__
from kwl_office.assessment import Kind, Submission, Variant
from kwl_office.atomic import write_text_atomic
from kwl_office.batch.collect import Receipt, load_receipts
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.issue import IssuedWorkbook, load_index
from kwl_office.batch.manifest import ManifestEntry
from kwl_office.catalogue import Catalogue
from kwl_office.consolidate import consolidate
from kwl_office.consolidation import Advice, Override
from kwl_office.consolidation_files import WORKBOOK_NAME, write_outputs
from kwl_office.documents.context import draw_charts
from kwl_office.documents.produce import (
    audit_report,
    certificate,
    decide,
    feedback_report,
    learning_report,
    letter,
    report_kind,
)
from kwl_office.documents.render import DocumentKind, shipped_templates
from kwl_office.errors import UnreadableFile
from kwl_office.excel.consolidated import read_overrides
from kwl_office.excel.reader import read_workbook
from kwl_office.register import Register

STATE_NAME = ".kwl-status.json"
REPORT_NAMES = {DocumentKind.LEARNING_REPORT: "leerrapport.docx",
                DocumentKind.AUDIT_REPORT: "auditrapport.docx"}
LETTER_NAME = "brief.docx"
CERTIFICATE_NAME = "certificaat.docx"
FEEDBACK_NAME = "terugkoppeling-zelfevaluatie.docx"


@dataclass
class Readiness:
    """Whether an assessment can be reported, and why not."""

    ready: bool
    reason: str = ""
    files: list[str] = field(default_factory=list)  # received files to consolidate


def readiness(folder: RoundFolder, entry: ManifestEntry, catalogue: Catalogue, key: bytes,
              index: dict[str, IssuedWorkbook] | None = None,
              submissions: dict[str, Submission] | None = None,
              receipts: dict[str, Receipt] | None = None) -> Readiness:
    """Complete and valid? Every review received and valid; a self-evaluation, when received
    (required for the self-evaluation variant), valid too."""
    index = index if index is not None else load_index(folder)
    receipts = receipts if receipts is not None else load_receipts(folder)
    expected = [w for w in index.values() if w.assessment_id == entry.assessment.id]
    if not expected:
        return Readiness(False, T.REPORT_NOT_ISSUED)
    missing, invalid, files = [], [], []
    for item in expected:
        receipt = receipts.get(item.workbook_id)
        required = item.kind.is_review or entry.assessment.variant is Variant.SELF_EVALUATION
        if receipt is None:
            if required:
                missing.append(item.label)
            continue
        sub = (submissions or {}).get(item.workbook_id)
        if sub is None:
            try:
                sub = read_workbook(folder.root / receipt.file, catalogue, key=key)
            except UnreadableFile:
                invalid.append(item.label)
                continue
        if not sub.valid:
            invalid.append(item.label)
            continue
        files.append(receipt.file)
    if invalid:
        return Readiness(False, T.REPORT_INVALID.format(items=", ".join(invalid)))
    if missing:
        return Readiness(False, T.REPORT_MISSING.format(count=len(missing),
                                                         items=", ".join(missing)))
    return Readiness(True, files=files)


@dataclass
class Job:
    """One assessment to report (picklable, for a worker process)."""

    root: str
    entry: ManifestEntry
    files: list[str]
    register: str
    today: date
    templates: str | None = None


@dataclass
class JobResult:
    """What happened to one assessment."""

    assessment_id: str
    host: str
    status: str  # "gemaakt" | "overgeslagen" | "mislukt"
    advice: str = ""
    decision: str = ""
    number: str = ""
    documents: list[str] = field(default_factory=list)
    message: str = ""


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def _templates_digest(templates: str | None) -> str:
    digest = hashlib.sha256()
    for folder in [shipped_templates()] + ([Path(templates)] if templates else []):
        for path in sorted(folder.glob("*.docx")):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def inputs_digest(job: Job, catalogue: Catalogue, state: dict[str, Any]) -> str:
    """Hash of everything the outputs depend on."""
    root = Path(job.root)
    folder = RoundFolder(root)
    overrides = folder.assessment_output(job.entry.assessment.id) / WORKBOOK_NAME
    overrides_sha = _sha(overrides)
    if overrides_sha and overrides_sha == state.get("written_consolidated"):
        overrides_sha = "eigen"  # our own output, not edited since
    payload = {
        "entry": job.entry.fingerprint_data(),
        "files": {f: _sha(root / f) for f in sorted(job.files)},
        "overrides": overrides_sha,
        "catalogue": catalogue.fingerprint,
        "templates": _templates_digest(job.templates),
        "tool": __version__,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def run_job(job: Job) -> JobResult:
    """Report one assessment; never raises (a failure is a result, with its reason)."""
    entry = job.entry
    out = RoundFolder(Path(job.root)).assessment_output(entry.assessment.id)
    try:
        return _run_job(job, out)
    except Exception as err:  # noqa: BLE001 - isolation: one broken assessment, not the batch
        out.mkdir(parents=True, exist_ok=True)
        write_text_atomic(out / "fout.txt", "".join(traceback.format_exception(err)))
        line = str(err).splitlines()[0] if str(err) else type(err).__name__
        return JobResult(entry.assessment.id, entry.assessment.host, T.REPORT_FAILED,
                         message=f"{type(err).__name__}: {line}"[:300])


def _run_job(job: Job, out: Path) -> JobResult:
    folder = RoundFolder(Path(job.root))
    catalogue = folder.catalogue()
    key = folder.key()
    entry = job.entry
    state_path = out / STATE_NAME
    state: dict[str, Any] = {}
    if state_path.is_file():
        state = json.loads(state_path.read_text(encoding="utf-8"))
    digest = inputs_digest(job, catalogue, state)
    if state.get("inputs") == digest and all((out / d).exists() for d in state["documents"]):
        return JobResult(entry.assessment.id, entry.assessment.host, T.REPORT_SKIPPED,
                         advice=state.get("advice", ""), decision=state.get("decision", ""),
                         number=state.get("number", ""), documents=state["documents"])
    submissions = [read_workbook(folder.root / f, catalogue, key=key) for f in job.files]
    organisation = entry.organisation
    documents: list[str] = []
    advice = decision_code = number = ""
    if entry.assessment.variant is Variant.SELF_EVALUATION:
        selfeval = next(s for s in submissions if s.kind is Kind.SELF_EVALUATION)
        feedback_report(selfeval, catalogue, out / FEEDBACK_NAME, organisation=organisation,
                        templates=job.templates, today=job.today)
        documents.append(FEEDBACK_NAME)
    else:
        overrides_path = out / WORKBOOK_NAME
        overrides: list[Override] = []
        if overrides_path.exists():
            overrides, _ = read_overrides(overrides_path, catalogue,
                                          assessment_id=entry.assessment.id)
        result = consolidate(catalogue, entry.assessment, submissions, overrides)
        write_outputs(result, out, catalogue,
                      overrides=overrides_path if overrides_path.exists() else None)
        documents += ["consolidation.json", WORKBOOK_NAME]
        charts = draw_charts(result, catalogue)
        kind = report_kind(result)
        make_report = audit_report if kind is DocumentKind.AUDIT_REPORT else learning_report
        make_report(result, catalogue, out / REPORT_NAMES[kind], organisation=organisation,
                    templates=job.templates, today=job.today, charts=charts)
        documents.append(REPORT_NAMES[kind])
        advice = result.advice.value if result.advice else ""
        decision = decide(result, catalogue, verdict=entry.decision, today=job.today)
        decision_code = decision.advice.value
        if decision.advice in (Advice.REGISTRATION, Advice.CERTIFICATE):
            assert decision.granted_on is not None and decision.valid_until is not None
            with Register(job.register) as register:
                recorded = register.record(
                    assessment_id=entry.assessment.id, organisation=organisation,
                    variant=entry.assessment.variant, scope=entry.assessment.scope,
                    kind=decision.advice, granted_on=decision.granted_on,
                    valid_until=decision.valid_until, round=folder.config().naam)
            number = recorded.number
            decision.number = number
            decision.granted_on = recorded.granted_on
            decision.valid_until = recorded.valid_until
        if decision.advice in (Advice.REGISTRATION, Advice.CERTIFICATE, Advice.REASSESSMENT):
            letter(result, catalogue, out / LETTER_NAME, decision=decision,
                   organisation=organisation, templates=job.templates, today=job.today)
            documents.append(LETTER_NAME)
        if decision.advice is Advice.CERTIFICATE:
            certificate(result, catalogue, out / CERTIFICATE_NAME, decision=decision,
                        organisation=organisation, templates=job.templates, today=job.today)
            documents.append(CERTIFICATE_NAME)
    state = {
        "inputs": inputs_digest(job, catalogue, {"written_consolidated": _sha(
            out / WORKBOOK_NAME)}),
        "written_consolidated": _sha(out / WORKBOOK_NAME),
        "documents": documents, "advice": advice, "decision": decision_code,
        "number": number, "finished_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }
    (out / "fout.txt").unlink(missing_ok=True)
    write_text_atomic(state_path, json.dumps(state, ensure_ascii=False, indent=1) + "\n")
    return JobResult(entry.assessment.id, entry.assessment.host, T.REPORT_MADE, advice=advice,
                     decision=decision_code, number=number, documents=documents)


def run_jobs(jobs: Sequence[Job], *, workers: int | None = None,
             on_result: Callable[[JobResult], None] | None = None) -> list[JobResult]:
    """Run jobs in ``workers`` processes (default: the number of cores); results in job order."""
    workers = max(1, workers or os.cpu_count() or 1)
    results: dict[int, JobResult] = {}
    if workers == 1 or len(jobs) <= 1:
        for i, job in enumerate(jobs):
            results[i] = run_job(job)
            if on_result:
                on_result(results[i])
    else:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
            futures: dict[Future[JobResult], int] = {pool.submit(run_job, job): i
                                                     for i, job in enumerate(jobs)}
            for future in as_completed(futures):
                i = futures[future]
                results[i] = future.result()
                if on_result:
                    on_result(results[i])
    return [results[i] for i in range(len(jobs))]
