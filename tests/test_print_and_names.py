"""Long names on printed workbooks, control characters in names on the command line, and
wide or right-to-left names in the console tables of the round.

A long organisation name (a realistic one of 80 characters, or 300 letters) must not change
how a workbook prints: the subtitle under each sheet's title and the names on the start sheet
wrap within the printed columns, and the norm sheets print only their table (before, the
unwrapped subtitle widened the printed page and fit-to-width shrank every page). Workbooks are
written as ``kwl workbook`` writes them (in full) and as a round issues them (stamped); the
widths text needs are estimated independently of the writer (see test_look_workbooks).
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.excel import layout as L
from kwl_office.excel.stamp import WorkbookStamper
from kwl_office.excel.writer import WorkbookSpec, write_workbook
from tests.helpers import KEY, make_round, row, soffice_convert
from tests.test_look_workbooks import (
    CHARS_PER_WIDTH,
    column_width,
    effective_points,
    height_problems,
    merged_widths,
)
from tests.test_stamp import assert_same

SHORT = ("Welzijn Oost", "Noord")
#: as the user tester typed them: real organisations are called like this
REALISTIC = ("Stichting Welzijn en Maatschappelijke Dienstverlening Gooi en Vechtstreek",
             "Stichting Maatschappelijke Dienstverlening Midden-Nederland en Omstreken (fictief)")
LETTERS_300 = ("Welzijn Oost (fictief)", "Noord " + "x" * 300)
NAMES = {"kort": SHORT, "realistisch": REALISTIC, "300 letters": LETTERS_300}


def _spec(kind: Kind, names: tuple[str, str]) -> WorkbookSpec:
    host, reviewer = names
    return WorkbookSpec(kind=kind, assessment_id="2026-014", host=host,
                        reviewer="" if kind is Kind.SELF_EVALUATION else reviewer)


def _text_width(text: str, size: float) -> float:
    """Column widths an unwrapped text takes (Calibri, independent of the writer)."""
    return len(text) / CHARS_PER_WIDTH * size / 10


def overflow_problems(ws: Worksheet) -> list[str]:
    """Texts that run past the printed columns, and a norm sheet that prints more than its
    table. An unwrapped text overflows into the columns to its right: it must end within the
    print area, or fit-to-width shrinks the whole page (or the text runs off it). Wrapped texts
    stay in their cell (test_look_workbooks' height_problems checks that their row fits)."""
    if not ws.print_area:
        return [f"{ws.title}: no print area"]
    first, top, last, bottom = range_boundaries(ws.print_area.split("!")[-1].replace("$", ""))
    assert first is not None and last is not None and top is not None and bottom is not None
    problems = []
    merged, covered = merged_widths(ws)
    for cells in ws.iter_rows(min_row=top, max_row=bottom, min_col=first, max_col=last):
        for cell in cells:
            text = cell.value
            if not isinstance(text, str) or text.startswith("=") or cell.alignment.wrap_text \
                    or cell.coordinate in covered:
                continue
            # a merged cell clips its text; a single one lets it run on to the print edge
            room = merged.get(cell.coordinate) or sum(
                column_width(ws, c) for c in range(cell.column, last + 1))
            needed = _text_width(text, float(cell.font.sz or 11))
            if needed > room + 0.5:
                problems.append(f"{ws.title}!{cell.coordinate}: {needed:.0f} for {room:.0f}")
    if ws.print_title_rows == f"${L.HEADER_ROW}:${L.HEADER_ROW}":  # a table with a header row
        header = max(c.column for c in ws[L.HEADER_ROW] if c.value)
        if (first, last) != (1, header):
            problems.append(f"{ws.title}: prints columns {first}-{last}, the table 1-{header}")
    return problems


def _write(tmp_path: Path, catalogue: Catalogue, kind: Kind, names: tuple[str, str],
           stamped: bool) -> Path:
    path = tmp_path / f"{kind.value}.xlsx"
    spec = _spec(kind, names)
    if stamped:
        WorkbookStamper(catalogue).write(path, spec, key=KEY)
    else:
        write_workbook(path, spec, catalogue, key=KEY)
    return path


@pytest.mark.parametrize("stamped", [False, True], ids=["kwl-workbook", "ronde"])
@pytest.mark.parametrize("names", list(NAMES.values()), ids=list(NAMES))
@pytest.mark.parametrize("kind", [Kind.PEER, Kind.SELF_EVALUATION, Kind.AUDIT])
def test_a_long_name_wraps_within_the_printed_table(tmp_path: Path, catalogue: Catalogue,
                                                    kind: Kind, names: tuple[str, str],
                                                    stamped: bool) -> None:
    path = _write(tmp_path, catalogue, kind, names, stamped)
    wb = load_workbook(path)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        assert overflow_problems(ws) == []
        # the text on paper stays as large as the layout promises, whatever the name
        assert effective_points(ws) >= 8.0, ws.title
    assert height_problems(path) == []
    # the whole name is there, wrapped: on the start sheet and under every sheet's title
    start = wb[L.SHEET_START]
    shown = [c.value for r in start.iter_rows(max_col=2) for c in r]
    assert names[0] in shown and (kind is Kind.SELF_EVALUATION or names[1] in shown)
    for ws in wb.worksheets[1:]:
        if ws.sheet_state == "visible":
            assert names[0] in str(ws["A2"].value) and ws["A2"].alignment.wrap_text, ws.title


@pytest.mark.parametrize("names", [*NAMES.values(), (REALISTIC[0], "Noord")],
                         ids=[*NAMES, "lange organisatie"])
@pytest.mark.parametrize("kind", [Kind.PEER, Kind.AUDIT])
def test_a_stamped_workbook_with_a_long_name_is_the_full_build(
        tmp_path: Path, catalogue: Catalogue, kind: Kind, names: tuple[str, str]) -> None:
    """Rows that wrap a name are as high as it needs, also where it takes more or fewer lines
    than the stamper's placeholders: the round's stamped workbook equals the one ``kwl
    workbook`` builds in full, and wraps its names."""
    spec = _spec(kind, names)
    stamped = assert_same(tmp_path, WorkbookStamper(catalogue), catalogue, spec)
    wb = load_workbook(stamped)
    for ws in wb.worksheets:
        if ws.sheet_state == "visible":
            assert overflow_problems(ws) == [], ws.title


def test_a_team_workbook_with_long_names_prints_its_tables_only(tmp_path: Path,
                                                               catalogue: Catalogue) -> None:
    path = tmp_path / "team.xlsx"
    write_workbook(path, WorkbookSpec(kind=Kind.PEER, assessment_id="2026-014",
                                      host=REALISTIC[0], reviewers=(REALISTIC[1], "Zuid")),
                   catalogue, key=KEY)
    for ws in load_workbook(path).worksheets:
        if ws.sheet_state == "visible":
            assert overflow_problems(ws) == [], ws.title
    assert height_problems(path) == []


def _glyph_heights(pdf: Path, page: int, word: str) -> list[float]:
    bbox = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf),
                           "-"], check=True, capture_output=True, text=True).stdout
    return [float(bottom) - float(top) for top, bottom in re.findall(
        rf'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">{word}</word>', bbox)]


