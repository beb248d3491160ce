"""The consolidated workbook (``geconsolideerd.xlsx``) for the secretariat.

:func:`write_consolidated` turns a :class:`~kwl_office.consolidation.model.Consolidation` into
a print-ready workbook: *Samenvatting* (the advice, blocking norms, findings and the
consensus-meeting instructions), *Matrix* (one row per norm: self-evaluation, every
reviewer, consensus, spread, coloured by rating, disagreements highlighted), *Domeinen*
(counts and a native stacked bar chart), *Overeenstemming* (Krippendorff's alpha) and, when
the assessment was compared with the organisation's previous one, *Vorige keer*.

The same file is the overrides input of the next consolidation: the consensus meeting fills
*Eindoordeel* and *Motivering* on the Matrix sheet (the only unlocked columns) and
:func:`kwl_office.consolidation.overrides.read_overrides` reads them back with the tolerance
of the submission reader (rows found by norm id, columns by header label, ratings by code,
label or score in any spelling).
Norms already overridden are written pre-filled, so consolidating again with the written
file gives the same result.

Written with XlsxWriter, not openpyxl: the workbook is output only (nothing reads it back
with openpyxl; the overrides are read with the submission reader), and XlsxWriter writes it
in a third of the time (issue 16: openpyxl needed ~45 ms, most of it hashing about a
thousand style objects, and its unstyled floor for these cells alone is about the 20 ms the
whole workbook may take; see benchmarks/bench_consolidated.py). The
house style stays defined once, as openpyxl objects in :mod:`kwl_office.excel.style`; they
are translated into XlsxWriter formats here, one format per distinct look. Longer than 600
lines: six sheets of one print-ready workbook that share its cell, height and print
helpers; the reading side is :mod:`kwl_office.consolidation.overrides`.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from xlsxwriter.utility import (  # type: ignore[import-untyped]
    quote_sheetname,
    xl_rowcol_to_cell,
)
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office._version import __version__
from kwl_office.atomic import write_bytes_atomic
from kwl_office.catalogue import Catalogue
from kwl_office.consolidation.agreement import Agreement
from kwl_office.consolidation.history import Comparison, Direction, reason_text
from kwl_office.consolidation.model import Advice, Consolidation, GroupSummary, NormResult
from kwl_office.excel import layout as L
from kwl_office.excel.style import (
    BODY_FONT,
    BRAND,
    BRAND_LIGHT,
    CENTER_TOP,
    FONT_NAME,
    GRID,
    HEADER_FILL,
    HEADER_FONT,
    ID_FONT,
    INPUT_FILL,
    LABEL_FONT,
    LOCKED_FILL,
    PAGE_OF,
    SECTION_FONT,
    SIDE_MARGIN,
    SUBTITLE_FONT,
    TITLE_FONT,
    WRAP_TOP,
    fit_widths,
    header_text,
    level_match_formula,
    lines_height,
    text_lines,
    width_budget,
    word_width,
)
from kwl_office.findings import Severity

# --- the look of a cell, translated from the house style -------------------------------------


def _rgb(colour: Any) -> str:
    """``RRGGBB`` of an openpyxl colour (``FF1F4E79``) or a hex string."""
    return str(getattr(colour, "rgb", colour))[-6:].upper()


@dataclass(frozen=True)
class _Font:
    size: float = 11
    bold: bool = False
    italic: bool = False
    colour: str | None = None
    name: str = FONT_NAME


def _font(font: Font) -> _Font:
    """A house font (openpyxl) as a hashable look part."""
    return _Font(size=float(font.sz or 11), bold=bool(font.b), italic=bool(font.i),
                 colour=_rgb(font.color) if font.color is not None else None,
                 name=str(font.name or FONT_NAME))


@dataclass(frozen=True)
class _Align:
    horizontal: str | None = None
    vertical: str | None = None
    wrap: bool = False
    indent: int = 0


def _align(alignment: Alignment) -> _Align:
    return _Align(alignment.horizontal, alignment.vertical, bool(alignment.wrap_text),
                  int(alignment.indent or 0))


@dataclass(frozen=True)
class _Look:
    """Everything a cell shows besides its value; one XlsxWriter format per distinct look."""

    font: _Font | None = None
    fill: str | None = None  # RRGGBB of a solid fill
    align: _Align | None = None
    grid: bool = False  # the house grid (thin, light grey) on all four sides
    locked: bool = True
    number: str | None = None


_VERTICAL = {"center": "vcenter", "top": "top", "bottom": "bottom"}
_GRID_COLOUR = "#" + _rgb(GRID.left.color)


def _format_properties(look: _Look) -> dict[str, Any]:
    props: dict[str, Any] = {}
    if look.font is not None:
        # only what differs from XlsxWriter's default font (Calibri 11, as openpyxl's)
        if look.font.name != "Calibri":
            props["font_name"] = look.font.name
        if look.font.size != 11:
            size = float(look.font.size)
            props["font_size"] = int(size) if size.is_integer() else size
        if look.font.bold:
            props["bold"] = True
        if look.font.italic:
            props["italic"] = True
        if look.font.colour is not None:
            props["font_color"] = "#" + look.font.colour
    if look.fill is not None:
        props |= {"pattern": 1, "bg_color": "#" + look.fill}
    if look.align is not None:
        if look.align.horizontal:
            props["align"] = look.align.horizontal
        if look.align.vertical:
            props["valign"] = _VERTICAL[look.align.vertical]
        props["text_wrap"] = look.align.wrap
        if look.align.indent:
            props["indent"] = look.align.indent
    if look.grid:
        props |= {"border": 1, "border_color": _GRID_COLOUR}
    if not look.locked:
        props["locked"] = False
    if look.number is not None:
        props["num_format"] = look.number
    return props


# --- style of this workbook (on top of the house style of the writer) -------------------------

#: orange of disagreements (Norm and Spreiding cells, legend)
DISAGREEMENT_COLOUR = "F4B084"
#: the longest organisation name a page header shows (Excel allows 255 characters in all,
#: and every "&" in a name takes two)
HEADER_HOST_CHARS = 80
#: header fill of the two columns the consensus meeting fills in
INPUT_HEADER_COLOUR = "375623"
#: advice → (fill, font colour)
ADVICE_COLOURS = {
    Advice.REGISTRATION: ("548235", "FFFFFF"),
    Advice.CERTIFICATE: ("548235", "FFFFFF"),
    Advice.REASSESSMENT: ("C00000", "FFFFFF"),
    Advice.INCOMPLETE: ("FFC000", "262626"),
}
NO_ADVICE_COLOURS = ("A6A6A6", "FFFFFF")
#: alpha band → fill (Excel's good / neutral / bad)
BAND_FILLS = {"good": "C6EFCE", "tentative": "FFEB9C", "discuss": "FFC7CE"}
ALPHA_GOOD = 0.8
ALPHA_TENTATIVE = 0.667

_BODY = _font(BODY_FONT)
_LABEL = _font(LABEL_FONT)
_SECTION = _font(SECTION_FONT)
_HEADER = _font(HEADER_FONT)
_BOLD_BLACK = _Font(size=10, bold=True, colour="000000")
_MUTED_FONT = _Font(size=10, italic=True, colour="7F7F7F")
_NOTE_FONT = _Font(size=10, italic=True, colour="404040")
_TOTAL_FONT = _Font(size=10, bold=True)
_CENTER = _Align("center", "center", wrap=True)
_HEADER_ALIGN = _Align("center", "center", wrap=True)
_LEFT_WRAP = _Align("left", "top", wrap=True)
_LEFT_CENTER = _Align("left", "center")
_CENTRED_FIGURE = _Align("center", "top")
_WRAP_TOP = _align(WRAP_TOP)
_CENTER_TOP = _align(CENTER_TOP)
_LOCKED_FILL = _rgb(LOCKED_FILL.fgColor)

# the looks of the norm cells, as the named styles of the norm sheets (excel.writer)
_ID = _Look(_font(ID_FONT), _LOCKED_FILL, _WRAP_TOP, grid=True)
_TEXT = _Look(_BODY, _LOCKED_FILL, _WRAP_TOP, grid=True)
_INPUT = _Look(_BODY, _rgb(INPUT_FILL.fgColor), _WRAP_TOP, grid=True, locked=False)
_CHOICE = _Look(_BODY, _rgb(INPUT_FILL.fgColor), _CENTER_TOP, grid=True, locked=False)
_DISAGREE_ID = _Look(_BOLD_BLACK, DISAGREEMENT_COLOUR, _WRAP_TOP, grid=True)
_NUMBER = _Look(_BODY, _LOCKED_FILL, _CENTER_TOP, grid=True)
_DISAGREE_NUMBER = _Look(_BOLD_BLACK, DISAGREEMENT_COLOUR, _CENTER_TOP, grid=True)
_EMPTY = _Look(_MUTED_FONT, _LOCKED_FILL, _CENTER_TOP, grid=True)
_HEADER_LOOK = _Look(_HEADER, _rgb(HEADER_FILL.fgColor), _HEADER_ALIGN, grid=True)

#: a motivation the meeting still has to write (Excel's "bad" red, clearly not a rating colour)
_MISSING_FILL = "FFC7CE"

_FINDING = dutch.Word(*T.CONS_FINDING)
#: the matrix may narrow these columns (to these widths) to print at 8.5 pt or more; ratings
#: wrap between words ("Voldoet / deels"), the domain and quality-value columns are not
#: narrowed below their longest words
_MATRIX_MINIMUMS = {"norm_text": 20, "self_rating": 9, "reviewer": 9, "consensus": 9,
                    "motivation": 22}
#: a reviewer's column grows for a long word in their name up to this width; a longer word
#: (one of 24 letters or more) is cut: the other columns need the room
_MATRIX_REVIEWER_MAX = 20
#: a cell note: author and size (pixels) as the other workbooks have them
_NOTE = {"author": "kwl", "width": 260, "height": 90}
#: sheet protection of a read-only sheet, as Excel's default (only selecting cells), with
#: notes and the chart left as they are (objects, scenarios: not protected)
_READ_ONLY = {"objects": True, "scenarios": True}
#: a sheet people fill in (excel.style.protect): filtering, sorting and resizing stay allowed
_FILL_IN = _READ_ONLY | {"sort": True, "autofilter": True, "format_columns": True,
                         "format_rows": True}


# --- writing cells: a thin layer over XlsxWriter -----------------------------------------------


class _HintHeights(Worksheet):  # type: ignore[misc]
    """A worksheet whose row heights are hints (``ht`` without ``customHeight``): Excel and
    LibreOffice still grow a row to its text when people type in it (see
    :func:`kwl_office.excel.style.fit_row_height`).

    XlsxWriter marks every height it writes as custom and rounds it to whole pixels, so the
    row element is amended where it is written: no ``customHeight``, and the height in
    points as computed (:attr:`hints`, by 1-based row), as the other workbooks have it;
    likewise a column element gets its width as given (:attr:`widths`, by 1-based column),
    and the page setup says "one page wide" explicitly. The class goes in through
    XlsxWriter's documented ``worksheet_class`` hook; the methods it overrides are
    XlsxWriter's internal XML helpers and formula preparation, hence the pinned major
    version (tests/test_consolidated_speed.py fails if they stop taking effect).
    """

    def __init__(self) -> None:
        super().__init__()
        self.hints: dict[int, float] = {}
        self.widths: dict[int, float] = {}

    def _row_attributes(self, attributes: Any) -> list[tuple[str, Any]]:
        row = next((int(value) for key, value in attributes if key == "r"), 0)
        hint = self.hints.get(row)
        amended = [(key, value) for key, value in attributes
                   if key != "customHeight" and (key != "ht" or hint is None)]
        if hint is not None:
            # also where XlsxWriter left it out: a hint of the default height in pixels
            amended.append(("ht", f"{hint:.16g}"))
        return amended

    def _xml_start_tag_unencoded(self, tag: str, attributes: Any = ()) -> None:
        if tag == "row":
            attributes = self._row_attributes(attributes)
        super()._xml_start_tag_unencoded(tag, attributes)

    def _xml_empty_tag_unencoded(self, tag: str, attributes: Any = ()) -> None:
        if tag == "row":
            attributes = self._row_attributes(attributes)
        super()._xml_empty_tag_unencoded(tag, attributes)

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        # the formulas of this workbook (dropdown source, rating colours) use functions as
        # old as Excel 2007 (OR, LOWER, SUBSTITUTE): nothing to expand to "_xlfn." names,
        # which XlsxWriter would try with some 150 regular expressions per formula
        return formula.removeprefix("=")

    def _xml_empty_tag(self, tag: str, attributes: Any = ()) -> None:
        if tag == "col":
            # the width as given, not rounded to pixels (neighbours of the same pixel width
            # share one element: the first one's width)
            first = next((int(value) for key, value in attributes if key == "min"), 0)
            width = self.widths.get(first)
            attributes = [(key, f"{width:.16g}" if key == "width" and width is not None
                           else value) for key, value in attributes]
        # fit to one page wide, said explicitly as the other workbooks say it (XlsxWriter
        # leaves the default 1 out, and readers such as openpyxl then see no setting)
        if tag == "pageSetup" and self.fit_page and self.fit_width == 1:
            attributes = [*attributes, ("fitToWidth", 1)]
        super()._xml_empty_tag(tag, attributes)


class _Book:
    """The workbook being written and its formats, one per distinct :class:`_Look`."""

    def __init__(self, target: io.BytesIO) -> None:
        # text is always text: never a formula, number or link (much of it comes from
        # workbooks people filled in)
        self.wb = xlsxwriter.Workbook(target, {
            "in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
            "strings_to_urls": False})
        self._formats: dict[_Look, Any] = {}
        self._by_id: dict[int, tuple[_Look, Any]] = {}

    def format(self, look: _Look) -> Any:
        # by identity first: most looks are constants, and hashing a look hashes its parts
        known = self._by_id.get(id(look))
        if known is not None and known[0] is look:
            return known[1]
        fmt = self._formats.get(look)
        if fmt is None:
            fmt = self._formats[look] = self.wb.add_format(_format_properties(look))
        self._by_id[id(look)] = (look, fmt)  # the look kept alive: its id is not reused
        return fmt

    def sheet(self, name: str) -> _Sheet:
        return _Sheet(self, self.wb.add_worksheet(name, worksheet_class=_HintHeights))


@dataclass
class _Sheet:
    """One worksheet, addressed 1-based like the layout (``L``): cells with their look, the
    row heights written (for the page-break estimates) and the manual page breaks."""

    book: _Book
    ws: Any
    heights: dict[int, float] = field(default_factory=dict)
    breaks: list[int] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.ws.name)

    def put(self, row: int, col: int, value: Any, look: _Look | None = None) -> None:
        """Write a cell; text is stored as text, stripped of characters a workbook cannot
        hold (as :func:`kwl_office.excel.cells.set_value`)."""
        fmt = self.book.format(look) if look is not None else None
        r, c = row - 1, col - 1
        if isinstance(value, str):
            # most text is printable (no line breaks or control characters): skip the regex
            text = value if value.isprintable() else ILLEGAL_CHARACTERS_RE.sub("", value)
            if text:
                self.ws.write_string(r, c, text, fmt)
            else:
                self.ws.write_blank(r, c, None, fmt)
        elif value is None:
            self.ws.write_blank(r, c, None, fmt)
        elif isinstance(value, bool):
            self.ws.write_boolean(r, c, value, fmt)
        elif isinstance(value, int | float):
            self.ws.write_number(r, c, value, fmt)
        else:
            self.put(row, col, str(value), look)

    def merge(self, row: int, first: int, last: int, value: Any, look: _Look) -> None:
        """Merge columns ``first``..``last`` of ``row`` (all in ``look``) and write ``value``
        into the first; the value goes through :meth:`put`, never as a formula."""
        self.ws.merge_range(row - 1, first - 1, row - 1, last - 1, "", self.book.format(look))
        self.put(row, first, value, look)

    def note(self, row: int, col: int, text: str) -> None:
        self.ws.write_comment(row - 1, col - 1, text, _NOTE)

    def height(self, row: int, points: float) -> None:
        """A height hint of ``points`` for ``row`` (written exactly: see :class:`_HintHeights`)."""
        self.heights[row] = points
        self.ws.hints[row] = points
        self.ws.set_row_pixels(row - 1, math.ceil(points * 4 / 3))

    def width(self, col: int, width: float) -> None:
        """Column ``col`` ``width`` wide, written as the other workbooks (openpyxl) write it
        (see :class:`_HintHeights`; XlsxWriter would round it to pixels and add padding)."""
        self.ws.widths[col] = width
        self.ws.set_column_pixels(col - 1, col - 1, round(width * 7))

    def page_break(self, after: int) -> None:
        """A new page after row ``after``."""
        self.breaks.append(after)

    def finish(self, c: Consolidation, title_row: int | None, *,
               options: dict[str, bool] | None = None) -> None:
        """Protect the sheet and make it print-ready (:func:`_print_setup`)."""
        self.ws.protect("", options or _READ_ONLY)
        _print_setup(self, c, title_row)


def write_consolidated(path: str | Path, consolidation: Consolidation, catalogue: Catalogue,
                       *, in_round: bool = False, previous: Comparison | None = None) -> Path:
    """Write geconsolideerd.xlsx atomically (kwl_office.atomic) and return path.

    ``in_round``: the file lies in a round's output folder (``kwl round report``), so its
    instructions send the consensus meeting back to the round, not to ``kwl consolidate``.
    ``previous``: the comparison with the organisation's previous assessment; it gets a
    sheet *Vorige keer* (none without one).
    """
    # in memory first: XlsxWriter's half-written ZipFile on a full disk would fail again
    # when collected, a traceback after our own message (see atomic.save_atomic)
    buffer = io.BytesIO()
    book = _Book(buffer)
    _build(book, consolidation, catalogue, in_round=in_round, previous=previous)
    book.wb.close()
    return write_bytes_atomic(path, buffer.getvalue())


# --- workbook --------------------------------------------------------------------------------


def _build(book: _Book, c: Consolidation, catalogue: Catalogue, *, in_round: bool = False,
           previous: Comparison | None = None) -> None:
    # XlsxWriter adds sheets in their order: Samenvatting, Matrix, Domeinen, Vorige keer,
    # Overeenstemming, Meldingen, then the hidden lists and the very hidden identity
    summary = book.sheet(L.SHEET_SUMMARY)
    matrix = book.sheet(L.SHEET_MATRIX)
    domains = book.sheet(L.SHEET_DOMAINS)
    before = book.sheet(T.CONS_SHEET_PREVIOUS) if previous is not None else None
    # one rater (an audit by one CI): no agreement to speak of
    agreement = book.sheet(L.SHEET_AGREEMENT) if c.has_agreement else None
    findings = book.sheet(T.CONS_SHEET_FINDINGS) if c.findings else None
    lists = _write_lists(book, catalogue)
    _write_summary(summary, c, catalogue, in_round=in_round)
    _write_matrix(matrix, c, catalogue, lists)
    _write_domains(domains, c, catalogue)
    if before is not None and previous is not None:
        _write_previous(before, c, previous, catalogue)
    if agreement is not None:
        _write_agreement(agreement, c)
    if findings is not None:
        _write_findings(findings, c)
    _write_identity(book, c)
    summary.ws.activate()  # the first sheet, active and its tab the only one selected
    book.wb.set_properties({
        "title": f"{T.CONS_TITLE} – {c.host}",
        "subject": f"{T.LABEL_ASSESSMENT} {c.assessment_id}",
        "author": f"kwl_office {__version__}",
    })


@lru_cache(maxsize=64)
def _level_look(colour: str) -> _Look:
    """A rating cell in the colour of its level (any colour notation)."""
    return _Look(_BOLD_BLACK, _rgb(colour), _CENTER_TOP, grid=True)


def _write_lists(book: _Book, catalogue: Catalogue) -> _Sheet:
    ws = book.sheet(L.CONSOLIDATED_LISTS_SHEET)
    for row, label in enumerate(catalogue.rating_scale.labels, start=1):
        ws.put(row, 1, label)
    ws.ws.hide()
    ws.ws.protect("", _READ_ONLY)
    return ws


def _write_identity(book: _Book, c: Consolidation) -> None:
    ws = book.sheet(L.CONSOLIDATED_IDENTITY_SHEET)
    data = {
        "kind": L.CONSOLIDATED_KIND,
        "assessment_id": c.assessment_id,
        "host": c.host,
        "catalogue_id": c.catalogue_id,
        "catalogue_version": c.catalogue_version,
        "catalogue_fingerprint": c.catalogue_fingerprint,
        "variant": c.variant.value,
    }
    for row, key in enumerate(L.CONSOLIDATED_KEYS, start=1):
        ws.put(row, 1, key)
        # explicit string cells: an id like "2026-014" must not become a date or number
        ws.put(row, 2, data[key])
    ws.ws.very_hidden()
    ws.ws.protect("", _READ_ONLY)


# --- cells and layout helpers ----------------------------------------------------------------


def _table_look(column: int, *, total: bool) -> _Look:
    """A cell of the domain and agreement tables: a label in the first column, centred
    figures after it, the total row shaded."""
    font = _TOTAL_FONT if total else (_LABEL if column == 1 else _BODY)
    return _Look(font, _rgb(BRAND_LIGHT) if total else None,
                 _LEFT_WRAP if column == 1 else _CENTRED_FIGURE, grid=True)


@lru_cache(maxsize=4096)
def _lines(text: str, width: float, *, bold: bool = False, size: float = 10) -> int:
    """Lines a wrapped text needs in a column (or merged columns) of ``width`` (cached: the
    same norm texts and rating labels come back on every sheet and in every workbook)."""
    return text_lines(text, width, size=size, bold=bold)


def _height(lines: int, *, size: float = 10) -> float:
    return lines_height(lines, size=size)


def _header(ws: _Sheet, row: int, col: int, label: str, *, width: float,
            look: _Look = _HEADER_LOOK, note: str | None = None) -> int:
    """Write a table header cell; returns the lines its label needs."""
    ws.put(row, col, label, look)
    if note:
        ws.note(row, col, note)
    return _lines(label, width, bold=True)


def _title(ws: _Sheet, title: str, c: Consolidation) -> None:
    ws.put(1, 1, title, _Look(_font(TITLE_FONT)))
    ws.height(1, 26)
    ws.put(2, 1, _subtitle(c), _Look(_font(SUBTITLE_FONT)))
    ws.height(2, 18)


def _subtitle(c: Consolidation) -> str:
    return " · ".join([T.CONS_TITLE, c.host, T.VARIANT_LABELS[c.variant.value],
                       f"{T.LABEL_ASSESSMENT.lower()} {c.assessment_id}"])


def _print_setup(ws: _Sheet, c: Consolidation, title_row: int | None) -> None:
    """Print-ready as :func:`kwl_office.excel.style.print_setup` makes the other workbooks:
    A4 landscape, one page wide, the house margins, ``title_row`` on every page, the
    consolidation and the sheet at the top, the assessment and the page number below."""
    sheet = ws.ws
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=SIDE_MARGIN, right=SIDE_MARGIN, top=0.75, bottom=0.75)
    if title_row is not None:
        sheet.repeat_rows(title_row - 1)
    # Excel allows 255 characters in a page header: a very long name is shortened there
    host = c.host if len(c.host) <= HEADER_HOST_CHARS else c.host[:HEADER_HOST_CHARS - 1] + "…"
    _page_text(sheet, "header", header_text(f"{T.CONS_TITLE} – {host}"),
               header_text(ws.title))
    # the page number is a code, not text: never escaped
    _page_text(sheet, "footer", header_text(f"{T.LABEL_ASSESSMENT} {c.assessment_id}"),
               PAGE_OF)
    if ws.breaks:
        sheet.set_h_pagebreaks(ws.breaks)


def _page_text(sheet: Any, where: str, left: str, right: str) -> None:
    # an empty part stays out: "&L&R…" makes readers (openpyxl) lose the part after it
    text = "".join(f"&{code}{part}" for code, part in (("L", left), ("R", right)) if part)
    if "&G" in text:
        # "&&G" is a literal "&G" (an organisation "Zorg&Gezin"), which XlsxWriter would
        # take for a picture and refuse; set what set_header/set_footer would set
        setattr(sheet, where, text)
        setattr(sheet, f"margin_{where}", 0.3)
        sheet.header_footer_changed = True
    elif where == "header":
        sheet.set_header(text, {"margin": 0.3})
    else:
        sheet.set_footer(text, {"margin": 0.3})


def _rating_label(code: str | None, catalogue: Catalogue) -> str | None:
    level = catalogue.rating_scale.by_code.get(code or "")
    return level.label if level else code


def _rating_cell(ws: _Sheet, row: int, col: int, code: str | None, catalogue: Catalogue,
                 *, empty: str = T.CONS_EMPTY_RATING) -> str:
    """A rating shown as its label, filled with the level's colour; returns the text."""
    level = catalogue.rating_scale.by_code.get(code or "")
    if level is None:
        text = code or empty
        ws.put(row, col, text, _EMPTY)
        return text
    ws.put(row, col, level.label, _level_look(level.colour))
    return level.label


