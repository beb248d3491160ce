"""What a round makes for an assessment: a pure function of the variant and the decision.

Kept apart from making the documents (:mod:`kwl_office.batch.report`), so the rule can be read
and tested on its own.
"""

from __future__ import annotations

from kwl_office.documents.registry import SPECS, DocumentSpec
from kwl_office.kinds import Variant


def documents_to_make(variant: Variant, outcome: str | None, *,
                      withdrawn: bool = False) -> list[DocumentSpec]:
    """The documents of an assessment of ``variant`` whose decision outcome is ``outcome``
    (an advice code, None for a self-evaluation alone), in the order they are made.

    The report (or the feedback) always; a letter and a certificate only for the outcome they
    state, never for ``onvolledig``, and never again once the register entry is
    ``withdrawn`` (the documents that were sent stay as they are).
    """
    return [spec for spec in SPECS if spec.fits(variant) and (
        not spec.states_decision or (not withdrawn and spec.outcome == outcome))]
