"""Forked copies of a shared team workbook merge (issue 14, item 4).

A team workbook sent round by mail comes back as several copies of the same workbook, each
with other reviewers' cells filled. Collect and consolidate merge them cell by cell; a cell
filled differently in two copies is a ``merge-conflict`` naming both files."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from kwl_office import texts_nl as T
from kwl_office.assessment import Submission
from kwl_office.batch.collect import COPIES_DIR
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.issue import IssuedWorkbook, load_index
from kwl_office.batch.receipts import load_receipts
from kwl_office.batch.status import round_status
from kwl_office.batch.steps import collect_round, issue_round, report_round
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.consolidation.files import read_submissions
from kwl_office.excel.merge import WorkbookCopy, read_copies
from kwl_office.excel.reader import read_workbook
from tests.helpers import (
    HOST,
    KEY,
    TEAM,
    examples,
    fill_all,
    fill_team,
    make_round,
    norm_rows,
    row,
    soffice_convert,
    team_sheets,
)
from tests.test_team import answers_for, make_team

Answers = dict[str, dict[str, dict[str, Any]]]
TEAM_TEXT = {"V1.1": {"team_strengths": "Samen sterk in intervisie",
                      "team_learning_points": "Verslag vaker delen"}}


@pytest.fixture
def blank(tmp_path: Path, catalogue: Catalogue) -> Path:
    return make_team(tmp_path / "uitgegeven.xlsx", catalogue)


def copy_of(blank: Path, name: str, answers: Answers,
            team: dict[str, dict[str, Any]] | None = None, *, age: int = 0) -> Path:
    """A copy of the issued workbook filled by some of the team, ``age`` seconds old."""
    out = blank.parent / name
    fill_team(blank, answers, team, out=out)
    stamp = out.stat().st_mtime - age
    os.utime(out, (stamp, stamp))
    return out


def merged(*paths: Path, catalogue: Catalogue, **kw: Any) -> Submission:
    return read_copies([WorkbookCopy(p.name, p) for p in paths], catalogue, key=KEY, **kw)


def same_answers(a: Submission, b: Submission) -> bool:
    """Equal reviews, team texts and validity (what consolidation uses)."""
    ja, jb = a.to_json(), b.to_json()
    return (ja["reviews"], ja["team"], a.valid) == (jb["reviews"], jb["team"], b.valid)


def only(answers: Answers, *reviewers: str) -> Answers:
    return {r: answers[r] for r in reviewers}


# --- the library ----------------------------------------------------------------------------


def test_two_forks_merge_into_what_one_copy_filled_by_all_would_be(
        blank: Path, catalogue: Catalogue) -> None:
    answers = answers_for(catalogue)
    first = copy_of(blank, "Noord.xlsx", only(answers, TEAM[0]), TEAM_TEXT, age=60)
    second = copy_of(blank, "Zuid en West.xlsx", only(answers, TEAM[1], TEAM[2]))
    whole = read_workbook(copy_of(blank, "heel.xlsx", answers, TEAM_TEXT), catalogue, key=KEY)
    assert whole.valid
    sub = merged(first, second, catalogue=catalogue)
    assert sub.report.findings == []
    assert same_answers(sub, whole)
    # each copy alone is incomplete: the completeness rule is applied to the merge
    assert "incomplete-submission" in read_workbook(first, catalogue, key=KEY).report.codes()


def test_three_copies_and_equal_values_in_several_are_fine(blank: Path,
                                                           catalogue: Catalogue) -> None:
    answers = answers_for(catalogue)
    copies = [copy_of(blank, f"{n}.xlsx", only(answers, reviewer), age=30 - n)
              for n, reviewer in enumerate(TEAM)]
    # the team sheet typed in two copies, the same words
    again = copy_of(blank, "team.xlsx", only(answers, TEAM[0]), TEAM_TEXT)
    whole = read_workbook(copy_of(blank, "heel.xlsx", answers, TEAM_TEXT), catalogue, key=KEY)
    sub = merged(*copies, again, catalogue=catalogue)
    assert sub.valid and sub.report.findings == []
    assert same_answers(sub, whole)


def test_a_cell_filled_differently_is_a_conflict_naming_both_files_and_cells(
        blank: Path, catalogue: Catalogue) -> None:
    answers = answers_for(catalogue)
    first = copy_of(blank, "eerste.xlsx", only(answers, TEAM[0], TEAM[1]), age=60)
    changed = {TEAM[2]: answers[TEAM[2]],
               TEAM[0]: {"V1.2": {"rating": "N" if answers[TEAM[0]]["V1.2"]["rating"] != "N"
                                  else "V"}}}
    second = copy_of(blank, "tweede.xlsx", changed)
    sub = merged(first, second, catalogue=catalogue)
    assert not sub.valid
    [conflict] = [f for f in sub.report.findings if f.code == "merge-conflict"]
    ws = team_sheets(load_workbook(second))[TEAM[0]]
    cell = next(c.coordinate for r in ws.iter_rows() for c in r if c.value == "V1.2")
    rating_cell = next(f"{col}{cell[1:]}" for col in "ABCDEFGHIJ"
                       if ws[f"{col}{cell[1:]}"].value == changed[TEAM[0]]["V1.2"]["rating"])
    assert (conflict.code, conflict.file, conflict.sheet, conflict.cell, conflict.norm_id) == (
        "merge-conflict", "tweede.xlsx", ws.title, rating_cell, "V1.2")
    # the other copy and its cell are named too (the same place in an unsorted copy)
    assert "eerste.xlsx" in conflict.message and rating_cell in conflict.message
    # one conflict, not two: a comment typed the same in both copies is no conflict
    assert sub.report.codes() == {"merge-conflict"}


def swap_rows(path: Path, reviewer: str, first: str, second: str) -> tuple[int, int]:
    """Sort a reviewer's sheet as people do: the rows of two norms change places."""
    wb = load_workbook(path)
    ws = team_sheets(wb)[reviewer]
    rows = norm_rows(ws)
    a, b = rows[first], rows[second]
    for column in range(1, ws.max_column + 1):
        upper, lower = ws.cell(a, column), ws.cell(b, column)
        upper.value, lower.value = lower.value, upper.value
    wb.save(path)
    return a, b


