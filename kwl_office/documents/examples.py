"""Example data for the templates: a fictional assessment, built in code, deterministic.

Used by ``kwl templates context`` / ``check``, by the golden-text tests and for the images in
the README. Everything here is clearly fictional.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kwl_office.assessment import (
    Assessment,
    Identity,
    Kind,
    NormResponse,
    Organisation,
    Submission,
    Variant,
)
from kwl_office.benchmark.compute import Source, compute_benchmark
from kwl_office.benchmark.model import Benchmark
from kwl_office.catalogue import Catalogue
from kwl_office.consolidation.history import Comparison, compare
from kwl_office.consolidation.model import Advice, Consolidation, Override
from kwl_office.consolidation.rules import consolidate
from kwl_office.documents.context import Decision, draw_charts
from kwl_office.documents.registry import DocumentKind, spec_for
from kwl_office.documents.sender import LetterSettings, Secretariat, Signatory
from kwl_office.register import valid_until

EXAMPLE_DATE = date(2026, 11, 28)
EXAMPLE_HOST = Organisation(
    name="Stichting Welzijn De Brug (fictief)",
    contact="mevrouw J. de Vries",
    address=("Postbus 123", "1234 AB Voorbeeldstad"),
)
#: the sender and signatory of the example letters (and of the demo round's ronde.yaml)
EXAMPLE_SENDER = LetterSettings(
    secretariaat=Secretariat(
        naam="Secretariaat Kwaliteitslabel Sociaal Werk (fictief)",
        adres=["Postbus 4321", "3500 AB Voorbeeldstad"], telefoon="030 123 45 67",
        email="secretariaat@kwaliteitslabel.example", website="www.kwaliteitslabel.example"),
    ondertekenaar=Signatory(naam="M. Visser (fictief)",
                            functie="secretaris van de beheercommissie"),
)
EXAMPLE_REVIEWERS = ("Sociaal Werk Noord (fictief)", "Buurtwerk Zuid (fictief)")
EXAMPLE_AUDITOR = "CI Kwaliteit & Toetsing (fictief)"
_PATTERN = "VVVDVVNVVDVVVVDV"  # deterministic spread of ratings over the norms


def _identity(catalogue: Catalogue, kind: Kind, reviewer: str, assessment_id: str) -> Identity:
    return Identity(
        layout_version=1, kind=kind, workbook_id=f"voorbeeld-{kind.value}-{reviewer or 'zelf'}",
        assessment_id=assessment_id, host=EXAMPLE_HOST.name, reviewer=reviewer,
        catalogue_id=catalogue.id, catalogue_version=catalogue.version,
        catalogue_fingerprint=catalogue.fingerprint, issued_at="2026-10-01T09:00:00+00:00",
        tool_version="voorbeeld", signature="voorbeeld")


def example_selfevaluation(catalogue: Catalogue, assessment_id: str = "2026-001") -> Submission:
    """A filled self-evaluation of the example host."""
    responses = {}
    for i, norm in enumerate(catalogue.norms()):
        code = "V" if i % 3 else ("D" if i % 2 else "V")
        if i % 11 == 7:
            code = "N"
        responses[norm.id] = NormResponse(
            rating=None if i % 17 == 16 else code,
            comment=f"Toelichting van de organisatie bij {norm.id}.",
            evidence="Werkplan 2026; verslagen intervisie",
            improvements="Scholing plannen in het voorjaar." if code != "V" else None,
            accent=i % 9 == 0,
        )
    return Submission(file="zelfevaluatie.xlsx",
                      identity=_identity(catalogue, Kind.SELF_EVALUATION, "", assessment_id),
                      responses=responses)


def _review(catalogue: Catalogue, kind: Kind, reviewer: str, offset: int,
            assessment_id: str, pattern: str = _PATTERN) -> Submission:
    responses = {}
    for i, norm in enumerate(catalogue.norms()):
        code = pattern[(i + offset) % len(pattern)]
        responses[norm.id] = NormResponse(
            rating=code,
            comment=f"{reviewer} zag bij {norm.id} concrete voorbeelden in dossiers.",
            strengths="Betrokken team dat inwoners goed kent." if i % 5 == 0 else None,
            learning_points="Leg afspraken vaker schriftelijk vast." if code != "V" else None,
        )
    return Submission(file=f"{kind.value}-{offset}.xlsx",
                      identity=_identity(catalogue, kind, reviewer, assessment_id),
                      responses=responses)


def example_consolidation(catalogue: Catalogue, variant: Variant = Variant.PEER_REVIEW, *,
                          granted: bool = False) -> Consolidation:
    """A consolidated example assessment of ``variant`` (with self-evaluation); with
    ``granted`` an audit without blocking norms (for the certificate examples)."""
    assessment_id = "2026-001" if variant is Variant.PEER_REVIEW else "2026-002"
    assessment = Assessment(id=assessment_id, host=EXAMPLE_HOST.name, variant=variant,
                            scope="Team Wijkwerk Centrum en Team Jeugd")
    if variant is Variant.PEER_REVIEW:
        reviews = [_review(catalogue, Kind.PEER, r, 3 * i, assessment_id)
                   for i, r in enumerate(EXAMPLE_REVIEWERS)]
    else:
        reviews = [_review(catalogue, Kind.AUDIT, EXAMPLE_AUDITOR, 1, assessment_id,
                           pattern="VVVDVVVVVVVVVDVV" if granted else _PATTERN)]
    first = next(iter(catalogue.norms())).id
    overrides = [Override(norm_id=first, rating="V",
                          motivation="In de consensusbespreking aangetoond met de "
                                     "intervisieverslagen van 2026.")]
    return consolidate(catalogue, assessment,
                       [example_selfevaluation(catalogue, assessment_id), *reviews], overrides)


#: the example host's previous assessment, three years earlier
EXAMPLE_SINCE = "2023"
#: what changed since then, by the norm's position in the catalogue: a level lower then
#: (improved since), a level higher then (worse now), n.v.t. then (not comparable)
_LOWER_THEN, _HIGHER_THEN, _NVT_THEN = {1, 9, 17, 26, 34, 41}, {12, 30}, {45}


def example_previous_consolidation(catalogue: Catalogue,
                                   variant: Variant = Variant.PEER_REVIEW) -> Consolidation:
    """The example host's previous assessment of ``variant`` (2023), for "Sinds de vorige
    keer": the current ratings with a few norms rated differently, and a self-evaluation
    with improvement actions."""
    assessment_id = "2023-001" if variant is Variant.PEER_REVIEW else "2023-002"
    assessment = Assessment(id=assessment_id, host=EXAMPLE_HOST.name, variant=variant)
    kind = Kind.PEER if variant is Variant.PEER_REVIEW else Kind.AUDIT
    if variant is Variant.PEER_REVIEW:
        reviews = [_review(catalogue, kind, r, 3 * i, assessment_id)
                   for i, r in enumerate(EXAMPLE_REVIEWERS)]
    else:
        reviews = [_review(catalogue, kind, EXAMPLE_AUDITOR, 1, assessment_id)]
    scored = sorted((lv for lv in catalogue.scale if lv.score is not None),
                    key=lambda lv: lv.score or 0)
    codes = [lv.code for lv in scored]
    nvt = next(lv.code for lv in catalogue.scale if lv.score is None)
    for i, norm in enumerate(catalogue.norms()):
        for review in reviews:
            answer = review.responses[norm.id]
            rank = codes.index(answer.rating or codes[-1])
            if i in _LOWER_THEN:
                rating = codes[max(rank - 1, 0)]
            elif i in _HIGHER_THEN:
                rating = codes[min(rank + 1, len(codes) - 1)]
            else:
                rating = nvt if i in _NVT_THEN else codes[rank]
            review.responses[norm.id] = answer.model_copy(update={"rating": rating})
    selfeval = example_selfevaluation(catalogue, assessment_id)
    for i, (norm_id, answer) in enumerate(selfeval.responses.items()):
        # the host saw room for improvement where the reviewers did (and where they did not)
        if answer.improvements or i in _LOWER_THEN:
            selfeval.responses[norm_id] = answer.model_copy(update={
                "rating": answer.rating if answer.improvements else codes[-2],
                "improvements": f"Werkwijze bij {norm_id} vastleggen en in 2024 in het "
                                "teamoverleg bespreken."})
    return consolidate(catalogue, assessment, [selfeval, *reviews])


def example_comparison(catalogue: Catalogue, current: Consolidation) -> Comparison:
    """The example host's current assessment compared with its previous one."""
    previous = example_previous_consolidation(catalogue, current.variant)
    return compare(previous, current, catalogue=catalogue, since=EXAMPLE_SINCE)


