"""Nothing the tool states about an organisation may be false (issue 10).

Each test reproduces one situation in which an earlier version stated something untrue, through
the CLI (and the API where that is the natural door), and asserts on finding codes and on
document and register facts, never on message prose.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import unicodedata
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.issue import load_index
from kwl_office.batch.manifest import COLUMNS, HEADER_ROW, read_manifest
from kwl_office.batch.steps import collect_round, report_round
from kwl_office.catalogue import Catalogue, load_catalogue
from kwl_office.catalogue.yaml import parse_yaml
from kwl_office.cli import main
from kwl_office.consolidation.model import Advice, Consolidation
from kwl_office.documents.text import document_lines
from kwl_office.errors import CatalogueError, RoundError
from kwl_office.excel import layout as L
from kwl_office.register import Register, Status
from tests.helpers import ISSUE_DAY, fill, fill_all, generate, hand_in, make_round, row

NFC_HOST = unicodedata.normalize("NFC", "Zorg & Wélzijn (fictief)")
NFD_HOST = unicodedata.normalize("NFD", NFC_HOST)
STEM = "Stichting Maatschappelijke Dienstverlening en Welzijn Midden-Nederland, locatie"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def issue(folder: RoundFolder) -> Result:
    """``kwl round issue`` on :data:`ISSUE_DAY`: the fixed decision days below lie after it, as
    a real decision lies after the workbooks it decides on were issued."""
    with time_machine.travel(ISSUE_DAY):
        return run("round", "issue", str(folder.root))


def state(folder: RoundFolder, assessment_id: str) -> dict[str, Any]:
    path = folder.assessment_output(assessment_id) / ".kwl-status.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def text_of(path: Path) -> str:
    return "\n".join(document_lines(path))


# --- a blank review is not a review ------------------------------------------------------------


def test_a_blank_review_does_not_count(tmp_path: Path, catalogue: Catalogue,
                                       key_file: Path) -> None:
    folder = tmp_path / "ingeleverd"
    folder.mkdir()
    fill_all(generate(folder / "noord.xlsx", Kind.PEER), catalogue)
    generate(folder / "leeg.xlsx", Kind.PEER, reviewer="Buurtwerk Zuid (fictief)")
    result = run("consolidate", str(folder), "-o", str(tmp_path / "uit"), "--json",
                 "--key", str(key_file))
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    assert ("incomplete-submission", "leeg.xlsx") in {(f["code"], f.get("file"))
                                                      for f in data["findings"]}
    assert "too-few-reviewers" in {f["code"] for f in data["findings"]}
    assert data["reviewers"] == ["Sociaal Werk Noord (fictief)"]
    assert data["advice"] == Advice.INCOMPLETE.value


def test_each_norm_needs_the_minimum_of_reviewers_who_rated_it(
        tmp_path: Path, catalogue: Catalogue, key_file: Path) -> None:
    data = catalogue.to_data()
    data["beleid"]["min_aandeel_beoordeeld"] = 0.9  # a reviewer may leave a few norms open
    lenient = tmp_path / "kader.yaml"
    lenient.write_text(json.dumps(data), encoding="utf-8")  # JSON is YAML
    lenient_catalogue = load_catalogue(lenient)
    folder = tmp_path / "ingeleverd"
    folder.mkdir()
    fill_all(generate(folder / "noord.xlsx", Kind.PEER, lenient_catalogue), catalogue)
    west = fill_all(generate(folder / "west.xlsx", Kind.PEER, lenient_catalogue,
                             reviewer="Welzijn West (fictief)"), catalogue)
    fill(west, {"V1.2": {"rating": None}})
    result = run("consolidate", str(folder), "-o", str(tmp_path / "uit"), "--json",
                 "--key", str(key_file), "--catalogue", str(lenient))
    out = json.loads(result.output)
    assert out["advice"] == Advice.INCOMPLETE.value and out["blocking_norms"] == ["V1.2"]
    assert [(f["code"], f["norm_id"]) for f in out["findings"]] == [("too-few-ratings", "V1.2")]
    # one voice is no consensus either: the other norms are fine, this one stays open
    assert out["norms"]["V1.2"]["consensus"] == "V"  # what the one reviewer said …
    assert out["valid"] is True                      # … but it is not registered


# --- the scale has roles ---------------------------------------------------------------------


def _with_extra_top_level(catalogue: Catalogue) -> Catalogue:
    data = catalogue.to_data()
    data["schaal"].insert(0, {"code": "U", "label": "Uitstekend", "score": 3,
                              "rol": "voldoet", "kleur": "00B050"})
    return Catalogue.model_validate(data)


def test_an_added_level_does_not_change_the_advice(tmp_path: Path, catalogue: Catalogue,
                                                    key_file: Path) -> None:
    wider = _with_extra_top_level(catalogue)
    assert wider.fingerprint != catalogue.fingerprint
    folder = tmp_path / "ingeleverd"
    folder.mkdir()
    fill_all(generate(folder / "audit.xlsx", Kind.AUDIT, wider, reviewer="CI (fictief)"),
             wider, rating="V")
    path = tmp_path / "breder.yaml"
    path.write_text(json.dumps(wider.to_data()), encoding="utf-8")
    out = json.loads(run("consolidate", str(folder), "-o", str(tmp_path / "uit"), "--json",
                         "--key", str(key_file), "--catalogue", str(path)).output)
    # V is "voldoet" by its role, whatever level scores higher: a certificate, 100% met
    assert out["advice"] == Advice.CERTIFICATE.value
    assert out["overall"]["share_met"] == 1.0


@pytest.mark.parametrize(("change", "fragment"), [
    (lambda scale: scale[0].pop("rol"), "rol"),
    (lambda scale: scale[0].update(rol="goed"), "rol"),
    (lambda scale: scale[3].update(rol="deels"), "score"),
    (lambda scale: scale[1].update(rol="voldoet", score=0), "score"),
    (lambda scale: scale[2].update(rol="deels"), "niet"),
], ids=["missing", "unknown", "nvt-role-without-score", "order", "no-niet"])
def test_the_roles_are_checked_when_the_catalogue_loads(
        catalogue: Catalogue, change: Any, fragment: str) -> None:
    data = catalogue.to_data()
    change(data["schaal"])
    with pytest.raises(CatalogueError) as caught:
        parse_yaml(json.dumps(data), name="kader.yaml")
    assert str(caught.value).startswith("kader.yaml:") and fragment in str(caught.value)


def test_the_catalogue_excel_carries_the_roles(tmp_path: Path, catalogue: Catalogue) -> None:
    shipped = Path(__file__).parents[1] / "workbooks" / "normenkader-voorbeeld.xlsx"
    assert [lv.role for lv in load_catalogue(shipped).scale] == [lv.role for lv in
                                                                   catalogue.scale]
    wb = load_workbook(shipped)
    headers = [c.value for c in wb[T.CATALOGUE_SHEET_SCALE][1]]
    column = headers.index("Rol")
    copy = tmp_path / "kader.xlsx"
    wb[T.CATALOGUE_SHEET_SCALE].cell(2, column + 1).value = None
    wb.save(copy)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(copy)
    assert str(caught.value).startswith(f"{T.CATALOGUE_SHEET_SCALE}!")


# --- names are identities --------------------------------------------------------------------


def test_the_manifest_treats_names_as_identities(tmp_path: Path) -> None:
    folder = make_round(tmp_path / "ronde", [
        row("2026-001", NFC_HOST, "intercollegiaal", f"Welzijn Noord (fictief); {NFD_HOST}"),
        row("2026-002", "Buurtwerk Zuid (fictief)", "intercollegiaal",
            "Welzijn Noord (fictief); WELZIJN  NOORD (fictief)."),
        row("2026/014", "Eén (fictief)", "zelfevaluatie"),
        row("2026:014", "Twee (fictief)", "zelfevaluatie"),
        row("2026-A1", "Drie (fictief)", "zelfevaluatie"),
        row("2026-a1", "Vier (fictief)", "zelfevaluatie"),
    ])
    entries, report = read_manifest(folder.manifest)
    assert [e.assessment.id for e in entries] == ["2026-A1"]
    col = {key: chr(ord("A") + i) for i, key in enumerate(COLUMNS)}
    first = HEADER_ROW + 1
    assert report.flatten() == [
        ("manifest-self-review", "Manifest", f"{col['reviewers']}{first}"),
        ("manifest-duplicate-reviewer", "Manifest", f"{col['reviewers']}{first + 1}"),
        ("manifest-invalid-value", "Manifest", f"{col['id']}{first + 2}"),
        ("manifest-invalid-value", "Manifest", f"{col['id']}{first + 3}"),
        ("manifest-duplicate-id", "Manifest", f"{col['id']}{first + 5}"),
    ]
    result = issue(folder)
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_a_host_cannot_be_issued_a_review_of_itself(tmp_path: Path, key_file: Path) -> None:
    result = run("workbook", "peer", "--assessment", "2026-001", "--host", NFC_HOST,
                 "--reviewer", NFD_HOST, "--key", str(key_file), "-o", str(tmp_path / "p"))
    assert result.exit_code == 2 and not list(tmp_path.glob("p*"))


def test_long_names_that_share_their_start_get_their_own_workbooks(
        tmp_path: Path, catalogue: Catalogue) -> None:
    utrecht, amersfoort = f"{STEM} Utrecht (fictief)", f"{STEM} Amersfoort (fictief)"
    assert utrecht[:80] == amersfoort[:80]
    folder = make_round(tmp_path / "ronde", [
        row("2026-001", "Wijkkracht Oost (fictief)", "intercollegiaal",
            f"{utrecht}; {amersfoort}", decision_date=date(2026, 11, 28))])
    assert issue(folder).exit_code == 0
    files = sorted(p.name for p in (folder.issued / "2026-001").glob("*.xlsx"))
    assert len(files) == 3 and all(len(name) <= 85 for name in files)
    reviewers = {item.reviewer for item in load_index(folder).values()}
    assert reviewers == {"", utrecht, amersfoort}
    hand_in(folder, catalogue)
    result = run("round", "run", str(folder.root))
    assert result.exit_code == 0, result.output
    consolidation = json.loads(
        (folder.assessment_output("2026-001") / "consolidation.json").read_text("utf-8"))
    assert sorted(consolidation["reviewers"]) == sorted([utrecht, amersfoort])
    assert consolidation["advice"] == Advice.REGISTRATION.value


def test_issue_never_overwrites_a_workbook_another_one_owns(tmp_path: Path) -> None:
    folder = make_round(tmp_path / "ronde", [
        row("2026-001", "Wijkkracht Oost (fictief)", "intercollegiaal",
            "Welzijn Noord (fictief); Buurtwerk Zuid (fictief)")])
    assert issue(folder).exit_code == 0
    index = load_index(folder)
    noord = next(w for w in index.values() if w.reviewer == "Welzijn Noord (fictief)")
    # another workbook claims the file name (a hand-edited index, a case-insensitive disk …)
    taken = noord.model_copy(update={"workbook_id": "ander", "reviewer": "Iemand anders",
                                     "file": noord.file.upper()})
    data = json.loads((folder.issued / "index.json").read_text(encoding="utf-8"))
    del data[noord.workbook_id]
    data["ander"] = taken.model_dump(mode="json")
    (folder.issued / "index.json").write_text(json.dumps(data), encoding="utf-8")
    before = (folder.root / noord.file).read_bytes()
    result = issue(folder)
    assert result.exit_code == 1
    assert (folder.root / noord.file).read_bytes() == before


# --- a round reports only what is complete -----------------------------------------------------


def test_a_round_waits_for_the_self_evaluation_unless_told(tmp_path: Path,
                                                           catalogue: Catalogue) -> None:
    folder = make_round(tmp_path / "ronde", [
        row("2026-001", "Wijkkracht Oost (fictief)", "intercollegiaal",
            "Welzijn Noord (fictief); Buurtwerk Zuid (fictief)")])
    assert issue(folder).exit_code == 0
    hand_in(folder, catalogue, skip=("zelfevaluatie",))
    result = run("round", "run", str(folder.root))
    assert result.exit_code == 0, result.output
    assert state(folder, "2026-001") == {}
    assert "2026-001 zelfevaluatie" in result.output
    status = run("round", "status", str(folder.root))
    assert "2026-001 zelfevaluatie" in status.output

    # reported anyway, on request: the documents say what was missing
    result = run("round", "report", str(folder.root), "--incomplete", "2026-001")
    assert result.exit_code == 0, result.output
    out = folder.assessment_output("2026-001")
    cons = Consolidation.from_json(json.loads((out / "consolidation.json").read_text("utf-8")))
    assert cons.missing_inputs == [T.REPORT_ITEM_MISSING.format(item="2026-001 zelfevaluatie")]
    assert "reported-incomplete" in {f.code for f in cons.findings}
    for name in ("leerrapport.docx", "brief.docx"):
        assert cons.missing_inputs[0] in text_of(out / name), name

    # the self-evaluation arrives: made again, now without the mark
    hand_in(folder, catalogue, skip=("peer",))
    assert run("round", "run", str(folder.root)).exit_code == 0
    cons = Consolidation.from_json(json.loads((out / "consolidation.json").read_text("utf-8")))
    assert cons.missing_inputs == [] and cons.self_evaluation
    assert T.REPORT_ITEM_MISSING.format(item="2026-001 zelfevaluatie") not in text_of(
        out / "leerrapport.docx")


def test_no_letter_names_a_decision_still_to_come(tmp_path: Path, catalogue: Catalogue) -> None:
    # the secretariat enters the meeting's date before the meeting: a letter dated today would
    # say the committee "decided on" a day still to come, and the register would hold it
    later = date.today() + timedelta(days=5)
    folder = make_round(tmp_path / "ronde", [
        row("2026-001", "Wijkkracht Oost (fictief)", "intercollegiaal",
            "Welzijn Noord (fictief); Buurtwerk Zuid (fictief)", decision_date=later)])
    assert issue(folder).exit_code == 0
    hand_in(folder, catalogue)
    result = run("round", "run", str(folder.root))
    assert result.exit_code == 0, result.output
    assert state(folder, "2026-001") == {}  # waits: nothing made, nothing registered
    with Register(folder.register_path()) as register:
        assert register.entries() == []
    cell = f"Manifest!{get_column_letter(list(COLUMNS).index('decision_date') + 1)}" \
           f"{HEADER_ROW + 1}"
    assert cell in result.output
    assert cell in run("round", "status", str(folder.root)).output
    # on the day itself it is reported, granted on that day
    summary = report_round(folder, today=later)
    assert [r.status for r in summary.results] == [T.REPORT_MADE]
    with Register(folder.register_path()) as register:
        assert [e.granted_on for e in register.entries()] == [later]


def test_no_letter_names_a_decision_before_the_workbooks_were_issued(
        tmp_path: Path, catalogue: Catalogue) -> None:
    # a typo of the year (2020 for 2026): the letter would say the committee discussed an
    # advice on reviews that did not exist yet, and a grant would have expired before it began
    decision_cell = get_column_letter(list(COLUMNS).index("decision_date") + 1)
    folder = make_round(tmp_path / "ronde", [
        row("2026-001", "Wijkkracht Oost (fictief)", "intercollegiaal",
            "Welzijn Noord (fictief); Buurtwerk Zuid (fictief)", decision_date=date(2020, 11, 28)),
        row("2026-002", "Buurtwerk West (fictief)", "audit", ci="CI West (fictief)",
            decision_date=ISSUE_DAY.date())])
    assert issue(folder).exit_code == 0
    hand_in(folder, catalogue)
    result = run("round", "run", str(folder.root))
    assert result.exit_code == 0, result.output
    assert state(folder, "2026-001") == {}  # waits: nothing made, nothing registered
    assert f"Manifest!{decision_cell}{HEADER_ROW + 1}" in result.output
    assert f"Manifest!{decision_cell}{HEADER_ROW + 1}" in run(
        "round", "status", str(folder.root)).output
    # a decision on the day the workbooks were issued is possible: reported and granted
    with Register(folder.register_path()) as register:
        assert [(e.assessment_id, e.granted_on) for e in register.entries()] == [
            ("2026-002", ISSUE_DAY.date())]


def test_a_decision_waits_for_the_last_workbook_its_advice_rests_on(
        tmp_path: Path, catalogue: Catalogue) -> None:
    # a third reviewer joins a week after the first two: the advice rests on their review too,
    # so a decision between the two issue days cannot be about it
    decided = ISSUE_DAY.date() + timedelta(days=3)
    folder = make_round(tmp_path / "ronde", [
        row("2026-001", "Wijkkracht Oost (fictief)", "intercollegiaal",
            "Welzijn Noord (fictief); Buurtwerk Zuid (fictief)", decision_date=decided)])
    assert issue(folder).exit_code == 0
    wb = load_workbook(folder.manifest)
    reviewers = wb.worksheets[0].cell(HEADER_ROW + 1, list(COLUMNS).index("reviewers") + 1)
    reviewers.value = f"{reviewers.value}; Sociaal Werk West (fictief)"
    wb.save(folder.manifest)
    with time_machine.travel(ISSUE_DAY + timedelta(days=7)):
        assert run("round", "issue", str(folder.root)).exit_code == 0
    hand_in(folder, catalogue)
    result = run("round", "run", str(folder.root))
    assert result.exit_code == 0, result.output
    assert state(folder, "2026-001") == {}
    assert T.format_date(ISSUE_DAY.date() + timedelta(days=7)) in result.output
    summary = report_round(folder, today=decided + timedelta(days=10))
    assert summary.results == [] and len(summary.waiting) == 1
    # the day the last workbook was issued is the first day a decision can be true
    wb = load_workbook(folder.manifest)
    wb.worksheets[0].cell(HEADER_ROW + 1, list(COLUMNS).index("decision_date") + 1).value = \
        ISSUE_DAY.date() + timedelta(days=7)
    wb.save(folder.manifest)
    assert [r.status for r in report_round(folder).results] == [T.REPORT_MADE]
    cons = Consolidation.from_json(json.loads(
        (folder.assessment_output("2026-001") / "consolidation.json").read_text("utf-8")))
    assert len(cons.reviewers) == 3
    assert cons.last_issued == ISSUE_DAY.date() + timedelta(days=7)


def test_an_unknown_incomplete_assessment_is_a_usage_error(tmp_path: Path) -> None:
    folder = make_round(tmp_path / "ronde", [row("2026-001", "Oost (fictief)", "zelfevaluatie")])
    result = run("round", "report", str(folder.root), "--incomplete", "2026-999")
    assert result.exit_code == 2 and "2026-999" in result.output


def test_report_findings_are_shown_and_an_unmotivated_final_rating_stays(
        tmp_path: Path, catalogue: Catalogue) -> None:
    folder = make_round(tmp_path / "ronde", [
        row("2026-001", "Wijkkracht Oost (fictief)", "intercollegiaal",
            "Welzijn Noord (fictief); Buurtwerk Zuid (fictief)")])
    issue(folder)
    hand_in(folder, catalogue)
    assert run("round", "run", str(folder.root)).exit_code == 0
    workbook = folder.assessment_output("2026-001") / "geconsolideerd.xlsx"
    wb = load_workbook(workbook)
    ws = wb[L.SHEET_MATRIX]
    header = next(r for r in ws.iter_rows() if any(c.value == L.MATRIX_FINAL.label for c in r))
    col = {c.value: c.column for c in header}
    norm_row = next(r[0].row for r in ws.iter_rows(min_row=header[0].row + 1)
                    if r[0].value == "V1.2")
    ws.cell(norm_row, col[L.MATRIX_FINAL.label]).value = "Voldoet niet"
    wb.save(workbook)

    summary = report_round(folder)
    assert not summary.ok
    [result] = summary.with_errors
    assert [(f.code, f.norm_id) for f in result.errors] == [
        ("override-without-motivation", "V1.2")]
    cli = run("round", "report", str(folder.root))  # unchanged since: skipped, still shown
    assert cli.exit_code == 1 and "V1.2" in cli.output
    kept = load_workbook(workbook)[L.SHEET_MATRIX]
    final = kept.cell(norm_row, col[L.MATRIX_FINAL.label])
    motivation = kept.cell(norm_row, col[L.MATRIX_MOTIVATION.label])
    assert final.value == "Voldoet niet" and motivation.comment is not None
    assert state(folder, "2026-001")["findings"][0]["code"] == "override-without-motivation"

    wb = load_workbook(workbook)
    wb[L.SHEET_MATRIX].cell(norm_row, col[L.MATRIX_MOTIVATION.label]).value = "Besproken."
    wb.save(workbook)
    assert run("round", "report", str(folder.root)).exit_code == 0
    cons = json.loads((workbook.parent / "consolidation.json").read_text("utf-8"))
    assert cons["norms"]["V1.2"]["overridden"] and cons["norms"]["V1.2"]["consensus"] == "N"


# --- the register cannot be fooled -------------------------------------------------------------


AUDITS = [row(f"2026-00{i}", f"Organisatie {i} (fictief)", "audit", ci=f"CI {i} (fictief)",
              decision_date=date(2026, 11, 28)) for i in (3, 1, 2)]


@pytest.mark.slow
def test_numbers_follow_the_assessment_ids_whatever_the_workers(
        tmp_path: Path, catalogue: Catalogue) -> None:
    numbers = []
    for jobs in ("1", "2"):
        folder = make_round(tmp_path / f"ronde-{jobs}", AUDITS)
        issue(folder)
        hand_in(folder, catalogue)
        result = run("round", "run", str(folder.root), "--jobs", jobs)
        assert result.exit_code == 0, result.output
        with Register(folder.register_path()) as register:
            numbers.append({e.assessment_id: e.number for e in register.entries()})
    assert numbers[0] == numbers[1] == {"2026-001": "KSW-2026-0001",
                                        "2026-002": "KSW-2026-0002",
                                        "2026-003": "KSW-2026-0003"}


@pytest.fixture(scope="module")
def granted_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three audits reported and registered (decided on 28 November 2026), a fourth issued
    but not yet handed in; made once, each test gets its own copy (``granted``)."""
    catalogue = load_catalogue()
    folder = make_round(tmp_path_factory.mktemp("ronde") / "ronde", [*AUDITS, row(
        "2026-004", "Organisatie 4 (fictief)", "audit", ci="CI 4 (fictief)")])
    issue(folder)
    hand_in(folder, catalogue, skip=("2026-004",))
    assert run("round", "run", str(folder.root)).exit_code == 0
    return folder.root


