"""What people see in a shared team workbook (issue 14): the checks of
``tests/test_look_workbooks.py`` for team workbooks of two and four reviewers (long names),
with and without the mirror, plus what only a team workbook has: the "Ingevuld door" row, a
start sheet that lists the team, and domain headings that never end a printed page.

Every workbook is freshly generated; long texts are typed into copies without touching the
row heights (openpyxl would fix them all on saving)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind
from kwl_office.catalogue import Catalogue, load_example_catalogue
from kwl_office.excel import layout as L
from kwl_office.excel.reader import read_workbook
from kwl_office.excel.writer import WorkbookSpec, write_workbook
from tests.helpers import ASSESSMENT, HOST, KEY, TEAM, fill, generate, soffice_convert
from tests.test_look_workbooks import (
    LINE,
    LONG,
    effective_points,
    height_problems,
    needed_lines,
    raw_rows,
    type_text,
)

#: four organisations with names as long as real ones get
LONG_TEAM = (
    "Stichting Maatschappelijke Dienstverlening Rivierenland en Omstreken (fictief)",
    "Buurtwerk Zuid (fictief)",
    "Welzijn West",
    "Coöperatie Sociaal Werk Amsterdam-Noord en Zaanstreek (fictief)",
)


@dataclass
class TeamBooks:
    catalogue: Catalogue
    paths: dict[str, Path]
    teams: dict[str, tuple[str, ...]]


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> TeamBooks:
    folder = tmp_path_factory.mktemp("team")
    catalogue = load_example_catalogue()
    selfeval = generate(folder / "zelfevaluatie.xlsx", Kind.SELF_EVALUATION)
    fill(selfeval, {n.id: {"rating": "V", "comment_self": LONG} for n in catalogue.norms()})
    mirror = read_workbook(selfeval, catalogue, key=KEY)
    teams = {"team-2": TEAM[:2], "team-2-spiegel": TEAM[:2], "team-4": LONG_TEAM,
             "team-4-spiegel": LONG_TEAM}
    paths = {}
    for name, team in teams.items():
        paths[name] = folder / f"{name}.xlsx"
        write_workbook(
            paths[name],
            WorkbookSpec(kind=Kind.PEER, assessment_id=ASSESSMENT, host=HOST, reviewers=team),
            catalogue, key=KEY, mirror=mirror if "spiegel" in name else None)
    return TeamBooks(catalogue, paths, teams)


NAMES = ["team-2", "team-2-spiegel", "team-4", "team-4-spiegel"]


def norm_sheets(wb: object) -> list[Worksheet]:
    """The reviewers' sheets and the team sheet: the sheets with an "Ingevuld door" row."""
    return [ws for ws in wb.worksheets  # type: ignore[attr-defined]
            if ws.cell(L.TEAM_OWNER_ROW, 1).value == T.TEAM_OWNER_LABEL]


def heading_rows(ws: Worksheet) -> list[int]:
    """The domain heading rows: a text in the norm text column, no norm id."""
    text = next(c.column for c in ws[L.HEADER_ROW] if c.value == L.NORM_TEXT.label)
    return [r for r in range(L.FIRST_DATA_ROW, ws.max_row + 1)
            if ws.cell(r, 1).value is None and ws.cell(r, text).value]


# --- rows as high as their text ------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_row_fits_its_text_and_rows_to_type_in_are_never_fixed(books: TeamBooks,
                                                                    name: str) -> None:
    """Also the "Ingevuld door" row with a long organisation name, and the start sheet's
    list of four long names."""
    assert height_problems(books.paths[name]) == []


@pytest.mark.parametrize("name", NAMES)
def test_long_names_wrap_instead_of_running_off_the_page(books: TeamBooks, name: str) -> None:
    wb = load_workbook(books.paths[name])
    start = wb[L.SHEET_START]
    reviewers = next(r for r in range(1, start.max_row + 1)
                     if start.cell(r, 1).value == T.LABEL_REVIEWERS)
    assert start.cell(reviewers, 2).alignment.wrap_text
    assert start["A3"].alignment.wrap_text and "A3:C3" in str(start.merged_cells)
    for ws in norm_sheets(wb):
        owner = ws.cell(L.TEAM_OWNER_ROW, 3)
        assert owner.alignment.wrap_text, ws.title
        assert f"C{L.TEAM_OWNER_ROW}:" in str(ws.merged_cells), ws.title
    # the closing note names what the reader goes by in a team workbook
    notes = [c.value for c in start["A"] if isinstance(c.value, str)]
    assert T.TEAM_RETURN_NOTE in notes and T.RETURN_NOTE not in notes


