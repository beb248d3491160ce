"""Krippendorff's ordinal alpha: the published worked example, a brute-force oracle, edge cases.

The oracle below is written from the definition (pairs of values, not the coincidence
matrix the implementation uses), so the two only agree when both are right.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwl_office.consolidation.agreement import REASON_NO_VARIATION, REASON_TOO_FEW, ordinal_alpha
from tests.helpers import examples

# --- Krippendorff (2011), Computing Krippendorff's Alpha-Reliability, section C ----------------

_: None = None
KRIPPENDORFF_CODERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
]


def units_from_coders(coders: Sequence[Sequence[int | None]]) -> list[list[int]]:
    """Coders × units with missing values → one list of present values per unit."""
    return [[v for row in coders if (v := row[u]) is not None] for u in range(len(coders[0]))]


def test_krippendorff_published_example() -> None:
    result = ordinal_alpha(units_from_coders(KRIPPENDORFF_CODERS))
    assert result.alpha == pytest.approx(0.815, abs=5e-4)
    assert result.reason is None
    assert result.pairable_units == 11
    assert result.pairable_values == 40


def test_krippendorff_example_percent_agreement() -> None:
    # units 1, 3, 4, 5, 7, 9, 10 and 11 are unanimous; 2, 6 and 8 are not (unit 12 unpaired)
    result = ordinal_alpha(units_from_coders(KRIPPENDORFF_CODERS))
    assert result.percent_agreement == pytest.approx(8 / 11)


# --- brute-force oracle ------------------------------------------------------------------------


def oracle(units: Sequence[Sequence[int]]) -> tuple[float | None, float | None, int, int]:
    """(alpha, percent agreement, pairable units, pairable values) straight from the definition.

    alpha = 1 − D_o / D_e, with D_o the mean distance over ordered pairs of values within a
    unit (each pair weighted 1/(m_u − 1)), D_e the mean distance over all n(n − 1) ordered
    pairs of pairable values, and the ordinal metric built from the value frequencies.
    alpha is None when undefined (n < 2 or D_e = 0).
    """
    pairable = [list(u) for u in units if len(u) >= 2]
    values = [v for u in pairable for v in u]
    n = len(values)
    percent = (sum(len(set(u)) == 1 for u in pairable) / len(pairable)) if pairable else None
    freq = Counter(values)

    def delta2(c: int, k: int) -> float:
        lo, hi = min(c, k), max(c, k)
        between = sum(freq[g] for g in range(lo, hi + 1))
        return (between - (freq[c] + freq[k]) / 2) ** 2

    if n < 2:
        return None, percent, len(pairable), n
    observed = 0.0
    for unit in pairable:
        m = len(unit)
        for i in range(m):
            for j in range(m):
                if i != j:
                    observed += delta2(unit[i], unit[j]) / (m - 1)
    observed /= n
    expected = 0.0
    for i in range(n):
        for j in range(n):
            if i != j:
                expected += delta2(values[i], values[j])
    expected /= n * (n - 1)
    if expected == 0:
        return None, percent, len(pairable), n
    return 1 - observed / expected, percent, len(pairable), n


def test_oracle_reproduces_published_example() -> None:
    # the oracle itself must be right before it can judge the implementation
    alpha, _, units, values = oracle(units_from_coders(KRIPPENDORFF_CODERS))
    assert alpha == pytest.approx(0.815, abs=5e-4)
    assert (units, values) == (11, 40)


UNITS = st.lists(st.lists(st.integers(min_value=0, max_value=2), min_size=0, max_size=5),
                 min_size=1, max_size=30)


@settings(deadline=None, max_examples=examples(300), derandomize=True)
@given(units=UNITS)
def test_alpha_matches_brute_force_oracle(units: list[list[int]]) -> None:
    expected_alpha, expected_percent, expected_units, expected_values = oracle(units)
    result = ordinal_alpha(units)
    assert result.pairable_units == expected_units
    assert result.pairable_values == expected_values
    if expected_percent is None:
        assert result.percent_agreement is None
    else:
        assert result.percent_agreement == pytest.approx(expected_percent, abs=1e-12)
    if expected_alpha is None:
        assert result.alpha is None
        assert result.reason in (REASON_TOO_FEW, REASON_NO_VARIATION)
    else:
        assert result.alpha is not None
        assert result.reason is None
        assert abs(result.alpha - expected_alpha) <= 1e-9


@settings(deadline=None, max_examples=examples(200), derandomize=True)
@given(units=UNITS)
def test_alpha_is_never_nan(units: list[list[int]]) -> None:
    result = ordinal_alpha(units)
    assert result.alpha is None or math.isfinite(result.alpha)
    assert (result.alpha is None) == (result.reason is not None)
    assert "NaN" not in result.model_dump_json()


# --- undefined and extreme cases ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("units", "reason", "pairable_units", "pairable_values"),
    [
        pytest.param([], REASON_TOO_FEW, 0, 0, id="no-units"),
        pytest.param([[]], REASON_TOO_FEW, 0, 0, id="empty-unit"),
        pytest.param([[1]], REASON_TOO_FEW, 0, 0, id="one-value"),
        pytest.param([[0], [1], [2]], REASON_TOO_FEW, 0, 0, id="no-pairable-values"),
        pytest.param([[2, 2]], REASON_NO_VARIATION, 1, 2, id="one-pair-equal"),
        pytest.param([[1, 1], [1, 1, 1], [2]], REASON_NO_VARIATION, 2, 5, id="all-equal"),
    ],
)
def test_undefined_alpha_is_none_with_reason(units: list[list[int]], reason: str,
                                             pairable_units: int, pairable_values: int) -> None:
    result = ordinal_alpha(units)
    assert result.alpha is None
    assert result.reason == reason
    assert result.pairable_units == pairable_units
    assert result.pairable_values == pairable_values


def test_percent_agreement_is_share_of_unanimous_pairable_units() -> None:
    # pairable: [1,1] yes, [1,2] no, [0,0,0] yes, [2,2,1] no; [2] and [] are not pairable
    result = ordinal_alpha([[1, 1], [1, 2], [0, 0, 0], [2, 2, 1], [2], []])
    assert result.percent_agreement == 0.5
    assert result.pairable_units == 4


def test_percent_agreement_is_none_without_pairable_units() -> None:
    assert ordinal_alpha([[1], [2]]).percent_agreement is None
    assert ordinal_alpha([]).percent_agreement is None


def test_percent_agreement_is_defined_when_alpha_is_not() -> None:
    result = ordinal_alpha([[1, 1], [1, 1]])
    assert result.alpha is None
    assert result.percent_agreement == 1.0


def test_perfect_agreement_with_variation_is_one() -> None:
    result = ordinal_alpha([[0, 0], [1, 1, 1], [2, 2], [2, 2, 2, 2], [1]])
    assert result.alpha == 1.0
    assert result.reason is None
    assert result.percent_agreement == 1.0


def test_systematic_disagreement_is_below_zero() -> None:
    # every unit holds both extremes: observed disagreement exceeds what chance would give
    result = ordinal_alpha([[0, 2], [2, 0], [0, 2]])
    assert result.alpha is not None
    assert result.alpha < 0


def test_unit_order_and_value_order_do_not_matter() -> None:
    units = units_from_coders(KRIPPENDORFF_CODERS)
    shuffled = [list(reversed(u)) for u in reversed(units)]
    assert ordinal_alpha(shuffled).alpha == pytest.approx(ordinal_alpha(units).alpha, abs=1e-12)