# --- Samenvatting ----------------------------------------------------------------------------


def _write_summary(ws: _Sheet, c: Consolidation, catalogue: Catalogue, *,
                   in_round: bool) -> None:
    ws.ws.hide_gridlines(2)
    widths = [col.width for col in L.FINDINGS_COLUMNS]
    for index, width in enumerate(widths, start=1):
        ws.width(index, width)
    value_width = sum(widths[1:])
    full_width = sum(widths)

    ws.put(1, 1, "Kwaliteitslabel Sociaal Werk", _Look(_Font(11, bold=True, colour="7F7F7F")))
    ws.put(2, 1, T.CONS_TITLE, _Look(_Font(24, bold=True, colour=BRAND)))
    ws.put(3, 1, c.host, _Look(_font(SUBTITLE_FONT)))
    ws.height(2, 36)
    ws.height(3, 18)

    overall = c.overall
    cover = [
        (T.LABEL_HOST, c.host),
        (T.LABEL_ASSESSMENT, c.assessment_id),
        (T.CONS_LABEL_VARIANT, T.VARIANT_LABELS[c.variant.value]),
        (T.CONS_LABEL_SCOPE, T.scope_name(c.scope)),
        (T.CONS_LABEL_REVIEWERS, "; ".join(c.reviewers) or T.CONS_NO_REVIEWERS),
        (T.CONS_LABEL_SELF, T.YES if c.self_evaluation else T.NO),
        (T.LABEL_CATALOGUE, T.catalogue_name(catalogue.title, c.catalogue_version)),
        (T.CONS_LABEL_NORMS, T.CONS_NORMS_VALUE.format(
            norms=dutch.count(overall.norms, "norm"), open=dutch.number(overall.open),
            disagreements=dutch.count(overall.disagreements, "disagreement"))),
    ]
    row = 5
    label_look = _Look(_LABEL, align=_Align(vertical="top"))
    for label, value in cover:
        ws.put(row, 1, label, label_look)
        ws.merge(row, 2, 4, value,
                 _Look(_Font(11, bold=label == T.LABEL_HOST), align=_LEFT_WRAP))
        ws.height(row, _height(_lines(value, value_width, size=11), size=11))
        row += 1

    # the advice, big and coloured
    row += 1
    ws.put(row, 1, T.CONS_LABEL_ADVICE, _Look(_SECTION, align=_Align(vertical="center")))
    if c.advice is not None:
        text = T.ADVICE_LABELS[c.advice.value]
        fill, colour = ADVICE_COLOURS[c.advice]
        note = T.CONS_ADVICE_NOTES[c.advice.value]
    else:
        text, (fill, colour), note = T.NO_ADVICE, NO_ADVICE_COLOURS, T.CONS_NO_ADVICE_NOTE
    ws.merge(row, 2, 4, text.upper() if c.advice is not None else text,
             _Look(_Font(20, bold=True, colour=colour), fill, _Align("left", "center", indent=1)))
    ws.height(row, 40)
    row += 1
    ws.merge(row, 2, 4, note, _Look(_NOTE_FONT, align=_LEFT_WRAP))
    ws.height(row, _height(_lines(note, value_width)))
    row += 2

    ws.put(row, 1, T.CONS_HEADING_FINDINGS, _Look(_SECTION))
    row += 1
    if not c.findings:
        ws.put(row, 1, T.CONS_NO_FINDINGS, _Look(_MUTED_FONT))
    else:
        errors = sum(f.severity is Severity.ERROR for f in c.findings)
        kinds = dutch.join(dutch.count(n, word) for n, word in (
            (errors, "error"), (len(c.findings) - errors, "warning")) if n)
        ws.put(row, 1, T.CONS_FINDINGS_ELSEWHERE.format(
            findings=dutch.count(len(c.findings), _FINDING), kinds=kinds,
            sheet=T.CONS_SHEET_FINDINGS), _Look(_BODY))
    row += 2

    loop_top = row
    ws.put(row, 1, T.CONS_HEADING_LOOP, _Look(_SECTION))
    row += 1
    loop = [*T.CONS_LOOP, T.CONS_LOOP_NEXT["round" if in_round else "consolidate"]]
    step_look = _Look(_BODY, align=_Align(vertical="top", wrap=True, indent=1))
    for number, line in enumerate(loop, start=1):
        text = f"{number}.  {line}"
        ws.merge(row, 1, 4, text, step_look)
        ws.height(row, _height(_lines(text, full_width - 3)))
        row += 1
    _keep_on_one_page(ws, loop_top, row - 1)
    row += 1

    # the blocking norms come last: the only table of the sheet, its header row repeated on
    # every page it runs onto (print titles repeat only below where they first appear)
    header_row = None
    if c.blocking_norms:
        top = row
        row = _write_blocking(ws, row, c, catalogue)
        header_row = top + 1
        _keep_on_one_page(ws, top, row - 1)

    ws.finish(c, header_row)


