"""Macro-enabled workbooks: the VBA of ``macros/`` plus labelled buttons that run it.

The VBA project is built with pyOpenVBA (pure Python, no Office needed): the project Excel
makes for a first macro (a document module per sheet) plus our standard modules, their code
taken verbatim from the ``.bas`` files. A button is a DrawingML shape with an assigned macro
(the ``macro`` attribute Excel writes for *Assign Macro*): it needs no ActiveX or form
controls, prints and converts like any shape, and Excel runs its macro on a click even on a
protected sheet.

Only the package changes: content types (macro-enabled workbook, drawing), the drawing part
and its relationships, and ``xl/vbaProject.bin``; every other part stays as it was written.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr, unescape

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from pyopenvba import ExcelFile

from kwl_office import texts_nl as T
from kwl_office.excel import layout as L
from kwl_office.names import normalise_token

MACRO_WORKBOOK_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
PLAIN_WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
DRAWING_TYPE = "application/vnd.openxmlformats-officedocument.drawing+xml"
_DRAWING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#: worksheet children that must come after <drawing> (ECMA-376 CT_Worksheet order)
_AFTER_DRAWING = ("legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects",
                  "controls", "webPublishItems", "tableParts", "extLst")
_ATTRIBUTE_LINE = re.compile(r"^Attribute VB_\w+\s*=.*$", re.MULTILINE)
#: the VBA code name of a sheet, in its <sheetPr> element
_SHEET_CODE_NAME = re.compile(rb'(?<=<sheetPr)([^>]*?) codeName="[^"]*"')


@dataclass(frozen=True)
class Button:
    """A labelled button on a sheet: ``macro`` runs on a click.

    ``cells`` is the area it covers, as 0-based (first column, first row, last column,
    last row); the button keeps its size when columns are resized. ``start`` moves its left
    edge that many EMU into the first column; ``end``, when set, puts its right edge that many
    EMU into the last column instead of at that column's right edge (two buttons can so share
    columns).
    """

    text: str
    macro: str
    cells: tuple[int, int, int, int]
    colour: str = "1F4E79"
    description: str = ""
    start: int = 0
    end: int | None = None


#: EMU per screen pixel, and the pixels of one unit of column width (Calibri 11: 7 pixels a
#: character plus 5 of padding)
_EMU_PER_PIXEL = 9525
_PIXELS_PER_WIDTH = 7
_WIDTH_PADDING = 5
_OWNER_TOKEN = normalise_token(T.TEAM_OWNER_LABEL)


def team_sheet_buttons(wb: Workbook) -> dict[str, tuple[Button, ...]]:
    """The buttons of each reviewer's sheet in a team workbook: "Controleer dit blad" and
    "Volgende open norm" side by side in the "Ingevuld door" row, over the rating and
    findings columns (right of the owner's name; the row stays in view when scrolling). A
    person filling one sheet of a shared file so checks and walks their own sheet. Sheets
    without an owner row (every sheet of a workbook of one reviewer) get none."""
    found = {}
    for ws in wb.worksheets:
        if ws.title in L.NON_NORM_SHEETS or ws.title.startswith("_"):
            continue
        place = _owner_and_rating(ws)
        if place is not None:
            found[ws.title] = _split_buttons(ws, *place)
    return found


def _owner_and_rating(ws: Worksheet) -> tuple[int, int] | None:
    """(owner row, rating column), both 1-based, of a reviewer's sheet; None otherwise."""
    owner_row = rating_column = None
    for cells in ws.iter_rows(max_row=L.HEADER_SCAN_ROWS):
        for cell in cells:
            value = cell.value
            if not isinstance(value, str) or len(value) >= 60:
                continue
            token = normalise_token(value)
            if token == _OWNER_TOKEN and owner_row is None:
                owner_row = cell.row
            elif token == L.RATING.token and rating_column is None:
                rating_column = cell.column
    if owner_row is None or rating_column is None:
        return None
    return owner_row, rating_column


def _split_buttons(ws: Worksheet, row: int, rating: int) -> tuple[Button, ...]:
    """Two buttons sharing the rating column and the one right of it, split in the middle."""
    first = rating - 1  # 0-based, as Button counts
    widths = [_column_pixels(ws, first + 1), _column_pixels(ws, first + 2)]
    # the check button's label is the longer one
    middle = sum(widths) * 11 // 20
    gap = 3

    def at(pixels: int) -> tuple[int, int]:
        """(0-based column, EMU offset) of a point ``pixels`` right of the rating column."""
        if pixels < widths[0]:
            return first, pixels * _EMU_PER_PIXEL
        return first + 1, (pixels - widths[0]) * _EMU_PER_PIXEL

    left_end_col, left_end = at(middle - gap)
    right_col, right_start = at(middle + gap)
    return (
        Button(T.BUTTON_CHECK_SHEET, "ControleerDitBlad", (first, row - 1, left_end_col, row - 1),
               description=T.BUTTON_CHECK_SHEET_HELP, start=gap * _EMU_PER_PIXEL, end=left_end),
        Button(T.BUTTON_NEXT_OPEN, "VolgendeOpen", (right_col, row - 1, first + 1, row - 1),
               colour="2E75B6", description=T.BUTTON_NEXT_OPEN_SHEET_HELP, start=right_start,
               end=(widths[1] - gap) * _EMU_PER_PIXEL),
    )


def _column_pixels(ws: Worksheet, column: int) -> int:
    width = ws.column_dimensions[get_column_letter(column)].width or 8.43
    return int(width * _PIXELS_PER_WIDTH + _WIDTH_PADDING)


def macros_folder() -> Path:
    """The folder with the VBA sources (inside the installed package, or the source tree)."""
    packaged = Path(str(resources.files("kwl_office"))) / "_shipped" / "macros"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "macros"


def vba_source(module: str) -> str:
    """The text of ``macros/<module>.bas`` as kept in the repository."""
    return (macros_folder() / f"{module}.bas").read_text(encoding="utf-8")


def module_code(source: str) -> str:
    """The code of a ``.bas`` file as it lives in the VBA project: without the ``Attribute``
    lines the editor hides, with Windows line ends."""
    lines = _ATTRIBUTE_LINE.sub("", source).replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\r\n".join(line.rstrip() for line in lines).rstrip() + "\r\n"


def make_macro_enabled(package: bytes, modules: Sequence[str],
                       buttons: Mapping[str, Sequence[Button]]) -> bytes:
    """The ``.xlsm`` package of an ``.xlsx`` package, with the ``macros/`` modules named in
    ``modules`` and the buttons per sheet name."""
    parts = _read(package)
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        PLAIN_WORKBOOK_TYPE.encode(), MACRO_WORKBOOK_TYPE.encode())
    sheets = _sheet_parts(parts)
    for part in sheets.values():
        # code names of an earlier VBA project (a returned .xlsm opened and saved again, a
        # sheet added since) would clash with the ones the new project gives every sheet
        parts[part] = _SHEET_CODE_NAME.sub(rb"\1", parts[part])
    for number, (sheet, sheet_buttons) in enumerate(buttons.items(), start=1):
        _add_buttons(parts, sheets[sheet], f"xl/drawings/kwlknoppen{number}.xml", sheet_buttons)
    with tempfile.TemporaryDirectory(prefix="kwl-macro-") as tmp:
        path = Path(tmp) / "werkmap.xlsm"
        path.write_bytes(_write(parts))
        with ExcelFile(str(path)) as book:
            project = book.add_vba_project()
            for module in modules:
                project.add_module(module, module_code(vba_source(module)))
            book.save()
        return path.read_bytes()


