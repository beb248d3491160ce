"""One Dutch vocabulary: no text a person reads uses an avoided spelling (kwl_office/dutch.py)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from kwl_office import dutch, findings, texts_nl

ROOT = Path(__file__).resolve().parents[1]


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _strings(item)


def _catalogue_texts() -> Iterator[tuple[str, str]]:
    for name, value in vars(texts_nl).items():
        if name.isupper():
            for text in _strings(value):
                yield f"texts_nl.{name}", text
    for code, kind in findings.KINDS.items():
        yield f"findings.{code}", kind.template


def _template_texts() -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / "docx_templates").glob("*.docx")):
        with zipfile.ZipFile(path) as archive:
            yield path.name, archive.read("word/document.xml").decode("utf-8")


def _route_texts() -> Iterator[tuple[str, str]]:
    data = yaml.safe_load((ROOT / "kwl_office" / "route_nl.yaml").read_text(encoding="utf-8"))
    for text in _strings(data):
        yield "route_nl.yaml", text


@pytest.mark.parametrize("source", [_catalogue_texts, _template_texts, _route_texts],
                         ids=["texts", "templates", "route"])
def test_no_avoided_spelling(source: object) -> None:
    assert callable(source)
    found = sorted({(where, avoided) for where, text in source() for avoided in dutch.AVOIDED
                    if avoided in text})
    assert not found
