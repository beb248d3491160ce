"""The intake overview (``uitvoer/intake.xlsx``) and annotated copies to send back.

The overview lists every expected workbook (with the name it had in the inbox and when it
arrived, as a real date-time), every finding, every refused and every skipped file; each
sheet prints on A4 with a page header and footer, and an empty sheet says so in a row.

An annotated copy (``uitvoer/terugsturen/``) is the person's own file with the problems made
visible on screen *and* on paper: a notice at the top of the start sheet, a sheet *Controle*
(the sheet the check macro writes too, which the reader skips) with one row per problem and a
link to its cell, and the problem cells marked in colours that no rating level uses. A copy
that no longer applies (the workbook was corrected, or a newer version came in) is removed.
The copy of a shared team workbook says which received copies it was merged from, so that
when it comes back it supersedes them (:mod:`kwl_office.batch.team_copies`).
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable, Sequence
from copy import copy
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office.assessment import Kind, Submission
from kwl_office.atomic import save_if_changed
from kwl_office.batch.collect import Rejection, Skipped
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.issue import IssuedWorkbook, Planned
from kwl_office.batch.receipts import Receipt, received_copies
from kwl_office.batch.team_copies import MERGED_FROM_PROPERTY, claim_text
from kwl_office.batch.versions import rival_text, saved_by_others
from kwl_office.catalogue import Catalogue
from kwl_office.errors import UnreadableFile
from kwl_office.excel import layout as L
from kwl_office.excel.cells import set_value
from kwl_office.excel.merge import MergedCell, merged_cells
from kwl_office.excel.style import (
    FONT_NAME,
    GRID,
    PAGE_OF,
    TITLE_FONT,
    header_cells,
    print_setup,
    release_row_heights,
)
from kwl_office.excel.writer import workbook_package
from kwl_office.findings import Finding, Report, Severity

#: problem cells of an annotated copy: colours that no rating level uses (a test holds them
#: far from every colour of the scale), with a border that also shows on a black-and-white
#: print and where a rating's own colour covers the fill
ERROR_COLOUR = "F4B6F4"  # light pink
ERROR_EDGE = "B000B0"  # purple
WARNING_COLOUR = "A0C4FF"  # light blue
WARNING_EDGE = "2F5597"  # dark blue, dashed
ERROR_FILL = PatternFill("solid", fgColor=ERROR_COLOUR)
WARNING_FILL = PatternFill("solid", fgColor=WARNING_COLOUR)
_ERROR_SIDE = Side(style="medium", color=ERROR_EDGE)
_WARNING_SIDE = Side(style="mediumDashed", color=WARNING_EDGE)
ERROR_BORDER = Border(left=_ERROR_SIDE, right=_ERROR_SIDE, top=_ERROR_SIDE, bottom=_ERROR_SIDE)
WARNING_BORDER = Border(left=_WARNING_SIDE, right=_WARNING_SIDE, top=_WARNING_SIDE,
                        bottom=_WARNING_SIDE)
NOTICE_FILL = PatternFill("solid", fgColor="FCE4FC")
#: the row of the start sheet that is empty in every workbook kwl writes (under the subtitle)
NOTICE_ROW = 4

STATUS_FILLS = {T.INTAKE_RECEIVED: "C6EFCE", T.INTAKE_INVALID: "F8CBAD",
                T.INTAKE_MISSING: "EDEDED", T.INTAKE_WAITING: "DDEBF7"}
#: the inbox names of a workbook whose two versions were last saved by different people
#: (:func:`~kwl_office.batch.versions.saved_by_others`): light yellow, to be seen at a glance
SAVED_BY_OTHERS_FILL = PatternFill("solid", fgColor="FFEB9C")
ANNOTATED_SUFFIX = " - met opmerkingen"
ANNOTATABLE = (".xlsx", ".xlsm")
#: column widths of the intake sheets: landscape A4 at 75 % or more (11 pt prints at ≥ 8 pt)
_RECEIVED_WIDTHS = (11, 24, 13, 22, 11, 16, 8, 16, 34)
_FINDINGS_WIDTHS = (11, 30, 14, 20, 7, 7, 62)
_FILE_WIDTHS = (50, 90)
_CHECK_WIDTHS = (22, 8, 8, 14, 80)
_EMPTY_FONT = Font(name=FONT_NAME, size=11, italic=True, color="595959")
#: the house header is 10 pt; these sheets print smaller than 100 %, so 11 pt here
_HEADER_FONT = Font(name=FONT_NAME, size=11, bold=True, color="FFFFFF")


def status_of(workbook: IssuedWorkbook, submissions: dict[str, Submission]) -> str:
    """ontvangen / ongeldig / ontbreekt."""
    sub = submissions.get(workbook.workbook_id)
    if sub is None:
        return T.INTAKE_MISSING
    return T.INTAKE_RECEIVED if sub.valid else T.INTAKE_INVALID


# --- the intake overview ---------------------------------------------------------------------


def write_intake(folder: RoundFolder, index: dict[str, IssuedWorkbook],
                 receipts: dict[str, Receipt], submissions: dict[str, Submission],
                 rejected: Sequence[Rejection], hosts: dict[str, str], *,
                 skipped: Sequence[Skipped] = (), waiting: Sequence[Planned] = (),
                 not_counted: dict[str, str] | None = None) -> Path:
    """Write ``uitvoer/intake.xlsx`` atomically: Ontvangst (every expected workbook, also
    the ``waiting`` ones with a mirror; an issued one the manifest no longer asks for, in
    ``not_counted`` with the reason, as "telt niet mee"), Bevindingen, Geweigerd and
    Overgeslagen."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    title = f"{T.INTAKE_TITLE} – {folder.config().naam}"
    _write_received(ws, index, receipts, submissions, hosts, waiting, not_counted or {})
    findings_ws = wb.create_sheet(T.INTAKE_FINDINGS_SHEET)
    finding_rows = []
    for workbook_id, sub in sorted(submissions.items()):
        issued = index.get(workbook_id)
        for f in sub.report.findings:
            finding_rows.append([issued.assessment_id if issued else "",
                                 issued.label if issued else "",
                                 T.CLI_SEVERITY[f.severity.value], f.sheet or "", f.cell or "",
                                 f.norm_id or "", _named_message(f)])
    _table(findings_ws, 1, T.INTAKE_FINDINGS_HEADERS, finding_rows, _FINDINGS_WIDTHS,
           T.INTAKE_EMPTY["findings"])
    rejected_ws = wb.create_sheet(T.INTAKE_REJECTED_SHEET)
    _table(rejected_ws, 1, T.INTAKE_REJECTED_HEADERS, [[r.source, r.reason] for r in rejected],
           _FILE_WIDTHS, T.INTAKE_EMPTY["rejected"])
    skipped_ws = wb.create_sheet(T.INTAKE_SKIPPED_SHEET)
    _table(skipped_ws, 1, T.INTAKE_SKIPPED_HEADERS, [[s.source, s.reason] for s in skipped],
           _FILE_WIDTHS, T.INTAKE_EMPTY["skipped"])
    for sheet in wb.worksheets:
        print_setup(sheet, title_row=3 if sheet is ws else 1, header=(title, sheet.title),
                    footer=("uitvoer/intake.xlsx", PAGE_OF))
    target = folder.output / "intake.xlsx"
    save_if_changed(target, wb.save)
    return target


