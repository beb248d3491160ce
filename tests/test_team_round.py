"""The round with shared team workbooks: manifest column Werkmap (issue 14, item 6).

A row with ``Werkmap = gedeeld`` gets one team workbook for its peer reviewers; it is issued,
filled per reviewer, collected, checked, annotated and reported like any other workbook."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind
from kwl_office.batch.demo import SHARED, prepare_demo
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.intake import ERROR_COLOUR, WARNING_COLOUR
from kwl_office.batch.issue import INDEX_NAME, IssuedWorkbook, _team_file_stem, load_index
from kwl_office.batch.manifest import COLUMNS, HEADER_ROW, read_manifest
from kwl_office.batch.status import round_status
from kwl_office.batch.steps import collect_round, issue_round, report_round
from kwl_office.catalogue import Catalogue
from kwl_office.documents.text import document_lines
from kwl_office.excel import layout as L
from kwl_office.excel.reader import read_workbook
from tests.helpers import TEAM, fill_all, fill_team, make_round, row, team_sheets

CI = "CI Toetsing Midden (fictief)"
HOST_A = "Stichting De Haven (fictief)"
HOST_B = "Welzijn Het Plein (fictief)"


def werkmap_cell(offset: int) -> str:
    """The Werkmap cell of the manifest's ``offset``-th row (1: the first row)."""
    return f"{get_column_letter(list(COLUMNS).index('workbook') + 1)}{HEADER_ROW + offset}"


def shared(assessment_id: str, host: str, variant: str, reviewers: tuple[str, ...] = TEAM,
           ci: str = "", workbook: str = "gedeeld", **more: Any) -> dict[str, Any]:
    return row(assessment_id, host, variant, "; ".join(reviewers), ci) | {
        "workbook": workbook} | more


def by_assessment(folder: RoundFolder, assessment_id: str) -> list[IssuedWorkbook]:
    return sorted((w for w in load_index(folder).values() if w.assessment_id == assessment_id),
                  key=lambda w: (w.kind.value, w.reviewer))


def team_of(folder: RoundFolder, assessment_id: str) -> IssuedWorkbook:
    return next(w for w in by_assessment(folder, assessment_id) if w.reviewers)


def set_manifest(folder: RoundFolder, offset: int, key: str, value: Any) -> None:
    wb = load_workbook(folder.manifest)
    wb.worksheets[0].cell(HEADER_ROW + offset, list(COLUMNS).index(key) + 1).value = value
    wb.save(folder.manifest)


def is_marked(cell: Any) -> bool:
    """True for a cell the annotated copy marked as a problem (an error or a warning)."""
    return str(cell.fill.fgColor.rgb)[-6:] in (ERROR_COLOUR, WARNING_COLOUR)


def answers(catalogue: Catalogue, reviewers: tuple[str, ...] = TEAM,
            skip: dict[str, int] | None = None) -> dict[str, dict[str, dict[str, Any]]]:
    """Each reviewer rates every norm (differently); ``skip``: reviewer → how many of the
    last norms they leave open."""
    norms = list(catalogue.norms())
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for r, reviewer in enumerate(reviewers):
        keep = len(norms) - (skip or {}).get(reviewer, 0)
        found[reviewer] = {norm.id: {"rating": ("V", "D", "V")[(i + r) % 3],
                                     "comment_review": f"{reviewer} over {norm.id}"}
                           for i, norm in enumerate(norms[:keep])}
    return found


def hand_in_team(folder: RoundFolder, catalogue: Catalogue, assessment_id: str,
                 skip: dict[str, int] | None = None) -> None:
    """The self-evaluation complete, the team workbook filled per reviewer plus team texts."""
    for item in by_assessment(folder, assessment_id):
        source = folder.root / item.file
        target = folder.inbox / f"{item.label}.xlsx"
        if item.reviewers:
            fill_team(source, answers(catalogue, item.reviewers, skip),
                      {"V1.1": {"team_strengths": "Samen sterk in intervisie",
                                "team_learning_points": "Verslagen vaker delen"}}, out=target)
        else:
            fill_all(source, catalogue, out=target)


# --- the manifest ----------------------------------------------------------------------------