def _right_edge(pdf: Path, page: int) -> tuple[float, float]:
    bbox = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf),
                           "-"], check=True, capture_output=True, text=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', bbox).group(1))  # type: ignore[union-attr]
    return max(float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)), width


@pytest.mark.soffice
def test_printed_through_libreoffice_a_long_name_shrinks_nothing(tmp_path: Path,
                                                                 catalogue: Catalogue) -> None:
    """A peer workbook with a short, a realistic and a 300-letter name, rendered: the norm
    sheet's header ("Normtekst") is printed as large with the long names as with the short
    one, and the start sheet's name stays on the page."""
    heights = {}
    for label, names in NAMES.items():
        folder = tmp_path / label.replace(" ", "-")
        folder.mkdir()
        path = _write(folder, catalogue, Kind.PEER, names, stamped=False)
        pdf = soffice_convert(path, folder / "pdf", "pdf", tmp_path / "profiel")
        found = _glyph_heights(pdf, 2, T.HEADERS["norm_text"])
        assert found, label
        heights[label] = found[0]
        right, width = _right_edge(pdf, 1)
        assert right <= width - 0.2 * 72, (label, right, width)  # inside the side margin
    # 10 pt text at 8.5 pt or more: the glyph box of DejaVu/Carlito is about its size
    assert min(heights.values()) >= 0.98 * heights["kort"], heights


# --- names on the command line ---------------------------------------------------------------


