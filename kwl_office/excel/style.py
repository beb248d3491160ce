"""The house style of every workbook kwl writes, in one place.

Fonts, fills, borders and named cell styles; the print setup (A4, fit to width, header row
repeated, page header and footer); a styled header row; list validations (dropdowns); and the
formulas that recognise a rating in any spelling for colours and counts. Workbooks people
fill in (:mod:`~kwl_office.excel.writer`), the consolidated workbook, the intake overview,
the manifest, the register export, the catalogue workbook and the dashboard all use these, so
a change of style is made here once.

A leaf module: it imports openpyxl and nothing of kwl_office but :mod:`kwl_office.names`, so
every layer may use it (also the catalogue's own Excel format).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from kwl_office.names import normalise_token

if TYPE_CHECKING:
    from kwl_office.catalogue.model import RatingLevel

FONT_NAME = "Calibri"
BRAND = "1F4E79"  # dark blue of headers
BRAND_LIGHT = "DDEBF7"
MIRROR_FILL = PatternFill("solid", fgColor="EDEDED")
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
                footer: tuple[str, str] | None = None) -> None:
    """Print-ready: A4, fit to the page width (as many pages down as needed), the house
    margins, the row ``title_row`` repeated on every page, and a page header and footer
    (left, right; plain text, ``&`` is escaped here)."""
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if title_row is not None:
        ws.print_title_rows = f"{title_row}:{title_row}"
    if header is not None:
        ws.oddHeader.left.text = header_text(header[0])
        ws.oddHeader.right.text = header_text(header[1])
    if footer is not None:
        ws.oddFooter.left.text = header_text(footer[0])
        # the page number is a code, not text: never escaped
        ws.oddFooter.right.text = footer[1] if footer[1] == PAGE_OF else header_text(footer[1])


def header_cells(ws: Worksheet, row: int, labels: Sequence[str], *,
               widths: Sequence[float] | None = None, first_column: int = 1) -> None:
    """A house-blue header row: white bold labels, grid, wrapped; optional column widths."""
    for offset, label in enumerate(labels):
        cell = ws.cell(row, first_column + offset, label)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, GRID
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
    inputs) but is not security: no password, and sorting, filtering and resizing stay
    allowed."""
    prot = ws.protection
    prot.sheet = True
    prot.sort = False
    prot.autoFilter = False
    prot.formatColumns = False
    prot.formatRows = False
    prot.selectLockedCells = False
    prot.selectUnlockedCells = False


# --- ratings in formulas ---------------------------------------------------------------------


def normalised_formula(ref: str) -> str:
    """Spreadsheet expression mirroring :func:`~kwl_office.catalogue.model.normalise_token`
    closely enough for colours and counts: lower case, without spaces and dots
    (``N.v.t.`` → ``nvt``, 2 → ``2``)."""
    return f'LOWER(SUBSTITUTE(SUBSTITUTE({ref}&""," ",""),".",""))'


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
    """True when the cell (relative reference) holds ``level`` in any spelling."""
    ref = normalised_formula(first_cell)
    return f"OR({','.join(f'{ref}={quoted(t)}' for t in level_tokens(level))})"
