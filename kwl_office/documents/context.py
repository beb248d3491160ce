"""Template contexts: the fields a Word template can use, built from the stage models.

Field names are Dutch because the secretariat sees and edits them in the templates
(``{{ organisatie.naam }}``); :data:`kwl_office.texts_nl.FIELD_DOCS` documents them and
``kwl templates context`` shows them with example values. All text that comes
from workbooks is untrusted: control characters are stripped here, and the renderer escapes
it for XML (Jinja autoescape), so ``<``, ``&`` and ``{{`` appear literally.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office.assessment import Organisation, Submission, Verdict
from kwl_office.catalogue import Catalogue
from kwl_office.consolidation.history import Comparison, Direction, NormChange, reason_text
from kwl_office.consolidation.model import Advice, Consolidation, GroupSummary, NormResult
from kwl_office.documents.branch import position_context
from kwl_office.documents.charts import Chart, counts_chart, gap_chart
from kwl_office.documents.rule_texts import blocking_reasons, disagreement_wording, percent
from kwl_office.documents.sender import LetterSettings
from kwl_office.errors import InvalidArgument
from kwl_office.names import name_key

if TYPE_CHECKING:
    from kwl_office.documents.produce import DocumentInputs

Context = dict[str, Any]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str | None) -> str:
    """Untrusted text as it may appear in a document: no control characters (XML cannot hold
    them), Windows line ends made plain."""
    if not text:
        return ""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _number(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}".replace(".", ",")


@dataclass
class Decision:
    """What the beheercommissie decided, for a letter or certificate.

    ``outcome`` is what the letter says (registration, certificate or reassessment);
    ``advice`` what the assessment advised; they differ when the committee decided otherwise
    (``verdict``). ``decided_on`` is the day the committee decided, when known (without it,
    no letter says "besloot op"). A granted outcome has its register ``number``, the day it
    was granted and the last day it is valid, all from the register.
    """

    outcome: Advice
    advice: Advice | None = None
    verdict: Verdict | None = None
    decided_on: date | None = None
    number: str = ""
    granted_on: date | None = None
    valid_until: date | None = None

    @property
    def granted(self) -> bool:
        """True for a registration or certificate."""
        return self.outcome in (Advice.REGISTRATION, Advice.CERTIFICATE)

    @property
    def follows_advice(self) -> bool:
        """True when the outcome is what the assessment advised."""
        return self.outcome is self.advice


@dataclass
class ChartSet:
    """The charts of one consolidation, drawn once and reused by every document."""

    overview: Chart
    per_domain: dict[str, Chart] = field(default_factory=dict)
    gap: Chart | None = None


def draw_charts(consolidation: Consolidation, catalogue: Catalogue) -> ChartSet:
    """Draw the consolidation's charts (overview, one per domain, self-vs-peer gap)."""
    overview = counts_chart(
        [(s.title, s.counts) for s in consolidation.domains.values()], catalogue.scale)
    per_domain = {}
    for domain in catalogue.domains:
        if domain.id not in consolidation.domains:
            continue
        groups = [(f"{v.id} {v.title}", consolidation.quality_values[v.id].counts)
                  for v in domain.quality_values if v.id in consolidation.quality_values]
        per_domain[domain.id] = counts_chart(groups, catalogue.scale, width_mm=150)
    gap = None
    if consolidation.self_evaluation:
        means: list[tuple[str, float | None, float | None]] = []
        for domain_id, summary in consolidation.domains.items():
            own = [s for r in consolidation.norms.values() if r.domain_id == domain_id
                   and (s := _score(catalogue, r.self_rating)) is not None]
            means.append((summary.title, statistics.fmean(own) if own else None,
                          summary.mean_score))
        top = max((lv.score for lv in catalogue.scale if lv.score is not None), default=1)
        # what the bars of the reviewers are: an audit's eindoordeel, a peer review's
        # consensus, or with one collega-organisatie her own judgement
        peer = ("audit" if consolidation.variant.is_audit
                else "many" if len(consolidation.reviewers) > 1 else "one")
        gap = gap_chart(means, self_label=T.DOC_GAP_SELF, peer_label=T.DOC_GAP_PEER[peer],
                        max_score=top)
    return ChartSet(overview=overview, per_domain=per_domain, gap=gap)


