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
from kwl_office.assessment import Organisation, Submission, Variant
from kwl_office.catalogue import Catalogue
from kwl_office.consolidation import Advice, Consolidation
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


def decide(consolidation: Consolidation, catalogue: Catalogue, *, verdict: str | None = None,
           number: str = "", today: date | None = None) -> Decision:
    """The decision for letters: the advice, unless the committee decided ``toekennen`` or
    ``afwijzen``; granted decisions get their validity from the catalogue's policy."""
    today = today or date.today()
    advice = consolidation.advice or Advice.INCOMPLETE
    certificate = consolidation.variant.is_audit
    if verdict == "toekennen":
        advice = Advice.CERTIFICATE if certificate else Advice.REGISTRATION
    elif verdict == "afwijzen":
        advice = Advice.REASSESSMENT
    if advice not in (Advice.REGISTRATION, Advice.CERTIFICATE):
        return Decision(advice=advice)
    years = (catalogue.policy.certificate_validity_years if advice is Advice.CERTIFICATE
             else catalogue.policy.registration_validity_years)
    return Decision(advice=advice, number=number, granted_on=today,
                    valid_until=_add_years(today, years))


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


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
    """The letter on the decision: registration, certificate or reassessment."""
    kind = _LETTERS.get(decision.advice)
    if kind is None:
        raise InvalidArgument(T.DOC_NO_LETTER.format(advice=decision.advice.value))
    context = letter_context(consolidation, catalogue,
                             organisation=organisation or Organisation(name=consolidation.host),
                             decision=decision, today=today or date.today())
    return render_document(kind, context, out, templates=templates)


def certificate(consolidation: Consolidation, catalogue: Catalogue, out: str | Path, *,
                decision: Decision, organisation: Organisation | None = None,
                templates: Templates = None, today: date | None = None) -> Path:
    """``certificaat.docx``, the one-page certificate (only for a granted certificate)."""
    if decision.advice is not Advice.CERTIFICATE:
        raise InvalidArgument(T.DOC_NO_CERTIFICATE.format(advice=decision.advice.value))
    context = letter_context(consolidation, catalogue,
                             organisation=organisation or Organisation(name=consolidation.host),
                             decision=decision, today=today or date.today())
    return render_document(DocumentKind.CERTIFICATE, context, out, templates=templates)
