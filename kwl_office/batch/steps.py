"""The round's steps as library functions: issue, collect and report (where each
assessment stands: :mod:`kwl_office.batch.status`).

The CLI calls these; each takes the round's lock, so two commands never work on one round
at once (the second refuses clearly instead of corrupting anything).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office.assessment import Kind, Submission, last_issued
from kwl_office.batch.collect import CollectResult, collect, rejection_findings
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.intake import annotate, annotated_copies, write_intake
from kwl_office.batch.issue import (
    NEW_WORKBOOK,
    IssuedWorkbook,
    IssueResult,
    Planned,
    issue_workbooks,
    load_index,
    not_expected,
    pending_mirror_workbooks,
)
from kwl_office.batch.manifest import ManifestEntry, read_manifest
from kwl_office.batch.receipts import (
    Receipt,
    load_receipts,
    read_all_received,
    submission_of,
)
from kwl_office.batch.report import (
    Decider,
    Job,
    JobResult,
    JobRunner,
    Readiness,
    failed,
    incomplete_refusal,
    readiness,
)
from kwl_office.catalogue import Catalogue
from kwl_office.documents.pdf import convert_documents
from kwl_office.documents.registry import SPECS, DocumentKind
from kwl_office.documents.templates import require_usable_templates
from kwl_office.errors import (
    DISK_FULL,
    InvalidArgument,
    LibreOfficeMissing,
    RegisterError,
    RoundError,
)
from kwl_office.findings import Finding, Report
from kwl_office.names import id_key


def round_manifest(folder: RoundFolder, catalogue: Catalogue | None = None
                   ) -> tuple[list[ManifestEntry], Report]:
    """The round's manifest rows and what is wrong with them (read with its catalogue)."""
    return read_manifest(folder.manifest, catalogue or folder.catalogue())


def issue_round(folder: RoundFolder, *, macros: bool = False, today: date | None = None,
                workers: int | None = None) -> tuple[IssueResult, Report]:
    """Create the workbooks the manifest implies (only what is missing); with ``macros`` as
    ``.xlsm`` with the check macro. The peer and audit workbooks of an assessment with
    Spiegel are made once its self-evaluation is collected and valid, with it beside each
    norm; until then they are in ``IssueResult.waiting``."""
    with folder.lock():
        catalogue = folder.catalogue()
        key = folder.key()
        entries, report = round_manifest(folder, catalogue)
        mirrors = collected_self_evaluations(folder, entries, catalogue, key)
        result = issue_workbooks(folder, entries, catalogue, key, macros=macros,
                                 mirrors=mirrors, today=today, workers=workers)
        report.extend(result.report.findings)
        return result, report


def collected_self_evaluations(folder: RoundFolder, entries: list[ManifestEntry],
                               catalogue: Catalogue, key: bytes,
                               index: dict[str, IssuedWorkbook] | None = None,
                               receipts: dict[str, Receipt] | None = None,
                               submissions: dict[str, Submission] | None = None
                               ) -> dict[str, Submission]:
    """The received, valid self-evaluation of each assessment with Spiegel (by ``id_key``):
    the mirror its peer and audit workbooks show. ``submissions``: workbooks already read
    back, by workbook id."""
    index = index if index is not None else load_index(folder)
    receipts = receipts if receipts is not None else load_receipts(folder)
    wanted = {id_key(e.assessment.id) for e in entries if e.mirror}
    found: dict[str, Submission] = {}
    for item in index.values():
        receipt = receipts.get(item.workbook_id)
        if (item.kind is not Kind.SELF_EVALUATION or receipt is None
                or id_key(item.assessment_id) not in wanted):
            continue
        sub = submission_of(folder, receipt, catalogue, key, submissions)
        if sub is not None and sub.valid:
            found[id_key(item.assessment_id)] = sub
    return found


def waiting_reasons(pending: list[Planned], mirrors: dict[str, Submission]
                    ) -> dict[str, list[tuple[str, str]]]:
    """Per assessment (``id_key``): each workbook with a mirror that is not issued yet, as
    (label, why): it waits for the self-evaluation (or, when that is in, for the next
    issue)."""
    reasons: dict[str, list[tuple[str, str]]] = {}
    for item in pending:
        key = id_key(item.entry.assessment.id)
        text = T.MIRROR_DUE if key in mirrors else T.MIRROR_WAITING
        reasons.setdefault(key, []).append((item.label, text.format(item=item.label)))
    return reasons


