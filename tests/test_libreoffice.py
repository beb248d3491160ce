"""A filled workbook saved by LibreOffice (as ``.xlsx`` and as ``.ods``) reads back as meant.

All workbooks are prepared once per module and converted in two soffice calls (one per
target format): soffice start-up dominates the runtime, and it accepts many input files.
"""

from __future__ import annotations

import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import python_calamine as pc
from openpyxl import load_workbook

from kwl_office.assessment import Identity, Kind, Submission
from kwl_office.catalogue import Catalogue, load_example_catalogue
from kwl_office.excel import layout as L
from kwl_office.excel.container import open_workbook_file
from kwl_office.excel.reader import read_workbook
from kwl_office.identity import verify
from tests.helpers import (
    ASSESSMENT,
    HOST,
    KEY,
    REVIEWER,
    domain_sheets,
    fill,
    generate,
    messy_answers,
    norm_rows,
    soffice,
)

pytestmark = pytest.mark.soffice

XLSX = "xlsx:Calc MS Excel 2007 XML"
ODS = "ods"
FORMATS = {"xlsx": XLSX, "ods": ODS}

#: fields of NormResponse that a kind never fills
_FOREIGN = {
    Kind.SELF_EVALUATION: ("strengths", "learning_points"),
    Kind.PEER: ("evidence", "improvements", "accent"),
    Kind.AUDIT: ("evidence", "improvements", "accent"),
}
_IDENTITY_CODES = {"identity-tampered", "identity-missing", "signature-unverified"}


@dataclass
class Prepared:
    """One workbook as filled in code, before LibreOffice saw it."""

    kind: Kind
    source: Path
    identity: Identity
    meant: dict[str, dict[str, Any]]
    converted: dict[str, Path]  # format name → LibreOffice-saved file


