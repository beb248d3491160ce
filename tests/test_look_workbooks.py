"""What people see in every workbook kwl writes (issue 13, the workbooks).

A machine check beside the rendered pages: rows as high as their text and never fixed where
people type, print setups that print readably on A4 (header and footer, repeated header rows,
buttons off paper, 8 pt or more on paper), the grey mirror, a progress that counts only
accepted ratings (through LibreOffice), the dashboard's texts and no tool-speak.

Every workbook is freshly generated here; long texts are typed into copies. Row heights and
the print scale are estimated independently of the writer: characters per column width and
points per width unit as measured for Calibri (Excel) and Carlito (LibreOffice).
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineWorkbook

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office.assessment import Assessment, Kind, Organisation, Variant
from kwl_office.catalogue import Catalogue, load_example_catalogue
from kwl_office.catalogue.xlsx import save_xlsx
from kwl_office.consolidation.model import Advice, Override
from kwl_office.consolidation.rules import consolidate
from kwl_office.consolidation.workbook import write_consolidated
from kwl_office.excel import layout as L
from kwl_office.excel.reader import read_workbook
from kwl_office.register import Register, export_register
from kwl_office.xl import SHEET_MANIFEST, SHEET_STATUS
from kwl_office.xl.dashboard import build_dashboard
from tests.helpers import (
    KEY,
    fill,
    fill_all,
    generate,
    make_round,
    messy_answers,
    row,
    sheet_xml,
    soffice_convert,
)

#: 800 characters of Dutch prose, the length the quality officers tried
LONG = ("Wij zagen in de dossiers dat de sociaal werkers het plan samen met de inwoner "
        "opstellen en regelmatig bijstellen; in twee dossiers ontbrak de evaluatie. " * 6)[:800]

# --- the independent estimates ------------------------------------------------------------------

#: characters of 10 pt Calibri per unit of column width (a unit is 7 pixels)
CHARS_PER_WIDTH = 1.2
#: points per unit of column width: Excel 5.25, LibreOffice with Carlito about 5.55
POINTS_PER_WIDTH = 5.55
#: a line of text is this many times its font size high
LINE = 1.2
A4 = {"portrait": 595.3, "landscape": 841.9}
#: a table longer than this runs onto a second page: its header row must repeat
LONG_TABLE = 12
HEADER_FILLS = {"1F4E79", "375623"}


def needed_lines(text: str, width: float, size: float) -> int:
    """Lines a wrapped text needs: its length over the characters a line holds."""
    per_line = max(width * CHARS_PER_WIDTH * 10 / size, 1)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def column_width(ws: Worksheet, column: int) -> float:
    dimension = ws.column_dimensions.get(get_column_letter(column))
    if dimension is None:
        # one <col min max> for neighbours of the same width (as XlsxWriter writes them):
        # openpyxl keeps it under its first column only
        dimension = next((d for d in ws.column_dimensions.values()
                          if d.min is not None and d.max is not None
                          and d.min <= column <= d.max), None)
    return float(dimension.width) if dimension is not None and dimension.width else 8.43


def merged_widths(ws: Worksheet) -> tuple[dict[str, float], set[str]]:
    """Top-left cell of each merged range → its width; the other cells of the ranges."""
    widths: dict[str, float] = {}
    hidden: set[str] = set()
    for merged in ws.merged_cells.ranges:
        widths[merged.start_cell.coordinate] = sum(
            column_width(ws, c) for c in range(merged.min_col, merged.max_col + 1))
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if (r, c) != (merged.min_row, merged.min_col):
                    hidden.add(f"{get_column_letter(c)}{r}")
    return widths, hidden


def raw_rows(path: Path) -> dict[str, dict[int, dict[str, str]]]:
    """Sheet name → row number → the attributes of its <row> element, as written."""
    return {name: {int(a["r"]): a for a in (dict(re.findall(r'(\w+)="([^"]*)"', r))
                                            for r in re.findall(r"<row\b[^>]*>", xml))}
            for name, xml in sheet_xml(path).items()}


def visible_sheets(path: Path) -> Iterator[tuple[Worksheet, dict[str, float], set[str]]]:
    """Each visible sheet of a workbook, with its merged ranges (see :func:`merged_widths`)."""
    for ws in load_workbook(path).worksheets:
        if ws.sheet_state == "visible":
            yield ws, *merged_widths(ws)


def height_problems(path: Path) -> list[str]:
    """Rows whose text does not fit their height, and rows people type in that are fixed."""
    rows_as_written = raw_rows(path)
    problems = []
    for ws, merged, covered in visible_sheets(path):
        for cells in ws.iter_rows():
            number = cells[0].row
            attrs = rows_as_written[ws.title].get(number, {})
            needed = 0.0
            for cell in cells:
                if cell.coordinate in covered:
                    continue
                if cell.protection.locked is False and attrs.get("customHeight") in ("1", "true"):
                    problems.append(f"{ws.title}!{number}: fixed height on a row to type in")
                text = cell.value
                if not isinstance(text, str) or text.startswith("=") or \
                        not cell.alignment.wrap_text:
                    continue
                size = float(cell.font.sz or 11)
                width = merged.get(cell.coordinate, column_width(ws, cell.column))
                needed = max(needed, needed_lines(text, width, size) * size * LINE)
            height = float(attrs["ht"]) if "ht" in attrs else 15.0
            if needed > height + 0.5:
                problems.append(f"{ws.title}!{number}: {height} pt for {needed:.0f} pt of text")
    return problems


def effective_points(ws: Worksheet) -> float:
    """The smallest text on paper: the smallest font of the printed cells x the scale that
    fit-to-width chooses (printable width of the page over the width of the columns)."""
    if ws.print_area:
        first, _, last, last_row = range_boundaries(ws.print_area.split("!")[-1].replace("$", ""))
    else:
        first, last, last_row = 1, ws.max_column, ws.max_row
    assert first is not None and last is not None and last_row is not None
    orientation = ws.page_setup.orientation or "portrait"
    printable = A4[orientation] - 72 * (ws.page_margins.left + ws.page_margins.right)
    width = sum(column_width(ws, c) for c in range(first, last + 1)) * POINTS_PER_WIDTH
    scale = min(1.0, printable / width)
    sizes = [float(cell.font.sz or 11) for cells in ws.iter_rows(max_row=last_row,
                                                                  min_col=first, max_col=last)
             for cell in cells if cell.value not in (None, "")]
    return min(sizes) * scale


def header_rows(ws: Worksheet) -> list[tuple[int, int]]:
    """(row, data rows below it) of every table header in the house colours."""
    found = []
    for cells in ws.iter_rows():
        filled = [c for c in cells if c.value and str(c.fill.fgColor.rgb)[-6:] in HEADER_FILLS]
        if len(filled) >= 2:
            found.append(cells[0].row)
    tables = []
    for index, top in enumerate(found):
        end = found[index + 1] if index + 1 < len(found) else ws.max_row + 1
        tables.append((top, sum(1 for r in range(top + 1, end) if ws.cell(r, 1).value)))
    return tables


def type_text(path: Path, sheet: str, coordinate: str, text: str, out: Path) -> Path:
    """``text`` typed into an empty cell, changing nothing else (openpyxl would turn every
    row height into a fixed one on saving)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    target = next(name for name, attrs in _sheet_names(parts).items() if attrs == sheet)
    xml = parts[target].decode()
    pattern = re.compile(rf'<c r="{coordinate}"( s="\d+")?( t="\w+")?(/>|></c>)')
    assert pattern.search(xml), coordinate
    parts[target] = pattern.sub(
        lambda m: f'<c r="{coordinate}"{m.group(1) or ""} t="inlineStr"><is><t>'
                  f"{escape(text)}</t></is></c>", xml, count=1).encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out