#: the height of A4 landscape between the top and bottom margin, in points
_PAGE_HEIGHT = 595.3 - 2 * 0.75 * 72
#: the height of a row without a height of its own
_DEFAULT_ROW = 15.0


def _keep_on_one_page(ws: _Sheet, first: int, last: int) -> None:
    """Start a new page at row ``first`` when rows ``first``..``last`` (a heading and its
    table) would otherwise be split over two pages: a table row never starts a page without
    its header. Estimated from the row heights written (the sheet prints at 100%)."""
    def height(row: int) -> float:
        return ws.heights.get(row, _DEFAULT_ROW)

    block = sum(height(r) for r in range(first, last + 1))
    used = 0.0
    for row in range(1, first):
        used += height(row)
        if used > _PAGE_HEIGHT:
            used = height(row)
    if used + block > _PAGE_HEIGHT and block <= _PAGE_HEIGHT:
        ws.page_break(first - 1)


def _write_blocking(ws: _Sheet, row: int, c: Consolidation, catalogue: Catalogue) -> int:
    heading = T.CONS_HEADING_BLOCKING.get(c.advice.value if c.advice else "",
                                          T.CONS_HEADING_BLOCKING["herbeoordeling"])
    ws.put(row, 1, heading, _Look(_SECTION))
    row += 1
    norm_col, rating_col, text_col = L.BLOCKING_COLUMNS
    left = replace(_HEADER_LOOK, align=_LEFT_CENTER)
    _header(ws, row, 1, norm_col.label, width=norm_col.width, look=left)
    _header(ws, row, 2, rating_col.label, width=rating_col.width)
    ws.merge(row, 3, 4, text_col.label, left)
    row += 1
    for norm_id in c.blocking_norms:
        result = c.norms.get(norm_id)
        ws.put(row, 1, norm_id, _ID)
        _rating_cell(ws, row, 2, result.consensus if result else None, catalogue,
                     empty=T.CONS_OPEN)
        known = catalogue.norm_index.get(norm_id)
        text = known[2].text if known else ""
        ws.merge(row, 3, 4, text, _TEXT)
        ws.height(row, _height(_lines(text, text_col.width)))
        row += 1
    return row + 1


