"""What a round's documents and console say is true (user pass 3, findings 2 and 4).

* ``--incomplete`` reports with what is there, but an assessment in which not one review
  counts has nothing to report: it waits, and no report, letter, certificate or register
  entry names reviewers or judgements that are not there (never "De beoordelaars waren –").
* A report with open norms says for how many norms there is a judgement, never "per norm".
* A reviewer (or CI) taken off a manifest row after the issue is no longer expected and does
  not count, also when their workbook comes back anyway; the issue and the report say so.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from kwl_office import texts_nl as T
from kwl_office.assessment import Assessment, Kind, Organisation, Variant
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.issue import IssuedWorkbook, load_index
from kwl_office.batch.manifest import COLUMNS, HEADER_ROW
from kwl_office.batch.status import round_status
from kwl_office.batch.steps import (
    ReportSummary,
    collect_round,
    issue_round,
    report_round,
)
from kwl_office.catalogue import Catalogue, load_catalogue
from kwl_office.consolidation.model import Advice
from kwl_office.consolidation.rules import consolidate
from kwl_office.documents.context import Decision
from kwl_office.documents.examples import EXAMPLE_SENDER
from kwl_office.documents.produce import audit_report, certificate
from kwl_office.documents.text import document_lines
from kwl_office.errors import InvalidArgument
from kwl_office.excel.reader import read_workbook
from kwl_office.register import Register
from tests.helpers import TEAM, fill, fill_all, fill_team, generate, make_round, row

HOST = "Welzijn Vijf (fictief)"
NOORD, ZUID, WEST = "Welzijn Noord (fictief)", "Buurtwerk Zuid (fictief)", "Welzijn West (fictief)"
CI_ONE, CI_TWO = "CI Een (fictief)", "CI Twee (fictief)"
ISSUED = date(2026, 11, 2)
TODAY = date(2026, 11, 30)


def cell(key: str, offset: int = 1) -> str:
    """The manifest cell of column ``key`` in the ``offset``-th row."""
    return f"{get_column_letter(list(COLUMNS).index(key) + 1)}{HEADER_ROW + offset}"


def set_manifest(folder: RoundFolder, offset: int, key: str, value: Any) -> None:
    wb = load_workbook(folder.manifest)
    wb.worksheets[0][cell(key, offset)] = value
    wb.save(folder.manifest)


def issued(folder: RoundFolder, assessment_id: str) -> dict[str, IssuedWorkbook]:
    """The assessment's issued workbooks by who fills them in ('' for the self-evaluation)."""
    return {w.who: w for w in load_index(folder).values() if w.assessment_id == assessment_id}


def hand_in(folder: RoundFolder, catalogue: Catalogue, workbook: IssuedWorkbook,
            rating: str = "V") -> None:
    fill_all(folder.root / workbook.file, catalogue, rating=rating,
             out=folder.inbox / f"{workbook.label}.xlsx")


def report(folder: RoundFolder, *incomplete: str) -> ReportSummary:
    collect_round(folder, workers=1)
    return report_round(folder, workers=1, today=TODAY, incomplete=incomplete)


def text(path: Path) -> str:
    return "\n".join(document_lines(path))


def register_numbers(folder: RoundFolder) -> list[str]:
    if not folder.register_path().exists():
        return []
    with Register(folder.register_path(), create=False) as register:
        return [entry.number for entry in register.entries()]


# --- --incomplete without a single review ------------------------------------------------------


@pytest.mark.parametrize(("variant", "reviewers", "ci"), [
    ("audit", "", CI_ONE),
    ("intercollegiaal", f"{NOORD}; {ZUID}", ""),
])
def test_incomplete_without_one_review_waits_and_grants_nothing(
        tmp_path: Path, catalogue: Catalogue, variant: str, reviewers: str, ci: str) -> None:
    # the committee's Besluit is already in the manifest: only the self-evaluation came back
    folder = make_round(tmp_path / "ronde", [
        row("R4-1", HOST, variant, reviewers, ci, decision="toekennen",
            decision_date=date(2026, 11, 28))])
    issue_round(folder, today=ISSUED, workers=1)
    hand_in(folder, catalogue, issued(folder, "R4-1")[""])

    summary = report(folder, "R4-1")
    assert summary.results == []
    [(entry, reason)] = summary.waiting
    assert entry.assessment.id == "R4-1"
    assert T.REPORT_NO_REVIEW in reason and "R4-1" in reason  # what is missing, and why
    out = folder.assessment_output("R4-1")
    assert not out.exists() or not any(out.glob("*.docx"))
    assert register_numbers(folder) == []  # no certificate or registration for nobody's work
    # status says what is missing, as before
    [status] = round_status(folder)[0]
    assert status.state.startswith(T.REPORT_MISSING.split("{")[0])