def _sheet_names(parts: dict[str, bytes]) -> dict[str, str]:
    book = parts["xl/workbook.xml"].decode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    targets = {}
    for rel in re.findall(r"<Relationship\b[^>]*>", rels):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', rel))
        target = attrs["Target"].lstrip("/")
        targets[attrs["Id"]] = target if target.startswith("xl/") else f"xl/{target}"
    return {targets[a["r:id"]]: a["name"] for a in (
        dict(re.findall(r'([\w:]+)="([^"]*)"', s)) for s in re.findall(r"<sheet\b[^>]*>", book))}


# --- the workbooks ------------------------------------------------------------------------------


@dataclass
class Books:
    catalogue: Catalogue
    paths: dict[str, Path]


#: reviewers' names with words longer than a reviewer's column is wide at first: the matrix
#: widens their columns rather than print "Welzijnsorgan" / "isatie"
LONG_WORDED = ("Welzijnsorganisatie Zuidoost-Brabant (fictief)",
               "Buurtwerkorganisatie Oost (fictief)")


def _consolidated(folder: Path, catalogue: Catalogue, reviewers: int, *,
                  in_round: bool = False, names: Sequence[str] = ()) -> Path:
    ids = [n.id for n in catalogue.norms()]
    submissions = []
    for i in range(reviewers):
        path = generate(folder / f"peer-{reviewers}-{i}.xlsx", Kind.PEER, catalogue,
                        reviewer=names[i] if i < len(names)
                        else f"Collega-organisatie {i + 1} (fictief)")
        typed, _ = messy_answers(catalogue, Kind.PEER, ids[i:] + ids[:i])
        typed[ids[2]]["comment_review"] = LONG
        fill(path, typed)
        submissions.append(read_workbook(path, catalogue, key=KEY))
    variant = Variant.AUDIT if reviewers == 1 else Variant.PEER_REVIEW
    assessment = Assessment(id="2026-014", host="Stichting Welzijn Oost (fictief)",
                            variant=variant, scope="hele organisatie")
    result = consolidate(catalogue, assessment, submissions, [
        Override(norm_id=ids[0], rating="D", motivation=LONG),
        Override(norm_id=ids[1], rating="N", motivation=LONG[:300])])
    # a returned workbook with two problems, as the consolidation reports it
    bad = generate(folder / f"fout-{reviewers}.xlsx", Kind.PEER, catalogue,
                   reviewer="Te laat (fictief)")
    fill(bad, {ids[0]: {"rating": "goed"}, ids[1]: {"rating": "prima"}})
    result.findings = [*read_workbook(bad, catalogue, key=KEY).report.findings, *result.findings]
    name = f"geconsolideerd-{reviewers}{'-ronde' if in_round else ''}.xlsx"
    return write_consolidated(folder / name, result, catalogue, in_round=in_round)


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Books:
    folder = tmp_path_factory.mktemp("werkmappen")
    catalogue = load_example_catalogue()
    ids = [n.id for n in catalogue.norms()]
    selfeval = generate(folder / "zelfevaluatie.xlsx", Kind.SELF_EVALUATION,
                        deadline=date(2027, 1, 15))
    filled = fill(selfeval, {norm: {"rating": "V", "comment_self": LONG} for norm in ids},
                  folder / "zelfevaluatie-ingevuld.xlsx")
    mirror = read_workbook(filled, catalogue, key=KEY)
    paths = {
        "zelfevaluatie": selfeval,
        "peer": generate(folder / "peer.xlsx", Kind.PEER),
        "audit": generate(folder / "audit.xlsx", Kind.AUDIT),
        "audit-onderscheidend": generate(folder / "audit-ond.xlsx", Kind.AUDIT,
                                         distinctive_only=True),
        "peer-spiegel": generate(folder / "peer-spiegel.xlsx", Kind.PEER, mirror=mirror),
        "audit-spiegel": generate(folder / "audit-spiegel.xlsx", Kind.AUDIT, mirror=mirror),
        "zelfevaluatie.xlsm": generate(folder / "zelfevaluatie.xlsm", Kind.SELF_EVALUATION,
                                       macros=True),
        "peer.xlsm": generate(folder / "peer.xlsm", Kind.PEER, macros=True),
        "geconsolideerd-1": _consolidated(folder, catalogue, 1),
        "geconsolideerd-3": _consolidated(folder, catalogue, 3, names=LONG_WORDED),
        "geconsolideerd-5": _consolidated(folder, catalogue, 5, in_round=True),
        "normenkader": save_xlsx(catalogue, folder / "normenkader.xlsx"),
    }
    with Register(folder / "register.sqlite") as register:
        for number in range(1, 4):
            register.record(
                assessment_id=f"2026-{number:03d}",
                organisation=Organisation(name=f"Stichting Welzijn en Zorg Regio {number} "
                                               "(fictief)"),
                variant=Variant.AUDIT, scope="" if number == 1 else "Team Wijkwerk Centrum",
                kind=Advice.CERTIFICATE, granted_on=date(2026, 3, number),
                valid_until=date(2029, 3, number), round="2026")
        paths["register"] = export_register(register, folder / "register.xlsx", "xlsx",
                                            today=date(2026, 6, 1))
    return Books(catalogue, paths)


