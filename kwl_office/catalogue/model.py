"""The normenkader model: domains → quality values → norms, the rating scale and the policy.

Loading and saving (YAML, Excel) live beside this module (:mod:`kwl_office.catalogue.loading`
and the format modules), which depend on the model; the model depends on none of them.

The :meth:`Catalogue.fingerprint` is a stable hash over ids, titles, norm texts and the
scale: editorial changes to guidance or evidence examples do not change it, a changed norm
does. Workbooks carry it so that a submission is never read against another catalogue.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Iterator
from enum import StrEnum
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kwl_office import texts_nl
from kwl_office.dutch import join
from kwl_office.names import normalise_token

EXAMPLE_CATALOGUE = "voorbeeld"

#: a place in the catalogue's data, as pydantic names it: ``("schaal", 2, "score")``
Loc = tuple[str | int, ...]

_MODEL_CONFIG = ConfigDict(
    extra="forbid", frozen=True, validate_by_name=True, validate_by_alias=True
)


class ScaleRole(StrEnum):
    """What a level of the rating scale means for the advice (``rol`` in the catalogue).

    Consolidation and advice look only at roles, never at the order of scores: adding a level
    to a scale can never silently change what counts as met or as blocking.
    """

    MET = "voldoet"
    PARTLY = "deels"
    NOT_MET = "niet"
    NOT_APPLICABLE = "nvt"


#: roles in the order their scores must follow (higher role, higher score)
_ROLE_RANK = {ScaleRole.NOT_MET: 0, ScaleRole.PARTLY: 1, ScaleRole.MET: 2}


class RatingLevel(BaseModel):
    """One level of the rating scale (``V`` Voldoet, score 2, role *voldoet*, green)."""

    model_config = _MODEL_CONFIG

    code: str = Field(min_length=1, max_length=10, pattern=r"^[A-Za-z0-9]+$")
    label: str = Field(min_length=1)
    score: int | None = Field(default=None, ge=0, le=100)
    role: ScaleRole = Field(alias="rol")
    colour: str = Field(alias="kleur", default="FFFFFF", pattern=r"^[0-9A-Fa-f]{6}$")

    @property
    def applicable(self) -> bool:
        """False for *niet van toepassing*."""
        return self.role is not ScaleRole.NOT_APPLICABLE


class Policy(BaseModel):
    """Rules the consolidation and the register apply; every field has a documented default."""

    model_config = _MODEL_CONFIG

    #: spread (max − min score) from which reviewers are said to disagree on a norm
    disagreement_spread: int = Field(alias="afwijking_spreiding", default=2, ge=1)
    #: reviewing organisations needed for a registration after a peer review
    min_reviewers: int = Field(alias="min_beoordelaars", default=2, ge=1)
    #: highest share of *voldoet deels* per domain that still leads to a certificate
    max_partly_share: float = Field(alias="max_aandeel_deels", default=0.25, ge=0, le=1)
    #: years a registration stays valid
    registration_validity_years: int = Field(
        alias="geldigheid_registratie_jaren", default=3, ge=1
    )
    #: years a certificate stays valid
    certificate_validity_years: int = Field(
        alias="geldigheid_certificaat_jaren", default=3, ge=1
    )
    #: longest text (characters) accepted in one input cell
    max_text_length: int = Field(alias="max_tekstlengte", default=8000, ge=100, le=32767)
    #: share of the norms in a workbook's scope that must have a rating (n.v.t. counts as a
    #: rating) before the workbook counts; 1 = every norm
    min_rated_share: float = Field(alias="min_aandeel_beoordeeld", default=1.0, gt=0, le=1)
    #: the smallest group of organisations the branch benchmark shows a number about (a
    #: smaller group is shown as "<k", never as its number)
    min_group_branch: int = Field(alias="min_groep_branche", default=5, ge=2)

    def required_ratings(self, norms: int) -> int:
        """How many of ``norms`` norms must be rated for a complete workbook."""
        return math.ceil(round(self.min_rated_share * norms, 9))


class Norm(BaseModel):
    """A testable norm, e.g. ``V1.2``."""

    model_config = _MODEL_CONFIG

    id: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    text: str = Field(alias="tekst", min_length=1)
    guidance: str = Field(alias="toelichting", default="")
    evidence: tuple[str, ...] = Field(alias="bewijs", default=())
    distinctive: bool = Field(alias="onderscheidend", default=False)


class QualityValue(BaseModel):
    """A kwaliteitswaarde: a value of the branch code, tested by its norms."""

    model_config = _MODEL_CONFIG

    id: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    title: str = Field(alias="titel", min_length=1)
    description: str = Field(alias="omschrijving", default="")
    norms: tuple[Norm, ...] = Field(alias="normen", min_length=1)


class Domain(BaseModel):
    """One of the three domains (Vakmanschap, Dienstverlening, Organisatie en bestuur)."""

    model_config = _MODEL_CONFIG

    id: str = Field(min_length=1, max_length=10, pattern=r"^[A-Za-z0-9]+$")
    title: str = Field(alias="titel", min_length=1, max_length=31)
    description: str = Field(alias="omschrijving", default="")
    quality_values: tuple[QualityValue, ...] = Field(alias="kwaliteitswaarden", min_length=1)

    def norms(self) -> Iterator[Norm]:
        """The norms of this domain in catalogue order."""
        for value in self.quality_values:
            yield from value.norms


class RatingScale:
    """Lookup of what people type or pick into a scale level, tolerant of spelling.

    Accepts the code, the label or the score, in any case, with stray spaces and dots:
    ``v``, ``Voldoet``, `` VOLDOET DEELS ``, ``2``, ``2.0``, ``n.v.t.``, ``NVT``. A typed
    number is first a level's code (or label), then a score: with codes ``1``/``2``/``3``,
    ``1`` is the level whose code is 1 (a catalogue where that number is also another
    level's score is refused, see :func:`_check_numbers`).
    """

    def __init__(self, levels: tuple[RatingLevel, ...]) -> None:
        self.levels = levels
        self.by_code = {level.code: level for level in levels}
        self._lookup: dict[str, RatingLevel] = {}
        named: set[str] = set()  # numbers that are a code or a label
        for level in levels:
            for text in (level.code, level.label):
                number = _as_number(text.strip())
                if number is None:
                    self._lookup[normalise_token(text)] = level
                else:
                    # numbers live in their own namespace (as people type them, and as the
                    # check macro looks them up), so "-1" (normalised "1") never matches
                    self._lookup[f"#{number}"] = level
                    named.add(number)
            if level.score is not None and str(level.score) not in named:
                self._lookup[f"#{level.score}"] = level
        # "niet van toepassing" is commonly abbreviated as n.v.t. whatever the label says
        not_applicable = [lv for lv in levels if lv.role is ScaleRole.NOT_APPLICABLE]
        if len(not_applicable) == 1:
            self._lookup.setdefault("nvt", not_applicable[0])
            self._lookup.setdefault("nietvantoepassing", not_applicable[0])

    def role(self, code: str | None) -> ScaleRole | None:
        """The role of the level with this code; None for no or an unknown code."""
        level = self.by_code.get(code or "")
        return level.role if level is not None else None

    def codes(self, role: ScaleRole) -> frozenset[str]:
        """The codes of the levels with this role."""
        return frozenset(lv.code for lv in self.levels if lv.role is role)

    def lookup(self, raw: object) -> RatingLevel | None:
        """The level meant by a cell value, or None when it is not recognised."""
        if isinstance(raw, bool):
            return None
        if isinstance(raw, int | float):
            if not math.isfinite(raw) or raw != int(raw):  # NaN, infinite or fractional
                return None
            return self._lookup.get(f"#{int(raw)}")
        if not isinstance(raw, str):
            return None
        token = raw.strip()
        number = _as_number(token)
        if number is not None:
            return self._lookup.get(f"#{number}")
        return self._lookup.get(normalise_token(token))

    @property
    def accepted_tokens(self) -> list[str]:
        """Every normalised text :meth:`lookup` recognises; numbers (scores, and codes or
        labels that are numbers) as ``#2``.

        Written into each workbook, so the check macro accepts exactly what the reader does.
        """
        return list(self._lookup)

    def allowed_text(self) -> str:
        """The allowed values for a message: ``V (Voldoet), D (Voldoet deels), …``."""
        return ", ".join(f"{lv.code} ({lv.label})" for lv in self.levels)

    @property
    def labels(self) -> list[str]:
        """The labels in scale order (what the dropdown offers)."""
        return [lv.label for lv in self.levels]


_NUMBER = re.compile(r"^[+]?\d+(?:[.,]0*)?$")


def _as_number(token: str) -> str | None:
    """``"2"``, ``"2.0"``, ``"2,0"`` → ``"2"``; anything else → None."""
    if _NUMBER.match(token):
        return str(int(re.split(r"[.,]", token.lstrip("+"))[0]))
    return None


class Catalogue(BaseModel):
    """A complete normenkader."""

    model_config = _MODEL_CONFIG

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    title: str = Field(alias="titel", min_length=1)
    version: str = Field(alias="versie", min_length=1)
    language: str = Field(alias="taal", default="nl")
    scale: tuple[RatingLevel, ...] = Field(alias="schaal", min_length=2)
    policy: Policy = Field(alias="beleid", default_factory=Policy)
    domains: tuple[Domain, ...] = Field(alias="domeinen", min_length=1)

    @model_validator(mode="after")
    def _check_consistency(self) -> Catalogue:
        errors = texts_nl.CATALOGUE_ERRORS
        seen: dict[str, Loc] = {}  # id → where it first occurs

        def once(kind_id: str, loc: Loc) -> None:
            if kind_id in seen:
                raise RuleViolation(errors["duplicate-id"], loc, other=seen[kind_id],
                                    id=kind_id)
            seen[kind_id] = loc

        for d, domain in enumerate(self.domains):
            once(domain.id, ("domeinen", d, "id"))
            for v, value in enumerate(domain.quality_values):
                value_loc: Loc = ("domeinen", d, "kwaliteitswaarden", v)
                once(value.id, (*value_loc, "id"))
                for n, norm in enumerate(value.norms):
                    norm_loc: Loc = (*value_loc, "normen", n, "id")
                    once(norm.id, norm_loc)
                    if not norm.id.startswith(value.id + "."):
                        raise RuleViolation(errors["id-parent"], norm_loc, id=norm.id,
                                            parent=value.id)
        first_code: dict[str, int] = {}
        for i, level in enumerate(self.scale):
            if level.code.upper() in first_code:
                raise RuleViolation(errors["scale-code"], ("schaal", i, "code"),
                                    other=("schaal", first_code[level.code.upper()], "code"),
                                    code=level.code)
            first_code[level.code.upper()] = i
        if all(lv.score is None for lv in self.scale):
            raise RuleViolation(errors["scale-empty"], ("schaal",))
        first_score: dict[int, int] = {}
        for i, level in enumerate(self.scale):
            if level.score is None:
                continue
            if level.score in first_score:
                raise RuleViolation(errors["scale-score"], ("schaal", i, "score"),
                                    other=("schaal", first_score[level.score], "score"),
                                    score=level.score)
            first_score[level.score] = i
        _check_roles(self.scale)
        _check_numbers(self.scale)
        _check_texts(self.scale)
        return self

    # -- navigation ---------------------------------------------------------------------------

    def norms(self) -> Iterator[Norm]:
        """Every norm in catalogue order."""
        for domain in self.domains:
            yield from domain.norms()

    @cached_property
    def norm_index(self) -> dict[str, tuple[Domain, QualityValue, Norm]]:
        """Norm id → (domain, quality value, norm)."""
        return {
            norm.id: (domain, value, norm)
            for domain in self.domains
            for value in domain.quality_values
            for norm in value.norms
        }

    @cached_property
    def rating_scale(self) -> RatingScale:
        """Tolerant lookup of ratings on this catalogue's scale."""
        return RatingScale(self.scale)

    @cached_property
    def fingerprint(self) -> str:
        """Stable hash over ids, titles, norm texts and the scale (``sha256:<hex>``)."""
        payload = {
            "id": self.id,
            "version": self.version,
            "scale": [[lv.code, lv.label, lv.score] for lv in self.scale],
            "domains": [
                [
                    d.id,
                    d.title,
                    [
                        [v.id, v.title, [[n.id, n.text, n.distinctive] for n in v.norms]]
                        for v in d.quality_values
                    ],
                ]
                for d in self.domains
            ],
        }
        blob = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()

    @property
    def is_example(self) -> bool:
        """True for the shipped illustrative catalogues (``versie: voorbeeld``, ``voorbeeld
        2027``): what is made with them says it is an example."""
        return self.version.strip().casefold().split()[:1] == [EXAMPLE_CATALOGUE]

    def to_data(self) -> dict[str, Any]:
        """Plain data with the Dutch keys used in YAML."""
        data: dict[str, Any] = self.model_dump(mode="json", by_alias=True)
        return data


class RuleViolation(ValueError):
    """A rule across fields of the catalogue is broken at ``loc`` (a place as pydantic names
    it); ``other`` is a second place the message names as ``{other}`` (the first of two equal
    ids). Raised inside validation, so callers get it inside a ValidationError, and
    :func:`validation_message` names both places as lines or cells."""

    def __init__(self, template: str, loc: Loc, *, other: Loc | None = None,
                 **fields: object) -> None:
        self.template, self.fields, self.loc, self.other = template, fields, loc, other
        super().__init__(self.message())

    def message(self, place: Callable[[Loc], str] | None = None) -> str:
        """The message, naming the second place with ``place`` (default: its path)."""
        other = "" if self.other is None else place(self.other) if place else _dotted(self.other)
        return self.template.format(**self.fields, other=other)


def _check_roles(scale: tuple[RatingLevel, ...]) -> None:
    """Roles and scores must agree: n.v.t. has no score and the others have one; there is a
    *voldoet* and a *niet* level and at most one n.v.t.; a higher role has a higher score."""
    errors = texts_nl.CATALOGUE_ERRORS
    for i, level in enumerate(scale):
        if (level.role is ScaleRole.NOT_APPLICABLE) != (level.score is None):
            key = "role-nvt-score" if level.score is not None else "role-needs-score"
            raise RuleViolation(errors[key], ("schaal", i, "score"), code=level.code,
                                role=level.role.value)
    roles = [lv.role for lv in scale]
    for required in (ScaleRole.MET, ScaleRole.NOT_MET):
        if required not in roles:
            raise RuleViolation(errors["role-missing"], ("schaal",), role=required.value)
    if roles.count(ScaleRole.NOT_APPLICABLE) > 1:
        raise RuleViolation(errors["role-twice"], ("schaal",),
                            role=ScaleRole.NOT_APPLICABLE.value)
    scored = [lv for lv in scale if lv.score is not None]
    for high in scored:
        for low in scored:
            if _ROLE_RANK[high.role] > _ROLE_RANK[low.role] and (high.score or 0) <= (
                    low.score or 0):
                raise RuleViolation(errors["role-order"], ("schaal",), high=high.code,
                                    high_role=high.role.value, low=low.code,
                                    low_role=low.role.value)


def _check_numbers(scale: tuple[RatingLevel, ...]) -> None:
    """A number someone types must mean one level: a code or label that is a number (as the
    reader reads it: ``"01"`` is 1) may not be the score, code or label of another level.

    With codes 1/2/3 and scores 0/1/2, a reviewer typing 1 means *Onvoldoende* (code 1) or
    *Matig* (score 1); the reader would have to guess."""
    errors = texts_nl.CATALOGUE_ERRORS
    meanings: dict[str, list[tuple[str, RatingLevel]]] = {}
    for level in scale:
        for what, text in (("code", level.code), ("label", level.label)):
            number = _as_number(text.strip())
            if number is not None:
                meanings.setdefault(number, []).append((what, level))
        if level.score is not None:
            meanings.setdefault(str(level.score), []).append(("score", level))
    clashes = []
    for number, meant in sorted(meanings.items(), key=lambda item: int(item[0])):
        if len({lv.code for _, lv in meant}) < 2:
            continue
        meant.sort(key=lambda m: m[0] == "score")  # "the code of A and the score of B"
        clashes.append(errors["scale-number-clash"].format(number=number, meanings=join(
            errors[f"scale-number-{what}"].format(code=lv.code, label=lv.label,
                                                   score=lv.score)
            for what, lv in meant)))
    if clashes:
        levels = [lv for lv in scale if lv.role is not ScaleRole.NOT_APPLICABLE]
        letters = [lv.label.strip()[:1].upper() for lv in levels]
        if len(set(letters)) != len(letters) or not all(c.isalpha() for c in letters):
            letters = ["V", "D", "N"]
        raise RuleViolation(errors["scale-number"], ("schaal",), clashes="; ".join(clashes),
                            letters=join(letters))


def _check_texts(scale: tuple[RatingLevel, ...]) -> None:
    """A code or label someone types must mean one level: as the reader compares them (case,
    spaces, dots and hyphens aside: ``V.`` is ``v``), no code or label may be the code or
    label of another level.

    With codes V/D/N and *D* labelled "V", a reviewer typing V means *Voldoet* (code V) or
    *D* (label V); the reader would take the last one, silently. Numbers are
    :func:`_check_numbers`' care."""
    errors = texts_nl.CATALOGUE_ERRORS
    meanings: dict[str, list[tuple[str, str, RatingLevel]]] = {}
    for level in scale:
        for what, text in (("code", level.code), ("label", level.label)):
            token = normalise_token(text)
            if token and _as_number(text.strip()) is None:
                meanings.setdefault(token, []).append((what, text.strip(), level))
    clashes = [
        errors["scale-text-clash"].format(text=meant[0][1], meanings=join(
            errors[f"scale-number-{what}"].format(code=lv.code, label=lv.label, score=lv.score)
            for what, _, lv in meant))
        for meant in meanings.values() if len({lv.code for _, _, lv in meant}) > 1]
    if clashes:
        raise RuleViolation(errors["scale-text"], ("schaal",), clashes="; ".join(clashes))


def validation_message(err: ValidationError, place: Callable[[Loc], str] | None = None
                       ) -> tuple[Loc, str]:
    """The location and Dutch-ish message of the first pydantic error.

    ``place`` names a second place a message refers to (``regel 12``, ``Normen!E3``); without
    it, that place is shown as its path in the data."""
    first = err.errors()[0]
    ctx = first.get("ctx") or {}
    broken = ctx.get("error")
    if isinstance(broken, RuleViolation):
        # a rule across fields: the message says what it is about; no field path before it
        return broken.loc, broken.message(place)
    loc = tuple(first["loc"])
    msg = texts_nl.VALIDATION_ERRORS.get(first["type"], first["msg"])
    if "{" in msg and ctx:
        values = {k: str(v).replace(" or ", " of ") for k, v in ctx.items()}
        if isinstance(first.get("input"), str):
            values["length"] = str(len(first["input"]))
        msg = msg.format(**values)
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    reason = texts_nl.VALIDATION_REASONS.get(
        (first["type"], ".".join(str(p) for p in loc if not isinstance(p, int))))
    if reason is not None:
        msg = f"{msg}: {reason}"
    field = _dotted(loc)
    detail = f"{field}: {msg}" if field else msg
    return loc, detail


def _dotted(loc: Loc) -> str:
    return ".".join(str(p) for p in loc)
