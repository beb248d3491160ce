"""The result of consolidating an assessment: one judgement per norm, with its evidence.

These models are the stable shape of ``consolidation.json`` (see the README): field names are
part of the machine interface. Codes in ``ratings``, ``consensus`` and ``self`` are the scale
codes of the catalogue; scores are the scale's scores.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from kwl_office.assessment import Variant
from kwl_office.consolidation.agreement import Agreement
from kwl_office.findings import Finding, Severity


class Advice(StrEnum):
    """The advice for the label that comes out of an assessment."""

    REGISTRATION = "registratie"
    CERTIFICATE = "certificaat"
    REASSESSMENT = "herbeoordeling"
    INCOMPLETE = "onvolledig"


class ReviewerResponse(BaseModel):
    """What one reviewing organisation said about a norm, attributed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reviewer: str
    rating: str | None = None
    comment: str | None = None
    strengths: str | None = None
    learning_points: str | None = None


class Override(BaseModel):
    """A final rating decided in the consensus meeting (*Eindoordeel* + *Motivering*)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    norm_id: str
    rating: str
    motivation: str | None = None
    #: where it was read, for findings
    sheet: str | None = None
    cell: str | None = None
    motivation_cell: str | None = None


class NormResult(BaseModel):
    """One norm, consolidated."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    norm_id: str
    domain_id: str
    quality_value_id: str
    distinctive: bool
    #: reviewer → scale code (None: left empty)
    ratings: dict[str, str | None]
    responses: list[ReviewerResponse]
    #: what a team said together in a shared team workbook (strengths, learning points;
    #: no rating: each reviewer's own rating is in ``ratings``), attributed to the team
    team: list[ReviewerResponse] = Field(default_factory=list)
    #: the host's own rating (self-evaluation), and its texts
    self_rating: str | None = Field(default=None, alias="self")
    self_comment: str | None = None
    #: the improvement actions the host wrote in its self-evaluation (*Verbeteracties*); a
    #: later assessment shows them next to what the reviewers found then (absent in
    #: consolidation.json files written before they were kept)
    self_improvements: str | None = None
    accent: bool = False
    #: consensus as computed from the ratings, before any override
    computed: str | None = None
    #: final consensus: the override when there is one, else ``computed``
    consensus: str | None = None
    consensus_score: int | None = None
    #: max − min score of the applicable ratings (None: no applicable rating)
    spread: int | None = None
    disagreement: bool = False
    #: self score − consensus score (None when either has no score)
    gap: int | None = None
    overridden: bool = False
    motivation: str | None = None
    #: an Eindoordeel the consensus meeting typed without a motivation: not applied, but
    #: kept (and marked) in the next geconsolideerd.xlsx until a motivation is added
    pending_override: str | None = None


class GroupSummary(BaseModel):
    """Counts and statistics over the norms of a quality value, a domain or everything."""

    model_config = ConfigDict(extra="forbid")

    title: str
    norms: int
    #: final consensus code → number of norms (every scale code present, also 0)
    counts: dict[str, int]
    #: norms without a consensus
    open: int
    #: norms whose consensus has a score (not n.v.t.)
    applicable: int
    #: share of applicable norms whose consensus is the top level (*voldoet*)
    share_met: float | None
    #: share of applicable norms whose consensus is the level just below the top (*deels*)
    share_partly: float | None
    mean_score: float | None
    disagreements: int
    alpha: float | None = None
    alpha_reason: str | None = None
    percent_agreement: float | None = None
    pairable_units: int = 0


class Consolidation(BaseModel):
    """All submissions of one assessment combined (DESIGN.md §2)."""

    model_config = ConfigDict(extra="forbid")

    assessment_id: str
    host: str
    variant: Variant
    scope: str = ""
    catalogue_id: str
    catalogue_version: str
    catalogue_fingerprint: str
    reviewers: list[str]
    self_evaluation: bool
    #: None for a self-evaluation alone (no advice)
    advice: Advice | None
    blocking_norms: list[str]
    norms: dict[str, NormResult]
    quality_values: dict[str, GroupSummary]
    domains: dict[str, GroupSummary]
    overall: GroupSummary
    agreement: Agreement
    findings: list[Finding]
    #: the files that were consolidated (after the input checks)
    files: list[str] = Field(default_factory=list)
    #: expected workbooks that were missing or invalid when this was reported anyway
    #: (``kwl round report --incomplete``); documents say so. Empty: nothing was missing.
    missing_inputs: list[str] = Field(default_factory=list)
    #: the day the last of the consolidated workbooks was issued (UTC): the committee cannot
    #: have decided on this advice before it. None when no workbook says (older files)
    last_issued: date | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Consolidation:
        """Read back what :meth:`to_json` wrote (``consolidation.json``)."""
        return cls.model_validate({k: v for k, v in data.items() if k != "valid"})

    @property
    def has_agreement(self) -> bool:
        """True when two or more reviewers rated a norm: only then is there agreement between
        reviewers to report (an audit by one CI has none, not an undefined one)."""
        return self.agreement.pairable_units > 0

    @property
    def valid(self) -> bool:
        """True when the input checks found no errors."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        """The documented ``consolidation.json`` shape."""
        data: dict[str, Any] = self.model_dump(mode="json", by_alias=True)
        data["valid"] = self.valid
        data["findings"] = [f.to_json() for f in self.findings]
        return data
