"""Consolidation: several reviewers' ratings combined into one judgement per norm.

:mod:`.rules` (pure: consensus, spread, advice by scale roles), :mod:`.agreement`
(Krippendorff's alpha), :mod:`.model` (the ``consolidation.json`` shape), :mod:`.files` (from
workbook files to a consolidation and back), :mod:`.workbook` (``geconsolideerd.xlsx``) and
:mod:`.overrides` (its Eindoordeel/Motivering read back). The model and :func:`consolidate`
are re-exported here.
"""

from kwl_office.consolidation.model import (
    Advice,
    Consolidation,
    GroupSummary,
    NormResult,
    Override,
    ReviewerResponse,
)
from kwl_office.consolidation.rules import consolidate

__all__ = [
    "Advice",
    "Consolidation",
    "GroupSummary",
    "NormResult",
    "Override",
    "ReviewerResponse",
    "consolidate",
]