def _write_findings(ws: _Sheet, c: Consolidation) -> None:
    """The findings as a table whose header row heads every printed page."""
    ws.ws.hide_gridlines(2)
    _title(ws, T.CONS_FINDINGS_TITLE, c)
    row = L.CONSOLIDATED_HEADER_ROW
    lines = 1
    left = replace(_HEADER_LOOK, align=_LEFT_CENTER)
    for index, column in enumerate(L.FINDINGS_COLUMNS, start=1):
        ws.width(index, column.width)
        lines = max(lines, _header(ws, row, index, column.label, width=column.width,
                                   look=left))
    ws.height(row, _height(lines))
    for finding in c.findings:
        row += 1
        place = finding.location()
        if finding.norm_id and finding.norm_id not in place:
            place = f"{place} ({finding.norm_id})" if place else finding.norm_id
        values = [T.CLI_SEVERITY[finding.severity.value], finding.file or "", place,
                  finding.message]
        lines = 1
        for index, (column, value) in enumerate(zip(L.FINDINGS_COLUMNS, values, strict=True),
                                                start=1):
            look = _TEXT
            if index == 1:
                colour = "C00000" if finding.severity is Severity.ERROR else "9C5700"
                look = replace(_TEXT, font=_Font(10, bold=True, colour=colour))
            ws.put(row, index, value, look)
            lines = max(lines, _lines(value, column.width))
        ws.height(row, _height(lines))
    ws.ws.freeze_panes(L.CONSOLIDATED_FIRST_DATA_ROW - 1, 0)
    ws.finish(c, L.CONSOLIDATED_HEADER_ROW)


