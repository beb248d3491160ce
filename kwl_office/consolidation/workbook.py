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
file gives the same result. Longer than 600 lines: five sheets of one print-ready workbook
that share its cell, height and print helpers; the reading side is
:mod:`kwl_office.consolidation.overrides`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office._version import __version__
from kwl_office.atomic import atomic_path
from kwl_office.catalogue import Catalogue
from kwl_office.consolidation.agreement import Agreement
from kwl_office.consolidation.history import Comparison, Direction, reason_text
from kwl_office.consolidation.model import Advice, Consolidation, GroupSummary, NormResult
from kwl_office.excel import layout as L
from kwl_office.excel.cells import set_value
from kwl_office.excel.style import (
    BODY_FONT,
    BRAND,
    BRAND_LIGHT,
    CENTER_TOP,
    FONT_NAME,
    GRID,
    HEADER_FILL,
    HEADER_FONT,
    LABEL_FONT,
    LOCKED,
    LOCKED_FILL,
    PAGE_OF,
    SECTION_FONT,
    SUBTITLE_FONT,
    TITLE_FONT,
    WRAP_TOP,
    CellStyle,
    fit_row_height,
    fit_widths,
    level_match_formula,
    lines_height,
    list_validation,
    print_setup,
    protect,
    register_named_styles,
    text_lines,
    width_budget,
)
from kwl_office.excel.writer import register_styles
from kwl_office.findings import Severity

# --- style of this workbook (on top of the house style of the writer) -------------------------

#: orange of disagreements (Norm and Spreiding cells, legend)
DISAGREEMENT_COLOUR = "F4B084"
#: header fill of the two columns the consensus meeting fills in
INPUT_HEADER_FILL = PatternFill("solid", fgColor="375623")
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

_MUTED_FONT = Font(name=FONT_NAME, size=10, italic=True, color="7F7F7F")
_TOTAL_FILL = PatternFill("solid", fgColor=BRAND_LIGHT)
_TOTAL_FONT = Font(name=FONT_NAME, size=10, bold=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT_WRAP = Alignment(horizontal="left", vertical="top", wrap_text=True)

# named styles of the matrix cells, registered once per workbook (see writer._CELL_STYLES)
_STYLE_ID = "kwl norm-id"
_STYLE_TEXT = "kwl normtekst"
_STYLE_INPUT = "kwl invoer"
_STYLE_CHOICE = "kwl invoer keuze"
_STYLE_DISAGREE_ID = "kwl afwijking norm"
_STYLE_NUMBER = "kwl getal"
_STYLE_DISAGREE_NUMBER = "kwl afwijking getal"
_STYLE_EMPTY = "kwl oordeel leeg"

#: a motivation the meeting still has to write (Excel's "bad" red, clearly not a rating colour)
_MISSING_FILL = PatternFill("solid", fgColor="FFC7CE")

_FINDING = dutch.Word(*T.CONS_FINDING)
#: the matrix may narrow these columns (to these widths) to print at 8.5 pt or more; ratings
#: wrap between words ("Voldoet / deels"), the domain and quality-value columns are not
#: narrowed below their longest words
_MATRIX_MINIMUMS = {"norm_text": 20, "self_rating": 9, "reviewer": 9, "consensus": 9,
                    "motivation": 22}


def write_consolidated(path: str | Path, consolidation: Consolidation, catalogue: Catalogue,
                       *, in_round: bool = False, previous: Comparison | None = None) -> Path:
    """Write geconsolideerd.xlsx atomically (kwl_office.atomic.atomic_path) and return path.

    ``in_round``: the file lies in a round's output folder (``kwl round report``), so its
    instructions send the consensus meeting back to the round, not to ``kwl consolidate``.
    ``previous``: the comparison with the organisation's previous assessment; it gets a
    sheet *Vorige keer* (none without one).
    """
    wb = _build(consolidation, catalogue, in_round=in_round, previous=previous)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)


# --- workbook --------------------------------------------------------------------------------


