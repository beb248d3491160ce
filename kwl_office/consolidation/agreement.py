"""Agreement between reviewers: Krippendorff's alpha (ordinal) and percent agreement.

Our own implementation (the ``krippendorff`` package is GPL). Data are *units* (norms), each
with the values the reviewers gave; a missing rating or *n.v.t.* is simply absent. Alpha is
computed from the coincidence matrix as in Krippendorff, *Computing Krippendorff's
Alpha-Reliability* (2011), with the ordinal distance

    δ²(c, k) = (Σ_{g=c..k} n_g − (n_c + n_k) / 2)²

where n_g counts how often value g occurs among the pairable values. Alpha is undefined when
fewer than two pairable values exist or when all pairable values are equal (no variation):
then ``alpha`` is None and ``reason`` says why — never NaN.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations

from pydantic import BaseModel, ConfigDict

REASON_TOO_FEW = "te-weinig-paren"
REASON_NO_VARIATION = "geen-variatie"


class Agreement(BaseModel):
    """Agreement statistics over a set of units (norms)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Krippendorff's alpha for ordinal data, or None when undefined
    alpha: float | None
    #: why alpha is None: ``te-weinig-paren`` or ``geen-variatie``
    reason: str | None = None
    #: share of pairable units on which all reviewers gave the same value (None: no units)
    percent_agreement: float | None
    #: units with at least two values
    pairable_units: int
    #: pairable values (the n of the coincidence matrix)
    pairable_values: int


def ordinal_alpha(units: Iterable[Sequence[int]]) -> Agreement:
    """Krippendorff's ordinal alpha and percent agreement over ``units``.

    Each unit is the sequence of (integer, ordered) values the reviewers gave to one norm,
    missing values left out. Units with fewer than two values are not pairable.
    """
    pairable = [list(u) for u in units if len(u) >= 2]
    n_units = len(pairable)
    agreeing = sum(1 for u in pairable if len(set(u)) == 1)
    percent = agreeing / n_units if n_units else None

    coincidence: defaultdict[tuple[int, int], float] = defaultdict(float)
    for unit in pairable:
        weight = 1.0 / (len(unit) - 1)
        for i, c in enumerate(unit):
            for j, k in enumerate(unit):
                if i != j:
                    coincidence[(c, k)] += weight
    totals: defaultdict[int, float] = defaultdict(float)
    for (c, _), count in coincidence.items():
        totals[c] += count
    n = sum(totals.values())
    n_values = round(n)
    if n_values < 2:
        return Agreement(alpha=None, reason=REASON_TOO_FEW, percent_agreement=percent,
                         pairable_units=n_units, pairable_values=n_values)
    if len(totals) < 2:
        return Agreement(alpha=None, reason=REASON_NO_VARIATION, percent_agreement=percent,
                         pairable_units=n_units, pairable_values=n_values)

    values = sorted(totals)
    position = {v: i for i, v in enumerate(values)}
    cumulative = [0.0]
    for v in values:
        cumulative.append(cumulative[-1] + totals[v])

    def distance(c: int, k: int) -> float:
        lo, hi = sorted((position[c], position[k]))
        between = cumulative[hi + 1] - cumulative[lo]
        return float((between - (totals[c] + totals[k]) / 2) ** 2)

    observed = sum(count * distance(c, k) for (c, k), count in coincidence.items())
    expected = sum(totals[c] * totals[k] * distance(c, k)
                   for c, k in combinations(values, 2)) * 2 / (n - 1)
    alpha = 1.0 - observed / expected
    return Agreement(alpha=alpha, percent_agreement=percent, pairable_units=n_units,
                     pairable_values=n_values)
