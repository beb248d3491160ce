"""Exports of the Kwaliteitsregister: xlsx and csv for the secretariat, html for the public.

Untrusted names never become formulas (xlsx: text cells; csv: formula prefixes neutralised)
and never markup (html: escaped). A withdrawn entry shows its withdrawal, never a validity.
"""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date
from pathlib import Path

from kwl_office import texts_nl as T
from kwl_office.atomic import save_atomic, write_bytes_atomic, write_text_atomic
from kwl_office.errors import InvalidArgument
from kwl_office.kinds import ExportFormat, Status
from kwl_office.names import name_key
from kwl_office.register.store import Entry, Register, number_order

# --- exports ---------------------------------------------------------------------------------

#: the columns of the secretariat's exports (xlsx, csv); the public HTML shows the first eight
_COLUMNS = ("organisation", "number", "kind", "variant", "scope", "granted_on", "valid_until",
            "status", "withdrawn_on", "assessment", "round")
_PUBLIC_COLUMNS = _COLUMNS[:8]
#: column widths: 168 characters, so that the sheet prints on A4 landscape at 8.5 pt or more
_WIDTHS = {"organisation": 28, "number": 16, "kind": 12, "variant": 24, "scope": 20,
           "granted_on": 12, "valid_until": 12, "status": 11, "withdrawn_on": 12,
           "assessment": 11, "round": 10}
_DATE_COLUMNS = {"granted_on", "valid_until", "withdrawn_on"}
_FORMULA_PREFIXES = ("=", "+", "-", "@")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _cells(entry: Entry) -> dict[str, str | date | None]:
    return {
        "organisation": entry.organisation.name,
        "number": entry.number,
        "kind": T.REGISTER_KIND_LABELS[entry.kind.value],
        "variant": T.VARIANT_LABELS[entry.variant.value],
        "scope": T.scope_name(entry.scope),
        "granted_on": entry.granted_on,
        # a withdrawn entry is not valid until any date: the column stays, empty
        "valid_until": None if entry.status is Status.WITHDRAWN else entry.valid_until,
        "status": T.REGISTER_STATUS_LABELS[entry.status.value],
        "withdrawn_on": entry.withdrawn_on,
        "assessment": entry.assessment_id,
        "round": entry.round,
    }


def _by_organisation(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (name_key(e.organisation.name),
                                          number_order(e.number)))


def neutralise_csv_cell(text: str) -> str:
    """Prefix ``'`` to text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``,
    also after leading spaces or tabs), and drop control characters."""
    text = _CONTROL_RE.sub("", text)
    if text.lstrip(" \t\r\n").startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text


def export_register(register: Register, path: str | Path, fmt: ExportFormat, *,
                    today: date | None = None) -> Path:
    """Write the register to ``path`` as ``xlsx``, ``csv`` or ``html``, atomically.

    Status is computed on ``today`` (default: the current date). Rows are sorted by
    organisation. The HTML page is the public listing; xlsx and csv add the columns the
    secretariat needs (withdrawn on, assessment, round).
    """
    today = today or date.today()
    entries = _by_organisation(register.entries(today=today))
    if fmt == "csv":
        return write_bytes_atomic(path, _csv_bytes(entries))
    if fmt == "html":
        return write_text_atomic(path, _html_page(entries, today))
    if fmt == "xlsx":
        return _write_xlsx(path, entries)
    raise InvalidArgument(T.REGISTER_UNKNOWN_FORMAT.format(fmt=fmt))


