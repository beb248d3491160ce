"""Learning across rounds, the round's side (issue 15): the register keeps every reported
assessment's consolidation, and a later round finds the organisation's previous one by its
Organisatie-id or, without one, by its name."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind
from kwl_office.atomic import write_text_atomic
from kwl_office.batch.folder import RoundFolder, config_text
from kwl_office.batch.issue import load_index
from kwl_office.batch.manifest import COLUMNS, HEADER_ROW
from kwl_office.batch.steps import ReportSummary, collect_round, issue_round, report_round
from kwl_office.benchmark import write_benchmark_json
from kwl_office.catalogue import example_catalogue_path
from kwl_office.documents.examples import example_benchmark
from kwl_office.documents.text import document_lines
from kwl_office.errors import InvalidArgument
from kwl_office.names import organisation_id_key
from kwl_office.register import SCHEMA_VERSION, Register
from tests.helpers import fill, fill_all, make_round, row

BEFORE = date(2029, 12, 1)


def result(assessment_id: str, marker: str = "") -> dict[str, Any]:
    """The part of a consolidation.json the register looks at, plus a marker to tell them
    apart."""
    return {"assessment_id": assessment_id, "catalogue_id": "ksw-voorbeeld",
            "catalogue_version": "voorbeeld", "marker": marker}


@pytest.fixture
def reg(tmp_path: Path) -> Register:
    return Register(tmp_path / "register.sqlite")


def test_the_latest_earlier_result_of_the_same_organisation(reg: Register) -> None:
    reg.remember_result(result("2023-001", "eerste"), organisation="Welzijn Oost",
                        round="Ronde 2023", reported_on=date(2023, 5, 1))
    reg.remember_result(result("2026-001", "tweede"), organisation="Welzijn Oost",
                        round="Ronde 2026", reported_on=date(2026, 5, 1))
    reg.remember_result(result("2026-002", "ander"), organisation="Buurtwerk Zuid",
                        reported_on=date(2026, 6, 1))
    found = reg.previous_result(assessment_id="2029-001", organisation="welzijn  OOST",
                                before=BEFORE)
    assert found is not None
    assert (found.assessment_id, found.round, found.consolidation["marker"]) == (
        "2026-001", "Ronde 2026", "tweede")
    # the assessment itself is never its own previous one, nor one reported later
    again = reg.previous_result(assessment_id="2026-001", organisation="Welzijn Oost",
                                before=BEFORE)
    assert again is not None and again.assessment_id == "2023-001"
    assert reg.previous_result(assessment_id="2029-001", organisation="Welzijn Oost",
                               before=date(2023, 4, 30)) is None
    assert reg.previous_result(assessment_id="2029-001", organisation="Nieuw",
                               before=BEFORE) is None


def done(assessment_id: str, day: date, marker: str = "", scope: str = "") -> dict[str, Any]:
    """:func:`result` of an assessment whose last workbook was issued on ``day``."""
    return result(assessment_id, marker) | {"last_issued": day.isoformat(), "scope": scope}


def test_only_an_assessment_done_before_this_one_is_its_previous(reg: Register) -> None:
    # two scopes in 2026, one assessment in 2029, and a result kept by an older version
    # (no last_issued: the day it was reported counts)
    reg.remember_result(done("2026-001", date(2026, 10, 1), "wijk", "Wijkteams"),
                        organisation="Welzijn Oost", round="Ronde 2026",
                        reported_on=date(2026, 11, 1))
    reg.remember_result(done("2026-002", date(2026, 10, 1), "jong", "Jongerenwerk"),
                        organisation="Welzijn Oost", round="Ronde 2026",
                        reported_on=date(2026, 11, 2))
    reg.remember_result(done("2029-001", date(2029, 10, 1), "later", "Wijkteams"),
                        organisation="Welzijn Oost", round="Ronde 2029",
                        reported_on=date(2029, 11, 1))
    reg.remember_result(result("2023-001", "oud"), organisation="Welzijn Oost",
                        round="Ronde 2023", reported_on=date(2023, 11, 1))

    def previous(assessment_id: str, round_: str, day: date, scope: str = "") -> str | None:
        found = reg.previous_result(assessment_id=assessment_id, organisation="Welzijn Oost",
                                    before=date(2030, 1, 1), round=round_, assessed_on=day,
                                    scope=scope)
        return found.consolidation["marker"] if found else None

    # 2026 reported again after 2029: never the later one, never the other scope of its
    # own round: the one before it
    assert previous("2026-001", "Ronde 2026", date(2026, 10, 1)) == "oud"
    assert previous("2026-002", "Ronde 2026", date(2026, 10, 1)) == "oud"
    # 2029: of the two scopes assessed in 2026 the same one, whichever was reported last
    assert previous("2029-001", "Ronde 2029", date(2029, 10, 1), "Wijkteams") == "wijk"
    assert previous("2029-001", "Ronde 2029", date(2029, 10, 1), "jongerenwerk") == "jong"
    assert previous("2029-001", "Ronde 2029", date(2029, 10, 1), "Anders") == "jong"
    # a day both share decides nothing, nor does anything after this assessment
    assert previous("2029-009", "Ronde 2029b", date(2029, 10, 1)) == "jong"
    assert previous("2023-009", "Ronde 2023b", date(2023, 11, 1)) is None
    assert previous("2023-009", "Ronde 2023b", date(2023, 11, 2)) == "oud"


def test_a_number_used_again_for_another_organisation_keeps_the_first_result(
        reg: Register) -> None:
    reg.remember_result(result("2026-002", "beta"), organisation="Stichting Beta",
                        organisation_id="87654321", reported_on=date(2026, 11, 1))
    for other, kvk in (("Zeta Drie", ""), ("Stichting Beta", "11111111")):
        with pytest.raises(InvalidArgument):
            reg.check_owner("2026-002", other, kvk)
        with pytest.raises(InvalidArgument):
            reg.remember_result(result("2026-002", "zeta"), organisation=other,
                                organisation_id=kvk, reported_on=date(2026, 11, 2))
    # the same organisation (its id, or renamed with that id) reports it again
    reg.check_owner("2026-002", "Beta B.V.", "87.654.321")
    reg.remember_result(result("2026-002", "beta 2"), organisation="Beta B.V.",
                        organisation_id="87654321", reported_on=date(2026, 11, 3))
    found = reg.previous_result(assessment_id="2027-010", organisation="Beta B.V.",
                                organisation_id="87654321", before=BEFORE)
    assert found is not None and found.consolidation["marker"] == "beta 2"


def test_reporting_again_replaces_the_kept_result(reg: Register) -> None:
    reg.remember_result(result("2026-001", "oud"), organisation="Welzijn Oost",
                        reported_on=date(2026, 5, 1))
    reg.remember_result(result("2026-001", "nieuw"), organisation="Welzijn Oost",
                        reported_on=date(2026, 5, 2))
    found = reg.previous_result(assessment_id="2029-001", organisation="Welzijn Oost",
                                before=BEFORE)
    assert found is not None and found.consolidation["marker"] == "nieuw"


def test_the_organisation_id_wins_over_the_name(reg: Register) -> None:
    # renamed since, same KvK number: still the same organisation
    reg.remember_result(result("2026-001", "kvk"), organisation="Stichting Welzijn Oost",
                        organisation_id="12.34 56-78", reported_on=date(2026, 5, 1))
    found = reg.previous_result(assessment_id="2029-001", organisation="Welzijn Oost e.o.",
                                organisation_id="12345678", before=BEFORE)
    assert found is not None and found.consolidation["marker"] == "kvk"
    # another organisation with the same name but another id is never taken for it
    assert reg.previous_result(assessment_id="2029-001", organisation="Stichting Welzijn Oost",
                               organisation_id="87654321", before=BEFORE) is None


def test_a_first_id_falls_back_to_the_name_of_a_result_without_one(reg: Register) -> None:
    reg.remember_result(result("2026-001", "zonder id"), organisation="Welzijn Oost",
                        reported_on=date(2026, 5, 1))
    found = reg.previous_result(assessment_id="2029-001", organisation="Welzijn Oost",
                                organisation_id="12345678", before=BEFORE)
    assert found is not None and found.consolidation["marker"] == "zonder id"


def test_a_name_shared_by_two_organisations_is_no_answer(reg: Register) -> None:
    for number, kvk in (("2026-001", "11111111"), ("2026-002", "22222222")):
        reg.remember_result(result(number), organisation="Welzijn", organisation_id=kvk,
                            reported_on=date(2026, 5, 1))
    assert reg.previous_result(assessment_id="2029-001", organisation="Welzijn",
                               before=BEFORE) is None


def test_organisation_id_key_ignores_spaces_dots_and_dashes() -> None:
    assert organisation_id_key(" 12.34 56–78 ") == organisation_id_key("12345678") == "12345678"
    assert organisation_id_key("") == ""


def test_a_register_of_the_previous_version_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    Register(path).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE results")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with Register(path) as reg:
        reg.remember_result(result("2026-001"), organisation="Welzijn Oost",
                            reported_on=date(2026, 5, 1))
        assert reg.previous_result(assessment_id="2029-001", organisation="Welzijn Oost",
                                   before=BEFORE) is not None
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    conn.close()


# --- the round ---------------------------------------------------------------------------------

HOST = "Stichting Welzijn Oost (fictief)"
CI = "CI Kwaliteit (fictief)"


def shared_round(root: Path, name: str, rows: list[dict[str, Any]],
                 catalogue: str | None = None) -> RoundFolder:
    """A round that keeps its register beside it (shared by the rounds under ``root``'s
    parent), with ``rows`` in its manifest."""
    return make_round(root, rows, name=name, register="../register.sqlite",
                      catalogue=catalogue)


def run(folder: RoundFolder, rating: str, today: date, other: str = "V") -> ReportSummary:
    """Issue, fill every workbook (the self-evaluation ``other``, the audit ``rating``
    except its first norm), collect and report."""
    issue_round(folder, today=today)
    catalogue = folder.catalogue()
    norms = [n.id for n in catalogue.norms()]
    for item in load_index(folder).values():
        source = folder.root / item.file
        if item.kind is Kind.SELF_EVALUATION:
            answers = {n: {"rating": other, "improvements": f"Verbeteractie {n}"} for n in norms}
        else:
            answers = {n: {"rating": rating if i else "N"} for i, n in enumerate(norms)}
        fill(source, answers, folder.inbox / f"{item.workbook_id}.xlsx")
    collect_round(folder)
    summary = report_round(folder, today=today)
    assert summary.ok, [(r.status, r.message, r.note) for r in summary.results]
    return summary


def lines_of(folder: RoundFolder, assessment_id: str, name: str) -> list[str]:
    return document_lines(folder.assessment_output(assessment_id) / name)


def test_a_later_round_shows_what_changed_since_the_previous_assessment(
        tmp_path: Path) -> None:
    first = shared_round(tmp_path / "ronde-2026", "Ronde 2026", [
        row("2026-001", HOST, "audit", ci=CI) | {"organisation_id": "12345678"}])
    run(first, "D", date(2026, 11, 1))
    # the first assessment has nothing to compare with
    assert not any("Sinds Ronde" in line for line in lines_of(first, "2026-001",
                                                               "auditrapport.docx"))
    # three years later, under a new name: recognised by its Organisatie-id
    second = shared_round(tmp_path / "ronde-2029", "Ronde 2029", [
        row("2029-001", "Welzijn Oost e.o. (fictief)", "audit", ci=CI)
        | {"organisation_id": "12.345.678"}])
    [made] = run(second, "V", date(2029, 11, 1)).results
    norms = len(list(second.catalogue().norms()))
    lines = lines_of(second, "2029-001", "auditrapport.docx")
    # the name it had then is said, in the report and to the secretariat: a mistyped
    # Organisatie-id would show another organisation's history
    assert HOST in made.note
    assert any(f"toetsing 2026-001 (toen onder de naam {HOST})" in line for line in lines)
    # every norm but the first went from D to V; the first stayed N
    summary = f"Sinds Ronde 2026: {norms - 1} normen beter, 0 slechter, 1 gelijk"
    assert any(summary in line for line in lines), [x for x in lines if "Sinds" in x]
    # the organisation's earlier improvement action stands next to what is found now
    assert any("Verbeteractie V1.2" in line for line in lines)
    # and geconsolideerd.xlsx has the comparison on a sheet of its own
    wb = load_workbook(second.assessment_output("2029-001") / "geconsolideerd.xlsx")
    assert T.CONS_SHEET_PREVIOUS in wb.sheetnames
    first_wb = load_workbook(first.assessment_output("2026-001") / "geconsolideerd.xlsx")
    assert T.CONS_SHEET_PREVIOUS not in first_wb.sheetnames
    # nothing changed: reporting again makes nothing (the comparison is part of what the
    # state remembers, as the main process computes it)
    again = report_round(second, today=date(2029, 11, 1))
    assert [r.status for r in again.results] == [T.REPORT_SKIPPED]


def test_another_organisation_with_the_same_name_is_never_compared(tmp_path: Path) -> None:
    first = shared_round(tmp_path / "ronde-2026", "Ronde 2026", [
        row("2026-001", HOST, "audit", ci=CI) | {"organisation_id": "11111111"}])
    run(first, "D", date(2026, 11, 1))
    second = shared_round(tmp_path / "ronde-2029", "Ronde 2029", [
        row("2029-001", HOST, "audit", ci=CI) | {"organisation_id": "22222222"}])
    run(second, "V", date(2029, 11, 1))
    assert not any("Sinds" in line for line in lines_of(second, "2029-001",
                                                         "auditrapport.docx"))


def test_a_new_catalogue_version_compares_through_the_shipped_mapping(tmp_path: Path) -> None:
    first = shared_round(tmp_path / "ronde-2026", "Ronde 2026", [row("2026-001", HOST, "audit",
                                                                     ci=CI)])
    run(first, "D", date(2026, 11, 1))
    second = shared_round(tmp_path / "ronde-2029", "Ronde 2029",
                          [row("2029-001", HOST, "audit", ci=CI)], catalogue="voorbeeld-2027")
    assert second.catalogue().version != first.catalogue().version
    run(second, "V", date(2029, 11, 1))
    text = "\n".join(lines_of(second, "2029-001", "auditrapport.docx"))
    assert "Sinds Ronde 2026" in text
    assert "toen onder de naam" not in text  # the same name: nothing to say
    # norms that changed meaning, were split or are new are never compared as the same
    summary = next(line for line in text.splitlines() if line.startswith("Sinds Ronde 2026"))
    assert "niet vergelijkbaar" in summary
    for reason in ("nieuw", "betekenis-gewijzigd", "gesplitst"):
        assert T.HIST_REASON_SHORT[reason] in summary, summary
    # every norm that kept its meaning went from D to V (the first stayed N), the changed
    # V1.2 is not among them
    comparable = int(summary.split(": ")[1].split(" ")[0])
    assert comparable < len(list(second.catalogue().norms())) - 1


def test_without_a_mapping_the_round_says_why_it_did_not_compare(tmp_path: Path) -> None:
    first = shared_round(tmp_path / "ronde-2026", "Ronde 2026", [row("2026-001", HOST, "audit",
                                                                     ci=CI)])
    run(first, "D", date(2026, 11, 1))
    own = tmp_path / "eigen.yaml"
    text = example_catalogue_path().read_text(encoding="utf-8")
    own.write_text(text.replace("versie: voorbeeld", "versie: eigen", 1).replace(
        "reflecteert regelmatig", "reflecteert wekelijks", 1), encoding="utf-8")
    second = shared_round(tmp_path / "ronde-2029", "Ronde 2029",
                          [row("2029-001", HOST, "audit", ci=CI)], catalogue=str(own))
    issue_round(second, today=date(2029, 11, 1))
    catalogue = second.catalogue()
    for item in load_index(second).values():
        fill_all(second.root / item.file, catalogue, out=second.inbox / f"{item.workbook_id}.xlsx")
    collect_round(second)
    summary = report_round(second, today=date(2029, 11, 1))
    [result] = summary.results
    # made, without a comparison that would compare other norms as if they were the same
    assert result.status == T.REPORT_MADE
    assert "niet vergeleken met de vorige toetsing 2026-001" in result.note
    assert not any("Sinds" in line for line in lines_of(second, "2029-001",
                                                         "auditrapport.docx"))


def test_the_round_gives_its_reports_the_benchmark_of_ronde_yaml(tmp_path: Path) -> None:
    folder = shared_round(tmp_path / "ronde-2026", "Ronde 2026", [row("2026-001", HOST, "audit",
                                                                      ci=CI)])
    run(folder, "D", date(2026, 11, 1))
    assert not any("Positie in de branche" in line
                   for line in lines_of(folder, "2026-001", "auditrapport.docx"))
    write_benchmark_json(folder.root / "branche.json", example_benchmark(folder.catalogue()))
    config = folder.config()
    config.branchebeeld = "branche.json"
    write_text_atomic(folder.config_path, config_text(config))
    # the benchmark is an input: the report is made again, now with the branch chapter
    summary = report_round(folder, today=date(2026, 11, 1))
    assert [r.status for r in summary.results] == [T.REPORT_MADE]
    assert any("Positie in de branche" in line
               for line in lines_of(folder, "2026-001", "auditrapport.docx"))
    # and once made with it, not again while nothing changes
    again = report_round(folder, today=date(2026, 11, 1))
    assert [r.status for r in again.results] == [T.REPORT_SKIPPED]


def test_an_earlier_round_reported_again_never_compares_with_a_later_one(
        tmp_path: Path) -> None:
    first = shared_round(tmp_path / "ronde-2026", "Ronde 2026", [
        row("2026-001", HOST, "audit", ci=CI) | {"organisation_id": "12345678"}])
    run(first, "D", date(2026, 11, 1))
    sent = (first.assessment_output("2026-001") / "auditrapport.docx").read_bytes()
    second = shared_round(tmp_path / "ronde-2029", "Ronde 2029", [
        row("2029-001", HOST, "audit", ci=CI) | {"organisation_id": "12345678"}])
    run(second, "V", date(2029, 11, 1))
    # the 2026 round run again afterwards: its report stays the one that was sent
    again = report_round(first, today=date(2029, 12, 1))
    assert [r.status for r in again.results] == [T.REPORT_SKIPPED]
    assert (first.assessment_output("2026-001") / "auditrapport.docx").read_bytes() == sent


def test_the_previous_round_reported_again_unchanged_remakes_nothing_after_it(
        tmp_path: Path) -> None:
    first = shared_round(tmp_path / "ronde-2026", "Ronde 2026", [
        row("2026-001", HOST, "audit", ci=CI) | {"organisation_id": "12345678"}])
    run(first, "D", date(2026, 11, 1))
    second = shared_round(tmp_path / "ronde-2029", "Ronde 2029", [
        row("2029-001", HOST, "audit", ci=CI) | {"organisation_id": "12345678"}])
    run(second, "V", date(2029, 11, 1))
    out = second.assessment_output("2029-001")
    made = {name: (out / name).read_bytes() for name in ("auditrapport.docx", "brief.docx")}
    # a contact person corrected in the 2026 manifest: that round is reported again (what
    # its register keeps for 'Sinds de vorige keer' is the same consolidation)
    wb = load_workbook(first.manifest)
    wb.worksheets[0].cell(HEADER_ROW + 1, list(COLUMNS).index("contact") + 1).value = "Mw. X"
    wb.save(first.manifest)
    assert [r.status for r in report_round(first, today=date(2029, 12, 1)).results] == [
        T.REPORT_MADE]
    # the 2029 report shows the same comparison: nothing is made again, letters stay
    again = report_round(second, today=date(2029, 12, 1))
    assert [r.status for r in again.results] == [T.REPORT_SKIPPED]
    assert {name: (out / name).read_bytes() for name in made} == made


def test_two_scopes_of_one_round_are_not_each_others_previous(tmp_path: Path) -> None:
    folder = shared_round(tmp_path / "ronde-2026", "Ronde 2026", [
        row("2026-001", HOST, "audit", ci=CI) | {"organisation_id": "12345678",
                                                 "scope": "Wijkteams"},
        row("2026-002", HOST, "audit", ci=CI) | {"organisation_id": "12345678",
                                                 "scope": "Jongerenwerk"}])
    run(folder, "D", date(2026, 11, 1))
    for assessment_id in ("2026-001", "2026-002"):
        assert not any("Sinds" in line for line in lines_of(folder, assessment_id,
                                                             "auditrapport.docx"))
    again = report_round(folder, today=date(2026, 11, 2))
    assert [r.status for r in again.results] == [T.REPORT_SKIPPED, T.REPORT_SKIPPED]


def test_a_number_another_organisation_reported_before_is_refused(tmp_path: Path) -> None:
    first = shared_round(tmp_path / "ronde-a", "Ronde A", [
        row("2026-002", "Stichting Beta (fictief)", "audit", ci=CI, decision="afwijzen")
        | {"organisation_id": "87654321"}])
    run(first, "D", date(2026, 11, 1))
    second = shared_round(tmp_path / "ronde-b", "Ronde B", [
        row("2026-002", "Zeta Drie (fictief)", "audit", ci=CI)])
    issue_round(second, today=date(2026, 11, 5))
    catalogue = second.catalogue()
    for item in load_index(second).values():
        fill_all(second.root / item.file, catalogue, out=second.inbox / f"{item.workbook_id}.xlsx")
    collect_round(second)
    [refused] = report_round(second, today=date(2026, 11, 5)).results
    assert refused.status == T.REPORT_FAILED and "Stichting Beta" in refused.message
    with Register(tmp_path / "register.sqlite") as reg:
        assert reg.entries() == []  # nothing registered for Zeta under Beta's number
        kept = reg.previous_result(assessment_id="2029-001", organisation="Beta",
                                   organisation_id="87654321", before=date(2029, 1, 1))
    assert kept is not None and kept.organisation == "Stichting Beta (fictief)"