def _score(catalogue: Catalogue, code: str | None) -> int | None:
    level = catalogue.rating_scale.by_code.get(code or "")
    return level.score if level else None


def _label(catalogue: Catalogue, code: str | None) -> str:
    level = catalogue.rating_scale.by_code.get(code or "")
    return level.label if level else T.DOC_OPEN


def _colour(catalogue: Catalogue, code: str | None) -> str:
    level = catalogue.rating_scale.by_code.get(code or "")
    return level.colour if level else "FFFFFF"


# --- common parts ----------------------------------------------------------------------------


def _organisation(org: Organisation) -> Context:
    return {
        "naam": clean(org.name),
        "contactpersoon": clean(org.contact),
        "adresregels": [clean(line) for line in org.address if clean(line)],
    }


def _scope(scope: str) -> str:
    """The scope as a sentence can use it: "hele organisatie" (as the manifest may say) and
    an empty scope both become "de hele organisatie"."""
    text = clean(scope)
    words = text.lower().removeprefix("de ").replace("gehele", "hele").replace("volledige", "hele")
    return T.DOC_WHOLE_ORGANISATION if not text or words == "hele organisatie" else text


def _sender(settings: LetterSettings | None) -> Context:
    settings = settings or LetterSettings()
    sender, signatory = settings.secretariaat, settings.ondertekenaar
    return {
        "afzender": {"naam": clean(sender.naam),
                     "adresregels": [clean(line) for line in sender.address_lines],
                     "telefoon": clean(sender.telefoon), "email": clean(sender.email),
                     "website": clean(sender.website)},
        "ondertekenaar": {"naam": clean(signatory.naam), "functie": clean(signatory.functie)},
    }


def _catalogue(catalogue: Catalogue) -> Context:
    return {"titel": catalogue.title, "versie": catalogue.version,
            "voorbeeld": catalogue.is_example}


def _assessment(c: Consolidation) -> Context:
    if not c.reviewers:
        # a report or letter names its reviewers ("De toetsing is uitgevoerd door …") and
        # their judgements: without one counting review there is nothing true to put there
        raise InvalidArgument(T.DOC_NO_REVIEWERS.format(assessment=c.assessment_id))
    return {
        "nummer": c.assessment_id,
        "variant": T.VARIANT_LABELS[c.variant.value],
        "variant_code": c.variant.value,
        # the variant inside a sentence: "de externe audit", "een combinatietoets HKZ/ISO …"
        "vorm": T.DOC_VARIANT_FORMS[c.variant.value],
        "scope": _scope(c.scope),
        "beoordelaars": [clean(r) for r in c.reviewers],
        "beoordelaars_tekst": dutch.join(clean(r) for r in c.reviewers),
        "zelfevaluatie": c.self_evaluation,
    }


def _advice(c: Consolidation) -> Context:
    code = c.advice.value if c.advice else ""
    return {"code": code,
            "tekst": T.ADVICE_LABELS.get(code, T.NO_ADVICE),
            "uitleg": T.DOC_ADVICE_EXPLANATION.get(code, "")}


def _alpha(alpha: float | None, reason: str | None) -> tuple[str, str]:
    """Alpha as a table shows it, and why it is missing: "–" (a short cell that never
    breaks, also in the widest fallback font) with the reason for the note below."""
    if alpha is not None:
        return _number(alpha), ""
    return "–", T.DOC_ALPHA_REASONS.get(reason or "", T.DOC_ALPHA_REASONS["te-weinig-paren"])


def _norm_line(catalogue: Catalogue, result: NormResult) -> Context:
    domain, value, norm = catalogue.norm_index[result.norm_id]
    return {"norm": norm.id, "tekst": norm.text, "domein": domain.title,
            "kwaliteitswaarde": f"{value.id} {value.title}"}