def _build(c: Consolidation, catalogue: Catalogue, *, in_round: bool = False,
           previous: Comparison | None = None) -> Workbook:
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = L.SHEET_SUMMARY
    register_styles(wb)
    _register_matrix_styles(wb, catalogue)
    matrix = wb.create_sheet(L.SHEET_MATRIX)
    domains = wb.create_sheet(L.SHEET_DOMAINS)
    lists = _write_lists(wb, catalogue)
    _write_summary(summary, c, catalogue, in_round=in_round)
    _write_matrix(matrix, c, catalogue, lists)
    _write_domains(domains, c, catalogue)
    if c.has_agreement:  # one rater (an audit by one CI): no agreement to speak of
        _write_agreement(wb.create_sheet(L.SHEET_AGREEMENT, index=3), c)
    if previous is not None:
        _write_previous(wb.create_sheet(T.CONS_SHEET_PREVIOUS,
                                        index=wb.sheetnames.index(domains.title) + 1),
                        c, previous, catalogue)
    if c.findings:
        _write_findings(wb.create_sheet(T.CONS_SHEET_FINDINGS,
                                        index=wb.sheetnames.index(lists.title)), c)
    _write_identity(wb, c)

    wb.active = 0
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is summary
    props = wb.properties
    props.title = f"{T.CONS_TITLE} – {c.host}"
    props.subject = f"{T.LABEL_ASSESSMENT} {c.assessment_id}"
    props.creator = f"kwl_office {__version__}"
    return wb


def _register_matrix_styles(wb: Workbook, catalogue: Catalogue) -> None:
    bold_id = Font(name=FONT_NAME, size=10, bold=True, color="000000")
    orange = PatternFill("solid", fgColor=DISAGREEMENT_COLOUR)
    styles: dict[str, CellStyle] = {
        _STYLE_DISAGREE_ID: (bold_id, orange, WRAP_TOP, LOCKED),
        _STYLE_NUMBER: (BODY_FONT, LOCKED_FILL, CENTER_TOP, LOCKED),
        _STYLE_DISAGREE_NUMBER: (bold_id, orange, CENTER_TOP, LOCKED),
        _STYLE_EMPTY: (_MUTED_FONT, LOCKED_FILL, CENTER_TOP, LOCKED),
    }
    for level in catalogue.scale:
        styles[_level_style(level.code)] = (
            Font(name=FONT_NAME, size=10, bold=True, color="000000"),
            PatternFill("solid", fgColor=level.colour), CENTER_TOP, LOCKED)
    register_named_styles(wb, styles)


def _level_style(code: str) -> str:
    return f"kwl oordeel {code}"


def _write_lists(wb: Workbook, catalogue: Catalogue) -> Worksheet:
    ws = wb.create_sheet(L.CONSOLIDATED_LISTS_SHEET)
    for row, label in enumerate(catalogue.rating_scale.labels, start=1):
        _put(ws, row, 1, label)
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    return ws


def _write_identity(wb: Workbook, c: Consolidation) -> None:
    ws = wb.create_sheet(L.CONSOLIDATED_IDENTITY_SHEET)
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
        _put(ws, row, 1, key)
        # explicit string cells: an id like "2026-014" must not become a date or number
        _put(ws, row, 2, data[key])
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


# --- cells and layout helpers ----------------------------------------------------------------


def _put(ws: Worksheet, row: int, col: int, value: Any, style: str | None = None) -> Any:
    """Set a cell; text is always stored as text (never a formula: much of it comes from
    workbooks people filled in) and stripped of characters a workbook cannot hold."""
    cell = ws.cell(row, col)
    if style is not None:
        cell.style = style
    return set_value(cell, value)


def _table_cell(ws: Worksheet, row: int, column: int, value: Any, *, total: bool) -> Any:
    """A cell of the domain and agreement tables: a label in the first column, centred
    figures after it, the total row shaded."""
    cell = _put(ws, row, column, value)
    cell.border = GRID
    cell.font = _TOTAL_FONT if total else (LABEL_FONT if column == 1 else BODY_FONT)
    cell.alignment = _LEFT_WRAP if column == 1 else Alignment(horizontal="center",
                                                              vertical="top")
    if total:
        cell.fill = _TOTAL_FILL
    return cell


