"""Reading sheets: a workbook's sheets as rows of Python values, and the cell helpers.

Values come from python-calamine (fast, no formulas evaluated: what Excel or LibreOffice last
saved). Used by the workbook reader, the overrides reader and the manifest reader, so every
reader refuses a damaged file the same way and names cells the same way.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

import python_calamine as pc

from kwl_office import texts_nl as T
from kwl_office.errors import CorruptFile
from kwl_office.excel.container import OpenedFile
from kwl_office.excel.formula_errors import FormulaErrors

_CALAMINE_ERRORS: tuple[type[BaseException], ...] = (
    pc.CalamineError,
    pc.PasswordError,
    pc.WorksheetNotFound,
    pc.XmlError,
    pc.ZipError,
    ValueError,
    OSError,
    OverflowError,  # a duration or date cell beyond what Python's datetime can hold
)


def _is_calamine_failure(err: BaseException) -> bool:
    # pyo3 turns a Rust panic into PanicException, a BaseException subclass that cannot be
    # imported; calamine panics on some absurd cell values (dates far before year 1)
    return isinstance(err, _CALAMINE_ERRORS) or type(err).__name__ == "PanicException"


class SheetSource:
    """The workbook's sheets as rows of Python values, starting at A1."""

    def __init__(self, opened: OpenedFile, *, explain_empty: bool = False) -> None:
        self.path = opened.path
        #: whether an empty cell is looked at again for a formula error (see formula_error)
        self.explain_empty = explain_empty
        self._opened = opened
        self._rows: dict[str, list[list[Any]]] = {}
        #: per sheet, its cells that show a formula error (read only when asked)
        self._errors = FormulaErrors(opened)
        #: the parsed sheets, kept for what only a rare path asks (merged_range)
        self._sheets: dict[str, pc.CalamineSheet] = {}
        try:
            self.book = pc.CalamineWorkbook.from_filelike(io.BytesIO(opened.data))
            self.names: list[str] = list(self.book.sheet_names)
        except BaseException as err:
            if not _is_calamine_failure(err):
                raise
            raise self._refusal(err) from err

    def rows(self, name: str) -> list[list[Any]]:
        """The rows of sheet ``name`` from A1 (empty cells as None), parsed once and kept (a
        team workbook's sheets are looked at twice); a sheet calamine cannot read raises
        :class:`~kwl_office.errors.CorruptFile`."""
        if name in self._rows:
            return self._rows[name]
        try:
            sheet = self.book.get_sheet_by_name(name)
            rows = list(sheet.to_python(skip_empty_area=False))
        except BaseException as err:
            if not _is_calamine_failure(err):
                raise
            raise self._refusal(err) from err
        self._rows[name] = rows
        self._sheets[name] = sheet
        return rows

    def merged_range(self, name: str, row: int, col: int
                     ) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """The merged range of sheet ``name`` that holds the cell at 0-based ``row``,
        ``col``, as ((first row, first column), (last row, last column)); None when the cell
        is not merged, or when that is not known (calamine does not tell for an ``.ods``).
        Only for a rare path (an empty cell): nothing of it is worked out while reading."""
        sheet = self._sheets.get(name)
        ranges = sheet.merged_cell_ranges if sheet is not None else None
        return next(((first, last) for first, last in ranges or ()
                     if first[0] <= row <= last[0] and first[1] <= col <= last[1]), None)

    def formula_error(self, name: str, row: int, col: int) -> str | None:
        """The error a formula shows in the cell at 0-based ``row``, ``col`` of sheet
        ``name`` (``#DIV/0!``; '' when the file does not keep it), which calamine reads as
        empty; None when the cell shows no error. Only for a rare path (an empty cell that
        must not be empty): the sheet's XML is read again, once per sheet. Always None
        unless the source was made with ``explain_empty``."""
        if not self.explain_empty:
            return None
        return self._errors.cells(name).get((row, col))

    def parse(self, names: Iterable[str]) -> None:
        """Parse the sheets ``names`` now, one after the other, before any Python looks at
        them: calamine's parsing and the reader's row logic each run faster without the
        other in between (their data no longer evict each other from the processor's
        caches: ~2 % of a read-back, ``benchmarks/bench_workbooks.py``). A sheet that cannot
        be parsed is left to :meth:`rows`, which refuses it if it is ever needed."""
        for name in names:
            try:
                self.rows(name)
            except CorruptFile:
                continue

    def _refusal(self, err: BaseException) -> CorruptFile:
        text = str(err).splitlines()[0] if str(err) else type(err).__name__
        if "entity" in text.casefold():
            # calamine never expands custom entities; a declared one is an entity attack
            return CorruptFile(self.path, T.UNREADABLE["xml-entities"])
        return CorruptFile(self.path, T.UNREADABLE["unreadable"].format(detail=text[:120]))


@functools.cache  # a few dozen columns, asked for thousands of times per read
def column_letter(number: int) -> str:
    """1-based column number → ``A``, ``Z``, ``AA`` … (as openpyxl's ``get_column_letter``,
    without importing openpyxl: reading a workbook never needs it, and ``kwl check`` starts
    a third faster)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """0-based row/column → ``E7``."""
    return f"{column_letter(col + 1)}{row + 1}"


def cell_position(ref: str) -> tuple[int, int]:
    """``E7`` → 0-based row and column (6, 4): :func:`cell_ref` undone."""
    letters = ref.rstrip("0123456789")
    col = 0
    for letter in letters:
        col = col * 26 + ord(letter) - ord("A") + 1
    return int(ref[len(letters):]) - 1, col - 1


def cell_text(value: Any) -> str:
    """A cell value as the text a person sees; '' for empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        text: str = value
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text.strip()
    if isinstance(value, bool):
        return T.YES if value else T.NO
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def shown_text(value: Any) -> str:
    """A cell value as Excel and LibreOffice show it to a Dutch user, for messages: a
    logical value as WAAR or ONWAAR (not the 'ja' :func:`cell_text` reads it as), a date as
    2-1-2026 (with the time when it has one); anything else as :func:`cell_text`."""
    if isinstance(value, bool):
        return T.SHOWN_TRUE if value else T.SHOWN_FALSE
    if isinstance(value, datetime):
        day = f"{value.day}-{value.month}-{value.year}"
        return day if value.time() == time() else f"{day} {value.hour}:{value.minute:02d}"
    if isinstance(value, date):
        return f"{value.day}-{value.month}-{value.year}"
    return cell_text(value)


def invisible_characters(text: str) -> list[str]:
    """The characters of ``text`` nobody sees in a cell (a zero-width space, a control or
    direction character), each once, as ``U+200B``; tabs and line breaks are seen."""
    found = dict.fromkeys(f"U+{ord(ch):04X}" for ch in text if ch not in "\t\n\r"
                          and unicodedata.category(ch) in _INVISIBLE_CATEGORIES)
    return list(found)


_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


def clip(text: str, limit: int = 60) -> str:
    """A value shortened for a message: at most ``limit`` characters, with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