def test_sorted_rows_merge_by_norm_id_and_a_conflict_names_each_copys_cell(
        blank: Path, catalogue: Catalogue) -> None:
    answers = answers_for(catalogue)
    first = copy_of(blank, "eerste.xlsx", only(answers, TEAM[0]), TEAM_TEXT, age=60)
    second = copy_of(blank, "tweede.xlsx", answers)
    upper, lower = swap_rows(second, TEAM[0], "V1.1", "V1.2")
    whole = read_workbook(copy_of(blank, "heel.xlsx", answers, TEAM_TEXT), catalogue, key=KEY)
    assert same_answers(merged(first, second, catalogue=catalogue), whole)

    # V1.1 changed in the sorted copy: the conflict is at its row there, and names the row
    # of V1.1 in the other copy
    before = answers[TEAM[0]]["V1.1"]["rating"]
    wb = load_workbook(second)
    ws = team_sheets(wb)[TEAM[0]]
    column = next(c.column_letter for c in ws[lower] if c.value == before)  # moved down
    ws[f"{column}{lower}"] = "N" if before != "N" else "V"
    wb.save(second)
    sub = merged(first, second, catalogue=catalogue)
    [conflict] = [f for f in sub.report.findings if f.code == "merge-conflict"]
    assert (conflict.file, conflict.sheet, conflict.cell, conflict.norm_id) == (
        "tweede.xlsx", ws.title, f"{column}{lower}", "V1.1")
    assert f"{column}{upper}" in conflict.message and "eerste.xlsx" in conflict.message


