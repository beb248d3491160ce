"""What `kwl check` and the reader tell the person who fills a workbook, when something is
not as it should be: the key used, norm rows above a moved header, a formula error in a
rating cell, a shared team workbook's progress per reviewer, and the smaller hints."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from openpyxl.packaging.custom import CustomPropertyList, StringProperty

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.issue import load_index
from kwl_office.batch.steps import issue_round
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.excel import layout as L
from kwl_office.excel import reader
from kwl_office.excel.reader import read_workbook
from kwl_office.excel.writer import WorkbookSpec, write_workbook
from kwl_office.identity import create_key
from kwl_office.places import default_key_path
from tests.helpers import (
    ASSESSMENT,
    HOST,
    KEY,
    TEAM,
    domain_sheets,
    fill,
    fill_all,
    fill_team,
    generate,
    make_round,
    mutate,
    norm_rows,
    row,
    soffice_convert,
    team_sheets,
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def findings_of(result: Result) -> list[dict[str, Any]]:
    data = json.loads(result.output)
    return list(data["findings"])


# --- F8: the key of the round ---------------------------------------------------------------


@pytest.fixture
def round_workbook(tmp_path: Path) -> tuple[RoundFolder, Path]:
    """A round with its issued peer workbook, while the user also has a personal default key
    (as `kwl workbook` makes on first use): a different key."""
    folder = make_round(tmp_path / "ronde", [
        row("2026-001", "Welzijn Oost (fictief)", "intercollegiaal",
            reviewers="Sociaal Werk Noord (fictief); Buurtwerk Zuid (fictief)")])
    issue_round(folder)
    peer = next(w for w in load_index(folder).values() if w.kind is Kind.PEER)
    create_key(default_key_path())
    return folder, folder.root / peer.file


def _codes(result: Result) -> set[str]:
    return {f["code"] for f in findings_of(result)}


def _set_host(wb: Any, value: str) -> None:
    for line in wb[L.SHEET_IDENTITY].iter_rows():
        if line[0].value == "host":
            line[1].value = value
    kept = CustomPropertyList()
    for prop in wb.custom_doc_props.props:
        if prop.name == L.PROPERTY_PREFIX + "host":
            prop = StringProperty(name=prop.name, value=value)
        kept.append(prop)
    wb.custom_doc_props = kept


def test_a_workbook_in_a_round_is_checked_with_the_rounds_key(
        round_workbook: tuple[RoundFolder, Path]) -> None:
    _, path = round_workbook
    result = run("check", str(path), "--allow-incomplete", "--json")
    assert result.exit_code == 0, result.output
    assert not {"identity-tampered", "signature-unverified"} & _codes(result)
    # the round's key does not make an edited identity pass: still not trusted
    mutate(path, lambda wb: _set_host(wb, "Een andere organisatie"))
    result = run("check", str(path), "--allow-incomplete", "--json")
    assert result.exit_code == 1
    assert "identity-tampered" in _codes(result)


def test_inside_the_round_folder_its_key_is_used(round_workbook: tuple[RoundFolder, Path],
                                                tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    folder, path = round_workbook
    mailed = tmp_path / "post" / "werkmap.xlsx"  # a copy outside the round, checked in it
    mailed.parent.mkdir()
    shutil.copy(path, mailed)
    monkeypatch.chdir(folder.root)
    for file in (str(path.relative_to(folder.root)), str(mailed)):
        result = run("check", file, "--allow-incomplete", "--json")
        assert result.exit_code == 0, result.output
        assert "identity-tampered" not in _codes(result)


def test_a_signature_that_does_not_match_names_the_key_and_the_way_out(
        round_workbook: tuple[RoundFolder, Path], tmp_path: Path) -> None:
    _, path = round_workbook
    mailed = tmp_path / "post" / "werkmap.xlsx"  # outside the round: the personal key
    mailed.parent.mkdir()
    shutil.copy(path, mailed)
    result = run("check", str(mailed), "--allow-incomplete", "--json")
    assert result.exit_code == 1
    tampered = [f for f in findings_of(result) if f["code"] == "identity-tampered"]
    assert [(f["sheet"], f["cell"]) for f in tampered] == [(L.SHEET_IDENTITY, None)]
    assert str(default_key_path()) in tampered[0]["message"]
    assert "--key" in tampered[0]["message"]


# --- F2: norm rows above a header that a sort moved down ------------------------------------


def _sort_with_header(wb: Any, ws: Any = None) -> None:
    """Sort a sheet (default: the second domain sheet) on its rating column with the header
    row taken along (Excel without "My data has headers"): the header lands between the norm
    rows."""
    ws = ws if ws is not None else domain_sheets(wb)[1]
    rows = range(L.HEADER_ROW, ws.max_row + 1)
    values = {r: [c.value for c in ws[r]] for r in rows}
    rating = [c.value for c in ws[L.HEADER_ROW]].index(L.RATING.label)
    order = sorted(rows, key=lambda r: str(values[r][rating] or ""))
    for i, r in enumerate(order):
        for j, value in enumerate(values[r]):
            ws.cell(L.HEADER_ROW + i, j + 1).value = value


def test_norm_rows_above_a_moved_header_are_read(tmp_path: Path,
                                                 catalogue: Catalogue) -> None:
    path = generate(tmp_path / "peer.xlsx", Kind.PEER)
    domain = catalogue.domains[1]
    ids = [n.id for n in domain.norms()]
    answers = {n.id: {"rating": "V"} for n in catalogue.norms()}
    answers.update({n: {"rating": "N", "comment_review": f"Bevinding {n}"} for n in ids[::2]})
    fill(path, answers)
    mutate(path, _sort_with_header)
    sheet = L.domain_sheet_name(domain)
    sub = read_workbook(path, catalogue, key=KEY)
    codes = sub.report.codes()
    assert "missing-norm-row" not in codes and "incomplete-submission" not in codes
    header_row = 1 + next(r for r, line in enumerate(sheet_values(path, sheet))
                          if L.RATING.label in line)
    assert sub.report.flatten() == [("norms-above-header", sheet, f"{header_row}:{header_row}")]
    assert sub.valid
    assert {n: sub.responses[n].rating for n in ids} == {
        n: answers[n]["rating"] for n in ids}
    assert sub.responses[ids[0]].comment == f"Bevinding {ids[0]}"
    assert list(sub.responses) == [n.id for n in catalogue.norms()]


def test_a_reviewers_sheet_sorted_with_its_header_is_read(tmp_path: Path,
                                                          catalogue: Catalogue) -> None:
    # a reviewer's sheet of a team workbook holds every norm: the header may land far down
    path = tmp_path / "team.xlsx"
    write_workbook(path, WorkbookSpec(kind=Kind.PEER, assessment_id=ASSESSMENT, host=HOST,
                                      reviewers=TEAM), catalogue, key=KEY)
    norms = [n.id for n in catalogue.norms()]
    rated = ["N" if i % 3 else "V" for i in range(len(norms))]  # 'N' < 'Oordeel' < 'V'
    fill_team(path, {reviewer: {n: {"rating": rated[i]} for i, n in enumerate(norms)}
                     for reviewer in TEAM})
    mutate(path, lambda wb: _sort_with_header(wb, team_sheets(wb)[TEAM[2]]))
    sheet = team_sheets(load_workbook(path))[TEAM[2]].title
    header_row = 1 + next(r for r, line in enumerate(sheet_values(path, sheet))
                          if L.RATING.label in line)
    assert header_row > L.HEADER_SCAN_ROWS
    sub = read_workbook(path, catalogue, key=KEY)
    assert sub.report.flatten() == [("norms-above-header", sheet, f"{header_row}:{header_row}")]
    assert [sub.team_reviews[2].responses[n].rating for n in norms] == rated


def sheet_values(path: Path, sheet: str) -> list[list[Any]]:
    return [list(line) for line in load_workbook(path)[sheet].iter_rows(values_only=True)]


# --- F6: a formula error in a rating cell ---------------------------------------------------


def _rating_cell(path: Path, norm_id: str) -> tuple[str, str]:
    wb = load_workbook(path)
    for ws in domain_sheets(wb):
        rows = norm_rows(ws)
        if norm_id in rows:
            column = [c.value for c in ws[L.HEADER_ROW]].index(L.RATING.label) + 1
            return ws.title, ws.cell(rows[norm_id], column).coordinate
    raise AssertionError(norm_id)


def test_an_error_value_in_a_rating_cell_is_not_called_empty(tmp_path: Path,
                                                             catalogue: Catalogue) -> None:
    # openpyxl stores '#DIV/0!' as an error cell, as Excel stores the result of =1/0
    path = fill_all(generate(tmp_path / "peer.xlsx", Kind.PEER), catalogue)
    first = next(catalogue.domains[0].norms()).id
    fill(path, {first: {"rating": "#DIV/0!"}})
    sheet, cell = _rating_cell(path, first)
    sub = read_workbook(path, catalogue, key=KEY, allow_incomplete=True, explain_empty=True)
    assert sub.report.flatten() == [("formula-error", sheet, cell)]
    assert "#DEEL/0!" in sub.report.findings[0].message
    assert sub.responses[first].rating is None and not sub.valid
    # what people read says so: kwl check, and collect (its inbox read explains empty cells)
    key_file = tmp_path / "sleutel.key"
    key_file.write_text(KEY.hex(), encoding="ascii")
    checked = run("check", str(path), "--allow-incomplete", "--json", "--key", str(key_file))
    assert _codes(checked) == {"formula-error"}
    # a read that only needs the ratings (the report's read-back) takes it as an open norm:
    # finding it costs ~0.2 ms per workbook with an open norm
    plain = read_workbook(path, catalogue, key=KEY, allow_incomplete=True)
    assert plain.report.flatten() == [("missing-rating", sheet, cell)]


@pytest.mark.soffice
@pytest.mark.parametrize("target", ["xlsx:Calc MS Excel 2007 XML", "ods"])
def test_a_formula_error_saved_by_libreoffice_is_named(tmp_path: Path, catalogue: Catalogue,
                                                       target: str) -> None:
    path = fill_all(generate(tmp_path / "peer.xlsx", Kind.PEER), catalogue)
    first = next(catalogue.domains[0].norms()).id
    fill(path, {first: {"rating": "=1/0"}})
    sheet, cell = _rating_cell(path, first)
    saved = soffice_convert(path, tmp_path / "lo", target, tmp_path / "profiel")
    sub = read_workbook(saved, catalogue, key=KEY, explain_empty=True)
    assert ("formula-error", sheet, cell) in sub.report.flatten()
    assert "missing-rating" not in sub.report.codes()
    assert "#DIV/0!" in next(f.message for f in sub.report.findings
                             if f.code == "formula-error")


# --- F4: a shared team workbook's progress per reviewer -------------------------------------


def test_team_progress_is_given_per_reviewer(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "team.xlsx"
    write_workbook(path, WorkbookSpec(kind=Kind.PEER, assessment_id=ASSESSMENT, host=HOST,
                                      reviewers=TEAM), catalogue, key=KEY)
    norms = [n.id for n in catalogue.norms()]
    fill_team(path, {TEAM[0]: {n: {"rating": "V"} for n in norms},
                     TEAM[1]: {n: {"rating": "D"} for n in norms},
                     TEAM[2]: {n: {"rating": "N"} for n in norms[:20]}})
    sub = read_workbook(path, catalogue, key=KEY)
    assert reader.review_progress(sub, catalogue) == (
        [(TEAM[0], 50), (TEAM[1], 50), (TEAM[2], 20)], 50)
    key = tmp_path / "ronde.key"
    key.write_text(KEY.hex(), encoding="ascii")
    summary = run("check", str(path), "--key", str(key)).output.splitlines()[0]
    for reviewer, rated in ((TEAM[0], 50), (TEAM[1], 50), (TEAM[2], 20)):
        assert T.CLI_PROGRESS_REVIEWER.format(reviewer=reviewer, rated=rated) in summary
    assert "0 van 50" not in summary and "20 van 50" not in summary


# --- F10: the smaller hints -----------------------------------------------------------------


def test_allow_incomplete_says_in_order_so_far_and_what_is_open(
        tmp_path: Path, catalogue: Catalogue, key_file: Path) -> None:
    blank = generate(tmp_path / "leeg.xlsx", Kind.PEER)
    result = run("check", str(blank), "--allow-incomplete", "--key", str(key_file))
    assert result.exit_code == 0
    assert T.CLI_VALID_SO_FAR.format(open="50 normen") in result.output.splitlines()[0]
    full = fill_all(generate(tmp_path / "vol.xlsx", Kind.PEER), catalogue)
    summary = run("check", str(full), "--allow-incomplete", "--key",
                  str(key_file)).output.splitlines()[0]
    assert f": {T.CLI_VALID} (" in summary


def test_an_invisible_character_in_a_rating_is_named(tmp_path: Path,
                                                     catalogue: Catalogue) -> None:
    path = fill_all(generate(tmp_path / "peer.xlsx", Kind.PEER), catalogue)
    first = next(catalogue.domains[0].norms()).id
    fill(path, {first: {"rating": "v\u200b"}})
    sheet, cell = _rating_cell(path, first)
    sub = read_workbook(path, catalogue, key=KEY, allow_incomplete=True)
    assert sub.report.flatten() == [("unknown-rating", sheet, cell)]
    assert "U+200B" in sub.report.findings[0].message


def test_a_rating_typed_in_a_text_column_is_pointed_at(tmp_path: Path,
                                                       catalogue: Catalogue) -> None:
    path = fill_all(generate(tmp_path / "peer.xlsx", Kind.PEER), catalogue)
    first, second = [n.id for n in catalogue.domains[0].norms()][:2]
    fill(path, {first: {"rating": None, "comment_review": "Voldoet"},
                second: {"rating": None, "comment_review": "Voldoet, maar zie het verslag"}})
    sheet, cell = _rating_cell(path, first)
    sub = read_workbook(path, catalogue, key=KEY, allow_incomplete=True)
    hints = {f.norm_id: f.message for f in sub.report.findings if f.code == "missing-rating"}
    assert set(hints) == {first, second}
    comment_cell = f"G{cell[1:]}"  # Bevindingen is the column right of Oordeel
    assert "'Voldoet'" in hints[first] and comment_cell in hints[first]
    assert "'" not in hints[second]  # a finding that merely starts with the word: no hint
