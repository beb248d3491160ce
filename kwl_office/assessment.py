"""The models that travel between stages: workbook kinds, identities and submissions."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any, SupportsIndex

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticSerializationError

from kwl_office.findings import Report
from kwl_office.kinds import Kind, NormScope, Variant, Verdict

__all__ = ["Assessment", "Identity", "Kind", "NormResponse", "NormScope", "Organisation",
           "Review", "Submission", "Variant", "Verdict"]


class Assessment(BaseModel):
    """One assessment (toetsing) of a host organisation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    host: str = Field(min_length=1)
    variant: Variant
    #: the units assessed; empty means the whole organisation
    scope: str = ""


class Organisation(BaseModel):
    """A host organisation as letters address it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    contact: str = ""
    #: postal address, one line per item
    address: tuple[str, ...] = ()


class Identity(BaseModel):
    """The signed identity block of an issued workbook (DESIGN.md §4)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    layout_version: int
    kind: Kind
    workbook_id: str = Field(min_length=1)
    assessment_id: str = Field(min_length=1)
    host: str = Field(min_length=1)
    reviewer: str = ""
    catalogue_id: str = Field(min_length=1)
    catalogue_version: str = Field(min_length=1)
    catalogue_fingerprint: str = Field(min_length=1)
    norm_scope: NormScope = NormScope.ALL
    deadline: str = ""
    issued_at: str = Field(min_length=1)
    tool_version: str = Field(min_length=1)
    #: the reviewers of a shared team workbook, in the order of their sheets; empty for a
    #: workbook of one reviewer (then ``reviewer`` names them)
    reviewers: tuple[str, ...] = ()
    signature: str = ""

    @field_validator("reviewers", mode="before")
    @classmethod
    def _reviewers_from_text(cls, value: object) -> object:
        # the identity sheet and the document properties hold the list as JSON text
        if isinstance(value, str):
            return tuple(json.loads(value)) if value.strip() else ()
        return value

    @property
    def is_team(self) -> bool:
        """True for a shared workbook that several reviewers fill in together."""
        return bool(self.reviewers)

    @property
    def issued_on(self) -> date | None:
        """The UTC day the workbook was issued (None when ``issued_at`` is not a date). Never
        later than the Dutch day, so "not before the day of issue" never refuses a true day."""
        try:
            return date.fromisoformat(self.issued_at[:10])
        except ValueError:
            return None

    @property
    def reviewer_names(self) -> tuple[str, ...]:
        """Everyone who reviews in this workbook: the team, or the one reviewer."""
        return self.reviewers or ((self.reviewer,) if self.reviewer else ())

    def signed_fields(self) -> dict[str, str]:
        """Every field except the signature, as strings, in a fixed order. The reviewers of
        a team are signed as a JSON list, and only when there are any, so the signatures of
        single-reviewer workbooks are what they always were."""
        data = self.model_dump(mode="json", exclude={"signature", "reviewers"})
        fields = {key: str(value) for key, value in data.items()}
        if self.reviewers:
            fields["reviewers"] = json.dumps(list(self.reviewers), ensure_ascii=False)
        return fields


#: where an answer was read: left out of the machine-interface JSON
_PLACE = {"sheet", "cell"}


class NormResponse(BaseModel):
    """What one workbook says about one norm. Text fields not in the workbook's kind are None."""

    model_config = ConfigDict(extra="forbid")

    rating: str | None = None
    comment: str | None = None
    evidence: str | None = None
    improvements: str | None = None
    accent: bool | None = None
    strengths: str | None = None
    learning_points: str | None = None
    #: where the rating was read (sheet and cell), for annotations; not part of the §5 JSON
    #: (:meth:`to_json`), but kept when a submission crosses processes
    sheet: str | None = None
    cell: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The §5 shape: ``rating`` always, the kind's text fields when present."""
        data = self.model_dump(mode="json", exclude_none=True, exclude=_PLACE)
        data.setdefault("rating", None)
        return data


class Review(BaseModel):
    """One reviewer's answers in a workbook (a team workbook holds several)."""

    model_config = ConfigDict(extra="forbid")

    reviewer: str
    responses: dict[str, NormResponse] = Field(default_factory=dict)


