"""Shared team workbooks: one workbook, a sheet per reviewer, a team sheet (issue 14)."""

from __future__ import annotations

import json
import re
import warnings
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from kwl_office import texts_nl as T
from kwl_office.assessment import Assessment, Kind, Organisation, Submission, Variant
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.consolidation import consolidate
from kwl_office.documents.context import draw_charts, report_context
from kwl_office.excel import layout as L
from kwl_office.excel.reader import read_workbook
from kwl_office.excel.stamp import WorkbookStamper
from kwl_office.excel.writer import WorkbookSpec, write_workbook
from kwl_office.identity import verify
from tests.helpers import (
    ASSESSMENT,
    HOST,
    KEY,
    TEAM,
    examples,
    fill,
    fill_all,
    fill_team,
    generate,
    mutate,
    norm_rows,
    soffice_convert,
    team_sheets,
)

CODES = ("V", "D", "N", "NVT")


def team_spec(reviewers: tuple[str, ...] = TEAM, kind: Kind = Kind.PEER) -> WorkbookSpec:
    return WorkbookSpec(kind=kind, assessment_id=ASSESSMENT, host=HOST, reviewers=reviewers)


def make_team(path: Path, catalogue: Catalogue, reviewers: tuple[str, ...] = TEAM,
              **kw: Any) -> Path:
    write_workbook(path, team_spec(reviewers), catalogue, key=KEY, **kw)
    return path


def answers_for(catalogue: Catalogue, reviewers: tuple[str, ...] = TEAM
                ) -> dict[str, dict[str, dict[str, Any]]]:
    """Each reviewer rates differently (and writes a finding of their own)."""
    return {reviewer: {norm.id: {"rating": CODES[(i + r) % 3],
                                 "comment_review": f"{reviewer} over {norm.id}"}
                       for i, norm in enumerate(catalogue.norms())}
            for r, reviewer in enumerate(reviewers)}


@pytest.fixture
def filled(tmp_path: Path, catalogue: Catalogue) -> Path:
    team = {"V1.1": {"team_strengths": "Samen sterk in intervisie",
                     "team_learning_points": "Verslag vaker delen"}}
    return fill_team(make_team(tmp_path / "team.xlsx", catalogue), answers_for(catalogue),
                     team)


# --- the workbook ----------------------------------------------------------------------------


def test_a_sheet_per_reviewer_a_team_sheet_and_a_signed_list(tmp_path: Path,
                                                              catalogue: Catalogue) -> None:
    path = make_team(tmp_path / "team.xlsx", catalogue)
    wb = load_workbook(path)
    assert wb.sheetnames[:5] == [L.SHEET_START, *TEAM, L.SHEET_TEAM]
    owners = team_sheets(wb)
    assert [owners[name].title for name in TEAM] == list(TEAM)
    ids = {ws.title: set(norm_rows(ws)) for name, ws in owners.items() if name in TEAM}
    assert all(found == {n.id for n in catalogue.norms()} for found in ids.values())
    sub = read_workbook(path, catalogue, key=KEY, allow_incomplete=True)
    assert sub.identity is not None and sub.identity.reviewers == TEAM
    assert verify(sub.identity, KEY) and sub.identity.reviewer == ""
    start = [c.value for row in wb[L.SHEET_START].iter_rows() for c in row if c.value]
    assert T.LABEL_PENVOERDER in start and TEAM[0] in start


def test_a_changed_reviewer_list_breaks_the_signature(tmp_path: Path,
                                                      catalogue: Catalogue) -> None:
    path = make_team(tmp_path / "team.xlsx", catalogue)
    wb = load_workbook(path)
    ident = wb[L.SHEET_IDENTITY]
    row = next(r for r in ident.iter_rows() if r[0].value == "reviewers")
    row[1].value = json.dumps([TEAM[0], TEAM[1]])
    prop = next(p for p in wb.custom_doc_props.props if p.name == "kwl_reviewers")
    prop.value = row[1].value
    wb.save(path)
    sub = read_workbook(path, catalogue, key=KEY, allow_incomplete=True)
    assert "identity-tampered" in sub.report.codes()


def test_the_stamper_builds_team_workbooks_in_full(tmp_path: Path,
                                                   catalogue: Catalogue) -> None:
    path = tmp_path / "team.xlsx"
    WorkbookStamper(catalogue).write(path, team_spec(), key=KEY)
    assert list(team_sheets(load_workbook(path))) == [*TEAM, T.TEAM_OWNER_TEAM.format(
        penvoerder=TEAM[0])]