# --- Matrix ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Col:
    key: str
    label: str
    width: float


def _matrix_columns(c: Consolidation) -> list[_Col]:
    """The matrix columns, the text columns narrowed as far as the reviewers' columns need to
    print the sheet on A4 landscape at 8.5 pt or more (down to :data:`_MATRIX_MINIMUMS`)."""
    before = [_Col(col.key, col.label, col.width) for col in L.MATRIX_BEFORE_REVIEWERS]
    after = [_Col(col.key, col.label, col.width) for col in L.MATRIX_AFTER_REVIEWERS]
    budget = width_budget(10, "landscape")
    rest = sum(_MATRIX_MINIMUMS.get(col.key, col.width) for col in before + after)
    reviewers = [_Col("reviewer", name, width) for name, width in
                 zip(c.reviewers, _reviewer_widths(c.reviewers, budget - rest), strict=True)]
    columns = before + reviewers + after
    # never so narrow that a word of the header is cut in two (a reviewer's name too, as far
    # as the column's own width holds it)
    minimums = [max(_MATRIX_MINIMUMS.get(col.key, col.width),
                    min(col.width, word_width(col.label, bold=True))) for col in columns]
    widths = fit_widths([col.width for col in columns], minimums, budget)
    return [_Col(col.key, col.label, width)
            for col, width in zip(columns, widths, strict=True)]