class Submission(BaseModel):
    """One filled workbook read back: its identity, its answers and its findings.

    A workbook of one reviewer (or a self-evaluation) has its answers in ``responses``; a
    shared team workbook has each reviewer's answers in ``team_reviews`` and what the team
    says together (strengths, learning points) in ``team``. :meth:`reviews` gives both kinds
    the same shape."""

    model_config = ConfigDict(extra="forbid")

    file: str
    identity: Identity | None = None
    # factories: pydantic deep-copies a mutable default for every new submission
    responses: dict[str, NormResponse] = Field(default_factory=dict)
    team_reviews: list[Review] = Field(default_factory=list)
    team: dict[str, NormResponse] = Field(default_factory=dict)
    report: Report = Field(default_factory=Report)

    @property
    def is_team(self) -> bool:
        """True for a shared team workbook."""
        return self.identity is not None and self.identity.is_team

    def reviews(self) -> list[Review]:
        """Each reviewer's answers: one element for a workbook of one reviewer (named after
        its reviewer, empty for a self-evaluation), one per reviewer for a team workbook."""
        if self.is_team:
            return list(self.team_reviews)
        reviewer = self.identity.reviewer if self.identity else ""
        # built from answers validated already: validating 50 responses again is most of
        # the cost of checking a workbook's completeness (a copy, as validating made one)
        return [Review.model_construct(reviewer=reviewer, responses=dict(self.responses))]

    def per_reviewer(self) -> list[Submission]:
        """The workbook as separate single-reviewer submissions (a team workbook splits into
        one per reviewer, each with the whole report; any other is itself), so that the
        consolidation counts a team workbook exactly as its reviewers' own workbooks."""
        if not self.is_team or self.identity is None:
            return [self]
        return [Submission(file=self.file,
                           identity=self.identity.model_copy(
                               update={"reviewer": review.reviewer, "reviewers": ()}),
                           responses=review.responses, report=self.report)
                for review in self.team_reviews]

    @property
    def valid(self) -> bool:
        """True when the reader found no errors."""
        return self.report.valid

    @property
    def unreadable(self) -> bool:
        """True when the file could not be read as a workbook at all (``unreadable-file``)."""
        return "unreadable-file" in self.report.codes()

    @property
    def kind(self) -> Kind | None:
        """The workbook kind from its identity, if known."""
        return self.identity.kind if self.identity else None

    def __reduce_ex__(self, protocol: SupportsIndex) -> str | tuple[Any, ...]:
        # a submission crosses to another process (a worker's read-back) as its JSON, which
        # pydantic validates back in Rust: ~3x cheaper to load than pickle's rebuild of its
        # ~60 models one by one, and the main process of collect and report takes in 1,200
        # of them. Text JSON cannot carry (a file name with undecodable bytes) goes the
        # ordinary way.
        try:
            return (_submission_from_json, (self.model_dump_json(),))
        except PydanticSerializationError:
            return super().__reduce_ex__(protocol)

    def to_json(self) -> dict[str, Any]:
        """The machine-interface object of DESIGN.md §5."""
        ident = self.identity
        data: dict[str, Any] = {
            "file": self.file,
            "valid": self.valid,
            "kind": ident.kind.value if ident else None,
            "assessment_id": ident.assessment_id if ident else None,
            "host": ident.host if ident else None,
            "reviewer": (ident.reviewer or None) if ident else None,
            "catalogue_version": ident.catalogue_version if ident else None,
            "workbook_id": ident.workbook_id if ident else None,
        }
        if self.is_team:
            data["reviewers"] = list(ident.reviewers) if ident else []
        else:  # a workbook of one reviewer keeps its flat ratings (DESIGN.md §5)
            data["ratings"] = _ratings_json(self.responses)
        data["reviews"] = [{"reviewer": review.reviewer or None,
                            "ratings": _ratings_json(review.responses)}
                           for review in self.reviews()]
        if self.is_team:
            data["team"] = {norm_id: r.model_dump(mode="json", exclude_none=True,
                                                  exclude=_PLACE)
                            for norm_id, r in self.team.items()}
        data["findings"] = [f.to_json() for f in self.report.findings]
        return data


def _submission_from_json(data: str) -> Submission:
    """A submission from its JSON (see :meth:`Submission.__reduce_ex__`)."""
    return Submission.model_validate_json(data)


def _ratings_json(responses: dict[str, NormResponse]) -> dict[str, Any]:
    return {norm_id: r.to_json() for norm_id, r in responses.items()}


def last_issued(submissions: Iterable[Submission]) -> date | None:
    """The day the last of ``submissions`` was issued (see :attr:`Identity.issued_on`); None
    when none says. An advice resting on them exists only after that day, so a decision on it
    cannot lie before it."""
    days = [s.identity.issued_on for s in submissions if s.identity is not None]
    return max((d for d in days if d is not None), default=None)
