"""The branch benchmark as published: the shape of ``branche.json``.

Everything here is already anonymised and suppressed (:mod:`kwl_office.benchmark.compute`
decides what may be shown): no organisation, reviewer, assessment id or free text, and no
number about fewer than ``min_group`` organisations. A suppressed number is ``None``; the
documents show it as ``<k``. Field names are part of the machine interface (README, "Het
branchebeeld").
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Level(BaseModel):
    """One level of the catalogue's rating scale (code, label, role, colour)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    label: str
    role: str
    colour: str


class Cell(BaseModel):
    """The distribution of consensus ratings for one norm, quality value or domain in one
    round, across organisations.

    For a norm, ``counts`` counts organisations per level; for a quality value or a domain it
    counts the norm ratings of all organisations together (``ratings`` of them).
    """

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    #: organisations with a consensus here; None: fewer than the smallest group
    organisations: int | None
    #: scale code → number; None: the breakdown is suppressed (see compute.py)
    counts: dict[str, int] | None = None
    #: number of ratings counted (for a norm: equal to ``organisations``)
    ratings: int | None = None
    #: share of the applicable ratings that are *voldoet* / *voldoet niet*
    share_met: float | None = None
    share_not_met: float | None = None
    #: share of the organisations whose reviewers disagreed on this norm (norms only)
    share_disagreement: float | None = None
    #: mean spread (max − min score of the reviewers) over the organisations (norms only)
    mean_spread: float | None = None

    @property
    def suppressed(self) -> bool:
        """True when the breakdown is not shown."""
        return self.counts is None


class Tie(BaseModel):
    """Norms left out of a ranking because they tie where the list would be cut: which of
    them makes the list would be chosen by id, so none does (:mod:`~.compute`)."""

    model_config = ConfigDict(extra="forbid")

    #: how many norms share the place
    count: int
    #: the share they all have (*voldoet niet*, or *verschil van inzicht*)
    share: float


class Round(BaseModel):
    """One round (or year) of one catalogue version."""

    model_config = ConfigDict(extra="forbid")

    label: str
    year: int | None = None
    #: organisations in this round; None: fewer than the smallest group
    organisations: int | None
    norms: list[Cell]
    quality_values: list[Cell]
    domains: list[Cell]
    #: norms most often not met (ids, highest share first; only shown norms)
    most_not_met: list[str]
    #: norms where reviewers disagreed most often (ids, highest share first)
    hot_spots: list[str]
    #: the norms that tie where a ranking would be cut (None: no such tie)
    most_not_met_tie: Tie | None = None
    hot_spots_tie: Tie | None = None

    def norm(self, norm_id: str) -> Cell | None:
        """The cell of a norm, if it is in this round."""
        return next((c for c in self.norms if c.id == norm_id), None)

    def domain(self, domain_id: str) -> Cell | None:
        """The cell of a domain, if it is in this round."""
        return next((c for c in self.domains if c.id == domain_id), None)


class CatalogueGroup(BaseModel):
    """Every round of one catalogue version: norm ids of different versions are never
    pooled."""

    model_config = ConfigDict(extra="forbid")

    catalogue_id: str
    catalogue_title: str
    catalogue_version: str
    catalogue_fingerprint: str
    #: the smallest group shown (k) and what the catalogue's policy asks
    min_group: int
    policy_min_group: int
    scale: list[Level]
    #: rounds, oldest first
    rounds: list[Round]

    @property
    def lowered(self) -> bool:
        """True when k was set below the catalogue's policy (printed in the documents)."""
        return self.min_group < self.policy_min_group

    @property
    def latest(self) -> Round:
        """The most recent round."""
        return self.rounds[-1]


class Benchmark(BaseModel):
    """``branche.json``: the benchmark per catalogue version."""

    model_config = ConfigDict(extra="forbid")

    format: str = "kwl-branche/1"
    groups: list[CatalogueGroup]

    def group_for(self, fingerprint: str) -> CatalogueGroup | None:
        """The group of a catalogue version (by its fingerprint), if there is one."""
        return next((g for g in self.groups if g.catalogue_fingerprint == fingerprint), None)

    def to_json(self) -> dict[str, Any]:
        """The documented ``branche.json`` shape."""
        data: dict[str, Any] = self.model_dump(mode="json")
        return data