def test_shared_row_issues_one_team_workbook_and_the_ci_its_own(tmp_path: Path) -> None:
    folder = make_round(tmp_path / "ronde", [
        shared("2026-201", HOST_A, "intercollegiaal"),
        shared("2026-202", HOST_B, "combinatie", TEAM[:2], ci=CI),
    ])
    result, report = issue_round(folder)
    assert not report.codes()
    assert len(result.created) == 2 + 3

    kinds = [(w.kind, w.reviewer, w.reviewers) for w in by_assessment(folder, "2026-201")]
    assert kinds == [(Kind.PEER, "", TEAM), (Kind.SELF_EVALUATION, "", ())]
    team = team_of(folder, "2026-201")
    assert team.label == f"2026-201 {T.TEAM_LABEL_KIND} - {TEAM[0]}, {TEAM[1]} en {TEAM[2]}"
    # a team too long for a file name: the penvoerder and how many others, never a list
    # that silently leaves a reviewer out
    assert Path(team.file).name == f"2026-201 team - {TEAM[0]} en 2 anderen.xlsx"
    identity = read_workbook(folder.root / team.file, folder.catalogue(),
                             key=folder.key()).identity
    assert identity is not None
    assert (identity.kind, identity.reviewers, identity.assessment_id, identity.host) == (
        Kind.PEER, TEAM, "2026-201", HOST_A)
    assert identity.workbook_id == team.workbook_id

    combination = by_assessment(folder, "2026-202")
    assert [(w.kind, w.reviewer, w.reviewers) for w in combination] == [
        (Kind.AUDIT, CI, ()), (Kind.PEER, "", TEAM[:2]), (Kind.SELF_EVALUATION, "", ())]

    # a second issue makes nothing new
    again, _ = issue_round(folder)
    assert (len(again.created), again.existing) == (0, 5)


def test_shared_without_two_peers_is_a_warning_at_the_cell(tmp_path: Path) -> None:
    folder = make_round(tmp_path / "ronde", [
        shared("2026-203", HOST_A, "audit", (), ci=CI),
        shared("2026-204", HOST_B, "intercollegiaal", TEAM[:1]),
        shared("2026-205", "Buurthuis Oost (fictief)", "zelfevaluatie", ()),
    ])
    result, report = issue_round(folder)
    assert sorted(report.flatten(["code", "sheet", "cell"])) == [
        ("manifest-shared-too-few", "Manifest", werkmap_cell(n)) for n in (1, 2, 3)] + [
        ("manifest-too-few-reviewers", "Manifest", f"G{HEADER_ROW + 2}")]
    assert all(not w.reviewers for w in load_index(folder).values())
    assert [(w.kind, w.reviewer) for w in by_assessment(folder, "2026-204")] == [
        (Kind.PEER, TEAM[0]), (Kind.SELF_EVALUATION, "")]
    assert [(w.kind, w.reviewer) for w in by_assessment(folder, "2026-203")] == [
        (Kind.AUDIT, CI), (Kind.SELF_EVALUATION, "")]
    assert len(result.created) == 5


@pytest.mark.parametrize("typed, is_shared", [
    ("gedeeld", True), (" Gedeeld ", True), ("per beoordelaar", False), ("", False)])
def test_werkmap_values(tmp_path: Path, typed: str, is_shared: bool) -> None:
    folder = make_round(tmp_path / "ronde", [shared("2026-206", HOST_A, "intercollegiaal",
                                                    workbook=typed)])
    entries, report = read_manifest(folder.manifest, folder.catalogue())
    assert not report.codes()
    assert [e.shared for e in entries] == [is_shared]


def test_invalid_werkmap_is_refused_at_its_cell(tmp_path: Path) -> None:
    folder = make_round(tmp_path / "ronde", [
        shared("2026-207", HOST_A, "intercollegiaal", workbook="samen"),
        shared("2026-208", HOST_B, "intercollegiaal"),
    ])
    entries, report = read_manifest(folder.manifest, folder.catalogue())
    assert report.flatten(["code", "sheet", "cell"]) == [
        ("manifest-invalid-value", "Manifest", werkmap_cell(1))]
    assert [e.assessment.id for e in entries] == ["2026-208"]


def test_template_offers_the_werkmap_dropdown(tmp_path: Path) -> None:
    folder = make_round(tmp_path / "ronde", [])
    ws = load_workbook(folder.manifest).worksheets[0]
    column = get_column_letter(list(COLUMNS).index("workbook") + 1)
    assert ws[f"{column}{HEADER_ROW}"].value == "Werkmap"
    lists = load_workbook(folder.manifest)["_lijsten"]
    values = [lists.cell(r, 4).value for r in (1, 2)]
    assert tuple(values) == T.MANIFEST_WORKBOOK_MODES
    assert any(f"{column}{HEADER_ROW + 1}" in str(dv.sqref) and "$D$" in str(dv.formula1)
               for dv in ws.data_validations.dataValidation)