# --- reports (learning report, audit report) ---------------------------------------------------


def report_context(
    consolidation: Consolidation, catalogue: Catalogue, *, organisation: Organisation,
    charts: ChartSet, today: date, previous: Comparison | None = None,
) -> Context:
    """Context of ``leerrapport.docx`` and ``auditrapport.docx``; ``previous`` is the
    comparison with the organisation's previous assessment ("Sinds de vorige keer")."""
    c = consolidation
    domains = []
    for domain_id, summary in c.domains.items():
        results = [r for r in c.norms.values() if r.domain_id == domain_id]
        domains.append(_domain(catalogue, domain_id, summary, results, charts))
    strengths, lessons, remarks, disagreements = [], [], [], []
    for result in c.norms.values():
        line = _norm_line(catalogue, result)
        # what a team said together (shared team workbook) comes before each reviewer
        for response in [*result.team, *result.responses]:
            who = clean(response.reviewer)
            if clean(response.strengths):
                strengths.append({**line, "beoordelaar": who, "tekst_punt": clean(
                    response.strengths)})
            if clean(response.learning_points):
                lessons.append({**line, "beoordelaar": who, "tekst_punt": clean(
                    response.learning_points)})
            if response in result.team:
                continue  # no rating of its own: not a reviewer's remark
            if clean(response.comment) or clean(response.strengths) or clean(
                    response.learning_points):
                remarks.append({**line, "beoordelaar": who,
                                "oordeel": _label(catalogue, response.rating),
                                "bevindingen": clean(response.comment),
                                "sterke_punten": clean(response.strengths),
                                "leerpunten": clean(response.learning_points)})
        if result.disagreement or result.overridden:
            disagreements.append({
                **line,
                "oordelen": "; ".join(f"{clean(r)}: {_label(catalogue, code)}"
                                      for r, code in result.ratings.items()),
                "berekend": _label(catalogue, result.computed),
                "consensus": _label(catalogue, result.consensus),
                "aangepast": result.overridden,
                "motivering": clean(result.motivation),
            })
    higher: list[Context] = []
    lower: list[Context] = []
    for result in c.norms.values():
        if result.gap:
            item = {**_norm_line(catalogue, result), "zelf": _label(catalogue, result.self_rating),
                    "consensus": _label(catalogue, result.consensus), "verschil": result.gap,
                    "kleur": _colour(catalogue, result.consensus),
                    "zelf_kleur": _colour(catalogue, result.self_rating)}
            (higher if result.gap > 0 else lower).append(item)
    blocking = [{**_norm_line(catalogue, c.norms[n]),
                 "consensus": _label(catalogue, c.norms[n].consensus),
                 "kleur": _colour(catalogue, c.norms[n].consensus)}
                for n in c.blocking_norms if n in c.norms]
    overall = c.overall
    wording = disagreement_wording(catalogue)
    alpha, alpha_reason = _alpha(c.agreement.alpha, c.agreement.reason)
    return {
        "organisatie": _organisation(organisation),
        "toetsing": _assessment(c),
        "datum": T.format_date(today),
        "normenkader": _catalogue(catalogue),
        "advies": _advice(c),
        "onvolledig": [clean(item) for item in c.missing_inputs],
        "samenvatting": {
            "normen": overall.norms,
            # norms with a (final) judgement and without one: "per norm" only when none is open
            "beoordeeld": overall.norms - overall.open,
            "open": overall.open,
            "voldoet_pct": percent(overall.share_met),
            "gemiddelde": _number(overall.mean_score),
            "verschillen": overall.disagreements,
            # what the consensus meeting changed: an Eindoordeel with its motivation. None
            # (0) and the report says the consensus is computed, not that a meeting set it
            "bijgesteld": sum(1 for r in c.norms.values() if r.overridden),
            # agreement between reviewers exists only where two or more of them rated
            # what counts as a difference, from the catalogue's threshold
            "verschil_uitleg": wording["uitleg"],
            "verschil_zin": wording["zin"],
            "verschil_kleiner": wording["kleiner"],
            "overeenstemming": c.has_agreement,
            "alfa": alpha,
            "alfa_reden": alpha_reason,
            "overeenstemming_pct": percent(c.agreement.percent_agreement),
        },
        "grafiek_domeinen": charts.overview,
        "grafiek_kloof": charts.gap,
        "domeinen": domains,
        "sterke_punten": strengths,
        "leerpunten": lessons,
        "verschillen": disagreements,
        "kloof": {"hoger": higher, "lager": lower},
        "blokkerend": blocking,
        "redenen": blocking_reasons(c, catalogue),
        "vervolgstappen": list(T.DOC_NEXT_STEPS.get(c.advice.value if c.advice else "", [])),
        "opmerkingen": remarks,
        "vorige": since_context(previous, c, catalogue),
    }


