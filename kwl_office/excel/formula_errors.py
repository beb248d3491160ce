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
from collections.abc import Callable
from typing import IO
from xml.etree.ElementTree import ParseError, fromstring, iterparse

from kwl_office.errors import CorruptFile
from kwl_office.excel.container import Format, OpenedFile
from kwl_office.excel.zipparts import ZIP_ERRORS, Archive, plain_directory, read_whole_member

#: (0-based row, 0-based column) → the error the cell shows ('' when the file does not say)
ErrorCells = dict[tuple[int, int], str]

_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_TABLE_NS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_CALCEXT_VALUE_TYPE = ("{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
                       "value-type")


class FormulaErrors:
    """The error cells of a workbook's sheets, found when first asked for a sheet and kept.

    An open norm is common (a workbook half filled), a formula error rare: each sheet's part
    is inflated straight from the bytes in memory and only parsed when it holds an error cell
    at all (``t="e"``); which part is which sheet is read once per workbook shape. ~0.05 ms a
    sheet instead of ~3 ms through zipfile and the parser."""

    def __init__(self, opened: OpenedFile) -> None:
        self._opened = opened
        self._found: dict[str, ErrorCells] = {}
        self._archive: Archive | None = None
        self._parts: dict[str, str] | None = None

    def cells(self, sheet: str) -> ErrorCells:
        """The cells of ``sheet`` that show a formula error, with the error; empty when the
        sheet cannot be found or read again (the caller then says what it said before)."""
        if sheet not in self._found:
            try:
                self._found[sheet] = self._read(sheet)
            except (*ZIP_ERRORS, KeyError, ParseError, CorruptFile):
                self._found[sheet] = {}
        return self._found[sheet]

    def _read(self, sheet: str) -> ErrorCells:
        opened = self._opened
        if opened.format is not Format.ODS:
            if self._archive is None:
                entries = plain_directory(opened.data)
                self._archive = (Archive(opened.data, entries, None) if entries is not None
                                 else Archive(opened.data, [], None))
            if self._archive.by_name:
                if self._parts is None:
                    self._parts = self._sheet_parts()
                part = self._parts.get(sheet)
                if part is None:
                    return {}
                xml = self._member(part)
                return _xlsx_errors(io.BytesIO(xml)) if b' t="e"' in xml else {}
        # an .ods, or a zip that is not plain: through zipfile
        with zipfile.ZipFile(io.BytesIO(opened.data)) as archive:
            if opened.format is Format.ODS:
                with archive.open("content.xml") as stream:
                    return _ods_errors(stream, sheet)
            part = _xlsx_sheet_parts(archive.read).get(sheet)
            if part is None:
                return {}
            with archive.open(part) as stream:
                return _xlsx_errors(stream)

    def _sheet_parts(self) -> dict[str, str]:
        """Which part is which sheet; kept per workbook and relationships part as the zip's
        directory identifies them (size and CRC): the workbooks of a round share them, so
        most workbooks inflate only the sheet that is asked for."""
        assert self._archive is not None
        key = tuple((info.file_size, info.CRC) for name in _BOOK_PARTS
                    if (info := self._archive.by_name.get(name)) is not None)
        if len(key) == len(_BOOK_PARTS) and key in _KNOWN_PARTS:
            return _KNOWN_PARTS[key]
        parts = _xlsx_sheet_parts(self._member)
        if len(key) == len(_BOOK_PARTS):
            if len(_KNOWN_PARTS) >= 64:
                _KNOWN_PARTS.clear()
            _KNOWN_PARTS[key] = parts
        return parts

    def _member(self, name: str) -> bytes:
        assert self._archive is not None
        if name not in self._archive.by_name:
            raise KeyError(name)
        return read_whole_member(self._opened.path, self._archive, name, self._opened.data)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


#: the parts that say which part is which sheet, and what they said (by their sizes and CRCs)
_BOOK_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
_KNOWN_PARTS: dict[tuple[tuple[int, int], ...], dict[str, str]] = {}

def _xlsx_sheet_parts(read: Callable[[str], bytes]) -> dict[str, str]:
    """Each worksheet's zip member by its name (``read``: a part's bytes by name, raising
    :class:`KeyError` for a missing one): through the workbook part's relationships, as Excel
    itself finds them."""
    book = "xl/workbook.xml"
    try:
        for rel in fromstring(read("_rels/.rels")):
            if rel.get("Type", "").endswith("/officeDocument"):
                book = rel.get("Target", book).lstrip("/")
    except KeyError:
        pass
    folder, name = posixpath.split(book)
    rels = {rel.get("Id"): rel.get("Target") for rel in fromstring(
        read(posixpath.join(folder, "_rels", f"{name}.rels")))}
    parts = {}
    for item in fromstring(read(book)).iter():
        if _local(item.tag) != "sheet":
            continue
        target = rels.get(item.get(f"{_REL_NS}id"))
        if target is None or item.get("name") is None:
            continue
        parts[str(item.get("name"))] = (target.lstrip("/") if target.startswith("/")
                                        else posixpath.normpath(posixpath.join(folder, target)))
    return parts


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


__all__ = ["ErrorCells", "FormulaErrors"]