def test_a_rating_spelled_otherwise_is_the_same_rating(blank: Path,
                                                       catalogue: Catalogue) -> None:
    answers = answers_for(catalogue)
    first = copy_of(blank, "a.xlsx", answers, age=60)
    label = catalogue.rating_scale.by_code[answers[TEAM[0]]["V1.1"]["rating"]].label
    second = copy_of(blank, "b.xlsx", {TEAM[0]: {"V1.1": {"rating": f" {label.upper()} "}}})
    assert merged(first, second, catalogue=catalogue).valid


def test_a_wrong_rating_in_one_copy_keeps_its_finding_there(blank: Path,
                                                            catalogue: Catalogue) -> None:
    answers = answers_for(catalogue)
    noord = {TEAM[0]: {**answers[TEAM[0]], "V1.3": {"rating": "prima"}}}
    first = copy_of(blank, "Noord.xlsx", noord, age=60)
    second = copy_of(blank, "rest.xlsx", only(answers, TEAM[1], TEAM[2]))
    sub = merged(first, second, catalogue=catalogue)
    own = read_workbook(first, catalogue, key=KEY)
    wrong = next(f for f in own.report.findings if f.code == "unknown-rating")
    found = [(f.code, f.file, f.sheet, f.cell) for f in sub.report.findings
             if f.code == "unknown-rating"]
    assert found == [("unknown-rating", "Noord.xlsx", wrong.sheet, wrong.cell)]
    # and Noord's part counts as incomplete in the merge, located at that cell
    [incomplete] = [f for f in sub.report.findings if f.code == "incomplete-submission"]
    assert (incomplete.file, incomplete.sheet, incomplete.cell) == (
        "Noord.xlsx", wrong.sheet, wrong.cell)


