"""Findings: problems found in a submission, catalogue row or manifest, as data.

A finding kind has a stable kebab-case ``code``, a severity and a Dutch message template
(in :mod:`kwl_office.texts_nl`); a finding instance carries only the place (file, sheet,
cell, norm) and the values that fill the template. JSON output and the Dutch message are
two views of the same object. Tests assert on ``(code, sheet, cell)``, never on prose.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from kwl_office import texts_nl


class Severity(StrEnum):
    """How bad a finding is: errors make a submission invalid, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


#: Every finding code with its severity. Codes are part of the machine interface: never rename.
FINDING_KINDS: dict[str, Severity] = {
    # identity and integrity
    "identity-missing": Severity.ERROR,
    "identity-tampered": Severity.ERROR,
    "signature-unverified": Severity.WARNING,
    "layout-version": Severity.ERROR,
    "wrong-kind": Severity.ERROR,
    "wrong-assessment": Severity.ERROR,
    "catalogue-mismatch": Severity.ERROR,
    # structure
    "missing-header": Severity.ERROR,
    "missing-norm-row": Severity.ERROR,
    "duplicate-norm-row": Severity.ERROR,
    "unknown-norm-row": Severity.ERROR,
    "norm-text-changed": Severity.WARNING,
    # values
    "unknown-rating": Severity.ERROR,
    "missing-rating": Severity.WARNING,
    "incomplete-submission": Severity.ERROR,
    "invalid-accent": Severity.ERROR,
    "text-too-long": Severity.ERROR,
    # consolidation input checks
    "unreadable-file": Severity.ERROR,
    "submission-invalid": Severity.ERROR,
    "assessment-mismatch": Severity.ERROR,
    "duplicate-submission": Severity.ERROR,
    "duplicate-self-evaluation": Severity.ERROR,
    "self-evaluation-as-review": Severity.ERROR,
    "too-few-reviewers": Severity.WARNING,
    "too-few-ratings": Severity.WARNING,
    "reported-incomplete": Severity.WARNING,
    "override-without-motivation": Severity.ERROR,
    "override-unknown-norm": Severity.ERROR,
    # the round's manifest
    "manifest-missing-value": Severity.ERROR,
    "manifest-invalid-value": Severity.ERROR,
    "manifest-duplicate-id": Severity.ERROR,
    "manifest-duplicate-reviewer": Severity.ERROR,
    "manifest-self-review": Severity.ERROR,
    "workbook-name-taken": Severity.ERROR,
    # collecting returned files
    "foreign-workbook": Severity.ERROR,
    # Word templates (kwl templates check)
    "template-missing": Severity.ERROR,
    "template-syntax": Severity.ERROR,
    "template-unknown-field": Severity.ERROR,
    "template-broken-tag": Severity.ERROR,
    "template-unused-field": Severity.WARNING,
}


class Finding(BaseModel):
    """One problem, located as precisely as the input allows."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    severity: Severity
    sheet: str | None = None
    cell: str | None = None
    norm_id: str | None = None
    message: str
    file: str | None = None

    def location(self) -> str:
        """Human-readable place, e.g. ``Vakmanschap!E7``."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or self.cell or ""

    def to_json(self) -> dict[str, Any]:
        """The §5 machine-interface shape (``file`` only when set)."""
        data = self.model_dump(mode="json")
        if data["file"] is None:
            del data["file"]
        return data


def make_finding(
    code: str,
    *,
    sheet: str | None = None,
    cell: str | None = None,
    norm_id: str | None = None,
    file: str | None = None,
    **params: Any,
) -> Finding:
    """Create a finding of a registered kind, filling its Dutch message from ``params``."""
    severity = FINDING_KINDS[code]
    template = texts_nl.FINDING_MESSAGES[code]
    message = template.format(sheet=sheet, cell=cell, norm_id=norm_id, file=file, **params)
    return Finding(
        code=code,
        severity=severity,
        sheet=sheet,
        cell=cell,
        norm_id=norm_id,
        message=message,
        file=file,
    )


class FindingsError(Exception):
    """Raised by :meth:`Report.raise_for_errors` when the caller decides errors are fatal."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = list(findings)
        first = self.findings[0]
        more = f" (en {len(self.findings) - 1} meer)" if len(self.findings) > 1 else ""
        super().__init__(f"{first.location()}: {first.message}{more}")


class Report(BaseModel):
    """A list of findings with the questions callers ask of it."""

    model_config = ConfigDict(extra="forbid")

    findings: list[Finding] = []

    @property
    def valid(self) -> bool:
        """True when there is no finding of severity error."""
        return not self.errors

    @property
    def errors(self) -> list[Finding]:
        """Findings of severity error."""
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        """Findings of severity warning."""
        return [f for f in self.findings if f.severity is Severity.WARNING]

    def add(self, finding: Finding) -> None:
        """Append one finding."""
        self.findings.append(finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        """Append several findings."""
        self.findings.extend(findings)

    def flatten(self, keys: Sequence[str] = ("code", "sheet", "cell")) -> list[tuple[Any, ...]]:
        """Findings as tuples of the given attributes, for short assertions in tests."""
        return [tuple(getattr(f, k) for k in keys) for f in self.findings]

    def codes(self) -> set[str]:
        """The set of finding codes present."""
        return {f.code for f in self.findings}

    def raise_for_errors(self) -> None:
        """Raise :class:`FindingsError` when there are errors; the caller decides if fatal."""
        if self.errors:
            raise FindingsError(self.errors)