def test_a_report_or_letter_never_names_a_dash_for_the_reviewers(
        tmp_path: Path, catalogue: Catalogue) -> None:
    selfeval = fill_all(generate(tmp_path / "zelf.xlsx", Kind.SELF_EVALUATION,
                                 assessment_id="R4-1", host=HOST), catalogue)
    sub = read_workbook(selfeval, catalogue, key=None)
    result = consolidate(catalogue, Assessment(id="R4-1", host=HOST, variant=Variant.AUDIT),
                         [sub])
    assert result.reviewers == []
    with pytest.raises(InvalidArgument, match="geen enkele beoordeling"):
        audit_report(result, catalogue, tmp_path / "auditrapport.docx", today=TODAY)
    assert not (tmp_path / "auditrapport.docx").exists()
    # nor a certificate (kwl report certificate after kwl consolidate of the self-evaluation)
    granted = Decision(outcome=Advice.CERTIFICATE, advice=result.advice,
                       number="KSW-2026-0001", granted_on=TODAY,
                       valid_until=date(2029, 11, 29))
    with pytest.raises(InvalidArgument, match="geen enkele beoordeling"):
        certificate(result, catalogue, tmp_path / "certificaat.docx",
                    organisation=Organisation(name=HOST), decision=granted,
                    sender=EXAMPLE_SENDER, today=TODAY)
    assert not (tmp_path / "certificaat.docx").exists()


# --- --incomplete with some reviews, and open norms ---------------------------------------------


def test_one_reviewer_reported_anyway_is_named_as_one(tmp_path: Path,
                                                      catalogue: Catalogue) -> None:
    folder = make_round(tmp_path / "ronde", [
        row("R4-2", HOST, "intercollegiaal", f"{NOORD}; {ZUID}")])
    issue_round(folder, today=ISSUED, workers=1)
    books = issued(folder, "R4-2")
    hand_in(folder, catalogue, books[""])
    hand_in(folder, catalogue, books[NOORD])
    summary = report(folder, "R4-2")
    assert [r.status for r in summary.results] == [T.REPORT_MADE]
    lines = text(folder.assessment_output("R4-2") / "leerrapport.docx")
    assert f"De collega-organisatie {NOORD} heeft de normen van het" in lines
    assert "uit haar oordelen één oordeel berekend" in lines
    assert "De collega-organisaties" not in lines and "hebben elk" not in lines


def test_status_after_a_report_with_incomplete_says_what_is_true(
        tmp_path: Path, catalogue: Catalogue) -> None:
    # status said "gerapporteerd, maar nu: nog niet binnen …" whatever happened after a report
    # with --incomplete: as if something had changed when nothing had, and the same text when
    # a counted workbook did change or the next report failed
    folder = make_round(tmp_path / "ronde", [
        row("R4-4", HOST, "intercollegiaal", f"{NOORD}; {ZUID}")])
    issue_round(folder, today=ISSUED, workers=1)
    books = issued(folder, "R4-4")
    hand_in(folder, catalogue, books[""])
    hand_in(folder, catalogue, books[NOORD])
    assert [r.status for r in report(folder, "R4-4").results] == [T.REPORT_MADE]
    [status] = round_status(folder)[0]
    assert status.state.startswith("gerapporteerd met --incomplete (")
    assert ZUID in status.state and "maar nu" not in status.state
    assert [r.status for r in report(folder, "R4-4").results] == [T.REPORT_SKIPPED]

    # Noord sends a new version: said, and the report remakes
    hand_in(folder, catalogue, books[NOORD], rating="D")
    collect_round(folder, workers=1)
    [status] = round_status(folder)[0]
    assert status.state == T.STATUS_REPORTED_BUT.format(reason=T.STATUS_NEW_VERSION)
    assert [r.status for r in report(folder, "R4-4").results] == [T.REPORT_MADE]

    # the next report fails: that is what status says, not the missing workbook
    out = folder.assessment_output("R4-4")
    (out / "fout.txt").write_text("Traceback (most recent call last):\nValueError: kapot\n",
                                  encoding="utf-8")
    [status] = round_status(folder)[0]
    assert status.state.startswith("rapportage mislukt: ValueError: kapot")


def _lenient(tmp_path: Path, catalogue: Catalogue) -> Path:
    """The example catalogue where a reviewer may leave a few norms open."""
    data = catalogue.to_data()
    data["beleid"]["min_aandeel_beoordeeld"] = 0.9
    path = tmp_path / "kader.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")  # JSON is YAML
    return path