@pytest.fixture
def granted(granted_once: Path, tmp_path: Path) -> RoundFolder:
    root = tmp_path / "ronde"
    shutil.copytree(granted_once, root)
    return RoundFolder(root)


def test_an_emptied_register_is_refused(granted: RoundFolder, catalogue: Catalogue) -> None:
    path = granted.register_path()
    path.write_bytes(b"")
    for wal in path.parent.glob(path.name + "-*"):
        wal.unlink()
    hand_in(granted, catalogue, skip=("2026-001", "2026-002", "2026-003"))
    result = run("round", "run", str(granted.root))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert path.stat().st_size == 0  # never silently a new register numbering from 0001
    assert state(granted, "2026-004") == {}
    assert run("register", "list", "--round", str(granted.root)).exit_code == 2


@pytest.mark.parametrize(("how", "message"), [
    ("removed", T.ROUND_REGISTER_GONE), ("other", T.ROUND_REGISTER_OTHER),
    ("older", T.ROUND_REGISTER_BEHIND)])
def test_a_replaced_register_is_refused(granted: RoundFolder, catalogue: Catalogue,
                                        tmp_path: Path, how: str, message: str) -> None:
    path = granted.register_path()
    older = tmp_path / "oud.sqlite"
    shutil.copy(path, older)
    for file in path.parent.glob(path.name + "*"):
        file.unlink()
    if how == "other":
        Register(path).close()  # a new, empty register in its place
    if how == "older":  # a back-up taken before the last number was given
        db = sqlite3.connect(older)
        with db:
            db.execute("DELETE FROM entries WHERE number = 'KSW-2026-0003'")
        db.close()
        shutil.copy(older, path)
    hand_in(granted, catalogue, skip=("2026-001", "2026-002", "2026-003"))
    collect_round(granted)
    with pytest.raises(RoundError) as refused:
        report_round(granted)
    assert str(refused.value).startswith(message.split("{")[0])
    result = run("round", "report", str(granted.root))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert state(granted, "2026-004") == {}


