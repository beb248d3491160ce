"""Every document kind kwl makes, declared once.

A :class:`DocumentSpec` says all there is to know about a kind: its template (the value of
its :class:`DocumentKind`), the ``kwl report`` command that makes it, the file name a round
gives it, what it is made from (a consolidation or a self-evaluation), whether it states a
decision, its help text, the function that builds its template fields, and when a round
makes it (:func:`kwl_office.batch.plan.documents_to_make`).

Adding a kind: a template in ``docx_templates/``, a spec here, and its help text in
:mod:`kwl_office.texts_nl` (three files), plus a field builder in
:mod:`kwl_office.documents.context` when no existing one fits. ``kwl report``,
``kwl templates`` and the round pick it up from here.

This module is light (no docxtpl, no models): the command line reads it to offer its
commands, and the field builders are named, not imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from importlib import import_module
from typing import Any, Literal

from kwl_office import texts_nl as T
from kwl_office.kinds import Variant


class DocumentKind(StrEnum):
    """The documents kwl makes; the value is the template's file name without ``.docx``."""

    LEARNING_REPORT = "leerrapport"
    AUDIT_REPORT = "auditrapport"
    FEEDBACK = "zelfevaluatie-feedback"
    REGISTRATION_LETTER = "registratiebrief"
    CERTIFICATE_LETTER = "certificaatbrief"
    REASSESSMENT_LETTER = "herbeoordelingsbrief"
    CERTIFICATE = "certificaat"
    BENCHMARK = "branchebeeld"

    @property
    def template(self) -> str:
        """The template's file name (``leerrapport.docx``): the shipped one, or the
        secretariat's own under exactly this name."""
        return f"{self.value}.docx"


#: what a document is made from (a benchmark: by ``kwl benchmark``, not by ``kwl report``)
Source = Literal["consolidation", "self-evaluation", "benchmark"]
#: the decision outcome a document belongs to (advice codes; None: made whatever the outcome)
Outcome = Literal["registratie", "certificaat", "herbeoordeling"]


@dataclass(frozen=True)
class DocumentSpec:
    """One document kind: template, command, file name, source, fields and when it is made."""

    kind: DocumentKind
    #: ``kwl report COMMAND``; several kinds may share one (the letters: by outcome)
    command: str
    #: the file name in a round's output folder
    output: str
    source: Source
    #: ``module:function`` building the template fields (see documents/context.py)
    fields: str
    #: the variants this document is made for
    variants: frozenset[Variant]
    #: made only for this decision outcome (letters, certificate); None: for any outcome
    outcome: Outcome | None = None

    @property
    def template(self) -> str:
        """The template file name (the secretariat may put its own beside the shipped one)."""
        return self.kind.template

    @property
    def states_decision(self) -> bool:
        """True for the documents about a decision (letters and certificate)."""
        return self.outcome is not None

    @property
    def help(self) -> str:
        """Dutch help of its ``kwl report`` command."""
        return T.HELP[f"report_{self.command}"]

    def field_builder(self) -> Callable[..., dict[str, Any]]:
        """The function that builds this document's template fields (imported on use)."""
        module, name = self.fields.split(":")
        builder: Callable[..., dict[str, Any]] = getattr(import_module(module), name)
        return builder

    def fits(self, variant: Variant) -> bool:
        """True when this document belongs to an assessment of ``variant``."""
        return variant in self.variants


_AUDITS = frozenset({Variant.AUDIT, Variant.COMBINATION, Variant.HKZ_ISO})
_GRANTING = frozenset({Variant.PEER_REVIEW, *_AUDITS})
_CONTEXT = "kwl_office.documents.context"

#: every document kind, in the order a round makes them
SPECS: tuple[DocumentSpec, ...] = (
    DocumentSpec(DocumentKind.FEEDBACK, "feedback", "terugkoppeling-zelfevaluatie.docx",
                 "self-evaluation", f"{_CONTEXT}:feedback_fields",
                 frozenset({Variant.SELF_EVALUATION})),
    DocumentSpec(DocumentKind.LEARNING_REPORT, "learning", "leerrapport.docx", "consolidation",
                 f"{_CONTEXT}:report_fields", frozenset({Variant.PEER_REVIEW})),
    DocumentSpec(DocumentKind.AUDIT_REPORT, "audit", "auditrapport.docx", "consolidation",
                 f"{_CONTEXT}:report_fields", _AUDITS),
    DocumentSpec(DocumentKind.REGISTRATION_LETTER, "letter", "brief.docx", "consolidation",
                 f"{_CONTEXT}:letter_fields", _GRANTING, "registratie"),
    DocumentSpec(DocumentKind.CERTIFICATE_LETTER, "letter", "brief.docx", "consolidation",
                 f"{_CONTEXT}:letter_fields", _AUDITS, "certificaat"),
    DocumentSpec(DocumentKind.REASSESSMENT_LETTER, "letter", "brief.docx", "consolidation",
                 f"{_CONTEXT}:letter_fields", _GRANTING, "herbeoordeling"),
    DocumentSpec(DocumentKind.CERTIFICATE, "certificate", "certificaat.docx", "consolidation",
                 f"{_CONTEXT}:letter_fields", _AUDITS, "certificaat"),
    # over many assessments, for the beheercommissie: made by ``kwl benchmark``, never by a
    # round for one assessment (no variant fits)
    DocumentSpec(DocumentKind.BENCHMARK, "benchmark", "branchebeeld.docx", "benchmark",
                 "kwl_office.documents.branch:benchmark_fields", frozenset()),
)
SPEC_BY_KIND = {spec.kind: spec for spec in SPECS}


def spec_for(kind: DocumentKind) -> DocumentSpec:
    """The spec of a document kind."""
    return SPEC_BY_KIND[kind]


def commands() -> dict[str, tuple[DocumentSpec, ...]]:
    """``kwl report`` command → the kinds it can make, in declaration order."""
    found: dict[str, list[DocumentSpec]] = {}
    for spec in SPECS:
        if spec.source == "benchmark":
            continue  # kwl benchmark makes it
        found.setdefault(spec.command, []).append(spec)
    return {command: tuple(specs) for command, specs in found.items()}


__all__ = ["SPECS", "DocumentKind", "DocumentSpec", "commands", "spec_for"]
