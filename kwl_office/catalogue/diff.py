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
    """Compare two catalogue versions norm by norm (see :class:`DiffKind`).

    Norms are paired by their text before their id: a norm inserted in the middle of a
    quality value renumbers the ones after it, and norms of one quality value often share a
    sentence ("De organisatie heeft … schriftelijk vastgelegd"), so the same id is no sign of
    the same norm. In this order: a text found again word for word (whatever its id now; the
    same id first when a text occurs twice); the same id with a text still clearly alike
    (:data:`CHANGED_BELOW`); then the most alike of the remaining pairs first, from
    :data:`MATCH_THRESHOLD` on. A new norm left over that resembles an old norm whose text did
    not survive word for word is a part of that norm (split); anything else left over is
    removed or new.
    """
    old_norms = {norm.id: norm for norm in old.norms()}
    new_norms = {norm.id: norm for norm in new.norms()}
    free = dict(new_norms)  # the new norms no old norm leads to yet
    links: dict[str, list[tuple[float, Norm]]] = {}
    found_again: set[str] = set()
    by_words: dict[tuple[str, ...], list[str]] = {}
    for norm_id, norm in new_norms.items():
        by_words.setdefault(tuple(words(norm.text)), []).append(norm_id)
    for norm_id, norm in old_norms.items():
        same = [i for i in by_words.get(tuple(words(norm.text)), []) if i in free]
        if same:
            links[norm_id] = [(1.0, free.pop(norm_id if norm_id in same else same[0]))]
            found_again.add(norm_id)
    for norm_id, norm in old_norms.items():
        if norm_id not in links and norm_id in free:
            score = similarity(norm.text, free[norm_id].text)
            if score >= CHANGED_BELOW:
                links[norm_id] = [(score, free.pop(norm_id))]
    _pair_the_most_alike(old_norms, free, links)
    order = {norm_id: i for i, norm_id in enumerate(old_norms)}
    for norm_id, norm in list(free.items()):
        scored = [(similarity(o.text, norm.text), -order[o.id], o.id)
                  for o in old_norms.values() if o.id in links and o.id not in found_again]
        best = max(scored, default=None)
        if best is not None and best[0] >= MATCH_THRESHOLD:
            links[best[2]].append((best[0], free.pop(norm_id)))
    changes = [_change_of(norm, links.get(norm.id, [])) for norm in old_norms.values()]
    changes += [NormChange(DiffKind.ADDED, None, (norm_id,), new_texts=(norm.text,))
                for norm_id, norm in free.items()]
    return CatalogueDiff(old=CatalogueRef.of(old), new=CatalogueRef.of(new), changes=changes)


def _pair_the_most_alike(old_norms: dict[str, Norm], free: dict[str, Norm],
                         links: dict[str, list[tuple[float, Norm]]]) -> None:
    """Link the old norms not linked yet to the free new ones, the most alike pair first
    (from :data:`MATCH_THRESHOLD`; at equal likeness a kept id, then catalogue order)."""
    rest = [norm for norm in old_norms.values() if norm.id not in links]
    rest_words = [words(norm.text) for norm in rest]
    candidates = []
    for j, norm in enumerate(free.values()):
        # one matcher per new norm (it indexes its second sequence once); the cheap upper
        # bounds first: a whole renumbered and re-worded domain stays seconds, not minutes
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(words(norm.text))
        for i, (old, old_words) in enumerate(zip(rest, rest_words, strict=True)):
            matcher.set_seq1(old_words)
            if (matcher.real_quick_ratio() < MATCH_THRESHOLD
                    or matcher.quick_ratio() < MATCH_THRESHOLD):
                continue
            candidates.append((matcher.ratio(), old.id == norm.id, -i, -j, old.id, norm.id))
    for score, _, _, _, old_id, new_id in sorted(candidates, reverse=True):
        if score < MATCH_THRESHOLD:
            break
        if old_id not in links and new_id in free:
            links[old_id] = [(score, free.pop(new_id))]


def _change_of(norm: Norm, matches: list[tuple[float, Norm]]) -> NormChange:
    """Where one old norm went: its links (the first is the one it was paired with, the
    others the parts it was split into, most alike first)."""
    if not matches:
        return NormChange(DiffKind.REMOVED, norm.id, (), old_text=norm.text)
    if len(matches) >= 2:
        return _make(DiffKind.SPLIT, norm,
                     [matches[0], *sorted(matches[1:], key=lambda pair: -pair[0])])
    successor = matches[0][1]
    if successor.id != norm.id:
        return _make(DiffKind.RENAMED, norm, matches)
    kind = DiffKind.UNCHANGED if successor.text == norm.text else DiffKind.REWORDED
    return _make(kind, norm, matches)


def _make(kind: DiffKind, norm: Norm, matches: list[tuple[float, Norm]]) -> NormChange:
    return NormChange(kind, norm.id, tuple(m.id for _, m in matches),
                      tuple(score for score, _ in matches), norm.text,
                      tuple(m.text for _, m in matches))
