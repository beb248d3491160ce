"""Each bad input yields its finding at the right sheet and cell (never a traceback)."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, get_args

import pytest
from openpyxl import load_workbook
from openpyxl.packaging.custom import CustomPropertyList, StringProperty
from openpyxl.utils import get_column_letter

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind
from kwl_office.catalogue import Catalogue
from kwl_office.excel import layout as L
from kwl_office.excel.reader import read_workbook
from kwl_office.findings import FINDING_KINDS, FindingCode, Severity, make_finding
from tests.helpers import (
    KEY,
    OTHER_KEY,
    domain_sheets,
    fill,
    fill_all,
    find_columns,
    generate,
    mutate,
)

FIRST_ROW = L.FIRST_DATA_ROW


def col(kind: Kind, key: str) -> str:
    """The column letter of a column key as written for ``kind``."""
    keys = [c.key for c in L.columns_for(kind)]
    return get_column_letter(keys.index(key) + 1)


@pytest.fixture
def peer(tmp_path: Path, catalogue: Catalogue) -> Path:
    """A complete peer workbook (every norm rated), to break in one place."""
    return fill_all(generate(tmp_path / "peer.xlsx", Kind.PEER), catalogue)


@pytest.fixture
def selfeval(tmp_path: Path, catalogue: Catalogue) -> Path:
    return fill_all(generate(tmp_path / "zelf.xlsx", Kind.SELF_EVALUATION), catalogue)


def first_norm(catalogue: Catalogue) -> str:
    return catalogue.domains[0].quality_values[0].norms[0].id


def test_unknown_rating_names_cell_and_allowed_values(peer: Path, catalogue: Catalogue) -> None:
    norm = catalogue.domains[0].quality_values[0].norms[1].id
    fill(peer, {norm: {"rating": "goed genoeg"}})
    sub = read_workbook(peer, catalogue, key=KEY)
    sheet = catalogue.domains[0].title
    cell = f"{col(Kind.PEER, 'rating')}{FIRST_ROW + 1}"
    assert ("unknown-rating", sheet, cell) in sub.report.flatten()
    finding = next(f for f in sub.report.findings if f.code == "unknown-rating")
    assert finding.norm_id == norm
    assert finding.severity is Severity.ERROR
    for level in catalogue.scale:  # the message lists what is allowed
        assert level.code in finding.message and level.label in finding.message
    assert not sub.valid
    assert sub.responses[norm].rating is None


@pytest.mark.parametrize(("typed", "shown"), [
    (True, "WAAR"), (False, "ONWAAR"), (date(2026, 1, 2), "2-1-2026"),
    (datetime(2026, 1, 2, 9, 30), "2-1-2026 9:30")])
def test_an_unknown_rating_is_named_as_the_user_sees_it(
        peer: Path, catalogue: Catalogue, typed: object, shown: str) -> None:
    # a logical value or a date typed in a rating cell: the message quotes what Excel shows
    # there, not the 'ja' or '2026-01-02' it is read as
    fill(peer, {first_norm(catalogue): {"rating": typed}})
    sub = read_workbook(peer, catalogue, key=KEY)
    finding = next(f for f in sub.report.findings if f.code == "unknown-rating")
    assert finding.message.startswith(f"'{shown}' is geen geldig oordeel"), finding.message


@pytest.mark.parametrize("value", ["3", "1.5", "V+", "ja", "-1", "=", "vold oet deels x"])
def test_near_misses_are_not_guessed(peer: Path, catalogue: Catalogue, value: str) -> None:
    fill(peer, {first_norm(catalogue): {"rating": value}})
    sub = read_workbook(peer, catalogue, key=KEY)
    assert "unknown-rating" in sub.report.codes()


def test_missing_rating_is_a_warning_and_the_workbook_incomplete(
        tmp_path: Path, catalogue: Catalogue) -> None:
    blank = generate(tmp_path / "leeg.xlsx", Kind.PEER)
    sheet = catalogue.domains[0].title
    first_cell = f"{col(Kind.PEER, 'rating')}{FIRST_ROW}"
    sub = read_workbook(blank, catalogue, key=KEY)
    assert ("missing-rating", sheet, first_cell) in sub.report.flatten()
    # a blank review is not a review: the completeness rule makes it an error, at the
    # first open rating cell
    assert [f for f in sub.report.findings if f.severity is Severity.ERROR] == [
        f for f in sub.report.findings if f.code == "incomplete-submission"]
    assert ("incomplete-submission", sheet, first_cell) in sub.report.flatten()
    assert not sub.valid
    still_filling = read_workbook(blank, catalogue, key=KEY, allow_incomplete=True)
    assert still_filling.valid
    assert "incomplete-submission" not in still_filling.report.codes()
    assert "missing-rating" in still_filling.report.codes()


def test_a_merged_rating_cell_is_said_to_be_merged(peer: Path, catalogue: Catalogue) -> None:
    # merged across two norms (the first one's rating shows over both), and merged with the
    # column on its left: Excel keeps only the first cell's value, so the norm has none
    rating = col(Kind.PEER, "rating")
    index = [c.key for c in L.columns_for(Kind.PEER)].index("rating") + 1
    left, right = get_column_letter(index - 1), get_column_letter(index + 1)
    r = FIRST_ROW
    norms = [n.id for n in catalogue.domains[0].norms()]

    def merge(wb: Any) -> None:
        ws = domain_sheets(wb)[0]
        ws.merge_cells(f"{rating}{r}:{rating}{r + 1}")
        ws.merge_cells(f"{left}{r + 2}:{rating}{r + 2}")
        ws[f"{rating}{r + 3}"] = None  # first cell of its merge, empty: can still be chosen
        ws.merge_cells(f"{rating}{r + 3}:{right}{r + 3}")

    mutate(peer, merge)
    sub = read_workbook(peer, catalogue, key=KEY, allow_incomplete=True)
    sheet = catalogue.domains[0].title
    assert [f for f in sub.report.flatten() if f[0] != "signature-unverified"] == [
        ("merged-rating-cell", sheet, f"{rating}{r + 1}"),
        ("merged-rating-cell", sheet, f"{rating}{r + 2}"),
        ("missing-rating", sheet, f"{rating}{r + 3}"),
    ]
    first, second = sub.report.findings[:2]
    assert first.norm_id == norms[1] and second.norm_id == norms[2]
    assert f"{rating}{r}:{rating}{r + 1}" in first.message
    assert f"{left}{r + 2}:{rating}{r + 2}" in second.message
    assert first.severity is Severity.ERROR and not sub.valid  # no rating can be chosen there
    assert sub.responses[norms[0]].rating == "V" and sub.responses[norms[1]].rating is None


def test_one_open_norm_makes_the_workbook_incomplete(peer: Path, catalogue: Catalogue) -> None:
    norm = list(catalogue.domains[1].norms())[2].id
    fill(peer, {norm: {"rating": None}})
    sub = read_workbook(peer, catalogue, key=KEY)
    incomplete = [f for f in sub.report.findings if f.code == "incomplete-submission"]
    assert [(f.sheet, f.norm_id) for f in incomplete] == [(catalogue.domains[1].title, norm)]
    assert sub.responses[norm].rating is None


def test_not_applicable_counts_as_a_rating(peer: Path, catalogue: Catalogue) -> None:
    fill(peer, {n.id: {"rating": "n.v.t."} for n in catalogue.domains[0].norms()})
    assert read_workbook(peer, catalogue, key=KEY).valid


def test_the_policy_may_allow_open_norms(tmp_path: Path, catalogue: Catalogue) -> None:
    data = catalogue.to_data()
    data["beleid"]["min_aandeel_beoordeeld"] = 0.9
    lenient = Catalogue.model_validate(data)
    path = generate(tmp_path / "peer.xlsx", Kind.PEER, lenient)
    ids = [n.id for n in lenient.norms()]
    required = lenient.policy.required_ratings(len(ids))
    assert required == 45  # ceil(0.9 × 50)
    fill(path, {norm_id: {"rating": "D"} for norm_id in ids[:required]})
    assert read_workbook(path, lenient, key=KEY).valid
    fill(path, {ids[required - 1]: {"rating": None}})
    assert "incomplete-submission" in read_workbook(path, lenient, key=KEY).report.codes()


def test_deleted_row_is_a_missing_norm_row(peer: Path, catalogue: Catalogue) -> None:
    mutate(peer, lambda wb: domain_sheets(wb)[1].delete_rows(FIRST_ROW + 2))
    sub = read_workbook(peer, catalogue, key=KEY)
    gone = list(catalogue.domains[1].norms())[2].id
    assert ("missing-norm-row", catalogue.domains[1].title, None) in sub.report.flatten()
    assert [f.norm_id for f in sub.report.findings if f.code == "missing-norm-row"] == [gone]
    assert gone not in sub.responses


def test_deleted_sheet_reports_every_norm_of_its_domain(peer: Path,
                                                        catalogue: Catalogue) -> None:
    title = catalogue.domains[2].title
    mutate(peer, lambda wb: wb.remove(wb[title]))
    sub = read_workbook(peer, catalogue, key=KEY)
    missing = {f.norm_id for f in sub.report.findings if f.code == "missing-norm-row"}
    assert missing == {n.id for n in catalogue.domains[2].norms()}


def test_renamed_sheet_is_still_read(peer: Path, catalogue: Catalogue) -> None:
    norm = list(catalogue.domains[1].norms())[0].id
    fill(peer, {norm: {"rating": "V"}})
    mutate(peer, lambda wb: setattr(domain_sheets(wb)[1], "title", "Mijn tabblad"))
    sub = read_workbook(peer, catalogue, key=KEY)
    assert sub.responses[norm].rating == "V"
    assert "missing-norm-row" not in sub.report.codes()


def test_duplicate_norm_row_names_the_second_cell(peer: Path, catalogue: Catalogue) -> None:
    first = first_norm(catalogue)
    fill(peer, {first: {"rating": "V"}})

    def duplicate(wb: Any) -> None:
        ws = domain_sheets(wb)[0]
        ws.cell(ws.max_row + 1, 1).value = first
        ws.cell(ws.max_row, 6).value = "N"

    mutate(peer, duplicate)
    sub = read_workbook(peer, catalogue, key=KEY)
    last = FIRST_ROW + len(list(catalogue.domains[0].norms()))
    assert ("duplicate-norm-row", catalogue.domains[0].title, f"A{last}") in sub.report.flatten()
    assert sub.responses[first].rating == "V"  # the first row wins
    assert not sub.valid


def test_unknown_norm_row(peer: Path, catalogue: Catalogue) -> None:
    def add_row(wb: Any) -> None:
        ws = domain_sheets(wb)[0]
        ws.cell(ws.max_row + 1, 1).value = "X9.9"

    mutate(peer, add_row)
    sub = read_workbook(peer, catalogue, key=KEY)
    last = FIRST_ROW + len(list(catalogue.domains[0].norms()))
    assert ("unknown-norm-row", catalogue.domains[0].title, f"A{last}") in sub.report.flatten()


def test_distinctive_only_workbook_rejects_other_norm_rows(tmp_path: Path,
                                                           catalogue: Catalogue) -> None:
    path = generate(tmp_path / "audit.xlsx", Kind.AUDIT, distinctive_only=True)
    other = next(n.id for n in catalogue.norms() if not n.distinctive)
    mutate(path, lambda wb: domain_sheets(wb)[0].cell(40, 1, other))
    sub = read_workbook(path, catalogue, key=KEY)
    assert ("unknown-norm-row", catalogue.domains[0].title, "A40") in sub.report.flatten()


def test_changed_norm_text_is_a_warning(peer: Path, catalogue: Catalogue) -> None:
    cell = f"{col(Kind.PEER, 'norm_text')}{FIRST_ROW}"
    mutate(peer, lambda wb: domain_sheets(wb)[0].__setitem__(cell, "Iets heel anders"))
    sub = read_workbook(peer, catalogue, key=KEY)
    assert ("norm-text-changed", catalogue.domains[0].title, cell) in sub.report.flatten()
    assert sub.valid


def test_text_too_long(peer: Path, catalogue: Catalogue) -> None:
    limit = catalogue.policy.max_text_length
    fill(peer, {first_norm(catalogue): {"comment_review": "x" * (limit + 1)}})
    sub = read_workbook(peer, catalogue, key=KEY)
    cell = f"{col(Kind.PEER, 'comment_review')}{FIRST_ROW}"
    assert ("text-too-long", catalogue.domains[0].title, cell) in sub.report.flatten()


def test_text_at_the_limit_is_kept_whole(peer: Path, catalogue: Catalogue) -> None:
    text = "é" * catalogue.policy.max_text_length
    fill(peer, {first_norm(catalogue): {"comment_review": text}})
    sub = read_workbook(peer, catalogue, key=KEY)
    assert sub.responses[first_norm(catalogue)].comment == text
    assert "text-too-long" not in sub.report.codes()


def test_invalid_accent(selfeval: Path, catalogue: Catalogue) -> None:
    fill(selfeval, {first_norm(catalogue): {"accent": "misschien"}})
    sub = read_workbook(selfeval, catalogue, key=KEY)
    cell = f"{col(Kind.SELF_EVALUATION, 'accent')}{FIRST_ROW}"
    assert ("invalid-accent", catalogue.domains[0].title, cell) in sub.report.flatten()


def test_renamed_input_header_is_a_missing_header(peer: Path, catalogue: Catalogue) -> None:
    cell = f"{col(Kind.PEER, 'comment_review')}{L.HEADER_ROW}"
    mutate(peer, lambda wb: domain_sheets(wb)[0].__setitem__(cell, "Opmerkingen"))
    sub = read_workbook(peer, catalogue, key=KEY)
    row = f"{L.HEADER_ROW}:{L.HEADER_ROW}"
    assert ("missing-header", catalogue.domains[0].title, row) in sub.report.flatten()


def test_wrong_kind(peer: Path, catalogue: Catalogue) -> None:
    sub = read_workbook(peer, catalogue, key=KEY, expected_kind=Kind.SELF_EVALUATION)
    # located where a person sees the kind (the start sheet's title), not at the hidden
    # identity sheet, and named as it is shown there
    assert ("wrong-kind", L.SHEET_START, L.START_KIND_CELL) in sub.report.flatten()
    message = next(f.message for f in sub.report.findings if f.code == "wrong-kind")
    assert L.SHEET_IDENTITY not in message and "'peer'" not in message
    assert f"'{T.KIND_TITLES['peer']}'" in message and "zelfevaluatie" in message
    wb = load_workbook(peer, read_only=True)
    assert wb[L.SHEET_START][L.START_KIND_CELL].value == T.KIND_TITLES["peer"]


def test_wrong_assessment(peer: Path, catalogue: Catalogue) -> None:
    sub = read_workbook(peer, catalogue, key=KEY, expected_assessment="2026-999")
    assert ("wrong-assessment", L.SHEET_IDENTITY, None) in sub.report.flatten()


def test_catalogue_mismatch(peer: Path, catalogue: Catalogue) -> None:
    data = catalogue.to_data()
    data["domeinen"][0]["kwaliteitswaarden"][0]["normen"][0]["tekst"] = "Gewijzigde norm."
    other = Catalogue.model_validate(data)
    sub = read_workbook(peer, other, key=KEY)
    assert sub.report.flatten() == [("catalogue-mismatch", L.SHEET_IDENTITY, None)]
    assert not sub.valid


def test_identity_missing(peer: Path, catalogue: Catalogue) -> None:
    def strip_identity(wb: Any) -> None:
        wb.remove(wb[L.SHEET_IDENTITY])
        wb.custom_doc_props = CustomPropertyList()

    mutate(peer, strip_identity)
    sub = read_workbook(peer, catalogue, key=KEY)
    assert ("identity-missing", L.SHEET_IDENTITY, None) in sub.report.flatten()
    assert sub.identity is None and not sub.valid
    assert len(sub.responses) == len(list(catalogue.norms()))  # still read, for the message


def test_identity_from_properties_when_sheet_deleted(peer: Path, catalogue: Catalogue) -> None:
    mutate(peer, lambda wb: wb.remove(wb[L.SHEET_IDENTITY]))
    sub = read_workbook(peer, catalogue, key=KEY)
    assert sub.valid and sub.identity is not None
    # nothing is lost, but the properties are the only copy left: said, as a warning
    assert sub.report.flatten() == [("identity-sheet-missing", L.SHEET_IDENTITY, None)]
    assert sub.report.findings[0].severity is Severity.WARNING


def test_identity_sheet_emptied_is_said_too(peer: Path, catalogue: Catalogue) -> None:
    def empty(wb: Any) -> None:
        ws = wb[L.SHEET_IDENTITY]
        ws.delete_rows(1, ws.max_row)

    mutate(peer, empty)
    sub = read_workbook(peer, catalogue, key=KEY)
    assert sub.valid and sub.identity is not None
    assert sub.report.flatten() == [("identity-sheet-missing", L.SHEET_IDENTITY, None)]
    assert "leeggemaakt" in sub.report.findings[0].message


def test_identity_sheet_alone_is_no_finding(peer: Path, catalogue: Catalogue) -> None:
    # Google Sheets drops the document properties and keeps the sheet: the usual case
    mutate(peer, lambda wb: setattr(wb, "custom_doc_props", CustomPropertyList()))
    sub = read_workbook(peer, catalogue, key=KEY)
    assert sub.valid and sub.report.flatten() == []


def _set_identity(wb: Any, key: str, value: str, *, sheet: bool, props: bool) -> None:
    if sheet:
        ws = wb[L.SHEET_IDENTITY]
        for row in ws.iter_rows():
            if row[0].value == key:
                row[1].value = value
    if props:
        kept = CustomPropertyList()
        for prop in wb.custom_doc_props.props:
            if prop.name == L.PROPERTY_PREFIX + key:
                prop = StringProperty(name=prop.name, value=value)
            kept.append(prop)
        wb.custom_doc_props = kept


@pytest.mark.parametrize("where", [(True, True), (True, False), (False, True)],
                         ids=["both", "sheet-only", "properties-only"])
def test_edited_identity_is_tampered(peer: Path, catalogue: Catalogue,
                                     where: tuple[bool, bool]) -> None:
    sheet, props = where
    mutate(peer, lambda wb: _set_identity(wb, "host", "Andere organisatie", sheet=sheet,
                                          props=props))
    sub = read_workbook(peer, catalogue, key=KEY)
    assert ("identity-tampered", L.SHEET_IDENTITY, None) in sub.report.flatten()
    assert not sub.valid


def test_forged_with_another_key_is_tampered(tmp_path: Path, catalogue: Catalogue) -> None:
    forged = generate(tmp_path / "forged.xlsx", Kind.PEER, key=OTHER_KEY)
    sub = read_workbook(forged, catalogue, key=KEY)
    assert ("identity-tampered", L.SHEET_IDENTITY, None) in sub.report.flatten()


def test_no_key_is_signature_unverified(peer: Path, catalogue: Catalogue) -> None:
    sub = read_workbook(peer, catalogue, key=None)
    assert ("signature-unverified", L.SHEET_IDENTITY, None) in sub.report.flatten()
    assert sub.valid  # a warning: the secretariat decides


def test_layout_version(peer: Path, catalogue: Catalogue) -> None:
    mutate(peer, lambda wb: _set_identity(wb, "layout_version", "99", sheet=True, props=True))
    sub = read_workbook(peer, catalogue, key=None)
    assert ("layout-version", L.SHEET_IDENTITY, None) in sub.report.flatten()


def test_every_finding_kind_is_declared_once_with_a_dutch_message() -> None:
    assert sorted(FINDING_KINDS) == sorted(get_args(FindingCode))  # the type and the table agree
    for code, kind in FINDING_KINDS.items():
        assert kind.code == code and code == code.lower() and " " not in code
        assert kind.template.strip() and isinstance(kind.severity, Severity)


def test_every_emitted_code_is_declared() -> None:
    package = Path(__file__).resolve().parents[1] / "kwl_office"
    emitted = {match for path in package.rglob("*.py") for match in re.findall(
        r'make_finding\(\s*"([a-z-]+)"', path.read_text(encoding="utf-8"))}
    assert emitted and emitted <= set(FINDING_KINDS)


def test_a_finding_needs_exactly_the_values_its_message_uses() -> None:
    assert make_finding("unknown-rating", value="goed", note="",
                        allowed="V").severity is Severity.ERROR
    with pytest.raises(TypeError):
        make_finding("unknown-rating", value="goed")  # 'allowed' missing
    with pytest.raises(TypeError):
        make_finding("missing-rating", norm_id="V1.1", value="extra")


def test_rows_found_after_header_moved_down(peer: Path, catalogue: Catalogue) -> None:
    norm = first_norm(catalogue)
    fill(peer, {norm: {"rating": "D"}})
    mutate(peer, lambda wb: domain_sheets(wb)[0].insert_rows(1, 3))
    sub = read_workbook(peer, catalogue, key=KEY)
    assert sub.responses[norm].rating == "D" and sub.valid
    located = find_columns(domain_sheets(__import__("openpyxl").load_workbook(peer))[0])
    assert located is not None and located[0] == L.HEADER_ROW + 3


@pytest.mark.parametrize(("heading", "typed"), [("rating", "Beoordeling"), ("norm_id", "Nr.")])
def test_renamed_norm_or_rating_heading_is_one_missing_header(
        peer: Path, catalogue: Catalogue, heading: str, typed: str) -> None:
    cell = f"{col(Kind.PEER, heading)}{L.HEADER_ROW}"
    mutate(peer, lambda wb: domain_sheets(wb)[0].__setitem__(cell, typed))
    sheet = catalogue.domains[0].title
    row = f"{L.HEADER_ROW}:{L.HEADER_ROW}"
    # the sheet cannot be read: one finding at its header row, no "missing" per norm
    sub = read_workbook(peer, catalogue, key=KEY, allow_incomplete=True)
    assert sub.report.flatten() == [("missing-header", sheet, row)]
    label = L.RATING.label if heading == "rating" else L.NORM_ID.label
    assert label in sub.report.findings[0].message  # the heading that is missing
    # the other sheets are read; the norms of this one have no rating, so it is incomplete
    assert set(sub.responses) == {n.id for d in catalogue.domains[1:] for n in d.norms()}
    sub = read_workbook(peer, catalogue, key=KEY)
    assert sub.report.flatten() == [("missing-header", sheet, row),
                                    ("incomplete-submission", None, None)]


def test_renamed_norm_heading_on_a_renamed_tab_names_no_norm(peer: Path,
                                                             catalogue: Catalogue) -> None:
    def change(wb: Any) -> None:
        ws = domain_sheets(wb)[0]
        ws[f"{col(Kind.PEER, 'norm_id')}{L.HEADER_ROW}"] = "Nr."
        ws.title = "Mijn tabblad"

    mutate(peer, change)
    sub = read_workbook(peer, catalogue, key=KEY, allow_incomplete=True)
    assert sub.report.flatten() == [("missing-header", "Mijn tabblad",
                                     f"{L.HEADER_ROW}:{L.HEADER_ROW}")]


def test_a_deleted_row_under_a_renamed_rating_heading_is_still_missing(
        peer: Path, catalogue: Catalogue) -> None:
    def change(wb: Any) -> None:
        ws = domain_sheets(wb)[0]
        ws[f"{col(Kind.PEER, 'rating')}{L.HEADER_ROW}"] = "Beoordeling"
        ws.delete_rows(FIRST_ROW)

    mutate(peer, change)
    sub = read_workbook(peer, catalogue, key=KEY, allow_incomplete=True)
    assert sub.report.flatten(["code", "norm_id"]) == [("missing-header", None),
                                                       ("missing-norm-row", first_norm(catalogue))]


def test_number_codes_are_read_as_codes(tmp_path: Path, catalogue: Catalogue) -> None:
    data = catalogue.to_data()
    data["schaal"] = [{"code": "1", "label": "Onvoldoende", "score": 0, "rol": "niet"},
                      {"code": "2", "label": "Matig", "score": 5, "rol": "deels"},
                      {"code": "3", "label": "Goed", "score": 10, "rol": "voldoet"}]
    numbers = Catalogue.model_validate(data)
    path = generate(tmp_path / "peer.xlsx", Kind.PEER, numbers)
    norms = [n.id for n in numbers.norms()]
    typed = {"1": "1", 3: "3", "2,0": "2", 5: "2", "Goed": "3", "10": "3"}
    fill_all(path, numbers, rating="3")
    fill(path, {norm: {"rating": value} for norm, value in zip(norms, typed, strict=False)})
    sub = read_workbook(path, numbers, key=KEY)
    assert sub.report.flatten() == []
    assert [sub.responses[norm].rating for norm in norms[:len(typed)]] == list(typed.values())
    # the check macro accepts what the reader accepts: a typed 1 is looked up as "#1"
    lists = load_workbook(path)[L.SHEET_LISTS]
    tokens = {row[0] for row in lists.iter_rows(min_col=4, max_col=4, values_only=True)}
    assert {"#1", "#2", "#3", "#5", "#10"} <= tokens
