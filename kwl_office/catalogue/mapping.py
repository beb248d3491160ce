"""The mapping between two versions of a normenkader: old norm id → new norm id(s).

A mapping is a reviewed YAML file (``kwl catalogue diff … -o`` writes a draft)::

    van:  {id: ksw-voorbeeld, versie: voorbeeld, vingerafdruk: "sha256:…"}
    naar: {id: ksw-voorbeeld, versie: voorbeeld 2027, vingerafdruk: "sha256:…"}
    normen:
      V1.1: {naar: [V1.1]}                                        # unchanged
      V1.2: {naar: [V1.2], betekenis_gewijzigd: true}             # stricter: re-rate
      V2.4: {naar: [V2.4, V2.5]}                                  # split
      O5.4: {naar: []}                                            # removed

Policy ("choose the reading that never states something false"): only a 1:1 link whose
meaning did not change is *comparable*; a norm whose meaning changed, a split or merged norm
and a new norm are never compared as if they were the same norm, and their answers are never
carried over silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
)

from kwl_office import texts_nl
from kwl_office.atomic import write_text_atomic
from kwl_office.catalogue.model import Catalogue
from kwl_office.catalogue.yaml import validate_yaml
from kwl_office.dutch import join
from kwl_office.errors import CatalogueError
from kwl_office.findings import Finding, Report, make_finding

#: a mapping file larger than this is not a mapping (a catalogue has at most a few hundred norms)
MAX_MAPPING_BYTES = 2_000_000

#: the shipped mappings, by the name ``--mapping`` accepts instead of a file (reviewed: the
#: example catalogue to its invented later version)
BUILT_IN_MAPPINGS = ("voorbeeld-naar-voorbeeld-2027",)

_MODEL_CONFIG = ConfigDict(
    extra="forbid", frozen=True, validate_by_name=True, validate_by_alias=True
)


class Change(StrEnum):
    """How a norm of the new version relates to the old version."""

    SAME = "gelijk"
    CHANGED = "gewijzigd"
    SPLIT = "gesplitst"
    MERGED = "samengevoegd"
    NEW = "nieuw"


class NormLink(BaseModel):
    """Where one old norm went: ``{naar: [V1.2], betekenis_gewijzigd: false, gelijkenis: 0.93}``."""

    model_config = _MODEL_CONFIG

    #: the new norm id(s); empty = the norm was removed
    to: tuple[str, ...] = Field(alias="naar", default=())
    #: the meaning changed: the new norm must be rated anew
    changed: bool = Field(alias="betekenis_gewijzigd", default=False)
    #: the text similarity the diff found (0–1); informative only
    similarity: float | None = Field(alias="gelijkenis", default=None, ge=0, le=1)

    @field_validator("to", mode="before")
    @classmethod
    def _one_or_more(cls, value: object) -> object:
        # people write "naar: V1.2" as often as "naar: [V1.2]"; "naar:" (null) is "removed"
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        return value


class CatalogueRef(BaseModel):
    """Which catalogue a side of the mapping is: ``{id, versie, vingerafdruk}``."""

    model_config = _MODEL_CONFIG

    id: str = Field(min_length=1)
    version: str = Field(alias="versie", min_length=1)
    fingerprint: str = Field(alias="vingerafdruk", pattern=r"^sha256:[0-9a-f]{64}$")

    @classmethod
    def of(cls, catalogue: Catalogue) -> CatalogueRef:
        """The reference to a loaded catalogue."""
        return cls(id=catalogue.id, versie=catalogue.version, vingerafdruk=catalogue.fingerprint)

    def label(self) -> str:
        """``ksw-voorbeeld (voorbeeld 2027)`` for messages."""
        return f"{self.id} ({self.version})"


class Mapping(BaseModel):
    """A reviewed mapping from the norms of ``source`` to those of ``target``."""

    model_config = _MODEL_CONFIG

    source: CatalogueRef = Field(alias="van")
    target: CatalogueRef = Field(alias="naar")
    norms: dict[str, NormLink] = Field(alias="normen", default_factory=dict)

    #: where each old id stands in the file it was loaded from (for located findings)
    _lines: dict[str, int] = PrivateAttr(default_factory=dict)
    _name: str = PrivateAttr(default="")

    @field_validator("norms", mode="before")
    @classmethod
    def _string_keys(cls, value: object) -> object:
        # YAML reads an id like 1.10 as a number; ids are text
        if isinstance(value, dict):
            return {str(key): link for key, link in value.items()}
        return value

    def sources_of(self, new_id: str) -> tuple[str, ...]:
        """The old ids that lead to ``new_id``, in mapping order (empty: a new norm)."""
        return tuple(old for old, link in self.norms.items() if new_id in link.to)

    def comparable(self, old_id: str) -> str | None:
        """The new id when ``old_id`` maps 1:1 to it with unchanged meaning, else None.

        None for a removed, split, merged or changed norm, or an id not in the mapping.
        """
        link = self.norms.get(old_id)
        if link is None or link.changed or len(link.to) != 1:
            return None
        new_id = link.to[0]
        return new_id if self.sources_of(new_id) == (old_id,) else None

    def previous_of(self, new_id: str) -> tuple[str, bool] | None:
        """``(old id, changed)`` of a new norm; None when the norm is new.

        ``changed`` is True unless the two are :meth:`comparable`; for a merged norm the
        first of its old ids is given (:meth:`sources_of` gives them all).
        """
        sources = self.sources_of(new_id)
        if not sources:
            return None
        return sources[0], self.comparable(sources[0]) != new_id

    def change_of(self, new_id: str) -> Change:
        """How the new norm ``new_id`` relates to the old version."""
        sources = self.sources_of(new_id)
        if not sources:
            return Change.NEW
        if len(sources) > 1:
            return Change.MERGED
        link = self.norms[sources[0]]
        if len(link.to) > 1:
            return Change.SPLIT
        return Change.CHANGED if link.changed else Change.SAME

    def line_of(self, old_id: str) -> str | None:
        """``mapping.yaml:12`` for an old id of a loaded file; None otherwise."""
        line = self._lines.get(old_id)
        if not self._name:
            return None
        return f"{self._name}:{line}" if line else self._name

    def to_data(self) -> dict[str, Any]:
        """Plain data with the Dutch keys used in YAML (norms sorted by old id)."""
        return {
            "van": self.source.model_dump(by_alias=True),
            "naar": self.target.model_dump(by_alias=True),
            "normen": {old: _link_data(self.norms[old]) for old in sorted(self.norms,
                                                                         key=norm_sort_key)},
        }


def identity_mapping(catalogue: Catalogue) -> Mapping:
    """The mapping of a catalogue onto itself: every norm comparable."""
    ref = CatalogueRef.of(catalogue)
    return Mapping(van=ref, naar=ref,
                   normen={n.id: NormLink(to=(n.id,)) for n in catalogue.norms()})


def norm_sort_key(norm_id: str) -> tuple[tuple[int, int | str], ...]:
    """Sort ``V1.10`` after ``V1.9``: digits as numbers, the rest as text."""
    parts: list[tuple[int, int | str]] = []
    for piece in norm_id.replace("-", ".").split("."):
        head = piece.rstrip("0123456789")
        if head:
            parts.append((1, head))
        tail = piece[len(head):]
        if tail:
            parts.append((0, int(tail)))
    return tuple(parts)


def _link_data(link: NormLink) -> dict[str, Any]:
    data: dict[str, Any] = {"naar": list(link.to)}
    if link.changed:
        data["betekenis_gewijzigd"] = True
    if link.similarity is not None:
        data["gelijkenis"] = round(link.similarity, 2)
    return data


# -- reading and writing ----------------------------------------------------------------------


def load_mapping(path: str | Path) -> Mapping:
    """Load and validate a mapping file (YAML).

    Raises :class:`~kwl_office.errors.CatalogueError` naming the file and line of the first
    problem; a missing, oversized or non-text file is refused the same way.
    """
    path = Path(path)
    errors = texts_nl.MAPPING_ERRORS
    builtin = builtin_mapping_path(str(path))
    if builtin is not None and not path.exists():
        path = builtin
    if not path.is_file():
        raise CatalogueError(errors["not-found"].format(path=path))
    try:
        if path.stat().st_size > MAX_MAPPING_BYTES:
            raise CatalogueError(errors["too-large"].format(limit=MAX_MAPPING_BYTES // 1_000_000),
                                 place=path.name)
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise CatalogueError(errors["not-text"], place=path.name) from err
    except OSError as err:
        raise CatalogueError(errors["unreadable"].format(
            detail=err.strerror or type(err).__name__), place=path.name) from err
    return parse_mapping(text, name=path.name)


def builtin_mapping_path(name: str) -> Path | None:
    """The shipped file of a built-in mapping name (with or without ``.yaml``); None
    otherwise."""
    stem = name.removesuffix(".yaml")
    if stem not in BUILT_IN_MAPPINGS:
        return None
    return Path(str(resources.files("kwl_office") / "catalogues" / f"{stem}.yaml"))


@cache
def builtin_mappings() -> tuple[Mapping, ...]:
    """The shipped mappings (:data:`BUILT_IN_MAPPINGS`), loaded once per process."""
    return tuple(load_mapping(name) for name in BUILT_IN_MAPPINGS)


def fitting_mapping(mappings: Iterable[Mapping], source_fingerprint: str,
                    target_fingerprint: str) -> Mapping | None:
    """The first of ``mappings`` that goes exactly from the catalogue with
    ``source_fingerprint`` to the one with ``target_fingerprint``; None when none does."""
    return next((m for m in mappings if m.source.fingerprint == source_fingerprint
                 and m.target.fingerprint == target_fingerprint), None)


def parse_mapping(text: str, *, name: str = "mapping.yaml") -> Mapping:
    """Parse mapping YAML text; ``name`` is used in error places."""
    mapping, lines = validate_yaml(text, Mapping, name=name, errors=texts_nl.MAPPING_ERRORS)
    mapping._name = name
    mapping._lines = {str(key[1]): line for key, line in lines.items()
                      if len(key) == 2 and key[0] == "normen"}
    return mapping


def dump_mapping(mapping: Mapping, *, draft: bool = False,
                 notes: dict[str, str] | None = None, footer: str = "") -> str:
    """The mapping as commented YAML: a Dutch header explaining the fields, one line per old
    norm sorted by id, each preceded by its ``notes`` line (a comment) when given, and
    ``footer`` as a closing comment."""
    data = mapping.to_data()
    head = texts_nl.MAPPING_HEADER_DRAFT if draft else texts_nl.MAPPING_HEADER
    parts = [head]
    for side in ("van", "naar"):
        parts.append(yaml.safe_dump({side: data[side]}, sort_keys=False, allow_unicode=True,
                                    default_flow_style=False, width=100))
    parts.append("normen:\n" if data["normen"] else "normen: {}\n")
    for old, link in data["normen"].items():
        note = (notes or {}).get(old)
        if note:
            parts.extend(f"  # {line}\n" for line in note.splitlines())
        # one line per norm ("V1.1: {naar: [V1.1]}"): a reviewer reads and edits it at a glance
        entry = yaml.safe_dump({old: link}, sort_keys=False, allow_unicode=True,
                               default_flow_style=True, width=10_000).strip()
        parts.append(f"  {entry[1:-1]}\n")
    parts.extend(f"# {line}\n" for line in footer.splitlines())
    return "".join(parts)


def save_mapping(mapping: Mapping, path: str | Path, *, draft: bool = False,
                 notes: dict[str, str] | None = None, footer: str = "") -> Path:
    """Write the mapping as commented YAML, atomically (see :func:`dump_mapping`)."""
    return write_text_atomic(path, dump_mapping(mapping, draft=draft, notes=notes,
                                                footer=footer))


# -- checking ---------------------------------------------------------------------------------


def check_mapping(mapping: Mapping, old: Catalogue, new: Catalogue) -> Report:
    """Check a mapping against the two catalogues it claims to connect.

    Errors: a side whose fingerprint is not that of the given catalogue
    (``mapping-catalogue-mismatch``), an id in neither catalogue (``mapping-unknown-norm``).
    Warnings: an old norm the mapping does not name (``mapping-norm-missing``: it counts as
    removed), a new norm reached from two old norms (``mapping-target-twice``: a merge, never
    comparable).
    """
    report = Report()
    for side, ref, catalogue in (("van", mapping.source, old), ("naar", mapping.target, new)):
        if ref.fingerprint != catalogue.fingerprint:
            report.add(make_finding(
                "mapping-catalogue-mismatch", file=mapping.line_of(""), side=side,
                found=ref.label(), expected=CatalogueRef.of(catalogue).label()))
    for old_id, link in mapping.norms.items():
        where = mapping.line_of(old_id)
        if old_id not in old.norm_index:
            report.add(make_finding("mapping-unknown-norm", norm_id=old_id, file=where,
                                    side="van", catalogue=CatalogueRef.of(old).label()))
        for new_id in link.to:
            if new_id not in new.norm_index:
                report.add(make_finding("mapping-unknown-norm", norm_id=new_id, file=where,
                                        side="naar", catalogue=CatalogueRef.of(new).label()))
    report.extend(_missing(mapping, old))
    report.extend(_merges(mapping, new))
    return report


def _missing(mapping: Mapping, old: Catalogue) -> list[Finding]:
    return [make_finding("mapping-norm-missing", norm_id=norm.id, file=mapping.line_of(""))
            for norm in old.norms() if norm.id not in mapping.norms]


def _merges(mapping: Mapping, new: Catalogue) -> list[Finding]:
    found = []
    for norm in new.norms():
        sources = mapping.sources_of(norm.id)
        if len(sources) > 1:
            found.append(make_finding(
                "mapping-target-twice", norm_id=norm.id,
                file=mapping.line_of(sources[1]), sources=join(sources)))
    return found