@pytest.mark.parametrize("name", ["team-2", "team-4-spiegel"])
def test_800_characters_typed_in_grow_their_rows(books: TeamBooks, name: str,
                                                 tmp_path: Path) -> None:
    """Findings of 800 characters on a reviewer's sheet and both texts of the team sheet:
    the rows stay unfixed, so Excel and LibreOffice grow them, and the columns are wide
    enough that 800 characters fit the highest row Excel allows."""
    path = books.paths[name]
    wb = load_workbook(path)
    typed = path
    coordinates = []
    for ws in norm_sheets(wb):
        for cell in ws[L.HEADER_ROW]:
            column = next((c for c in (*L.team_review_columns(mirror="spiegel" in name),
                                       *L.team_sheet_columns()) if c.label == cell.value), None)
            if column is None or column.role is not L.Role.TEXT:
                continue
            assert needed_lines(LONG, column.width, 10) * 10 * LINE <= 409, column.key
            coordinate = f"{get_column_letter(cell.column)}{L.FIRST_DATA_ROW + 1}"
            coordinates.append((ws.title, coordinate))
            typed = type_text(typed, ws.title, coordinates[-1][1], LONG,
                              tmp_path / f"getypt-{len(coordinates)}.xlsx")
    # findings on every reviewer's sheet, two texts on the team sheet
    assert len(coordinates) == len(books.teams[name]) + 2
    result = load_workbook(typed)
    assert all(result[sheet][cell].value == LONG for sheet, cell in coordinates)
    rows = raw_rows(typed)
    for ws in norm_sheets(wb):
        assert all(a.get("customHeight") not in ("1", "true")
                   for r, a in rows[ws.title].items() if r >= L.FIRST_DATA_ROW), ws.title


# --- print ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_sheet_prints_readably_on_a4(books: TeamBooks, name: str) -> None:
    """A4, fit to width, header and footer on every sheet, 8 pt or more on paper; the
    reviewers' and the team sheet landscape with their header row on every page."""
    wb = load_workbook(books.paths[name])
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        setup = ws.page_setup
        assert int(setup.paperSize) == int(ws.PAPERSIZE_A4), ws.title
        assert setup.fitToWidth == 1 and setup.fitToHeight == 0, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.oddHeader.left.text and ws.oddHeader.right.text, ws.title
        assert "&P" in str(ws.oddFooter.right.text) and "&N" in str(ws.oddFooter.right.text)
        assert effective_points(ws) >= 8.0, (ws.title, round(effective_points(ws), 2))
    sheets = norm_sheets(wb)
    assert len(sheets) == len(books.teams[name]) + 1  # every reviewer and the team
    for ws in sheets:
        assert setup_of(ws) == ("landscape", f"${L.HEADER_ROW}:${L.HEADER_ROW}"), ws.title


def setup_of(ws: Worksheet) -> tuple[str | None, str | None]:
    return ws.page_setup.orientation, ws.print_title_rows


@pytest.mark.parametrize("name", NAMES)
def test_every_domain_after_the_first_starts_a_new_page(books: TeamBooks, name: str) -> None:
    """Neither Excel nor LibreOffice keeps a row with the next: a page break before each
    domain heading keeps a heading from ending a page alone."""
    wb = load_workbook(books.paths[name])
    for ws in norm_sheets(wb):
        headings = heading_rows(ws)
        assert len(headings) == len(books.catalogue.domains), ws.title
        assert headings[0] == L.FIRST_DATA_ROW
        assert sorted(b.id for b in ws.row_breaks.brk) == [r - 1 for r in headings[1:]]


@pytest.mark.soffice
def test_printed_through_libreoffice_no_heading_ends_a_page(books: TeamBooks,
                                                           tmp_path: Path) -> None:
    """Rendered with 800 characters typed into the first reviewer's findings of every norm:
    no page ends with a domain heading, and the rating scale of the start sheet is on one
    page."""
    import subprocess

    path = books.paths["team-4-spiegel"]
    wb = load_workbook(path)
    first = norm_sheets(wb)[0]
    column = next(c.column for c in first[L.HEADER_ROW]
                  if c.value == T.HEADERS["comment_review"])
    typed = path
    for number, row in enumerate(r for r in range(L.FIRST_DATA_ROW, first.max_row + 1)
                                 if first.cell(r, 1).value):
        typed = type_text(typed, first.title, f"{get_column_letter(column)}{row}", LONG,
                          tmp_path / f"getypt-{number}.xlsx")
    pdf = soffice_convert(typed, tmp_path / "pdf", "pdf", tmp_path / "profiel")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    domains = [d.title for d in books.catalogue.domains]
    pages = [page for page in text.split("\f") if page.strip()]
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        body = [line for line in lines if not re.match(r"Toetsing .*Pagina", line)]
        assert body and not any(body[-1].startswith(d) for d in domains), (number, body[-1:])
    legend = [number for number, page in enumerate(pages) if T.HEADING_LEGEND in page]
    levels = [level.label for level in books.catalogue.scale]
    assert legend and all(level in pages[legend[0]] for level in levels)
