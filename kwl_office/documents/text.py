"""The text of a rendered Word document, in reading order (for checks and golden tests)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph


def document_lines(path: str | Path) -> list[str]:
    """Headers, then body paragraphs and table cells in order, then footers; one line each.

    Table rows become one line with cells separated by `` | ``; empty lines are dropped.
    """
    document = Document(str(path))
    lines: list[str] = []
    for section in document.sections:
        lines += [p.text for p in section.header.paragraphs]
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines += _table_lines(block)
    for section in document.sections:
        lines += [p.text for p in section.footer.paragraphs]
    # a line break inside a paragraph or cell stays on the same line, shown as " / "
    return [" / ".join(line.split("\n")).rstrip() for line in lines if line.strip()]


def _table_lines(table: Table) -> list[str]:
    lines = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " / ".join(p.text for p in cell.paragraphs if p.text.strip())
            if not cells or cells[-1] != text:  # merged cells repeat their text
                cells.append(text)
        lines.append(" | ".join(cells))
    return lines