@pytest.mark.parametrize(("reviewers", "message"), [
    ((TEAM[0],), T.TEAM_TOO_SMALL),
    ((TEAM[0], " sociaal werk noord (FICTIEF) "), "twee keer"),
    ((TEAM[0], HOST), "de organisatie zelf"),
])
def test_a_team_of_one_twice_the_same_or_the_host_is_refused(
        tmp_path: Path, catalogue: Catalogue, reviewers: tuple[str, ...], message: str) -> None:
    result = CliRunner().invoke(main, ["workbook", "team", "--assessment", ASSESSMENT,
                                       "--host", HOST, *[a for r in reviewers
                                                         for a in ("--reviewer", r)],
                                       "-o", str(tmp_path / "t.xlsx")])
    assert result.exit_code == 2 and message in result.output, result.output
    assert not (tmp_path / "t.xlsx").exists()


def test_only_what_co_authoring_supports(tmp_path: Path, catalogue: Catalogue) -> None:
    path = make_team(tmp_path / "team.xlsx", catalogue)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        workbook = archive.read("xl/workbook.xml").decode()
    # no macros, no legacy shared-workbook mode (revisions, user names), no structure lock
    assert not [n for n in names if "vbaProject" in n or n.startswith("xl/revisions")]
    assert "usernames" not in " ".join(names).lower()
    assert not re.search(r'lock(Structure|Windows)="(1|true)"', workbook)
    assert "<fileSharing" not in workbook
    # each person types only on their own sheet: the unlocked cells of a reviewer's sheet are
    # their rating and findings, those of the team sheet the team's two columns
    wb = load_workbook(path)
    inputs = {ws.title: {c.label for c in (L.team_sheet_columns() if ws.title == L.SHEET_TEAM
                                           else L.team_review_columns()) if c.is_input}
              for ws in team_sheets(wb).values()}
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
        unlocked = {ws.cell(L.HEADER_ROW, c.column).value for row in ws.iter_rows()
                    for c in row if c.protection.locked is False}
        assert unlocked == inputs.get(ws.title, set()), ws.title


# --- reading back ----------------------------------------------------------------------------


def test_each_reviewer_reads_back_on_their_own(filled: Path, catalogue: Catalogue) -> None:
    sub = read_workbook(filled, catalogue, key=KEY)
    assert sub.valid, sub.report.flatten()
    expected = answers_for(catalogue)
    assert [r.reviewer for r in sub.reviews()] == list(TEAM)
    for review in sub.reviews():
        typed = expected[review.reviewer]
        assert {n: r.rating for n, r in review.responses.items()} == {
            n: a["rating"] for n, a in typed.items()}
        assert {n: r.comment for n, r in review.responses.items()} == {
            n: a["comment_review"] for n, a in typed.items()}
        assert {r.sheet for r in review.responses.values()} == {review.reviewer}
    assert sub.team["V1.1"].strengths == "Samen sterk in intervisie"
    assert sub.team["V1.1"].learning_points == "Verslag vaker delen"
    assert set(sub.team) == {"V1.1"}


def test_check_json_lists_the_reviews_of_every_workbook(filled: Path, tmp_path: Path,
                                                        catalogue: Catalogue) -> None:
    single = fill_all(generate(tmp_path / "peer.xlsx", Kind.PEER), catalogue)
    key = tmp_path / "sleutel.key"
    key.write_text(KEY.hex(), encoding="ascii")
    result = CliRunner().invoke(main, ["check", str(filled), str(single), "--json",
                                       "--key", str(key)])
    team_json, single_json = json.loads(result.output)
    assert [r["reviewer"] for r in team_json["reviews"]] == list(TEAM)
    assert team_json["reviewers"] == list(TEAM) and "ratings" not in team_json
    assert team_json["team"]["V1.1"]["strengths"] == "Samen sterk in intervisie"
    # one reviewer: one review, and the flat ratings kept (DESIGN.md §5)
    assert [r["reviewer"] for r in single_json["reviews"]] == [single_json["reviewer"]]
    assert single_json["reviews"][0]["ratings"] == single_json["ratings"]


