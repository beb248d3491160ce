"""geconsolideerd.xlsx written with XlsxWriter (issue 16): the structural facts that keep it
what it was with openpyxl – heights as hints, widths as laid out, text never a formula, the
page headers intact – and a consensus meeting's file read back through a second round.

How it looks is tested in test_consolidated_workbook.py and test_look_workbooks.py; speed
is measured in benchmarks/bench_consolidated.py, never here.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kwl_office.catalogue import Catalogue, load_example_catalogue
from kwl_office.consolidation.model import Consolidation
from kwl_office.consolidation.overrides import read_overrides
from kwl_office.consolidation.workbook import write_consolidated
from kwl_office.documents.examples import example_consolidation
from kwl_office.excel import layout as L
from kwl_office.excel.style import level_match_formula
from tests.helpers import sheet_xml


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_example_catalogue()


def test_rows_are_height_hints_and_columns_as_laid_out(catalogue: Catalogue,
                                                       tmp_path: Path) -> None:
    path = write_consolidated(tmp_path / "g.xlsx", example_consolidation(catalogue), catalogue)
    sheets = sheet_xml(path)
    assert set(sheets) >= {L.SHEET_SUMMARY, L.SHEET_MATRIX, L.SHEET_DOMAINS}
    for name, xml in sheets.items():
        # never a fixed height: Excel and LibreOffice grow a row people type in
        assert "customHeight" not in xml.split("<sheetData>")[-1], name
    # the heights as computed (points, not rounded to pixels): the title rows
    matrix = dict(re.findall(r'<row r="(\d+)"[^>]*? ht="([\d.]+)"', sheets[L.SHEET_MATRIX]))
    assert (matrix["1"], matrix["2"]) == ("26", "18")
    assert any("." in ht and float(ht) * 4 / 3 % 1 for ht in matrix.values())
    # the widths as laid out (XlsxWriter would round them to pixels and add padding)
    ws = load_workbook(path)[L.SHEET_SUMMARY]
    widths = {d.min: d.width for d in ws.column_dimensions.values() if d.min}
    assert [widths[i] for i in range(1, len(L.FINDINGS_COLUMNS) + 1)] == [
        col.width for col in L.FINDINGS_COLUMNS]
    # protected as openpyxl protected it: notes and the chart not locked, the matrix
    # filterable
    wb = load_workbook(path)
    # what the meeting types is coloured in any spelling: one formula per level, as written
    rules = [rule.formula[0] for cf in wb[L.SHEET_MATRIX].conditional_formatting
             for rule in cf.rules]
    final = ws_final_column(wb[L.SHEET_MATRIX])
    assert rules == [level_match_formula(f"${final}{L.CONSOLIDATED_FIRST_DATA_ROW}", level)
                     for level in catalogue.scale]
    assert not wb[L.SHEET_DOMAINS].protection.objects
    assert wb[L.SHEET_DOMAINS].protection.formatColumns
    assert not wb[L.SHEET_MATRIX].protection.formatColumns


def ws_final_column(ws: Worksheet) -> str:
    """The letter of the matrix's Eindoordeel column."""
    header = [c.value for c in ws[L.CONSOLIDATED_HEADER_ROW]]
    return get_column_letter(header.index(L.MATRIX_FINAL.label) + 1)


def _with_override(consolidation: Consolidation, host: str, motivation: str
                   ) -> tuple[Consolidation, str]:
    """The consolidation of another host with its first norm overridden to 'D'."""
    norm_id = next(iter(consolidation.norms))
    norms = dict(consolidation.norms)
    norms[norm_id] = norms[norm_id].model_copy(update={
        "overridden": True, "consensus": "D", "motivation": motivation})
    return consolidation.model_copy(update={"host": host, "norms": norms}), norm_id


def test_text_stays_text_and_headers_keep_their_ampersand(catalogue: Catalogue,
                                                          tmp_path: Path) -> None:
    """A motivation that starts with "=" is text, a control character is dropped, and an
    organisation called "Zorg&Gezin" keeps its page header ("&G" is a picture code to
    XlsxWriter, "&&G" a literal "&G" to Excel)."""
    changed, norm_id = _with_override(example_consolidation(catalogue), "Zorg&Gezin (fictief)",
                                      "=1+1\x07 is geen bewijs")
    path = write_consolidated(tmp_path / "g.xlsx", changed, catalogue)
    ws = load_workbook(path)[L.SHEET_MATRIX]
    header = [c.value for c in ws[L.CONSOLIDATED_HEADER_ROW]]
    row = next(r for r in ws.iter_rows(min_row=L.CONSOLIDATED_FIRST_DATA_ROW)
               if r[0].value == norm_id)
    motivation = row[header.index(L.MATRIX_MOTIVATION.label)]
    assert motivation.value == "=1+1 is geen bewijs" and motivation.data_type == "s"
    for sheet in load_workbook(path).worksheets:
        if sheet.sheet_state == "visible":
            assert "Zorg&&Gezin (fictief)" in str(sheet.oddHeader.left.text), sheet.title
    overrides, report = read_overrides(path, catalogue, assessment_id=changed.assessment_id)
    assert report.findings == []
    assert [(o.norm_id, o.rating, o.motivation) for o in overrides] == [
        (norm_id, "D", "=1+1 is geen bewijs")]


def test_the_overrides_of_an_earlier_file_carry_into_the_next(catalogue: Catalogue,
                                                             tmp_path: Path) -> None:
    """A round reads the overrides from the file it wrote before (here saved again by
    openpyxl, as a file from before this writer is) and writes them pre-filled into the new
    one, which reads back the same."""
    changed, norm_id = _with_override(example_consolidation(catalogue), "Wijkkracht (fictief)",
                                      "Besproken in het overleg")
    earlier = write_consolidated(tmp_path / "eerder.xlsx", changed, catalogue)
    wb = load_workbook(earlier)
    wb.save(tmp_path / "opgeslagen.xlsx")
    first, report = read_overrides(tmp_path / "opgeslagen.xlsx", catalogue,
                                   assessment_id=changed.assessment_id)
    assert report.findings == [] and [o.norm_id for o in first] == [norm_id]
    again = write_consolidated(tmp_path / "geconsolideerd.xlsx", changed, catalogue)
    second, report = read_overrides(again, catalogue, assessment_id=changed.assessment_id)
    assert report.findings == []
    assert [(o.norm_id, o.rating, o.motivation, o.cell) for o in second] == [
        (o.norm_id, o.rating, o.motivation, o.cell) for o in first]


def test_a_very_long_name_is_shortened_in_the_page_header(tmp_path: Path) -> None:
    catalogue = load_example_catalogue()
    long = example_consolidation(catalogue).model_copy(update={
        "host": "Stichting " + "Zorg & Welzijn " * 25})
    path = tmp_path / "lang.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # XlsxWriter warns (on the terminal) past 255
        write_consolidated(path, long, catalogue)
    wb = load_workbook(path)
    printed = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert printed
    for ws in printed:
        header = ws.oddHeader.left.text or ""
        assert header.endswith("…") and len(header) <= 255, ws.title
