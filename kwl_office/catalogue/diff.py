"""What changed between two versions of a normenkader, by norm id and by text similarity.

:func:`diff_catalogues` sorts every norm into one :class:`DiffKind`: unchanged, re-worded
(same id, other text), renamed (other id, same or similar text), split (one old norm matched
by two or more new ones), removed or added. :meth:`CatalogueDiff.draft_mapping` turns that
into a *draft* :class:`~kwl_office.catalogue.mapping.Mapping` for the secretariat to review:
text similarity can propose, but only a person can say whether the meaning changed.

Similarity is :class:`difflib.SequenceMatcher` over words (casefolded, punctuation stripped):
on the shipped example it separates renamed and split norms (0.63 to 1.0) from unrelated ones
(at most 0.49) without a new dependency. No score can tell whether a meaning changed (the
stricter O4.3 of the example scores 0.85, an editorial re-wording 0.82): that is the review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from enum import StrEnum
from typing import Any

from kwl_office import texts_nl
from kwl_office.catalogue.mapping import CatalogueRef, Mapping, NormLink
from kwl_office.catalogue.model import Catalogue, Norm
from kwl_office.dutch import decimal, join

#: a norm with a new id comes from an old norm from this similarity on (a rename, or a part
#: of a split); on the shipped example unrelated norms score at most 0.49, a split part 0.63
MATCH_THRESHOLD = 0.55
#: a re-worded or renamed norm below this similarity is proposed as "meaning changed" in the
#: draft; on the example editorial re-wordings score 0.82 to 0.94, the stricter V1.2 0.56
CHANGED_BELOW = 0.75

_WORD = re.compile(r"\w+", re.UNICODE)


class DiffKind(StrEnum):
    """How one norm changed; the values are the stable ``kind`` of ``--json``."""

    UNCHANGED = "unchanged"
    REWORDED = "reworded"
    RENAMED = "renamed"
    SPLIT = "split"
    REMOVED = "removed"
    ADDED = "added"


@dataclass(frozen=True)
class NormChange:
    """One line of the diff: an old norm and where it went, or a new norm."""

    kind: DiffKind
    old_id: str | None
    new_ids: tuple[str, ...]
    #: text similarity 0–1 between the old norm and each new one (same order as ``new_ids``)
    similarities: tuple[float, ...] = ()
    old_text: str = ""
    new_texts: tuple[str, ...] = ()

    @property
    def similarity(self) -> float | None:
        """The best similarity of this change; None for an added or removed norm."""
        return max(self.similarities) if self.similarities else None

    def to_json(self) -> dict[str, Any]:
        """The stable ``--json`` shape of this change."""
        return {
            "kind": self.kind.value,
            "old_id": self.old_id,
            "new_ids": list(self.new_ids),
            "similarity": None if self.similarity is None else round(self.similarity, 3),
            "old_text": self.old_text or None,
            "new_texts": list(self.new_texts),
        }


@dataclass
class CatalogueDiff:
    """Every norm of two catalogue versions, sorted into :class:`DiffKind`."""

    old: CatalogueRef
    new: CatalogueRef
    changes: list[NormChange] = field(default_factory=list)

    def of_kind(self, kind: DiffKind) -> list[NormChange]:
        """The changes of one kind, in catalogue order."""
        return [change for change in self.changes if change.kind is kind]

    def counts(self) -> dict[str, int]:
        """How many changes of each kind (every kind present, zero included)."""
        return {kind.value: len(self.of_kind(kind)) for kind in DiffKind}

    def to_json(self) -> dict[str, Any]:
        """The stable ``kwl catalogue diff --json`` object."""
        return {
            "old": self.old.model_dump(),
            "new": self.new.model_dump(),
            "counts": self.counts(),
            "changes": [change.to_json() for change in self.changes],
        }

    def draft_mapping(self) -> Mapping:
        """A draft mapping: every old norm with its best match(es) and their similarity;
        re-worded and renamed norms below :data:`CHANGED_BELOW` proposed as changed."""
        norms: dict[str, NormLink] = {}
        for change in self.changes:
            if change.old_id is None:
                continue
            similarity = change.similarity
            changed = (change.kind in (DiffKind.REWORDED, DiffKind.RENAMED)
                       and similarity is not None and similarity < CHANGED_BELOW)
            norms[change.old_id] = NormLink(to=change.new_ids, changed=changed,
                                            similarity=similarity)
        return Mapping(van=self.old, naar=self.new, normen=norms)

    def footer(self) -> str:
        """The closing comment of the draft: the new norms no old norm leads to."""
        added = [str(c.new_ids[0]) for c in self.of_kind(DiffKind.ADDED)]
        return texts_nl.DIFF_ADDED_FOOTER.format(norms=join(added)) if added else ""

    def notes(self) -> dict[str, str]:
        """Per old id a one-line comment for the draft file (what the diff saw)."""
        notes: dict[str, str] = {}
        for change in self.changes:
            if change.old_id is not None and change.kind is not DiffKind.UNCHANGED:
                notes[change.old_id] = change_note(change)
        return notes


def change_note(change: NormChange) -> str:
    """``anders verwoord (gelijkenis 0,83)``: the kind in Dutch with its score."""
    label = texts_nl.DIFF_KINDS[change.kind.value]
    if change.similarity is None or change.kind is DiffKind.UNCHANGED:
        return label
    return texts_nl.DIFF_NOTE.format(kind=label, score=decimal(change.similarity, 2))


# -- similarity -------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """The words of a norm text, casefolded, without punctuation."""
    return _WORD.findall(text.casefold())


def similarity(a: str, b: str) -> float:
    """How alike two norm texts are, 0–1, by their words (order matters)."""
    return SequenceMatcher(None, words(a), words(b), autojunk=False).ratio()


def word_diff(a: str, b: str) -> list[tuple[str, str]]:
    """The word-level difference of two texts as ``(op, text)`` parts; op ``=``, ``-`` or
    ``+``. The texts keep their own spelling; only the comparison ignores case and
    punctuation."""
    old, new = a.split(), b.split()
    matcher = SequenceMatcher(None, [_key(w) for w in old], [_key(w) for w in new],
                              autojunk=False)
    parts: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("=", " ".join(new[j1:j2])))
            continue
        if i2 > i1:
            parts.append(("-", " ".join(old[i1:i2])))
        if j2 > j1:
            parts.append(("+", " ".join(new[j1:j2])))
    return parts


def render_word_diff(parts: list[tuple[str, str]]) -> str:
    """Parts as plain text in the style of ``git diff --word-diff``: ``[-oud-]{+nieuw+}``."""
    marks = {"=": ("", ""), "-": ("[-", "-]"), "+": ("{+", "+}")}
    return " ".join(f"{marks[op][0]}{text}{marks[op][1]}" for op, text in parts)


def _key(word: str) -> str:
    return "".join(_WORD.findall(word.casefold()))


# -- the diff ---------------------------------------------------------------------------------


def diff_catalogues(old: Catalogue, new: Catalogue) -> CatalogueDiff:
    """Compare two catalogue versions norm by norm (see :class:`DiffKind`)."""
    old_norms = {norm.id: norm for norm in old.norms()}
    new_norms = {norm.id: norm for norm in new.norms()}
    owned = _owned_new_norms(old_norms, new_norms)
    changes: list[NormChange] = []
    reached: set[str] = set()
    for norm in old_norms.values():
        change = _change_of(norm, new_norms.get(norm.id), owned.get(norm.id, []))
        reached.update(change.new_ids)
        changes.append(change)
    for norm_id, norm in new_norms.items():
        if norm_id not in reached:
            changes.append(NormChange(DiffKind.ADDED, None, (norm_id,),
                                      new_texts=(norm.text,)))
    return CatalogueDiff(old=CatalogueRef.of(old), new=CatalogueRef.of(new), changes=changes)


def _owned_new_norms(old_norms: dict[str, Norm],
                     new_norms: dict[str, Norm]) -> dict[str, list[tuple[float, Norm]]]:
    """Old id → the new norms with a *new* id that came from it (similarity, norm), best
    first. A new id goes to the one old norm it resembles most, and only from
    :data:`MATCH_THRESHOLD` on; a norm that kept its id belongs to its own old norm."""
    owned: dict[str, list[tuple[float, Norm]]] = {}
    for norm_id, norm in new_norms.items():
        if norm_id in old_norms or not old_norms:
            continue
        score, source = max(((similarity(o.text, norm.text), o.id) for o in old_norms.values()),
                            key=lambda pair: (pair[0], -_position(old_norms, pair[1])))
        if score >= MATCH_THRESHOLD:
            owned.setdefault(source, []).append((score, norm))
    for parts in owned.values():
        parts.sort(key=lambda pair: -pair[0])
    return owned


def _position(norms: dict[str, Norm], norm_id: str) -> int:
    return list(norms).index(norm_id)


def _change_of(norm: Norm, same_id: Norm | None,
               owned: list[tuple[float, Norm]]) -> NormChange:
    """Where one old norm went, given its successor with the same id and the new ids it
    owns."""
    if same_id is not None:
        matches = [(similarity(norm.text, same_id.text), same_id), *owned]
        if owned:
            return _make(DiffKind.SPLIT, norm, matches)
        kind = DiffKind.UNCHANGED if same_id.text == norm.text else DiffKind.REWORDED
        return _make(kind, norm, matches)
    if len(owned) >= 2:
        return _make(DiffKind.SPLIT, norm, owned)
    if owned:
        return _make(DiffKind.RENAMED, norm, owned)
    return NormChange(DiffKind.REMOVED, norm.id, (), old_text=norm.text)


def _make(kind: DiffKind, norm: Norm, matches: list[tuple[float, Norm]]) -> NormChange:
    return NormChange(kind, norm.id, tuple(m.id for _, m in matches),
                      tuple(score for score, _ in matches), norm.text,
                      tuple(m.text for _, m in matches))
