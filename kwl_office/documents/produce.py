"""One function per document kind, from the models of the earlier stages.

Each writes a ``.docx`` (atomically) and returns its path; PDF is a separate, batched step
(:func:`kwl_office.documents.pdf.convert_to_pdf`). Charts are drawn once per consolidation
(:func:`draw_charts`) and can be passed in to reuse them across documents.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kwl_office import texts_nl as T
from kwl_office.assessment import Organisation, Submission, Variant, Verdict
from kwl_office.benchmark.model import Benchmark
from kwl_office.catalogue import Catalogue
from kwl_office.consolidation.history import Comparison
from kwl_office.consolidation.model import Advice, Consolidation
from kwl_office.documents.context import ChartSet, Decision
from kwl_office.documents.registry import (
    SPECS,
    DocumentKind,
    DocumentSpec,
    commands,
    spec_for,
)
from kwl_office.documents.render import render_document
from kwl_office.documents.sender import LetterSettings
from kwl_office.errors import InvalidArgument
from kwl_office.register import Register, Status
from kwl_office.register import valid_until as validity_end

Templates = str | Path | None


def load_consolidation(directory: str | Path, catalogue: Catalogue) -> Consolidation:
    """The consolidation in ``directory`` (its ``consolidation.json``), for this catalogue."""
    path = Path(directory)
    if path.is_dir():
        path = path / "consolidation.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        consolidation = Consolidation.from_json(data)
    except (OSError, ValueError) as err:
        raise InvalidArgument(T.DOC_NO_CONSOLIDATION.format(path=path)) from err
    if consolidation.catalogue_fingerprint != catalogue.fingerprint:
        raise InvalidArgument(T.DOC_OTHER_CATALOGUE.format(
            found=f"{consolidation.catalogue_id} {consolidation.catalogue_version}"))
    return consolidation


def load_previous_consolidation(path: str | Path) -> Consolidation:
    """The previous consolidation of an organisation (a consolidation folder or its
    ``consolidation.json``), of whatever catalogue version: :func:`compare
    <kwl_office.consolidation.history.compare>` decides whether it can be compared."""
    found = Path(path)
    if found.is_dir():
        found = found / "consolidation.json"
    try:
        return Consolidation.from_json(json.loads(found.read_text(encoding="utf-8")))
    except (OSError, ValueError) as err:
        raise InvalidArgument(T.HIST_NO_PREVIOUS.format(path=path)) from err


def decide(consolidation: Consolidation, catalogue: Catalogue, *,
           verdict: Verdict | None = None, decided_on: date | None = None,
           today: date | None = None) -> Decision:
    """The decision for letters: the advice, unless the committee decided ``toekennen`` or
    ``afwijzen`` (``verdict``). A granted decision is granted on ``decided_on`` (the day the
    committee decided), else on ``today``, and is valid through the day before the
    anniversary the policy sets (:func:`kwl_office.register.valid_until`). Its number comes
    from the register: :func:`with_register_entry`. A ``decided_on`` after ``today`` is
    refused (:class:`InvalidArgument`): that decision has not been taken yet; so is one
    before the day the last consolidated workbook was issued (``last_issued``): the advice
    did not exist yet.
    """
    today = today or date.today()
    if decided_on is not None and decided_on > today:
        # a letter dated today would say the committee decided on a day still to come
        raise InvalidArgument(T.DOC_DECISION_LATER.format(
            day=T.format_date(decided_on), today=T.format_date(today)))
    issued = consolidation.last_issued
    if decided_on is not None and issued is not None and decided_on < issued:
        # the advice rests on workbooks issued after that day: it did not exist yet
        raise InvalidArgument(T.DOC_DECISION_BEFORE_ISSUE.format(
            day=T.format_date(decided_on), issued=T.format_date(issued)))
    advice = consolidation.advice
    outcome = advice or Advice.INCOMPLETE
    if verdict is not None and consolidation.variant is Variant.SELF_EVALUATION:
        raise InvalidArgument(T.DOC_GRANT_SELF_ONLY.format(
            assessment=consolidation.assessment_id))
    if verdict is Verdict.GRANT:
        outcome = (Advice.CERTIFICATE if consolidation.variant.is_audit
                   else Advice.REGISTRATION)
    elif verdict is Verdict.REFUSE:
        outcome = Advice.REASSESSMENT
    decision = Decision(outcome=outcome, advice=advice, verdict=verdict, decided_on=decided_on)
    if decision.granted:
        years = (catalogue.policy.certificate_validity_years
                 if outcome is Advice.CERTIFICATE
                 else catalogue.policy.registration_validity_years)
        decision.granted_on = decided_on or today
        decision.valid_until = validity_end(decision.granted_on, years)
    return decision


def with_register_entry(decision: Decision, register: Register, assessment_id: str) -> Decision:
    """The granted ``decision`` with its number and dates from the register entry of the
    assessment; refused (:class:`InvalidArgument`) when there is no entry, another kind of
    entry, or a withdrawn one. A decision that grants nothing is returned as it is."""
    if not decision.granted:
        return decision
    entry = register.entry(assessment_id)
    if entry is None:
        raise InvalidArgument(T.DOC_NOT_REGISTERED.format(assessment=assessment_id,
                                                          path=register.shown))
    if entry.kind is not decision.outcome:
        raise InvalidArgument(T.DOC_REGISTERED_OTHER_KIND.format(
            assessment=assessment_id, found=entry.kind.value, number=entry.number,
            wanted=decision.outcome.value))
    if entry.status is Status.WITHDRAWN:
        raise InvalidArgument(T.DOC_REGISTER_WITHDRAWN.format(
            number=entry.number, assessment=assessment_id,
            on=T.format_date(entry.withdrawn_on) if entry.withdrawn_on else "?"))
    decision.number = entry.number
    decision.granted_on = entry.granted_on
    decision.valid_until = entry.valid_until
    return decision


@dataclass
class DocumentInputs:
    """What a document is made from: the consolidation or the self-evaluation, the decision
    (letters, certificate), the addressee, the charts (drawn once per consolidation), the
    date of the document and, for letters and certificates, the sender and signatory
    (``sender``, read from ``sender_source``: named when a setting is missing)."""

    catalogue: Catalogue
    organisation: Organisation
    today: date
    consolidation: Consolidation | None = None
    submission: Submission | None = None
    decision: Decision | None = None
    charts: ChartSet | None = None
    sender: LetterSettings | None = None
    sender_source: str = "ronde.yaml"
    #: the comparison with the organisation's previous assessment (reports: "Sinds de
    #: vorige keer"); None: no previous assessment, the section is left out
    previous: Comparison | None = None
    #: the branch benchmark (``branche.json``): the subject of ``branchebeeld.docx``, and in
    #: the reports the organisation's position against the branch; None: no position shown
    benchmark: Benchmark | None = None


def spec_for_command(command: str, decision: Decision | None = None) -> DocumentSpec:
    """The document ``kwl report COMMAND`` makes; for ``letter`` the one that fits the
    decision's outcome (an incomplete or missing outcome has no letter)."""
    specs = commands()[command]
    if len(specs) == 1:
        return specs[0]
    outcome = decision.outcome.value if decision else ""
    found = next((s for s in specs if s.outcome == outcome), None)
    if found is None:
        raise InvalidArgument(T.DOC_NO_LETTER.format(advice=outcome or "–"))
    return found


