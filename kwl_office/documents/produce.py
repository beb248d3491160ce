"""One function per document kind, from the models of the earlier stages.

Each writes a ``.docx`` (atomically) and returns its path; PDF is a separate, batched step
(:func:`kwl_office.documents.pdf.convert_to_pdf`). Charts are drawn once per consolidation
(:func:`draw_charts`) and can be passed in to reuse them across documents.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from kwl_office import texts_nl as T
from kwl_office.assessment import Organisation, Submission, Variant, Verdict
from kwl_office.catalogue import Catalogue
from kwl_office.consolidation.model import Advice, Consolidation
from kwl_office.documents.context import (
    ChartSet,
    Decision,
    draw_charts,
    feedback_context,
    letter_context,
    report_context,
)
from kwl_office.documents.render import DocumentKind, render_document
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


def decide(consolidation: Consolidation, catalogue: Catalogue, *,
           verdict: Verdict | None = None, decided_on: date | None = None,
           today: date | None = None) -> Decision:
    """The decision for letters: the advice, unless the committee decided ``toekennen`` or
    ``afwijzen`` (``verdict``). A granted decision is granted on ``decided_on`` (the day the
    committee decided), else on ``today``, and is valid through the day before the
    anniversary the policy sets (:func:`kwl_office.register.valid_until`). Its number comes
    from the register: :func:`with_register_entry`.
    """
    today = today or date.today()
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
                                                          path=register.path))
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


def learning_report(consolidation: Consolidation, catalogue: Catalogue, out: str | Path, *,
                    organisation: Organisation | None = None, templates: Templates = None,
                    today: date | None = None, charts: ChartSet | None = None) -> Path:
    """``leerrapport.docx`` after an intercollegiale adviesmeting."""
    return _report(DocumentKind.LEARNING_REPORT, consolidation, catalogue, out,
                   organisation, templates, today, charts)


def audit_report(consolidation: Consolidation, catalogue: Catalogue, out: str | Path, *,
                 organisation: Organisation | None = None, templates: Templates = None,
                 today: date | None = None, charts: ChartSet | None = None) -> Path:
    """``auditrapport.docx`` after an audit or combination."""
    return _report(DocumentKind.AUDIT_REPORT, consolidation, catalogue, out, organisation,
                   templates, today, charts)


def report_kind(consolidation: Consolidation) -> DocumentKind:
    """The report that fits the variant: audit report for the CI variants, else leerrapport."""
    return (DocumentKind.AUDIT_REPORT if consolidation.variant.is_audit
            else DocumentKind.LEARNING_REPORT)


def _report(kind: DocumentKind, consolidation: Consolidation, catalogue: Catalogue,
            out: str | Path, organisation: Organisation | None, templates: Templates,
            today: date | None, charts: ChartSet | None) -> Path:
    if consolidation.variant is Variant.SELF_EVALUATION:
        raise InvalidArgument(T.DOC_SELF_ONLY)
    fitting = report_kind(consolidation)
    if kind is not fitting:
        # a learning report of an audit would call the CI a colleague, and the other way round
        raise InvalidArgument(T.DOC_WRONG_REPORT.format(
            report=kind.value, variant=T.VARIANT_LABELS[consolidation.variant.value].lower(),
            assessment=consolidation.assessment_id,
            fitting=T.DOC_REPORT_NAMES[fitting.value]))
    context = report_context(
        consolidation, catalogue,
        organisation=organisation or Organisation(name=consolidation.host),
        charts=charts or draw_charts(consolidation, catalogue), today=today or date.today())
    return render_document(kind, context, out, templates=templates)


def feedback_report(submission: Submission, catalogue: Catalogue, out: str | Path, *,
                    organisation: Organisation | None = None, templates: Templates = None,
                    today: date | None = None) -> Path:
    """``zelfevaluatie-feedback.docx`` from a filled self-evaluation alone."""
    host = submission.identity.host if submission.identity else "?"
    context = feedback_context(submission, catalogue,
                               organisation=organisation or Organisation(name=host),
                               today=today or date.today())
    return render_document(DocumentKind.FEEDBACK, context, out, templates=templates)


_LETTERS = {
    Advice.REGISTRATION: DocumentKind.REGISTRATION_LETTER,
    Advice.CERTIFICATE: DocumentKind.CERTIFICATE_LETTER,
    Advice.REASSESSMENT: DocumentKind.REASSESSMENT_LETTER,
}


def letter(consolidation: Consolidation, catalogue: Catalogue, out: str | Path, *,
           decision: Decision, organisation: Organisation | None = None,
           templates: Templates = None, today: date | None = None) -> Path:
    """The letter on the decision: registration, certificate or reassessment.

    A letter that grants names the register number, so ``decision`` must carry it
    (:func:`with_register_entry`).
    """
    kind = _LETTERS.get(decision.outcome)
    if kind is None:
        raise InvalidArgument(T.DOC_NO_LETTER.format(advice=decision.outcome.value))
    if decision.granted and not decision.number:
        raise InvalidArgument(T.DOC_NUMBER_MISSING.format(what=T.DOC_LETTER))
    context = letter_context(consolidation, catalogue,
                             organisation=organisation or Organisation(name=consolidation.host),
                             decision=decision, today=today or date.today())
    return render_document(kind, context, out, templates=templates)


def certificate(consolidation: Consolidation, catalogue: Catalogue, out: str | Path, *,
                decision: Decision, organisation: Organisation | None = None,
                templates: Templates = None, today: date | None = None) -> Path:
    """``certificaat.docx``, the one-page certificate (only for a granted certificate, with
    its register number)."""
    if decision.outcome is not Advice.CERTIFICATE:
        raise InvalidArgument(T.DOC_NO_CERTIFICATE.format(advice=decision.outcome.value))
    if not decision.number:
        raise InvalidArgument(T.DOC_NUMBER_MISSING.format(what=T.DOC_CERTIFICATE))
    context = letter_context(consolidation, catalogue,
                             organisation=organisation or Organisation(name=consolidation.host),
                             decision=decision, today=today or date.today())
    return render_document(DocumentKind.CERTIFICATE, context, out, templates=templates)