def _reviewer_widths(names: Sequence[str], room: float) -> list[float]:
    """The reviewers' column widths: :data:`~kwl_office.excel.layout.MATRIX_REVIEWER_WIDTH`,
    wider for a name with a longer word (up to :data:`_MATRIX_REVIEWER_MAX`) as far as
    ``room`` (the width the sheet has for reviewers with every other column at its minimum)
    allows: a name is cut inside a word only when the sheet would not print at 8.5 pt else."""
    base = L.MATRIX_REVIEWER_WIDTH
    wanted = [max(0.0, min(word_width(name, bold=True), _MATRIX_REVIEWER_MAX) - base)
              for name in names]
    spare = room - base * len(names)
    if sum(wanted) <= 0 or spare <= 0:
        return [float(base)] * len(names)
    share = min(1.0, spare / sum(wanted))
    return [round(base + extra * share, 1) for extra in wanted]


def _write_matrix(ws: _Sheet, c: Consolidation, catalogue: Catalogue, lists: _Sheet) -> None:
    columns = _matrix_columns(c)
    index = {col.key: i for i, col in enumerate(columns, start=1) if col.key != "reviewer"}
    header_row = L.CONSOLIDATED_HEADER_ROW
    first = L.CONSOLIDATED_FIRST_DATA_ROW
    _title(ws, T.CONS_MATRIX_TITLE, c)
    for i, col in enumerate(columns, start=1):
        ws.width(i, col.width)

    # legend: the disagreement colour and the scale colours, above the table
    spread = catalogue.policy.disagreement_spread
    ws.put(3, 1, T.CONS_LEGEND_SWATCH.format(spread=spread), replace(_DISAGREE_ID, align=_CENTER))
    text = T.CONS_LEGEND_TEXT.format(spread=spread)
    ws.merge(3, 2, 4, text, _Look(_NOTE_FONT, align=_Align(vertical="center", wrap=True)))
    legend_width = sum(col.width for col in columns[1:4])
    legend_lines = _lines(text, legend_width)
    for offset, level in enumerate(catalogue.scale):
        at = len(L.MATRIX_BEFORE_REVIEWERS) + offset
        if at > len(columns):
            break
        ws.put(3, at, level.label, replace(_level_look(level.colour), align=_CENTER))
        legend_lines = max(legend_lines, _lines(level.label, columns[at - 1].width, bold=True))
    ws.height(3, _height(legend_lines))

    lines = 1
    input_header = replace(_HEADER_LOOK, fill=INPUT_HEADER_COLOUR)
    for i, col in enumerate(columns, start=1):
        is_input = col.key in (L.MATRIX_FINAL.key, L.MATRIX_MOTIVATION.key)
        lines = max(lines, _header(
            ws, header_row, i, col.label, width=col.width,
            look=input_header if is_input else _HEADER_LOOK,
            note=T.CONS_HEADER_NOTES.get(col.key) if col.key != "reviewer" else None))
    ws.height(header_row, _height(lines))

    row = first - 1
    for result in c.norms.values():
        row += 1
        _write_matrix_row(ws, row, result, c, catalogue, columns, index)
    last = max(row, first)

    final = index[L.MATRIX_FINAL.key] - 1  # 0-based
    ws.ws.data_validation(first - 1, final, last - 1, final, {
        "validate": "list",
        "source": f"={quote_sheetname(lists.title)}!$A$1:$A${len(catalogue.scale)}",
        "ignore_blank": True,
        "input_title": L.MATRIX_FINAL.label,
        "input_message": T.CONS_DV_FINAL_PROMPT,
        # a value outside the list is a warning people may accept (codes such as V): the
        # overrides reader re-validates, as excel.style.list_validation
        "error_type": "warning",
        "error_title": L.MATRIX_FINAL.label,
        "error_message": T.DV_RATING_ERROR.format(
            allowed=", ".join(catalogue.rating_scale.labels)),
    })
    # what the meeting types is coloured like the rating cells, in any spelling
    top = xl_rowcol_to_cell(first - 1, final, row_abs=False, col_abs=True)
    for level in catalogue.scale:
        ws.ws.conditional_format(first - 1, final, last - 1, final, {
            "type": "formula",
            "criteria": "=" + level_match_formula(top, level),
            "format": ws.book.wb.add_format({"bold": True, "font_color": "#000000",
                                             "bg_color": "#" + _rgb(level.colour)}),
            "stop_if_true": True,
        })

    ws.ws.freeze_panes(first - 1, 1)
    ws.ws.autofilter(header_row - 1, 0, last - 1, len(columns) - 1)
    ws.finish(c, header_row, options=_FILL_IN)


