"""The intake overview (``uitvoer/intake.xlsx``) and annotated copies to send back."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kwl_office import texts_nl as T
from kwl_office.assessment import Submission
from kwl_office.atomic import save_if_changed
from kwl_office.batch.collect import Receipt, Rejection
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.issue import IssuedWorkbook
from kwl_office.excel import layout as L
from kwl_office.excel.cells import set_value
from kwl_office.excel.style import GRID, TITLE_FONT, header_cells, print_setup
from kwl_office.excel.writer import workbook_package
from kwl_office.findings import Severity

ERROR_FILL = PatternFill("solid", fgColor="F8CBAD")
WARNING_FILL = PatternFill("solid", fgColor="FFE699")
STATUS_FILLS = {T.INTAKE_RECEIVED: "C6EFCE", T.INTAKE_INVALID: "F8CBAD",
                T.INTAKE_MISSING: "EDEDED"}


def status_of(workbook: IssuedWorkbook, submissions: dict[str, Submission]) -> str:
    """ontvangen / ongeldig / ontbreekt."""
    sub = submissions.get(workbook.workbook_id)
    if sub is None:
        return T.INTAKE_MISSING
    return T.INTAKE_RECEIVED if sub.valid else T.INTAKE_INVALID


def write_intake(folder: RoundFolder, index: dict[str, IssuedWorkbook],
                 receipts: dict[str, Receipt], submissions: dict[str, Submission],
                 rejected: Sequence[Rejection], hosts: dict[str, str]) -> Path:
    """Write ``uitvoer/intake.xlsx`` atomically."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = T.INTAKE_SHEET
    ws["A1"] = T.INTAKE_TITLE
    ws["A1"].font = TITLE_FONT
    headers = T.INTAKE_HEADERS
    rows = []
    for item in sorted(index.values(), key=lambda w: (w.assessment_id, w.kind.value,
                                                      w.reviewer)):
        sub = submissions.get(item.workbook_id)
        receipt = receipts.get(item.workbook_id)
        rows.append([
            item.assessment_id, hosts.get(item.assessment_id, ""), item.kind.value,
            item.reviewer, status_of(item, submissions),
            _local_time(receipt.received_at) if receipt else "",
            len(sub.report.errors) if sub else "", len(sub.report.warnings) if sub else "",
            receipt.file if receipt else item.file,
        ])
    _table(ws, 3, headers, rows, widths=(12, 30, 14, 28, 12, 17, 8, 14, 60))
    for r, row in enumerate(rows, start=4):
        ws.cell(r, 5).fill = PatternFill("solid", fgColor=STATUS_FILLS.get(str(row[4]), "FFFFFF"))

    findings_ws = wb.create_sheet(T.INTAKE_FINDINGS_SHEET)
    finding_rows = []
    for workbook_id, sub in sorted(submissions.items()):
        issued = index.get(workbook_id)
        for f in sub.report.findings:
            finding_rows.append([issued.assessment_id if issued else "",
                                 issued.label if issued else "",
                                 T.CLI_SEVERITY[f.severity.value], f.sheet or "", f.cell or "",
                                 f.norm_id or "", f.message])
    _table(findings_ws, 1, T.INTAKE_FINDINGS_HEADERS, finding_rows,
           widths=(12, 40, 13, 22, 8, 8, 90))

    rejected_ws = wb.create_sheet(T.INTAKE_REJECTED_SHEET)
    _table(rejected_ws, 1, T.INTAKE_REJECTED_HEADERS, [[r.source, r.reason] for r in rejected],
           widths=(50, 100))
    target = folder.output / "intake.xlsx"
    save_if_changed(target, wb.save)
    return target


def _local_time(iso: str) -> str:
    """Stored times are UTC; people read their own clock."""
    return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")


def _table(sheet: Worksheet, top: int, headers: Sequence[str], rows: Sequence[Sequence[object]],
           widths: Sequence[int]) -> None:
    header_cells(sheet, top, headers, widths=widths)
    for r, row in enumerate(rows, start=top + 1):
        lines = 1
        for c, value in enumerate(row, start=1):
            cell = set_value(sheet.cell(r, c), value)
            cell.border = GRID
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            per_line = max(int(widths[c - 1] * 1.2), 4)
            lines = max(lines, -(-len(str(value if value is not None else "")) // per_line))
        # spreadsheets do not grow rows of generated files to fit wrapped text
        sheet.row_dimensions[r].height = 13 * lines + 3
    sheet.freeze_panes = sheet.cell(top + 1, 1)
    print_setup(sheet, title_row=top)
    if rows:
        sheet.auto_filter.ref = (f"A{top}:{get_column_letter(len(headers))}{top + len(rows)}")


def annotate(folder: RoundFolder, receipt: Receipt, submission: Submission) -> Path | None:
    """The person's own file with problem cells highlighted and a Dutch comment on each.

    Only ``.xlsx``/``.xlsm`` can be annotated (an ``.ods`` gets none: its findings are in
    the intake overview). Returns the path of the copy, or None.
    """
    source = folder.root / receipt.file
    if source.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    target = folder.output / "terugsturen" / f"{source.stem} - met opmerkingen{source.suffix}"
    with warnings.catch_warnings():
        # files saved by other programs make openpyxl warn about parts it drops; the copy
        # keeps everything a person filled in, which is what matters here
        warnings.simplefilter("ignore")
        try:
            wb = load_workbook(source)
        except Exception:  # noqa: BLE001 - any parser failure: the intake still lists it
            return None
        # a returned .xlsm gets the check macro and its buttons afresh (openpyxl would keep
        # the VBA but drop the buttons); a file without our start sheet keeps its own VBA
        rebuild = source.suffix.lower() == ".xlsm" and L.SHEET_START in wb.sheetnames
        if source.suffix.lower() == ".xlsm" and not rebuild:
            wb = load_workbook(source, keep_vba=True)
        general: list[str] = []
        for finding in submission.report.findings:
            if finding.sheet in wb.sheetnames and finding.cell and finding.cell[0].isalpha():
                cell = wb[finding.sheet][finding.cell]
                cell.fill = ERROR_FILL if finding.severity is Severity.ERROR else WARNING_FILL
                text = finding.message
                if cell.comment is not None and cell.comment.author == "kwl":
                    text = f"{cell.comment.text}\n{text}"
                cell.comment = Comment(text, "kwl", width=300, height=120)
            elif finding.severity is Severity.ERROR:
                general.append(finding.message)
        first = wb.worksheets[0]
        summary = T.ANNOTATE_SUMMARY.format(errors=len(submission.report.errors))
        if general:
            summary += "\n" + "\n".join(f"• {m}" for m in general)
        first["A1"].comment = Comment(summary, "kwl", width=400, height=200)
        if rebuild:
            save_if_changed(target, lambda tmp: tmp.write_bytes(workbook_package(wb,
                                                                                 macros=True)))
        else:
            save_if_changed(target, wb.save)
    return target