def test_manifest_and_index_of_before_still_work(tmp_path: Path) -> None:
    folder = make_round(tmp_path / "ronde", [row("2026-209", HOST_A, "intercollegiaal",
                                                 "; ".join(TEAM[:2]))])
    # a manifest made before the column existed
    wb = load_workbook(folder.manifest)
    wb.worksheets[0].delete_cols(list(COLUMNS).index("workbook") + 1)
    wb.save(folder.manifest)
    result, report = issue_round(folder)
    assert not report.codes() and len(result.created) == 3
    # the index of a round without team workbooks has no "reviewers" (as before)
    data = json.loads((folder.issued / INDEX_NAME).read_text(encoding="utf-8"))
    assert all("reviewers" not in item for item in data.values())
    assert {w.reviewer for w in load_index(folder).values()} == {"", *TEAM[:2]}


# --- the round -------------------------------------------------------------------------------


def test_team_round_issue_fill_collect_status_report(tmp_path: Path) -> None:
    folder = make_round(tmp_path / "ronde", [shared("2026-210", HOST_A, "intercollegiaal")])
    catalogue = folder.catalogue()
    issue_round(folder)
    hand_in_team(folder, catalogue, "2026-210")
    summary = collect_round(folder)
    assert summary.invalid == 0 and summary.annotated == []
    rows, _ = round_status(folder)
    assert [(r.expected, r.received, r.invalid, r.state) for r in rows] == [
        (2, 2, 0, T.STATUS_READY)]

    # the intake lists the team workbook once, as the team
    intake = load_workbook(summary.intake)[T.INTAKE_SHEET]
    listed = [[c.value for c in r][:5] for r in intake.iter_rows(min_row=4)]
    assert [T.TEAM_INTAKE_KIND, ", ".join(TEAM[:2]) + f" en {TEAM[2]}"] in [
        r[2:4] for r in listed]

    result = report_round(folder, today=None)
    assert result.ok, [r.status for r in result.results]
    out = folder.assessment_output("2026-210")
    consolidation = json.loads((out / "consolidation.json").read_text(encoding="utf-8"))
    assert sorted(consolidation["reviewers"]) == sorted(TEAM)
    lines = document_lines(out / "leerrapport.docx")
    assert any("Samen sterk in intervisie" in line for line in lines)
    assert any(f"— {T.TEAM_NAME_SHORT}, bij norm" in line for line in lines)


