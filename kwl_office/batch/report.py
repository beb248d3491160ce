"""``round report``: consolidate, register and document every complete assessment.

Two stages. **Deciding** runs in the main process, one assessment after the other in the
order of their ids: consolidate, decide (advice or the committee's *Besluit*) and, for a
registration or certificate, record it in the register. Numbers are therefore given in the
order of the assessment ids, the same on every run, whatever the number of worker processes.
**Making** runs in worker processes, one job per assessment: ``consolidation.json``,
``geconsolideerd.xlsx``, the report, the letter and the certificate. A job starts as soon as
its assessment is decided (:class:`JobRunner`), so the two stages overlap.

A failing assessment is recorded and the rest completes. An assessment whose inputs did not
change since its last successful run is skipped. Every output is written atomically and the
job's state file last, so a run that is killed halfway is simply done again next time: no
half-written file is ever visible under its final name, and recording an assessment again
gives the same entry and number.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind, Variant
from kwl_office.atomic import write_text_atomic
from kwl_office.batch.folder import CONFIG_NAME, RoundFolder
from kwl_office.batch.manifest import ManifestEntry
from kwl_office.batch.plan import documents_to_make
from kwl_office.batch.pool import parent_gone, pool_for
from kwl_office.batch.previous import History, previous_digest
from kwl_office.batch.readiness import Readiness as Readiness
from kwl_office.batch.readiness import (
    benchmark_digest,
    file_digest,
    folder_fingerprint,
    input_parts,
    json_digest,
    manifest_findings,
)
from kwl_office.batch.readiness import incomplete_refusal as incomplete_refusal
from kwl_office.batch.readiness import readiness as readiness
from kwl_office.benchmark.files import load_benchmark
from kwl_office.benchmark.model import Benchmark
from kwl_office.catalogue import Catalogue
from kwl_office.consolidation.files import WORKBOOK_NAME, write_outputs
from kwl_office.consolidation.history import Comparison
from kwl_office.consolidation.model import Consolidation, Override
from kwl_office.consolidation.overrides import read_overrides
from kwl_office.consolidation.rules import consolidate
from kwl_office.documents.context import Decision, draw_charts
from kwl_office.documents.produce import (
    DocumentInputs,
    decide,
    make_document,
    require_sender,
    with_register_entry,
)
from kwl_office.documents.registry import DocumentKind, spec_for
from kwl_office.documents.render import shipped_templates
from kwl_office.documents.sender import SettingsMissing
from kwl_office.errors import (
    InvalidArgument,
    KwlError,
    RegisterConflict,
    os_error_code,
    os_error_text,
)
from kwl_office.excel.reader import read_workbook
from kwl_office.findings import Finding, Severity, make_finding
from kwl_office.places import register_exists
from kwl_office.register import Entry as RegisterEntry
from kwl_office.register import Register, Status

STATE_NAME = ".kwl-status.json"
#: the state file's key for :func:`~kwl_office.batch.readiness.folder_fingerprint`: what
#: ``kwl round status`` can recompute of the inputs (a state without it is of an older kwl)
FOLDER_INPUTS = "folder_inputs"
LETTER_NAME = spec_for(DocumentKind.REGISTRATION_LETTER).output
CERTIFICATE_NAME = spec_for(DocumentKind.CERTIFICATE).output


@dataclass
class Job:
    """One assessment to make documents for (picklable, for a worker process).

    Decided in the main process: ``consolidation`` and ``decision`` are None only for a
    self-evaluation alone (its feedback report is made from ``files``).
    """

    root: str
    entry: ManifestEntry
    files: list[str]
    today: date
    templates: str | None = None
    consolidation: Consolidation | None = None
    decision: Decision | None = None
    #: the letter and certificate of a withdrawn or expired entry are never made again (the
    #: note for the console that says so)
    withdrawn: str = ""
    #: the comparison with the organisation's previous assessment (found in the register)
    previous: Comparison | None = None
    #: the branch benchmark of ronde.yaml (position lines in the reports)
    benchmark: Benchmark | None = None
    #: why there is no "Sinds de vorige keer" although there was a previous assessment
    history_note: str = ""
    #: what the state's input digest must hold besides the files, exactly as the main process
    #: computed it when it decided to make this job (else a re-run would never find the
    #: assessment unchanged): the previous assessment and benchmark, the templates' digest,
    #: what was missing (reported with --incomplete)
    history: str = ""
    templates_digest: str = ""
    #: the digest of the benchmark the main process read (kept for ``kwl round status``)
    benchmark_digest: str = ""
    missing: list[str] = field(default_factory=list)
    #: received workbooks that do not count (see :attr:`Readiness.not_counted`), by label
    not_counted: list[str] = field(default_factory=list)
    #: whether ``geconsolideerd.xlsx`` holds Eindoordelen other than the ones kwl wrote in it
    #: (a person changed them): only then a copy is kept under ``eerder/`` before it is
    #: replaced, not when a report that failed or was stopped wrote it and wrote no state
    edited_overrides: bool = False


@dataclass
class JobResult:
    """What happened to one assessment."""

    assessment_id: str
    host: str
    status: str  # "gemaakt" | "ongewijzigd" | "mislukt"
    advice: str = ""
    decision: str = ""
    number: str = ""
    documents: list[str] = field(default_factory=list)
    message: str = ""
    #: the consolidation's findings (errors and warnings), to show on the console
    findings: list[Finding] = field(default_factory=list)
    #: a note such as "ingetrokken op 3 december 2026"
    note: str = ""
    #: the errno name (``ENOSPC``) of the disk or file system error it failed on, if any
    os_error: str = ""

    @property
    def errors(self) -> list[Finding]:
        """The findings of severity error."""
        return [f for f in self.findings if f.severity is Severity.ERROR]


def _templates_digest(templates: str | None) -> str:
    digest = hashlib.sha256()
    for folder in [shipped_templates()] + ([Path(templates)] if templates else []):
        for path in sorted(folder.glob("*.docx")):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def inputs_digest(parts: dict[str, Any], *, templates: str | None,
                  templates_digest: str | None = None, history: str = "") -> str:
    """Hash of everything the outputs depend on: what the round folder holds
    (:func:`~kwl_office.batch.readiness.input_parts`, also the sender and signatory of the
    letters: filling them in makes the letters that were waiting for them), the templates
    and the ``history`` from the register."""
    payload = dict(parts, templates=templates_digest or _templates_digest(templates))
    if history:  # the previous assessment and the benchmark the reports show
        payload["history"] = history
    return json_digest(payload)


def _write_state(out: Path, state: dict[str, Any]) -> None:
    write_text_atomic(out / STATE_NAME, json.dumps(state, ensure_ascii=False, indent=1) + "\n")


def read_state(out: Path) -> dict[str, Any]:
    """The state file of an assessment's output folder ({} when there is none)."""
    path = out / STATE_NAME
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # unreadable: treated as never reported, so it is simply made again
    return data if isinstance(data, dict) else {}