#: organisations in the example benchmark, and the smallest group it shows
EXAMPLE_BRANCH_SIZE, EXAMPLE_BRANCH_K = 10, 3


def example_benchmark(catalogue: Catalogue) -> Benchmark:
    """A branch benchmark over ten invented organisations: the example assessment with
    every norm's consensus moved a level up (four of them), kept (three) or moved down
    (three), turn and turn about, so that every level counts none or three or more."""
    base = example_consolidation(catalogue)
    scored = sorted((lv.code for lv in catalogue.scale if lv.score is not None),
                    key=lambda code: catalogue.rating_scale.by_code[code].score or 0)
    sources = []
    for org in range(EXAMPLE_BRANCH_SIZE):
        norms = {}
        for i, (norm_id, result) in enumerate(base.norms.items()):
            rank = scored.index(result.consensus) if result.consensus in scored else 0
            shift = (1, 1, 1, 1, 0, 0, 0, -1, -1, -1)[(org + i) % EXAMPLE_BRANCH_SIZE]
            code = scored[max(0, min(len(scored) - 1, rank + shift))]
            disagreed = i % 5 == 0 and org % 2 == 0
            norms[norm_id] = result.model_copy(update={
                "consensus": code, "disagreement": disagreed,
                "spread": 2 if disagreed else min(result.spread or 0, 1)})
        cons = base.model_copy(update={"host": f"Organisatie {org}", "norms": norms,
                                       "assessment_id": f"2026-{org:03d}"})
        sources.append(Source(cons, "Ronde 2026"))
    return compute_benchmark([(catalogue, sources)], k=EXAMPLE_BRANCH_K)