def test_a_withdrawn_entry_is_never_issued_again(granted: RoundFolder,
                                                 catalogue: Catalogue) -> None:
    out = granted.assessment_output("2026-001")
    letter, cert = (out / "brief.docx").read_bytes(), (out / "certificaat.docx").read_bytes()
    # on the day it was granted: a withdrawal day still to come is refused
    result = run("register", "withdraw", "KSW-2026-0001", "--on", "2026-11-28", "--round",
                 str(granted.root))
    assert result.exit_code == 0, result.output
    # new inputs for 2026-001: a late second look at its manifest row
    wb = load_workbook(granted.manifest)
    wb.worksheets[0].cell(HEADER_ROW + 2, list(COLUMNS).index("contact") + 1).value = "Mw. X"
    wb.save(granted.manifest)
    result = run("round", "report", str(granted.root))
    assert result.exit_code == 0, result.output
    assert re.search(rf"^2026-001 .* {T.REPORT_MADE} ", result.output, re.M)  # made again
    assert (out / "brief.docx").read_bytes() == letter
    assert (out / "certificaat.docx").read_bytes() == cert
    line = next(x for x in result.output.splitlines() if "KSW-2026-0001" in x and
                "ingetrokken op 28 november 2026" in x)
    assert line
    # status: the long outcome widens its column, so every state still starts in one column
    status = run("round", "status", str(granted.root))
    assert status.exit_code == 0, status.output
    lines = status.output.splitlines()
    header = next(n for n, x in enumerate(lines) if x.startswith("Toetsing "))
    table = [x for x in lines[header + 1:] if re.match(r"20\d\d-\d{3} ", x)]
    withdrawn = next(x for x in table if "(ingetrokken op 28 november 2026)" in x)
    column = lines[header].index("Stand")
    assert len(table) == 4 and withdrawn[column - 1] == " "
    assert all(x[column - 1] == " " and x[column] != " " for x in table)
    html = granted.root / "register.html"
    assert run("register", "export", str(html), "--round", str(granted.root)).exit_code == 0
    page = html.read_text(encoding="utf-8")
    entry_row = next(r for r in page.split("<tr>") if "KSW-2026-0001" in r)
    assert "Ingetrokken op 28 november 2026" in entry_row
    assert "2029" not in entry_row  # no validity shown for a withdrawn entry