class Decider:
    """The main-process stage: consolidate and decide each assessment, in id order, and
    record grants in the register (opened once, on first need, with the round's checks)."""

    def __init__(self, folder: RoundFolder, catalogue: Catalogue, *, today: date,
                 templates: str | None) -> None:
        self.folder = folder
        self.catalogue = catalogue
        self.today = today
        self.templates = templates
        self._templates_digest = _templates_digest(templates)
        self._register: Register | None = None
        self.history = History(folder, catalogue, today=today, register=self._known_register)
        self._benchmark: tuple[Benchmark | None, str] | None = None
        #: the decisions recorded in the register, by assessment id: what a failure after
        #: that step must still say (the register holds them, the documents do not yet)
        self.registered: dict[str, Decision] = {}

    def register(self) -> Register:
        """The round's register (see :meth:`RoundFolder.open_register`)."""
        if self._register is None:
            self._register = self.folder.open_register()
        return self._register

    def close(self) -> None:
        """Remember the register's highest number and close it."""
        if self._register is not None:
            self.folder.remember_register(self._register)
            self._register.close()
            self._register = None

    def _known_register(self) -> Register | None:
        """The round's register, or None while there is none yet (nothing reported before):
        asking never creates one."""
        if self._register is None and not register_exists(self.folder.register_path()):
            return None
        return self.register()

    def _existing_entry_note(self, assessment_id: str) -> str:
        if self._register is None and not register_exists(self.folder.register_path()):
            return ""
        entry = self.register().entry(assessment_id, today=self.today)
        return _closed_note(entry) if entry is not None else ""

    def plan(self, entry: ManifestEntry, ready: Readiness) -> Job | JobResult:
        """A job to run, or the result of an assessment that needs no job (unchanged)."""
        out = self.folder.assessment_output(entry.assessment.id)
        state = read_state(out)
        missing = ready.missing
        previous = self.history.previous(entry, ready)
        benchmark, benchmark_sha = self.benchmark()
        history = ":".join(filter(None, (
            previous_digest(previous) if previous else "", benchmark_sha)))
        not_counted = [label for label, _, _ in ready.not_counted]
        parts = input_parts(self.folder, entry, ready.files, self.catalogue, state,
                            missing=missing, not_counted=not_counted)
        digest = inputs_digest(parts, templates=self.templates,
                               templates_digest=self._templates_digest, history=history)
        if state.get("inputs") == digest and all(
                (out / d).exists() for d in state.get("documents", [])):
            if FOLDER_INPUTS not in state:
                # of an older kwl: what status can check is added (the same inputs)
                state[FOLDER_INPUTS] = folder_fingerprint(parts, benchmark_sha)
                with contextlib.suppress(OSError):  # then status goes by time, as before
                    _write_state(out, state)
            return JobResult(
                entry.assessment.id, entry.assessment.host, T.REPORT_SKIPPED,
                advice=state.get("advice", ""), decision=state.get("decision", ""),
                number=state.get("number", ""), documents=state.get("documents", []),
                findings=[Finding.model_validate(f) for f in state.get("findings", [])],
                note=_notes(self._existing_entry_note(entry.assessment.id)
                            if state.get("number") else "", state.get("waiting", "")))
        job = Job(root=str(self.folder.root.resolve()), entry=entry, files=ready.files,
                  today=self.today, templates=self.templates, history=history,
                  templates_digest=self._templates_digest, missing=list(missing),
                  not_counted=not_counted, benchmark_digest=benchmark_sha)
        if entry.assessment.variant is Variant.SELF_EVALUATION:
            return job
        overrides_path = out / WORKBOOK_NAME
        overrides: list[Override] = []
        override_findings: list[Finding] = []
        if overrides_path.exists():
            overrides, report = read_overrides(overrides_path, self.catalogue,
                                               assessment_id=entry.assessment.id)
            override_findings = report.findings
            # kwl's own: the Eindoordelen the last report wrote in it (by what the report
            # reads of them, as the state keeps them); without a state (the first report
            # failed or was stopped after writing it), kwl wrote none
            written = state.get("written_overrides")
            job.edited_overrides = (parts["overrides"] != written if isinstance(written, str)
                                    else bool(overrides or override_findings))
        result = consolidate(self.catalogue, entry.assessment, ready.submissions, overrides)
        if not result.reviewers:
            # no review counts: a report, letter or certificate would name reviewers and
            # judgements that are not there; refused before anything is registered
            raise InvalidArgument(T.DOC_NO_REVIEWERS.format(assessment=entry.assessment.id))
        result.findings = override_findings + result.findings + manifest_findings(
            entry, ready, result)
        if missing:
            result.missing_inputs = list(missing)
            result.findings.append(make_finding("reported-incomplete",
                                                items=", ".join(missing)))
        decision = decide(result, self.catalogue, verdict=entry.decision,
                          decided_on=entry.decision_date, today=self.today)
        job.consolidation, job.decision = result, decision
        # a number the register ties to another organisation: refused before anything is
        # registered or kept for it
        self.register().check_owner(entry.assessment.id, entry.assessment.host,
                                    entry.organisation_id)
        self._register_decision(job, entry, decision)
        if not missing:  # a complete consolidation is what a later round compares with
            self.register().remember_result(
                result.to_json(), organisation=entry.assessment.host,
                organisation_id=entry.organisation_id, round=self.folder.config().naam,
                reported_on=self.today)
        if previous is not None:
            job.previous, job.history_note = self.history.compare(previous, result)
        else:
            job.history_note = self.history.passed_over_note(entry, ready)
        job.benchmark = benchmark
        return job

    def benchmark(self) -> tuple[Benchmark | None, str]:
        """The branch benchmark of ronde.yaml (``branchebeeld``) and its file's digest."""
        if self._benchmark is None:
            name = self.folder.config().branchebeeld
            self._benchmark = ((load_benchmark(self.folder.root / name), benchmark_digest(
                self.folder)) if name else (None, ""))
        return self._benchmark

    def _register_decision(self, job: Job, entry: ManifestEntry, decision: Decision) -> None:
        known = self._register is not None or register_exists(self.folder.register_path())
        found = (self.register().entry(entry.assessment.id, today=self.today)
                 if decision.granted or known else None)
        if found is not None and found.status is not Status.ACTIVE:
            # a withdrawn or expired entry is never issued (nor renewed) again: its letter and
            # certificate stay as they were, and the console says why
            job.withdrawn = _closed_note(found)
            decision.number = found.number
            if decision.granted:  # whatever a document says of it: what was registered
                decision.granted_on, decision.valid_until = found.granted_on, found.valid_until
            return
        if not decision.granted:
            if found is not None:
                raise RegisterConflict(T.REPORT_REGISTERED_BUT.format(
                    number=found.number, kind=found.kind.value,
                    outcome=T.ADVICE_LABELS[decision.outcome.value].lower()))
            return
        assert decision.granted_on is not None and decision.valid_until is not None
        register = self.register()
        register.record(
            assessment_id=entry.assessment.id, organisation=entry.organisation,
            variant=entry.assessment.variant, scope=entry.assessment.scope,
            kind=decision.outcome, granted_on=decision.granted_on,
            valid_until=decision.valid_until, round=self.folder.config().naam,
            # without a Besluitdatum the day of reporting: a registered entry keeps its dates
            decided=decision.decided_on is not None, today=self.today)
        # the letter and certificate state the registered number and dates
        with_register_entry(decision, register, entry.assessment.id)
        self.registered[entry.assessment.id] = decision


