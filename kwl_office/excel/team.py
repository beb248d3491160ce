"""Shared team workbooks: several reviewers of one assessment fill in one workbook together.

Teams work the way Office lets them: one workbook in SharePoint, OneDrive or Teams that several
people edit at the same time (Excel co-authoring, desktop or for the web), or one file passed
round by mail. The layout makes both safe (see :mod:`kwl_office.excel.layout`):

* each reviewer has **their own sheet** with every norm of the scope, under domain headings:
  rating and findings, and the host's self-evaluation in grey beside it when it is in (the
  *spiegel*); nobody else types there, so two people never write the same cell, and a copy
  that went round by mail can be merged sheet by sheet;
* the **team sheet** holds what the team says together (strengths, learning points per norm);
  only the penvoerder (the first reviewer) writes there, after the team's discussion;
* the start sheet shows the progress of each reviewer; the overview counts per reviewer.

Only what Excel co-authoring and Excel for the web support is used: a plain ``.xlsx`` (no
macros unless asked for, no legacy shared-workbook mode, no workbook-structure protection),
sheet protection without a password with the input cells unlocked, list validations,
conditional formats and formulas.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from kwl_office import texts_nl as T
from kwl_office.assessment import Identity, Submission
from kwl_office.catalogue import Catalogue, Domain, Norm, QualityValue
from kwl_office.excel import layout as L
from kwl_office.excel.style import (
    BRAND,
    BRAND_LIGHT,
    FONT_NAME,
    LABEL_FONT,
    SUBTITLE_FONT,
    WRAP_TOP,
    fit_row_height,
    header_cells,
    lines_height,
    protect,
    text_lines,
)
from kwl_office.excel.writer import (
    TEXT_SIZE,
    add_rating_colours,
    add_validations,
    finish_workbook,
    merged_text,
    register_styles,
    sheet_print_setup,
    subtitle,
    write_lists,
    write_norm_row,
    write_overview,
    write_start,
    write_subtitle,
    write_title,
)

_HEADING_FONT = Font(name=FONT_NAME, size=11, bold=True, color=BRAND)
_HEADING_FILL = PatternFill("solid", fgColor=BRAND_LIGHT)

Groups = Sequence[tuple[Domain, Sequence[tuple[QualityValue, Norm]]]]


def build_team_workbook(identity: Identity, catalogue: Catalogue, *,
                        mirror: Submission | None = None) -> Workbook:
    """The openpyxl workbook of a signed team identity (``identity.reviewers``)."""
    wb = Workbook()
    start = wb.active
    assert start is not None
    start.title = L.SHEET_START
    groups: Groups = L.selected_domains(catalogue, identity.norm_scope)
    columns = L.team_review_columns(mirror=mirror is not None)
    register_styles(wb)
    lists = write_lists(wb, catalogue)
    counted: list[tuple[str, Worksheet, int]] = []
    for reviewer, name in zip(identity.reviewers, L.team_sheet_names(identity.reviewers),
                              strict=True):
        ws = wb.create_sheet(name)
        last = _write_reviewer_sheet(ws, identity, catalogue, reviewer, groups, columns,
                                     lists, mirror)
        counted.append((reviewer, ws, last))
    _write_team_sheet(wb.create_sheet(L.SHEET_TEAM), identity, catalogue, groups)
    overview = wb.create_sheet(L.SHEET_OVERVIEW)
    rows, _ = write_overview(overview, identity, catalogue, counted, columns)
    write_start(start, identity, catalogue,
                list(zip(identity.reviewers, rows, strict=True)), mirror=mirror is not None)
    _fit_start(start)
    return finish_workbook(wb, identity, catalogue, start, lists)


def _fit_start(ws: Worksheet) -> None:
    """What the start sheet of a team workbook says at more length than a single reviewer's:
    the subtitle and the list of reviewers wrap within the printed columns A to C (long
    organisation names would run off the page), and the closing note names the "Ingevuld
    door" row instead of the tab names (a sheet is known by that row, not by its name)."""
    widths = [ws.column_dimensions[letter].width or 8.43 for letter in "ABC"]
    merged_text(ws, 3, T.TEAM_SUBTITLE, SUBTITLE_FONT, sum(widths))
    for cells in ws.iter_rows(min_col=1, max_col=1):
        label = cells[0]
        if label.value == T.LABEL_REVIEWERS:
            names = ws.cell(label.row, 2)
            names.alignment = WRAP_TOP
            label.alignment = WRAP_TOP
            fit_row_height(ws, label.row, lines_height(
                text_lines(str(names.value), sum(widths[1:]), size=11), size=11))
        elif label.value == T.RETURN_NOTE:
            label.value = T.TEAM_RETURN_NOTE
    _keep_legend_together(ws)


#: points of an A4 portrait page inside the house margins (0.75 inch top and bottom)
_PORTRAIT_HEIGHT = 842 - 2 * 0.75 * 72


def _keep_legend_together(ws: Worksheet) -> None:
    """With a long team (long names, one progress line each) the start sheet runs onto a
    second page; the rating scale then starts that page instead of being cut in two."""
    legend = next((cells[0].row for cells in ws.iter_rows(min_col=1, max_col=1)
                   if cells[0].value == T.HEADING_LEGEND), None)
    if legend is None:
        return
    heights = [ws.row_dimensions[r].height or 15 for r in range(1, ws.max_row + 1)]
    if sum(heights) > _PORTRAIT_HEIGHT:
        ws.row_breaks.append(Break(id=legend - 1))