def with_pending(ready: Readiness, pending: list[tuple[str, str]]) -> Readiness:
    """Readiness counting the not yet issued mirror workbooks as missing: every expected
    workbook must be in, also one that could not be made yet."""
    if not pending:
        return ready
    ready.ready = False
    ready.missing = ready.missing + [T.REPORT_ITEM_MISSING.format(item=label)
                                     for label, _ in pending]
    ready.reason = "; ".join(([ready.reason] if ready.reason else [])
                             + [why for _, why in pending])
    return ready


@dataclass
class CollectSummary:
    """What ``round collect`` did."""

    result: CollectResult
    intake: Path
    annotated: list[Path] = field(default_factory=list)
    manifest: Report = field(default_factory=Report)
    #: annotated copies removed because they no longer apply
    removed: list[Path] = field(default_factory=list)

    @property
    def rejections(self) -> list[Finding]:
        """Files that were not taken in, as findings."""
        return rejection_findings(self.result)

    @property
    def invalid(self) -> int:
        """Current submissions that are not valid."""
        return sum(not sub.valid for sub in self.result.submissions.values())

    def line(self) -> str:
        """The Dutch summary line: ``Ingenomen: 3 nieuwe werkmappen (9 bestanden
        ongewijzigd); …``: new counts workbooks, unchanged counts files (a file taken in
        before, or an older version kept as history)."""
        result = self.result
        parts = [T.ROUND_COLLECTED.format(new=dutch.count(len(result.new), NEW_WORKBOOK),
                                          unchanged=dutch.count(result.unchanged, "file"))]
        if result.rejected:
            parts.append(T.ROUND_COLLECTED_REJECTED.format(
                files=dutch.count(len(result.rejected), "file")))
        if result.skipped:
            parts.append(T.ROUND_COLLECTED_SKIPPED.format(
                files=dutch.count(len(result.skipped), "file")))
        if self.invalid:
            parts.append(T.ROUND_COLLECTED_INVALID.format(
                workbooks=dutch.count(self.invalid, "workbook")))
        return "; ".join(parts) + "."


def collect_round(folder: RoundFolder, *, workers: int | None = None) -> CollectSummary:
    """Take in the inbox, write the intake overview and the annotated copies; remove the
    copies that no longer apply (the workbook is valid now, or a newer version came in).
    Many workbooks are read in ``workers`` processes (default: the cores)."""
    with folder.lock():
        # copies a killed collect had written but not filed yet
        _remove_stale_temporaries(folder, (folder.received,))
        catalogue = folder.catalogue()
        entries, manifest_report = round_manifest(folder, catalogue)
        result = collect(folder, catalogue, folder.key(), workers=workers)
        index = load_index(folder)
        hosts = {e.assessment.id: e.assessment.host for e in entries}
        intake = write_intake(folder, index, result.receipts, result.submissions,
                              result.rejected, hosts, skipped=result.skipped,
                              waiting=pending_mirror_workbooks(entries, index),
                              not_counted=not_expected(entries, index))
        annotated, removed = [], []
        for workbook_id, issued in sorted(index.items()):
            sub = result.submissions.get(workbook_id)
            receipt = result.receipts.get(workbook_id)
            path = None
            if sub is not None and receipt is not None and not sub.valid:
                path = annotate(folder, receipt, sub, catalogue)
                if path is not None:
                    annotated.append(path)
            # only the copy of the current, invalid version stays; an unreadable received
            # copy (no submission) keeps what was sent back before
            if sub is not None:
                for stale in annotated_copies(folder, issued):
                    if stale != path and stale.exists():
                        stale.unlink()
                        removed.append(stale)
        return CollectSummary(result, intake, annotated, manifest_report, removed)