def _closed_note(entry: RegisterEntry) -> str:
    """The console's note for an entry that is no longer active ('' for an active one)."""
    if entry.status is Status.WITHDRAWN:
        return T.REPORT_WITHDRAWN.format(
            number=entry.number,
            on=T.format_date(entry.withdrawn_on) if entry.withdrawn_on else "?")
    if entry.status is Status.EXPIRED:
        return T.REPORT_EXPIRED.format(number=entry.number,
                                       until=T.format_date(entry.valid_until))
    return ""


def failed(folder: RoundFolder, entry: ManifestEntry, err: BaseException, *,
           decision: Decision | None = None, withdrawn: str = "") -> JobResult:
    """A failed assessment: one Dutch line for the console, and in ``fout.txt`` (when the
    disk still takes it) that line above the traceback. A disk or file system error is said
    by its kind (a full disk, …), naming the file, else the assessment's output folder.

    ``decision``: what was decided before it failed, shown as its outcome and number; when
    the register holds it (a registration or certificate), a note says that its letter (and
    certificate) were not made. ``withdrawn``: the note of an entry no longer active.

    Never raises: the error handler of one assessment must not end the round (a full disk
    fails every assessment, each with its own line)."""
    out = folder.assessment_output(entry.assessment.id)
    cause = None if isinstance(err, KwlError) else _os_error_of(err)
    if cause is not None:
        line = os_error_text(cause, where=_shown(folder, cause.filename or out))
    else:
        line = str(err).splitlines()[0] if str(err) else type(err).__name__
        if not isinstance(err, KwlError):
            line = f"{type(err).__name__}: {line}"
    line = line[:300]
    try:
        out.mkdir(parents=True, exist_ok=True)
        write_text_atomic(out / "fout.txt", f"{line}\n\n{T.REPORT_FAILURE_DETAILS}\n\n"
                          + "".join(traceback.format_exception(err)))
    except OSError:
        pass  # the reason is still on the console (and status asks the register)
    result = JobResult(entry.assessment.id, entry.assessment.host, T.REPORT_FAILED,
                       message=line, os_error=os_error_code(cause) if cause else "",
                       note=withdrawn)
    if decision is not None:
        result.decision, result.number = decision.outcome.value, decision.number
        if decision.granted and decision.number and not withdrawn:
            result.note = T.REPORT_REGISTERED_NOT_MADE.format(
                number=decision.number,
                documents=T.REGISTERED_DOCUMENTS[decision.outcome.value])
    return result