WORKBOOKS = ["zelfevaluatie", "peer", "audit", "audit-onderscheidend", "peer-spiegel",
             "audit-spiegel", "zelfevaluatie.xlsm", "peer.xlsm", "geconsolideerd-1",
             "geconsolideerd-3", "geconsolideerd-5", "normenkader", "register"]
FILLED_IN = ["zelfevaluatie", "peer", "audit", "peer-spiegel", "zelfevaluatie.xlsm"]


@pytest.fixture
def dashboard(tmp_path: Path) -> Path:
    folder = make_round(tmp_path / "ronde", [
        row("2026-001", "Stichting Welzijn Oost (fictief)", "intercollegiaal",
            "Sociaal Werk Noord (fictief); Buurtwerk Zuid (fictief)"),
        row("2026-002", "Wijkkracht (fictief)", "audit", ci="CI Kwaliteit (fictief)")])
    return build_dashboard(folder.root)


# --- rows as high as their text -----------------------------------------------------------------


@pytest.mark.parametrize("name", WORKBOOKS)
def test_every_row_fits_its_text_and_rows_to_type_in_are_never_fixed(books: Books,
                                                                    name: str) -> None:
    assert height_problems(books.paths[name]) == []


@pytest.mark.parametrize("name", FILLED_IN)
def test_a_long_text_typed_in_grows_its_row(books: Books, name: str, tmp_path: Path) -> None:
    """Typed text is measured by Excel and LibreOffice themselves, on a row that is not fixed:
    every input column of a norm row gets 800 characters, and no such row is fixed."""
    path = books.paths[name]
    wb = load_workbook(path)
    kind = Kind.SELF_EVALUATION if "zelf" in name else Kind.PEER
    sheet = wb[L.domain_sheet_name(books.catalogue.domains[0])]
    columns = L.columns_for(kind, mirror="spiegel" in name)
    typed = path
    coordinates = []
    for index, column in enumerate(columns, start=1):
        if column.role is L.Role.TEXT:
            coordinates.append(f"{get_column_letter(index)}{L.FIRST_DATA_ROW}")
            typed = type_text(typed, sheet.title, coordinates[-1], LONG,
                              tmp_path / f"getypt-{index}{path.suffix}")
    assert [load_workbook(typed)[sheet.title][c].value for c in coordinates] == [LONG] * 3
    attrs = raw_rows(typed)[sheet.title]
    assert attrs[L.FIRST_DATA_ROW].get("customHeight") not in ("1", "true")
    norm_rows = [a for r, a in attrs.items() if r >= L.FIRST_DATA_ROW]
    assert norm_rows and all(a.get("customHeight") not in ("1", "true") for a in norm_rows)


