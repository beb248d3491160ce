"""The faster ``resolve_listing`` of our template class gives exactly docxtpl's result."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docxtpl import DocxTemplate

from kwl_office.catalogue import load_catalogue
from kwl_office.documents import render
from kwl_office.documents.examples import example_context
from kwl_office.documents.registry import DocumentKind

PARAGRAPHS = [
    '<w:p><w:r><w:t>plain</w:t></w:r></w:p>',
    '<w:p w:rsidR="1"><w:pPr><w:jc w:val="left"/></w:pPr><w:r><w:rPr><w:b/></w:rPr>'
    '<w:t xml:space="preserve">two\nlines\tand a tab</w:t></w:r></w:p>',
    '<w:p><w:r><w:t>a\aparagraph</w:t></w:r><w:r><w:t>b\fpage</w:t></w:r></w:p>',
    '<w:p><w:r><w:tab/><w:t>tab element, no character</w:t></w:r></w:p>',
    '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>in a cell\nbroken</w:t></w:r></w:p></w:tc></w:tr></w:tbl>',
]


@pytest.mark.parametrize("chosen", [[0], [0, 3], [1], [0, 1, 2, 3, 4], [4, 0, 2]])
def test_same_as_docxtpl_on_crafted_xml(chosen: list[int]) -> None:
    xml = "<w:body>\n" + "".join(PARAGRAPHS[i] for i in chosen) + "</w:body>"
    template = object.__new__(render._Template)
    assert render._Template.resolve_listing(template, xml) == \
        DocxTemplate.resolve_listing(template, xml)


def _document_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml")


@pytest.mark.parametrize("kind", [DocumentKind.LEARNING_REPORT, DocumentKind.REGISTRATION_LETTER])
def test_same_documents_as_docxtpl(kind: DocumentKind, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue = load_catalogue(None)
    context = example_context(kind, catalogue)
    # multi-line texts become Listings: their paragraphs take docxtpl's own path
    context["organisatie"]["contactpersoon"] = "mevrouw J. de Vries\nafdeling\tKwaliteit"
    fast = render.render_document(kind, context, tmp_path / "fast.docx")
    monkeypatch.setattr(render._Template, "resolve_listing", DocxTemplate.resolve_listing)
    slow = render.render_document(kind, context, tmp_path / "slow.docx")
    assert _document_xml(fast) == _document_xml(slow)
    assert b"<w:br/>" in _document_xml(fast)  # a Listing was resolved