def _write_received(ws: Worksheet, index: dict[str, IssuedWorkbook],
                    receipts: dict[str, Receipt], submissions: dict[str, Submission],
                    hosts: dict[str, str], waiting: Sequence[Planned],
                    not_counted: dict[str, str]) -> None:
    ws.title = T.INTAKE_SHEET
    ws["A1"] = T.INTAKE_TITLE
    ws["A1"].font = TITLE_FONT
    rows: list[tuple[tuple[str, bool, str], list[object]]] = []
    others: set[tuple[str, bool, str]] = set()  # the rows whose versions name two people
    for item in index.values():
        sub = submissions.get(item.workbook_id)
        receipt = receipts.get(item.workbook_id)
        reason = not_counted.get(item.workbook_id)
        rows.append((_order(item.assessment_id, item.kind, item.who), [
            item.assessment_id, hosts.get(item.assessment_id, ""), item.kind_text,
            item.who, status_of(item, submissions) if reason is None else T.INTAKE_NOT_COUNTED,
            received_time(receipt.received_at) if receipt else None,
            len(sub.report.errors) if sub else None, len(sub.report.warnings) if sub else None,
            "\n".join(filter(None, (_inbox_names(receipt), reason))),
        ]))
        if receipt is not None and any(saved_by_others(r) for r in receipt.rivals):
            others.add(rows[-1][0])
    for planned in waiting:
        entry = planned.entry.assessment
        rows.append((_order(entry.id, planned.kind, planned.who), [
            entry.id, entry.host, planned.kind_text, planned.who, T.INTAKE_WAITING,
            None, None, None, ""]))
    ordered = sorted(rows, key=lambda r: r[0])
    table = [values for _, values in ordered]
    statuses = [str(values[4]) for values in table]
    left_out = statuses.count(T.INTAKE_NOT_COUNTED)
    summary = T.INTAKE_SUMMARY.format(
        expected=dutch.count(len(table) - left_out, "workbook"),
        received=statuses.count(T.INTAKE_RECEIVED), invalid=statuses.count(T.INTAKE_INVALID),
        missing=statuses.count(T.INTAKE_MISSING))
    if waiting:
        summary += T.INTAKE_SUMMARY_WAITING.format(waiting=len(waiting))
    if left_out:
        summary += T.INTAKE_SUMMARY_NOT_COUNTED.format(count=left_out)
    ws["A2"] = summary + "."
    ws["A2"].font = Font(name=FONT_NAME, size=11, color="404040")
    _table(ws, 3, T.INTAKE_HEADERS, table, _RECEIVED_WIDTHS, T.INTAKE_EMPTY["received"],
           time_column=6)
    looks: dict[object, Any] = {}
    for r, status in enumerate(statuses, start=4):
        _styled(ws.cell(r, 5), status, looks, functools.partial(_status_fill, status=status))
    for r, (order, _) in enumerate(ordered, start=4):
        if order in others:
            ws.cell(r, len(T.INTAKE_HEADERS)).fill = SAVED_BY_OTHERS_FILL