def test_the_mirror_and_the_consolidated_texts_get_the_height_they_need(books: Books) -> None:
    """The texts the writer puts in itself (an 800-character self-evaluation beside a norm,
    an 800-character motivation in the matrix) get a written height that holds them."""
    wb = load_workbook(books.paths["peer-spiegel"])
    sheet = wb[L.domain_sheet_name(books.catalogue.domains[0])]
    height = raw_rows(books.paths["peer-spiegel"])[sheet.title][L.FIRST_DATA_ROW]
    width = next(c.width for c in L.columns_for(Kind.PEER, mirror=True)
                 if c.key == "self_comment")
    assert float(height["ht"]) >= needed_lines(LONG, width, 10) * 10 * LINE
    matrix = raw_rows(books.paths["geconsolideerd-3"])[L.SHEET_MATRIX]
    assert float(matrix[L.CONSOLIDATED_FIRST_DATA_ROW]["ht"]) >= needed_lines(
        LONG, L.MATRIX_MOTIVATION.width, 10) * 10 * LINE


# --- header labels ---------------------------------------------------------------------------

#: bold text is about a tenth wider than regular
BOLD = 0.9
#: the grey header of the mirror's columns, beside the house header fills
MIRROR_HEADER_FILL = "7F7F7F"


def broken_headers(path: Path) -> list[str]:
    """Header cells with a word longer than their column holds: Excel and LibreOffice then
    break it inside the word ("Kwaliteitswaard" / "e"). Both break after a hyphen."""
    found = []
    for ws, merged, covered in visible_sheets(path):
        for cells in ws.iter_rows():
            for cell in cells:
                if (not isinstance(cell.value, str) or cell.coordinate in covered
                        or str(cell.fill.fgColor.rgb)[-6:] not in {*HEADER_FILLS,
                                                                   MIRROR_HEADER_FILL}):
                    continue
                width = merged.get(cell.coordinate) or column_width(ws, cell.column)
                size = float(cell.font.sz or 11)
                per_line = width * CHARS_PER_WIDTH * 10 / size * (BOLD if cell.font.b else 1)
                longest = max(re.findall(r"[^\s-]+-?", cell.value), key=len, default="")
                if len(longest) > per_line:
                    found.append(f"{ws.title}!{cell.coordinate} {longest!r} in {width:g}")
    return found