@dataclass
class ReportSummary:
    """What ``round report`` did."""

    results: list[JobResult]
    waiting: list[tuple[ManifestEntry, str]]
    pdf_note: str = ""
    manifest: Report = field(default_factory=Report)
    #: one Dutch line per document that got no PDF (assessment and file named)
    pdf_failed: list[str] = field(default_factory=list)

    def errors_line(self) -> str:
        """The warning line about reported assessments with errors ('' when none)."""
        if not self.with_errors:
            return ""
        return T.ROUND_WITH_ERRORS.format(
            assessments=dutch.count(len(self.with_errors), "assessment"),
            ids=dutch.join(r.assessment_id for r in self.with_errors))

    @property
    def failed(self) -> list[JobResult]:
        """Assessments that could not be reported."""
        return [r for r in self.results if r.status == T.REPORT_FAILED]

    def disk_line(self) -> str:
        """One line when assessments failed because the disk was full ('' otherwise): each
        says so, this says what to do, once."""
        return T.ROUND_DISK_FULL if any(r.os_error in DISK_FULL for r in self.failed) else ""

    @property
    def with_errors(self) -> list[JobResult]:
        """Reported assessments whose consolidation found errors (e.g. an Eindoordeel
        without a motivation, a workbook that did not count)."""
        return [r for r in self.results if r.errors]

    @property
    def ok(self) -> bool:
        """True when nothing failed and no assessment has error findings."""
        return not self.failed and not self.with_errors and not self.pdf_failed


def report_round(folder: RoundFolder, *, workers: int | None = None, pdf: bool = False,
                 today: date | None = None, templates: str | None = None,
                 incomplete: Sequence[str] = (),
                 on_result: Callable[[JobResult], None] | None = None,
                 on_start: Callable[[int], None] | None = None) -> ReportSummary:
    """Report every assessment whose expected workbooks are all in and valid.

    Assessments named in ``incomplete`` are reported with what is there (their documents
    say what was missing). Decisions and register numbers are settled first, in the order
    of the assessment ids; the documents are then made in parallel. Unchanged assessments
    are skipped. With ``pdf`` the new documents are converted in one LibreOffice run per
    worker; a document that gets no PDF is named in ``pdf_failed`` and the rest converts.
    """
    with folder.lock():
        _remove_stale_temporaries(folder)
        entries, manifest_report = round_manifest(folder)
        anyway = {id_key(i) for i in incomplete}
        unknown = anyway - {id_key(e.assessment.id) for e in entries}
        if unknown:
            raise InvalidArgument(T.REPORT_UNKNOWN_INCOMPLETE.format(
                id=", ".join(sorted(unknown))))
        catalogue = folder.catalogue()
        # an own template no document can be made with fails every assessment alike: said
        # once, before anything is read, decided or registered
        require_usable_templates(_kinds_needed(entries), templates, catalogue)
        key = folder.key()
        index = load_index(folder)
        receipts = load_receipts(folder)
        ids = {id_key(e.assessment.id) for e in entries}
        today = today or date.today()
        decider = Decider(folder, catalogue, today=today, templates=templates)
        with JobRunner(workers=workers, expected=len(entries),
                       on_result=on_result) as runner:
            # every received workbook read back (in the workers, which are idle still); then
            # which assessments can be reported, so the progress knows its length; then each
            # decided in id order while the workers make the documents of the ones before
            subs, _ = read_all_received(
                folder, [receipts[w.workbook_id] for w in index.values()
                         if w.workbook_id in receipts and id_key(w.assessment_id) in ids],
                catalogue, key, pool=runner.pool, workers=runner.workers)
            pending = waiting_reasons(
                pending_mirror_workbooks(entries, index),
                collected_self_evaluations(folder, entries, catalogue, key, index, receipts,
                                           subs))
            ready_entries: list[tuple[ManifestEntry, Readiness]] = []
            waiting = []
            for entry in sorted(entries, key=lambda e: id_key(e.assessment.id)):
                ready = with_pending(
                    readiness(folder, entry, catalogue, key, index, subs, receipts),
                    pending.get(id_key(entry.assessment.id), []))
                # --incomplete reports with what is there, but never without one review
                why = "" if ready.ready else (
                    incomplete_refusal(entry, ready)
                    if id_key(entry.assessment.id) in anyway else ready.reason)
                if why:
                    waiting.append((entry, why))
                elif (untrue := decision_untrue(entry, today, ready.submissions)) is not None:
                    waiting.append((entry, untrue))
                else:
                    ready_entries.append((entry, ready))
            if on_start:
                on_start(len(ready_entries))
            try:
                for entry, ready in ready_entries:
                    try:
                        planned = decider.plan(entry, ready)
                    except (RegisterError, RoundError):
                        raise  # the register cannot be trusted: stop, make nothing more
                    except Exception as err:  # noqa: BLE001 - one assessment, not the round
                        # after the register step, the table says what the register holds
                        planned = failed(folder, entry, err,
                                         decision=decider.registered.get(entry.assessment.id))
                    if isinstance(planned, Job):
                        runner.submit(planned)
                    else:
                        runner.add(planned)
            finally:
                decider.close()
            made = runner.finish()
        order = {id_key(e.assessment.id): i for i, e in enumerate(entries)}
        results = sorted(made, key=lambda r: order.get(id_key(r.assessment_id), 0))
        note, pdf_failed = _make_pdfs(folder, results, workers) if pdf else ("", [])
        return ReportSummary(results, waiting, note, manifest_report, pdf_failed)


