"""The stamped workbooks of a round equal the fully built ones, part for part."""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kwl_office.assessment import Kind
from kwl_office.catalogue import Catalogue
from kwl_office.excel.reader import read_workbook
from kwl_office.excel.stamp import WorkbookStamper
from kwl_office.excel.writer import WorkbookSpec, write_workbook
from kwl_office.names import ASSESSMENT_ID_PATTERN
from tests.helpers import KEY, examples

ISSUED = datetime(2026, 11, 28, 9, 30, 5, tzinfo=UTC)


@pytest.fixture(scope="module")
def stamper(catalogue: Catalogue) -> WorkbookStamper:
    return WorkbookStamper(catalogue)


def parts(path: Path) -> dict[str, bytes]:
    """Every zip member except the save times (core.xml differs by the second of saving)."""
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}


def core_without_times(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        core = archive.read("docProps/core.xml")
    return re.sub(rb"<dcterms:(created|modified)\b.*?</dcterms:\1>", b"", core)


def assert_same(tmp_path: Path, stamper: WorkbookStamper, catalogue: Catalogue,
                spec: WorkbookSpec) -> Path:
    built, stamped = tmp_path / "built.xlsx", tmp_path / "stamped.xlsx"
    kwargs = {"key": KEY, "workbook_id": "wb-1", "issued_at": ISSUED}
    one = write_workbook(built, spec, catalogue, **kwargs)  # type: ignore[arg-type]
    two = stamper.write(stamped, spec, **kwargs)  # type: ignore[arg-type]
    assert one == two
    expected, got = parts(built), parts(stamped)
    assert sorted(got) == sorted(expected)
    for name in expected:
        assert got[name] == expected[name], name
    assert core_without_times(stamped) == core_without_times(built)
    return stamped


SHAPES = [
    (Kind.SELF_EVALUATION, "", None, False),
    (Kind.SELF_EVALUATION, "", date(2027, 1, 15), False),
    (Kind.PEER, "Buurtwerk Zuid (fictief)", date(2027, 1, 15), False),
    (Kind.PEER, "Buurtwerk Zuid (fictief)", None, False),
    (Kind.AUDIT, "CI Kwaliteit & Toetsing", date(2027, 2, 1), False),
    (Kind.AUDIT, "CI Kwaliteit & Toetsing", None, True),
]


@pytest.mark.parametrize(("kind", "reviewer", "deadline", "distinctive"), SHAPES)
def test_every_shape_equals_the_full_build(tmp_path: Path, catalogue: Catalogue, kind: Kind,
                                           reviewer: str, deadline: date | None,
                                           distinctive: bool) -> None:
    spec = WorkbookSpec(kind=kind, assessment_id="2026-014", host="Welzijn & Zorg ‘De Brug’",
                        reviewer=reviewer, deadline=deadline, distinctive_only=distinctive)
    stamped = assert_same(tmp_path, WorkbookStamper(catalogue), catalogue, spec)
    submission = read_workbook(stamped, catalogue, key=KEY, allow_incomplete=True)
    assert submission.report.valid, submission.report.findings
    assert submission.identity.host == "Welzijn & Zorg ‘De Brug’"
    assert submission.identity.reviewer == reviewer


NAME = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1,
               max_size=60).filter(lambda s: s.strip())
#: ids are refused outside the safe alphabet (both ways must refuse), and stamped inside it
ASSESSMENT_ID = st.one_of(NAME, st.from_regex(ASSESSMENT_ID_PATTERN, fullmatch=True))


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(host=NAME, reviewer=NAME, assessment_id=ASSESSMENT_ID)
def test_hostile_names_equal_the_full_build(tmp_path: Path, catalogue: Catalogue,
                                            stamper: WorkbookStamper, host: str,
                                            reviewer: str, assessment_id: str) -> None:
    """XML specials, ``&`` in print headers, emoji, control characters (full-build fallback),
    names that look like placeholders: all give the workbook the full build gives."""
    spec = WorkbookSpec(kind=Kind.PEER, assessment_id=assessment_id, host=host,
                        reviewer=reviewer, deadline=date(2027, 1, 15))
    try:
        write_workbook(tmp_path / "probe.xlsx", spec, catalogue, key=KEY)
    except Exception as error:  # the full build refuses it: so must the stamper
        with pytest.raises(type(error)):
            stamper.write(tmp_path / "x.xlsx", spec, key=KEY)
        return
    assert_same(tmp_path, stamper, catalogue, spec)


@pytest.mark.parametrize("host", ["KWLSTAMPHOSTé", "KWLSTAMPHOST&#233;", "1 januari 1901",
                                  "a_x000a_b", "<b>&amp;</b>", "Zorg &P &N"])
def test_names_like_placeholders_or_escapes(tmp_path: Path, catalogue: Catalogue,
                                            stamper: WorkbookStamper, host: str) -> None:
    spec = WorkbookSpec(kind=Kind.PEER, assessment_id="KWLSTAMPASSESSMENT", host=host,
                        reviewer="KWLSTAMPREVIEWERé", deadline=date(2027, 1, 15))
    assert_same(tmp_path, stamper, catalogue, spec)


def test_template_built_once_per_shape(catalogue: Catalogue, tmp_path: Path) -> None:
    stamper = WorkbookStamper(catalogue)
    for number in range(3):
        stamper.write(tmp_path / f"{number}.xlsx", WorkbookSpec(
            kind=Kind.PEER, assessment_id=f"2026-00{number}", host=f"Host {number}",
            reviewer="R"), key=KEY)
    assert len(stamper._templates) == 1


def test_macro_workbooks_equal_the_full_build(tmp_path: Path, catalogue: Catalogue) -> None:
    spec = WorkbookSpec(kind=Kind.PEER, assessment_id="2026-014", host="Zorg & Welzijn ‘Oost’",
                        reviewer="Buurtwerk Zuid", deadline=date(2027, 1, 15))
    built, stamped = tmp_path / "built.xlsm", tmp_path / "stamped.xlsm"
    kwargs = {"key": KEY, "workbook_id": "wb-1", "issued_at": ISSUED}
    write_workbook(built, spec, catalogue, macros=True, **kwargs)  # type: ignore[arg-type]
    WorkbookStamper(catalogue, macros=True).write(stamped, spec, **kwargs)  # type: ignore[arg-type]
    expected, got = parts(built), parts(stamped)
    assert sorted(got) == sorted(expected) and "xl/vbaProject.bin" in got
    for name in expected:
        assert got[name] == expected[name], name