def example_context(kind: DocumentKind, catalogue: Catalogue) -> dict[str, Any]:
    """The example fields of a document kind (what ``kwl templates context`` shows and
    ``kwl templates check`` renders), built by the kind's own field builder from the
    registry: a new kind needs no code here."""
    from kwl_office.documents.produce import DocumentInputs

    spec = spec_for(kind)
    inputs = DocumentInputs(catalogue=catalogue, organisation=EXAMPLE_HOST, today=EXAMPLE_DATE,
                            sender=EXAMPLE_SENDER)
    if spec.source == "self-evaluation":
        inputs.submission = example_selfevaluation(catalogue)
        return spec.field_builder()(inputs)
    if spec.source == "benchmark":
        inputs.benchmark = example_benchmark(catalogue)
        return spec.field_builder()(inputs)
    variant = Variant.PEER_REVIEW if spec.fits(Variant.PEER_REVIEW) and spec.outcome != \
        Advice.CERTIFICATE.value else Variant.AUDIT
    if spec.outcome == Advice.REASSESSMENT.value:
        variant = Variant.AUDIT  # an audit with blocking norms shows the reassessment best
    granted = spec.outcome in (Advice.REGISTRATION.value, Advice.CERTIFICATE.value)
    inputs.consolidation = example_consolidation(
        catalogue, variant, granted=granted and variant is Variant.AUDIT)
    inputs.charts = draw_charts(inputs.consolidation, catalogue)
    if spec.fields.endswith(":report_fields"):
        inputs.previous = example_comparison(catalogue, inputs.consolidation)
        inputs.benchmark = example_benchmark(catalogue)
    if spec.outcome is not None:
        inputs.decision = Decision(
            outcome=Advice(spec.outcome), advice=inputs.consolidation.advice,
            decided_on=EXAMPLE_DATE, number="KSW-2026-0042" if granted else "",
            granted_on=EXAMPLE_DATE if granted else None,
            valid_until=valid_until(EXAMPLE_DATE, 3) if granted else None)
    return spec.field_builder()(inputs)