def test_missing_ratings_filled_in_another_copy_disappear(blank: Path,
                                                          catalogue: Catalogue) -> None:
    answers = answers_for(catalogue)
    norms = [n.id for n in catalogue.norms()]
    half = {r: {n: a for n, a in answers[r].items() if n in norms[: len(norms) // 2]}
            for r in TEAM}
    rest = {r: {n: a for n, a in answers[r].items() if n not in half[r]} for r in TEAM}
    first = copy_of(blank, "helft.xlsx", half, age=60)
    second = copy_of(blank, "rest.xlsx", {**rest, TEAM[2]: {}})
    alone = read_workbook(first, catalogue, key=KEY, allow_incomplete=True)
    assert "missing-rating" in alone.report.codes()
    sub = merged(first, second, catalogue=catalogue, allow_incomplete=True)
    missing = {(f.file, f.norm_id) for f in sub.report.findings if f.code == "missing-rating"}
    # only West's second half is open in both copies, and it is named in the newest copy
    assert missing == {("rest.xlsx", n) for n in norms[len(norms) // 2:]}
    assert len(sub.reviews()) == 3
    assert all(r.rating for rev in sub.reviews()[:2] for r in rev.responses.values())


def test_a_sheet_deleted_in_the_newest_copy_comes_from_the_copy_that_has_it(
        blank: Path, catalogue: Catalogue) -> None:
    answers = answers_for(catalogue)
    first = copy_of(blank, "Noord.xlsx", only(answers, TEAM[0]), TEAM_TEXT, age=60)
    second = copy_of(blank, "rest.xlsx", only(answers, TEAM[1], TEAM[2]))
    wb = load_workbook(second)
    wb.remove(team_sheets(wb)[TEAM[0]])
    wb.save(second)
    assert "team-sheet-missing" in read_workbook(second, catalogue, key=KEY).report.codes()
    whole = read_workbook(copy_of(blank, "heel.xlsx", answers, TEAM_TEXT), catalogue, key=KEY)
    sub = merged(first, second, catalogue=catalogue)
    assert sub.report.findings == [] and same_answers(sub, whole)


def test_a_single_copy_reads_as_before(blank: Path, catalogue: Catalogue) -> None:
    path = copy_of(blank, "enig.xlsx", answers_for(catalogue), TEAM_TEXT)
    assert merged(path, catalogue=catalogue).to_json() == read_workbook(
        path, catalogue, key=KEY).to_json()


@settings(max_examples=examples(12), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(split=st.lists(st.integers(0, 2), min_size=3, max_size=3),
       copies=st.integers(2, 3), team_in=st.integers(0, 2))
@pytest.mark.slow
def test_any_split_of_the_team_over_copies_merges_back(
        tmp_path: Path, catalogue: Catalogue, split: list[int], copies: int,
        team_in: int) -> None:
    """Each reviewer's answers in one copy (chosen at random), the team's in one: the merge
    is what one copy filled by all of them reads as."""
    folder = tmp_path / f"{'-'.join(map(str, split))}-{copies}-{team_in}"
    folder.mkdir()
    blank = make_team(folder / "uitgegeven.xlsx", catalogue)
    answers = answers_for(catalogue)
    whole = read_workbook(copy_of(blank, "heel.xlsx", answers, TEAM_TEXT), catalogue, key=KEY)
    paths = [copy_of(blank, f"kopie{n}.xlsx",
                     {r: answers[r] for r, c in zip(TEAM, split, strict=True) if c % copies == n},
                     TEAM_TEXT if team_in % copies == n else None, age=10 - n)
             for n in range(copies)]
    sub = merged(*paths, catalogue=catalogue)
    assert sub.report.findings == [] and same_answers(sub, whole)


# --- consolidate ----------------------------------------------------------------------------


def test_consolidate_merges_copies_in_a_folder(tmp_path: Path, blank: Path,
                                               catalogue: Catalogue) -> None:
    answers = answers_for(catalogue)
    inputs = tmp_path / "binnen"
    inputs.mkdir()
    copy_of(blank, "Noord.xlsx", only(answers, TEAM[0]), TEAM_TEXT, age=60)
    copy_of(blank, "Zuid en West.xlsx", only(answers, TEAM[1], TEAM[2]))
    for name in ("Noord.xlsx", "Zuid en West.xlsx"):
        shutil.move(blank.parent / name, inputs / name)
    subs, findings = read_submissions(sorted(inputs.iterdir()), catalogue, KEY)
    assert len(subs) == 1 and findings == [] and subs[0].valid

    key_file = tmp_path / "sleutel.key"
    key_file.write_text(KEY.hex())
    out = tmp_path / "uit"
    result = CliRunner().invoke(main, ["consolidate", str(inputs), "-o", str(out),
                                       "--key", str(key_file), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert sorted(data["reviewers"]) == sorted(TEAM)
    assert not [f for f in data["findings"] if f["code"] in ("duplicate-submission",
                                                             "submission-invalid")]
    # kwl check stays a per-file tool: each copy on its own is incomplete
    checked = CliRunner().invoke(main, ["check", str(inputs / "Noord.xlsx"),
                                        "--key", str(key_file), "--json"])
    assert checked.exit_code == 1
    assert "incomplete-submission" in {f["code"] for f in json.loads(checked.output)["findings"]}


def test_consolidate_reports_a_conflict_and_does_not_count_the_workbook(
        tmp_path: Path, blank: Path, catalogue: Catalogue) -> None:
    answers = answers_for(catalogue)
    other = {r: {n: {**a, "comment_review": f"anders: {a['comment_review']}"}
                 for n, a in answers[r].items()} for r in TEAM}
    inputs = tmp_path / "binnen"
    inputs.mkdir()
    copy_of(blank, "a.xlsx", answers, age=60)
    copy_of(blank, "b.xlsx", only(other, TEAM[1]))
    for name in ("a.xlsx", "b.xlsx"):
        shutil.move(blank.parent / name, inputs / name)
    subs, _ = read_submissions(sorted(inputs.iterdir()), catalogue, KEY)
    [sub] = subs
    conflicts = [f for f in sub.report.findings if f.code == "merge-conflict"]
    assert len(conflicts) == len(list(catalogue.norms()))
    assert {f.file for f in conflicts} == {"b.xlsx"}


# --- the round ------------------------------------------------------------------------------


def shared_round(tmp_path: Path) -> tuple[RoundFolder, IssuedWorkbook, Catalogue]:
    folder = make_round(tmp_path / "ronde", [
        row("2026-300", HOST, "intercollegiaal", "; ".join(TEAM)) | {"workbook": "gedeeld"}])
    issue_round(folder)
    team = next(w for w in load_index(folder).values() if w.reviewers)
    own = next(w for w in load_index(folder).values() if not w.reviewers)
    catalogue = folder.catalogue()
    fill_all(folder.root / own.file, catalogue, out=folder.inbox / "zelfevaluatie.xlsx")
    return folder, team, catalogue


def test_round_collects_forks_and_reports_their_merge(tmp_path: Path) -> None:
    folder, team, catalogue = shared_round(tmp_path)
    answers = answers_for(catalogue)
    issued = folder.root / team.file
    copy_of(issued, "team Noord.xlsx", only(answers, TEAM[0]), TEAM_TEXT, age=60)
    copy_of(issued, "team Zuid West.xlsx", only(answers, TEAM[1], TEAM[2]))
    for name in ("team Noord.xlsx", "team Zuid West.xlsx"):
        shutil.move(issued.parent / name, folder.inbox / name)

    summary = collect_round(folder)
    assert summary.invalid == 0 and summary.annotated == []
    receipt = load_receipts(folder)[team.workbook_id]
    assert [c.source for c in receipt.all_copies()] == ["team Noord.xlsx",
                                                        "team Zuid West.xlsx"]
    assert all((folder.root / f).is_file() for f in receipt.files)
    assert COPIES_DIR in Path(receipt.copies[0].file).parts
    rows, _ = round_status(folder)
    assert [(r.received, r.invalid, r.state) for r in rows] == [(2, 0, T.STATUS_READY)]
    # the intake names both copies as they were in the inbox
    intake = load_workbook(summary.intake)[T.INTAKE_SHEET]
    sources = [r[8].value for r in intake.iter_rows(min_row=4) if r[8].value]
    assert "team Noord.xlsx\nteam Zuid West.xlsx" in sources

    result = report_round(folder, today=None)
    assert result.ok, [r.status for r in result.results]
    out = folder.assessment_output("2026-300")
    consolidation = json.loads((out / "consolidation.json").read_text(encoding="utf-8"))
    assert sorted(consolidation["reviewers"]) == sorted(TEAM)
    norm = consolidation["norms"]["V1.1"]
    assert {r: norm["ratings"][r] for r in TEAM} == {
        r: answers[r]["V1.1"]["rating"] for r in TEAM}


def test_a_conflict_in_the_round_is_shown_and_removing_a_copy_resolves_it(
        tmp_path: Path) -> None:
    folder, team, catalogue = shared_round(tmp_path)
    answers = answers_for(catalogue)
    issued = folder.root / team.file
    copy_of(issued, "eerst.xlsx", answers, TEAM_TEXT, age=60)
    wrong = {TEAM[1]: {"V1.1": {"rating": "N" if answers[TEAM[1]]["V1.1"]["rating"] != "N"
                                else "V"}}}
    copy_of(issued, "later.xlsx", wrong)
    for name in ("eerst.xlsx", "later.xlsx"):
        shutil.move(issued.parent / name, folder.inbox / name)

    summary = collect_round(folder)
    assert summary.invalid == 1
    rows, _ = round_status(folder)
    assert rows[0].invalid == 1
    findings = load_workbook(summary.intake)[T.INTAKE_FINDINGS_SHEET]
    messages = [r[6].value for r in findings.iter_rows(min_row=2)]
    assert any("eerst.xlsx" in m and "later.xlsx" in m for m in messages)
    # the annotated copy (of the newest copy) marks the conflicting cell
    [annotated] = summary.annotated
    sheet = team_sheets(load_workbook(annotated))[TEAM[1]]
    sub = read_workbook(folder.inbox / "later.xlsx", catalogue, key=KEY,
                        allow_incomplete=True)
    cell = next(r for r in sub.reviews() if r.reviewer == TEAM[1]).responses["V1.1"].cell
    assert cell is not None and sheet[cell].fill.fgColor.rgb.endswith("F4B6F4")
    # the annotated copy is the merge: what the other copy filled in is written in, so the
    # team sees (and its progress counts) all its work; the conflicting cell keeps this
    # copy's own value
    back = read_workbook(annotated, catalogue, key=KEY, allow_incomplete=True).to_json()
    whole = merged(folder.inbox / "eerst.xlsx", folder.inbox / "later.xlsx",
                   catalogue=catalogue).to_json()
    whole["reviews"][1]["ratings"]["V1.1"]["rating"] = wrong[TEAM[1]]["V1.1"]["rating"]
    assert (back["reviews"], back["team"]) == (whole["reviews"], whole["team"])

    # the cell corrected in that copy: the corrected version replaces it
    fill_team(issued, {TEAM[1]: {"V1.1": answers[TEAM[1]]["V1.1"]}},
              out=folder.inbox / "later.xlsx")
    summary = collect_round(folder)
    assert summary.invalid == 0 and summary.annotated == []
    receipt = load_receipts(folder)[team.workbook_id]
    assert [c.source for c in receipt.all_copies()] == ["eerst.xlsx", "later.xlsx"]
    assert len(receipt.history) == 1

    # the secretariat removes a copy from the inbox: the merge goes on without it
    (folder.inbox / "later.xlsx").unlink()
    summary = collect_round(folder)
    assert summary.invalid == 0 and summary.annotated == []
    receipt = load_receipts(folder)[team.workbook_id]
    assert receipt.copies == [] and receipt.source == "eerst.xlsx"
    # nothing received is lost: the removed copy is in the history
    assert len(receipt.history) == 2
    assert (folder.root / receipt.history[-1]).is_file()
    assert not [p for p in folder.received.rglob("*") if COPIES_DIR in p.parts and p.is_file()]
    rows, _ = round_status(folder)
    assert rows[0].state == T.STATUS_READY


def test_receipts_written_before_copies_existed_still_load(tmp_path: Path) -> None:
    folder, team, catalogue = shared_round(tmp_path)
    fill_team(folder.root / team.file, answers_for(catalogue), out=folder.inbox / "t.xlsx")
    collect_round(folder)
    path = folder.received / "ontvangst.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for value in data.values():
        del value["copies"]  # as the previous version wrote them
    path.write_text(json.dumps(data), encoding="utf-8")
    assert all(r.copies == [] for r in load_receipts(folder).values())
    summary = collect_round(folder)
    assert summary.invalid == 0 and summary.result.new == []
    rows, _ = round_status(folder)
    assert rows[0].state == T.STATUS_READY


@pytest.mark.soffice
def test_a_copy_saved_through_libreoffice_merges(tmp_path: Path, blank: Path,
                                                 catalogue: Catalogue) -> None:
    from tests.helpers import require_soffice
    require_soffice()
    answers = answers_for(catalogue)
    first = copy_of(blank, "Noord.xlsx", only(answers, TEAM[0]), TEAM_TEXT, age=60)
    second = copy_of(blank, "rest.xlsx", only(answers, TEAM[1], TEAM[2]))
    saved = soffice_convert(second, tmp_path / "lo", "xlsx", tmp_path / "profiel")
    whole = read_workbook(copy_of(blank, "heel.xlsx", answers, TEAM_TEXT), catalogue, key=KEY)
    sub = merged(first, saved, catalogue=catalogue)
    assert sub.report.findings == [] and same_answers(sub, whole)