def test_a_renamed_sheet_still_belongs_to_its_reviewer(filled: Path,
                                                       catalogue: Catalogue) -> None:
    wb = load_workbook(filled)
    wb[TEAM[1]].title = "Mijn tabblad"
    wb.save(filled)
    sub = read_workbook(filled, catalogue, key=KEY)
    assert sub.valid and [len(r.responses) for r in sub.reviews()] == [50, 50, 50]
    assert {r.sheet for r in sub.reviews()[1].responses.values()} == {"Mijn tabblad"}


def test_a_missing_a_copied_and_a_strangers_sheet(filled: Path, catalogue: Catalogue) -> None:
    wb = load_workbook(filled)
    del wb[TEAM[2]]
    with warnings.catch_warnings():  # openpyxl names a copy "… Copy", too long for a tab
        warnings.simplefilter("ignore")
        copy = wb.copy_worksheet(wb[TEAM[0]])
        stranger = wb.copy_worksheet(wb[TEAM[1]])
    copy.title = "Kopie"
    stranger.title = "Vreemd"
    stranger.cell(L.TEAM_OWNER_ROW, 3).value = "Iemand anders"
    wb.save(filled)
    sub = read_workbook(filled, catalogue, key=KEY)
    found = {(f.code, f.sheet) for f in sub.report.findings}
    assert ("team-sheet-missing", None) in found
    assert ("team-sheet-twice", "Kopie") in found
    assert ("team-sheet-unknown", "Vreemd") in found
    assert not sub.valid


def test_completeness_and_findings_per_reviewer(filled: Path, catalogue: Catalogue) -> None:
    open_norms = [n.id for n in catalogue.norms()][:6]
    fill_team(filled, {TEAM[1]: {n: {"rating": None} for n in open_norms},
                       TEAM[2]: {"V1.2": {"rating": "goed"}}})
    sub = read_workbook(filled, catalogue, key=KEY)
    # an open norm and a rating that is not on the scale both leave a reviewer's part open
    incomplete = [f for f in sub.report.findings if f.code == "incomplete-submission"]
    assert [(f.sheet, f.norm_id) for f in incomplete] == [(TEAM[1], open_norms[0]),
                                                          (TEAM[2], "V1.2")]
    assert incomplete[0].message.startswith(f"{TEAM[1]}: ")
    wrong = [f for f in sub.report.findings if f.code == "unknown-rating"]
    assert [(f.sheet, f.norm_id) for f in wrong] == [(TEAM[2], "V1.2")]
    assert {f.sheet for f in sub.report.findings if f.code == "missing-rating"} == {TEAM[1]}


def test_a_renamed_rating_heading_on_a_reviewers_sheet_is_one_missing_header(
        filled: Path, catalogue: Catalogue) -> None:
    def rename(wb: Any) -> None:
        ws = team_sheets(wb)[TEAM[0]]
        for cell in ws[L.HEADER_ROW]:
            if cell.value == L.RATING.label:
                cell.value = "Beoordeling"

    mutate(filled, rename)
    sub = read_workbook(filled, catalogue, key=KEY, allow_incomplete=True)
    assert sub.report.flatten() == [("missing-header", TEAM[0],
                                     f"{L.HEADER_ROW}:{L.HEADER_ROW}")]


@pytest.mark.soffice
def test_libreoffice_keeps_every_reviewers_answers(filled: Path, tmp_path: Path,
                                                   catalogue: Catalogue) -> None:
    saved = soffice_convert(filled, tmp_path / "lo", "xlsx", tmp_path / "profiel")
    before = read_workbook(filled, catalogue, key=KEY)
    after = read_workbook(saved, catalogue, key=KEY)
    assert after.valid, after.report.flatten()
    assert [r.model_dump(exclude={"responses": {"__all__": {"sheet", "cell"}}})
            for r in after.reviews()] == [r.model_dump(exclude={"responses": {
                "__all__": {"sheet", "cell"}}}) for r in before.reviews()]
    assert after.team == before.team


# --- consolidation ---------------------------------------------------------------------------


def _separate(tmp_path: Path, catalogue: Catalogue, answers: dict[str, dict[str, Any]],
              reviewers: tuple[str, ...]) -> list[Submission]:
    """The same ratings, each reviewer in a workbook of their own."""
    return [read_workbook(fill(generate(tmp_path / f"los-{i}.xlsx", Kind.PEER, catalogue,
                                        reviewer=reviewer), answers[reviewer]),
                          catalogue, key=KEY)
            for i, reviewer in enumerate(reviewers)]


