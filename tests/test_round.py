"""A whole round through the CLI: 12 assessments of every variant and what people really send.

Late and re-submitted workbooks, a forged identity, a file of another round, a broken zip,
an ``.ods`` return and one assessment whose outputs fail: every outcome is right, every
original stays byte-identical, and a second ``round run`` changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind
from kwl_office.batch.demo import fill_like_a_person
from kwl_office.batch.folder import RoundFolder, init_round
from kwl_office.batch.issue import load_index
from kwl_office.batch.manifest import HEADER_ROW, read_manifest
from kwl_office.batch.status import round_status
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.documents.text import document_lines
from kwl_office.register import Register
from tests.helpers import (
    GOOD,
    OTHER_KEY,
    count_register_queries,
    generate,
    hand_in,
    make_round,
    round_rows,
    set_saved_moment,
    soffice_convert,
)
from tests.helpers import row as manifest_row


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _tree(root: Path, *, skip: tuple[str, ...] = (".kwl",)) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file() and p.relative_to(root).parts[0] not in skip}


@pytest.fixture
def round_dir(tmp_path: Path) -> Path:
    root = tmp_path / "ronde-2026"
    assert run("round", "init", str(root), "--name", "Testronde").exit_code == 0
    folder = RoundFolder(root)
    config = folder.config_path.read_text(encoding="utf-8").replace(
        "kwaliteitsregister: ''", "kwaliteitsregister: kwaliteitsregister.sqlite")
    assert "kwaliteitsregister: kwaliteitsregister.sqlite" in config
    folder.config_path.write_text(config, encoding="utf-8")
    wb = load_workbook(folder.manifest)
    ws = wb.worksheets[0]
    for offset, row in enumerate(round_rows(), start=1):
        for col, value in enumerate(row, start=1):
            ws.cell(HEADER_ROW + offset, col).value = value
    wb.save(folder.manifest)
    return root


def _fill_all(folder: RoundFolder, skip: set[str]) -> dict[str, Path]:
    """Fill every issued workbook into the inbox (except ``skip``); workbook id → file."""
    made = {}
    for item in load_index(folder).values():
        if item.workbook_id in skip:
            continue
        target = folder.inbox / "mail" / f"{item.label} ingevuld.xlsx"
        fill_like_a_person(folder.root / item.file, target, item.kind, item.label, weights=GOOD)
        made[item.workbook_id] = target
    return made


@pytest.mark.slow
@pytest.mark.soffice  # one organisation returns its self-evaluation as .ods
def test_a_whole_round(round_dir: Path, tmp_path: Path) -> None:
    folder = RoundFolder(round_dir)

    # issue: the bad manifest row is reported with its cell and skipped
    result = run("round", "issue", str(round_dir))
    assert result.exit_code == 1, result.output
    _, manifest = read_manifest(folder.manifest)
    assert manifest.flatten() == [("manifest-missing-value", "Manifest",
                                   f"B{HEADER_ROW + len(round_rows())}")]
    index = load_index(folder)
    assert len({w.assessment_id for w in index.values()}) == 12
    issued = _tree(folder.issued)
    assert run("round", "issue", str(round_dir)).exit_code == 1  # same bad row, nothing new
    assert _tree(folder.issued) == issued

    by_label = {w.label: w for w in index.values()}
    late = by_label["2026-002 peer - Collega 2-A (fictief)"]
    resubmitted = by_label["2026-003 peer - Collega 3-B (fictief)"]
    failing = "2026-012"
    filled = _fill_all(folder, skip={late.workbook_id})

    # a first version with a mistake, a corrected one arrives later (newer file)
    first = filled[resubmitted.workbook_id]
    wrong = first.with_name("eerste versie.xlsx")
    shutil.copy(first, wrong)
    wb = load_workbook(wrong)
    wb.worksheets[1]["F5"] = "prima"
    wb.save(wrong)
    # older in the inbox and by its own saved moment, which decides (collect.saved_moment)
    set_saved_moment(wrong, datetime(2023, 11, 14, tzinfo=UTC))
    os.utime(wrong, (1_700_000_000, 1_700_000_000))

    # what else people send
    junk = folder.inbox / "rommel"
    junk.mkdir()
    data = filled[by_label["2026-001 zelfevaluatie"].workbook_id].read_bytes()
    (junk / "afgebroken.xlsx").write_bytes(data[: len(data) // 3])
    generate(junk / "vervalst.xlsx", Kind.PEER, key=OTHER_KEY, assessment_id="2026-004",
             host="Organisatie 04 (fictief)", reviewer="Indringer")
    other = init_round(tmp_path / "andere-ronde")
    other_wb = generate(junk / "andere ronde.xlsx", Kind.PEER, key=other.key(),
                        assessment_id="2026-001", host="Organisatie 01 (fictief)")
    assert other_wb.exists()
    ods_source = filled[by_label["2026-010 zelfevaluatie"].workbook_id]
    ods = soffice_convert(ods_source, folder.inbox / "ods", "ods", tmp_path / "profiel")
    ods_source.unlink()  # only the .ods comes back for this one
    assert ods.suffix == ".ods"

    # the consensus meeting's file of one assessment got damaged: its outputs must fail
    broken = folder.assessment_output(failing) / "geconsolideerd.xlsx"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"PK\x03\x04 niet meer te lezen")

    originals = _tree(folder.inbox)
    result = run("round", "run", str(round_dir), "--jobs", "2")
    assert result.exit_code == 1, result.output  # rejected files and one failed assessment

    # collect: the right files rejected, with their reasons
    intake = load_workbook(folder.output / "intake.xlsx")
    rejected = {r[0].value: r[1].value for r in intake["Geweigerd"].iter_rows(min_row=2)}
    assert set(rejected) == {"rommel/afgebroken.xlsx", "rommel/vervalst.xlsx",
                             "rommel/andere ronde.xlsx"}
    status = {r[3].value or r[2].value: r[4].value
              for r in intake["Ontvangst"].iter_rows(min_row=4) if r[0].value}
    assert T.INTAKE_MISSING in status.values()

    # the corrected resubmission is current, the first version kept as history
    history = list((folder.received / "2026-003" / "historie").iterdir())
    assert len(history) == 1

    # report: every complete assessment made, the late one waits, the broken one failed
    states = {p.parent.name: json.loads(p.read_text(encoding="utf-8"))
              for p in folder.output.glob("*/.kwl-status.json")}
    assert "2026-002" not in states and failing not in states
    assert set(states) == {f"2026-{i:03d}" for i in range(1, 13)} - {"2026-002", failing}
    assert (folder.assessment_output(failing) / "fout.txt").exists()
    assert re.search(rf"^{failing} .* {T.REPORT_FAILED} ", result.output, re.M), result.output
    for assessment_id, state in states.items():
        out = folder.assessment_output(assessment_id)
        for name in state["documents"]:
            assert (out / name).exists()
    with Register(folder.register_path()) as register:
        entries = register.entries()
    granted = {a for a, s in states.items() if s["number"]}
    assert {e.assessment_id for e in entries} == granted
    hosts_by_id = {f"2026-{i:03d}": f"Organisatie {i:02d} (fictief)" for i in range(1, 13)}
    for e in entries:  # canary: each entry carries its own organisation and its own number
        assert e.organisation.name == hosts_by_id[e.assessment_id]
        assert states[e.assessment_id]["number"] == e.number
    assert len({e.number for e in entries}) == len(entries)

    # canary: each organisation's documents hold only its own name
    hosts = {f"2026-{i:03d}": f"Organisatie {i:02d} (fictief)" for i in range(1, 13)}
    for assessment_id in states:
        for doc in folder.assessment_output(assessment_id).glob("*.docx"):
            text = "\n".join(document_lines(doc))
            assert hosts[assessment_id] in text, doc
            others = [h for a, h in hosts.items() if a != assessment_id and h in text]
            assert not others, (doc, others)

    # originals untouched
    assert _tree(folder.inbox) == originals

    # a second run changes nothing: same bytes, no new files
    before = _tree(round_dir, skip=(".kwl", "inbox"))
    again = run("round", "run", str(round_dir), "--jobs", "2")
    assert again.exit_code == 1
    assert _tree(round_dir, skip=(".kwl", "inbox")) == before

    # the late submission arrives: only that assessment is reported, the rest is skipped
    _fill_all(folder, skip=set(index) - {late.workbook_id})
    third = run("round", "run", str(round_dir), "--jobs", "2")
    assert "2026-002" in third.output
    assert (folder.assessment_output("2026-002") / ".kwl-status.json").exists()
    made = [line.split()[0] for line in third.output.splitlines()
            if line.startswith("2026-") and f" {T.REPORT_MADE} " in line]
    assert made == ["2026-002"], third.output

    status_result = run("round", "status", str(round_dir))
    assert status_result.exit_code == 0 and "2026-012" in status_result.output


def test_two_commands_on_one_round_refuse_clearly(round_dir: Path) -> None:
    folder = RoundFolder(round_dir)
    with folder.lock():
        result = run("round", "collect", str(round_dir))
    assert result.exit_code == 2
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_status_shows_a_withdrawn_or_expired_entry(tmp_path: Path, catalogue: Catalogue,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    reviewers = "Welzijn Noord (fictief); Buurtwerk Zuid (fictief)"
    folder = make_round(tmp_path / "ronde", [
        manifest_row("2026-001", "Wijkkracht Oost (fictief)", "intercollegiaal", reviewers),
        manifest_row("2026-002", "Wijkkracht West (fictief)", "intercollegiaal", reviewers)])
    assert run("round", "issue", str(folder.root)).exit_code == 0
    hand_in(folder, catalogue)
    assert run("round", "collect", str(folder.root)).exit_code == 0
    assert run("round", "report", str(folder.root)).exit_code == 0
    with Register(folder.register_path()) as register:
        first, second = (register.entry(a) for a in ("2026-001", "2026-002"))
        assert first is not None and second is not None
        register.withdraw(first.number, on=date.today())
        # the same assessment recorded again with dates in the past: expired today
        register.record(assessment_id="2026-002", organisation=second.organisation,
                        variant=second.variant, scope=second.scope, kind=second.kind,
                        granted_on=date(2020, 1, 1), valid_until=date(2022, 12, 31),
                        decided=True)  # a decision's day: only such a day moves the dates
    queries = count_register_queries(monkeypatch)
    rows = {r.assessment_id: r for r in round_status(folder)[0]}
    assert len(queries) == 1  # one register query for the whole round, not one per row
    assert rows["2026-001"].number == T.STATUS_ENTRY["ingetrokken"].format(
        number=first.number, on=T.format_date(date.today()))
    assert rows["2026-002"].number == T.STATUS_ENTRY["verlopen"].format(
        number=second.number, until=T.format_date(date(2022, 12, 31)))
    status = run("round", "status", str(folder.root))
    assert status.exit_code == 0 and rows["2026-001"].number in status.output

    # a register that cannot be opened: the status of before, never a traceback
    register_file = folder.register_path()
    assert isinstance(register_file, Path)
    register_file.write_bytes(b"geen register")
    rows = {r.assessment_id: r for r in round_status(folder)[0]}
    assert (rows["2026-001"].number, rows["2026-002"].number) == (first.number, second.number)
    status = run("round", "status", str(folder.root))
    assert status.exit_code == 0 and "Traceback" not in status.output


@pytest.mark.slow
def test_demo_runs_and_shows_intake_and_annotated_copy(tmp_path: Path) -> None:
    result = run("demo", str(tmp_path / "demo"))
    assert result.exit_code == 0, result.output
    out = tmp_path / "demo" / "uitvoer"
    assert (out / "intake.xlsx").exists()
    assert len(list((out / "terugsturen").glob("*.xlsx"))) == 1
    assert (out / "2026-101" / "leerrapport.docx").exists()
    assert (out / "2026-103" / "certificaat.docx").exists()
    # the second round, three years later on the new catalogue version: De Brug comes back
    # (recognised by its Organisatie-id) and its report says what changed since
    later = tmp_path / "demo" / "ronde-2029" / "uitvoer" / "2029-101"
    lines = document_lines(later / "leerrapport.docx")
    assert any(line.startswith("Sinds Demoronde 2026 (fictief):") for line in lines), lines[:40]
    assert "niet vergeleken" not in result.output
    # and a branch benchmark over both rounds that names nobody
    bench = tmp_path / "demo" / "branchebeeld"
    assert {p.name for p in bench.iterdir()} >= {"branche.json", "branche.xlsx",
                                                 "branchebeeld.docx"}
    assert "De Brug" not in (bench / "branche.json").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.soffice
def test_round_report_with_pdf(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    assert run("demo", str(root)).exit_code == 0
    result = run("round", "report", str(root), "--pdf")
    assert result.exit_code == 0, result.output
    out = root / "uitvoer"
    docx = sorted(out.glob("*/*.docx"))
    assert docx and all(p.with_suffix(".pdf").exists() for p in docx)