def _write_matrix_row(ws: _Sheet, row: int, result: NormResult, c: Consolidation,
                      catalogue: Catalogue, columns: Sequence[_Col], index: dict[str, int]
                      ) -> None:
    known = catalogue.norm_index.get(result.norm_id)
    domain_title = known[0].title if known else (
        c.domains[result.domain_id].title if result.domain_id in c.domains else "")
    value_title = f"{known[1].id} {known[1].title}" if known else result.quality_value_id
    texts: dict[str, str] = {
        "domain": domain_title,
        "quality_value": value_title,
        "norm_text": known[2].text if known else "",
    }
    lines = 2  # room to type a motivation
    ws.put(row, index["norm_id"], result.norm_id, _DISAGREE_ID if result.disagreement else _ID)
    for key, text in texts.items():
        ws.put(row, index[key], text, _TEXT)
        lines = max(lines, _lines(text, columns[index[key] - 1].width))

    shown: list[tuple[int, str]] = []
    shown.append((index["self_rating"],
                  _rating_cell(ws, row, index["self_rating"], result.self_rating, catalogue)))
    for offset, reviewer in enumerate(c.reviewers):
        col = len(L.MATRIX_BEFORE_REVIEWERS) + 1 + offset
        shown.append((col, _rating_cell(ws, row, col, result.ratings.get(reviewer), catalogue)))
    # the consensus as computed from the ratings; an override shows in Eindoordeel
    shown.append((index["consensus"], _rating_cell(ws, row, index["consensus"], result.computed,
                                                  catalogue, empty=T.CONS_OPEN)))
    for col, text in shown:
        lines = max(lines, _lines(text, columns[col - 1].width, bold=True))

    spread = result.spread if result.spread is not None else T.CONS_NOT_AVAILABLE
    ws.put(row, index["spread"], spread,
           _DISAGREE_NUMBER if result.disagreement else _NUMBER)

    final: str | None = None
    motivation = ""
    motivation_look = _INPUT
    if result.overridden:
        # pre-filled, so that consolidating again with this file changes nothing
        final = _rating_label(result.consensus, catalogue)
        motivation = result.motivation or ""
    elif result.pending_override:
        # typed without a motivation: not applied, but never wiped; marked until motivated
        final = _rating_label(result.pending_override, catalogue)
        motivation_look = replace(_INPUT, fill=_MISSING_FILL)
        ws.note(row, index["motivation"], T.CONS_MOTIVATION_MISSING)
    ws.put(row, index["final"], final, _CHOICE)
    ws.put(row, index["motivation"], motivation, motivation_look)
    lines = max(lines, _lines(motivation, columns[index["motivation"] - 1].width))
    ws.height(row, _height(lines))


# --- Domeinen --------------------------------------------------------------------------------


def _summary_columns(first: L.TableColumn, catalogue: Catalogue) -> list[_Col]:
    return (
        [_Col(first.key, first.label, first.width),
         _Col(L.SUMMARY_NORMS.key, L.SUMMARY_NORMS.label, L.SUMMARY_NORMS.width)]
        + [_Col(f"level:{lv.code}", lv.label, L.SUMMARY_LEVEL_WIDTH) for lv in catalogue.scale]
        + [_Col(col.key, col.label, col.width) for col in (
            L.SUMMARY_OPEN, L.SUMMARY_SHARE_MET, L.SUMMARY_MEAN_SCORE, L.SUMMARY_DISAGREEMENTS)]
    )


def _write_group_table(ws: _Sheet, row: int, first: L.TableColumn,
                       groups: Sequence[tuple[str, GroupSummary]], total: GroupSummary | None,
                       catalogue: Catalogue) -> int:
    """A header and one row per group (and a total row); returns the last row written."""
    columns = _summary_columns(first, catalogue)
    lines = 1
    for i, col in enumerate(columns, start=1):
        level = catalogue.rating_scale.by_code.get(col.key.removeprefix("level:"))
        look = _HEADER_LOOK
        if col.key.startswith("level:") and level is not None:
            look = replace(_HEADER_LOOK, font=_BOLD_BLACK, fill=_rgb(level.colour))
        if i == 1:
            look = replace(look, align=_LEFT_CENTER)
        lines = max(lines, _header(ws, row, i, col.label, width=col.width, look=look,
                                   note=T.CONS_HEADER_NOTES.get(col.key)))
    ws.height(row, _height(lines))
    rows = list(groups) + ([(T.CONS_TOTAL, total)] if total is not None else [])
    for name, summary in rows:
        row += 1
        is_total = total is not None and summary is total
        values: list[Any] = [name, summary.norms]
        values += [summary.counts.get(lv.code, 0) for lv in catalogue.scale]
        values += [
            summary.open,
            summary.share_met if summary.share_met is not None else T.CONS_NOT_AVAILABLE,
            summary.mean_score if summary.mean_score is not None else T.CONS_NOT_AVAILABLE,
            summary.disagreements,
        ]
        for i, (col, value) in enumerate(zip(columns, values, strict=True), start=1):
            look = _table_look(i, total=is_total)
            if col.key == L.SUMMARY_SHARE_MET.key:
                look = replace(look, number="0%")
            elif col.key == L.SUMMARY_MEAN_SCORE.key:
                look = replace(look, number="0.00")
            if col.key == L.SUMMARY_DISAGREEMENTS.key and isinstance(value, int) and value:
                look = replace(look, fill=DISAGREEMENT_COLOUR)
            ws.put(row, i, value, look)
        # the first column is bold (a label, or the total)
        ws.height(row, _height(_lines(name, first.width, bold=True)))
    return row


def _write_domains(ws: _Sheet, c: Consolidation, catalogue: Catalogue) -> None:
    ws.ws.hide_gridlines(2)
    _title(ws, T.CONS_DOMAINS_TITLE, c)
    columns = _summary_columns(L.SUMMARY_DOMAIN, catalogue)
    for i, col in enumerate(columns, start=1):
        ws.width(i, col.width)
    header_row = L.CONSOLIDATED_HEADER_ROW
    groups = [(s.title, s) for s in c.domains.values()]
    last = _write_group_table(ws, header_row, L.SUMMARY_DOMAIN, groups, c.overall, catalogue)

    row = last + 2
    if groups:
        row = _domain_chart(ws, row, header_row, len(groups), catalogue)

    # the quality values on a page of their own, their header repeated on every page after
    # it (a catalogue with many quality values runs onto a second page)
    title_row = None
    if c.quality_values:
        ws.page_break(row - 1)
        ws.put(row, 1, T.CONS_QUALITY_VALUES_TITLE, _Look(_SECTION))
        ws.height(row, 20)
        values = [(f"{value_id} {s.title}", s) for value_id, s in c.quality_values.items()]
        title_row = row + 1
        _write_group_table(ws, title_row, L.SUMMARY_QUALITY_VALUE, values, None, catalogue)

    ws.ws.freeze_panes(header_row, 0)
    ws.finish(c, title_row)


#: the chart of the domains, in cm (as wide as the table)
_CHART_CM = (17.0, 7.5)