def test_one_reviewer_incomplete_blocks_and_is_annotated(tmp_path: Path) -> None:
    folder = make_round(tmp_path / "ronde", [shared("2026-211", HOST_A, "intercollegiaal")])
    catalogue = folder.catalogue()
    issue_round(folder)
    total = len(list(catalogue.norms()))
    hand_in_team(folder, catalogue, "2026-211", skip={TEAM[1]: total // 2})
    summary = collect_round(folder)
    assert summary.invalid == 1
    team = team_of(folder, "2026-211")

    rows, _ = round_status(folder)
    assert (rows[0].received, rows[0].invalid) == (2, 1)
    assert T.REPORT_INVALID.format(items=team.label) in rows[0].state

    # the annotated copy marks the open cells on that reviewer's own sheet, and the Controle
    # sheet links there
    [copy] = summary.annotated
    wb = load_workbook(copy)
    sheets = team_sheets(wb)
    own = sheets[TEAM[1]]
    marked = {(ws.title, c.coordinate) for ws in wb.worksheets if ws.title != L.SHEET_CHECK
              for r in ws.iter_rows() for c in r if is_marked(c)}
    assert marked and {title for title, _ in marked} == {own.title}
    sub = read_workbook(copy, catalogue, key=folder.key())
    open_cells = {(f.sheet, f.cell) for f in sub.report.findings if f.code == "missing-rating"}
    assert open_cells and open_cells <= marked
    check = wb[L.SHEET_CHECK]
    links = [c.hyperlink.location for r in check.iter_rows() for c in r if c.hyperlink]
    assert links and all(link.startswith(f"'{own.title}'!") or
                         link.startswith(f"{own.title}!") for link in links)
    for link in links:
        sheet, cell = link.rsplit("!", 1)
        assert is_marked(wb[sheet.strip("'")][cell])

    # not reported until the reviewer completes their part
    result = report_round(folder)
    assert result.results == [] and [e.assessment.id for e, _ in result.waiting] == ["2026-211"]


def test_team_workbook_waits_for_the_self_evaluation(tmp_path: Path) -> None:
    folder = make_round(tmp_path / "ronde", [shared("2026-212", HOST_A, "intercollegiaal",
                                                    mirror="ja")])
    catalogue = folder.catalogue()
    result, _ = issue_round(folder)
    assert [w.kind for w in result.created] == [Kind.SELF_EVALUATION]
    assert [p.label for p in result.waiting] == [
        f"2026-212 {T.TEAM_LABEL_KIND} - {TEAM[0]}, {TEAM[1]} en {TEAM[2]}"]
    rows, _ = round_status(folder)
    assert rows[0].expected == 2 and "wacht op de zelfevaluatie" in rows[0].state

    [selfeval] = by_assessment(folder, "2026-212")
    fill_all(folder.root / selfeval.file, catalogue, out=folder.inbox / "zelfevaluatie.xlsx")
    collect_round(folder)
    result, _ = issue_round(folder)
    assert [w.reviewers for w in result.created] == [TEAM] and result.waiting == []
    sub = read_workbook(folder.root / result.created[0].file, catalogue, key=folder.key(),
                        allow_incomplete=True)
    assert sub.identity is not None and sub.identity.reviewers == TEAM
    # every reviewer's sheet shows the self-evaluation beside each norm
    shown = load_workbook(folder.root / result.created[0].file)
    mirror_labels = {c.label for c in L.team_review_columns(mirror=True)
                     if c.role is L.Role.MIRROR}
    for reviewer in TEAM:
        header = {c.value for c in team_sheets(shown)[reviewer][L.HEADER_ROW]}
        assert mirror_labels and mirror_labels <= header


# --- switching a row after the issue -----------------------------------------------------------


def test_switching_to_shared_after_issue_keeps_what_was_issued(tmp_path: Path) -> None:
    folder = make_round(tmp_path / "ronde", [shared("2026-213", HOST_A, "intercollegiaal",
                                                    workbook="")])
    issue_round(folder)
    before = load_index(folder)
    set_manifest(folder, 1, "workbook", "gedeeld")
    result, report = issue_round(folder)
    assert report.flatten(["code", "sheet", "cell"]) == [
        ("manifest-workbook-mode-changed", "Manifest", werkmap_cell(1))]
    assert result.created == [] and load_index(folder) == before

    # a reviewer added later still gets a workbook of their own, as the row was issued
    set_manifest(folder, 1, "reviewers", "; ".join(TEAM + ("Buurtkracht (fictief)",)))
    result, _ = issue_round(folder)
    assert [(w.reviewer, w.reviewers) for w in result.created] == [("Buurtkracht (fictief)", ())]


def test_switching_from_shared_after_issue_keeps_the_team_workbook(tmp_path: Path) -> None:
    folder = make_round(tmp_path / "ronde", [shared("2026-214", HOST_A, "intercollegiaal")])
    issue_round(folder)
    before = load_index(folder)
    set_manifest(folder, 1, "workbook", "per beoordelaar")
    result, report = issue_round(folder)
    assert report.flatten(["code", "sheet", "cell"]) == [
        ("manifest-workbook-mode-changed", "Manifest", werkmap_cell(1))]
    assert result.created == [] and load_index(folder) == before

    # the team is fixed once issued: a new reviewer gets their own workbook, and says so
    set_manifest(folder, 1, "workbook", "gedeeld")
    set_manifest(folder, 1, "reviewers", "; ".join(TEAM[1:] + ("Buurtkracht (fictief)",)))
    result, report = issue_round(folder)
    assert [(w.reviewer, w.reviewers) for w in result.created] == [("Buurtkracht (fictief)", ())]
    [finding] = report.findings
    assert finding.code == "manifest-workbook-mode-changed"
    assert "Buurtkracht (fictief)" in finding.message and TEAM[0] in finding.message
    # the team workbook stays expected, with everyone it was issued to
    assert team_of(folder, "2026-214").reviewers == TEAM


# --- the demo ------------------------------------------------------------------------------------


def test_demo_has_a_shared_workbook_assessment(tmp_path: Path) -> None:
    folder = prepare_demo(tmp_path / "demo", lambda _: None)
    [assessment_id] = SHARED
    team = team_of(folder, assessment_id)
    assert len(team.reviewers) == 3
    [filled] = [p for p in folder.inbox.iterdir() if p.name.startswith(assessment_id)
                and T.DEMO_TEAM in p.name]
    sub = read_workbook(filled, folder.catalogue(), key=folder.key())
    assert sub.valid, sub.report.flatten(["code", "sheet", "cell"])
    assert [r.reviewer for r in sub.reviews()] == list(team.reviewers)
    # each reviewer answered for themselves, and the team said something together
    ratings = [tuple(r.responses[n].rating for n in sorted(r.responses)) for r in sub.reviews()]
    assert len(set(ratings)) == 3
    assert any(t.strengths for t in sub.team.values())
    assert any(t.learning_points for t in sub.team.values())


def test_a_short_team_is_named_in_full_in_the_file_name() -> None:
    assert _team_file_stem("2026-014", ("Noord", "Zuid", "West")) == (
        "2026-014 team - Noord & Zuid & West")
    assert _team_file_stem("2026-014", ("Noord" * 20, "Zuid")) == (
        f"2026-014 team - {'Noord' * 20} en 1 andere")
