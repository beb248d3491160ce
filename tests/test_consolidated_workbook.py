"""The consolidated workbook (geconsolideerd.xlsx): what the secretariat sees, and the
consensus meeting's Eindoordeel/Motivering read back as overrides.

The consolidation is built from real generated workbooks: three peer reviews by different
organisations and a self-evaluation, filled with messy spellings. Every reviewer leaves the
last norm empty (the catalogue's policy allows one open norm), so it has no consensus (advice
*onvolledig* until the meeting decides it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart

from kwl_office import texts_nl as T
from kwl_office.assessment import Assessment, Kind, Variant
from kwl_office.catalogue import Catalogue, load_example_catalogue
from kwl_office.consolidation.model import Advice, Consolidation, Override
from kwl_office.consolidation.overrides import read_overrides
from kwl_office.consolidation.rules import consolidate
from kwl_office.consolidation.workbook import DISAGREEMENT_COLOUR, write_consolidated
from kwl_office.excel import layout as L
from kwl_office.excel.reader import read_workbook
from tests.helpers import (
    ASSESSMENT,
    HOST,
    KEY,
    fill,
    generate,
    messy_answers,
    soffice_convert,
)

REVIEWERS = ["Sociaal Werk Noord (fictief)", "Welzijn West (fictief)", "De Brug Zuid (fictief)"]


@dataclass
class Built:
    catalogue: Catalogue
    assessment: Assessment
    submissions: list[Any]
    result: Consolidation
    path: Path  # the written geconsolideerd.xlsx
    open_norm: str


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    data = load_example_catalogue().to_data()
    data["beleid"]["min_aandeel_beoordeeld"] = 0.98  # 49 of 50 norms
    catalogue = Catalogue.model_validate(data)
    folder = tmp_path_factory.mktemp("geconsolideerd")
    ids = [n.id for n in catalogue.norms()]
    open_norm = ids[-1]
    rated = ids[:-1]
    submissions = []
    for shift, reviewer in enumerate(REVIEWERS):
        path = generate(folder / f"peer-{shift}.xlsx", Kind.PEER, catalogue, reviewer=reviewer)
        # each reviewer's spellings rotated: the same norm gets different ratings
        typed, _ = messy_answers(catalogue, Kind.PEER, rated[shift:] + rated[:shift])
        fill(path, typed)
        submissions.append(read_workbook(path, catalogue, key=KEY))
    path = generate(folder / "zelfevaluatie.xlsx", Kind.SELF_EVALUATION, catalogue)
    typed, _ = messy_answers(catalogue, Kind.SELF_EVALUATION, ids[5:] + ids[:5])
    fill(path, typed)
    submissions.append(read_workbook(path, catalogue, key=KEY))
    assert all(s.valid for s in submissions)
    assessment = Assessment(id=ASSESSMENT, host=HOST, variant=Variant.PEER_REVIEW)
    result = consolidate(catalogue, assessment, submissions)
    out = write_consolidated(folder / "geconsolideerd.xlsx", result, catalogue)
    assert out == folder / "geconsolideerd.xlsx"
    return Built(catalogue, assessment, submissions, result, out, open_norm)


# --- helpers ---------------------------------------------------------------------------------


def _rgb(cell: Any) -> str:
    return str(cell.fill.fgColor.rgb)[-6:].upper()


def _matrix(path: Path) -> tuple[Any, Any, dict[str, int], dict[str, int]]:
    """(workbook, Matrix sheet, header label → column, norm id → row)."""
    wb = load_workbook(path)
    ws = wb[L.SHEET_MATRIX]
    header = L.CONSOLIDATED_HEADER_ROW
    cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    rows = {ws.cell(r, 1).value: r for r in range(header + 1, ws.max_row + 1)
            if ws.cell(r, 1).value}
    return wb, ws, cols, rows


def _fill_matrix(path: Path, answers: dict[str, tuple[Any, Any]], out: Path) -> dict[str, str]:
    """Type Eindoordeel/Motivering per norm; returns norm id → Eindoordeel cell."""
    wb, ws, cols, rows = _matrix(path)
    final, motivation = cols[L.MATRIX_FINAL.label], cols[L.MATRIX_MOTIVATION.label]
    cells = {}
    for norm_id, (rating, text) in answers.items():
        ws.cell(rows[norm_id], final).value = rating
        ws.cell(rows[norm_id], motivation).value = text
        cells[norm_id] = ws.cell(rows[norm_id], final).coordinate
    wb.save(out)
    return cells


def _letter(path: Path, label: str) -> str:
    _, ws, cols, _ = _matrix(path)
    return str(ws.cell(1, cols[label]).column_letter)


# --- the workbook ----------------------------------------------------------------------------


def test_sheets_and_visibility(built: Built) -> None:
    wb = load_workbook(built.path)
    # the findings have a sheet of their own (its header row on every printed page)
    findings = [T.CONS_SHEET_FINDINGS] if built.result.findings else []
    assert wb.sheetnames == [L.SHEET_SUMMARY, L.SHEET_MATRIX, L.SHEET_DOMAINS,
                             L.SHEET_AGREEMENT, *findings, L.CONSOLIDATED_LISTS_SHEET,
                             L.CONSOLIDATED_IDENTITY_SHEET]
    states = {ws.title: ws.sheet_state for ws in wb.worksheets}
    assert states == {L.SHEET_SUMMARY: "visible", L.SHEET_MATRIX: "visible",
                      L.SHEET_DOMAINS: "visible", L.SHEET_AGREEMENT: "visible",
                      **dict.fromkeys(findings, "visible"),
                      L.CONSOLIDATED_LISTS_SHEET: "hidden",
                      L.CONSOLIDATED_IDENTITY_SHEET: "veryHidden"}
    assert wb.active is not None and wb.active.title == L.SHEET_SUMMARY
    for ws in wb.worksheets:
        assert bool(ws.sheet_view.tabSelected) == (ws.title == L.SHEET_SUMMARY)
        if ws.sheet_state == "visible":  # print-ready
            assert ws.page_setup.orientation == "landscape"
            assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
            assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage


def test_identity_sheet(built: Built) -> None:
    ws = load_workbook(built.path)[L.CONSOLIDATED_IDENTITY_SHEET]
    values = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    c = built.result
    assert values == {
        "kind": L.CONSOLIDATED_KIND,
        "assessment_id": ASSESSMENT,
        "host": HOST,
        "catalogue_id": c.catalogue_id,
        "catalogue_version": c.catalogue_version,
        "catalogue_fingerprint": built.catalogue.fingerprint,
        "variant": Variant.PEER_REVIEW.value,
    }
    assert list(values) == list(L.CONSOLIDATED_KEYS)


def test_summary(built: Built) -> None:
    ws = load_workbook(built.path)[L.SHEET_SUMMARY]
    texts = [str(cell.value) for row in ws.iter_rows() for cell in row if cell.value]
    c = built.result
    assert c.advice is Advice.INCOMPLETE and c.blocking_norms == [built.open_norm]
    for expected in (HOST, ASSESSMENT, T.VARIANT_LABELS["intercollegiaal"], *c.reviewers,
                     T.CONS_HEADING_BLOCKING["onvolledig"], built.open_norm,
                     built.catalogue.norm_index[built.open_norm][2].text):
        assert expected in " | ".join(texts), expected
    advice = next(cell for row in ws.iter_rows() for cell in row
                  if cell.value == T.ADVICE_LABELS["onvolledig"].upper())
    assert _rgb(advice) == "FFC000" and advice.font.sz >= 18


def test_summary_reassessment_and_findings(built: Built, tmp_path: Path) -> None:
    # the same reviews as an audit: 'voldoet niet' consensus blocks the certificate
    audit = Assessment(id=ASSESSMENT, host=HOST, variant=Variant.AUDIT)
    extra = read_workbook(built.submissions[0].file, built.catalogue, key=KEY)
    decided = Override(norm_id=built.open_norm, rating="V", motivation="In het overleg")
    result = consolidate(built.catalogue, audit, [*built.submissions, extra], [decided])
    assert result.advice is Advice.REASSESSMENT and result.blocking_norms
    assert [f.code for f in result.findings] == ["duplicate-submission"]
    wb = load_workbook(write_consolidated(tmp_path / "g.xlsx", result, built.catalogue))
    cells = {cell.value: cell for row in wb[L.SHEET_SUMMARY].iter_rows() for cell in row
             if cell.value}
    assert _rgb(cells[T.ADVICE_LABELS["herbeoordeling"].upper()]) == "C00000"
    assert set(result.blocking_norms) <= set(cells)
    listed = {cell.value for row in wb[T.CONS_SHEET_FINDINGS].iter_rows() for cell in row}
    assert result.findings[0].message in listed
    assert T.CLI_SEVERITY["error"] in listed


def test_matrix_rows_columns_and_colours(built: Built) -> None:
    _, ws, cols, rows = _matrix(built.path)
    c, scale = built.result, built.catalogue.rating_scale
    header = [ws.cell(L.CONSOLIDATED_HEADER_ROW, i).value for i in range(1, ws.max_column + 1)]
    assert header == [col.label for col in L.MATRIX_BEFORE_REVIEWERS] + c.reviewers + [
        col.label for col in L.MATRIX_AFTER_REVIEWERS]
    assert c.reviewers == sorted(REVIEWERS)
    assert list(rows) == list(c.norms) == [n.id for n in built.catalogue.norms()]
    for norm_id, result in c.norms.items():
        row = rows[norm_id]
        shown = [(result.self_rating, cols[L.MATRIX_SELF.label])]
        shown += [(result.ratings[r], cols[r]) for r in c.reviewers]
        shown += [(result.computed, cols[L.MATRIX_CONSENSUS.label])]
        for code, col in shown:
            cell = ws.cell(row, col)
            if code is None:
                continue
            level = scale.by_code[code]
            assert cell.value == level.label, (norm_id, cell.coordinate)
            assert _rgb(cell) == level.colour.upper(), (norm_id, cell.coordinate)
    # the open norm: no ratings, consensus "open"
    open_row = rows[built.open_norm]
    assert ws.cell(open_row, cols[L.MATRIX_CONSENSUS.label]).value == T.CONS_OPEN
    assert ws.cell(open_row, cols[L.MATRIX_SPREAD.label]).value == T.CONS_NOT_AVAILABLE
    assert ws.freeze_panes == f"B{L.CONSOLIDATED_FIRST_DATA_ROW}"
    title_row = L.CONSOLIDATED_HEADER_ROW
    assert ws.print_title_rows.replace("$", "") == f"{title_row}:{title_row}"
    assert ws.auto_filter.ref


def test_matrix_only_inputs_unlocked(built: Built) -> None:
    _, ws, cols, rows = _matrix(built.path)
    inputs = {cols[L.MATRIX_FINAL.label], cols[L.MATRIX_MOTIVATION.label]}
    for row in rows.values():
        for col in range(1, ws.max_column + 1):
            assert ws.cell(row, col).protection.locked is (col not in inputs), (row, col)
    motivation = ws.cell(next(iter(rows.values())), cols[L.MATRIX_MOTIVATION.label])
    assert motivation.alignment.wrap_text
    prot = ws.protection
    assert prot.sheet and not prot.password and not prot.sort and not prot.autoFilter
    final = ws.cell(next(iter(rows.values())), cols[L.MATRIX_FINAL.label]).coordinate
    validations = [dv for dv in ws.data_validations.dataValidation if final in dv.sqref]
    assert validations and L.CONSOLIDATED_LISTS_SHEET in validations[0].formula1
    lists = load_workbook(built.path)[L.CONSOLIDATED_LISTS_SHEET]
    assert [lists.cell(r, 1).value for r in range(1, len(built.catalogue.scale) + 1)] == \
        built.catalogue.rating_scale.labels


def test_matrix_disagreements_highlighted(built: Built) -> None:
    _, ws, cols, rows = _matrix(built.path)
    disagreeing = {n for n, r in built.result.norms.items() if r.disagreement}
    assert disagreeing, "the fixture should produce at least one disagreement"
    for norm_id, row in rows.items():
        norm, spread = ws.cell(row, 1), ws.cell(row, cols[L.MATRIX_SPREAD.label])
        for cell in (norm, spread):
            assert (_rgb(cell) == DISAGREEMENT_COLOUR) is (norm_id in disagreeing), norm_id
        assert bool(spread.font.b) is (norm_id in disagreeing), norm_id
    # the legend above the table names the colour
    legend = [ws.cell(r, c).value for r in range(1, L.CONSOLIDATED_HEADER_ROW)
              for c in range(1, ws.max_column + 1)]
    spread = built.catalogue.policy.disagreement_spread
    assert T.CONS_LEGEND_TEXT.format(spread=spread) in legend


def test_domains_sheet_and_chart(built: Built) -> None:
    ws = load_workbook(built.path)[L.SHEET_DOMAINS]
    c, scale = built.result, built.catalogue.scale
    header = L.CONSOLIDATED_HEADER_ROW
    labels = [ws.cell(header, i).value for i in range(1, ws.max_column + 1)]
    for level in scale:
        cell = ws.cell(header, labels.index(level.label) + 1)
        assert _rgb(cell) == level.colour.upper()
    for offset, summary in enumerate([*c.domains.values(), c.overall], start=1):
        row = header + offset
        assert ws.cell(row, 1).value in (summary.title, T.CONS_TOTAL)
        assert [ws.cell(row, labels.index(lv.label) + 1).value for lv in scale] == [
            summary.counts[lv.code] for lv in scale]
        share = ws.cell(row, labels.index(L.SUMMARY_SHARE_MET.label) + 1)
        assert share.value == pytest.approx(summary.share_met) and "%" in share.number_format
        mean = ws.cell(row, labels.index(L.SUMMARY_MEAN_SCORE.label) + 1)
        assert mean.number_format == "0.00"
    values = [cell.value for row in ws.iter_rows() for cell in row]
    assert T.CONS_QUALITY_VALUES_TITLE in values
    assert all(any(str(v).startswith(f"{qv} ") for v in values) for qv in c.quality_values)

    charts = ws._charts
    assert len(charts) == 1 and isinstance(charts[0], BarChart)
    chart = charts[0]
    assert chart.grouping == "stacked" and len(chart.series) == len(scale)
    fills = [str(getattr(clr, "val", clr)).upper()
             for clr in (s.graphicalProperties.solidFill.srgbClr for s in chart.series)]
    assert fills == [lv.colour.upper() for lv in scale]


def test_agreement_sheet(built: Built, tmp_path: Path) -> None:
    c = built.result
    ws = load_workbook(built.path)[L.SHEET_AGREEMENT]
    header = L.CONSOLIDATED_HEADER_ROW
    labels = [col.label for col in L.AGREEMENT_COLUMNS]
    assert [ws.cell(header, i).value for i in range(1, len(labels) + 1)] == labels
    total = header + len(c.domains) + 1
    assert ws.cell(total, 1).value == T.CONS_TOTAL
    assert c.agreement.alpha is not None
    assert ws.cell(total, 2).value == pytest.approx(c.agreement.alpha)
    assert ws.cell(total, 2).number_format == "0.00"
    assert ws.cell(total, 4).number_format == "0%"
    assert ws.cell(total, 5).value == c.agreement.pairable_units
    values = [cell.value for row in ws.iter_rows() for cell in row]
    assert all(line in values for line in T.CONS_AGREEMENT_EXPLANATION)

    # alpha undefined: the Dutch reason instead of a number (never NaN)
    first = next(iter(c.domains))
    domains = dict(c.domains)
    domains[first] = domains[first].model_copy(update={"alpha": None,
                                                       "alpha_reason": "geen-variatie"})
    changed = c.model_copy(update={"domains": domains})
    ws = load_workbook(write_consolidated(tmp_path / "g.xlsx", changed, built.catalogue))[
        L.SHEET_AGREEMENT]
    assert ws.cell(header + 1, 2).value == T.CONS_ALPHA_REASONS["geen-variatie"]


# --- reading the overrides back --------------------------------------------------------------


def test_read_overrides_round_trip(built: Built, tmp_path: Path) -> None:
    c = built.result
    by_consensus: dict[str | None, list[str]] = {}
    for norm_id, r in c.norms.items():
        by_consensus.setdefault(r.computed, []).append(norm_id)
    to_partly = by_consensus["V"][0]
    to_met = by_consensus["N"][0]
    to_nvt = by_consensus["D"][0]
    repeated = by_consensus["V"][1]  # Eindoordeel = consensus, no motivation: skipped
    no_motivation = by_consensus["D"][1]
    answers = {
        to_partly: (" voldoet DEELS ", "Onvoldoende\r\nonderbouwd in het dossier."),
        to_met: (2, "Na het gesprek: aantoonbaar in orde."),
        to_nvt: ("n.v.t.", "Geldt niet voor deze organisatie"),
        built.open_norm: ("v", "Besproken en vastgesteld"),
        repeated: ("Voldoet", None),
        no_motivation: ("VOLDOET NIET", "   "),
    }
    cells = _fill_matrix(built.path, answers, tmp_path / "ingevuld.xlsx")
    overrides, report = read_overrides(tmp_path / "ingevuld.xlsx", built.catalogue,
                                       assessment_id=ASSESSMENT)
    assert report.findings == []
    motivation = _letter(built.path, L.MATRIX_MOTIVATION.label)

    def expected(norm_id: str, code: str, text: str | None) -> Override:
        return Override(norm_id=norm_id, rating=code, motivation=text, sheet=L.SHEET_MATRIX,
                        cell=cells[norm_id], motivation_cell=f"{motivation}{_row(cells, norm_id)}")

    want = [
        expected(to_partly, "D", "Onvoldoende\nonderbouwd in het dossier."),
        expected(to_met, "V", "Na het gesprek: aantoonbaar in orde."),
        expected(to_nvt, "NVT", "Geldt niet voor deze organisatie"),
        expected(built.open_norm, "V", "Besproken en vastgesteld"),
        expected(no_motivation, "N", None),
    ]
    order = list(c.norms)
    assert overrides == sorted(want, key=lambda o: order.index(o.norm_id))

    # consolidating with them: the meeting's ratings count, the one without motivation not
    again = consolidate(built.catalogue, built.assessment, built.submissions, overrides)
    assert again.norms[to_partly].consensus == "D" and again.norms[to_partly].overridden
    assert again.norms[built.open_norm].consensus == "V"
    assert not again.norms[no_motivation].overridden
    assert [(f.code, f.sheet, f.cell) for f in again.findings] == [
        ("override-without-motivation", L.SHEET_MATRIX,
         f"{motivation}{_row(cells, no_motivation)}")]
    # the open norm decided: the advice changes from onvolledig to registratie
    assert c.advice is Advice.INCOMPLETE and again.advice is Advice.REGISTRATION


def _row(cells: dict[str, str], norm_id: str) -> str:
    return "".join(ch for ch in cells[norm_id] if ch.isdigit())


def test_overridden_consolidation_is_prefilled_and_idempotent(built: Built,
                                                                tmp_path: Path) -> None:
    norm_ids = list(built.result.norms)
    answers = {norm_ids[0]: ("d", "Bewijs ontbrak"), norm_ids[3]: ("N", "Zie verslag, punt 4"),
               built.open_norm: ("Voldoet", "Vastgesteld in het overleg")}
    _fill_matrix(built.path, answers, tmp_path / "ingevuld.xlsx")
    first, report = read_overrides(tmp_path / "ingevuld.xlsx", built.catalogue,
                                   assessment_id=ASSESSMENT)
    assert report.findings == [] and len(first) == 3
    result = consolidate(built.catalogue, built.assessment, built.submissions, first)
    written = write_consolidated(tmp_path / "opnieuw.xlsx", result, built.catalogue)

    _, ws, cols, rows = _matrix(written)
    scale = built.catalogue.rating_scale
    for override in first:
        row = rows[override.norm_id]
        assert ws.cell(row, cols[L.MATRIX_FINAL.label]).value == \
            scale.by_code[override.rating].label
        assert ws.cell(row, cols[L.MATRIX_MOTIVATION.label]).value == override.motivation
    second, report = read_overrides(written, built.catalogue, assessment_id=ASSESSMENT)
    assert report.findings == [] and second == first
    again = consolidate(built.catalogue, built.assessment, built.submissions, second)
    assert again.model_dump() == result.model_dump()


def test_unknown_rating(built: Built, tmp_path: Path) -> None:
    norm_id = next(iter(built.result.norms))
    cells = _fill_matrix(built.path, {norm_id: ("misschien", "Twijfel")}, tmp_path / "x.xlsx")
    overrides, report = read_overrides(tmp_path / "x.xlsx", built.catalogue,
                                       assessment_id=ASSESSMENT)
    assert overrides == []
    assert report.flatten() == [("unknown-rating", L.SHEET_MATRIX, cells[norm_id])]
    assert report.findings[0].norm_id == norm_id and not report.valid


def test_assessment_mismatch(built: Built) -> None:
    overrides, report = read_overrides(built.path, built.catalogue, assessment_id="2026-999")
    assert overrides == []
    assert report.flatten() == [("assessment-mismatch", L.CONSOLIDATED_IDENTITY_SHEET, None)]
    # without an expected assessment nothing is checked
    overrides, report = read_overrides(built.path, built.catalogue)
    assert overrides == [] and report.findings == []


def test_missing_header(built: Built, tmp_path: Path) -> None:
    wb, ws, cols, _ = _matrix(built.path)
    ws.cell(L.CONSOLIDATED_HEADER_ROW, cols[L.MATRIX_MOTIVATION.label]).value = "Toelichting"
    wb.save(tmp_path / "x.xlsx")
    overrides, report = read_overrides(tmp_path / "x.xlsx", built.catalogue)
    row = L.CONSOLIDATED_HEADER_ROW
    assert overrides == []
    assert report.flatten() == [("missing-header", L.SHEET_MATRIX, f"{row}:{row}")]


def test_renamed_sheet_moved_columns_and_sorted_rows(built: Built, tmp_path: Path) -> None:
    """People rename the sheet, insert a column and sort: found by labels and norm ids."""
    norm_id = list(built.result.norms)[2]
    _fill_matrix(built.path, {norm_id: ("Voldoet niet", "Besloten")}, tmp_path / "x.xlsx")
    wb = load_workbook(tmp_path / "x.xlsx")
    ws = wb[L.SHEET_MATRIX]
    ws.title = "Consensusoverleg"
    ws.insert_cols(2)
    ws.insert_rows(2)
    first = L.CONSOLIDATED_FIRST_DATA_ROW + 1
    last = ws.max_row
    values = [[ws.cell(r, c).value for c in range(1, ws.max_column + 1)]
              for r in range(first, last + 1)]
    for r, row_values in zip(range(first, last + 1), reversed(values), strict=True):
        for c, value in enumerate(row_values, start=1):
            ws.cell(r, c).value = value
    wb.save(tmp_path / "x.xlsx")
    overrides, report = read_overrides(tmp_path / "x.xlsx", built.catalogue,
                                       assessment_id=ASSESSMENT)
    assert report.findings == []
    [override] = overrides
    assert (override.norm_id, override.rating, override.motivation, override.sheet) == (
        norm_id, "N", "Besloten", "Consensusoverleg")
    rows = {ws.cell(r, 1).value: r for r in range(first, last + 1)}
    final = 1 + [ws.cell(first - 1, c).value for c in range(1, ws.max_column + 1)].index(
        L.MATRIX_FINAL.label)
    assert override.cell == ws.cell(rows[norm_id], final).coordinate


# --- LibreOffice ------------------------------------------------------------------------------


@pytest.mark.soffice
def test_pdf_and_libreoffice_save(built: Built, tmp_path: Path) -> None:
    """The workbook prints to PDF, and a copy filled and saved by LibreOffice reads back."""
    profile = tmp_path / "lo-profile"
    pdf = soffice_convert(built.path, tmp_path / "pdf", "pdf", profile)
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")

    norm_id = next(iter(built.result.norms))
    cells = _fill_matrix(built.path, {norm_id: ("Voldoet deels", "Besproken")},
                         tmp_path / "ingevuld.xlsx")
    saved = soffice_convert(tmp_path / "ingevuld.xlsx", tmp_path / "lo",
                            "xlsx:Calc MS Excel 2007 XML", profile)
    overrides, report = read_overrides(saved, built.catalogue, assessment_id=ASSESSMENT)
    assert report.findings == []
    assert [(o.norm_id, o.rating, o.motivation, o.cell) for o in overrides] == [
        (norm_id, "D", "Besproken", cells[norm_id])]