def _domain(catalogue: Catalogue, domain_id: str, summary: GroupSummary,
            results: Sequence[NormResult], charts: ChartSet) -> Context:
    counts = summary.counts
    alpha, alpha_reason = _alpha(summary.alpha, summary.alpha_reason)
    return {
        "id": domain_id,
        "titel": summary.title,
        "aantal": summary.norms,
        "aantallen": [{"label": lv.label, "aantal": counts.get(lv.code, 0), "kleur": lv.colour}
                      for lv in catalogue.scale],
        "open": summary.open,
        "voldoet_pct": percent(summary.share_met),
        "gemiddelde": _number(summary.mean_score),
        "verschillen": summary.disagreements,
        "alfa": alpha,
        "alfa_reden": alpha_reason,
        "grafiek": charts.per_domain.get(domain_id),
        "normen": [
            {
                **_norm_line(catalogue, r),
                "consensus": _label(catalogue, r.consensus),
                "consensus_code": r.consensus or "",
                "kleur": _colour(catalogue, r.consensus),
                "oordelen": "\n".join(f"{clean(who)}: {_label(catalogue, code)}"
                                      for who, code in r.ratings.items()),
                "zelf": _label(catalogue, r.self_rating) if r.self_rating else "–",
                "verschil": r.disagreement,
                "aangepast": r.overridden,
            }
            for r in results
        ],
    }


# --- since last time (the comparison with the previous assessment) ---------------------------


def since_context(comparison: Comparison | None, consolidation: Consolidation,
                  catalogue: Catalogue) -> Context:
    """The "Sinds de vorige keer" fields; empty (so the section is left out) without a
    previous assessment. Per changed norm: previous → current, the improvement action the
    organisation wrote last time and what the reviewers found now."""
    if comparison is None:
        return {}
    changed = [_changed_norm(n, consolidation, catalogue) for n in comparison.norms
               if n.direction in (Direction.BETTER, Direction.WORSE)]
    return {
        "sinds": clean(comparison.since),
        "toetsing": comparison.previous_assessment_id,
        # the previous assessment's variant when it was another one: "Vorige keer" next to
        # an audit's eindoordeel may be the consensus of collega-organisaties
        "vorm_toen": (T.DOC_VARIANT_FORMS[comparison.previous_variant.value]
                      if comparison.previous_variant is not None
                      and comparison.previous_variant is not consolidation.variant else ""),
        "naam_toen": (clean(comparison.previous_host) if comparison.previous_host
                      and name_key(comparison.previous_host) != name_key(comparison.host)
                      else ""),
        "normenkader": comparison.previous_catalogue,
        "via_mapping": comparison.through_mapping,
        "samenvatting": comparison.summary,
        "domeinen": [{
            "titel": d.title, "aantal": d.norms, "vergeleken": d.compared,
            "vorige_pct": percent(d.previous_share_met), "nu_pct": percent(d.current_share_met),
            "beter": d.better, "gelijk": d.same, "slechter": d.worse,
            "richting": T.HIST_DIRECTION[d.direction.value]} for d in comparison.domains],
        "gewijzigd": changed,
        "niet_vergelijkbaar": [{"norm": n.norm_id, "reden": reason_text(n)}
                               for n in comparison.norms if not n.comparable],
        "vervallen": list(comparison.removed),
    }


