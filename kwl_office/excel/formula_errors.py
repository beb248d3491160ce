"""Which cells of a sheet show a formula error (``#DIV/0!``, ``#N/A``, ``Err:502``).

python-calamine reads a cell whose formula gives an error as an empty text, so a rating cell
holding ``=1/0`` looks the same as one nobody filled in. When the reader meets an empty
rating cell, it asks this module whether the cell really is empty: the sheet's XML is read
once more, from the bytes already in memory, and every error cell on it noted. That only
happens on a path where something is wrong already (an open norm), never for a filled
workbook.

In an ``.xlsx`` an error cell is ``<c r="F5" t="e"><v>#DIV/0!</v></c>``; in an ``.ods`` it is
a ``table:table-cell`` with ``calcext:value-type="error"`` whose paragraph is the shown
error. Every part passed the container's checks (sizes, no DTD) before calamine saw it, so
the standard library's parser is safe here.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from typing import IO
from xml.etree.ElementTree import ParseError, fromstring, iterparse

from kwl_office.excel.container import Format, OpenedFile

#: (0-based row, 0-based column) → the error the cell shows ('' when the file does not say)
ErrorCells = dict[tuple[int, int], str]

_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_TABLE_NS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_CALCEXT_VALUE_TYPE = ("{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
                       "value-type")


def error_cells(opened: OpenedFile, sheet: str) -> ErrorCells:
    """The cells of ``sheet`` that show a formula error, with the error; empty when the
    sheet cannot be found or read again (the caller then says what it said before)."""
    try:
        with zipfile.ZipFile(io.BytesIO(opened.data)) as archive:
            if opened.format is Format.ODS:
                with archive.open("content.xml") as stream:
                    return _ods_errors(stream, sheet)
            part = _xlsx_sheet_part(archive, sheet)
            if part is None:
                return {}
            with archive.open(part) as stream:
                return _xlsx_errors(stream)
    except (KeyError, OSError, ValueError, ParseError, zipfile.BadZipFile):
        return {}


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _xlsx_sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member of the worksheet named ``sheet``: through the workbook part's
    relationships, as Excel itself finds it."""
    book = "xl/workbook.xml"
    try:
        for rel in fromstring(archive.read("_rels/.rels")):
            if rel.get("Type", "").endswith("/officeDocument"):
                book = rel.get("Target", book).lstrip("/")
    except KeyError:
        pass
    folder, name = posixpath.split(book)
    rel_id = next((item.get(f"{_REL_NS}id") for item in fromstring(archive.read(book)).iter()
                   if _local(item.tag) == "sheet" and item.get("name") == sheet), None)
    if rel_id is None:
        return None
    rels = fromstring(archive.read(posixpath.join(folder, "_rels", f"{name}.rels")))
    target = next((rel.get("Target") for rel in rels if rel.get("Id") == rel_id), None)
    if target is None:
        return None
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def _xlsx_errors(stream: IO[bytes]) -> ErrorCells:
    found: ErrorCells = {}
    row, col = -1, -1
    for event, element in iterparse(stream, events=("start", "end")):
        tag = _local(element.tag)
        if event == "start":
            if tag == "row":
                row = int(element.get("r", row + 2)) - 1
                col = -1
            elif tag == "c":
                ref = element.get("r")
                col = _column(ref) if ref else col + 1
            continue
        if tag == "c":
            if element.get("t") == "e":
                value = next((child.text for child in element if _local(child.tag) == "v"),
                             None)
                found[(row, col)] = (value or "").strip()
            element.clear()
        elif tag == "row":
            element.clear()
    return found


def _column(ref: str) -> int:
    col = 0
    for letter in ref:
        if not letter.isalpha():
            break
        col = col * 26 + ord(letter.upper()) - ord("A") + 1
    return col - 1


def _ods_errors(stream: IO[bytes], sheet: str) -> ErrorCells:
    found: ErrorCells = {}
    inside = False
    row = 0
    for event, element in iterparse(stream, events=("start", "end")):
        tag = element.tag
        if tag == f"{_TABLE_NS}table":
            if event == "start":
                inside = element.get(f"{_TABLE_NS}name") == sheet
            elif inside:
                break
            continue
        if event != "end" or tag != f"{_TABLE_NS}table-row":
            continue
        if inside:
            col = 0
            for cell in element:
                repeat = _count(cell.get(f"{_TABLE_NS}number-columns-repeated"))
                if cell.get(_CALCEXT_VALUE_TYPE) == "error":
                    shown = "".join(cell.itertext()).strip()
                    for offset in range(min(repeat, 1024)):
                        found[(row, col + offset)] = shown
                col += repeat
            row += _count(element.get(f"{_TABLE_NS}number-rows-repeated"))
        element.clear()
    return found


def _count(value: str | None) -> int:
    try:
        return max(int(value), 1) if value else 1
    except ValueError:
        return 1


__all__ = ["ErrorCells", "error_cells"]