def _facts(result: Any) -> dict[str, Any]:
    data = result.model_dump(mode="json")
    for norm in data["norms"].values():
        norm.pop("responses")
        norm.pop("team")
    return {k: data[k] for k in ("reviewers", "advice", "blocking_norms", "norms", "domains",
                                 "overall", "agreement")}


@pytest.mark.slow
@settings(max_examples=examples(12), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(2, 3), seed=st.integers(0, 10_000))
def test_a_team_consolidates_as_its_reviewers_own_workbooks(
        tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue, size: int,
        seed: int) -> None:
    import random

    tmp_path = tmp_path_factory.mktemp("team")
    rnd = random.Random(seed)
    reviewers = TEAM[:size]
    answers = {r: {n.id: {"rating": rnd.choice(CODES)} for n in catalogue.norms()}
               for r in reviewers}
    team = read_workbook(fill_team(make_team(tmp_path / "team.xlsx", catalogue, reviewers),
                                   answers), catalogue, key=KEY)
    assert team.valid, team.report.flatten()
    separate = _separate(tmp_path, catalogue, answers, reviewers)
    assert all(s.valid for s in separate)
    assessment = Assessment(id=ASSESSMENT, host=HOST, variant=Variant.PEER_REVIEW)
    assert _facts(consolidate(catalogue, assessment, [team])) == _facts(
        consolidate(catalogue, assessment, separate))


def test_a_reviewer_in_a_team_and_alone_counts_once(filled: Path, tmp_path: Path,
                                                    catalogue: Catalogue) -> None:
    alone = fill_all(generate(tmp_path / "los.xlsx", Kind.PEER, catalogue, reviewer=TEAM[0]),
                     catalogue)
    assessment = Assessment(id=ASSESSMENT, host=HOST, variant=Variant.PEER_REVIEW)
    result = consolidate(catalogue, assessment, [read_workbook(filled, catalogue, key=KEY),
                                                 read_workbook(alone, catalogue, key=KEY)])
    assert result.reviewers == sorted(TEAM)
    duplicate = [f for f in result.findings if f.code == "duplicate-submission"]
    assert len(duplicate) == 1 and TEAM[0] in duplicate[0].message
    assert result.files == [str(filled)]


def test_two_teams_in_one_assessment_are_named_by_their_reviewers(
        tmp_path: Path, filled: Path, catalogue: Catalogue) -> None:
    other = ("Welzijn Verderop (fictief)", "Buurtwerk Elders (fictief)")
    second = fill_team(make_team(tmp_path / "team2.xlsx", catalogue, other),
                       answers_for(catalogue, other),
                       {"V1.1": {"team_strengths": "Goede wijkanalyse"}})
    assessment = Assessment(id=ASSESSMENT, host=HOST, variant=Variant.PEER_REVIEW)
    result = consolidate(catalogue, assessment, [read_workbook(p, catalogue, key=KEY)
                                                 for p in (filled, second)])
    assert sorted(s.reviewer for s in result.norms["V1.1"].team) == sorted([
        T.TEAM_NAME.format(reviewers=f"{TEAM[0]}, {TEAM[1]} en {TEAM[2]}"),
        T.TEAM_NAME.format(reviewers=f"{other[0]} en {other[1]}")])


def test_what_the_team_says_reaches_the_learning_report(filled: Path,
                                                        catalogue: Catalogue) -> None:
    assessment = Assessment(id=ASSESSMENT, host=HOST, variant=Variant.PEER_REVIEW)
    result = consolidate(catalogue, assessment, [read_workbook(filled, catalogue, key=KEY)])
    said = result.norms["V1.1"].team
    # one team in the assessment: "het team" (the report lists its reviewers once)
    assert [(s.reviewer, s.strengths) for s in said] == [
        (T.TEAM_NAME_SHORT, "Samen sterk in intervisie")]
    context = report_context(result, catalogue, organisation=Organisation(name=HOST),
                             charts=draw_charts(result, catalogue), today=date(2026, 11, 29))
    strengths = [s for s in context["sterke_punten"] if s["tekst_punt"] ==
                 "Samen sterk in intervisie"]
    assert [s["beoordelaar"] for s in strengths] == [said[0].reviewer]
    assert not re.search(r"Samen sterk", json.dumps(
        [r for r in context.get("opmerkingen", [])], ensure_ascii=False))
