"""The enumerations of the domain: workbook kinds, assessment variants, decisions, norm
scopes, register statuses.

Plain enums without pydantic or any other dependency, so the command line can offer them as
choices without importing the models (``kwl --help`` starts at once). The models in
:mod:`kwl_office.assessment` and :mod:`kwl_office.register` use and re-export them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal


class Kind(StrEnum):
    """The kind of workbook: who fills it in."""

    SELF_EVALUATION = "zelfevaluatie"
    PEER = "peer"
    AUDIT = "audit"

    @property
    def is_review(self) -> bool:
        """True for peer and audit workbooks (someone rates the host)."""
        return self is not Kind.SELF_EVALUATION


class Variant(StrEnum):
    """The toetsingsvariant: how an organisation is assessed (DESIGN.md §1)."""

    SELF_EVALUATION = "zelfevaluatie"
    PEER_REVIEW = "intercollegiaal"
    AUDIT = "audit"
    COMBINATION = "combinatie"
    HKZ_ISO = "hkz-iso"

    @property
    def is_audit(self) -> bool:
        """True for the variants that lead to a certificate (a CI is involved)."""
        return self in (Variant.AUDIT, Variant.COMBINATION, Variant.HKZ_ISO)


class Verdict(StrEnum):
    """The beheercommissie's decision on the advice (*besluit*): grant or refuse.

    No verdict means the committee follows the advice. One enum for the manifest's column
    *Besluit*, the ``--decision`` option and the documents.
    """

    GRANT = "toekennen"
    REFUSE = "afwijzen"


class NormScope(StrEnum):
    """Which norms a workbook holds."""

    ALL = "alle"
    DISTINCTIVE = "onderscheidend"


class Status(StrEnum):
    """Where a register entry stands on a given day."""

    ACTIVE = "actief"
    EXPIRED = "verlopen"
    WITHDRAWN = "ingetrokken"


#: the formats ``kwl register export`` writes
ExportFormat = Literal["xlsx", "csv", "html"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("xlsx", "csv", "html")
