"""The branch benchmark, computed (pure): distributions across organisations, with suppression.

What is counted: per round, each organisation once (:func:`select`), with the final consensus
of each norm of its assessment. A norm's cell counts organisations per scale level; a quality
value's or a domain's cell pools the norm ratings of all organisations in it.

Privacy (README, "Het branchebeeld"): no number about fewer than ``k`` organisations is
published, also not one that can be worked out from published numbers:

* a count of organisations is shown only when it is 0 or at least ``k``; so is the number of
  the round's organisations *without* a consensus on the norm (the round's total minus the
  norm's total), because the difference would be such a count;
* a norm's breakdown over the levels is shown only when every level counts 0 or at least
  ``k`` organisations; otherwise the whole breakdown and its shares are hidden (hiding only
  the small level would not help: it is the total minus the shown levels);
* a quality value's or domain's pooled breakdown minus the breakdowns of the norms (and
  quality values) shown in it gives back the ratings of its hidden norms together; so it is
  shown only when, per level, those hidden ratings come from no organisation or from at
  least ``k`` organisations (:func:`residue`);
* a norm's share of disagreement is shown only when the organisations with and without a
  disagreement, and those without two scored ratings, each number 0 or at least ``k``.

Rounds are never pooled with each other (an organisation in two rounds would make the
difference of two overlapping totals a statement about it), and catalogue versions never are.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from kwl_office.benchmark.model import Benchmark, CatalogueGroup, Cell, Level, Round, Tie
from kwl_office.catalogue import Catalogue
from kwl_office.catalogue.model import ScaleRole
from kwl_office.consolidation.model import Consolidation, NormResult
from kwl_office.kinds import Variant
from kwl_office.names import name_key

#: how many norms the "most often not met" and "hot spots" lists name
TOP = 10
_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


@dataclass(frozen=True)
class Source:
    """One consolidation and the round it belongs to."""

    consolidation: Consolidation
    round_label: str

    @property
    def year(self) -> int | None:
        """The year in the round's label (``Ronde 2026`` → 2026), if it names one."""
        return round_year(self.round_label)


def round_year(label: str) -> int | None:
    """The first year (19xx or 20xx) written in a round label, else None."""
    found = _YEAR.search(label)
    return int(found.group(0)) if found else None


def organisation_key(consolidation: Consolidation) -> str:
    """Who the organisation is across assessments: its normalised name."""
    return name_key(consolidation.host)


def _rated(consolidation: Consolidation) -> int:
    return sum(1 for r in consolidation.norms.values() if r.consensus is not None)


def select(sources: Iterable[Source]) -> list[Source]:
    """The assessments that count: per round each organisation once.

    Self-evaluations alone and assessments without any consensus do not count. When an
    organisation was assessed twice in one round (two scopes, say), the assessment with the
    most norms with a consensus counts; on a tie the one with the highest assessment id (the
    later one). The result is in a stable order (round, organisation).
    """
    chosen: dict[tuple[str, str], Source] = {}
    for source in sources:
        cons = source.consolidation
        if cons.variant is Variant.SELF_EVALUATION or not _rated(cons):
            continue
        key = (source.round_label, organisation_key(cons))
        held = chosen.get(key)
        if held is None or (_rated(cons), cons.assessment_id) > (
                _rated(held.consolidation), held.consolidation.assessment_id):
            chosen[key] = source
    return [chosen[key] for key in sorted(chosen)]


def shown(count: int, k: int) -> bool:
    """True when a count of organisations may be published: none, or at least ``k``."""
    return count == 0 or count >= k