def _write_reviewer_sheet(ws: Worksheet, identity: Identity, catalogue: Catalogue,
                          reviewer: str, groups: Groups, columns: Sequence[L.Column],
                          lists: Worksheet, mirror: Submission | None) -> int:
    title = T.TEAM_SHEET_TITLE.format(reviewer=reviewer)
    _top(ws, title, subtitle(identity), reviewer, columns)
    mirror_responses = mirror.responses if mirror else {}
    row = L.FIRST_DATA_ROW
    for domain, norms in groups:
        row = _heading(ws, row, domain, columns)
        for value, norm in norms:
            write_norm_row(ws, row, value, norm, columns, catalogue,
                           mirror_responses.get(norm.id))
            row += 1
    last = row - 1
    add_validations(ws, columns, lists, catalogue, last)
    add_rating_colours(ws, columns, catalogue, last)
    _finish_sheet(ws, identity, title, columns, last)
    return last


def _write_team_sheet(ws: Worksheet, identity: Identity, catalogue: Catalogue,
                      groups: Groups) -> None:
    columns = L.team_sheet_columns()
    penvoerder = identity.reviewers[0]
    _top(ws, T.TEAM_TEAM_TITLE, T.TEAM_TEAM_INTRO.format(penvoerder=penvoerder),
         T.TEAM_OWNER_TEAM.format(penvoerder=penvoerder), columns)
    row = L.FIRST_DATA_ROW
    for domain, norms in groups:
        row = _heading(ws, row, domain, columns)
        for value, norm in norms:
            write_norm_row(ws, row, value, norm, columns, catalogue, None)
            row += 1
    _finish_sheet(ws, identity, T.TEAM_TEAM_TITLE, columns, row - 1)


def _top(ws: Worksheet, title: str, line: str, owner: str, columns: Sequence[L.Column]) -> None:
    """Title, a line under it, and the locked row that says whose sheet this is."""
    write_title(ws, title, [c.width for c in columns])
    ws["A1"].data_type = "s"
    write_subtitle(ws, line, [c.width for c in columns])
    # the label over the first two columns, the name over the next ones (merged: Excel never
    # fits such a row, so its height is computed)
    label = ws.cell(L.TEAM_OWNER_ROW, 1, T.TEAM_OWNER_LABEL)
    label.font = LABEL_FONT
    label.alignment = WRAP_TOP
    ws.merge_cells(start_row=L.TEAM_OWNER_ROW, start_column=1, end_row=L.TEAM_OWNER_ROW,
                   end_column=2)
    name = ws.cell(L.TEAM_OWNER_ROW, 3, owner)
    name.font = Font(name=FONT_NAME, size=12, bold=True)
    name.alignment = WRAP_TOP
    name.data_type = "s"  # a name, never a formula or a number
    span = min(len(columns), 5)
    ws.merge_cells(start_row=L.TEAM_OWNER_ROW, start_column=3, end_row=L.TEAM_OWNER_ROW,
                   end_column=span)
    width = sum(c.width for c in columns[2:span])
    fit_row_height(ws, L.TEAM_OWNER_ROW,
                   lines_height(text_lines(owner, width, size=12, bold=True), size=12))
    header_cells(ws, L.HEADER_ROW, [c.label for c in columns],
                 widths=[c.width for c in columns])
    for index, column in enumerate(columns, start=1):
        if column.role is L.Role.MIRROR:
            ws.cell(L.HEADER_ROW, index).fill = PatternFill("solid", fgColor="7F7F7F")
    fit_row_height(ws, L.HEADER_ROW, lines_height(max(
        text_lines(c.label, c.width, size=TEXT_SIZE, bold=True) for c in columns),
        size=TEXT_SIZE))


def _heading(ws: Worksheet, row: int, domain: Domain, columns: Sequence[L.Column]) -> int:
    """A domain heading row between the norms (no norm id: the reader passes it by).

    Every domain after the first starts a new page: neither Excel nor LibreOffice can keep a
    row with the next one, and with rows that grow as people type (800 characters of
    findings fill a page) a heading would otherwise end up alone at the bottom of a page."""
    if row > L.FIRST_DATA_ROW:
        ws.row_breaks.append(Break(id=row - 1))
    for index in range(1, len(columns) + 1):
        ws.cell(row, index).fill = _HEADING_FILL
    text = next(i for i, c in enumerate(columns, start=1) if c.key == "norm_text")
    cell = ws.cell(row, text, domain.title)
    cell.font = _HEADING_FONT
    cell.data_type = "s"
    fit_row_height(ws, row, lines_height(1, size=11))
    return row + 1


def _finish_sheet(ws: Worksheet, identity: Identity, title: str, columns: Sequence[L.Column],
                  last: int) -> None:
    ws.freeze_panes = ws.cell(L.FIRST_DATA_ROW, 2)
    ws.auto_filter.ref = f"A{L.HEADER_ROW}:{ws.cell(last, len(columns)).coordinate}"
    protect(ws)
    sheet_print_setup(ws, identity, title, L.HEADER_ROW,
                      print_area=f"A1:{ws.cell(last, len(columns)).coordinate}")


__all__ = ["build_team_workbook"]
