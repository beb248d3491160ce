"""The models that travel between stages: workbook kinds, identities and submissions."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from kwl_office.findings import Report
from kwl_office.kinds import Kind, NormScope, Variant, Verdict

__all__ = ["Assessment", "Identity", "Kind", "NormResponse", "NormScope", "Organisation",
           "Submission", "Variant", "Verdict"]


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
    signature: str = ""

    def signed_fields(self) -> dict[str, str]:
        """Every field except the signature, as strings, in a fixed order."""
        data = self.model_dump(mode="json", exclude={"signature"})
        return {key: str(value) for key, value in data.items()}


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
    #: where the rating was read (sheet and cell), for annotations; not part of the JSON
    sheet: str | None = Field(default=None, exclude=True)
    cell: str | None = Field(default=None, exclude=True)

    def to_json(self) -> dict[str, Any]:
        """The §5 shape: ``rating`` always, the kind's text fields when present."""
        data = self.model_dump(mode="json", exclude_none=True)
        data.setdefault("rating", None)
        return data


class Submission(BaseModel):
    """One filled workbook read back: its identity, its answers and its findings."""

    model_config = ConfigDict(extra="forbid")

    file: str
    identity: Identity | None = None
    responses: dict[str, NormResponse] = {}
    report: Report = Field(default_factory=Report)

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

    def to_json(self) -> dict[str, Any]:
        """The machine-interface object of DESIGN.md §5."""
        ident = self.identity
        return {
            "file": self.file,
            "valid": self.valid,
            "kind": ident.kind.value if ident else None,
            "assessment_id": ident.assessment_id if ident else None,
            "host": ident.host if ident else None,
            "reviewer": (ident.reviewer or None) if ident else None,
            "catalogue_version": ident.catalogue_version if ident else None,
            "workbook_id": ident.workbook_id if ident else None,
            "ratings": {norm_id: r.to_json() for norm_id, r in self.responses.items()},
            "findings": [f.to_json() for f in self.report.findings],
        }