def _convert_many(sources: list[Path], outdir: Path, target: str, profile: Path) -> list[Path]:
    """:func:`tests.helpers.soffice_convert` for several files in one soffice start."""
    exe = soffice()
    assert exe is not None
    outdir.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [exe, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
         "--convert-to", target, "--outdir", str(outdir), *map(str, sources)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    ext = target.split(":")[0]
    results = [outdir / f"{src.stem}.{ext}" for src in sources]
    missing = [p.name for p in results if not p.exists()]
    assert not missing, f"LibreOffice did not write {missing}: {done.stdout}{done.stderr}"
    return results


# --- preparing the workbooks ------------------------------------------------------------------

#: formulas typed into rating cells, with the scale code their value means
FORMULAS: list[tuple[str, str]] = [
    ('="Voldoet"', "V"),
    ('=LOWER("VOLDOET DEELS")', "D"),
    ("=1+1", "V"),
    ("=1.5+0.5", "V"),
    ("=0*5", "N"),
    ('=TRIM("  n.v.t. ")', "NVT"),
    ('=IF(1>0,"Voldoet niet","x")', "N"),
    ('=UPPER("d")', "D"),
    (f"='{L.SHEET_LISTS}'!A2", "D"),  # the dropdown list's second label, Voldoet deels
]
FORMULA_COMMENT = ('="Zie "&"bijlage "&2', "Zie bijlage 2")


def _source_identity(path: Path, catalogue: Catalogue, meant: dict[str, dict[str, Any]]
                     ) -> Identity:
    """The identity as issued, read from the openpyxl-saved file (a baseline: it reads as
    meant before LibreOffice touches it)."""
    before = read_workbook(path, catalogue, key=KEY)
    assert before.report.findings == [], before.report.flatten()
    _assert_answers(before, meant)
    assert before.identity is not None
    return before.identity


def _prepare_kind(folder: Path, catalogue: Catalogue, kind: Kind) -> Prepared:
    path = generate(folder / f"{kind.value}.xlsx", kind, catalogue)
    typed, meant = messy_answers(catalogue, kind)
    fill(path, typed)
    return Prepared(kind, path, _source_identity(path, catalogue, meant), meant, {})


def _prepare_formulas(folder: Path, catalogue: Catalogue) -> Prepared:
    kind = Kind.PEER
    path = generate(folder / "formules.xlsx", kind, catalogue)
    norm_ids = [n.id for n in catalogue.norms()]
    typed, meant = messy_answers(catalogue, kind)
    for norm_id, (formula, code) in zip(norm_ids, FORMULAS, strict=False):
        typed[norm_id]["rating"] = formula
        meant[norm_id]["rating"] = code
    last = norm_ids[len(FORMULAS)]
    typed[last]["comment_review"] = FORMULA_COMMENT[0]
    meant[last]["comment"] = FORMULA_COMMENT[1]
    fill(path, typed)
    # openpyxl writes the formulas without a cached value; only LibreOffice computes one
    identity = read_workbook(path, catalogue, key=KEY).identity
    assert identity is not None
    return Prepared(kind, path, identity, meant, {})


def _prepare_sorted(folder: Path, catalogue: Catalogue) -> tuple[Prepared, str, dict[str, int]]:
    """A self-evaluation whose first domain sheet has its norm rows in reverse order."""
    kind = Kind.SELF_EVALUATION
    path = generate(folder / "gesorteerd.xlsx", kind, catalogue)
    typed, meant = messy_answers(catalogue, kind)
    fill(path, typed)
    wb = load_workbook(path)
    ws = domain_sheets(wb)[0]
    rows = sorted(norm_rows(ws).values())
    assert len(rows) > 2
    width = ws.max_column
    values = [[ws.cell(r, c).value for c in range(1, width + 1)] for r in rows]
    for r, row_values in zip(rows, reversed(values), strict=True):
        for c, value in enumerate(row_values, start=1):
            ws.cell(r, c).value = value
    moved = norm_rows(ws)
    assert list(moved) == sorted(moved, reverse=True)  # ids really reversed
    sheet = ws.title
    wb.save(path)
    return Prepared(kind, path, _source_identity(path, catalogue, meant), meant, {}), sheet, moved


@dataclass
class Converted:
    kinds: dict[Kind, Prepared]
    formulas: Prepared
    sorted: Prepared
    sorted_sheet: str
    sorted_rows: dict[str, int]


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Converted:
    catalogue = load_example_catalogue()
    base = tmp_path_factory.mktemp("libreoffice")
    src = base / "src"
    src.mkdir()
    kinds = {kind: _prepare_kind(src, catalogue, kind) for kind in Kind}
    formulas = _prepare_formulas(src, catalogue)
    sorted_, sheet, rows = _prepare_sorted(src, catalogue)
    everything = [*kinds.values(), formulas, sorted_]
    profile = base / "lo-profile"
    for name, target in FORMATS.items():
        outputs = _convert_many([p.source for p in everything], base / name, target, profile)
        for prepared, output in zip(everything, outputs, strict=True):
            prepared.converted[name] = output
    return Converted(kinds, formulas, sorted_, sheet, rows)


# --- assertions -------------------------------------------------------------------------------


def _assert_answers(submission: Submission, meant: dict[str, dict[str, Any]]) -> None:
    assert set(submission.responses) == set(meant)
    wrong = []
    for norm_id, fields in meant.items():
        response = submission.responses[norm_id]
        for field, expected in fields.items():
            got = getattr(response, field)
            if got != expected:
                wrong.append((norm_id, field, expected, got))
    assert wrong == [], f"(norm, field, meant, read): {wrong}"


def _read(path: Path) -> Submission:
    return read_workbook(path, load_example_catalogue(), key=KEY)


# --- tests ------------------------------------------------------------------------------------

KINDS = [pytest.param(k, id=k.value) for k in Kind]


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("kind", KINDS)
def test_messy_answers_survive_libreoffice(converted: Converted, kind: Kind, fmt: str) -> None:
    prepared = converted.kinds[kind]
    submission = _read(prepared.converted[fmt])
    assert submission.report.valid, submission.report.flatten()
    assert submission.report.findings == [], submission.report.flatten()
    _assert_answers(submission, prepared.meant)
    for norm_id, response in submission.responses.items():
        for field in _FOREIGN[kind]:
            assert getattr(response, field) is None, (norm_id, field)


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("kind", KINDS)
def test_identity_survives_libreoffice(converted: Converted, kind: Kind, fmt: str) -> None:
    prepared = converted.kinds[kind]
    path = prepared.converted[fmt]
    submission = _read(path)
    identity = submission.identity
    assert identity is not None
    assert identity == prepared.identity
    assert identity.kind is kind
    assert identity.host == HOST
    assert identity.reviewer == ("" if kind is Kind.SELF_EVALUATION else REVIEWER)
    assert identity.assessment_id == ASSESSMENT
    assert identity.workbook_id == prepared.identity.workbook_id
    assert verify(identity, KEY)
    assert not submission.report.codes() & _IDENTITY_CODES, submission.report.flatten()

    # the custom document properties that mirror the identity sheet survive too
    properties = open_workbook_file(path).properties
    expected = identity.signed_fields() | {"signature": identity.signature}
    mirrored = {k: properties[L.PROPERTY_PREFIX + k] for k in L.IDENTITY_KEYS
                if L.PROPERTY_PREFIX + k in properties}
    assert mirrored == expected  # "reviewers" is written for a team only

    # LibreOffice turns veryHidden into hidden (DESIGN §4); it must not become visible
    sheets = {m.name: m for m in pc.CalamineWorkbook.from_path(str(path)).sheets_metadata}
    assert L.SHEET_IDENTITY in sheets
    assert sheets[L.SHEET_IDENTITY].visible != pc.SheetVisibleEnum.Visible
    assert sheets[L.SHEET_LISTS].visible != pc.SheetVisibleEnum.Visible


def test_formulas_without_cached_values_need_a_calculating_save(converted: Converted) -> None:
    # the precondition of the next test: as openpyxl wrote them, the formula cells are empty
    submission = _read(converted.formulas.source)
    assert "missing-rating" in submission.report.codes()


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_formulas_read_as_their_libreoffice_values(converted: Converted, fmt: str) -> None:
    prepared = converted.formulas
    path = prepared.converted[fmt]
    if fmt == "xlsx":
        # LibreOffice kept the formulas (with the values it computed), not just values
        with zipfile.ZipFile(path) as archive:
            xml = b"".join(archive.read(n) for n in archive.namelist()
                           if n.startswith("xl/worksheets/sheet"))
        assert b"LOWER(" in xml and b"1+1" in xml
    submission = _read(path)
    assert submission.report.valid, submission.report.flatten()
    assert submission.report.findings == [], submission.report.flatten()
    _assert_answers(submission, prepared.meant)
    ids = [n.id for n in load_example_catalogue().norms()]
    assert [submission.responses[i].rating for i in ids[: len(FORMULAS)]] == [
        code for _, code in FORMULAS]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_sorted_rows_read_by_norm_id(converted: Converted, fmt: str) -> None:
    prepared = converted.sorted
    submission = _read(prepared.converted[fmt])
    assert submission.report.valid, submission.report.flatten()
    assert submission.report.findings == [], submission.report.flatten()
    _assert_answers(submission, prepared.meant)
    # each norm was read from the row it was sorted to
    for norm_id, row in converted.sorted_rows.items():
        response = submission.responses[norm_id]
        assert response.sheet == converted.sorted_sheet
        assert response.cell is not None
        assert int(response.cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) == row, norm_id
    # responses come back in catalogue order, whatever the row order was
    assert list(submission.responses) == [n.id for n in load_example_catalogue().norms()]

