"""The house style of every workbook kwl writes, in one place.

Fonts, fills, borders and named cell styles; the print setup (A4, fit to width, header row
repeated, page header and footer); row heights that fit a text and still grow when people type
(:func:`fit_row_height`); a styled header row; list validations (dropdowns); and the formulas
that recognise a rating in any spelling for colours and counts. Workbooks people
fill in (:mod:`~kwl_office.excel.writer`), the consolidated workbook, the intake overview,
the manifest, the register export, the catalogue workbook and the dashboard all use these, so
a change of style is made here once.

A leaf module: it imports openpyxl and nothing of kwl_office but :mod:`kwl_office.names`, so
every layer may use it (also the catalogue's own Excel format).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from kwl_office.names import normalise_token

if TYPE_CHECKING:
    from kwl_office.catalogue.model import RatingLevel

FONT_NAME = "Calibri"
BRAND = "1F4E79"  # dark blue of headers
BRAND_LIGHT = "DDEBF7"
#: the host's self-evaluation beside the norms (the *spiegel*): grey, never a scale colour,
#: so that it informs the reviewer without steering
MIRROR_FILL = PatternFill("solid", fgColor="EDEDED")
MIRROR_FONT_COLOUR = "595959"
INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")
LOCKED_FILL = PatternFill("solid", fgColor="F7F9FC")
HEADER_FILL = PatternFill("solid", fgColor=BRAND)
HEADER_FONT = Font(name=FONT_NAME, bold=True, color="FFFFFF", size=10)
BODY_FONT = Font(name=FONT_NAME, size=10)
ID_FONT = Font(name=FONT_NAME, size=10, bold=True, color=BRAND)
TITLE_FONT = Font(name=FONT_NAME, size=18, bold=True, color=BRAND)
SUBTITLE_FONT = Font(name=FONT_NAME, size=12, color="404040")
SECTION_FONT = Font(name=FONT_NAME, size=13, bold=True, color=BRAND)
LABEL_FONT = Font(name=FONT_NAME, size=10, bold=True, color="404040")
NOTE_FONT = Font(name=FONT_NAME, size=10, italic=True, color="C00000")
THIN = Side(style="thin", color="BFBFBF")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER_TOP = Alignment(horizontal="center", vertical="top", wrap_text=True)
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)
#: page number in a footer ("Pagina 3 van 7")
PAGE_OF = "Pagina &P van &N"

# --- print geometry ---------------------------------------------------------------------------
#
# fitToWidth lets Excel and LibreOffice choose the scale: printable width / sheet width. Excel
# measures a column of width w (characters of the default font, Calibri 11) as 7 w pixels
# = 5.25 w points; LibreOffice with Calibri or its metric twin Carlito as about 5.55 w points
# (measured in its PDF). Layouts use the larger. (LibreOffice with neither font substitutes a
# wider one and measures columns a quarter wider again, so it prints the same sheet smaller.)
# Sheets are laid out for 8.5 pt or more on paper.

#: points per unit of column width, on the safe side of Excel (5.25) and LibreOffice (5.55)
POINTS_PER_WIDTH = 5.6
#: A4 in points (portrait width, height)
A4_POINTS = (595.3, 841.9)
#: left and right page margins in inches
SIDE_MARGIN = 0.25
#: the smallest effective text size on paper (font size x scale) ...
MIN_PRINT_POINTS = 8.0
#: ... and what layouts aim for, to keep a margin for rounding and printers
TARGET_PRINT_POINTS = 8.5


def printable_width(orientation: Literal["landscape", "portrait"]) -> float:
    """Points between the left and right margin of an A4 page."""
    paper = A4_POINTS[1] if orientation == "landscape" else A4_POINTS[0]
    return paper - 2 * 72 * SIDE_MARGIN


def fit_scale(widths: Sequence[float], orientation: Literal["landscape", "portrait"]) -> float:
    """The scale fit-to-width chooses for columns of these widths (1.0 when they fit)."""
    total = sum(widths) * POINTS_PER_WIDTH
    return min(1.0, printable_width(orientation) / total) if total else 1.0


def width_budget(font_size: float, orientation: Literal["landscape", "portrait"]) -> float:
    """The widest sheet (in width units) whose ``font_size`` text still prints at
    :data:`TARGET_PRINT_POINTS`."""
    return printable_width(orientation) * font_size / (TARGET_PRINT_POINTS * POINTS_PER_WIDTH)


def fit_widths(widths: Sequence[float], minimums: Sequence[float], budget: float
               ) -> list[float]:
    """``widths`` narrowed towards ``minimums`` (all in the same proportion) until their sum
    is at most ``budget``; never below a minimum."""
    widths = list(widths)
    excess = sum(widths) - budget
    slack = sum(w - m for w, m in zip(widths, minimums, strict=True))
    if excess <= 0 or slack <= 0:
        return widths
    share = min(1.0, excess / slack)
    return [round(w - (w - m) * share, 1) for w, m in zip(widths, minimums, strict=True)]


# --- row heights ------------------------------------------------------------------------------
#
# Rows are never given a *custom* height (OOXML customHeight="1"): Excel and LibreOffice then
# size them to their wrapped text themselves when text is typed, and Excel also on open. The
# height we do write (``ht`` without customHeight) is a hint that LibreOffice shows until the
# row is edited (it does not re-measure on open), so it is computed from the text we write.

#: characters of 10 pt text per unit of column width, on the safe side: Calibri and Carlito
#: fit about 1.3 of Dutch prose (measured in LibreOffice's PDF), a wider substitute for them
#: as many (its columns are wider too); lines are filled word by word
CHARS_PER_WIDTH = 1.2
#: bold text is wider
BOLD_FACTOR = 0.9
#: line height in points per point of font size (Excel: 12.75 pt a line of 10 pt Calibri),
#: plus the cell's padding
LINE_FACTOR = 1.28
ROW_PADDING = 2.0
#: Excel's limit for a row height
MAX_ROW_HEIGHT = 409.0


class _AutoRowDimension(RowDimension):  # type: ignore[misc]
    """A row height written without customHeight: a hint, not a fixed height."""

    @property
    def customHeight(self) -> bool:  # noqa: N802 - the OOXML attribute name
        return False


def text_lines(text: str, width: float, *, size: float = 10, bold: bool = False) -> int:
    """Lines a text needs when wrapped at word boundaries in a column ``width`` wide (or the
    summed width of merged columns), estimated on the safe side."""
    per_line = max(int(width * CHARS_PER_WIDTH * 10 / size * (BOLD_FACTOR if bold else 1)), 3)
    total = 0
    for part in text.replace("\r\n", "\n").split("\n"):
        count, line = 1, 0
        for word in part.split():
            length = len(word)
            if line and line + 1 + length > per_line:
                count += 1
                line = length
            else:
                line += length + (1 if line else 0)
            while line > per_line:  # a word longer than the line breaks anywhere
                count += 1
                line -= per_line
        total += count
    return total


def word_width(text: str, *, size: float = 10, bold: bool = False) -> float:
    """The narrowest column width (one decimal) in which :func:`text_lines` breaks ``text``
    only between words (Excel and LibreOffice also break after a hyphen): a header label in
    a narrower column is cut inside a word ("Kwaliteitswaard" / "e")."""
    longest = max((len(part) for part in re.findall(r"[^\s-]+-?", text)), default=0)
    per_width = CHARS_PER_WIDTH * 10 / size * (BOLD_FACTOR if bold else 1)
    return math.ceil(longest / per_width * 10) / 10


def lines_height(lines: int, *, size: float = 10) -> float:
    """Points for ``lines`` lines of ``size`` point text (at most Excel's row limit)."""
    return float(min(round(lines * size * LINE_FACTOR + ROW_PADDING, 1), MAX_ROW_HEIGHT))


def fit_row_height(ws: Worksheet, row: int, points: float) -> None:
    """Give ``row`` the height hint ``points`` without making it a custom height: Excel and
    LibreOffice still grow (or shrink) the row to its text when people type in it."""
    ws.row_dimensions[row] = _AutoRowDimension(ws, index=row, ht=points)


def release_row_heights(ws: Worksheet) -> None:
    """Turn every row height of a sheet into a hint (see :func:`fit_row_height`).

    openpyxl writes every height it loaded as a custom height, so a workbook it opens and
    saves again (an annotated copy, a filled-in test workbook) would stop growing its rows
    when people type; call this before saving such a sheet.
    """
    for row, dimension in list(ws.row_dimensions.items()):
        if dimension.ht is not None and not isinstance(dimension, _AutoRowDimension):
            replacement = _AutoRowDimension(ws, index=row, ht=dimension.ht,
                                            hidden=dimension.hidden,
                                            outlineLevel=dimension.outlineLevel,
                                            collapsed=dimension.collapsed)
            replacement._style = dimension._style
            ws.row_dimensions[row] = replacement


#: (font, fill, alignment, protection) of a named cell style
CellStyle = tuple[Font, PatternFill, Alignment, Protection]


def register_named_styles(wb: Workbook, styles: dict[str, CellStyle]) -> None:
    """Add named cell styles (with the house grid) to a workbook: one style record per kind
    of cell instead of one per cell, which keeps big workbooks small and fast to write."""
    for name, (font, fill, alignment, protection) in styles.items():
        wb.add_named_style(NamedStyle(name=name, font=font, fill=fill, alignment=alignment,
                                      protection=protection, border=GRID))


def header_text(text: str) -> str:
    """Text for a print header or footer: ``&`` starts a code there, so it is doubled."""
    return text.replace("&", "&&")


def print_setup(ws: Worksheet, *, orientation: Literal["landscape", "portrait"] = "landscape",
                title_row: int | None = None, header: tuple[str, str] | None = None,
                footer: tuple[str, str] | None = None, print_area: str | None = None) -> None:
    """Print-ready: A4, fit to the page width (as many pages down as needed), the house
    margins, the row ``title_row`` repeated on every page (a table row never starts a page
    without its header), and a page header and footer (left, right; plain text, ``&`` is
    escaped here). Without ``header`` the sheet's title heads every page; without ``footer``
    the page number ("Pagina 2 van 5") ends it. ``print_area`` (``"A1:C40"``) keeps what lies
    outside it, such as buttons, off paper and out of the fit-to-width scale."""
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = SIDE_MARGIN
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if title_row is not None:
        ws.print_title_rows = f"{title_row}:{title_row}"
    if print_area is not None:
        ws.print_area = print_area
    header = header if header is not None else (ws.title, "")
    footer = footer if footer is not None else ("", PAGE_OF)
    # an empty part stays unset: "&L&R…" makes readers (openpyxl) lose the part after it
    ws.oddHeader.left.text = header_text(header[0]) or None
    ws.oddHeader.right.text = header_text(header[1]) or None
    ws.oddFooter.left.text = header_text(footer[0]) or None
    # the page number is a code, not text: never escaped
    ws.oddFooter.right.text = (footer[1] if footer[1] == PAGE_OF
                               else header_text(footer[1])) or None


def header_cells(ws: Worksheet, row: int, labels: Sequence[str], *,
               widths: Sequence[float] | None = None, first_column: int = 1,
               font: Font = HEADER_FONT) -> None:
    """A house-blue header row: white bold labels, grid, wrapped; optional column widths
    (``font``: the labels' font, for a sheet whose text is larger than 10 pt)."""
    for offset, label in enumerate(labels):
        cell = ws.cell(row, first_column + offset, label)
        cell.font, cell.fill, cell.border = font, HEADER_FILL, GRID
        cell.alignment = HEADER_ALIGNMENT
        if widths is not None:
            ws.column_dimensions[get_column_letter(first_column + offset)].width = widths[offset]


def list_validation(formula1: str, *, title: str | None = None, error: str | None = None,
                    prompt: str | None = None, strict: bool = False) -> DataValidation:
    """A dropdown from a list (a range or ``"a,b,c"``). Not ``strict``: a value outside the
    list is a warning people may accept (codes such as ``V``); the reader re-validates."""
    return DataValidation(
        type="list", formula1=formula1, allow_blank=True, showErrorMessage=True,
        errorStyle="stop" if strict else "warning", errorTitle=title, error=error,
        promptTitle=title if prompt else None, prompt=prompt, showInputMessage=bool(prompt))


def protect(ws: Worksheet) -> None:
    """Protect a sheet people fill in. Protection guides people (locked texts, unlocked
    inputs) but is not security: no password; filtering (with the sheet's filter buttons) and
    resizing stay allowed. Sorting is allowed too, but Excel and LibreOffice refuse to sort a
    range with locked cells on a protected sheet, so the instructions promise filtering only
    (the reader would accept sorted rows: it finds them by norm id)."""
    prot = ws.protection
    prot.sheet = True
    prot.sort = False
    prot.autoFilter = False
    prot.formatColumns = False
    prot.formatRows = False
    prot.selectLockedCells = False
    prot.selectUnlockedCells = False


# --- ratings in formulas ---------------------------------------------------------------------


#: the whitespace the reader strips from a typed token (:func:`~kwl_office.names.normalise_token`)
#: that a formula as old as Excel 2007 can name: besides the space, the non-breaking space of
#: a web paste, the tab, and the line ends of Alt+Enter. Other Unicode spaces (a thin space)
#: stay: the sheet then counts a rating open that kwl accepts, never the other way round. The
#: non-breaking space is written as itself: CHAR(160) is another character on a Mac and in
#: LibreOffice (CHAR follows the system's code page; UNICHAR is not in Excel 2007), while
#: CHAR below 128 is the same everywhere.
_WHITESPACE = ('"\u00a0"', "CHAR(9)", "CHAR(10)", "CHAR(13)")
#: what may stand around the digits of a number the reader accepts as a score or code
#: (``+2``, ``02``, ``2,0``, ``2.00``; see the catalogue's ``_as_number``); a longer spelling
#: (``1.000``) the sheet leaves open
_NUMBER_PREFIXES = ("", "0", "00", "+", "+0")
_NUMBER_SUFFIXES = ("", ".", ",", ".0", ",0", ".00", ",00")


def normalised_formula(ref: str) -> str:
    """Spreadsheet expression mirroring :func:`~kwl_office.names.normalise_token` for a
    cell or a range: lower case, without whitespace (:data:`_WHITESPACE`), dots, hyphens and
    underscores (``N.v.t.`` → ``nvt``, ``Voldoet-deels`` → ``voldoetdeels``). Only for texts:
    numbers are compared as :func:`number_formula` gives them (``-2`` is not ``2``)."""
    expr = f'{ref}&""'
    for char in ('" "', *_WHITESPACE, '"."', '"-"', '"_"'):
        expr = f'SUBSTITUTE({expr},{char},"")'
    return f"LOWER({expr})"


def number_formula(ref: str) -> str:
    """Spreadsheet expression of a cell or range as the reader reads a number in it: its
    text with the whitespace at both ends trimmed (``2`` for the number 2, ``2,0`` for the
    text `` 2,0``); compare it with :func:`level_spellings`' numbers, in a single cell only
    where it holds no logical value (:func:`not_logical`: LibreOffice makes WAAR ``1``)."""
    expr = f'{ref}&""'
    for char in _WHITESPACE:
        expr = f'SUBSTITUTE({expr},{char}," ")'
    return f"TRIM({expr})"


def not_logical(ref: str) -> str:
    """True where the cell (or each cell of a range) holds no logical value: the reader
    takes WAAR/ONWAAR for no rating, LibreOffice would make them the numbers 1 and 0."""
    return f"ISLOGICAL({ref})=FALSE"


def level_spellings(level: RatingLevel) -> tuple[list[str], list[str]]:
    """How a level may be typed, for formulas: the texts as :func:`normalised_formula` gives
    them (label, code, n.v.t. forms) and the spellings of its numbers (score, a code that is
    a number) as :func:`number_formula` gives them."""
    texts: list[str] = []
    numbers: list[str] = []
    for token in level_tokens(level):
        if token.isdigit():
            digits = str(int(token))
            numbers += [f"{prefix}{digits}{suffix}" for prefix in _NUMBER_PREFIXES
                        for suffix in _NUMBER_SUFFIXES]
        else:
            texts.append(token)
    return texts, list(dict.fromkeys(numbers))


def array_constant(texts: Sequence[str]) -> str:
    """Texts as a spreadsheet array constant: ``{"a","b"}``."""
    return "{" + ",".join(quoted(text) for text in texts) + "}"


def level_tokens(level: RatingLevel) -> list[str]:
    """What people type for a level, normalised: label, code, score (and n.v.t. forms)."""
    tokens = [normalise_token(level.label), normalise_token(level.code)]
    if level.score is not None:
        tokens.append(str(level.score))
    if not level.applicable:
        tokens += ["nvt", "nietvantoepassing"]
    return list(dict.fromkeys(tokens))


def quoted(text: str) -> str:
    """A text as a spreadsheet string literal."""
    return '"' + text.replace('"', '""') + '"'


def level_match_formula(first_cell: str, level: RatingLevel) -> str:
    """True when the cell (relative reference) holds ``level`` in any spelling the reader
    accepts (as far as a formula can tell, see :data:`_WHITESPACE`)."""
    texts, numbers = level_spellings(level)
    tests = [_one_of(normalised_formula(first_cell), texts)] if texts else []
    if numbers:
        tests.append(f"AND({not_logical(first_cell)},"
                     f"{_one_of(number_formula(first_cell), numbers)})")
    return f"OR({','.join(tests)})"


def _one_of(expr: str, values: Sequence[str]) -> str:
    """True when the text ``expr`` (one cell's) is one of ``values``. A conditional format is
    evaluated cell by cell (LibreOffice compares a cell with an array constant's first value
    only), so the array goes to MATCH; MATCH takes ``?`` and ``*`` for wildcards, so the
    value it found is compared once more (no spelling holds a wildcard)."""
    array = array_constant(values)
    return f"IFERROR({expr}=INDEX({array},MATCH({expr},{array},0)),FALSE)"


def level_count_formula(ratings: str, ids: str, norm_ids: Sequence[str],
                        level: RatingLevel) -> str:
    """The number of rows in ``ratings`` (a range) that hold ``level`` in any spelling the
    reader accepts, counting only rows whose cell in ``ids`` (a range beside it) is one of
    ``norm_ids``: a remark typed in the norm column is no norm. An array constant compared
    with a column gives a table that SUMPRODUCT adds up: no array formula, and an exact
    comparison (MATCH would take ``?`` as a wildcard)."""
    known = f"ISNUMBER(MATCH({ids},{array_constant(norm_ids)},0))"
    texts, numbers = level_spellings(level)
    terms = [f"SUMPRODUCT({known}*({normalised_formula(ratings)}={array_constant(texts)}))"
             ] if texts else []
    if numbers:
        # no not_logical here: over a range LibreOffice sees WAAR as the number 1 (and
        # Excel's WAAR&"" is never a number), so a logical value in a rating cell counts as
        # a score in LibreOffice only; kwl reports it as no rating
        terms.append(f"SUMPRODUCT({known}*({number_formula(ratings)}="
                     f"{array_constant(numbers)}))")
    return "=" + ("+".join(terms) or "0")


def yes_count_formula(cells: str, ids: str, norm_ids: Sequence[str],
                      yes: Sequence[str]) -> str:
    """The number of rows in ``cells`` (a range) whose normalised text is one of ``yes``,
    counting only rows whose cell in ``ids`` is one of ``norm_ids``."""
    known = f"ISNUMBER(MATCH({ids},{array_constant(norm_ids)},0))"
    return f"=SUMPRODUCT({known}*({normalised_formula(cells)}={array_constant(yes)}))"