# --- package parts ---------------------------------------------------------------------------


def _read(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write(parts: Mapping[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _sheet_parts(parts: Mapping[str, bytes]) -> dict[str, str]:
    """Sheet name → its part name, from workbook.xml and its relationships."""
    workbook = parts["xl/workbook.xml"].decode("utf-8")
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    targets = {}
    for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', rel.group(0)))
        target = attrs["Target"].lstrip("/")
        targets[attrs["Id"]] = target if target.startswith("xl/") else f"xl/{target}"
    sheets = {}
    for sheet in re.finditer(r"<sheet\b[^>]*>", workbook):
        attrs = dict(re.findall(r'([\w:]+)="([^"]*)"', sheet.group(0)))
        sheets[unescape(attrs["name"], {"&quot;": '"', "&apos;": "'"})] = targets[attrs["r:id"]]
    return sheets


def _add_buttons(parts: dict[str, bytes], sheet: str, drawing: str,
                 buttons: Sequence[Button]) -> None:
    parts[drawing] = _drawing_xml(buttons).encode("utf-8")
    folder, name = sheet.rsplit("/", 1)
    rels_name = f"{folder}/_rels/{name}.rels"
    rel_id = "rIdKwlKnoppen"
    relationship = (f'<Relationship Id="{rel_id}" Type="{_DRAWING_REL}" '
                    f'Target="/{drawing}"/>').encode()
    if rels_name in parts:
        parts[rels_name] = parts[rels_name].replace(b"</Relationships>",
                                                    relationship + b"</Relationships>")
    else:
        parts[rels_name] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                            b'<Relationships xmlns="http://schemas.openxmlformats.org/'
                            b'package/2006/relationships">' + relationship + b"</Relationships>")
    xml = parts[sheet].decode("utf-8")
    element = f'<drawing xmlns:r="{_REL_NS}" r:id="{rel_id}"/>'
    positions = [m.start() for tag in _AFTER_DRAWING
                 if (m := re.search(rf"<{tag}\b", xml)) is not None]
    at = min(positions) if positions else xml.rindex("</worksheet>")
    parts[sheet] = (xml[:at] + element + xml[at:]).encode("utf-8")
    types = parts["[Content_Types].xml"]
    parts["[Content_Types].xml"] = types.replace(
        b"</Types>", f'<Override PartName="/{drawing}" ContentType="{DRAWING_TYPE}"/>'
        f"</Types>".encode())


def _drawing_xml(buttons: Sequence[Button]) -> str:
    anchors = []
    for number, button in enumerate(buttons, start=2):
        first_col, first_row, last_col, last_row = button.cells
        to_col, to_offset = (last_col + 1, 0) if button.end is None else (last_col, button.end)
        anchors.append(
            '<xdr:twoCellAnchor editAs="absolute">'
            f"<xdr:from><xdr:col>{first_col}</xdr:col><xdr:colOff>{button.start}</xdr:colOff>"
            f"<xdr:row>{first_row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
            f"<xdr:to><xdr:col>{to_col}</xdr:col><xdr:colOff>{to_offset}</xdr:colOff>"
            f"<xdr:row>{last_row + 1}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
            f'<xdr:sp macro={quoteattr("[0]!" + button.macro)} textlink="">'
            f'<xdr:nvSpPr><xdr:cNvPr id="{number}" name={quoteattr(button.text)} '
            f"descr={quoteattr(button.description or button.text)}/>"
            '<xdr:cNvSpPr/></xdr:nvSpPr>'
            '<xdr:spPr><a:prstGeom prst="roundRect"><a:avLst/></a:prstGeom>'
            f'<a:solidFill><a:srgbClr val="{button.colour}"/></a:solidFill>'
            "<a:ln><a:noFill/></a:ln></xdr:spPr>"
            '<xdr:txBody><a:bodyPr vertOverflow="clip" horzOverflow="clip" wrap="square" '
            'lIns="36000" rIns="36000" rtlCol="0" anchor="ctr"/><a:lstStyle/>'
            '<a:p><a:pPr algn="ctr"/><a:r><a:rPr lang="nl-NL" sz="1100" b="1">'
            '<a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>'
            '<a:latin typeface="Calibri"/></a:rPr>'
            f"<a:t>{escape(button.text)}</a:t></a:r></a:p></xdr:txBody></xdr:sp>"
            # buttons are for the screen: they stay off paper and out of PDFs
            "<xdr:clientData fPrintsWithSheet=\"0\"/></xdr:twoCellAnchor>")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/'
            'spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/'
            f'main">{"".join(anchors)}</xdr:wsDr>')
