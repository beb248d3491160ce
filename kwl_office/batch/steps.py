"""The round's steps as library functions: issue, collect, report, status.

The CLI calls these; each takes the round's lock, so two commands never work on one round
at once (the second refuses clearly instead of corrupting anything).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kwl_office import texts_nl as T
from kwl_office.batch.collect import CollectResult, collect, load_receipts, rejection_findings
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.intake import annotate, status_of, write_intake
from kwl_office.batch.issue import IssueResult, issue_workbooks, load_index
from kwl_office.batch.manifest import ManifestEntry, read_manifest
from kwl_office.batch.report import (
    Decider,
    Job,
    JobResult,
    failed,
    read_state,
    readiness,
    run_jobs,
)
from kwl_office.documents.pdf import convert_to_pdf
from kwl_office.errors import InvalidArgument, LibreOfficeMissing, RegisterError, RoundError
from kwl_office.excel.reader import read_workbook
from kwl_office.findings import Finding, Report
from kwl_office.names import id_key


def _manifest(folder: RoundFolder) -> tuple[list[ManifestEntry], Report]:
    return read_manifest(folder.manifest)


def issue_round(folder: RoundFolder, *, macros: bool = False) -> tuple[IssueResult, Report]:
    """Create the workbooks the manifest implies (only what is missing); with ``macros`` as
    ``.xlsm`` with the check macro."""
    with folder.lock():
        entries, report = _manifest(folder)
        result = issue_workbooks(folder, entries, folder.catalogue(), folder.key(),
                                 macros=macros)
        report.extend(result.report.findings)
        return result, report


@dataclass
class CollectSummary:
    """What ``round collect`` did."""

    result: CollectResult
    intake: Path
    annotated: list[Path] = field(default_factory=list)
    manifest: Report = field(default_factory=Report)

    @property
    def rejections(self) -> list[Finding]:
        """Files that were not taken in, as findings."""
        return rejection_findings(self.result)


def collect_round(folder: RoundFolder) -> CollectSummary:
    """Take in the inbox, write the intake overview and the annotated copies."""
    with folder.lock():
        entries, manifest_report = _manifest(folder)
        result = collect(folder, folder.catalogue(), folder.key())
        index = load_index(folder)
        hosts = {e.assessment.id: e.assessment.host for e in entries}
        intake = write_intake(folder, index, result.receipts, result.submissions,
                              result.rejected, hosts)
        annotated = []
        for workbook_id, sub in sorted(result.submissions.items()):
            if not sub.valid and workbook_id in result.receipts:
                path = annotate(folder, result.receipts[workbook_id], sub)
                if path is not None:
                    annotated.append(path)
        return CollectSummary(result, intake, annotated, manifest_report)


@dataclass
class ReportSummary:
    """What ``round report`` did."""

    results: list[JobResult]
    waiting: list[tuple[ManifestEntry, str]]
    pdf_note: str = ""
    manifest: Report = field(default_factory=Report)

    @property
    def failed(self) -> list[JobResult]:
        """Assessments that could not be reported."""
        return [r for r in self.results if r.status == T.REPORT_FAILED]

    @property
    def with_errors(self) -> list[JobResult]:
        """Reported assessments whose consolidation found errors (e.g. an Eindoordeel
        without a motivation, a workbook that did not count)."""
        return [r for r in self.results if r.errors]

    @property
    def ok(self) -> bool:
        """True when nothing failed and no assessment has error findings."""
        return not self.failed and not self.with_errors


def report_round(folder: RoundFolder, *, workers: int | None = None, pdf: bool = False,
                 today: date | None = None, templates: str | None = None,
                 incomplete: Sequence[str] = (),
                 on_result: Callable[[JobResult], None] | None = None,
                 on_start: Callable[[int], None] | None = None) -> ReportSummary:
    """Report every assessment whose expected workbooks are all in and valid.

    Assessments named in ``incomplete`` are reported with what is there (their documents
    say what was missing). Decisions and register numbers are settled first, in the order
    of the assessment ids; the documents are then made in parallel. Unchanged assessments
    are skipped. With ``pdf`` the new documents are converted in one LibreOffice run.
    """
    with folder.lock():
        _remove_stale_temporaries(folder)
        entries, manifest_report = _manifest(folder)
        anyway = {id_key(i) for i in incomplete}
        unknown = anyway - {id_key(e.assessment.id) for e in entries}
        if unknown:
            raise InvalidArgument(T.REPORT_UNKNOWN_INCOMPLETE.format(
                id=", ".join(sorted(unknown))))
        catalogue = folder.catalogue()
        key = folder.key()
        index = load_index(folder)
        receipts = load_receipts(folder)
        decider = Decider(folder, catalogue, today=today or date.today(), templates=templates)
        jobs: list[Job] = []
        done: list[JobResult] = []
        waiting = []
        try:
            for entry in sorted(entries, key=lambda e: id_key(e.assessment.id)):
                ready = readiness(folder, entry, catalogue, key, index, receipts=receipts)
                if not ready.ready and not (id_key(entry.assessment.id) in anyway
                                            and ready.submissions):
                    waiting.append((entry, ready.reason))
                    continue
                try:
                    planned = decider.plan(entry, ready)
                except (RegisterError, RoundError):
                    raise  # the register cannot be trusted: stop before anything is made
                except Exception as err:  # noqa: BLE001 - one assessment, not the round
                    planned = failed(folder, entry, err)
                if isinstance(planned, Job):
                    jobs.append(planned)
                else:
                    done.append(planned)
        finally:
            decider.close()
        if on_start:
            on_start(len(jobs) + len(done))
        for result in done:
            if on_result:
                on_result(result)
        made = run_jobs(jobs, workers=workers, on_result=on_result)
        order = {id_key(e.assessment.id): i for i, e in enumerate(entries)}
        results = sorted(done + made, key=lambda r: order.get(id_key(r.assessment_id), 0))
        note = ""
        if pdf:
            note = _make_pdfs(folder, results)
        return ReportSummary(results, waiting, note, manifest_report)


def _remove_stale_temporaries(folder: RoundFolder) -> None:
    # a run that was killed may leave the temporary files of atomic writes behind (never a
    # half-written file under a final name); we hold the lock, so nothing is writing them
    for base in (folder.output, folder.received, folder.issued):
        for path in base.rglob(".*.tmp*"):
            if path.is_file():
                path.unlink()


def _make_pdfs(folder: RoundFolder, results: list[JobResult]) -> str:
    docs = []
    for result in results:
        out = folder.assessment_output(result.assessment_id)
        for name in result.documents:
            path = out / name
            if path.suffix == ".docx" and (
                    not path.with_suffix(".pdf").exists()
                    or path.with_suffix(".pdf").stat().st_mtime < path.stat().st_mtime):
                docs.append(path)
    if not docs:
        return ""
    try:
        convert_to_pdf(docs)
    except LibreOfficeMissing as err:
        return str(err)
    return T.REPORT_PDFS.format(count=len(docs))


@dataclass
class StatusRow:
    """Where one assessment stands."""

    assessment_id: str
    host: str
    variant: str
    expected: int
    received: int
    invalid: int
    state: str
    advice: str = ""
    number: str = ""
    #: the findings of its last report (consolidation errors and warnings)
    findings: list[Finding] = field(default_factory=list)


def round_status(folder: RoundFolder) -> tuple[list[StatusRow], Report]:
    """One row per assessment of the manifest (reads only; takes no lock)."""
    entries, report = _manifest(folder)
    index = load_index(folder)
    receipts = load_receipts(folder)
    catalogue = folder.catalogue()
    key = folder.key()
    rows = []
    for entry in entries:
        expected = [w for w in index.values() if w.assessment_id == entry.assessment.id]
        received = [w for w in expected if w.workbook_id in receipts]
        invalid = 0
        subs = {}
        for w in received:
            sub = read_workbook(folder.root / receipts[w.workbook_id].file, catalogue, key=key)
            subs[w.workbook_id] = sub
            invalid += status_of(w, subs) == T.INTAKE_INVALID
        data = read_state(folder.assessment_output(entry.assessment.id))
        advice = number = ""
        findings: list[Finding] = []
        ready = readiness(folder, entry, catalogue, key, index, subs, receipts)
        if not expected:
            state = T.STATUS_NOT_ISSUED
        elif data:
            state = T.STATUS_REPORTED if ready.ready else T.STATUS_REPORTED_BUT.format(
                reason=ready.reason)
            advice, number = data.get("decision") or data.get("advice", ""), data.get("number", "")
            findings = [Finding.model_validate(f) for f in data.get("findings", [])]
        else:
            state = T.STATUS_READY if ready.ready else ready.reason
        rows.append(StatusRow(entry.assessment.id, entry.assessment.host,
                              entry.assessment.variant.value, len(expected), len(received),
                              invalid, state, advice, number, findings))
    return rows, report