def _lines(text: str, width: float, *, bold: bool = False, size: float = 10) -> int:
    """Lines a wrapped text needs in a column (or merged columns) of ``width``."""
    return text_lines(text, width, size=size, bold=bold)


def _height(lines: int, *, size: float = 10) -> float:
    return lines_height(lines, size=size)


def _header(ws: Worksheet, row: int, col: int, label: str, *, width: float,
            fill: PatternFill = HEADER_FILL, font: Font = HEADER_FONT,
            note: str | None = None) -> int:
    """Write a table header cell; returns the lines its label needs."""
    cell = _put(ws, row, col, label)
    cell.font = font
    cell.fill = fill
    cell.alignment = _HEADER_ALIGN
    cell.border = GRID
    if note:
        comment = Comment(note, "kwl")
        comment.width, comment.height = 260, 90
        cell.comment = comment
    return _lines(label, width, bold=True)


def _title(ws: Worksheet, title: str, c: Consolidation) -> None:
    _put(ws, 1, 1, title).font = TITLE_FONT
    fit_row_height(ws, 1, 26)
    _put(ws, 2, 1, _subtitle(c)).font = SUBTITLE_FONT
    fit_row_height(ws, 2, 18)


def _subtitle(c: Consolidation) -> str:
    return " · ".join([T.CONS_TITLE, c.host, T.VARIANT_LABELS[c.variant.value],
                       f"{T.LABEL_ASSESSMENT.lower()} {c.assessment_id}"])


def _print_setup(ws: Worksheet, c: Consolidation, title_row: int | None) -> None:
    print_setup(ws, title_row=title_row, header=(f"{T.CONS_TITLE} – {c.host}", ws.title),
                footer=(f"{T.LABEL_ASSESSMENT} {c.assessment_id}", PAGE_OF))


def _rating_label(code: str | None, catalogue: Catalogue) -> str | None:
    level = catalogue.rating_scale.by_code.get(code or "")
    return level.label if level else code


def _rating_cell(ws: Worksheet, row: int, col: int, code: str | None, catalogue: Catalogue,
                 *, empty: str = T.CONS_EMPTY_RATING) -> str:
    """A rating shown as its label, filled with the level's colour; returns the text."""
    level = catalogue.rating_scale.by_code.get(code or "")
    if level is None:
        text = code or empty
        _put(ws, row, col, text, _STYLE_EMPTY)
        return text
    _put(ws, row, col, level.label, _level_style(level.code))
    return level.label


# --- Samenvatting ----------------------------------------------------------------------------


