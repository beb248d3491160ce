"""Carrying a filled self-evaluation over to a new version of the normenkader.

:func:`carry_over` decides, norm by norm of the new version, what a new self-evaluation
starts with, following the mapping's policy (:mod:`kwl_office.catalogue.mapping`):

- a *comparable* norm (1:1, meaning unchanged) gets the previous rating and texts;
- a norm whose meaning changed, a split or merged norm gets **no** answer: the previous
  answer is shown as read-only guidance ("Vorige versie …") and the norm is rated anew;
- a new norm starts empty.

The writer puts the answers in the input cells and the guidance in the locked
*Toelichting* cell, which the reader never reads: nothing is carried over silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kwl_office import texts_nl
from kwl_office.assessment import NormResponse, Submission
from kwl_office.catalogue.loading import BUILT_IN, load_catalogue
from kwl_office.catalogue.mapping import CatalogueRef, Change, Mapping, identity_mapping
from kwl_office.catalogue.model import Catalogue
from kwl_office.dutch import count, join
from kwl_office.errors import CatalogueError

#: the answer fields a self-evaluation carries over (the rating besides)
_TEXT_FIELDS = ("comment", "evidence", "improvements")


@dataclass(frozen=True)
class CarryOver:
    """What a new self-evaluation starts with, per norm id of the new catalogue."""

    #: answers to put in the input cells (comparable norms with a previous answer)
    answers: dict[str, NormResponse] = field(default_factory=dict)
    #: read-only "previous version" guidance for the norms to rate anew
    previous: dict[str, str] = field(default_factory=dict)
    #: the new norms (no previous norm)
    new: tuple[str, ...] = ()

    @property
    def rerate(self) -> tuple[str, ...]:
        """The norms to rate anew (changed, split or merged), in catalogue order."""
        return tuple(self.previous)

    def summary(self) -> str:
        """The Start sheet's sentence: ``46 normen overgenomen uit de vorige zelfevaluatie;
        4 opnieuw te beoordelen (V1.2, …); 2 nieuw (D5.4 en O2.5).``"""
        parts = [texts_nl.CARRY_CARRIED.format(norms=count(len(self.answers), "norm"))]
        if self.rerate:
            parts.append(texts_nl.CARRY_RERATE.format(number=len(self.rerate),
                                                      norms=join(self.rerate)))
        if self.new:
            parts.append(texts_nl.CARRY_NEW.format(number=len(self.new), norms=join(self.new)))
        return texts_nl.CARRY_SUMMARY.format(parts="; ".join(parts))


def carry_over(previous: Submission, old: Catalogue, new: Catalogue,
               mapping: Mapping | None = None) -> CarryOver:
    """What a self-evaluation on ``new`` starts with, from ``previous`` (read with ``old``).

    Without ``mapping`` the two catalogues must be the same (every norm carried over).
    Raises :class:`~kwl_office.errors.CatalogueError` when the mapping does not lead from the
    previous workbook's catalogue to ``new``.
    """
    mapping = _checked_mapping(previous, old, new, mapping)
    answers: dict[str, NormResponse] = {}
    notes: dict[str, str] = {}
    added: list[str] = []
    responses = previous.responses
    for norm in new.norms():
        change = mapping.change_of(norm.id)
        sources = mapping.sources_of(norm.id)
        if change is Change.NEW:
            added.append(norm.id)
            continue
        if change is Change.SAME:
            answer = _carried(responses.get(sources[0]), new)
            if answer is not None:
                answers[norm.id] = answer
            elif _rating_lost(responses.get(sources[0]), new):
                notes[norm.id] = _note("schaal", sources, responses, old)
            continue
        notes[norm.id] = _note(change.value, sources, responses, old)
    return CarryOver(answers=answers, previous=notes, new=tuple(added))


def previous_catalogue(ref: CatalogueRef) -> Catalogue | None:
    """The built-in catalogue a mapping side or workbook refers to (by fingerprint), if any."""
    for name in BUILT_IN:
        catalogue = load_catalogue(name)
        if catalogue.fingerprint == ref.fingerprint:
            return catalogue
    return None


def _checked_mapping(previous: Submission, old: Catalogue, new: Catalogue,
                     mapping: Mapping | None) -> Mapping:
    errors = texts_nl.MAPPING_ERRORS
    ident = previous.identity
    found = (CatalogueRef(id=ident.catalogue_id, versie=ident.catalogue_version,
                          vingerafdruk=ident.catalogue_fingerprint)
             if ident is not None else CatalogueRef.of(old))
    if mapping is None:
        if found.fingerprint != new.fingerprint:
            raise CatalogueError(errors["needs-mapping"].format(
                found=found.label(), expected=CatalogueRef.of(new).label()))
        return identity_mapping(new)
    if mapping.source.fingerprint != found.fingerprint:
        raise CatalogueError(errors["wrong-source"].format(
            found=mapping.source.label(), expected=found.label()))
    if mapping.target.fingerprint != new.fingerprint:
        raise CatalogueError(errors["wrong-target"].format(
            found=mapping.target.label(), expected=CatalogueRef.of(new).label()))
    return mapping


def _carried(answer: NormResponse | None, new: Catalogue) -> NormResponse | None:
    """The answer to pre-fill, or None when there is nothing (or the rating has no level in
    the new scale: then the norm is rated anew, see :func:`_rating_lost`)."""
    if answer is None or _rating_lost(answer, new):
        return None
    if not answer.rating and not any(getattr(answer, f) for f in _TEXT_FIELDS):
        return None
    return NormResponse(rating=answer.rating, comment=answer.comment, evidence=answer.evidence,
                        improvements=answer.improvements, accent=answer.accent)


def _rating_lost(answer: NormResponse | None, new: Catalogue) -> bool:
    return bool(answer and answer.rating and answer.rating not in new.rating_scale.by_code)


def _note(reason: str, sources: tuple[str, ...], responses: dict[str, NormResponse],
          old: Catalogue) -> str:
    """The read-only guidance: why the norm is rated anew (``reason``: a key of
    ``texts_nl.CARRY_REASONS``) and what was answered before."""
    lines = [texts_nl.CARRY_REASONS[reason].format(norms=join(sources))]
    for old_id in sources:
        answer = responses.get(old_id)
        level = old.rating_scale.by_code.get(answer.rating or "") if answer else None
        rating = level.label if level else texts_nl.CARRY_NO_RATING
        line = texts_nl.CARRY_PREVIOUS.format(norm=old_id, rating=rating)
        if answer is not None and answer.comment:
            line += f" {answer.comment}"
        lines.append(line)
    return "\n".join(lines)