def make_document(spec: DocumentSpec, inputs: DocumentInputs, out: str | Path, *,
                  templates: Templates = None) -> Path:
    """Write the document of ``spec`` to ``out`` (atomically), after checking that it may
    state what it would state: it fits the assessment's variant, a decision document fits the
    decision, a granting one carries its register number, and a letter or certificate has
    its sender and signatory (:class:`~kwl_office.documents.sender.SettingsMissing`)."""
    _check(spec, inputs)
    fields = spec.field_builder()(inputs)
    return render_document(spec.kind, fields, out, templates=templates)


def _check(spec: DocumentSpec, inputs: DocumentInputs) -> None:
    if spec.source == "benchmark":
        if inputs.benchmark is None:
            raise InvalidArgument(T.BENCH_NOT_A_BENCHMARK.format(path="–"))
        return
    if spec.source == "self-evaluation":
        if inputs.submission is None:
            raise InvalidArgument(T.DOC_NO_CONSOLIDATION.format(path="–"))
        return
    cons = inputs.consolidation
    if cons is None:
        raise InvalidArgument(T.DOC_NO_CONSOLIDATION.format(path="–"))
    if cons.variant is Variant.SELF_EVALUATION:
        raise InvalidArgument(T.DOC_SELF_ONLY)
    if not spec.fits(cons.variant):
        # a learning report of an audit would call the CI a colleague, and the other way round
        fitting = next(s for s in SPECS if s.command in ("learning", "audit")
                       and s.fits(cons.variant))
        raise InvalidArgument(T.DOC_WRONG_REPORT.format(
            report=spec.kind.value, variant=T.VARIANT_LABELS[cons.variant.value].lower(),
            assessment=cons.assessment_id, fitting=T.DOC_REPORT_NAMES[fitting.kind.value]))
    if not spec.states_decision:
        return
    decision = inputs.decision
    if decision is None or decision.outcome.value != spec.outcome:
        outcome = decision.outcome.value if decision else "–"
        message = (T.DOC_NO_CERTIFICATE if spec.kind is DocumentKind.CERTIFICATE
                   else T.DOC_NO_LETTER)
        raise InvalidArgument(message.format(advice=outcome))
    if decision.granted and not decision.number:
        what = T.DOC_CERTIFICATE if spec.kind is DocumentKind.CERTIFICATE else T.DOC_LETTER
        raise InvalidArgument(T.DOC_NUMBER_MISSING.format(what=what))
    require_sender(spec, inputs.sender, inputs.sender_source)