def _csv_bytes(entries: list[Entry]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([T.REGISTER_HEADERS[c] for c in _COLUMNS])
    for entry in entries:
        row = []
        for value in _cells(entry).values():
            if isinstance(value, date):
                row.append(value.isoformat())
            else:
                row.append(neutralise_csv_cell(value or ""))
        writer.writerow(row)
    # the BOM makes Excel read UTF-8 (é, ë) instead of the ANSI code page
    return buffer.getvalue().encode("utf-8-sig")


_CSS = """
:root { --brand: #1f4e79; --light: #ddebf7; --line: #d0d7de; --text: #1f2328; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Segoe UI", Calibri, Arial, sans-serif; color: var(--text);
       background: #fff; line-height: 1.45; }
header { background: var(--brand); color: #fff; padding: 1.5rem 2rem; }
header h1 { margin: 0; font-size: 1.6rem; font-weight: 600; }
main { padding: 1.5rem 2rem 2rem; max-width: 90rem; }
p.intro { max-width: 48rem; margin-top: 0; }
p.asof { color: #57606a; font-size: .95rem; }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th { background: var(--brand); color: #fff; text-align: left; font-weight: 600;
     padding: .55rem .7rem; white-space: nowrap; }
td { padding: .5rem .7rem; border-bottom: 1px solid var(--line); vertical-align: top; }
tbody tr:nth-child(even) { background: #f6f8fa; }
td.nowrap { white-space: nowrap; }
.status { display: inline-block; padding: .1rem .55rem; border-radius: 1rem; font-size: .85rem;
          white-space: nowrap; }
.status-actief { background: #dafbe1; color: #116329; }
.status-verlopen { background: #fff1c2; color: #7d4e00; }
.status-ingetrokken { background: #ffebe9; color: #a40e26; }
footer { color: #57606a; font-size: .85rem; padding: 0 2rem 2rem; }
@media print { header { background: none; color: var(--brand); }
               th { background: none; color: var(--brand); border-bottom: 2px solid; } }
"""


def _esc(text: str) -> str:
    return html.escape(_CONTROL_RE.sub("", text), quote=True)


def _html_page(entries: list[Entry], today: date) -> str:
    head = "".join(f"<th scope=\"col\">{_esc(T.REGISTER_HEADERS[c])}</th>"
                   for c in _PUBLIC_COLUMNS)
    rows = []
    for entry in entries:
        cells = _cells(entry)
        tds = []
        for column in _PUBLIC_COLUMNS:
            value = cells[column]
            if column == "status":
                if entry.status is Status.WITHDRAWN and entry.withdrawn_on is not None:
                    value = T.REGISTER_HTML_WITHDRAWN.format(
                        date=T.format_date(entry.withdrawn_on))
                tds.append(f"<td><span class=\"status status-{entry.status.value}\">"
                           f"{_esc(str(value))}</span></td>")
            elif column == "valid_until" and entry.status is Status.WITHDRAWN:
                # a withdrawn entry is not valid until any date: never show one publicly
                tds.append("<td class=\"nowrap\">–</td>")
            elif isinstance(value, date):
                tds.append(f"<td class=\"nowrap\">{_esc(T.format_date(value))}</td>")
            elif column == "number":
                tds.append(f"<td class=\"nowrap\">{_esc(str(value))}</td>")
            else:
                tds.append(f"<td>{_esc(str(value or ''))}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    active = sum(e.status is Status.ACTIVE for e in entries)
    if rows:
        body = (f"<div class=\"table\"><table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
                + "\n".join(rows) + "\n</tbody>\n</table></div>")
    else:
        body = f"<p>{_esc(T.REGISTER_HTML_EMPTY)}</p>"
    title = _esc(T.REGISTER_TITLE)
    as_of = _esc(T.REGISTER_HTML_AS_OF.format(date=T.format_date(today), count=len(entries),
                                              active=active))
    return (
        "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{title}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<header><h1>{title}</h1></header>\n<main>\n"
        f"<p class=\"intro\">{_esc(T.REGISTER_HTML_INTRO)}</p>\n"
        f"<p class=\"asof\">{as_of}</p>\n{body}\n</main>\n"
        f"<footer>{_esc(T.REGISTER_HTML_FOOTER)}</footer>\n</body>\n</html>\n"
    )


def _write_xlsx(path: str | Path, entries: list[Entry]) -> Path:
    # imported here: recording in worker processes should not pay for openpyxl
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from kwl_office.excel.cells import set_value
    from kwl_office.excel.style import (
        BODY_FONT,
        GRID,
        WRAP_TOP,
        fit_row_height,
        header_cells,
        lines_height,
        print_setup,
        text_lines,
    )

    book = Workbook()
    sheet = book.active
    sheet.title = T.REGISTER_SHEET
    header_cells(sheet, 1, [T.REGISTER_HEADERS[c] for c in _COLUMNS],
                 widths=[_WIDTHS[c] for c in _COLUMNS])
    fit_row_height(sheet, 1, lines_height(max(
        text_lines(T.REGISTER_HEADERS[c], _WIDTHS[c], bold=True) for c in _COLUMNS)))
    for row, entry in enumerate(entries, start=2):
        lines = 1
        for col, (column, value) in enumerate(_cells(entry).items(), start=1):
            # untrusted names go in as text, never as a formula
            cell = set_value(sheet.cell(row=row, column=col), value)
            cell.font, cell.border, cell.alignment = BODY_FONT, GRID, WRAP_TOP
            if column in _DATE_COLUMNS:
                cell.number_format = "DD-MM-YYYY"
            elif isinstance(value, str):
                lines = max(lines, text_lines(value, _WIDTHS[column]))
        # a hint for LibreOffice, which does not measure rows on opening
        fit_row_height(sheet, row, lines_height(lines))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(_COLUMNS))}{max(len(entries) + 1, 1)}"
    print_setup(sheet, title_row=1, header=(T.REGISTER_TITLE, T.REGISTER_SHEET))
    # in memory first: openpyxl's half-written ZipFile on a full disk would fail again when
    # collected, a traceback after our own message
    return save_atomic(path, book.save)