def _changed_norm(change: NormChange, consolidation: Consolidation,
                  catalogue: Catalogue) -> Context:
    result = consolidation.norms[change.norm_id]
    found = []
    for response in [*result.team, *result.responses]:
        text = " ".join(part for part in (clean(response.comment), clean(
            response.learning_points)) if part)
        if text:
            found.append({"beoordelaar": clean(response.reviewer), "tekst": text})
    return {
        **_norm_line(catalogue, result),
        "oordeel_toen": _label(catalogue, change.previous),
        "kleur_toen": _colour(catalogue, change.previous),
        "oordeel_nu": _label(catalogue, change.current),
        "kleur": _colour(catalogue, change.current),
        "richting": T.HIST_DIRECTION[change.direction.value],
        "verbeteractie": clean(change.previous_improvements),
        "nu_gevonden": found,
    }


# --- feedback on a self-evaluation -----------------------------------------------------------


def feedback_context(
    submission: Submission, catalogue: Catalogue, *, organisation: Organisation, today: date,
) -> Context:
    """Context of ``zelfevaluatie-feedback.docx`` from a filled self-evaluation alone."""
    ident = submission.identity
    top = max((lv for lv in catalogue.scale if lv.score is not None),
              key=lambda lv: lv.score or 0)
    domains: list[Context] = []
    groups: list[tuple[str, dict[str, int]]] = []
    accents: list[Context] = []
    open_norms: list[Context] = []
    to_do: list[Context] = []
    for domain in catalogue.domains:
        norms = [n for n in domain.norms() if n.id in submission.responses]
        if not norms:
            continue
        counts = {lv.code: 0 for lv in catalogue.scale}
        unrated = 0
        for norm in norms:
            response = submission.responses[norm.id]
            _, value, _ = catalogue.norm_index[norm.id]
            line = {"norm": norm.id, "tekst": norm.text, "domein": domain.title,
                    "kwaliteitswaarde": f"{value.id} {value.title}",
                    "oordeel": _label(catalogue, response.rating),
                    "onderbouwing": clean(response.comment),
                    "verbeteracties": clean(response.improvements)}
            if response.rating in counts:
                counts[response.rating] += 1
            else:
                unrated += 1
                open_norms.append(line)
            if response.accent:
                accents.append(line)
            score = _score(catalogue, response.rating)
            if score is not None and score < (top.score or 0):
                to_do.append(line)
        applicable = sum(v for k, v in counts.items() if _score(catalogue, k) is not None)
        domains.append({
            "titel": domain.title, "aantal": len(norms), "open": unrated,
            "beoordeeld": len(norms) - unrated,
            "aantallen": [{"label": lv.label, "aantal": counts[lv.code], "kleur": lv.colour}
                          for lv in catalogue.scale],
            "voldoet_pct": percent(counts[top.code] / applicable if applicable else None),
        })
        groups.append((domain.title, counts))
    total = sum(int(d["aantal"]) for d in domains)
    rated = sum(int(d["beoordeeld"]) for d in domains)
    return {
        "organisatie": _organisation(organisation),
        "toetsing": {"nummer": ident.assessment_id if ident else "–"},
        "datum": T.format_date(today),
        "normenkader": _catalogue(catalogue),
        "samenvatting": {"normen": total, "beoordeeld": rated, "open": total - rated,
                         "accenten": len(accents), "te_doen": len(to_do)},
        "grafiek_domeinen": counts_chart(groups, catalogue.scale),
        "domeinen": domains,
        "accenten": accents,
        "open_normen": open_norms,
        "te_doen": to_do,
        "vervolgstappen": list(T.DOC_FEEDBACK_NEXT_STEPS),
    }


# --- letters and certificate -----------------------------------------------------------------


