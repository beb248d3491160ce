"""Build the secretariat's Excel dashboard: ``dashboard.xlsm`` in a round folder.

Three sheets — Dashboard (buttons, last message, counts), Status and Manifest (tables) — filled
with the round as it stands when built, and the VBA of ``macros/KwlSecretariaat.bas`` behind
four buttons that run the round's steps through xlwings (see :mod:`kwl_office.xl`). Without
xlwings the file is still a readable snapshot of the round.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kwl_office import texts_nl as T
from kwl_office.atomic import write_bytes_atomic
from kwl_office.excel.macros import Button, make_macro_enabled
from kwl_office.excel.style import (
    BODY_FONT,
    BRAND,
    FONT_NAME,
    GRID,
    LABEL_FONT,
    fit_row_height,
    fit_widths,
    header_cells,
    lines_height,
    print_setup,
    text_lines,
    width_budget,
)
from kwl_office.xl import (
    FOLDER_CELL,
    MESSAGE_CELL,
    ROUND_CELL,
    SHEET_DASHBOARD,
    SHEET_MANIFEST,
    SHEET_STATUS,
    SUMMARY_CELL,
    TABLE_CELL,
    UPDATED_CELL,
    DashboardView,
    dashboard_view,
)

DASHBOARD_NAME = "dashboard.xlsm"
_TITLE = Font(name=FONT_NAME, size=16, bold=True, color=BRAND)
_HEADING = Font(name=FONT_NAME, size=12, bold=True, color=BRAND)
#: the front sheet's columns: four buttons in A, C, E and G (B, D and F are narrow gaps)
_FRONT_WIDTHS = (22, 2, 22, 2, 22, 2, 22, 40)
_FRONT_WIDTH = sum(_FRONT_WIDTHS)
#: the four buttons, in columns A, C, E and G of rows 7–8 (B, D and F are narrow gaps)
BUTTONS = tuple(
    Button(label, macro, (column, 6, column, 7), description=T.DASH_BUTTON_HELP[macro])
    for column, (macro, label) in zip((0, 2, 4, 6), T.DASH_BUTTONS.items(), strict=True)
)


def build_dashboard(folder: str | Path, *, now: datetime | None = None) -> Path:
    """Write ``dashboard.xlsm`` into the round folder (atomically) and return its path."""
    folder = Path(folder)
    view = dashboard_view(folder, T.DASH_BUILT, now=now)
    wb = Workbook()
    front = wb.active
    assert front is not None
    front.title = SHEET_DASHBOARD
    _front(front, view)
    print_setup(front, header=(T.DASH_TITLE, view.round_name))
    for name, title, subtitle, rows in (
            (SHEET_STATUS, T.DASH_STATUS_TITLE, T.DASH_STATUS_SUBTITLE, view.status),
            (SHEET_MANIFEST, T.DASH_MANIFEST_TITLE, T.DASH_MANIFEST_SUBTITLE, view.manifest)):
        ws = wb.create_sheet(name)
        _table(ws, title, subtitle, rows)
        print_setup(ws, title_row=ws[TABLE_CELL].row, header=(T.DASH_TITLE, view.round_name))
    buffer = io.BytesIO()
    wb.save(buffer)
    package = make_macro_enabled(buffer.getvalue(), ["KwlSecretariaat"],
                                 {SHEET_DASHBOARD: BUTTONS})
    return write_bytes_atomic(folder / DASHBOARD_NAME, package)


def _front(ws: Worksheet, view: DashboardView) -> None:
    ws.sheet_view.showGridLines = False
    for column, width in zip("ABCDEFGH", _FRONT_WIDTHS, strict=True):
        ws.column_dimensions[column].width = width
    ws["A1"] = T.DASH_TITLE
    ws["A1"].font = _TITLE
    ws["A2"] = T.DASH_SUBTITLE
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A2:H2")
    fit_row_height(ws, 2, lines_height(text_lines(T.DASH_SUBTITLE, _FRONT_WIDTH, size=11),
                                       size=11))
    for cell, label, value in ((ROUND_CELL, "round", view.round_name),
                               (FOLDER_CELL, "folder", view.folder)):
        _labelled(ws, cell, T.DASH_LABELS[label], value)
    for row in (7, 8):
        fit_row_height(ws, row, 22)
    ws["A10"] = T.DASH_LABELS["last"]
    ws["A10"].font = _HEADING
    _labelled(ws, MESSAGE_CELL, T.DASH_LABELS["message"], view.message)
    ws[MESSAGE_CELL].alignment = Alignment(wrap_text=True, vertical="top")
    fit_row_height(ws, ws[MESSAGE_CELL].row, 30)
    _labelled(ws, UPDATED_CELL, T.DASH_LABELS["updated"], view.updated)
    summary = ws[SUMMARY_CELL]
    ws.cell(summary.row - 1, 1, T.DASH_LABELS["summary"]).font = _HEADING
    for offset, (name, amount) in enumerate(view.summary):
        ws.cell(summary.row + offset, 1, name).font = LABEL_FONT
        ws.cell(summary.row + offset, 3, amount).alignment = Alignment(horizontal="left")
    line = summary.row + len(view.summary) + 1
    ws.cell(line, 1, T.DASH_LABELS["howto"]).font = _HEADING
    for text in T.DASH_HOWTO:
        line += 1
        ws.cell(line, 1, text).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=line, start_column=1, end_row=line, end_column=8)
        fit_row_height(ws, line, lines_height(text_lines(text, _FRONT_WIDTH, size=11),
                                              size=11))


def _labelled(ws: Worksheet, address: str, label: str, value: str) -> None:
    """``label`` in column A of the row of ``address``, the value at ``address``, merged
    to column H."""
    cell = ws[address]
    heading = ws.cell(cell.row, 1, label)
    heading.font = LABEL_FONT
    heading.alignment = Alignment(vertical="top")
    cell.value = value
    ws.merge_cells(start_row=cell.row, start_column=cell.column, end_row=cell.row,
                   end_column=8)


#: the narrowest a table column becomes to fit the page
_MIN_WIDTH = 8


def _table(ws: Worksheet, title: str, subtitle: str, rows: list[list[str | int]]) -> None:
    """A read-only table (status or manifest): numbers centred, texts wrapped, the columns
    narrowed to print on A4 landscape at 8.5 pt or more; protected without a password (the
    dashboard's macro lifts the protection while Python writes the new stand)."""
    ws["A1"] = title
    ws["A1"].font = _TITLE
    ws["A2"] = subtitle
    top = ws[TABLE_CELL].row
    wanted = [min(max(max((len(str(row[c])) for row in rows if c < len(row)), default=0) + 2,
                      _MIN_WIDTH), 40)
              for c in range(len(rows[0]))]
    widths = fit_widths(wanted, [_MIN_WIDTH] * len(wanted), width_budget(10, "landscape"))
    header_cells(ws, top, [str(label) for label in rows[0]], widths=widths)
    fit_row_height(ws, top, lines_height(max(
        text_lines(str(label), width, bold=True) for label, width in zip(rows[0], widths,
                                                                          strict=True))))
    for r, values in enumerate(rows[1:], start=1):
        lines = 1
        for c, value in enumerate(values, start=1):
            cell = ws.cell(top + r, c, value)
            cell.font, cell.border = BODY_FONT, GRID
            # a count stands apart from the text beside it
            cell.alignment = (Alignment(horizontal="center", vertical="top")
                              if isinstance(value, int)
                              else Alignment(wrap_text=True, vertical="top"))
            lines = max(lines, text_lines(str(value), widths[c - 1]))
        fit_row_height(ws, top + r, lines_height(lines))
    ws.freeze_panes = ws.cell(top + 1, 1)
    if len(rows) > 1:
        ws.auto_filter.ref = f"A{top}:{get_column_letter(len(rows[0]))}{top + len(rows) - 1}"
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.sort = False