def _write_summary(ws: Worksheet, c: Consolidation, catalogue: Catalogue, *,
                   in_round: bool) -> None:
    ws.sheet_view.showGridLines = False
    widths = [col.width for col in L.FINDINGS_COLUMNS]
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    value_width = sum(widths[1:])
    full_width = sum(widths)

    _put(ws, 1, 1, "Kwaliteitslabel Sociaal Werk").font = Font(
        name=FONT_NAME, size=11, bold=True, color="7F7F7F")
    _put(ws, 2, 1, T.CONS_TITLE).font = Font(name=FONT_NAME, size=24, bold=True, color=BRAND)
    _put(ws, 3, 1, c.host).font = SUBTITLE_FONT
    fit_row_height(ws, 2, 36)
    fit_row_height(ws, 3, 18)

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
    for label, value in cover:
        cell = _put(ws, row, 1, label)
        cell.font = LABEL_FONT
        cell.alignment = Alignment(vertical="top")
        cell = _put(ws, row, 2, value)
        cell.font = Font(name=FONT_NAME, size=11, bold=label == T.LABEL_HOST)
        cell.alignment = _LEFT_WRAP
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        fit_row_height(ws, row, _height(_lines(value, value_width, size=11), size=11))
        row += 1

    # the advice, big and coloured
    row += 1
    _put(ws, row, 1, T.CONS_LABEL_ADVICE).font = SECTION_FONT
    ws.cell(row, 1).alignment = Alignment(vertical="center")
    if c.advice is not None:
        text = T.ADVICE_LABELS[c.advice.value]
        fill, colour = ADVICE_COLOURS[c.advice]
        note = T.CONS_ADVICE_NOTES[c.advice.value]
    else:
        text, (fill, colour), note = T.NO_ADVICE, NO_ADVICE_COLOURS, T.CONS_NO_ADVICE_NOTE
    for col in range(2, 5):
        ws.cell(row, col).fill = PatternFill("solid", fgColor=fill)
    advice = _put(ws, row, 2, text.upper() if c.advice is not None else text)
    advice.font = Font(name=FONT_NAME, size=20, bold=True, color=colour)
    advice.alignment = Alignment(horizontal="left", vertical="center", indent=1)
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
    fit_row_height(ws, row, 40)
    row += 1
    cell = _put(ws, row, 2, note)
    cell.font = Font(name=FONT_NAME, size=10, italic=True, color="404040")
    cell.alignment = _LEFT_WRAP
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
    fit_row_height(ws, row, _height(_lines(note, value_width)))
    row += 2

    _put(ws, row, 1, T.CONS_HEADING_FINDINGS).font = SECTION_FONT
    row += 1
    if not c.findings:
        _put(ws, row, 1, T.CONS_NO_FINDINGS).font = _MUTED_FONT
    else:
        errors = sum(f.severity is Severity.ERROR for f in c.findings)
        kinds = dutch.join(dutch.count(n, word) for n, word in (
            (errors, "error"), (len(c.findings) - errors, "warning")) if n)
        _put(ws, row, 1, T.CONS_FINDINGS_ELSEWHERE.format(
            findings=dutch.count(len(c.findings), _FINDING), kinds=kinds,
            sheet=T.CONS_SHEET_FINDINGS)).font = BODY_FONT
    row += 2

    loop_top = row
    _put(ws, row, 1, T.CONS_HEADING_LOOP).font = SECTION_FONT
    row += 1
    loop = [*T.CONS_LOOP, T.CONS_LOOP_NEXT["round" if in_round else "consolidate"]]
    for number, line in enumerate(loop, start=1):
        text = f"{number}.  {line}"
        cell = _put(ws, row, 1, text)
        cell.font = BODY_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top", indent=1)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        fit_row_height(ws, row, _height(_lines(text, full_width - 3)))
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

    ws.protection.sheet = True
    _print_setup(ws, c, header_row)


#: the height of A4 landscape between the top and bottom margin, in points
_PAGE_HEIGHT = 595.3 - 2 * 0.75 * 72
#: the height of a row without a height of its own
_DEFAULT_ROW = 15.0


def _keep_on_one_page(ws: Worksheet, first: int, last: int) -> None:
    """Start a new page at row ``first`` when rows ``first``..``last`` (a heading and its
    table) would otherwise be split over two pages: a table row never starts a page without
    its header. Estimated from the row heights written (the sheet prints at 100%)."""
    def height(row: int) -> float:
        return float(ws.row_dimensions[row].ht or _DEFAULT_ROW)

    block = sum(height(r) for r in range(first, last + 1))
    used = 0.0
    for row in range(1, first):
        used += height(row)
        if used > _PAGE_HEIGHT:
            used = height(row)
    if used + block > _PAGE_HEIGHT and block <= _PAGE_HEIGHT:
        ws.row_breaks.append(Break(id=first - 1))


def _write_blocking(ws: Worksheet, row: int, c: Consolidation, catalogue: Catalogue) -> int:
    heading = T.CONS_HEADING_BLOCKING.get(c.advice.value if c.advice else "",
                                          T.CONS_HEADING_BLOCKING["herbeoordeling"])
    _put(ws, row, 1, heading).font = SECTION_FONT
    row += 1
    norm_col, rating_col, text_col = L.BLOCKING_COLUMNS
    for index, column in enumerate(L.BLOCKING_COLUMNS, start=1):
        _header(ws, row, index, column.label, width=column.width)
    ws.cell(row, 4).fill = HEADER_FILL
    ws.cell(row, 4).border = GRID
    ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=4)
    ws.cell(row, 1).alignment = ws.cell(row, 3).alignment = Alignment(
        horizontal="left", vertical="center")
    row += 1
    for norm_id in c.blocking_norms:
        result = c.norms.get(norm_id)
        _put(ws, row, 1, norm_id, _STYLE_ID)
        _rating_cell(ws, row, 2, result.consensus if result else None, catalogue,
                     empty=T.CONS_OPEN)
        known = catalogue.norm_index.get(norm_id)
        text = known[2].text if known else ""
        _put(ws, row, 3, text, _STYLE_TEXT)
        ws.cell(row, 4).style = _STYLE_TEXT
        ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=4)
        fit_row_height(ws, row, _height(_lines(text, text_col.width)))
        row += 1
    return row + 1