def require_sender(spec: DocumentSpec, sender: LetterSettings | None, source: str) -> None:
    """Refuse a letter or certificate whose sender or signatory is not configured (raises
    :class:`~kwl_office.documents.sender.SettingsMissing`, naming each setting); other
    documents need neither."""
    if not spec.states_decision:
        return
    letter = spec.kind is not DocumentKind.CERTIFICATE
    (sender or LetterSettings()).require(
        letter=letter, what=T.DOC_WHAT["letter" if letter else "certificate"], where=source)


def report_kind(consolidation: Consolidation) -> DocumentKind:
    """The report that fits the variant: audit report for the CI variants, else leerrapport."""
    return (DocumentKind.AUDIT_REPORT if consolidation.variant.is_audit
            else DocumentKind.LEARNING_REPORT)


def _inputs(catalogue: Catalogue, organisation: Organisation | None, host: str,
            today: date | None, **parts: Any) -> DocumentInputs:
    return DocumentInputs(catalogue=catalogue,
                          organisation=organisation or Organisation(name=host),
                          today=today or date.today(), **parts)


# --- one function per kind: the library's own doors, each a call of make_document ----------


def learning_report(consolidation: Consolidation, catalogue: Catalogue, out: str | Path, *,
                    organisation: Organisation | None = None, templates: Templates = None,
                    today: date | None = None, charts: ChartSet | None = None,
                    previous: Comparison | None = None,
                    benchmark: Benchmark | None = None) -> Path:
    """``leerrapport.docx`` after an intercollegiale adviesmeting (``benchmark``: the
    branch benchmark, for the chapter "Positie in de branche")."""
    return make_document(spec_for(DocumentKind.LEARNING_REPORT), _inputs(
        catalogue, organisation, consolidation.host, today, consolidation=consolidation,
        charts=charts, previous=previous, benchmark=benchmark), out, templates=templates)


def audit_report(consolidation: Consolidation, catalogue: Catalogue, out: str | Path, *,
                 organisation: Organisation | None = None, templates: Templates = None,
                 today: date | None = None, charts: ChartSet | None = None,
                 previous: Comparison | None = None,
                 benchmark: Benchmark | None = None) -> Path:
    """``auditrapport.docx`` after an audit or combination (``benchmark``: as in
    :func:`learning_report`)."""
    return make_document(spec_for(DocumentKind.AUDIT_REPORT), _inputs(
        catalogue, organisation, consolidation.host, today, consolidation=consolidation,
        charts=charts, previous=previous, benchmark=benchmark), out, templates=templates)


def feedback_report(submission: Submission, catalogue: Catalogue, out: str | Path, *,
                    organisation: Organisation | None = None, templates: Templates = None,
                    today: date | None = None) -> Path:
    """``zelfevaluatie-feedback.docx`` from a filled self-evaluation alone."""
    host = submission.identity.host if submission.identity else "?"
    return make_document(spec_for(DocumentKind.FEEDBACK), _inputs(
        catalogue, organisation, host, today, submission=submission), out, templates=templates)


def letter(consolidation: Consolidation, catalogue: Catalogue, out: str | Path, *,
           decision: Decision, sender: LetterSettings | None = None,
           organisation: Organisation | None = None, templates: Templates = None,
           today: date | None = None) -> Path:
    """The letter on the decision: registration, certificate or reassessment.

    A letter that grants names the register number, so ``decision`` must carry it
    (:func:`with_register_entry`); every letter needs its ``sender`` and signatory.
    """
    return make_document(spec_for_command("letter", decision), _inputs(
        catalogue, organisation, consolidation.host, today, consolidation=consolidation,
        decision=decision, sender=sender), out, templates=templates)


def certificate(consolidation: Consolidation, catalogue: Catalogue, out: str | Path, *,
                decision: Decision, sender: LetterSettings | None = None,
                organisation: Organisation | None = None, templates: Templates = None,
                today: date | None = None) -> Path:
    """``certificaat.docx``, the one-page certificate (only for a granted certificate, with
    its register number and a signatory in ``sender``)."""
    return make_document(spec_for(DocumentKind.CERTIFICATE), _inputs(
        catalogue, organisation, consolidation.host, today, consolidation=consolidation,
        decision=decision, sender=sender), out, templates=templates)
