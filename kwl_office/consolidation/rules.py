"""Consolidation: several reviewers' ratings become one judgement per norm, with its evidence.

Pure functions over models, no file I/O. The rules, with the catalogue's ``policy`` and the
**roles** of the scale's levels (``voldoet``, ``deels``, ``niet``, ``nvt``; never the order of
scores):

* **Who counts.** Only valid, complete submissions of this assessment count (a workbook with
  fewer rated norms than ``policy.min_rated_share`` is ``incomplete-submission``), one per
  reviewer: names are compared by :func:`kwl_office.names.name_key`, so two spellings of one
  organisation are one reviewer and a host reviewing itself is caught in any spelling.
* **Consensus** of a norm: *n.v.t.* when more than half of the assessment's reviewers rated
  it *n.v.t.*; otherwise the median of the scores of the applicable ratings. When the median
  falls between two levels (an even number of ratings, e.g. *voldoet deels* and *voldoet*),
  the **lower** level is taken: a norm is only called met when at least half of the reviewers
  say so. No applicable rating and no n.v.t. majority → no consensus (the norm is open).
* **Spread**: highest minus lowest applicable score; a **disagreement** when the spread is at
  least ``policy.disagreement_spread`` (default 2: *voldoet* against *voldoet niet*).
* **Gap**: the host's own score minus the consensus score (positive: the host rated itself
  higher than its peers did).
* **Overrides** from the consensus meeting replace the consensus of a norm; an override
  without a motivation is a finding and is not applied.
* **Advice**: a self-evaluation alone gets none. A peer review (*intercollegiale
  adviesmeting*) → ``registratie`` when every norm has a consensus and was rated by at least
  ``policy.min_reviewers`` organisations (checked per norm), else ``onvolledig`` with the
  norms that lack it. An audit, combination or HKZ/ISO combination → ``onvolledig`` while a
  norm is open; ``certificaat`` when no consensus has the role *niet* and the share of
  consensus with the role *deels* per domain is at most ``policy.max_partly_share``; else
  ``herbeoordeling`` with the norms that block it. The HKZ/ISO combination counts only the
  distinctive norms.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from pathlib import Path

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office.assessment import (
    Assessment,
    Kind,
    NormResponse,
    Submission,
    Variant,
    last_issued,
)
from kwl_office.catalogue import Catalogue, Norm, RatingLevel, ScaleRole
from kwl_office.consolidation.agreement import Agreement, ordinal_alpha
from kwl_office.consolidation.model import (
    Advice,
    Consolidation,
    GroupSummary,
    NormResult,
    Override,
    ReviewerResponse,
)
from kwl_office.findings import Finding, Severity, make_finding
from kwl_office.names import same_name

_REVIEWING_ORGANISATION = dutch.Word("beoordelende organisatie", "beoordelende organisaties")

def consolidate(
    catalogue: Catalogue,
    assessment: Assessment,
    submissions: Sequence[Submission],
    overrides: Sequence[Override] | None = None,
) -> Consolidation:
    """Combine the submissions of one assessment (self-evaluation optional) into one result.

    Submissions that fail the input checks (invalid, of another assessment or catalogue, a
    second one by the same reviewer, a self-evaluation posing as a review) are reported as
    findings and left out; the rest is consolidated.
    """
    findings: list[Finding] = []
    selfeval, reviews, teams = _check_inputs(catalogue, assessment, submissions, findings)
    scope = [n for n in catalogue.norms()
             if assessment.variant is not Variant.HKZ_ISO or n.distinctive]
    reviewers = sorted(reviews)
    minimum = _min_raters(assessment.variant, catalogue)
    if assessment.variant is Variant.PEER_REVIEW and len(reviewers) < minimum:
        findings.append(make_finding(
            "too-few-reviewers", minimum=minimum, verb="is" if len(reviewers) == 1 else "zijn",
            organisations=dutch.count(len(reviewers), _REVIEWING_ORGANISATION)))
    accepted = {o.norm_id: o for o in _check_overrides(catalogue, scope, overrides, findings)}
    pending = {o.norm_id: o.rating for o in overrides or ()
               if o.norm_id not in accepted and not (o.motivation or "").strip()
               and o.rating in catalogue.rating_scale.by_code}

    levels = catalogue.rating_scale
    norms: dict[str, NormResult] = {}
    for norm in scope:
        domain, value, _ = catalogue.norm_index[norm.id]
        answers = {r: reviews[r].responses.get(norm.id) for r in reviewers}
        ratings = {r: (a.rating if a else None) for r, a in answers.items()}
        own = selfeval.responses.get(norm.id) if selfeval else None
        result = _norm_result(norm, domain.id, value.id, ratings, answers, own, catalogue)
        result.pending_override = pending.get(norm.id)
        override = accepted.get(norm.id)
        if override is not None:
            result.consensus = override.rating
            result.overridden = True
            result.motivation = override.motivation
        raters = sum(1 for code in ratings.values() if code is not None)
        if (assessment.variant is Variant.PEER_REVIEW and not result.overridden
                and len(reviewers) >= minimum > raters):
            findings.append(make_finding("too-few-ratings", norm_id=norm.id, minimum=minimum,
                                         reviewers=dutch.count(raters, "reviewer")))
        result.consensus_score = _score(levels.by_code.get(result.consensus or ""))
        result.gap = _gap(result.self_rating, result.consensus_score, catalogue)
        result.team = [_team_response(team, norm.id, named=len(teams) > 1) for team in teams
                       if norm.id in team.team]
        norms[norm.id] = result

    domains: dict[str, GroupSummary] = {}
    values: dict[str, GroupSummary] = {}
    for domain in catalogue.domains:
        in_domain = [norms[n.id] for n in domain.norms() if n.id in norms]
        if not in_domain:
            continue
        domains[domain.id] = _summary(domain.title, in_domain, catalogue, reviewers)
        for value in domain.quality_values:
            in_value = [norms[n.id] for n in value.norms if n.id in norms]
            if in_value:
                values[value.id] = _summary(value.title, in_value, catalogue, reviewers)
    overall = _summary("Totaal", list(norms.values()), catalogue, reviewers)
    advice, blocking = _advice(assessment.variant, catalogue, norms, domains, len(reviewers),
                               minimum)
    agreement = _agreement(list(norms.values()), catalogue, reviewers)
    # a team workbook once, however many of its reviewers count
    files = list(dict.fromkeys(([selfeval.file] if selfeval else [])
                               + [reviews[r].file for r in reviewers]))
    return Consolidation(
        assessment_id=assessment.id,
        host=assessment.host,
        variant=assessment.variant,
        scope=assessment.scope,
        catalogue_id=catalogue.id,
        catalogue_version=catalogue.version,
        catalogue_fingerprint=catalogue.fingerprint,
        reviewers=reviewers,
        self_evaluation=selfeval is not None,
        advice=advice,
        blocking_norms=blocking,
        norms=norms,
        quality_values=values,
        domains=domains,
        overall=overall,
        agreement=agreement,
        findings=findings,
        files=files,
        last_issued=last_issued([*([selfeval] if selfeval else []), *reviews.values()]),
    )


# --- input checks ----------------------------------------------------------------------------


def _min_raters(variant: Variant, catalogue: Catalogue) -> int:
    """Reviewers who must have rated a norm: ``min_reviewers`` after a peer review, one CI
    otherwise."""
    return catalogue.policy.min_reviewers if variant is Variant.PEER_REVIEW else 1


def _team_response(team: Submission, norm_id: str, *, named: bool) -> ReviewerResponse:
    """What a team wrote together at a norm, attributed to "het team"; with more than one
    team in the assessment each is ``named`` by its reviewers (the report lists the team's
    reviewers once, so the attribution need not repeat them at every norm)."""
    said = team.team[norm_id]
    names = team.identity.reviewers if team.identity else ()
    who = T.TEAM_NAME.format(reviewers=dutch.join(names)) if named else T.TEAM_NAME_SHORT
    return ReviewerResponse(reviewer=who, strengths=said.strengths,
                            learning_points=said.learning_points)


def _check_inputs(
    catalogue: Catalogue, assessment: Assessment, submissions: Sequence[Submission],
    findings: list[Finding],
) -> tuple[Submission | None, dict[str, Submission], list[Submission]]:
    """The self-evaluation, the reviews by reviewer (a team workbook split into its
    reviewers) and the team workbooks that count, each checked; what fails is a finding."""
    selfeval: Submission | None = None
    reviews: dict[str, Submission] = {}
    teams: list[Submission] = []
    for sub in submissions:
        name = Path(sub.file).name
        ident = sub.identity
        incomplete = next((f for f in sub.report.errors if f.code == "incomplete-submission"),
                          None)
        if incomplete is not None and len(sub.report.errors) == 1:
            # the one thing wrong is that it is not filled in: say that, not "1 fout"
            findings.append(incomplete.model_copy(update={
                "file": name, "sheet": None, "cell": None, "norm_id": None,
                "message": f"{name}: {incomplete.message}"}))
            continue
        if not sub.valid or ident is None:
            findings.append(make_finding("submission-invalid", file=name,
                                         errors=dutch.count(max(len(sub.report.errors), 1),
                                                            "error")))
            continue
        if ident.assessment_id != assessment.id or not same_name(ident.host, assessment.host):
            findings.append(make_finding(
                "assessment-mismatch", file=name, found=ident.assessment_id,
                found_host=ident.host, expected=assessment.id))
            continue
        if ident.catalogue_fingerprint != catalogue.fingerprint:
            findings.append(make_finding(
                "catalogue-mismatch", file=name,
                found=f"{ident.catalogue_id} {ident.catalogue_version}",
                expected=f"{catalogue.id} {catalogue.version}"))
            continue
        if ident.kind is Kind.SELF_EVALUATION:
            if selfeval is not None:
                findings.append(make_finding("duplicate-self-evaluation", file=name,
                                             first=Path(selfeval.file).name))
                continue
            selfeval = sub
            continue
        counted = False
        for part in sub.per_reviewer():
            reviewer = part.identity.reviewer if part.identity else ""
            if same_name(reviewer, ident.host) or same_name(reviewer, assessment.host):
                findings.append(make_finding("self-evaluation-as-review", file=name,
                                             reviewer=reviewer))
                continue
            known = next((r for r in reviews if same_name(r, reviewer)), None)
            if known is not None:
                findings.append(make_finding(
                    "duplicate-submission", file=name, reviewer=reviewer,
                    first=Path(reviews[known].file).name))
                continue
            reviews[reviewer] = part
            counted = True
        if sub.is_team and counted:
            teams.append(sub)
    return selfeval, reviews, teams


def _check_overrides(
    catalogue: Catalogue, scope: Sequence[Norm], overrides: Sequence[Override] | None,
    findings: list[Finding],
) -> list[Override]:
    in_scope = {n.id for n in scope}
    accepted = []
    for override in overrides or ():
        if override.norm_id not in in_scope:
            findings.append(make_finding("override-unknown-norm", sheet=override.sheet,
                                         cell=override.cell, norm_id=override.norm_id))
            continue
        if override.rating not in catalogue.rating_scale.by_code:
            findings.append(make_finding(
                "unknown-rating", sheet=override.sheet, cell=override.cell,
                norm_id=override.norm_id, value=override.rating, note="",
                allowed=catalogue.rating_scale.allowed_text()))
            continue
        if not (override.motivation or "").strip():
            findings.append(make_finding(
                "override-without-motivation", sheet=override.sheet,
                cell=override.motivation_cell or override.cell, norm_id=override.norm_id))
            continue
        accepted.append(override)
    return accepted


# --- per norm --------------------------------------------------------------------------------


def _score(level: RatingLevel | None) -> int | None:
    return level.score if level is not None else None


def consensus_level(scores: Iterable[int], levels: Sequence[RatingLevel]) -> RatingLevel | None:
    """The level whose score is the median of ``scores``, or the next lower level when the
    median falls between two levels; None for no scores."""
    values = list(scores)
    if not values:
        return None
    median = statistics.median(values)
    scored = sorted((lv for lv in levels if lv.score is not None),
                    key=lambda lv: lv.score or 0)
    chosen = None
    for level in scored:
        if level.score is not None and level.score <= median:
            chosen = level
    return chosen or scored[0]


def _norm_result(
    norm: Norm, domain_id: str, value_id: str, ratings: dict[str, str | None],
    answers: dict[str, NormResponse | None], own: NormResponse | None, catalogue: Catalogue,
) -> NormResult:
    levels = catalogue.rating_scale
    given = [levels.by_code[c] for c in ratings.values() if c in levels.by_code]
    scores = [lv.score for lv in given if lv.score is not None]
    not_applicable = [lv for lv in given if lv.role is ScaleRole.NOT_APPLICABLE]
    spread: int | None = max(scores) - min(scores) if scores else None
    consensus: str | None = None
    if len(not_applicable) * 2 > len(ratings):
        # n.v.t. needs a majority of the reviewers, not one voice among empty answers
        consensus = not_applicable[0].code
    elif scores:
        computed = consensus_level(scores, catalogue.scale)
        consensus = computed.code if computed else None
    return NormResult(
        norm_id=norm.id,
        domain_id=domain_id,
        quality_value_id=value_id,
        distinctive=norm.distinctive,
        ratings=ratings,
        responses=[
            ReviewerResponse(reviewer=r, rating=a.rating, comment=a.comment,
                             strengths=a.strengths, learning_points=a.learning_points)
            for r, a in answers.items() if a is not None
        ],
        self_rating=own.rating if own else None,
        self_comment=own.comment if own else None,
        self_improvements=own.improvements if own else None,
        accent=bool(own.accent) if own else False,
        computed=consensus,
        consensus=consensus,
        spread=spread,
        disagreement=spread is not None and spread >= catalogue.policy.disagreement_spread,
    )


def _gap(self_code: str | None, consensus_score: int | None, catalogue: Catalogue) -> int | None:
    own = _score(catalogue.rating_scale.by_code.get(self_code or ""))
    if own is None or consensus_score is None:
        return None
    return own - consensus_score


# --- summaries -------------------------------------------------------------------------------


def _summary(title: str, results: Sequence[NormResult], catalogue: Catalogue,
             reviewers: Sequence[str]) -> GroupSummary:
    scale = catalogue.rating_scale
    counts = {lv.code: 0 for lv in catalogue.scale}
    by_role = dict.fromkeys(ScaleRole, 0)
    scores: list[int] = []
    for result in results:
        if result.consensus in counts:
            counts[result.consensus] += 1
        role = scale.role(result.consensus)
        if role is not None:
            by_role[role] += 1
        if result.consensus_score is not None:
            scores.append(result.consensus_score)
    applicable = len(scores)
    agreement = _agreement(results, catalogue, reviewers)
    return GroupSummary(
        title=title,
        norms=len(results),
        counts=counts,
        open=sum(1 for r in results if r.consensus is None),
        applicable=applicable,
        share_met=by_role[ScaleRole.MET] / applicable if applicable else None,
        share_partly=by_role[ScaleRole.PARTLY] / applicable if applicable else None,
        mean_score=statistics.fmean(scores) if scores else None,
        disagreements=sum(1 for r in results if r.disagreement),
        alpha=agreement.alpha,
        alpha_reason=agreement.reason,
        percent_agreement=agreement.percent_agreement,
        pairable_units=agreement.pairable_units,
    )


def _agreement(results: Sequence[NormResult], catalogue: Catalogue,
               reviewers: Sequence[str]) -> Agreement:
    levels = catalogue.rating_scale.by_code
    units = []
    for result in results:
        scores = [levels[c].score for r in reviewers
                  if (c := result.ratings.get(r)) in levels and levels[c].score is not None]
        units.append([s for s in scores if s is not None])
    return ordinal_alpha(units)


# --- advice ----------------------------------------------------------------------------------


def _advice(
    variant: Variant, catalogue: Catalogue, norms: dict[str, NormResult],
    domains: dict[str, GroupSummary], reviewers: int, minimum: int,
) -> tuple[Advice | None, list[str]]:
    if variant is Variant.SELF_EVALUATION:
        return None, []
    policy = catalogue.policy
    # a norm without a consensus, or rated by fewer reviewers than the minimum, is open
    # (an override of the consensus meeting closes it: the committee decided)
    open_norms = [n for n, r in norms.items() if r.consensus is None or (
        not r.overridden and sum(c is not None for c in r.ratings.values()) < minimum)]
    if open_norms or reviewers < minimum:
        return Advice.INCOMPLETE, open_norms
    if variant is Variant.PEER_REVIEW:
        return Advice.REGISTRATION, []
    scale = catalogue.rating_scale
    blocking = [n for n, r in norms.items() if scale.role(r.consensus) is ScaleRole.NOT_MET]
    for domain_id, summary in domains.items():
        if summary.share_partly is not None and summary.share_partly > policy.max_partly_share:
            blocking += [n for n, r in norms.items() if r.domain_id == domain_id
                         and scale.role(r.consensus) is ScaleRole.PARTLY]
    if blocking:
        order = list(norms)
        return Advice.REASSESSMENT, sorted(set(blocking), key=order.index)
    return Advice.CERTIFICATE, []


__all__ = ["consolidate", "consensus_level", "Severity"]