@pytest.mark.parametrize("name", WORKBOOKS)
def test_header_labels_break_only_between_words(books: Books, name: str) -> None:
    assert broken_headers(books.paths[name]) == []


# --- print ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", WORKBOOKS)
def test_every_sheet_prints_readably_on_a4(books: Books, name: str) -> None:
    wb = load_workbook(books.paths[name])
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        setup = ws.page_setup
        assert int(setup.paperSize) == int(ws.PAPERSIZE_A4), ws.title
        assert setup.orientation in ("landscape", "portrait"), ws.title
        assert setup.fitToWidth == 1 and setup.fitToHeight == 0, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        # a title at the top of every page, the page number at the bottom
        assert ws.oddHeader.left.text and ws.oddHeader.right.text, ws.title
        assert "&P" in str(ws.oddFooter.right.text) and "&N" in str(ws.oddFooter.right.text)
        assert effective_points(ws) >= 8.0, (ws.title, round(effective_points(ws), 2))


@pytest.mark.parametrize("name", WORKBOOKS)
def test_a_long_table_repeats_its_header_row(books: Books, name: str) -> None:
    wb = load_workbook(books.paths[name])
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        for top, rows in header_rows(ws):
            if rows > LONG_TABLE:
                assert ws.print_title_rows == f"${top}:${top}", (ws.title, top, rows)


def test_domain_sheets_print_landscape_with_the_header_row_on_every_page(books: Books) -> None:
    for name in ("zelfevaluatie", "peer-spiegel", "audit-onderscheidend"):
        wb = load_workbook(books.paths[name])
        sheets = [ws for ws in wb.worksheets if ws.title not in L.NON_NORM_SHEETS]
        assert sheets
        for ws in sheets:
            assert ws.page_setup.orientation == "landscape"
            assert ws.print_title_rows == f"${L.HEADER_ROW}:${L.HEADER_ROW}"
        start = wb[L.SHEET_START]
        assert start.page_setup.orientation == "portrait" and start.print_area


@pytest.mark.parametrize("name", ["zelfevaluatie.xlsm", "peer.xlsm"])
def test_buttons_stay_off_paper(books: Books, name: str) -> None:
    """The buttons are marked not to print (Excel) and lie outside the start sheet's print
    area (LibreOffice prints shapes regardless of the mark, and they widened the page)."""
    path = books.paths[name]
    with zipfile.ZipFile(path) as archive:
        drawings = [archive.read(n).decode() for n in archive.namelist()
                    if n.startswith("xl/drawings/") and n.endswith(".xml")]
    anchors = [a for d in drawings for a in re.findall(
        r"<xdr:twoCellAnchor\b.*?</xdr:twoCellAnchor>", d, re.DOTALL)]
    assert len(anchors) == 2
    area = load_workbook(path)[L.SHEET_START].print_area
    _, _, last_column, _ = range_boundaries(area.split("!")[-1].replace("$", ""))
    for anchor in anchors:
        assert 'fPrintsWithSheet="0"' in anchor
        first = int(re.search(r"<xdr:from><xdr:col>(\d+)</xdr:col>", anchor).group(1))
        assert first + 1 > last_column  # 0-based anchor column right of the print area