class _Scale:
    """The catalogue's levels by role, for shares."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.codes = [lv.code for lv in catalogue.scale]
        self.applicable = {lv.code for lv in catalogue.scale if lv.score is not None}
        self.met = {lv.code for lv in catalogue.scale if lv.role is ScaleRole.MET}
        self.not_met = {lv.code for lv in catalogue.scale if lv.role is ScaleRole.NOT_MET}
        self.score = {lv.code: lv.score for lv in catalogue.scale}

    def counts(self, codes: Iterable[str]) -> dict[str, int]:
        found = Counter(codes)
        return {code: found.get(code, 0) for code in self.codes}

    def shares(self, counts: dict[str, int]) -> tuple[float | None, float | None]:
        applicable = sum(n for code, n in counts.items() if code in self.applicable)
        if not applicable:
            return None, None
        met = sum(n for code, n in counts.items() if code in self.met)
        not_met = sum(n for code, n in counts.items() if code in self.not_met)
        return met / applicable, not_met / applicable


def _norm_cell(norm_id: str, title: str, results: Sequence[NormResult], total: int, k: int,
               scale: _Scale) -> Cell:
    """The cell of one norm over the results of the organisations that have a consensus."""
    n = len(results)
    if n < k or not shown(total - n, k):
        return Cell(id=norm_id, title=title, organisations=None)
    counts = scale.counts(r.consensus for r in results if r.consensus is not None)
    cell = Cell(id=norm_id, title=title, organisations=n, ratings=n)
    if all(shown(v, k) for v in counts.values()):
        cell.counts = counts
        cell.share_met, cell.share_not_met = scale.shares(counts)
    # disagreement is defined where two or more reviewers gave an applicable rating
    paired = [r for r in results
              if sum(1 for c in r.ratings.values() if c in scale.applicable) >= 2]
    disagreed = sum(1 for r in paired if r.disagreement)
    # the share also tells how many were paired (n minus those is a count too)
    if (len(paired) >= k and shown(n - len(paired), k) and shown(disagreed, k)
            and shown(len(paired) - disagreed, k)):
        cell.share_disagreement = disagreed / len(paired)
        spreads = [r.spread for r in paired if r.spread is not None]
        cell.mean_spread = sum(spreads) / len(spreads) if spreads else None
    return cell


def _pooled_cell(group_id: str, title: str, norm_ids: Sequence[str],
                 consolidations: Sequence[Consolidation], hidden: Sequence[str], k: int,
                 scale: _Scale) -> Cell:
    """A quality value or domain: the norm ratings of every organisation in it, pooled.

    Its breakdown can be worked out back to the norms whose own breakdown is ``hidden``
    (pooled minus the shown norms); it is shown only when, per level, those hidden norms'
    ratings come from no organisation or from at least ``k`` organisations.
    """
    total = len(consolidations)
    codes: list[str] = []
    organisations = 0
    for cons in consolidations:
        own = [cons.norms[n].consensus for n in norm_ids if n in cons.norms]
        rated = [code for code in own if code is not None]
        organisations += bool(rated)
        codes.extend(rated)
    if organisations < k or not shown(total - organisations, k):
        return Cell(id=group_id, title=title, organisations=None)
    cell = Cell(id=group_id, title=title, organisations=organisations, ratings=len(codes))
    if all(shown(n, k) for n in residue(consolidations, hidden, scale.codes).values()):
        cell.counts = scale.counts(codes)
        cell.share_met, cell.share_not_met = scale.shares(cell.counts)
    return cell


def residue(consolidations: Sequence[Consolidation], norm_ids: Iterable[str],
            codes: Sequence[str]) -> dict[str, int]:
    """Per scale level, the organisations with that consensus on any of ``norm_ids``: what
    a pooled count minus the shown norms' counts is about."""
    wanted = list(norm_ids)
    found: dict[str, set[int]] = {code: set() for code in codes}
    for index, cons in enumerate(consolidations):
        for norm_id in wanted:
            result = cons.norms.get(norm_id)
            if result is not None and result.consensus in found:
                found[result.consensus].add(index)
    return {code: len(orgs) for code, orgs in found.items()}