def _inbox_names(receipt: Receipt | None) -> str:
    """The name in the inbox of what counts: of a team workbook received as several copies
    each copy's, then the copies a copy of the merged workbook sent back superseded; under
    it, for each other version of the workbook that competed and lost, which counts, why,
    where the other is kept and, when they differ, who saved each (the console said so
    once, at that collect)."""
    if receipt is None:
        return ""
    superseded = [T.INTAKE_SUPERSEDED.format(files=dutch.join(
        f"'{c.source}'" for c in receipt.superseded))] if receipt.superseded else []
    return "\n".join([*(c.source for c in receipt.all_copies()), *superseded,
                      *(rival_text(receipt.source, rival) for rival in receipt.rivals)])


def _order(assessment_id: str, kind: Kind, reviewer: str) -> tuple[str, bool, str]:
    """Per assessment the self-evaluation first, then the reviews by name."""
    return (assessment_id, kind is not Kind.SELF_EVALUATION, reviewer.casefold())


def received_time(iso: str) -> datetime:
    """A stored receipt time (UTC) as the local date-time people read on their own clock,
    without a time zone: spreadsheets store date-times without one."""
    return datetime.fromisoformat(iso).astimezone().replace(tzinfo=None)


def _table(sheet: Worksheet, top: int, headers: Sequence[str], rows: Sequence[Sequence[object]],
           widths: Sequence[int], empty: str, *, time_column: int | None = None) -> None:
    """A header row at ``top`` and the rows under it; no rows: one row that says so."""
    _header(sheet, top, headers, widths)
    sheet.freeze_panes = sheet.cell(top + 1, 1)
    if not rows:
        cell = sheet.cell(top + 1, 1, empty)
        cell.font = _EMPTY_FONT
        sheet.merge_cells(start_row=top + 1, start_column=1, end_row=top + 1,
                          end_column=len(headers))
        return
    looks: dict[object, Any] = {}
    for r, row in enumerate(rows, start=top + 1):
        for c, value in enumerate(row, start=1):
            is_time = c == time_column
            _styled(set_value(sheet.cell(r, c), value), (type(value), is_time), looks,
                    functools.partial(_body_style, value=value, is_time=is_time))
        # spreadsheets do not grow rows of generated files to fit wrapped text
        sheet.row_dimensions[r].height = row_height(row, widths)
    sheet.auto_filter.ref = f"A{top}:{get_column_letter(len(headers))}{top + len(rows)}"


def _status_fill(cell: Any, *, status: str) -> None:
    cell.fill = PatternFill("solid", fgColor=STATUS_FILLS.get(status, "FFFFFF"))


def _body_style(cell: Any, *, value: object, is_time: bool) -> None:
    cell.border = GRID
    # counts centred: flush right they run into the text of the next column
    centred = isinstance(value, int) and not isinstance(value, bool)
    cell.alignment = Alignment(wrap_text=True, vertical="top",
                               horizontal="center" if centred else None)
    if is_time:
        cell.number_format = T.INTAKE_TIME_FORMAT