def test_an_audit_with_an_open_norm_says_for_how_many_norms_there_is_a_judgement(
        tmp_path: Path, catalogue: Catalogue) -> None:
    folder = make_round(tmp_path / "ronde", [row("R4-3", HOST, "audit", ci=CI_ONE)],
                        catalogue=str(_lenient(tmp_path, catalogue)))
    lenient = load_catalogue(folder.root / "kader.yaml")
    issue_round(folder, today=ISSUED, workers=1)
    books = issued(folder, "R4-3")
    hand_in(folder, lenient, books[""])
    audit = folder.inbox / "audit.xlsx"
    fill_all(folder.root / books[CI_ONE].file, lenient, out=audit)
    fill(audit, {"V1.2": {"rating": None}})  # the CI leaves one norm open (allowed here)
    summary = report(folder)
    assert [r.status for r in summary.results] == [T.REPORT_MADE]
    lines = text(folder.assessment_output("R4-3") / "auditrapport.docx")
    assert "Per norm is een eindoordeel vastgesteld" not in lines
    assert "Voor 49 van de 50 normen is een eindoordeel vastgesteld" in lines
    assert "1 norm heeft nog geen oordeel." in lines
    # one CI: nobody to differ from, which is said instead of "no disagreement"
    assert f"De toetsing had één beoordelaar ({CI_ONE})" in lines
    assert "bij geen enkele norm" not in lines
    assert "Normen zonder eindoordeel (1) zijn niet vergeleken." in lines


def test_a_peer_review_with_an_open_norm_says_so(tmp_path: Path, catalogue: Catalogue) -> None:
    folder = make_round(tmp_path / "ronde", [
        row("R4-4", HOST, "intercollegiaal", f"{NOORD}; {ZUID}")],
        catalogue=str(_lenient(tmp_path, catalogue)))
    lenient = load_catalogue(folder.root / "kader.yaml")
    issue_round(folder, today=ISSUED, workers=1)
    books = issued(folder, "R4-4")
    hand_in(folder, lenient, books[""])
    for who in (NOORD, ZUID):
        target = folder.inbox / f"{who}.xlsx"
        fill_all(folder.root / books[who].file, lenient, out=target)
        fill(target, {"V1.2": {"rating": None}})  # nobody rated V1.2
    report(folder)
    lines = text(folder.assessment_output("R4-4") / "leerrapport.docx")
    assert "Per norm is volgens de vaste rekenregel" not in lines
    assert ("Voor 49 van de 50 normen is volgens de vaste rekenregel uit hun oordelen één "
            "oordeel berekend") in lines
    assert "1 norm heeft nog geen oordeel." in lines


# --- a reviewer taken off the manifest after the issue -------------------------------------------


def test_a_reviewer_taken_off_the_row_is_no_longer_expected(
        tmp_path: Path, catalogue: Catalogue) -> None:
    folder = make_round(tmp_path / "ronde", [
        row("R3-1", HOST, "intercollegiaal", f"{NOORD}; {ZUID}")])
    issue_round(folder, today=ISSUED, workers=1)
    # a conflict of interest: Zuid is replaced by West
    set_manifest(folder, 1, "reviewers", f"{NOORD}; {WEST}")
    result, found = issue_round(folder, today=ISSUED, workers=1)
    assert [w.reviewer for w in result.created] == [WEST]
    assert found.flatten(["code", "sheet", "cell"]) == [
        ("manifest-reviewer-removed", "Manifest", cell("reviewers"))]
    assert ZUID in found.findings[0].message and "telt niet mee" in found.findings[0].message

    books = issued(folder, "R3-1")
    for who in ("", NOORD, WEST):
        hand_in(folder, catalogue, books[who])
    collect_round(folder, workers=1)
    [status] = round_status(folder)[0]
    assert ZUID not in status.state and status.state == T.STATUS_READY
    assert (status.expected, status.received) == (3, 3)  # was 3/4: Zuid still counted
    summary = report(folder)
    assert summary.waiting == [] and [r.status for r in summary.results] == [T.REPORT_MADE]
    out = folder.assessment_output("R3-1")
    assert json.loads((out / "consolidation.json").read_text("utf-8"))["reviewers"] == sorted(
        [NOORD, WEST])

    # Zuid sends the workbook anyway: it is taken in, but does not count, and it is said
    hand_in(folder, catalogue, books[ZUID], rating="N")
    summary = report(folder)
    [made] = summary.results
    assert made.status == T.REPORT_MADE  # said again, with the reason
    assert [(f.code, f.cell) for f in made.findings if f.code == "workbook-not-counted"] == [
        ("workbook-not-counted", cell("reviewers"))]
    consolidation = json.loads((out / "consolidation.json").read_text("utf-8"))
    assert consolidation["reviewers"] == sorted([NOORD, WEST])
    assert ZUID not in text(out / "leerrapport.docx")
    [status] = round_status(folder)[0]
    assert (status.expected, status.received, status.state) == (3, 3, T.STATUS_REPORTED)
    # the intake lists Zuid's workbook as received but not counting, and counts it nowhere
    collect_round(folder, workers=1)
    sheet = load_workbook(folder.output / "intake.xlsx")[T.INTAKE_SHEET]
    rows = {r[3]: r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]}
    assert rows[ZUID][4] == T.INTAKE_NOT_COUNTED
    assert str(sheet["A2"].value).startswith(T.INTAKE_SUMMARY.format(
        expected="3 werkmappen", received=3, invalid=0, missing=0).split(";")[0])


