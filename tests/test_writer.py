"""What people see in a generated workbook: sheets, protection, dropdowns, print setup."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kwl_office.assessment import Kind
from kwl_office.catalogue import Catalogue
from kwl_office.excel import layout as L
from kwl_office.excel.reader import read_workbook
from tests.helpers import KEY, domain_sheets, fill_all, find_columns, generate, norm_rows

KINDS = list(Kind)


@pytest.mark.parametrize("kind", KINDS, ids=[k.value for k in KINDS])
def test_sheets_and_visibility(tmp_path: Path, catalogue: Catalogue, kind: Kind) -> None:
    wb = load_workbook(generate(tmp_path / "wb.xlsx", kind))
    titles = [d.title for d in catalogue.domains]
    assert wb.sheetnames[: len(titles) + 2] == [L.SHEET_START, *titles, L.SHEET_OVERVIEW]
    assert wb[L.SHEET_IDENTITY].sheet_state == "veryHidden"
    assert wb[L.SHEET_LISTS].sheet_state == "hidden"
    assert wb.active is not None and wb.active.title == L.SHEET_START
    for ws in wb.worksheets:
        assert ws.sheet_state == "visible" or ws is not wb.active
        assert bool(ws.sheet_view.tabSelected) == (ws.title == L.SHEET_START)


@pytest.mark.parametrize("kind", KINDS, ids=[k.value for k in KINDS])
def test_domain_sheet_contract(tmp_path: Path, catalogue: Catalogue, kind: Kind) -> None:
    wb = load_workbook(generate(tmp_path / "wb.xlsx", kind))
    for domain, ws in zip(catalogue.domains, domain_sheets(wb), strict=True):
        located = find_columns(ws)
        assert located is not None
        header, cols = located
        assert header == L.HEADER_ROW
        assert [c.label for c in L.columns_for(kind)] == [
            ws.cell(header, i).value for i in range(1, len(L.columns_for(kind)) + 1)]
        rows = norm_rows(ws)
        assert list(rows) == [n.id for n in domain.norms()]
        row = rows[next(domain.norms()).id]
        for column in L.columns_for(kind):
            cell = ws.cell(row, cols[column.key])
            assert cell.protection.locked is not column.is_input, column.key
        assert ws.cell(row, cols["norm_text"]).alignment.wrap_text
        assert ws.protection.sheet and not ws.protection.password
        assert ws.freeze_panes == f"B{L.FIRST_DATA_ROW}"
        # dropdown on the rating column, from the hidden list sheet
        rating = ws.cell(row, cols["rating"]).coordinate
        validations = [dv for dv in ws.data_validations.dataValidation
                       if rating in dv.sqref]
        assert validations and L.SHEET_LISTS in validations[0].formula1
        assert ws.conditional_formatting  # coloured by rating
        # print-ready
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == f"${L.HEADER_ROW}:${L.HEADER_ROW}"


def test_start_sheet_shows_cover_and_live_progress(tmp_path: Path,
                                                   catalogue: Catalogue) -> None:
    import datetime

    path = generate(tmp_path / "wb.xlsx", Kind.PEER, deadline=datetime.date(2027, 1, 15))
    ws = load_workbook(path)[L.SHEET_START]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    joined = "\n".join(texts)
    for expected in ("Stichting Welzijn Oost (fictief)", "Sociaal Werk Noord (fictief)",
                     "2026-014", "15 januari 2027", "VOORBEELD"):
        assert expected in joined
    progress = [t for t in texts if "normen beoordeeld" in t]
    assert progress and progress[0].startswith("=")  # a live formula, not a number
    for level in catalogue.scale:
        assert level.label in texts


def test_overview_has_live_counts_per_domain(tmp_path: Path, catalogue: Catalogue) -> None:
    ws = load_workbook(generate(tmp_path / "wb.xlsx", Kind.PEER))[L.SHEET_OVERVIEW]
    labels = [ws.cell(r, 1).value for r in range(5, 5 + len(catalogue.domains))]
    assert labels == [d.title for d in catalogue.domains]
    # the norms the workbook was made with, not COUNTA of the norm column (a remark)
    assert ws.cell(5, 2).value == len(list(catalogue.domains[0].norms()))


def test_identity_in_sheet_and_properties_agree(tmp_path: Path) -> None:
    path = generate(tmp_path / "wb.xlsx", Kind.AUDIT)
    wb = load_workbook(path)
    sheet = {r[0].value: r[1].value for r in wb[L.SHEET_IDENTITY].iter_rows()}
    props = {p.name[len(L.PROPERTY_PREFIX):]: p.value for p in wb.custom_doc_props.props}
    # every key; "reviewers" only in a shared team workbook (tests/test_team.py)
    assert set(sheet) == set(L.IDENTITY_KEYS) - {"reviewers"}
    assert {k: v or "" for k, v in sheet.items()} == {k: v or "" for k, v in props.items()}
    assert len(str(sheet["signature"])) == 64


def test_xlsm_content_type_is_accepted(tmp_path: Path, catalogue: Catalogue) -> None:
    src = fill_all(generate(tmp_path / "wb.xlsx", Kind.PEER), catalogue)
    dst = tmp_path / "wb.xlsm"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            zout.writestr(item, data)
    sub = read_workbook(dst, catalogue, key=KEY)
    assert sub.valid and len(sub.responses) == len(list(catalogue.norms()))


def test_writing_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    generate(tmp_path / "wb.xlsx", Kind.PEER)
    generate(tmp_path / "wb.xlsx", Kind.PEER)  # overwrite is safe
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wb.xlsx"]


def test_ids_are_text_cells(tmp_path: Path) -> None:
    # an assessment id like 2026-014 must never become a date or a number in the identity
    path = generate(tmp_path / "wb.xlsx", Kind.PEER, assessment_id="2026-01")
    wb = load_workbook(path)
    sheet = {r[0].value: r[1] for r in wb[L.SHEET_IDENTITY].iter_rows()}
    assert sheet["assessment_id"].data_type == "s"
    assert sheet["assessment_id"].value == "2026-01"
