"""Consolidation: the rules of ``kwl_office.consolidation.rules`` as properties and worked examples.

The property tests build submissions as models (fast); the input-check tests make every
finding from real generated, filled and read-back workbooks. Expected values in the example
tests are computed by hand from the module docstring's rules and the example catalogue's
scale (V 2, D 1, N 0, NVT no score) and policy (spread 2, 2 reviewers, share 0.25).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwl_office.assessment import (
    Assessment,
    Identity,
    Kind,
    NormResponse,
    Submission,
    Variant,
)
from kwl_office.catalogue import Catalogue, load_example_catalogue
from kwl_office.consolidation.model import Advice, Consolidation, Override
from kwl_office.consolidation.rules import consolidate
from kwl_office.excel.reader import read_workbook
from tests.helpers import (
    ASSESSMENT,
    HOST,
    KEY,
    REVIEWER,
    examples,
    fill,
    fill_all,
    generate,
    generate_as_signed,
)

EXAMPLE = load_example_catalogue()
NORM_IDS = [n.id for n in EXAMPLE.norms()]
SCORE = {"V": 2, "D": 1, "N": 0}
ALPHA = "Buurtwerk Alfa (fictief)"
BETA = "Welzijn Bèta (fictief)"
GAMMA = "Sociaal Werk Gamma (fictief)"
DELTA = "Wijkteam Delta (fictief)"
EPSILON = "Stichting Epsilon (fictief)"
POOL = [ALPHA, BETA, GAMMA, DELTA, EPSILON]

PROPERTY = settings(deadline=None, derandomize=True)


# --- factories ---------------------------------------------------------------------------------


def make_identity(catalogue: Catalogue, *, kind: Kind = Kind.PEER, reviewer: str = "",
                  assessment_id: str = ASSESSMENT, host: str = HOST,
                  workbook_id: str = "wb-1") -> Identity:
    """A valid identity as the writer would issue it (the signature is not checked here)."""
    return Identity(
        layout_version=1,
        kind=kind,
        workbook_id=workbook_id,
        assessment_id=assessment_id,
        host=host,
        reviewer=reviewer,
        catalogue_id=catalogue.id,
        catalogue_version=catalogue.version,
        catalogue_fingerprint=catalogue.fingerprint,
        issued_at="2026-03-01T09:00:00",
        tool_version="test",
        signature="x",
    )


def make_submission(catalogue: Catalogue, reviewer: str, ratings: Mapping[str, str | None], *,
                    kind: Kind = Kind.PEER, file: str | None = None) -> Submission:
    """A read-back submission whose ``ratings`` (norm id → code) each carry a comment."""
    name = reviewer or "zelfevaluatie"
    return Submission(
        file=file or f"/inleveringen/{name}.xlsx",
        identity=make_identity(catalogue, kind=kind, reviewer=reviewer,
                               workbook_id=f"wb-{name}"),
        responses={norm_id: NormResponse(rating=code, comment=f"{name} over {norm_id}")
                   for norm_id, code in ratings.items()},
    )


def self_evaluation(catalogue: Catalogue, ratings: Mapping[str, str | None]) -> Submission:
    return make_submission(catalogue, "", ratings, kind=Kind.SELF_EVALUATION)


def every_norm(catalogue: Catalogue, code: str | None,
               changes: Mapping[str, str | None] | None = None) -> dict[str, str | None]:
    """``code`` on every norm, except the norms in ``changes``."""
    ratings: dict[str, str | None] = {n.id: code for n in catalogue.norms()}
    ratings.update(changes or {})
    return ratings


def run(catalogue: Catalogue, variant: Variant, submissions: Sequence[Submission],
        overrides: Sequence[Override] | None = None) -> Consolidation:
    assessment = Assessment(id=ASSESSMENT, host=HOST, variant=variant)
    return consolidate(catalogue, assessment, submissions, overrides)


def panel(catalogue: Catalogue, variant: Variant, norm_id: str, codes: Sequence[str | None],
          *, with_self: bool = False, own: str | None = None) -> Consolidation:
    """Reviewers giving ``codes`` on ``norm_id`` (and V elsewhere), optionally a
    self-evaluation rating ``norm_id`` with ``own``."""
    subs = [make_submission(catalogue, POOL[i], every_norm(catalogue, "V", {norm_id: code}))
            for i, code in enumerate(codes)]
    if with_self:
        subs.append(self_evaluation(catalogue, every_norm(catalogue, "V", {norm_id: own})))
    return run(catalogue, variant, subs)


def findings(result: Consolidation) -> list[tuple[str, str | None]]:
    return [(f.code, f.file) for f in result.findings]


def domain_of(catalogue: Catalogue, domain_id: str, *, distinctive_only: bool = False
              ) -> list[str]:
    domain = next(d for d in catalogue.domains if d.id == domain_id)
    return [n.id for n in domain.norms() if n.distinctive or not distinctive_only]


# --- property tests ----------------------------------------------------------------------------

CODES: list[str | None] = ["V", "D", "N", "NVT", None]


@st.composite
def panels(draw: st.DrawFn, min_size: int = 1, max_size: int = 4, no_open: bool = False,
           ) -> tuple[Variant, list[Submission]]:
    """A variant and submissions: 1–4 reviewers (distinct), maybe a self-evaluation.

    With ``no_open`` the first reviewer rates every norm, so no norm is left without a rating.
    """
    variant = draw(st.sampled_from(list(Variant)))
    names = draw(st.lists(st.sampled_from(POOL), min_size=min_size, max_size=max_size,
                          unique=True))
    subs = []
    for i, name in enumerate(names):
        pool = [c for c in CODES if c is not None] if (no_open and i == 0) else CODES
        codes = draw(st.lists(st.sampled_from(pool), min_size=len(NORM_IDS),
                              max_size=len(NORM_IDS)))
        subs.append(make_submission(EXAMPLE, name, dict(zip(NORM_IDS, codes, strict=True))))
    if draw(st.booleans()):
        codes = draw(st.lists(st.sampled_from(CODES), min_size=len(NORM_IDS),
                              max_size=len(NORM_IDS)))
        subs.append(self_evaluation(EXAMPLE, dict(zip(NORM_IDS, codes, strict=True))))
    return variant, subs


def given_ratings(subs: Sequence[Submission], norm_id: str) -> list[str]:
    return [code for s in subs
            if s.kind is not Kind.SELF_EVALUATION
            and (code := s.responses[norm_id].rating) is not None]


@settings(PROPERTY, max_examples=examples(150))
@given(case=panels())
def test_consensus_lies_between_min_and_max(catalogue: Catalogue,
                                            case: tuple[Variant, list[Submission]]) -> None:
    variant, subs = case
    result = run(catalogue, variant, subs)
    for norm_id, norm in result.norms.items():
        given_codes = given_ratings(subs, norm_id)
        scores = [SCORE[c] for c in given_codes if c in SCORE]
        assert norm.computed == norm.consensus  # no overrides
        if scores:
            assert norm.spread == max(scores) - min(scores)
            assert norm.disagreement == (norm.spread >= 2)
        if given_codes.count("NVT") * 2 > len(result.reviewers):
            # n.v.t. by a majority of the reviewers, never by one voice among empty answers
            assert norm.consensus == "NVT" and norm.consensus_score is None
        elif scores:
            assert norm.consensus in SCORE
            assert min(scores) <= SCORE[norm.consensus] <= max(scores)
            assert norm.consensus_score == SCORE[norm.consensus]
        else:
            assert norm.consensus is None and norm.spread is None


@settings(PROPERTY, max_examples=examples(100))
@given(case=panels(), data=st.data())
def test_reviewer_order_does_not_matter(catalogue: Catalogue,
                                        case: tuple[Variant, list[Submission]],
                                        data: st.DataObject) -> None:
    variant, subs = case
    shuffled = data.draw(st.permutations(subs))
    assert run(catalogue, variant, shuffled).to_json() == run(catalogue, variant, subs).to_json()


@settings(PROPERTY, max_examples=examples(100))
@given(case=panels(min_size=2, max_size=3, no_open=True), data=st.data())
def test_adding_a_reviewer_with_only_nvt_can_only_add_nvt(
        catalogue: Catalogue, case: tuple[Variant, list[Submission]],
        data: st.DataObject) -> None:
    variant, subs = case
    present = {s.identity.reviewer for s in subs if s.identity is not None}
    extra = data.draw(st.sampled_from([n for n in POOL if n not in present]))
    nvt = make_submission(catalogue, extra, every_norm(catalogue, "NVT"))
    position = data.draw(st.integers(min_value=0, max_value=len(subs)))
    before = run(catalogue, variant, subs)
    after = run(catalogue, variant, [*subs[:position], nvt, *subs[position:]])
    # its n.v.t. votes can tip a norm to n.v.t. (a majority), never to another rating; the
    # spread of the applicable ratings does not move
    assert after.reviewers == sorted([*before.reviewers, extra])
    for norm_id, norm in after.norms.items():
        old = before.norms[norm_id]
        assert norm.ratings[extra] == "NVT"
        assert norm.consensus in (old.consensus, "NVT")
        assert norm.spread == old.spread
        if old.consensus == "NVT":
            assert norm.consensus == "NVT"


@settings(PROPERTY, max_examples=examples(150))
@given(case=panels())
def test_shares_add_up(catalogue: Catalogue, case: tuple[Variant, list[Submission]]) -> None:
    variant, subs = case
    result = run(catalogue, variant, subs)
    groups = [*result.domains.values(), *result.quality_values.values(), result.overall]
    for summary in groups:
        assert set(summary.counts) == {"V", "D", "N", "NVT"}
        assert sum(summary.counts.values()) + summary.open == summary.norms
        scored = summary.counts["V"] + summary.counts["D"] + summary.counts["N"]
        assert summary.applicable == scored
        if summary.applicable:
            assert summary.share_met is not None and summary.share_partly is not None
            share_not = summary.counts["N"] / summary.applicable
            assert summary.share_met + summary.share_partly + share_not == pytest.approx(1)
            assert summary.share_met == pytest.approx(summary.counts["V"] / summary.applicable)
            assert summary.mean_score is not None
            assert 0 <= summary.mean_score <= 2
            expected_mean = (2 * summary.counts["V"] + summary.counts["D"]) / summary.applicable
            assert summary.mean_score == pytest.approx(expected_mean)
        else:
            assert (summary.share_met, summary.share_partly, summary.mean_score) == (
                None, None, None)
    # the domains partition the norms in scope, and the quality values partition each domain
    domains = result.domains.values()
    assert result.overall.norms == len(result.norms) == sum(d.norms for d in domains)
    for code in ("V", "D", "N", "NVT"):
        assert result.overall.counts[code] == sum(d.counts[code] for d in domains)
    assert result.overall.disagreements == sum(n.disagreement for n in result.norms.values())
    for domain_id, summary in result.domains.items():
        in_domain = [n for n in result.norms.values() if n.domain_id == domain_id]
        assert summary.norms == len(in_domain)
        values = {n.quality_value_id for n in in_domain}
        assert summary.norms == sum(result.quality_values[v].norms for v in values)


# --- the median rule, spread, disagreement and gap ---------------------------------------------


@pytest.mark.parametrize(
    ("codes", "consensus", "spread", "disagreement"),
    [
        pytest.param(["V", "V", "D"], "V", 1, False, id="VVD-median-V"),
        pytest.param(["V", "D"], "D", 1, False, id="VD-between-levels-lower"),
        pytest.param(["V", "N"], "D", 2, True, id="VN-median-1-is-D"),
        pytest.param(["D", "N"], "N", 1, False, id="DN-between-levels-lower"),
        pytest.param(["V", "V", "N"], "V", 2, True, id="VVN-median-V"),
        pytest.param(["V", "N", "N", "V"], "D", 2, True, id="VNNV-median-1-is-D"),
        pytest.param(["V", "D", "D", "V"], "D", 1, False, id="VDDV-median-1.5-lower"),
        pytest.param(["V", "NVT"], "V", 0, False, id="nvt-left-out"),
        pytest.param(["N", "NVT", "NVT"], "NVT", 0, False, id="nvt-majority"),
        pytest.param(["V", "NVT", "NVT", "D"], "D", 1, False, id="nvt-half-is-no-majority"),
        pytest.param(["V", None], "V", 0, False, id="empty-left-out"),
        pytest.param(["NVT", "NVT"], "NVT", None, False, id="all-nvt"),
        pytest.param(["NVT", None], None, None, False, id="nvt-alone-is-open"),
        pytest.param([None, None], None, None, False, id="all-empty-open"),
    ],
)
def test_median_rule(catalogue: Catalogue, codes: list[str | None], consensus: str | None,
                     spread: int | None, disagreement: bool) -> None:
    norm = panel(catalogue, Variant.PEER_REVIEW, "V2.2", codes).norms["V2.2"]
    assert (norm.consensus, norm.computed) == (consensus, consensus)
    assert norm.spread == spread
    assert norm.disagreement is disagreement
    assert norm.overridden is False


def test_ratings_and_texts_are_attributed(catalogue: Catalogue) -> None:
    norm = panel(catalogue, Variant.PEER_REVIEW, "V2.2", ["D", "N"]).norms["V2.2"]
    assert norm.ratings == {ALPHA: "D", BETA: "N"}
    assert {(r.reviewer, r.rating, r.comment) for r in norm.responses} == {
        (ALPHA, "D", f"{ALPHA} over V2.2"), (BETA, "N", f"{BETA} over V2.2")}


def test_disagreement_follows_the_policy_spread(catalogue: Catalogue) -> None:
    data = catalogue.to_data()
    data["beleid"]["afwijking_spreiding"] = 1
    strict = Catalogue.model_validate(data)
    norm = panel(strict, Variant.PEER_REVIEW, "V2.2", ["V", "D"]).norms["V2.2"]
    assert (norm.spread, norm.disagreement) == (1, True)


@pytest.mark.parametrize(
    ("codes", "own", "gap"),
    [
        pytest.param(["V", "D"], "V", 1, id="self-V-consensus-D"),
        pytest.param(["V", "V"], "N", -2, id="self-N-consensus-V"),
        pytest.param(["D", "D"], "D", 0, id="equal"),
        pytest.param(["V", "V"], "NVT", None, id="self-nvt"),
        pytest.param(["NVT", "NVT"], "V", None, id="consensus-nvt"),
        pytest.param([None, None], "V", None, id="consensus-open"),
        pytest.param(["V", "V"], None, None, id="self-empty"),
    ],
)
def test_gap_is_self_minus_consensus(catalogue: Catalogue, codes: list[str | None],
                                     own: str | None, gap: int | None) -> None:
    result = panel(catalogue, Variant.PEER_REVIEW, "V2.2", codes, with_self=True, own=own)
    norm = result.norms["V2.2"]
    assert norm.gap == gap
    assert result.self_evaluation is True


def test_self_rating_and_texts_are_kept(catalogue: Catalogue) -> None:
    result = panel(catalogue, Variant.PEER_REVIEW, "V2.2", ["V", "D"], with_self=True,
                   own="N")
    norm = result.norms["V2.2"]
    assert (norm.self_rating, norm.self_comment) == ("N", "zelfevaluatie over V2.2")
    assert result.to_json()["norms"]["V2.2"]["self"] == "N"


def test_without_self_evaluation_there_is_no_gap(catalogue: Catalogue) -> None:
    result = panel(catalogue, Variant.PEER_REVIEW, "V2.2", ["V", "D"])
    assert result.self_evaluation is False
    assert all(n.self_rating is None and n.gap is None for n in result.norms.values())


# --- advice ------------------------------------------------------------------------------------


def test_peer_review_with_two_reviewers_all_met_is_registration(catalogue: Catalogue) -> None:
    result = panel(catalogue, Variant.PEER_REVIEW, "V2.2", ["V", "V"])
    assert (result.advice, result.blocking_norms) == (Advice.REGISTRATION, [])
    assert result.findings == []
    assert result.valid


def test_peer_review_with_partly_and_not_met_is_still_registration(catalogue: Catalogue) -> None:
    # a peer review advises registration on completeness, not on the ratings themselves
    result = panel(catalogue, Variant.PEER_REVIEW, "V2.2", ["N", "N"])
    assert result.advice is Advice.REGISTRATION


def test_peer_review_with_one_reviewer_is_incomplete(catalogue: Catalogue) -> None:
    result = panel(catalogue, Variant.PEER_REVIEW, "V2.2", ["V"])
    assert result.advice is Advice.INCOMPLETE
    assert findings(result) == [("too-few-reviewers", None)]
    assert result.valid  # a warning, not an error


def test_too_few_reviewers_follows_the_policy(catalogue: Catalogue) -> None:
    data = catalogue.to_data()
    data["beleid"]["min_beoordelaars"] = 3
    strict = Catalogue.model_validate(data)
    result = panel(strict, Variant.PEER_REVIEW, "V2.2", ["V", "V"])
    assert result.advice is Advice.INCOMPLETE
    assert findings(result) == [("too-few-reviewers", None)]


@pytest.mark.parametrize("variant", [Variant.PEER_REVIEW, Variant.AUDIT, Variant.COMBINATION,
                                     Variant.HKZ_ISO])
def test_an_open_norm_makes_the_advice_incomplete(catalogue: Catalogue, variant: Variant) -> None:
    result = panel(catalogue, variant, "V2.2", [None, None])
    assert result.advice is Advice.INCOMPLETE
    assert result.blocking_norms == ["V2.2"]
    assert result.overall.open == 1


def test_nvt_consensus_is_not_open(catalogue: Catalogue) -> None:
    assert panel(catalogue, Variant.PEER_REVIEW, "V2.2", ["NVT", "NVT"]).advice is (
        Advice.REGISTRATION)
    assert panel(catalogue, Variant.AUDIT, "V2.2", ["NVT", "NVT"]).advice is Advice.CERTIFICATE


@pytest.mark.parametrize("variant", [Variant.AUDIT, Variant.COMBINATION])
def test_audit_all_met_is_certificate(catalogue: Catalogue, variant: Variant) -> None:
    result = panel(catalogue, variant, "V2.2", ["V"])
    assert (result.advice, result.blocking_norms) == (Advice.CERTIFICATE, [])
    assert not any(f.code == "too-few-reviewers" for f in result.findings)


@pytest.mark.parametrize("variant", [Variant.AUDIT, Variant.COMBINATION])
def test_audit_with_one_not_met_is_reassessment(catalogue: Catalogue, variant: Variant) -> None:
    result = panel(catalogue, variant, "O2.3", ["N"])
    assert (result.advice, result.blocking_norms) == (Advice.REASSESSMENT, ["O2.3"])


def test_audit_blocks_on_the_consensus_not_on_a_single_rating(catalogue: Catalogue) -> None:
    # V, V, N → consensus V: one auditor's N does not block
    result = panel(catalogue, Variant.AUDIT, "O2.3", ["V", "V", "N"])
    assert result.advice is Advice.CERTIFICATE


def test_audit_with_too_many_partly_in_one_domain_blocks_that_domain(catalogue: Catalogue
                                                                    ) -> None:
    domain_v = domain_of(catalogue, "V")
    assert len(domain_v) == 16
    partly = domain_v[:5]  # 5/16 > 0.25
    changes: dict[str, str | None] = {n: "D" for n in partly}
    changes["D1.1"] = "D"  # 1/16 in domain D: within the limit, does not block
    subs = [make_submission(catalogue, ALPHA, every_norm(catalogue, "V", changes))]
    result = run(catalogue, Variant.AUDIT, subs)
    assert result.domains["V"].share_partly == pytest.approx(5 / 16)
    assert (result.advice, result.blocking_norms) == (Advice.REASSESSMENT, partly)


def test_partly_share_exactly_at_the_limit_is_still_certificate(catalogue: Catalogue) -> None:
    domain_v = domain_of(catalogue, "V")
    changes: dict[str, str | None] = {n: "D" for n in domain_v[-4:]}  # 4/16 == 0.25
    subs = [make_submission(catalogue, ALPHA, every_norm(catalogue, "V", changes))]
    result = run(catalogue, Variant.AUDIT, subs)
    assert result.domains["V"].share_partly == 0.25
    assert (result.advice, result.blocking_norms) == (Advice.CERTIFICATE, [])


def test_partly_share_ignores_nvt_norms(catalogue: Catalogue) -> None:
    # 4 D out of 16, but 2 norms n.v.t.: 4/14 > 0.25
    domain_v = domain_of(catalogue, "V")
    changes: dict[str, str | None] = {n: "D" for n in domain_v[:4]}
    changes |= {n: "NVT" for n in domain_v[-2:]}
    subs = [make_submission(catalogue, ALPHA, every_norm(catalogue, "V", changes))]
    result = run(catalogue, Variant.AUDIT, subs)
    assert result.domains["V"].applicable == 14
    assert (result.advice, result.blocking_norms) == (Advice.REASSESSMENT, domain_v[:4])


def test_not_met_and_partly_blocking_are_listed_once_in_catalogue_order(catalogue: Catalogue
                                                                       ) -> None:
    domain_v = domain_of(catalogue, "V")
    changes: dict[str, str | None] = {n: "D" for n in domain_v[2:7]}
    changes["O1.1"] = "N"
    changes["V1.1"] = "N"
    subs = [make_submission(catalogue, ALPHA, every_norm(catalogue, "V", changes))]
    result = run(catalogue, Variant.AUDIT, subs)
    assert result.advice is Advice.REASSESSMENT
    assert result.blocking_norms == ["V1.1", *domain_v[2:7], "O1.1"]


def test_hkz_iso_counts_only_distinctive_norms(catalogue: Catalogue) -> None:
    distinctive = [n.id for n in catalogue.norms() if n.distinctive]
    others = [n.id for n in catalogue.norms() if not n.distinctive]
    assert "V1.3" in others
    subs = [make_submission(catalogue, ALPHA, every_norm(catalogue, "V", {"V1.3": "N"}))]
    result = run(catalogue, Variant.HKZ_ISO, subs)
    assert list(result.norms) == distinctive
    assert (result.advice, result.blocking_norms) == (Advice.CERTIFICATE, [])
    assert result.overall.norms == len(distinctive)
    # the same ratings in a full audit do block
    assert run(catalogue, Variant.AUDIT, subs).blocking_norms == ["V1.3"]


def test_hkz_iso_distinctive_not_met_blocks(catalogue: Catalogue) -> None:
    subs = [make_submission(catalogue, ALPHA, every_norm(catalogue, "V", {"V1.1": "N"}))]
    result = run(catalogue, Variant.HKZ_ISO, subs)
    assert (result.advice, result.blocking_norms) == (Advice.REASSESSMENT, ["V1.1"])


def test_hkz_iso_partly_share_is_over_distinctive_norms(catalogue: Catalogue) -> None:
    in_scope = domain_of(catalogue, "V", distinctive_only=True)
    outside = [n for n in domain_of(catalogue, "V") if n not in in_scope]
    assert (len(in_scope), len(outside)) == (11, 5)
    changes: dict[str, str | None] = {n: "D" for n in [*outside, *in_scope[:2]]}
    subs = [make_submission(catalogue, ALPHA, every_norm(catalogue, "V", changes))]
    # full audit: 7/16 partly → reassessment; HKZ/ISO: 2/11 partly → certificate
    assert run(catalogue, Variant.AUDIT, subs).advice is Advice.REASSESSMENT
    result = run(catalogue, Variant.HKZ_ISO, subs)
    assert result.domains["V"].norms == 11
    assert result.domains["V"].share_partly == pytest.approx(2 / 11)
    assert result.advice is Advice.CERTIFICATE


def test_self_evaluation_variant_has_no_advice(catalogue: Catalogue) -> None:
    result = run(catalogue, Variant.SELF_EVALUATION,
                 [self_evaluation(catalogue, every_norm(catalogue, "V"))])
    assert (result.advice, result.blocking_norms) == (None, [])
    assert result.self_evaluation is True
    assert result.reviewers == []
    assert result.to_json()["advice"] is None


# --- agreement in the result -------------------------------------------------------------------


def test_agreement_uses_scores_and_leaves_nvt_out(catalogue: Catalogue) -> None:
    # alpha's units are the norms; n.v.t. and empty ratings are missing values
    a = every_norm(catalogue, "V", {"V1.1": "N", "V1.2": "NVT", "V1.3": None})
    b = every_norm(catalogue, "V", {"V1.1": "N", "V1.2": "D", "V1.3": "D"})
    result = run(catalogue, Variant.PEER_REVIEW,
                 [make_submission(catalogue, ALPHA, a), make_submission(catalogue, BETA, b)])
    total = len(NORM_IDS)
    assert result.agreement.pairable_units == total - 2
    assert result.agreement.percent_agreement == 1.0
    assert result.agreement.alpha == 1.0
    assert result.domains["V"].pairable_units == 14
    assert result.domains["D"].alpha is None
    assert result.domains["D"].alpha_reason == "geen-variatie"


# --- overrides ---------------------------------------------------------------------------------


def not_met_audit(catalogue: Catalogue, norm_id: str = "O2.3") -> list[Submission]:
    own = self_evaluation(catalogue, every_norm(catalogue, "V"))
    return [make_submission(catalogue, ALPHA, every_norm(catalogue, "V", {norm_id: "N"})), own]


def test_override_changes_consensus_and_advice(catalogue: Catalogue) -> None:
    subs = not_met_audit(catalogue)
    assert run(catalogue, Variant.AUDIT, subs).advice is Advice.REASSESSMENT
    override = Override(norm_id="O2.3", rating="V", motivation="Bewijs nagezonden",
                        sheet="Matrix", cell="K40")
    result = run(catalogue, Variant.AUDIT, subs, [override])
    norm = result.norms["O2.3"]
    assert (norm.consensus, norm.computed) == ("V", "N")
    assert norm.consensus_score == 2
    assert norm.overridden is True
    assert norm.motivation == "Bewijs nagezonden"
    assert norm.gap == 0  # self V against the final consensus V
    assert (result.advice, result.blocking_norms) == (Advice.CERTIFICATE, [])
    assert result.findings == []
    assert result.domains["O"].counts["N"] == 0


def test_override_can_lower_the_consensus(catalogue: Catalogue) -> None:
    subs = [make_submission(catalogue, ALPHA, every_norm(catalogue, "V"))]
    result = run(catalogue, Variant.AUDIT, subs,
                 [Override(norm_id="V1.1", rating="N", motivation="Geen verslagen gezien")])
    assert (result.advice, result.blocking_norms) == (Advice.REASSESSMENT, ["V1.1"])
    assert result.norms["V1.1"].computed == "V"


def test_other_norms_are_not_marked_overridden(catalogue: Catalogue) -> None:
    result = run(catalogue, Variant.AUDIT, not_met_audit(catalogue),
                 [Override(norm_id="O2.3", rating="V", motivation="Besproken")])
    assert [n for n, r in result.norms.items() if r.overridden] == ["O2.3"]


@pytest.mark.parametrize("motivation", [None, "", "   "])
def test_override_without_motivation_is_a_finding_and_not_applied(catalogue: Catalogue,
                                                                  motivation: str | None) -> None:
    override = Override(norm_id="O2.3", rating="V", motivation=motivation,
                        sheet="Matrix", cell="K40")
    result = run(catalogue, Variant.AUDIT, not_met_audit(catalogue), [override])
    assert [(f.code, f.sheet, f.cell, f.norm_id) for f in result.findings] == [
        ("override-without-motivation", "Matrix", "K40", "O2.3")]
    norm = result.norms["O2.3"]
    assert (norm.consensus, norm.overridden) == ("N", False)
    assert result.advice is Advice.REASSESSMENT
    assert not result.valid


def test_override_of_unknown_norm_is_a_finding(catalogue: Catalogue) -> None:
    override = Override(norm_id="X9.9", rating="V", motivation="Typfout",
                        sheet="Matrix", cell="K99")
    result = run(catalogue, Variant.AUDIT, not_met_audit(catalogue), [override])
    assert [(f.code, f.sheet, f.cell) for f in result.findings] == [
        ("override-unknown-norm", "Matrix", "K99")]
    assert "X9.9" not in result.norms
    assert result.advice is Advice.REASSESSMENT


def test_hkz_iso_override_of_non_distinctive_norm_is_unknown(catalogue: Catalogue) -> None:
    subs = [make_submission(catalogue, ALPHA, every_norm(catalogue, "V"))]
    result = run(catalogue, Variant.HKZ_ISO, subs,
                 [Override(norm_id="V1.3", rating="N", motivation="Niet in scope")])
    assert [f.code for f in result.findings] == ["override-unknown-norm"]
    assert "V1.3" not in result.norms
    assert result.advice is Advice.CERTIFICATE


# --- input checks from real workbooks ----------------------------------------------------------

OTHER = "Buurtkracht West (fictief)"


def workbook(folder: Path, name: str, kind: Kind = Kind.PEER, *, rating: Any = "V",
             changes: Mapping[str, Any] | None = None, catalogue: Catalogue | None = None,
             **kw: Any) -> Path:
    """Generate a workbook, fill every rating with ``rating`` (except ``changes``), save."""
    path = generate(folder / name, kind, catalogue, **kw)
    answers: dict[str, dict[str, Any]] = {
        n.id: {"rating": rating} for n in (catalogue or EXAMPLE).norms()}
    for norm_id, value in (changes or {}).items():
        answers[norm_id] = {"rating": value}
    return fill(path, answers)


def read(path: Path, catalogue: Catalogue | None = None) -> Submission:
    return read_workbook(path, catalogue, key=KEY)


def file_names(result: Consolidation) -> list[str]:
    return [Path(f).name for f in result.files]


def test_real_workbooks_consolidate_cleanly(tmp_path: Path, catalogue: Catalogue) -> None:
    subs = [
        read(workbook(tmp_path, "zelf.xlsx", Kind.SELF_EVALUATION, changes={"V1.1": "V"})),
        read(workbook(tmp_path, "noord.xlsx", changes={"V1.1": "Voldoet niet"})),
        read(workbook(tmp_path, "west.xlsx", reviewer=OTHER, changes={"V1.1": "n.v.t."})),
    ]
    assert all(s.valid for s in subs)
    result = run(catalogue, Variant.PEER_REVIEW, subs)
    assert result.findings == []
    assert result.reviewers == sorted([REVIEWER, OTHER])
    assert sorted(file_names(result)) == ["noord.xlsx", "west.xlsx", "zelf.xlsx"]
    norm = result.norms["V1.1"]
    assert norm.ratings == {REVIEWER: "N", OTHER: "NVT"}
    assert (norm.consensus, norm.spread, norm.self_rating, norm.gap) == ("N", 0, "V", 2)
    assert result.advice is Advice.REGISTRATION


@pytest.mark.parametrize("second_name", [REVIEWER, "SOCIAAL WERK NOORD (fictief)"])
def test_duplicate_submission(tmp_path: Path, catalogue: Catalogue, second_name: str) -> None:
    first = read(workbook(tmp_path, "noord-1.xlsx", rating="V"))
    second = read(workbook(tmp_path, "noord-2.xlsx", rating="N", reviewer=second_name))
    other = read(workbook(tmp_path, "west.xlsx", reviewer=OTHER))
    result = run(catalogue, Variant.PEER_REVIEW, [first, other, second])
    assert findings(result) == [("duplicate-submission", "noord-2.xlsx")]
    message = result.findings[0].message
    assert "noord-1.xlsx" in message and "noord-2.xlsx" in message
    # only the first counts: its V everywhere, not the second's N
    assert result.reviewers == sorted([REVIEWER, OTHER])
    assert sorted(file_names(result)) == ["noord-1.xlsx", "west.xlsx"]
    assert {n.consensus for n in result.norms.values()} == {"V"}
    assert not result.valid


@pytest.mark.parametrize("identity", [{"assessment_id": "2025-999"},
                                      {"host": "Stichting Elders (fictief)"}],
                         ids=["other-assessment", "other-host"])
def test_assessment_mismatch(tmp_path: Path, catalogue: Catalogue,
                             identity: dict[str, Any]) -> None:
    subs = [read(workbook(tmp_path, "noord.xlsx")),
            read(workbook(tmp_path, "west.xlsx", reviewer=OTHER)),
            read(workbook(tmp_path, "elders.xlsx", reviewer=GAMMA, rating="N", **identity))]
    result = run(catalogue, Variant.PEER_REVIEW, subs)
    assert findings(result) == [("assessment-mismatch", "elders.xlsx")]
    assert GAMMA not in result.reviewers
    assert "elders.xlsx" not in file_names(result)
    assert {n.consensus for n in result.norms.values()} == {"V"}


def other_catalogue(catalogue: Catalogue) -> Catalogue:
    data = catalogue.to_data()
    norm = data["domeinen"][0]["kwaliteitswaarden"][0]["normen"][0]
    norm["tekst"] = norm["tekst"] + " Aangepast."
    changed = Catalogue.model_validate(data)
    assert changed.fingerprint != catalogue.fingerprint
    return changed


def test_catalogue_mismatch(tmp_path: Path, catalogue: Catalogue) -> None:
    changed = other_catalogue(catalogue)
    # read with the catalogue it was made with: a valid submission, of another catalogue
    foreign = read(workbook(tmp_path, "ander-kader.xlsx", reviewer=GAMMA, catalogue=changed),
                   changed)
    assert foreign.valid
    subs = [read(workbook(tmp_path, "noord.xlsx")),
            read(workbook(tmp_path, "west.xlsx", reviewer=OTHER)), foreign]
    result = run(catalogue, Variant.PEER_REVIEW, subs)
    assert findings(result) == [("catalogue-mismatch", "ander-kader.xlsx")]
    assert GAMMA not in result.reviewers


def test_catalogue_mismatch_read_with_the_consolidation_catalogue_is_left_out(
        tmp_path: Path, catalogue: Catalogue) -> None:
    # read as the consolidating secretariat would: with its own catalogue
    changed = other_catalogue(catalogue)
    foreign = read(workbook(tmp_path, "ander-kader.xlsx", reviewer=GAMMA, catalogue=changed))
    assert [f.code for f in foreign.report.errors] == ["catalogue-mismatch"]
    subs = [read(workbook(tmp_path, "noord.xlsx")),
            read(workbook(tmp_path, "west.xlsx", reviewer=OTHER)), foreign]
    result = run(catalogue, Variant.PEER_REVIEW, subs)
    assert len(result.findings) == 1
    assert result.findings[0].file == "ander-kader.xlsx"
    assert result.findings[0].code in ("catalogue-mismatch", "submission-invalid")
    assert GAMMA not in result.reviewers


def test_submission_invalid(tmp_path: Path, catalogue: Catalogue) -> None:
    bad = read(workbook(tmp_path, "prima.xlsx", reviewer=GAMMA, changes={"V1.1": "prima"}))
    assert "unknown-rating" in [f.code for f in bad.report.errors]
    subs = [read(workbook(tmp_path, "noord.xlsx")),
            read(workbook(tmp_path, "west.xlsx", reviewer=OTHER)), bad]
    result = run(catalogue, Variant.PEER_REVIEW, subs)
    assert findings(result) == [("submission-invalid", "prima.xlsx")]
    assert GAMMA not in result.reviewers
    assert "prima.xlsx" not in file_names(result)


@pytest.mark.parametrize("reviewer", [HOST, HOST.upper(), f"{HOST}.",
                                      unicodedata.normalize("NFD", HOST)])
def test_self_evaluation_as_review(tmp_path: Path, catalogue: Catalogue, reviewer: str) -> None:
    # today's writer refuses to issue it; an older or hand-made one with the key could
    eigen = fill_all(generate_as_signed(tmp_path / "eigen.xlsx", Kind.PEER, reviewer=reviewer),
                     catalogue, rating="N")
    subs = [read(workbook(tmp_path, "noord.xlsx")),
            read(workbook(tmp_path, "west.xlsx", reviewer=OTHER)), read(eigen)]
    result = run(catalogue, Variant.PEER_REVIEW, subs)
    assert findings(result) == [("self-evaluation-as-review", "eigen.xlsx")]
    assert result.reviewers == sorted([REVIEWER, OTHER])
    assert {n.consensus for n in result.norms.values()} == {"V"}


def test_duplicate_self_evaluation(tmp_path: Path, catalogue: Catalogue) -> None:
    subs = [read(workbook(tmp_path, "zelf-1.xlsx", Kind.SELF_EVALUATION, rating="V")),
            read(workbook(tmp_path, "noord.xlsx")),
            read(workbook(tmp_path, "west.xlsx", reviewer=OTHER)),
            read(workbook(tmp_path, "zelf-2.xlsx", Kind.SELF_EVALUATION, rating="N"))]
    result = run(catalogue, Variant.PEER_REVIEW, subs)
    assert findings(result) == [("duplicate-self-evaluation", "zelf-2.xlsx")]
    assert result.self_evaluation is True
    assert {n.self_rating for n in result.norms.values()} == {"V"}  # the first one counts
    assert "zelf-2.xlsx" not in file_names(result)


def test_too_few_reviewers_from_a_real_workbook(tmp_path: Path, catalogue: Catalogue) -> None:
    subs = [read(workbook(tmp_path, "zelf.xlsx", Kind.SELF_EVALUATION)),
            read(workbook(tmp_path, "noord.xlsx"))]
    result = run(catalogue, Variant.PEER_REVIEW, subs)
    assert findings(result) == [("too-few-reviewers", None)]
    assert result.advice is Advice.INCOMPLETE