def _kinds_needed(entries: Sequence[ManifestEntry]) -> list[DocumentKind]:
    """Every document kind the round may make for these assessments: the report or feedback
    of each variant, and the letters and certificate of every outcome it can have (which
    one an assessment gets is only known once it is decided)."""
    variants = {entry.assessment.variant for entry in entries}
    return [spec.kind for spec in SPECS if any(spec.fits(variant) for variant in variants)]


def decision_untrue(entry: ManifestEntry, today: date,
                    submissions: Sequence[Submission]) -> str | None:
    """Why the assessment waits when a letter would state its Besluitdatum falsely, else
    None: a day after ``today`` (a decision still to come) or a day before the last of the
    workbooks its advice rests on was issued (that advice did not exist yet: a typo such as
    2020 for 2026)."""
    day = entry.decision_date
    if day is None:
        return None
    cell = entry.cells.get("decision_date")
    where = f"{entry.sheet}!{cell}" if cell else entry.sheet
    if day > today:
        return T.REPORT_DECISION_LATER.format(day=T.format_date(day), cell=where)
    issued = last_issued(submissions)
    if issued is not None and day < issued:
        return T.REPORT_DECISION_BEFORE_ISSUE.format(day=T.format_date(day), cell=where,
                                                     issued=T.format_date(issued))
    return None


def _remove_stale_temporaries(folder: RoundFolder, bases: Sequence[Path] | None = None
                              ) -> None:
    # a run that was killed may leave the temporary files of atomic writes behind (never a
    # half-written file under a final name); we hold the lock, so nothing is writing them
    for base in bases or (folder.output, folder.received, folder.issued):
        for path in base.rglob(".*.tmp*"):
            if path.is_file():
                path.unlink()


def _make_pdfs(folder: RoundFolder, results: list[JobResult],
               workers: int | None) -> tuple[str, list[str]]:
    """Convert the round's new or changed documents in one LibreOffice run per worker (a
    small batch in one run: see :func:`~kwl_office.documents.pdf.runs_for`).

    Returns the note for the summary and one line per document that got no PDF.
    """
    docs: dict[Path, str] = {}  # document -> its assessment, to say where a failure is
    for result in results:
        out = folder.assessment_output(result.assessment_id)
        for name in result.documents:
            path = out / name
            if path.suffix == ".docx" and (
                    not path.with_suffix(".pdf").exists()
                    or path.with_suffix(".pdf").stat().st_mtime < path.stat().st_mtime):
                docs[path.resolve()] = result.assessment_id
    if not docs:
        return "", []
    try:
        # measured (benchmarks/bench_documents.py): two runs side by side beat one on two
        # cores, 0.69× the time for 50 assessments
        converted = convert_documents(list(docs), workers=workers or os.cpu_count() or 1)
    except LibreOfficeMissing as err:
        return str(err), []
    failed = [T.REPORT_PDF_FAILED.format(assessment=docs[f.document], file=f.document.name,
                                         detail=f.detail)
              for f in converted.failed]
    made = dutch.count(len(converted.made), "document")
    if failed:
        return T.REPORT_PDFS_PARTLY.format(made=made, failed=dutch.count(len(failed),
                                                                         "document")), failed
    return T.REPORT_PDFS.format(documents=made), []