def _styled(cell: Any, look: object, looks: dict[object, Any],
            apply: Callable[[Any], None]) -> None:
    """Give ``cell`` the style ``apply`` sets, set only once per ``look``: the cells that look
    the same get a copy of its style record (as openpyxl's own ``copy_worksheet`` does).
    A national round has ~5000 cells in the intake; ~10× faster than assigning border,
    alignment and format object by object."""
    if look in looks:
        cell._style = copy(looks[look])
        return
    apply(cell)
    looks[look] = copy(cell._style)


def _header(sheet: Worksheet, row: int, headers: Sequence[str], widths: Sequence[int]) -> None:
    header_cells(sheet, row, headers, widths=widths)
    for column in range(1, len(headers) + 1):
        sheet.cell(row, column).font = _HEADER_FONT
    # bold text is wider: a label wraps sooner than its length says
    sheet.row_dimensions[row].height = row_height(headers, [w * 0.85 for w in widths])


def row_height(values: Sequence[object], widths: Sequence[float], *, line: float = 15) -> float:
    """The height (points) a row of 11 pt text needs when each value wraps in its column."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        text = "" if value is None else str(value)
        per_line = max(int(width * 1.05), 4)
        lines = max(lines, sum(max(1, math.ceil(len(part) / per_line))
                               for part in text.split("\n")))
    return line * lines + 3


# --- the annotated copy ----------------------------------------------------------------------


def annotated_copies(folder: RoundFolder, issued: IssuedWorkbook) -> list[Path]:
    """Where an annotated copy of ``issued`` may be (one per suffix it may come back with)."""
    stem = Path(issued.file).stem
    return [folder.output / "terugsturen" / f"{stem}{ANNOTATED_SUFFIX}{suffix}"
            for suffix in ANNOTATABLE]


def annotate(folder: RoundFolder, receipt: Receipt, submission: Submission,
             catalogue: Catalogue | None = None) -> Path | None:
    """The person's own file with its problems visible on screen and on paper.

    A notice at the top of the start sheet (how many problems, where they are, what to do),
    a sheet *Controle* right after it with one row per problem (sheet, a link to the cell,
    norm, severity, the Dutch message), and each problem cell marked (fill and border in
    colours no rating level uses) with a comment. Only ``.xlsx``/``.xlsm`` can be annotated
    (an ``.ods`` gets none: its findings are in the intake overview). A team workbook that
    came back as several copies is annotated as its merge: the newest copy with what the
    others filled in written in (``catalogue``: the round's), so progress and marks are
    those of the whole team. A team workbook's copy says which received copies it was
    merged from (:data:`~kwl_office.batch.team_copies.MERGED_FROM_PROPERTY`): when it comes
    back, they stop counting. Returns the path of the copy, or None.
    """
    source = folder.root / receipt.file
    if source.suffix.lower() not in ANNOTATABLE:
        return None
    target = folder.output / "terugsturen" / f"{source.stem}{ANNOTATED_SUFFIX}{source.suffix}"
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
        filled = _fill_merged(wb, folder, receipt, catalogue)
        findings = sorted((_in_this_copy(f, receipt, filled) for f in
                           submission.report.findings),
                          key=lambda f: f.severity is not Severity.ERROR)
        _mark_cells(wb, findings)
        _write_check_sheet(wb, submission, receipt, findings)
        _write_notice(wb, submission.report)
        if submission.is_team:
            _say_merged_from(wb, receipt)
        for sheet in wb.worksheets:  # openpyxl would write every loaded height as fixed
            release_row_heights(sheet)
        if rebuild:
            save_if_changed(target, lambda tmp: tmp.write_bytes(workbook_package(wb,
                                                                                 macros=True)))
        else:
            save_if_changed(target, wb.save)
    return target


def _say_merged_from(wb: Workbook, receipt: Receipt) -> None:
    """Write which received copies the copy to send back was merged from (replacing what
    the copy it is made from said: itself made from a copy sent back before)."""
    props = wb.custom_doc_props
    props.props = [p for p in props.props if p.name != MERGED_FROM_PROPERTY]
    props.append(StringProperty(name=MERGED_FROM_PROPERTY,
                                value=claim_text([c.sha256 for c in receipt.all_copies()])))


def _named_message(finding: Finding) -> str:
    """The message, naming the file when the finding is about one copy of a team workbook
    received as several (:mod:`kwl_office.excel.merge`) and does not name it already."""
    if finding.file and finding.file not in finding.message:
        return f"{finding.file}: {finding.message}"
    return finding.message


def _fill_merged(wb: Workbook, folder: RoundFolder, receipt: Receipt,
                 catalogue: Catalogue | None) -> dict[tuple[str, str, str], tuple[str, str]]:
    """Write what the other copies of a team workbook filled in into this (the newest) copy;
    returns where each such value went: (copy, sheet, cell) → (sheet, cell) here."""
    if not receipt.copies:
        return {}
    try:
        cells: list[MergedCell] = merged_cells(received_copies(folder, receipt), catalogue)
    except UnreadableFile:
        return {}  # the intake lists why; the copy is annotated as it is
    placed = {}
    for merged in cells:
        if merged.sheet in wb.sheetnames:
            set_value(wb[merged.sheet][merged.cell], merged.value)
            placed[(merged.file, merged.origin_sheet, merged.origin_cell)] = (merged.sheet,
                                                                              merged.cell)
    return placed


def _in_this_copy(finding: Finding, receipt: Receipt,
                  filled: dict[tuple[str, str, str], tuple[str, str]]) -> Finding:
    """A finding as the annotated copy shows it. Of a team workbook received as several
    copies the newest is annotated, with the other copies' values written in: a finding about
    such a value is marked where it now is; any other finding about a cell of another copy
    names that copy and cell and marks nothing here (the address may hold another norm)."""
    if not receipt.copies or finding.file in (None, receipt.source) or not finding.cell:
        return finding
    here = filled.get((finding.file, finding.sheet or "", finding.cell))
    if here is not None:
        return finding.model_copy(update={"sheet": here[0], "cell": here[1]})
    return finding.model_copy(update={
        "cell": None, "message": f"{finding.file}, {finding.cell}: {finding.message}"})


def problems_text(report: Report) -> str:
    """``3 fouten en 12 waarschuwingen`` (no warnings: ``1 fout``)."""
    parts = [dutch.count(len(report.errors), "error")]
    if report.warnings:
        parts.append(dutch.count(len(report.warnings), "warning"))
    return dutch.join(parts)


def _target_cell(wb: Workbook, finding: Finding) -> tuple[str, str] | None:
    """(sheet, cell) of a finding when both exist in the workbook and the sheet is seen."""
    if not finding.sheet or finding.sheet not in wb.sheetnames or not finding.cell:
        return None
    if wb[finding.sheet].sheet_state != "visible":
        return None
    try:
        coordinate_from_string(finding.cell)
    except ValueError:
        return None
    return finding.sheet, finding.cell


def _mark_cells(wb: Workbook, findings: Sequence[Finding]) -> None:
    for finding in findings:
        place = _target_cell(wb, finding)
        if place is None:
            continue
        cell = wb[place[0]][place[1]]
        error = finding.severity is Severity.ERROR
        if error or cell.fill != ERROR_FILL:  # an error's mark wins over a warning's
            cell.fill = ERROR_FILL if error else WARNING_FILL
            cell.border = ERROR_BORDER if error else WARNING_BORDER
        text = finding.message
        if cell.comment is not None and cell.comment.author == "kwl":
            text = f"{cell.comment.text}\n{text}"
        cell.comment = Comment(text, "kwl", width=300, height=120)


def _write_check_sheet(wb: Workbook, submission: Submission, receipt: Receipt,
                       findings: Sequence[Finding]) -> Worksheet:
    """The sheet *Controle*, like the check macro's: one row per problem, linked."""
    if L.SHEET_CHECK in wb.sheetnames:
        wb.remove(wb[L.SHEET_CHECK])  # a person's own earlier check: replaced by ours
    position = wb.sheetnames.index(L.SHEET_START) + 1 if L.SHEET_START in wb.sheetnames else 0
    ws = wb.create_sheet(L.SHEET_CHECK, position)
    # a sheet without a VBA code name would be given one by its place ("Sheet2"), which a
    # sheet of a returned .xlsm already has: name it, so the check macro can be added again
    taken = {s.sheet_properties.codeName for s in wb.worksheets}
    ws.sheet_properties.codeName = next(f"kwlControle{n or ''}" for n in range(len(taken) + 1)
                                        if f"kwlControle{n or ''}" not in taken)
    ws.sheet_properties.tabColor = ERROR_EDGE
    ws["A1"] = T.ANNOTATE_SHEET_TITLE
    ws["A1"].font = Font(name=FONT_NAME, size=14, bold=True)
    when = received_time(receipt.received_at)
    ws["A2"] = T.ANNOTATE_CHECKED.format(
        when=f"{T.format_date(when.date())} {when:%H:%M}",
        problems=problems_text(submission.report))
    ws["A2"].font = Font(name=FONT_NAME, size=11, bold=True, color=ERROR_EDGE)
    howto = T.ANNOTATE_HOWTO
    if receipt.copies:  # a team workbook received as several copies, annotated as the merge
        howto = T.ANNOTATE_MERGED.format(
            copies=dutch.count(len(receipt.copies) + 1, "copy"),
            files=dutch.join(f"'{c.source}'" for c in receipt.all_copies())) + " " + howto
    ws["A3"] = howto
    ws["A3"].font = Font(name=FONT_NAME, size=11)
    ws["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(_CHECK_WIDTHS))
    ws.row_dimensions[3].height = row_height([howto], [sum(_CHECK_WIDTHS)])
    top = 4
    _header(ws, top, T.ANNOTATE_HEADERS, _CHECK_WIDTHS)
    for r, finding in enumerate(findings, start=top + 1):
        place = _target_cell(wb, finding)
        values = [place[0] if place else (finding.sheet or ""), place[1] if place else "",
                  finding.norm_id or "", T.CLI_SEVERITY[finding.severity.value],
                  finding.message]
        for c, value in enumerate(values, start=1):
            cell = set_value(ws.cell(r, c), value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if place is not None:
            link = ws.cell(r, 2)
            link.hyperlink = Hyperlink(ref=link.coordinate, display=place[1],
                                       location=f"{quote_sheetname(place[0])}!{place[1]}")
            link.style = "Hyperlink"
            link.alignment = Alignment(vertical="top")
        severity = ws.cell(r, 4)
        error = finding.severity is Severity.ERROR
        severity.fill = ERROR_FILL if error else WARNING_FILL
        for c in range(1, len(values) + 1):
            ws.cell(r, c).border = GRID
        ws.row_dimensions[r].height = row_height(values, _CHECK_WIDTHS)
    ws.freeze_panes = ws.cell(top + 1, 1)
    ident = submission.identity
    title = T.KIND_TITLES[ident.kind.value] if ident else T.ANNOTATE_SHEET_TITLE
    print_setup(ws, title_row=top,
                header=(f"{title} – {ident.host}" if ident else title, T.ANNOTATE_SHEET_TITLE),
                footer=(f"{T.LABEL_ASSESSMENT} {ident.assessment_id}" if ident else "",
                        PAGE_OF))
    return ws


def _write_notice(wb: Workbook, report: Report) -> None:
    """The notice at the top of the start sheet, which opens first."""
    start = wb[L.SHEET_START] if L.SHEET_START in wb.sheetnames else wb[L.SHEET_CHECK]
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is start
    wb.active = wb.worksheets.index(start)
    if start.title != L.SHEET_START or not _free_row(start, NOTICE_ROW, 3):
        return  # no place for it: the sheet Controle opens first and says it all
    text = T.ANNOTATE_NOTICE.format(problems=problems_text(report), sheet=L.SHEET_CHECK)
    cell = start.cell(NOTICE_ROW, 1, text)
    cell.font = Font(name=FONT_NAME, size=11, bold=True, color="7A0070")
    cell.fill = NOTICE_FILL
    # no link on it: LibreOffice does not wrap the text of a cell with a link
    cell.alignment = Alignment(wrap_text=True, vertical="center", indent=1)
    start.merge_cells(start_row=NOTICE_ROW, start_column=1, end_row=NOTICE_ROW, end_column=3)
    for column in range(1, 4):
        start.cell(NOTICE_ROW, column).border = ERROR_BORDER
    widths = sum(start.column_dimensions[get_column_letter(c)].width or 13 for c in range(1, 4))
    start.row_dimensions[NOTICE_ROW].height = row_height([text], [widths * 0.9], line=15) + 8


def _free_row(ws: Worksheet, row: int, columns: int) -> bool:
    """True when the first ``columns`` cells of ``row`` are empty and not merged."""
    if any(ws.cell(row, c).value not in (None, "") for c in range(1, columns + 1)):
        return False
    return not any(rng.min_row <= row <= rng.max_row and rng.min_col <= columns
                   for rng in ws.merged_cells.ranges)