def _os_error_of(err: BaseException) -> OSError | None:
    """The disk or file system error behind ``err``: itself, the one it was raised from, or
    the one it wraps (XlsxWriter's ``FileCreateError`` holds it as its argument)."""
    seen: set[int] = set()
    todo: list[BaseException] = [err]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OSError):
            return current
        todo += [found for found in (current.__cause__, *current.args)
                 if isinstance(found, BaseException)]
    return None


def _shown(folder: RoundFolder, path: object) -> str:
    """``path`` as the console shows it: relative to the round folder when it is in it."""
    if isinstance(path, int):  # a file descriptor: where is unknown
        return "?"
    text = os.fsdecode(path) if isinstance(path, bytes | str | os.PathLike) else str(path)
    try:
        return Path(text).resolve().relative_to(folder.root.resolve()).as_posix()
    except (ValueError, OSError):
        return text


def run_job(job: Job) -> JobResult:
    """Make one assessment's outputs; never raises (a failure is a result, with its reason)."""
    if parent_gone():
        os._exit(1)
    folder = RoundFolder(Path(job.root))
    try:
        return _run_job(job, folder, folder.assessment_output(job.entry.assessment.id))
    except Exception as err:  # noqa: BLE001 - isolation: one broken assessment, not the batch
        return failed(folder, job.entry, err, decision=job.decision, withdrawn=job.withdrawn)