def compute_round(catalogue: Catalogue, label: str, consolidations: Sequence[Consolidation],
                  k: int) -> Round:
    """The cells of one round: every norm, quality value and domain of the catalogue."""
    scale = _Scale(catalogue)
    total = len(consolidations)
    norm_cells: dict[str, Cell] = {}
    for norm in catalogue.norms():
        results = [c.norms[norm.id] for c in consolidations
                   if norm.id in c.norms and c.norms[norm.id].consensus is not None]
        cell = _norm_cell(norm.id, norm.text, results, total, k, scale)
        if not results:
            cell.organisations = 0  # nobody: says nothing about anybody
        norm_cells[norm.id] = cell
    values, domains = [], []
    for domain in catalogue.domains:
        # what pooled minus shown parts gives back: the hidden norms of each shown quality
        # value, and those of the hidden quality values for the domain
        in_hidden_values: list[str] = []
        for value in domain.quality_values:
            value_norms = [n.id for n in value.norms]
            hidden = [n for n in value_norms if norm_cells[n].counts is None]
            cell = _pooled_cell(value.id, value.title, value_norms, consolidations, hidden,
                                k, scale)
            values.append(cell)
            if cell.counts is None:
                in_hidden_values.extend(hidden)
        domains.append(_pooled_cell(domain.id, domain.title, [n.id for n in domain.norms()],
                                    consolidations, in_hidden_values, k, scale))
    cells = list(norm_cells.values())
    not_met, spots = most_not_met(cells), hot_spots(cells)
    return Round(
        label=label, year=round_year(label),
        organisations=total if total >= k else None,
        norms=cells, quality_values=values, domains=domains,
        most_not_met=not_met[0], hot_spots=spots[0],
        most_not_met_tie=not_met[1], hot_spots_tie=spots[1])


def most_not_met(cells: Sequence[Cell]) -> tuple[list[str], Tie | None]:
    """The norms with the highest share *voldoet niet* (shown norms only), at most
    :data:`TOP` (equal shares in id order), and the tie where the list is cut (see
    :func:`_top`)."""
    ranked = [c for c in cells if c.share_not_met]
    return _top(ranked, lambda c: (-(c.share_not_met or 0),), "share_not_met")


def hot_spots(cells: Sequence[Cell]) -> tuple[list[str], Tie | None]:
    """The norms where reviewers disagreed most often (then the largest mean spread), at
    most :data:`TOP`: candidates for clearer wording in the next catalogue version; and the
    tie where the list is cut (see :func:`_top`)."""
    ranked = [c for c in cells if c.share_disagreement]
    return _top(ranked, lambda c: (-(c.share_disagreement or 0), -(c.mean_spread or 0)),
                "share_disagreement")


def _top(cells: list[Cell], rank: Callable[[Cell], tuple[float, ...]], share: str
         ) -> tuple[list[str], Tie | None]:
    """The ids of the first :data:`TOP` of ``cells`` by ``rank``, equal ranks in id order;
    but when norms of one rank straddle the cut, the list stops before them and they are
    the tie (how many, and their ``share``): the list would otherwise name some of them as
    "most often" and leave out others that are so just as much (all 50 norms at one share
    would have given the first ten ids)."""
    cells = sorted(cells, key=lambda c: (rank(c), c.id))
    if len(cells) <= TOP or rank(cells[TOP - 1]) != rank(cells[TOP]):
        return [c.id for c in cells[:TOP]], None
    tied = rank(cells[TOP])
    first = next(i for i, c in enumerate(cells) if rank(c) == tied)
    count = sum(1 for c in cells if rank(c) == tied)
    return [c.id for c in cells[:first]], Tie(count=count, share=getattr(cells[first], share))


def compute_group(catalogue: Catalogue, sources: Sequence[Source], k: int) -> CatalogueGroup:
    """The benchmark of one catalogue version over ``sources`` (all of this version): one
    :class:`Round` per round label, oldest first (by year, then label)."""
    by_round: dict[str, list[Consolidation]] = {}
    for source in select(sources):
        by_round.setdefault(source.round_label, []).append(source.consolidation)
    labels = sorted(by_round, key=lambda label: (round_year(label) or 0, label))
    return CatalogueGroup(
        catalogue_id=catalogue.id, catalogue_title=catalogue.title,
        catalogue_version=catalogue.version, catalogue_fingerprint=catalogue.fingerprint,
        min_group=k, policy_min_group=catalogue.policy.min_group_branch,
        scale=[Level(code=lv.code, label=lv.label, role=lv.role.value, colour=lv.colour)
               for lv in catalogue.scale],
        rounds=[compute_round(catalogue, label, by_round[label], k) for label in labels])


def compute_benchmark(groups: Sequence[tuple[Catalogue, Sequence[Source]]],
                      k: int | None = None) -> Benchmark:
    """The benchmark over several catalogue versions, each with its own sources. ``k`` is
    the smallest group shown; None: each catalogue's policy (``min_groep_branche``)."""
    return Benchmark(groups=[
        compute_group(cat, sources, k if k is not None else cat.policy.min_group_branch)
        for cat, sources in groups])
