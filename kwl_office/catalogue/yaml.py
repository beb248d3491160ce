"""Catalogue ⇄ YAML, with errors that name the line in the file."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from kwl_office import texts_nl
from kwl_office.atomic import write_text_atomic
from kwl_office.catalogue.model import Catalogue, validation_message
from kwl_office.errors import CatalogueError
from kwl_office.yamltext import compose, safe_load

Path_ = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)

_HEADER = "# Normenkader voor kwl_office (Kwaliteitslabel Sociaal Werk)\n"


def load_yaml(path: Path) -> Catalogue:
    """Load and validate a YAML catalogue; errors carry ``file:line``."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise CatalogueError(texts_nl.CATALOGUE_ERRORS["not-text"], place=path.name) from err
    except OSError as err:
        raise CatalogueError(texts_nl.CATALOGUE_ERRORS["unreadable"].format(
            detail=err.strerror or type(err).__name__), place=path.name) from err
    return parse_yaml(text, name=path.name)


def parse_yaml(text: str, *, name: str = "normenkader.yaml") -> Catalogue:
    """Parse YAML text into a catalogue; ``name`` is used in error places."""
    catalogue, _ = validate_yaml(text, Catalogue, name=name,
                                 errors=texts_nl.CATALOGUE_ERRORS)
    return catalogue


def validate_yaml(text: str, model: type[M], *, name: str,
                  errors: Mapping[str, str]) -> tuple[M, dict[Path_, int]]:
    """Parse YAML ``text`` (safely) and validate it as ``model``; also returns the line of
    every key. Problems raise :class:`CatalogueError` at ``name:line``, worded by
    ``errors`` (``yaml-syntax`` with ``{detail}``, ``not-mapping``) or by the validation."""
    try:
        node = compose(text)
        data = safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        place = f"{name}:{mark.line + 1}" if mark is not None else name
        detail = getattr(err, "problem", None) or str(err)
        raise CatalogueError(errors["yaml-syntax"].format(detail=detail), place=place) from err
    if not isinstance(data, dict) or node is None:
        raise CatalogueError(errors["not-mapping"], place=f"{name}:1")
    lines: dict[Path_, int] = {}
    _index_lines(node, (), lines)
    try:
        return model.model_validate(data), lines
    except ValidationError as err:
        loc, detail = validation_message(err, lambda other: texts_nl.CATALOGUE_LINE.format(
            line=_line_for(other, lines)))
        raise CatalogueError(detail, place=f"{name}:{_line_for(loc, lines)}") from err


def _index_lines(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            # a key's own line is the most useful place for "unknown/missing field" errors
            lines[(*path, key)] = key_node.start_mark.line + 1
            _index_lines(value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, (*path, i), lines)


def _line_for(loc: tuple[str | int, ...], lines: dict[Path_, int]) -> int:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1


def dump_yaml(catalogue: Catalogue) -> str:
    """The catalogue as YAML text with Dutch keys."""
    data: dict[str, Any] = catalogue.to_data()
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return _HEADER + body


def save_yaml(catalogue: Catalogue, path: Path) -> Path:
    """Write the catalogue as YAML, atomically."""
    return write_text_atomic(path, dump_yaml(catalogue))