def _run_job(job: Job, folder: RoundFolder, out: Path) -> JobResult:
    catalogue = folder.catalogue()
    entry = job.entry
    documents: list[str] = []
    advice = decision_code = number = ""
    findings: list[Finding] = []
    result, decision = job.consolidation, job.decision
    inputs = DocumentInputs(catalogue=catalogue, organisation=entry.organisation,
                            today=job.today, consolidation=result, decision=decision,
                            previous=job.previous, benchmark=job.benchmark)
    if result is None or decision is None:
        key = folder.key()
        submissions = [read_workbook(folder.root / f, catalogue, key=key) for f in job.files]
        inputs.submission = next(s for s in submissions if s.kind is Kind.SELF_EVALUATION)
    else:
        findings = list(result.findings)
        overrides_path = out / WORKBOOK_NAME
        # a copy under eerder/ only of what a person changed (see Job.edited_overrides)
        write_outputs(result, out, catalogue, in_round=True, previous=job.previous,
                      overrides=overrides_path if job.edited_overrides
                      and overrides_path.exists() else None)
        documents += ["consolidation.json", WORKBOOK_NAME]
        inputs.charts = draw_charts(result, catalogue)  # once, for every document
        advice = result.advice.value if result.advice else ""
        decision_code = decision.outcome.value
        number = decision.number
    planned = documents_to_make(entry.assessment.variant, decision_code or None,
                                withdrawn=bool(job.withdrawn))
    inputs.sender = folder.config().letter_settings()
    inputs.sender_source = CONFIG_NAME
    waiting: list[str] = []
    for spec in planned:
        try:
            require_sender(spec, inputs.sender, CONFIG_NAME)
        except SettingsMissing as err:
            # never a letter with a placeholder: it waits for its setting, the rest is made
            waiting.append(str(err))
            continue
        make_document(spec, inputs, out / spec.output, templates=job.templates)
        documents.append(spec.output)
    if job.withdrawn:
        # keep what was sent: the letter and certificate of a withdrawn entry stay as they are
        documents += [name for name in (LETTER_NAME, CERTIFICATE_NAME)
                      if (out / name).exists() and name not in documents]
    written = file_digest(out / WORKBOOK_NAME)
    # the overrides of the workbook just written, read back once (by their values): while
    # its bytes stay these, status and the next report take them from the state file
    parts = input_parts(folder, entry, job.files, catalogue, {},
                        missing=job.missing, not_counted=job.not_counted)
    state = {
        "inputs": inputs_digest(parts, templates=job.templates,
                                templates_digest=job.templates_digest, history=job.history),
        FOLDER_INPUTS: folder_fingerprint(parts, job.benchmark_digest),
        "written_consolidated": written,
        "written_overrides": parts["overrides"],
        "documents": documents, "advice": advice, "decision": decision_code,
        "number": number, "findings": [f.model_dump(mode="json") for f in findings],
        "waiting": _notes(*waiting),
        "finished_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }
    (out / "fout.txt").unlink(missing_ok=True)
    _write_state(out, state)
    return JobResult(entry.assessment.id, entry.assessment.host, T.REPORT_MADE, advice=advice,
                     decision=decision_code, number=number, documents=documents,
                     findings=findings, note=_notes(job.withdrawn, job.history_note,
                                                    *waiting))


def _notes(*notes: str) -> str:
    """Notes for the console, in one line (the empty ones left out)."""
    return "; ".join(note for note in notes if note)


class JobRunner:
    """Runs jobs while the main process goes on deciding the next assessments.

    With one worker (or at most one job expected) a job runs at once, in this process.
    Otherwise the worker processes start on entering, before the main process opens the
    register (a SQLite connection must not cross a fork, and the workers stay small), and a
    job starts as soon as it is submitted: deciding (sequential, in id order) overlaps with
    making documents. ``on_result`` is always called in this process, never from a thread.
    """

    def __init__(self, *, workers: int | None = None, expected: int = 0,
                 on_result: Callable[[JobResult], None] | None = None) -> None:
        self._wanted = workers
        self._expected = expected
        self.on_result = on_result
        self.results: list[JobResult] = []
        self.pool: ProcessPoolExecutor | None = None
        #: the number of worker processes (1: jobs run here); also for reading before deciding
        self.workers = 1
        self._pending: set[Future[JobResult]] = set()
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> JobRunner:
        # an assessment's documents are heavy work: workers from two jobs on
        self.pool, self.workers = self._stack.enter_context(
            pool_for(self._wanted, self._expected, parallel_from=2))
        return self

    def __exit__(self, kind: object, err: object, tb: object) -> None:
        # on an error, what was not started yet is not made (it is made on the next run);
        # what runs finishes, so no output is left half-way
        self._stack.close()

    def submit(self, job: Job) -> None:
        """Run ``job`` (now, or in a worker); results that are in are reported."""
        if self.pool is None:
            self._done(run_job(job))
            return
        self._pending.add(self.pool.submit(run_job, job))
        self._report([f for f in self._pending if f.done()])

    def add(self, result: JobResult) -> None:
        """A result that needed no job (unchanged, failed while deciding)."""
        self._done(result)

    def finish(self) -> list[JobResult]:
        """Wait for every job; every result, in the order they came in."""
        while self._pending:
            self._report(wait(self._pending, return_when=FIRST_COMPLETED)[0])
        return self.results

    def _report(self, finished: Iterable[Future[JobResult]]) -> None:
        for future in finished:
            self._pending.discard(future)
            self._done(future.result())

    def _done(self, result: JobResult) -> None:
        self.results.append(result)
        if self.on_result:
            self.on_result(result)