def test_one_register_for_round_and_register_commands(granted: RoundFolder,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    by_option = run("register", "list", "--round", str(granted.root))
    assert by_option.exit_code == 0 and "KSW-2026-0003" in by_option.output
    monkeypatch.chdir(granted.root)
    in_folder = run("register", "list")
    assert in_folder.output == by_option.output


def test_validity_is_through_the_day_before_the_anniversary(granted: RoundFolder) -> None:
    with Register(granted.register_path()) as register:
        entry = register.entry("2026-001")
    assert entry is not None and entry.status is Status.ACTIVE
    assert (entry.granted_on, entry.valid_until) == (date(2026, 11, 28), date(2029, 11, 27))
    out = granted.assessment_output("2026-001")
    for name in ("brief.docx", "certificaat.docx"):
        assert "27 november 2029" in text_of(out / name)
        assert "28 november 2029" not in text_of(out / name)
    listing = run("register", "list", "--round", str(granted.root)).output
    assert re.search(r"KSW-2026-0001 .* t/m 2029-11-27", listing)
    csv_path = granted.root / "register.csv"
    run("register", "export", str(csv_path), "--round", str(granted.root))
    header, *rows = csv_path.read_text(encoding="utf-8-sig").splitlines()
    assert T.REGISTER_HEADERS["valid_until"] == "Geldig tot en met"
    assert "Geldig tot en met" in header and any("2029-11-27" in r for r in rows)


# --- documents say only what is true ---------------------------------------------------------


def test_an_audit_by_one_ci_shows_no_agreement(granted: RoundFolder) -> None:
    out = granted.assessment_output("2026-001")
    text = text_of(out / "auditrapport.docx")
    assert "alfa" not in text.casefold() and T.DOC_ALPHA_UNDEFINED not in text
    assert L.SHEET_AGREEMENT not in load_workbook(out / "geconsolideerd.xlsx").sheetnames


def test_a_peer_report_as_audit_report_is_refused(tmp_path: Path, catalogue: Catalogue,
                                                  key_file: Path) -> None:
    folder = tmp_path / "ingeleverd"
    folder.mkdir()
    fill_all(generate(folder / "noord.xlsx", Kind.PEER), catalogue)
    fill_all(generate(folder / "west.xlsx", Kind.PEER, reviewer="West (fictief)"), catalogue)
    run("consolidate", str(folder), "-o", str(tmp_path / "uit"), "--key", str(key_file))
    out = tmp_path / "audit.docx"
    result = run("report", "audit", str(tmp_path / "uit"), "-o", str(out))
    assert result.exit_code == 2 and not out.exists() and "kwl report learning" in result.output


def test_the_blank_review_in_a_round_is_invalid_at_intake(tmp_path: Path,
                                                          catalogue: Catalogue) -> None:
    folder = make_round(tmp_path / "ronde", [
        row("2026-001", "Wijkkracht Oost (fictief)", "intercollegiaal",
            "Welzijn Noord (fictief); Buurtwerk Zuid (fictief)")])
    issue(folder)
    hand_in(folder, catalogue, skip=("Buurtwerk",))
    blank = next(w for w in load_index(folder).values() if "Buurtwerk" in w.reviewer)
    shutil.copy(folder.root / blank.file, folder.inbox / "leeg teruggestuurd.xlsx")
    collected = collect_round(folder)
    assert [f.code for f in collected.result.submissions[blank.workbook_id].report.errors] == [
        "incomplete-submission"]
    assert len(collected.annotated) == 1  # a copy to send back, with the open cells marked
    result = run("round", "report", str(folder.root))
    assert state(folder, "2026-001") == {}
    assert T.REPORT_INVALID.format(items=blank.label) in result.output


def test_a_decision_that_no_longer_grants_asks_for_withdrawal_first(
        granted: RoundFolder) -> None:
    out = granted.assessment_output("2026-001")
    letter = (out / "brief.docx").read_bytes()
    wb = load_workbook(granted.manifest)
    wb.worksheets[0].cell(HEADER_ROW + 2, list(COLUMNS).index("decision") + 1).value = "afwijzen"
    wb.save(granted.manifest)
    result = run("round", "report", str(granted.root))
    assert result.exit_code == 1
    assert re.search(rf"^2026-001 .* {T.REPORT_FAILED} ", result.output, re.M), result.output
    assert "KSW-2026-0001" in result.output  # the message names the entry to withdraw
    assert (out / "brief.docx").read_bytes() == letter
    run("register", "withdraw", "KSW-2026-0001", "--round", str(granted.root))
    result = run("round", "report", str(granted.root))
    assert result.exit_code == 0, result.output
    assert state(granted, "2026-001")["decision"] == Advice.REASSESSMENT.value
    # the letter that was sent stays what it was; what follows a withdrawal is handwork
    assert (out / "brief.docx").read_bytes() == letter
