"""The workbook's own progress (Start, Overzicht) counts what kwl counts, and a remark in the
norm column is no norm (user findings F1, F3 and the mirror instruction of F10).

The live formulas are recalculated by LibreOffice (a conversion to .xlsx recalculates them);
what they show is compared with what the reader makes of the same cells.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind, Submission
from kwl_office.catalogue import Catalogue, load_example_catalogue
from kwl_office.excel import layout as L
from kwl_office.excel.reader import read_workbook
from kwl_office.excel.writer import WorkbookSpec, write_workbook
from kwl_office.findings import Severity
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
    mutate,
    norm_rows,
    soffice_convert,
    team_sheets,
)

#: ratings as people type them: each is accepted by kwl, or refused by it ('goed', '-2')
TYPED = ["V ", "n.v.t", "0", "2,0", "voldoet-deels", "Voldoet\u00a0deels", "V\n", "V\r\n",
         "2.0", "02", "Voldoet\tdeels", "NVT.", "voldoet_deels", "+2", " 2,00 ", "D.",
         2, 2.0, "\u00a02\u00a0", "N\t",
         # refused by kwl: the sheet must leave these open too
         "voldoet (deels)", "Ja", "goed", "v\u200b", "-2", "?", "v*", "2.5", 2.5, "20"]
#: not typed above: a logical value (WAAR), which LibreOffice counts over a range as 1 (README)
#: accents as people type them (kwl reads 'nee' as no, 'misschien' is reported)
ACCENTS = ["x", "Ja ", "j", "yes", "JA", 1, "ja", "nee", "y", "WAAR", "true", "X.", "misschien"]
REMARKS = ("Opmerking van het team:", "Ingevuld door J. de Vries, 12-03-2026")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_example_catalogue()


def _add_remarks(wb: Any) -> None:
    """A remark row (with a rating beside it) and a signature line under the first table."""
    ws = domain_sheets(wb)[0]
    rating = next(c for c in range(1, ws.max_column + 1)
                  if ws.cell(L.HEADER_ROW, c).value == L.RATING.label)
    last = ws.max_row
    ws.cell(last + 1, 1).value = REMARKS[0]
    ws.cell(last + 1, rating).value = "V"
    ws.cell(last + 3, 1).value = REMARKS[1]


def _recalculated(path: Path, tmp_path: Path) -> CalamineWorkbook:
    converted = soffice_convert(path, tmp_path / "lo", "xlsx:Calc MS Excel 2007 XML",
                                tmp_path / "profiel")
    return CalamineWorkbook.from_path(str(converted))


def _overview(book: CalamineWorkbook) -> dict[str, dict[str, Any]]:
    """Overzicht: row label → column header → value."""
    rows = book.get_sheet_by_name(L.SHEET_OVERVIEW).to_python()
    header = rows[3]
    return {str(r[0]): dict(zip(header, r, strict=False)) for r in rows[4:] if r and r[0]}


def _start_texts(book: CalamineWorkbook) -> list[str]:
    return [str(v) for r in book.get_sheet_by_name(L.SHEET_START).to_python() for v in r]


def _counts(sub: Submission, catalogue: Catalogue, norm_ids: list[str]) -> Counter[str]:
    """What kwl counts for ``norm_ids``: per level label, and rated/accents."""
    labels = {level.code: level.label for level in catalogue.scale}
    counts: Counter[str] = Counter()
    for norm_id in norm_ids:
        response = sub.responses.get(norm_id)
        if response is not None and response.rating:
            counts[labels[response.rating]] += 1
            counts[T.OVERVIEW_RATED] += 1
        if response is not None and getattr(response, "accent", False):
            counts[T.OVERVIEW_ACCENTS] += 1
    return counts


@pytest.mark.soffice
def test_start_and_overview_count_what_kwl_counts(catalogue: Catalogue,
                                                  tmp_path: Path) -> None:
    ids = [n.id for n in catalogue.norms()]
    path = fill_all(generate(tmp_path / "zelf.xlsx", Kind.SELF_EVALUATION), catalogue,
                    rating="Voldoet", out=tmp_path / "ingevuld.xlsx")
    answers: dict[str, dict[str, Any]] = {ids[i]: {"rating": v} for i, v in enumerate(TYPED)}
    for i, accent in enumerate(ACCENTS):
        answers.setdefault(ids[-1 - i], {})["accent"] = accent
    fill(path, answers)
    mutate(path, _add_remarks)
    sub = read_workbook(path, catalogue, key=KEY, allow_incomplete=True)
    # the remark rows are warnings; the refused ratings and the accent 'misschien' errors
    assert {f.code for f in sub.report.findings if f.severity is Severity.ERROR} == {
        "unknown-rating", "invalid-accent"}
    book = _recalculated(path, tmp_path)
    overview = _overview(book)

    headers = [T.OVERVIEW_RATED, T.OVERVIEW_ACCENTS, *(lv.label for lv in catalogue.scale)]
    for domain in catalogue.domains:
        norm_ids = [n.id for n in domain.norms()]
        kwl = _counts(sub, catalogue, norm_ids)
        shown = overview[domain.title]
        assert shown[T.OVERVIEW_TOTAL_NORMS] == len(norm_ids), domain.title  # no remark
        assert {h: shown[h] for h in headers} == {h: kwl[h] for h in headers}, domain.title
        assert shown[T.OVERVIEW_OPEN] == len(norm_ids) - kwl[T.OVERVIEW_RATED]
    rated = sum(1 for r in sub.responses.values() if r.rating)
    assert rated == len(ids) - 10  # the ten refused spellings
    assert overview[T.OVERVIEW_TOTAL][T.OVERVIEW_RATED] == rated
    assert overview[T.OVERVIEW_TOTAL][T.OVERVIEW_ACCENTS] == 11  # all but 'nee', 'misschien'
    start = _start_texts(book)
    assert f"{rated} {T.PROGRESS_OF} {len(ids)} {T.PROGRESS_SUFFIX}" in start


@pytest.mark.soffice
def test_team_progress_counts_a_reviewer_who_typed_numbers(catalogue: Catalogue,
                                                           tmp_path: Path) -> None:
    ids = [n.id for n in catalogue.norms()]
    path = tmp_path / "team.xlsx"
    write_workbook(path, WorkbookSpec(kind=Kind.PEER, assessment_id=ASSESSMENT, host=HOST,
                                      reviewers=TEAM), catalogue, key=KEY)
    fill_team(path, {TEAM[0]: {n: {"rating": "V"} for n in ids},
                     TEAM[1]: {n: {"rating": "2,0" if i % 2 else "\u00a0V\u00a0"}
                               for i, n in enumerate(ids)},
                     TEAM[2]: {n: {"rating": "V"} for n in ids[:20]}})

    def remark(wb: Any) -> None:
        ws = team_sheets(wb)[TEAM[1]]
        ws.cell(ws.max_row + 2, 1).value = REMARKS[1]

    mutate(path, remark)
    sub = read_workbook(path, catalogue, key=KEY, allow_incomplete=True)
    assert not [f for f in sub.report.findings if f.severity is Severity.ERROR
                and f.code != "incomplete-submission"]
    assert "remark-in-norm-column" in sub.report.codes()
    overview = _overview(_recalculated(path, tmp_path))
    expected = {TEAM[0]: len(ids), TEAM[1]: len(ids), TEAM[2]: 20}
    assert {name: overview[name][T.OVERVIEW_RATED] for name in TEAM} == expected
    assert {overview[name][T.OVERVIEW_TOTAL_NORMS] for name in TEAM} == {len(ids)}


def test_overview_counts_the_norms_the_workbook_was_made_with(catalogue: Catalogue,
                                                              tmp_path: Path) -> None:
    for kind, scope in ((Kind.PEER, False), (Kind.AUDIT, True)):
        path = generate(tmp_path / f"{kind.value}.xlsx", kind, distinctive_only=scope)
        ws = load_workbook(path)[L.SHEET_OVERVIEW]
        norms = {d.title: [n for n in d.norms() if n.distinctive or not scope]
                 for d in catalogue.domains}
        shown = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(5, ws.max_row + 1)
                 if ws.cell(r, 1).value in norms}
        # a number, not COUNTA of the norm column (which counts a remark typed there)
        assert shown == {title: len(n) for title, n in norms.items() if n}


def test_a_remark_in_the_norm_column_is_a_warning(catalogue: Catalogue,
                                                  tmp_path: Path) -> None:
    path = fill_all(generate(tmp_path / "peer.xlsx", Kind.PEER), catalogue)
    first = domain_sheets(load_workbook(path))[0]
    last = max(norm_rows(first).values())
    mutate(path, _add_remarks)
    sub = read_workbook(path, catalogue, key=KEY)
    sheet = catalogue.domains[0].title
    assert sub.report.flatten() == [("remark-in-norm-column", sheet, f"A{last + 1}"),
                                    ("remark-in-norm-column", sheet, f"A{last + 3}")]
    assert sub.valid and all(f.norm_id is None for f in sub.report.findings)
    assert len(sub.responses) == len(list(catalogue.norms()))


@pytest.mark.parametrize("text", ["X9.9", "V99.1", "d1.2-a"])
def test_a_norm_id_of_another_catalogue_stays_an_error(catalogue: Catalogue, tmp_path: Path,
                                                       text: str) -> None:
    path = fill_all(generate(tmp_path / "peer.xlsx", Kind.PEER), catalogue)
    mutate(path, lambda wb: domain_sheets(wb)[0].cell(40, 1, text))
    sub = read_workbook(path, catalogue, key=KEY)
    sheet = catalogue.domains[0].title
    assert sub.report.flatten() == [("unknown-norm-row", sheet, "A40")]
    assert not sub.valid
    # a finding that rejects the workbook does not tell the filler the row is harmless
    assert "genegeerd" not in sub.report.findings[0].message


def _instructions(path: Path) -> list[str]:
    ws = load_workbook(path)[L.SHEET_START]
    return [str(c.value) for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.value[:1].isdigit() and ".  " in c.value]


def test_the_mirror_instruction_only_where_there_is_a_mirror(catalogue: Catalogue,
                                                             tmp_path: Path) -> None:
    selfeval = fill_all(generate(tmp_path / "zelf.xlsx", Kind.SELF_EVALUATION), catalogue)
    mirror = read_workbook(selfeval, catalogue, key=KEY)
    team = tmp_path / "team.xlsx"
    write_workbook(team, WorkbookSpec(kind=Kind.PEER, assessment_id=ASSESSMENT, host=HOST,
                                      reviewers=TEAM[:2]), catalogue, key=KEY)
    team_mirror = tmp_path / "team-spiegel.xlsx"
    write_workbook(team_mirror, WorkbookSpec(kind=Kind.PEER, assessment_id=ASSESSMENT,
                                             host=HOST, reviewers=TEAM[:2]),
                   catalogue, key=KEY, mirror=mirror)
    without = [generate(tmp_path / f"{k.value}.xlsx", k) for k in (Kind.PEER, Kind.AUDIT)]
    with_mirror = [generate(tmp_path / f"{k.value}-spiegel.xlsx", k, mirror=mirror)
                   for k in (Kind.PEER, Kind.AUDIT)]
    for path in [*without, team]:
        lines = _instructions(path)
        assert lines and not [line for line in lines if "zelfevaluatie" in line.lower()], path
    for path in [*with_mirror, team_mirror]:
        assert any(line.endswith(T.MIRROR_INSTRUCTION) for line in _instructions(path)), path
