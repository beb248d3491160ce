"""Generate → fill as a person would → read back: every rating and text exactly as meant."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kwl_office.assessment import Kind, Submission
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.excel import layout as L
from kwl_office.excel.reader import read_workbook
from tests.helpers import (
    ASSESSMENT,
    HOST,
    KEY,
    REVIEWER,
    domain_sheets,
    fill,
    find_columns,
    generate,
    messy_answers,
    mutate,
)

KINDS = list(Kind)


def read(path: Path, catalogue: Catalogue, key_file: Path, use_cli: bool) -> dict[str, Any]:
    """Read back through the API or through ``kwl check --json`` (same JSON shape)."""
    if not use_cli:
        return read_workbook(path, catalogue, key=KEY).to_json()
    result = CliRunner().invoke(main, ["check", str(path), "--json", "--key", str(key_file)])
    assert result.exit_code in (0, 1), result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def assert_meant(data: dict[str, Any], meant: dict[str, dict[str, Any]]) -> None:
    assert data["valid"] is True, data["findings"]
    assert set(data["ratings"]) == set(meant)
    for norm_id, expected in meant.items():
        got = data["ratings"][norm_id]
        for field, value in expected.items():
            assert got.get(field) == value, (norm_id, field, got)


@pytest.mark.parametrize("use_cli", [False, True], ids=["api", "cli"])
@pytest.mark.parametrize("kind", KINDS, ids=[k.value for k in KINDS])
def test_round_trip_messy_input(tmp_path: Path, catalogue: Catalogue, key_file: Path,
                                kind: Kind, use_cli: bool) -> None:
    path = generate(tmp_path / "wb.xlsx", kind)
    typed, meant = messy_answers(catalogue, kind)
    fill(path, typed)
    data = read(path, catalogue, key_file, use_cli)
    assert_meant(data, meant)
    assert data["kind"] == kind.value
    assert data["host"] == HOST
    assert data["assessment_id"] == ASSESSMENT
    assert data["reviewer"] == (None if kind is Kind.SELF_EVALUATION else REVIEWER)
    assert data["catalogue_version"] == catalogue.version
    assert data["findings"] == []


def test_empty_workbook_is_incomplete_with_missing_rating_warnings(
        tmp_path: Path, catalogue: Catalogue) -> None:
    path = generate(tmp_path / "wb.xlsx", Kind.PEER)
    sub = read_workbook(path, catalogue, key=KEY)
    assert not sub.valid
    assert sub.report.codes() == {"missing-rating", "incomplete-submission"}
    assert [f.code for f in sub.report.errors] == ["incomplete-submission"]
    assert len(sub.report.warnings) == len(list(catalogue.norms()))
    assert all(r.rating is None for r in sub.responses.values())
    in_progress = read_workbook(path, catalogue, key=KEY, allow_incomplete=True)
    assert in_progress.valid and in_progress.report.codes() == {"missing-rating"}


def _reverse_rows(ws: Any) -> None:
    located = find_columns(ws)
    assert located is not None
    header, _ = located
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=header + 1)]
    rows = [r for r in rows if any(v is not None for v in r)]
    for offset, values in enumerate(reversed(rows)):
        for col, value in enumerate(values, start=1):
            # .value, not cell(r, c, value): openpyxl ignores a None given to cell()
            ws.cell(header + 1 + offset, col).value = value


def _move_first_row_to_end(ws: Any) -> None:
    located = find_columns(ws)
    assert located is not None
    header, _ = located
    first = header + 1
    values = [c.value for c in ws[first]]
    ws.delete_rows(first)
    end = ws.max_row + 1
    for col, value in enumerate(values, start=1):
        ws.cell(end, col).value = value


def _insert_column_before_rating(ws: Any) -> None:
    located = find_columns(ws)
    assert located is not None
    header, cols = located
    ws.insert_cols(cols["rating"])
    ws.cell(header, cols["rating"], "Eigen notitie")
    ws.cell(header + 1, cols["rating"], "V")  # a value that looks like a rating must not count


@pytest.mark.parametrize("use_cli", [False, True], ids=["api", "cli"])
@pytest.mark.parametrize("kind", KINDS, ids=[k.value for k in KINDS])
def test_round_trip_after_sorting_moving_and_inserting(
        tmp_path: Path, catalogue: Catalogue, key_file: Path, kind: Kind, use_cli: bool) -> None:
    path = generate(tmp_path / "wb.xlsx", kind)
    typed, meant = messy_answers(catalogue, kind)
    fill(path, typed)

    def rearrange(wb: Any) -> None:
        sheets = domain_sheets(wb)
        _reverse_rows(sheets[0])
        _move_first_row_to_end(sheets[1])
        for ws in sheets:
            _insert_column_before_rating(ws)

    mutate(path, rearrange)
    data = read(path, catalogue, key_file, use_cli)
    assert_meant(data, meant)
    # ratings come back in catalogue order whatever the row order
    assert list(data["ratings"]) == [n.id for n in catalogue.norms()]


def test_sorted_rows_report_the_cell_where_the_norm_now_is(
        tmp_path: Path, catalogue: Catalogue) -> None:
    path = generate(tmp_path / "wb.xlsx", Kind.PEER)
    first = next(catalogue.norms()).id
    fill(path, {first: {"rating": "misschien"}})
    mutate(path, lambda wb: _reverse_rows(domain_sheets(wb)[0]))
    sub = read_workbook(path, catalogue, key=KEY)
    domain = catalogue.domains[0]
    last_row = L.FIRST_DATA_ROW + len(list(domain.norms())) - 1
    rating_col = L.columns_for(Kind.PEER).index(L.RATING) + 1
    from openpyxl.utils import get_column_letter

    expected = ("unknown-rating", domain.title, f"{get_column_letter(rating_col)}{last_row}")
    assert expected in sub.report.flatten()


def test_distinctive_only_audit_holds_only_distinctive_norms(
        tmp_path: Path, catalogue: Catalogue) -> None:
    path = generate(tmp_path / "wb.xlsx", Kind.AUDIT, distinctive_only=True)
    distinctive = [n.id for n in catalogue.norms() if n.distinctive]
    typed, meant = messy_answers(catalogue, Kind.AUDIT, distinctive)
    fill(path, typed)
    sub = read_workbook(path, catalogue, key=KEY)
    assert_meant(sub.to_json(), meant)
    assert sub.identity is not None and sub.identity.norm_scope.value == "onderscheidend"


def test_mirror_shows_self_evaluation_read_only(tmp_path: Path, catalogue: Catalogue) -> None:
    selfeval = generate(tmp_path / "zelf.xlsx", Kind.SELF_EVALUATION)
    typed, _ = messy_answers(catalogue, Kind.SELF_EVALUATION)
    fill(selfeval, typed)
    mirror: Submission = read_workbook(selfeval, catalogue, key=KEY)
    peer = generate(tmp_path / "peer.xlsx", Kind.PEER, mirror=mirror)

    wb = load_workbook(peer)
    ws = domain_sheets(wb)[0]
    located = find_columns(ws)
    assert located is not None
    header, cols = located
    assert {"self_rating", "self_comment"} <= set(cols)
    norm = next(catalogue.norms())
    row = header + 1
    assert ws.cell(row, cols["norm_id"]).value == norm.id
    level = catalogue.rating_scale.by_code[mirror.responses[norm.id].rating or ""]
    assert ws.cell(row, cols["self_rating"]).value == level.label
    assert ws.cell(row, cols["self_comment"]).value == mirror.responses[norm.id].comment
    assert ws.cell(row, cols["self_rating"]).protection.locked
    assert not ws.cell(row, cols["rating"]).protection.locked
    # the peer's own answers still read back cleanly beside the mirror
    typed_peer, meant_peer = messy_answers(catalogue, Kind.PEER)
    fill(peer, typed_peer)
    assert_meant(read_workbook(peer, catalogue, key=KEY).to_json(), meant_peer)