def test_the_dashboard_buttons_are_marked_not_to_print(dashboard: Path) -> None:
    with zipfile.ZipFile(dashboard) as archive:
        drawing = next(archive.read(n).decode() for n in archive.namelist()
                       if n.startswith("xl/drawings/") and n.endswith(".xml"))
    assert drawing.count("<xdr:clientData") == drawing.count('fPrintsWithSheet="0"') == 4


# --- the mirror, the progress --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["peer-spiegel", "audit-spiegel"])
def test_the_mirror_is_grey_and_locked(books: Books, name: str) -> None:
    wb = load_workbook(books.paths[name])
    columns = L.columns_for(Kind.PEER, mirror=True)
    mirror = [i for i, c in enumerate(columns, start=1) if c.role is L.Role.MIRROR]
    scale_colours = {level.colour.upper() for level in books.catalogue.scale}
    shown = 0
    for domain in books.catalogue.domains:
        ws = wb[L.domain_sheet_name(domain)]
        for rule_range in ws.conditional_formatting:
            for cells in rule_range.sqref.ranges:
                assert not set(range(cells.min_col, cells.max_col + 1)) & set(mirror), \
                    f"{ws.title}: coloured mirror {cells.coord}"
        for row_number in range(L.FIRST_DATA_ROW, ws.max_row + 1):
            for column in mirror:
                cell = ws.cell(row_number, column)
                if cell.value is None:
                    continue
                shown += 1
                fill = str(cell.fill.fgColor.rgb)[-6:].upper()
                text = str(cell.font.color.rgb)[-6:].upper()
                assert fill not in scale_colours and fill == "EDEDED", cell.coordinate
                # grey text, readable on the grey fill
                assert text[:2] == text[2:4] == text[4:] and int(text[:2], 16) <= 0x60
                assert cell.protection.locked
    assert shown >= 2 * len(list(books.catalogue.norms()))


@pytest.mark.soffice
def test_progress_counts_only_accepted_ratings(books: Books, tmp_path: Path) -> None:
    """LibreOffice recalculates the formulas on opening: 'goed' is not a rating, the dropdown
    values and the reader's other spellings are."""
    catalogue = books.catalogue
    ids = [n.id for n in catalogue.norms()]
    path = fill_all(generate(tmp_path / "peer.xlsx", Kind.PEER), catalogue, rating="Voldoet",
                    out=tmp_path / "ingevuld.xlsx")
    fill(path, {ids[0]: {"rating": "goed"}, ids[1]: {"rating": " VOLDOET DEELS "},
                ids[2]: {"rating": "n.v.t."}, ids[3]: {"rating": None}})
    converted = soffice_convert(path, tmp_path / "lo", "xlsx:Calc MS Excel 2007 XML",
                                tmp_path / "profiel")
    book = CalamineWorkbook.from_path(str(converted))
    overview = book.get_sheet_by_name(L.SHEET_OVERVIEW).to_python()
    header = overview[3]
    total = next(r for r in overview if r and r[0] == T.OVERVIEW_TOTAL)
    counts = dict(zip(header, total, strict=False))
    rated = len(ids) - 2  # 'goed' and the empty one are open
    assert counts[T.OVERVIEW_RATED] == rated
    assert counts[T.OVERVIEW_OPEN] == 2
    assert sum(counts[level.label] for level in catalogue.scale) == rated
    start = [str(v) for r in book.get_sheet_by_name(L.SHEET_START).to_python() for v in r]
    assert f"{rated} {T.PROGRESS_OF} {len(ids)} {T.PROGRESS_SUFFIX}" in start