def _domain_chart(ws: _Sheet, row: int, header_row: int, groups: int,
                  catalogue: Catalogue) -> int:
    """A native chart at ``row``: one stacked bar per domain, one series per scale level in
    its colour; returns the first row below it."""
    chart = ws.book.wb.add_chart({"type": "column", "subtype": "stacked"})
    name = ws.title
    first_level = 2  # 0-based column of the first level's counts
    for offset, level in enumerate(catalogue.scale):
        col = first_level + offset
        chart.add_series({
            "name": [name, header_row - 1, col],
            "categories": [name, header_row, 0, header_row + groups - 1, 0],
            "values": [name, header_row, col, header_row + groups - 1, col],
            "fill": {"color": "#" + _rgb(level.colour)},
            "border": {"color": "#FFFFFF"},
            "gap": 60,
            "overlap": 100,
        })
    chart.set_title({"name": T.CONS_CHART_TITLE})
    chart.set_y_axis({"name": T.CONS_CHART_AXIS, "major_gridlines": {"visible": False},
                      "num_format": "0"})
    chart.set_legend({"position": "bottom"})
    width, height = _CHART_CM
    chart.set_size({"width": round(width / 2.54 * 96), "height": round(height / 2.54 * 96)})
    ws.ws.insert_chart(row - 1, 0, chart)
    # the chart floats over default-height rows (15 pt = 0.53 cm each)
    return row + int(height / 0.53) + 2


# --- Vorige keer ----------------------------------------------------------------------------

#: the widths of the Vorige keer sheet's columns (headers: T.CONS_PREVIOUS_HEADERS)
_PREVIOUS_WIDTHS = (9, 44, 11, 14, 14, 13, 30, 44)
_PREVIOUS_ID_COLUMN = 2  # "Vorige norm": only when the catalogue version changed
#: the direction of a norm, in its colour (Excel's good and bad)
_DIRECTION_FILLS = {Direction.BETTER: "C6EFCE", Direction.WORSE: "FFC7CE"}


def _write_previous(ws: _Sheet, c: Consolidation, comparison: Comparison,
                    catalogue: Catalogue) -> None:
    """One row per norm: the previous and the current consensus, the direction (or why the
    norm is not comparable) and the improvement action the host wrote last time. The
    previous norm id has a column only when the catalogue version changed."""
    ws.ws.hide_gridlines(2)
    _title(ws, T.CONS_PREVIOUS_TITLE, c)
    keep = [i for i in range(len(_PREVIOUS_WIDTHS))
            if comparison.through_mapping or i != _PREVIOUS_ID_COLUMN]
    widths = [_PREVIOUS_WIDTHS[i] for i in keep]
    ws.merge(3, 1, len(keep), comparison.summary, _Look(_LABEL, align=_LEFT_WRAP))
    ws.height(3, _height(_lines(comparison.summary, sum(widths), bold=True)))
    header_row = L.CONSOLIDATED_HEADER_ROW
    lines = 1
    for column, index in enumerate(keep, start=1):
        ws.width(column, _PREVIOUS_WIDTHS[index])
        lines = max(lines, _header(ws, header_row, column, T.CONS_PREVIOUS_HEADERS[index],
                                   width=_PREVIOUS_WIDTHS[index]))
    ws.height(header_row, _height(lines))
    for row, change in enumerate(comparison.norms, start=header_row + 1):
        text = catalogue.norm_index[change.norm_id][2].text
        values = [change.norm_id, text, ", ".join(change.previous_norm_ids) or "–",
                  change.previous, change.current, T.HIST_DIRECTION[change.direction.value],
                  reason_text(change), change.previous_improvements or ""]
        needed = 1
        for column, index in enumerate(keep, start=1):
            value = values[index]
            if index in (3, 4):  # the ratings, in their colours
                _rating_cell(ws, row, column, value, catalogue, empty="–")
                continue
            look = _ID if index == 0 else _TEXT
            if index == 5 and change.direction in _DIRECTION_FILLS:
                look = replace(look, fill=_DIRECTION_FILLS[change.direction])
            ws.put(row, column, value, look)
            needed = max(needed, _lines(value or "", _PREVIOUS_WIDTHS[index]))
        ws.height(row, _height(needed))
    ws.ws.freeze_panes(header_row, 0)
    ws.finish(c, header_row)


# --- Overeenstemming -------------------------------------------------------------------------


def _band(alpha: float) -> str:
    if alpha >= ALPHA_GOOD:
        return "good"
    if alpha >= ALPHA_TENTATIVE:
        return "tentative"
    return "discuss"


def _write_agreement(ws: _Sheet, c: Consolidation) -> None:
    ws.ws.hide_gridlines(2)
    _title(ws, T.CONS_AGREEMENT_TITLE, c)
    columns = L.AGREEMENT_COLUMNS
    header_row = L.CONSOLIDATED_HEADER_ROW
    lines = 1
    for i, col in enumerate(columns, start=1):
        ws.width(i, col.width)
        look = replace(_HEADER_LOOK, align=_LEFT_CENTER) if i == 1 else _HEADER_LOOK
        lines = max(lines, _header(ws, header_row, i, col.label, width=col.width, look=look))
    ws.height(header_row, _height(lines))

    rows: list[tuple[str, Agreement | GroupSummary, bool]] = [
        (s.title, s, False) for s in c.domains.values()]
    rows.append((T.CONS_TOTAL, c.agreement, True))
    row = header_row
    undefined = False
    for name, stats, is_total in rows:
        row += 1
        if isinstance(stats, Agreement):
            alpha, reason = stats.alpha, stats.reason
        else:
            alpha, reason = stats.alpha, stats.alpha_reason
        percent = stats.percent_agreement
        values: list[Any] = [
            name,
            alpha if alpha is not None else T.CONS_ALPHA_REASONS.get(reason or "", reason or ""),
            T.CONS_ALPHA_BANDS[_band(alpha)] if alpha is not None else "",
            percent if percent is not None else T.CONS_NOT_AVAILABLE,
            stats.pairable_units,
        ]
        undefined = undefined or alpha is None
        for i, value in enumerate(values, start=1):
            look = _table_look(i, total=is_total)
            if i == 2:
                look = (replace(look, number="0.00") if alpha is not None
                        else replace(look, font=_MUTED_FONT))
            elif i == 3 and alpha is not None:
                look = replace(look, fill=BAND_FILLS[_band(alpha)])
            elif i == 4:
                look = replace(look, number="0%")
            ws.put(row, i, value, look)
        lines = max(_lines(str(value), col.width, bold=i == 1)
                    for i, (col, value) in enumerate(zip(columns, values, strict=True), start=1))
        ws.height(row, _height(lines))

    row += 2
    width = sum(col.width for col in columns)
    explanation = list(T.CONS_AGREEMENT_EXPLANATION)
    if undefined:
        explanation.append(T.CONS_AGREEMENT_NO_ALPHA.format(
            too_few=T.CONS_ALPHA_REASONS["te-weinig-paren"],
            no_variation=T.CONS_ALPHA_REASONS["geen-variatie"]))
    ws.put(row, 1, T.CONS_AGREEMENT_HEADING, _Look(_SECTION))
    row += 1
    line_look = _Look(_BODY, align=_Align(vertical="top", wrap=True))
    for line in explanation:
        ws.merge(row, 1, len(columns), line, line_look)
        ws.height(row, _height(_lines(line, width - 2)))
        row += 1

    ws.ws.freeze_panes(header_row, 0)
    ws.finish(c, header_row)


__all__ = ["write_consolidated"]
