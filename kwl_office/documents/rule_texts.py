"""How the label's rules are said in documents: why norms block a certificate, what counts as
a "verschil van inzicht" under a catalogue, each with the catalogue's own levels and figures
(used by :mod:`kwl_office.documents.context` for reports and letters)."""

from __future__ import annotations

from typing import Any

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office.catalogue import Catalogue, ScaleRole
from kwl_office.consolidation.model import Consolidation


def percent(value: float | None) -> str:
    """A share as a document shows it: "38%", "–" when there is none."""
    return "–" if value is None else f"{value * 100:.0f}%"


def blocking_reasons(consolidation: Consolidation, catalogue: Catalogue) -> list[str]:
    """Why the blocking norms block, each rule with its actual figures: a norm rated as not
    met, or a domain with more than ``policy.max_partly_share`` of its applicable norms
    rated partly met ("In het domein Dienstverlening hebben 6 van de 16 normen het oordeel
    ‘Voldoet deels’ (38%); de grens is 25% per domein.")."""
    c, scale = consolidation, catalogue.rating_scale
    blocking = [n for n in c.blocking_norms if n in c.norms]
    reasons = []
    not_met = [n for n in blocking if scale.role(c.norms[n].consensus) is ScaleRole.NOT_MET]
    if not_met:
        reasons.append(T.DOC_REASON_NOT_MET.format(
            count=dutch.count(len(not_met), "norm"), have=have(len(not_met)),
            label=role_label(catalogue, ScaleRole.NOT_MET), norms=dutch.join(not_met)))
    limit = catalogue.policy.max_partly_share
    partly_codes = scale.codes(ScaleRole.PARTLY)
    for summary in c.domains.values():
        if summary.share_partly is None or summary.share_partly <= limit:
            continue
        partly = sum(summary.counts.get(code, 0) for code in partly_codes)
        total = (T.DOC_REASON_ALL_NORMS if summary.applicable == summary.norms
                 else T.DOC_REASON_APPLICABLE_NORMS).format(count=summary.applicable)
        reasons.append(T.DOC_REASON_PARTLY.format(
            domain=summary.title, have=have(partly), count=partly, total=total,
            label=role_label(catalogue, ScaleRole.PARTLY), share=percent(summary.share_partly),
            limit=percent(limit)))
    return reasons


def disagreement_wording(catalogue: Catalogue) -> dict[str, Any]:
    """What a "verschil van inzicht" is under this catalogue, said with its own levels: a
    norm counts when the reviewers' scores lie ``policy.disagreement_spread`` or more apart
    (default 2: ‘Voldoet’ against ‘Voldoet niet’), so a report never calls a smaller
    difference agreement or a count of far-apart norms "oneens".

    ``uitleg`` ends "normen waarover …" (the legend), ``zin`` follows "Bij deze normen …",
    ``kleiner`` is the sentence that a smaller difference does not count ("" when every
    difference counts)."""
    spread = catalogue.policy.disagreement_spread
    scored = sorted((lv for lv in catalogue.scale if lv.score is not None),
                    key=lambda lv: lv.score or 0, reverse=True)
    top = scored[0] if scored else None
    far = [lv for lv in scored if top and top.score is not None and lv.score is not None
           and top.score - lv.score >= spread]
    near = [lv for lv in scored[1:] if lv not in far]
    if top is None or not far:
        # a threshold wider than the scale: no norm can ever count, the rule said as it is
        return {"uitleg": T.DOC_DISAGREEMENT_POINTS_LEGEND.format(spread=spread),
                "zin": T.DOC_DISAGREEMENT_POINTS_CLAUSE.format(spread=spread),
                "kleiner": ""}
    example = T.DOC_DISAGREEMENT_EXAMPLE.format(high=top.label, low=far[0].label)
    # "ver uiteen" only when a smaller difference exists that does not count
    form = "far" if near else "any"
    return {"uitleg": T.DOC_DISAGREEMENT_LEGEND[form].format(example=example),
            "zin": T.DOC_DISAGREEMENT_CLAUSE[form].format(example=example),
            "kleiner": T.DOC_DISAGREEMENT_SMALLER.format(
                example=T.DOC_DISAGREEMENT_EXAMPLE.format(high=top.label, low=near[0].label))
            if near else ""}


def have(count: int) -> str:
    """The verb after a count: "1 norm heeft", "3 normen hebben"."""
    return "heeft" if count == 1 else "hebben"


def role_label(catalogue: Catalogue, role: ScaleRole) -> str:
    """The label of the first level of the scale with ``role`` ('Voldoet niet')."""
    return next((lv.label for lv in catalogue.scale if lv.role is role), role.value)