# --- words ---------------------------------------------------------------------------------------

#: tool-speak the quality officers found, besides the glossary's avoided spellings
TOOL_SPEAK = ("(ci)", "(CI)", "voor hele organisatie", "(versie voorbeeld)", "(versie ",
              "consensusoverleg", "Inleveren vóór", "Reikwijdte")


def workbook_texts(path: Path) -> list[str]:
    """Every text a person can read in a workbook: cells, notes, page headers and footers,
    dropdown prompts and messages."""
    wb = load_workbook(path)
    texts = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        for cells in ws.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                if cell.comment is not None:
                    texts.append(cell.comment.text)
        for part in (ws.oddHeader.left, ws.oddHeader.right, ws.oddFooter.left,
                     ws.oddFooter.right):
            texts.append(str(part.text or ""))
        for validation in ws.data_validations.dataValidation:
            texts += [validation.prompt or "", validation.error or ""]
    return texts


@pytest.mark.parametrize("name", [n for n in WORKBOOKS if n != "normenkader"])
def test_no_tool_speak_in_the_workbooks(books: Books, name: str) -> None:
    texts = "\n".join(t for t in workbook_texts(books.paths[name]) if t != LONG)
    for avoided in (*dutch.AVOIDED, *TOOL_SPEAK):
        assert avoided not in texts, avoided


def test_the_start_sheet_names_the_catalogue_once(books: Books) -> None:
    catalogue = books.catalogue
    texts = workbook_texts(books.paths["audit"])
    assert T.catalogue_name(catalogue.title, catalogue.version) in texts
    assert T.LABEL_DEADLINE == "Inleverdatum"
    sorting = [t for t in texts if "orteren" in t]
    # filtering is promised, sorting (impossible on a protected sheet) is not
    assert sorting and all("Sorteren kan niet" in t for t in sorting)


def test_the_consolidated_workbook_names_the_next_step_for_where_it_was_made(
        books: Books) -> None:
    alone = "\n".join(workbook_texts(books.paths["geconsolideerd-3"]))
    in_round = "\n".join(workbook_texts(books.paths["geconsolideerd-5"]))
    assert "kwl consolidate" in alone and "kwl round report" not in alone
    assert "kwl round report" in in_round and "kwl consolidate" not in in_round
    assert T.CONS_HEADERS["disagreements"] == "Verschillen van inzicht"
    assert T.scope_name("hele organisatie") in in_round


def test_dashboard_tables_have_their_own_subtitle_numbers_apart_and_protection(
        dashboard: Path) -> None:
    wb = load_workbook(dashboard, keep_vba=True)
    for name, subtitle in ((SHEET_STATUS, T.DASH_STATUS_SUBTITLE),
                           (SHEET_MANIFEST, T.DASH_MANIFEST_SUBTITLE)):
        ws = wb[name]
        assert ws["A2"].value == subtitle != T.DASH_SUBTITLE
        # read only, as the title says; filtering still works
        assert ws.protection.sheet and not ws.protection.autoFilter
        for cells in ws.iter_rows(min_row=5):
            for cell in cells:
                if isinstance(cell.value, int):
                    # a count is centred in its own cell, never run into the text beside it
                    assert cell.alignment.horizontal == "center", cell.coordinate
                elif isinstance(cell.value, str):
                    assert cell.alignment.wrap_text, cell.coordinate
    texts = "\n".join(workbook_texts(dashboard))
    for avoided in (*dutch.AVOIDED, *TOOL_SPEAK):
        assert avoided not in texts, avoided
    assert T.DASH_SUBTITLE in texts  # once, on the front sheet
    assert texts.count(T.DASH_SUBTITLE) == 1


# --- LibreOffice grows a row while people type ----------------------------------------------------

_TYPE_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1"
 script:language="StarBasic">