def _kwl(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


ESCAPE_NAME = "West\x1b[31mROOD\x07"


@pytest.mark.parametrize(("command", "option", "extra"), [
    ("selfeval", "--host", []),
    ("peer", "--host", ["--reviewer", "Noord"]),
    ("peer", "--reviewer", ["--host", "Welzijn Oost"]),
    ("audit", "--reviewer", ["--host", "Welzijn Oost"]),
    ("team", "--reviewer", ["--host", "Welzijn Oost", "--reviewer", "Noord"]),
])
@pytest.mark.parametrize(("name", "shown"), [(ESCAPE_NAME, "\\x1b"), ("Zuid\x85", "\\x85"),
                                             ("Zuid_x001B_", "_x001B_"),
                                             ("Zuid\udc85", "\\x85")],
                         ids=["escape", "c1", "excel-escape", "no-utf8"])
def test_a_name_with_a_control_character_is_refused(tmp_path: Path, key_file: Path,
                                                    command: str, option: str,
                                                    extra: list[str], name: str,
                                                    shown: str) -> None:
    """As the manifest refuses it (manifest-control-character): not silently left out, so
    that ``West[31mROOD`` would be the name in the workbook and in every document. Bytes that
    are no UTF-8 (a terminal in another encoding) are refused too, instead of a traceback."""
    out = tmp_path / "werkmap.xlsx"
    result = _kwl("workbook", command, "--assessment", "2026-014", *extra, option, name,
                  "--key", str(key_file), "-o", str(out))
    assert result.exit_code == 2, result.output
    assert not out.exists()
    errors = [line for line in result.output.splitlines() if line.startswith("Fout:")]
    assert len(errors) == 1 and f"'{option}'" in errors[0] and f"({shown})" in errors[0]
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "Traceback" not in result.output


def test_only_control_characters_are_refused(tmp_path: Path, key_file: Path) -> None:
    """A tab (made a space), an emoji and Arabic letters are part of a name; the escape is
    not."""
    for number, (host, code) in enumerate([(ESCAPE_NAME, 2), ("Welzijn\tOost", 0),
                                           ("Buurtkracht 🏠 مركز", 0)]):
        out = tmp_path / f"{number}.xlsx"
        result = _kwl("workbook", "selfeval", "--assessment", "2026-014", "--host", host,
                      "--key", str(key_file), "-o", str(out))
        assert (result.exit_code, out.exists()) == (code, code == 0), result.output


# --- wide and right-to-left names in the round's tables ---------------------------------------


def cells(text: str) -> int:
    """Terminal cells of a text: East Asian wide and full-width characters take two,
    combining marks and invisible format characters none."""
    return sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf")
               else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


HOSTS = ["Welzijn Oost (fictief)", "Buurtkracht 🏠 مركز (fictief)", "社区中心 Noord (fictief)",
         "مركز الرعاية الاجتماعية", "Stichting 🏠🏠🏠🏠 Maatschappelijke Dienstverlening Midden"]


@pytest.fixture
def hostile_round(tmp_path: Path) -> Path:
    folder = make_round(tmp_path / "ronde", [
        row(f"2026-{number:03d}", host, "audit", ci="CI Kwaliteit (fictief)")
        for number, host in enumerate(HOSTS, start=1)])
    return folder.root


def _rows(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(r"2026-00\d ", line)]


def _column_after_name(line: str, following: str) -> int:
    """The terminal cell where the column after the name (``following``) starts."""
    return cells(line[:line.index(f" {following} ") + 1])


@pytest.mark.parametrize("command", ["status", "report"])
def test_wide_and_right_to_left_names_keep_the_columns_in_line(hostile_round: Path,
                                                              command: str) -> None:
    result = _kwl("round", command, str(hostile_round))
    lines = _rows(result.output)
    assert len(lines) == len(HOSTS), result.output
    following = "audit" if command == "status" else T.REPORT_WAITING
    columns = {_column_after_name(line, following) for line in lines}
    assert len(columns) == 1, "\n".join(lines)
    for line, host in zip(lines, HOSTS, strict=True):
        right_to_left = any(unicodedata.bidirectional(c) in ("R", "AL") for c in host)
        # a right-to-left name is isolated, so the terminal never moves the columns after it
        assert ("\u2068" in line and "\u2069" in line) is right_to_left, line
        if right_to_left:
            inside = line[line.index("\u2068") + 1:line.index("\u2069")]
            assert inside.rstrip("…") in host, line
            assert line.index("\u2069") < line.index(f" {following} "), line