def letter_context(
    consolidation: Consolidation, catalogue: Catalogue, *, organisation: Organisation,
    decision: Decision, today: date, sender: LetterSettings | None = None,
) -> Context:
    """Context of the letters and of ``certificaat.docx``; ``sender`` is the secretariat and
    the signatory from the round settings.

    Every statement is true by construction: a granted decision carries its register number
    (the caller looked it up, :func:`kwl_office.documents.produce.with_register_entry`), the
    letter says when the committee departed from the advice, and it names the day of the
    decision only when that day is known.
    """
    c = consolidation
    blocking = [{**_norm_line(catalogue, c.norms[n]),
                 "consensus": _label(catalogue, c.norms[n].consensus),
                 "kleur": _colour(catalogue, c.norms[n].consensus)}
                for n in c.blocking_norms if n in c.norms]
    what = T.DOC_WHAT_CERTIFICATE if c.variant.is_audit else T.DOC_WHAT_REGISTRATION
    facts = {"nummer": c.assessment_id, "vorm": T.DOC_VARIANT_FORMS[c.variant.value],
             "advies": T.ADVICE_LABELS.get(decision.advice.value if decision.advice else "",
                                           T.NO_ADVICE).lower()}
    basis = (T.DOC_DECISION_FOLLOWS if decision.follows_advice
             else T.DOC_DECISION_DEPARTS).format(**facts)
    # the same, in a letter that has just named the assessment and its advice
    basis_short = (T.DOC_DECISION_FOLLOWS_SHORT if decision.follows_advice
                   else T.DOC_DECISION_DEPARTS_SHORT).format(**facts)
    return {
        "organisatie": _organisation(organisation),
        **_sender(sender),
        "aanhef": dutch.salutation(clean(organisation.contact)),
        "toetsing": _assessment(c),
        "datum": T.format_date(today),
        "normenkader": _catalogue(catalogue),
        "advies": _advice(c),
        "onvolledig": [clean(item) for item in c.missing_inputs],
        "besluit": {
            "code": decision.outcome.value,
            "tekst": T.ADVICE_LABELS.get(decision.outcome.value, ""),
            "nummer": decision.number,
            "datum": T.format_date(decision.granted_on or decision.decided_on or today),
            "datum_besluit": T.format_date(decision.decided_on) if decision.decided_on else "",
            "volgt_advies": decision.follows_advice,
            "grondslag": basis,
            "grondslag_kort": basis_short,
            "soort": what,
            "geldig_tot": T.format_date(decision.valid_until) if decision.valid_until else "–",
        },
        "blokkerend": blocking,
        "redenen": blocking_reasons(c, catalogue),
        "vervolgstap": (T.DOC_REASSESSMENT_NEXT_STEP if c.variant.is_audit
                        else T.DOC_REASSESSMENT_NEXT_STEP_PEER).format(
                            norms=T.DOC_NEXT_STEP_NORMS[min(len(blocking), 2)]),
    }


# --- the field builders the document registry names -----------------------------------------


def report_fields(inputs: DocumentInputs) -> Context:
    """Fields of the learning and audit reports (charts drawn here when not given)."""
    assert inputs.consolidation is not None
    charts = inputs.charts or draw_charts(inputs.consolidation, inputs.catalogue)
    fields = report_context(inputs.consolidation, inputs.catalogue,
                            organisation=inputs.organisation, charts=charts, today=inputs.today,
                            previous=inputs.previous)
    # the position against the branch ("Positie in de branche"), when a benchmark is given
    fields["branche"] = position_context(inputs.consolidation, inputs.catalogue,
                                         inputs.benchmark)
    return fields


def letter_fields(inputs: DocumentInputs) -> Context:
    """Fields of the letters and the certificate."""
    assert inputs.consolidation is not None and inputs.decision is not None
    return letter_context(inputs.consolidation, inputs.catalogue,
                          organisation=inputs.organisation, decision=inputs.decision,
                          today=inputs.today, sender=inputs.sender)


def feedback_fields(inputs: DocumentInputs) -> Context:
    """Fields of the feedback on a self-evaluation."""
    assert inputs.submission is not None
    return feedback_context(inputs.submission, inputs.catalogue,
                            organisation=inputs.organisation, today=inputs.today)