Sub TypeAndSave(sIn As String, sSheet As String, sCell As String, sText As String, sOut As String)
    Dim load(0) As New com.sun.star.beans.PropertyValue
    load(0).Name = "Hidden" : load(0).Value = True
    oDoc = StarDesktop.loadComponentFromURL(ConvertToURL(sIn), "_blank", 0, load())
    oSheet = oDoc.Sheets.getByName(sSheet)
    oSheet.unprotect("")
    oSheet.getCellRangeByName(sCell).setString(sText)
    Dim save(0) As New com.sun.star.beans.PropertyValue
    save(0).Name = "FilterName" : save(0).Value = "Calc MS Excel 2007 XML"
    oDoc.storeToURL(ConvertToURL(sOut), save())
    oDoc.close(True)
End Sub
</script:module>
"""


@pytest.mark.soffice
def test_libreoffice_grows_a_row_as_text_is_typed(books: Books, tmp_path: Path) -> None:
    """Typing into a cell through LibreOffice's own API (as its editor does) grows a row the
    writer left unfixed; the same row fixed (customHeight, as before issue 13) does not."""
    import subprocess

    from tests.helpers import soffice

    source = books.paths["peer"]
    fixed = tmp_path / "vast.xlsx"
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(fixed, "w") as out:
        for item in archive.infolist():
            data = archive.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'(<row r="\d+" ht="[\d.]+")', rb'\1 customHeight="1"', data)
            out.writestr(item, data)
    profile = tmp_path / "profiel"
    soffice_convert(source, tmp_path / "eerst", "pdf", profile)  # makes the profile
    library = profile / "user" / "basic" / "Standard"
    assert (library / "script.xlb").exists()
    (library / "Module1.xba").write_text(_TYPE_MACRO.replace("&", "&amp;"), encoding="utf-8")
    sheet = L.domain_sheet_name(books.catalogue.domains[0])
    column = next(i for i, c in enumerate(L.columns_for(Kind.PEER), start=1)
                  if c.key == "comment_review")
    cell = f"{get_column_letter(column)}{L.FIRST_DATA_ROW}"
    heights = {}
    for name, path in (("vrij", source), ("vast", fixed)):
        out = tmp_path / f"{name}-getypt.xlsx"
        call = (f'macro:///Standard.Module1.TypeAndSave("{path}","{sheet}","{cell}",'
                f'"{LONG}","{out}")')
        exe = soffice()
        assert exe is not None
        subprocess.run([exe, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
                        call], check=True, capture_output=True, timeout=180)
        values = CalamineWorkbook.from_path(str(out)).get_sheet_by_name(sheet).to_python()
        assert values[L.FIRST_DATA_ROW - 1][column - 1] == LONG
        heights[name] = float(raw_rows(out)[sheet][L.FIRST_DATA_ROW]["ht"])
    before = float(raw_rows(source)[sheet][L.FIRST_DATA_ROW]["ht"])
    width = L.columns_for(Kind.PEER)[column - 1].width
    # LibreOffice measures with the font it has (without Calibri or Carlito a wider one, in
    # wider columns): the row grows to about what the text needs, far beyond its hint
    needed = needed_lines(LONG, width, 10) * 10 * LINE
    assert heights["vrij"] >= 0.75 * needed and heights["vrij"] > before + 100
    assert heights["vast"] == pytest.approx(before, abs=1)


def test_a_workbook_opened_and_saved_again_can_keep_its_rows_growing(books: Books,
                                                                    tmp_path: Path) -> None:
    """openpyxl fixes every row height it saves again (an annotated copy, a test's filled
    workbook); release_row_heights turns them back into hints, heights kept."""
    from kwl_office.excel.style import release_row_heights

    source = books.paths["peer"]
    sheet = L.domain_sheet_name(books.catalogue.domains[0])
    wb = load_workbook(source)
    wb.save(tmp_path / "vast.xlsx")
    fixed = raw_rows(tmp_path / "vast.xlsx")[sheet]
    assert fixed[L.FIRST_DATA_ROW].get("customHeight") == "1"  # what openpyxl does
    for ws in wb.worksheets:
        release_row_heights(ws)
    wb.save(tmp_path / "vrij.xlsx")
    released = raw_rows(tmp_path / "vrij.xlsx")[sheet]
    assert all(a.get("customHeight") is None for a in released.values())
    assert {r: a.get("ht") for r, a in released.items()} == {
        r: a.get("ht") for r, a in raw_rows(source)[sheet].items()}