def test_a_name_spelled_right_afterwards_says_the_work_will_not_count(
        tmp_path: Path, catalogue: Catalogue) -> None:
    # "Welzijn Nord" put right as "Welzijn Noord" after the work came in: to kwl another
    # reviewer, whose new workbook is empty; the warning said only "staat niet meer in het
    # manifest (zet de naam terug)", not that the finished work would no longer count
    typo = NOORD.replace("Noord", "Nord")
    folder = make_round(tmp_path / "ronde", [
        row("R3-3", HOST, "intercollegiaal", f"{typo}; {ZUID}")])
    issue_round(folder, today=ISSUED, workers=1)
    books = issued(folder, "R3-3")
    for who in ("", typo, ZUID):
        hand_in(folder, catalogue, books[who])
    collect_round(folder, workers=1)
    set_manifest(folder, 1, "reviewers", f"{NOORD}; {ZUID}")
    _, found = issue_round(folder, today=ISSUED, workers=1)
    [warning] = [f for f in found.findings if f.code == "manifest-reviewer-removed"]
    assert f"wel {NOORD}" in warning.message
    assert "een andere schrijfwijze een andere beoordelaar" in warning.message
    assert "zet dan de oude schrijfwijze terug" in warning.message
    # a reviewer replaced by another organisation is not taken for a spelling
    set_manifest(folder, 1, "reviewers", f"{WEST}; {ZUID}")
    _, found = issue_round(folder, today=ISSUED, workers=1)
    assert not any("schrijfwijze" in f.message for f in found.findings)


def test_a_replaced_ci_is_no_longer_expected(tmp_path: Path, catalogue: Catalogue) -> None:
    folder = make_round(tmp_path / "ronde", [row("R3-2", HOST, "audit", ci=CI_ONE)])
    issue_round(folder, today=ISSUED, workers=1)
    set_manifest(folder, 1, "ci", CI_TWO)
    result, found = issue_round(folder, today=ISSUED, workers=1)
    assert [w.reviewer for w in result.created] == [CI_TWO]
    assert found.flatten(["code", "sheet", "cell"]) == [
        ("manifest-reviewer-removed", "Manifest", cell("ci"))]
    books = issued(folder, "R3-2")
    for who in ("", CI_ONE, CI_TWO):
        hand_in(folder, catalogue, books[who], rating="N" if who == CI_ONE else "V")
    summary = report(folder)
    [made] = summary.results
    assert made.advice == "certificaat"  # CI Een's "voldoet niet" did not count
    assert "workbook-not-counted" in {f.code for f in made.findings}
    lines = text(folder.assessment_output("R3-2") / "auditrapport.docx")
    assert f"De beoordelaar was {CI_TWO}." in lines and CI_ONE not in lines


def test_a_team_member_taken_off_the_row_counts_and_is_said(
        tmp_path: Path, catalogue: Catalogue) -> None:
    folder = make_round(tmp_path / "ronde", [
        row("R3-3", HOST, "intercollegiaal", "; ".join(TEAM)) | {"workbook": "gedeeld"}])
    issue_round(folder, today=ISSUED, workers=1)
    set_manifest(folder, 1, "reviewers", "; ".join(TEAM[:2]))
    books = issued(folder, "R3-3")
    hand_in(folder, catalogue, books[""])
    team = next(w for w in books.values() if w.reviewers)
    fill_team(folder.root / team.file,
              {who: {n.id: {"rating": "V"} for n in catalogue.norms()} for who in TEAM},
              out=folder.inbox / "team.xlsx")
    [made] = report(folder).results
    # the shared workbook stays as it was issued (README), so West counts: never unsaid
    assert [(f.code, f.cell) for f in made.findings if f.code == "reviewer-not-in-manifest"] \
        == [("reviewer-not-in-manifest", cell("reviewers"))]
    assert TEAM[2] in next(f.message for f in made.findings
                           if f.code == "reviewer-not-in-manifest")