def _write_findings(ws: Worksheet, c: Consolidation) -> None:
    """The findings as a table whose header row heads every printed page."""
    ws.sheet_view.showGridLines = False
    _title(ws, T.CONS_FINDINGS_TITLE, c)
    row = L.CONSOLIDATED_HEADER_ROW
    lines = 1
    for index, column in enumerate(L.FINDINGS_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
        lines = max(lines, _header(ws, row, index, column.label, width=column.width))
        ws.cell(row, index).alignment = Alignment(horizontal="left", vertical="center")
    fit_row_height(ws, row, _height(lines))
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
            cell = _put(ws, row, index, value, _STYLE_TEXT)
            lines = max(lines, _lines(value, column.width))
            if index == 1:
                colour = "C00000" if finding.severity is Severity.ERROR else "9C5700"
                cell.font = Font(name=FONT_NAME, size=10, bold=True, color=colour)
        fit_row_height(ws, row, _height(lines))
    ws.freeze_panes = ws.cell(L.CONSOLIDATED_FIRST_DATA_ROW, 1)
    ws.protection.sheet = True
    _print_setup(ws, c, L.CONSOLIDATED_HEADER_ROW)


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
    reviewers = [_Col("reviewer", name, L.MATRIX_REVIEWER_WIDTH) for name in c.reviewers]
    after = [_Col(col.key, col.label, col.width) for col in L.MATRIX_AFTER_REVIEWERS]
    columns = before + reviewers + after
    widths = fit_widths([col.width for col in columns],
                        [_MATRIX_MINIMUMS.get(col.key, col.width) for col in columns],
                        width_budget(10, "landscape"))
    return [_Col(col.key, col.label, width)
            for col, width in zip(columns, widths, strict=True)]


def _write_matrix(ws: Worksheet, c: Consolidation, catalogue: Catalogue,
                  lists: Worksheet) -> None:
    columns = _matrix_columns(c)
    index = {col.key: i for i, col in enumerate(columns, start=1) if col.key != "reviewer"}
    header_row = L.CONSOLIDATED_HEADER_ROW
    first = L.CONSOLIDATED_FIRST_DATA_ROW
    _title(ws, T.CONS_MATRIX_TITLE, c)
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width

    # legend: the disagreement colour and the scale colours, above the table
    spread = catalogue.policy.disagreement_spread
    legend = _put(ws, 3, 1, T.CONS_LEGEND_SWATCH.format(spread=spread), _STYLE_DISAGREE_ID)
    legend.alignment = _CENTER
    text = T.CONS_LEGEND_TEXT.format(spread=spread)
    note = _put(ws, 3, 2, text)
    note.font = Font(name=FONT_NAME, size=10, italic=True, color="404040")
    note.alignment = Alignment(wrap_text=True, vertical="center")
    ws.merge_cells(start_row=3, start_column=2, end_row=3, end_column=4)
    legend_width = sum(col.width for col in columns[1:4])
    legend_lines = _lines(text, legend_width)
    for offset, level in enumerate(catalogue.scale):
        at = len(L.MATRIX_BEFORE_REVIEWERS) + offset
        if at > len(columns):
            break
        cell = _put(ws, 3, at, level.label, _level_style(level.code))
        cell.alignment = _CENTER
        legend_lines = max(legend_lines, _lines(level.label, columns[at - 1].width, bold=True))
    fit_row_height(ws, 3, _height(legend_lines))

    lines = 1
    for i, col in enumerate(columns, start=1):
        is_input = col.key in (L.MATRIX_FINAL.key, L.MATRIX_MOTIVATION.key)
        lines = max(lines, _header(
            ws, header_row, i, col.label, width=col.width,
            fill=INPUT_HEADER_FILL if is_input else HEADER_FILL,
            note=T.CONS_HEADER_NOTES.get(col.key) if col.key != "reviewer" else None))
    fit_row_height(ws, header_row, _height(lines))

    row = first - 1
    for result in c.norms.values():
        row += 1
        _write_matrix_row(ws, row, result, c, catalogue, columns, index)
    last = max(row, first)

    final = get_column_letter(index[L.MATRIX_FINAL.key])
    area = f"{final}{first}:{final}{last}"
    dv = list_validation(
        f"{quote_sheetname(lists.title)}!$A$1:$A${len(catalogue.scale)}",
        title=L.MATRIX_FINAL.label, prompt=T.CONS_DV_FINAL_PROMPT,
        error=T.DV_RATING_ERROR.format(allowed=", ".join(catalogue.rating_scale.labels)))
    dv.add(area)
    ws.add_data_validation(dv)
    # what the meeting types is coloured like the rating cells, in any spelling
    for level in catalogue.scale:
        ws.conditional_formatting.add(area, FormulaRule(
            formula=[level_match_formula(f"${final}{first}", level)],
            fill=PatternFill("solid", fgColor=level.colour, bgColor=level.colour),
            font=Font(bold=True, color="000000"),
            stopIfTrue=True,
        ))

    ws.freeze_panes = ws.cell(first, 2)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{last}"
    protect(ws)
    _print_setup(ws, c, header_row)


def _write_matrix_row(ws: Worksheet, row: int, result: NormResult, c: Consolidation,
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
    _put(ws, row, index["norm_id"], result.norm_id,
         _STYLE_DISAGREE_ID if result.disagreement else _STYLE_ID)
    for key, text in texts.items():
        _put(ws, row, index[key], text, _STYLE_TEXT)
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
    _put(ws, row, index["spread"], spread,
         _STYLE_DISAGREE_NUMBER if result.disagreement else _STYLE_NUMBER)

    final = _put(ws, row, index["final"], None, _STYLE_CHOICE)
    motivation = _put(ws, row, index["motivation"], None, _STYLE_INPUT)
    if result.overridden:
        # pre-filled, so that consolidating again with this file changes nothing
        set_value(final, _rating_label(result.consensus, catalogue))
        if result.motivation:
            set_value(motivation, result.motivation)
    elif result.pending_override:
        # typed without a motivation: not applied, but never wiped; marked until motivated
        set_value(final, _rating_label(result.pending_override, catalogue))
        motivation.fill = _MISSING_FILL
        motivation.comment = Comment(T.CONS_MOTIVATION_MISSING, "kwl", width=260, height=90)
    text = str(motivation.value or "")
    lines = max(lines, _lines(text, columns[index["motivation"] - 1].width))
    fit_row_height(ws, row, _height(lines))


# --- Domeinen --------------------------------------------------------------------------------


def _summary_columns(first: L.TableColumn, catalogue: Catalogue) -> list[_Col]:
    return (
        [_Col(first.key, first.label, first.width),
         _Col(L.SUMMARY_NORMS.key, L.SUMMARY_NORMS.label, L.SUMMARY_NORMS.width)]
        + [_Col(f"level:{lv.code}", lv.label, L.SUMMARY_LEVEL_WIDTH) for lv in catalogue.scale]
        + [_Col(col.key, col.label, col.width) for col in (
            L.SUMMARY_OPEN, L.SUMMARY_SHARE_MET, L.SUMMARY_MEAN_SCORE, L.SUMMARY_DISAGREEMENTS)]
    )


def _write_group_table(ws: Worksheet, row: int, first: L.TableColumn,
                       groups: Sequence[tuple[str, GroupSummary]], total: GroupSummary | None,
                       catalogue: Catalogue) -> int:
    """A header and one row per group (and a total row); returns the last row written."""
    columns = _summary_columns(first, catalogue)
    lines = 1
    for i, col in enumerate(columns, start=1):
        level = catalogue.rating_scale.by_code.get(col.key.removeprefix("level:"))
        if col.key.startswith("level:") and level is not None:
            lines = max(lines, _header(
                ws, row, i, col.label, width=col.width,
                fill=PatternFill("solid", fgColor=level.colour),
                font=Font(name=FONT_NAME, bold=True, size=10, color="000000")))
        else:
            lines = max(lines, _header(ws, row, i, col.label, width=col.width))
    ws.cell(row, 1).alignment = Alignment(horizontal="left", vertical="center")
    fit_row_height(ws, row, _height(lines))
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
            cell = _table_cell(ws, row, i, value, total=is_total)
            if col.key == L.SUMMARY_SHARE_MET.key:
                cell.number_format = "0%"
            elif col.key == L.SUMMARY_MEAN_SCORE.key:
                cell.number_format = "0.00"
            if col.key == L.SUMMARY_DISAGREEMENTS.key and isinstance(value, int) and value:
                cell.fill = PatternFill("solid", fgColor=DISAGREEMENT_COLOUR)
        # the first column is bold (a label, or the total)
        fit_row_height(ws, row, _height(_lines(name, first.width, bold=True)))
    return row


def _write_domains(ws: Worksheet, c: Consolidation, catalogue: Catalogue) -> None:
    ws.sheet_view.showGridLines = False
    _title(ws, T.CONS_DOMAINS_TITLE, c)
    columns = _summary_columns(L.SUMMARY_DOMAIN, catalogue)
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    header_row = L.CONSOLIDATED_HEADER_ROW
    groups = [(s.title, s) for s in c.domains.values()]
    last = _write_group_table(ws, header_row, L.SUMMARY_DOMAIN, groups, c.overall, catalogue)

    # native chart: one stacked bar per domain, one series per scale level in its colour
    row = last + 2
    if groups:
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.gapWidth = 60
        chart.title = T.CONS_CHART_TITLE
        chart.y_axis.title = T.CONS_CHART_AXIS
        chart.y_axis.majorGridlines = None
        chart.y_axis.numFmt = "0"
        # openpyxl ≥ 3.1 marks axes as deleted unless told otherwise; Excel then hides them
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.legend.position = "b"
        first_level = 3
        data = Reference(ws, min_col=first_level, max_col=first_level + len(catalogue.scale) - 1,
                         min_row=header_row, max_row=header_row + len(groups))
        categories = Reference(ws, min_col=1, min_row=header_row + 1,
                               max_row=header_row + len(groups))
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(categories)
        for series, level in zip(chart.series, catalogue.scale, strict=True):
            series.graphicalProperties.solidFill = level.colour
            series.graphicalProperties.line.solidFill = "FFFFFF"
        chart.width = 17.0  # cm
        chart.height = 7.5
        ws.add_chart(chart, f"A{row}")
        # the chart floats over default-height rows (15 pt = 0.53 cm each)
        row += int(chart.height / 0.53) + 2

    # the quality values on a page of their own, their header repeated on every page after
    # it (a catalogue with many quality values runs onto a second page)
    title_row = None
    if c.quality_values:
        ws.row_breaks.append(Break(id=row - 1))
        _put(ws, row, 1, T.CONS_QUALITY_VALUES_TITLE).font = SECTION_FONT
        fit_row_height(ws, row, 20)
        values = [(f"{value_id} {s.title}", s) for value_id, s in c.quality_values.items()]
        title_row = row + 1
        _write_group_table(ws, title_row, L.SUMMARY_QUALITY_VALUE, values, None, catalogue)

    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.protection.sheet = True
    _print_setup(ws, c, title_row)


# --- Vorige keer ----------------------------------------------------------------------------

#: the widths of the Vorige keer sheet's columns (headers: T.CONS_PREVIOUS_HEADERS)
_PREVIOUS_WIDTHS = (9, 44, 11, 14, 14, 13, 30, 44)
_PREVIOUS_ID_COLUMN = 2  # "Vorige norm": only when the catalogue version changed
#: the direction of a norm, in its colour (Excel's good and bad)
_DIRECTION_FILLS = {Direction.BETTER: "C6EFCE", Direction.WORSE: "FFC7CE"}


def _write_previous(ws: Worksheet, c: Consolidation, comparison: Comparison,
                    catalogue: Catalogue) -> None:
    """One row per norm: the previous and the current consensus, the direction (or why the
    norm is not comparable) and the improvement action the host wrote last time. The
    previous norm id has a column only when the catalogue version changed."""
    ws.sheet_view.showGridLines = False
    _title(ws, T.CONS_PREVIOUS_TITLE, c)
    keep = [i for i in range(len(_PREVIOUS_WIDTHS))
            if comparison.through_mapping or i != _PREVIOUS_ID_COLUMN]
    widths = [_PREVIOUS_WIDTHS[i] for i in keep]
    summary = _put(ws, 3, 1, comparison.summary)
    summary.font = LABEL_FONT
    summary.alignment = _LEFT_WRAP
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(keep))
    fit_row_height(ws, 3, _height(_lines(comparison.summary, sum(widths), bold=True)))
    header_row = L.CONSOLIDATED_HEADER_ROW
    lines = 1
    for column, index in enumerate(keep, start=1):
        ws.column_dimensions[get_column_letter(column)].width = _PREVIOUS_WIDTHS[index]
        lines = max(lines, _header(ws, header_row, column, T.CONS_PREVIOUS_HEADERS[index],
                                   width=_PREVIOUS_WIDTHS[index]))
    fit_row_height(ws, header_row, _height(lines))
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
            cell = _put(ws, row, column, value, _STYLE_ID if index == 0 else _STYLE_TEXT)
            if index == 5 and change.direction in _DIRECTION_FILLS:
                cell.fill = PatternFill("solid", fgColor=_DIRECTION_FILLS[change.direction])
            needed = max(needed, _lines(value or "", _PREVIOUS_WIDTHS[index]))
        fit_row_height(ws, row, _height(needed))
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.protection.sheet = True
    _print_setup(ws, c, header_row)


# --- Overeenstemming -------------------------------------------------------------------------


def _band(alpha: float) -> str:
    if alpha >= ALPHA_GOOD:
        return "good"
    if alpha >= ALPHA_TENTATIVE:
        return "tentative"
    return "discuss"


def _write_agreement(ws: Worksheet, c: Consolidation) -> None:
    ws.sheet_view.showGridLines = False
    _title(ws, T.CONS_AGREEMENT_TITLE, c)
    columns = L.AGREEMENT_COLUMNS
    header_row = L.CONSOLIDATED_HEADER_ROW
    lines = 1
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
        lines = max(lines, _header(ws, header_row, i, col.label, width=col.width))
    ws.cell(header_row, 1).alignment = Alignment(horizontal="left", vertical="center")
    fit_row_height(ws, header_row, _height(lines))

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
            _table_cell(ws, row, i, value, total=is_total)
        lines = max(_lines(str(value), col.width, bold=i == 1)
                    for i, (col, value) in enumerate(zip(columns, values, strict=True), start=1))
        fit_row_height(ws, row, _height(lines))
        if alpha is not None:
            ws.cell(row, 2).number_format = "0.00"
            ws.cell(row, 3).fill = PatternFill("solid", fgColor=BAND_FILLS[_band(alpha)])
        else:
            ws.cell(row, 2).font = _MUTED_FONT
        ws.cell(row, 4).number_format = "0%"

    row += 2
    width = sum(col.width for col in columns)
    explanation = list(T.CONS_AGREEMENT_EXPLANATION)
    if undefined:
        explanation.append(T.CONS_AGREEMENT_NO_ALPHA.format(
            too_few=T.CONS_ALPHA_REASONS["te-weinig-paren"],
            no_variation=T.CONS_ALPHA_REASONS["geen-variatie"]))
    _put(ws, row, 1, T.CONS_AGREEMENT_HEADING).font = SECTION_FONT
    row += 1
    for line in explanation:
        cell = _put(ws, row, 1, line)
        cell.font = BODY_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(columns))
        fit_row_height(ws, row, _height(_lines(line, width - 2)))
        row += 1

    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.protection.sheet = True
    _print_setup(ws, c, header_row)


__all__ = ["write_consolidated"]
