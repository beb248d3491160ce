"""The ``kwl`` command line: workbook commands, ``check`` JSON and exit codes, key lookup."""

from __future__ import annotations

import json
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.excel import layout as L
from kwl_office.excel.reader import read_workbook
from kwl_office.places import default_key_path
from tests.helpers import (
    HOST,
    KEY,
    REVIEWER,
    domain_sheets,
    fill,
    fill_all,
    generate,
    messy_answers,
    mutate,
)


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


@pytest.mark.parametrize("kind", ["selfeval", "peer"])
def test_a_deadline_already_past_is_made_and_said(tmp_path: Path, key_file: Path,
                                                  kind: str) -> None:
    # as the manifest warns for a round: the start sheet would name a day already gone
    common = ["--assessment", "2026-020", "--host", HOST, "--key", str(key_file),
              *(["--reviewer", REVIEWER] if kind == "peer" else [])]
    past = run("workbook", kind, *common, "--deadline", "2020-01-01", "-o",
               str(tmp_path / "oud.xlsx"))
    assert past.exit_code == 0 and (tmp_path / "oud.xlsx").exists()
    assert "1 januari 2020" in past.stderr and "Traceback" not in past.output
    later = (date.today() + timedelta(days=30)).isoformat()
    fine = run("workbook", kind, *common, "--deadline", later, "-o", str(tmp_path / "n.xlsx"))
    assert fine.exit_code == 0 and fine.stderr == ""


def test_workbook_commands_write_signed_workbooks(tmp_path: Path, key_file: Path,
                                                  catalogue: Catalogue) -> None:
    common = ["--assessment", "2026-020", "--host", HOST, "--key", str(key_file)]
    se = tmp_path / "zelf.xlsx"
    assert run("workbook", "selfeval", *common, "--deadline", "2027-01-15",
               "-o", str(se)).exit_code == 0
    typed, _ = messy_answers(catalogue, Kind.SELF_EVALUATION)
    fill(se, typed)
    peer = tmp_path / "peer.xlsx"
    result = run("workbook", "peer", *common, "--reviewer", REVIEWER, "--selfeval", str(se),
                 "-o", str(peer))
    assert result.exit_code == 0, result.output
    audit = tmp_path / "audit.xlsx"
    result = run("workbook", "audit", *common, "--reviewer", "CI Certificering (fictief)",
                 "--distinctive-only", "-o", str(audit))
    assert result.exit_code == 0, result.output
    for path, kind in ((se, Kind.SELF_EVALUATION), (peer, Kind.PEER), (audit, Kind.AUDIT)):
        sub = read_workbook(path, catalogue, key=KEY)
        assert sub.identity is not None and sub.identity.kind is kind
        assert sub.identity.assessment_id == "2026-020"
        assert "signature-unverified" not in sub.report.codes()
        assert "identity-tampered" not in sub.report.codes()
    assert len(read_workbook(audit, catalogue, key=KEY).responses) == sum(
        n.distinctive for n in catalogue.norms())


def test_selfeval_of_another_host_is_refused(tmp_path: Path, key_file: Path) -> None:
    se = generate(tmp_path / "zelf.xlsx", Kind.SELF_EVALUATION, host="Andere stichting")
    result = run("workbook", "peer", "--assessment", "2026-014", "--host", HOST,
                 "--reviewer", REVIEWER, "--selfeval", str(se), "--key", str(key_file),
                 "-o", str(tmp_path / "p.xlsx"))
    assert result.exit_code == 2
    assert "Andere stichting" in result.output
    assert not (tmp_path / "p.xlsx").exists()


def test_check_json_shape(tmp_path: Path, key_file: Path, catalogue: Catalogue) -> None:
    path = generate(tmp_path / "peer.xlsx", Kind.PEER)
    norm = next(catalogue.norms()).id
    fill(path, {norm: {"rating": "Voldoet", "comment_review": "Goed <b>&</b>"}})
    # one norm of fifty rated: not done yet, unless the check is meant for work in progress
    unfinished = json.loads(run("check", str(path), "--json", "--key", str(key_file)).output)
    assert unfinished["valid"] is False
    assert [f["code"] for f in unfinished["findings"] if f["severity"] == "error"] == [
        "incomplete-submission"]
    result = run("check", str(path), "--json", "--allow-incomplete", "--key", str(key_file))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"file", "valid", "kind", "assessment_id", "host", "reviewer",
                         "catalogue_version", "ratings", "findings"}
    assert data["ratings"][norm] == {"rating": "V", "comment": "Goed <b>&</b>"}
    second = list(catalogue.norms())[1].id
    assert data["ratings"][second] == {"rating": None}
    finding = data["findings"][0]
    assert set(finding) == {"code", "severity", "sheet", "cell", "norm_id", "message"}


def test_blank_workbook_is_not_in_order(tmp_path: Path, key_file: Path) -> None:
    blank = generate(tmp_path / "leeg.xlsx", Kind.PEER)
    result = run("check", str(blank), "--key", str(key_file))
    assert result.exit_code == 1
    assert "0 van 50 normen beoordeeld" in result.output and T.CLI_INVALID in result.output
    assert run("check", str(blank), "--allow-incomplete", "--key",
               str(key_file)).exit_code == 0


def test_check_counts_against_the_norms_of_the_workbook(tmp_path: Path, key_file: Path,
                                                       catalogue: Catalogue) -> None:
    total = len(list(catalogue.norms()))
    first = catalogue.domains[0]
    path = fill_all(generate(tmp_path / "peer.xlsx", Kind.PEER), catalogue)

    def delete_first_row(wb: Any) -> None:
        domain_sheets(wb)[0].delete_rows(L.FIRST_DATA_ROW)

    def rename_rating(wb: Any) -> None:
        ws = domain_sheets(wb)[0]
        for cell in ws[L.HEADER_ROW]:
            if cell.value == L.RATING.label:
                cell.value = "Beoordeling"

    # a deleted row or an unreadable sheet leaves norms without a rating, out of all of them
    for change, rated in ((delete_first_row, total - 1),
                          (rename_rating, total - len(list(first.norms())))):
        bad = mutate(path, change, tmp_path / f"{change.__name__}.xlsx")
        result = run("check", str(bad), "--key", str(key_file))
        assert result.exit_code == 1
        summary = result.output.splitlines()[0]
        assert f"{rated} van {total} normen beoordeeld" in summary, summary


def test_check_exit_codes_for_several_files(tmp_path: Path, key_file: Path,
                                            catalogue: Catalogue) -> None:
    good = fill_all(generate(tmp_path / "goed.xlsx", Kind.PEER), catalogue)
    bad = fill_all(generate(tmp_path / "fout.xlsx", Kind.PEER), catalogue)
    fill(bad, {"V1.1": {"rating": "prima"}})
    junk = tmp_path / "notities.xlsx"
    junk.write_text("geen werkmap", encoding="utf-8")

    assert run("check", str(good), "--key", str(key_file)).exit_code == 0
    result = run("check", str(good), str(bad), "--json", "--key", str(key_file))
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert isinstance(data, list) and [d["valid"] for d in data] == [True, False]
    result = run("check", str(good), str(bad), str(junk), "--json", "--key", str(key_file))
    assert result.exit_code == 2
    entries = json.loads(result.output)
    # the one JSON shape, also for a file that is no workbook: its finding says why
    assert entries[2]["valid"] is False and entries[2]["kind"] is None
    assert [(f["code"], f["file"]) for f in entries[2]["findings"]] == [
        ("unreadable-file", str(junk))]


def test_check_human_output_names_cell_and_norm(tmp_path: Path, key_file: Path) -> None:
    bad = generate(tmp_path / "fout.xlsx", Kind.PEER)
    fill(bad, {"V1.1": {"rating": "prima"}})
    result = run("check", str(bad), "--key", str(key_file))
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if "prima" in x)
    assert "Vakmanschap!" in line and "V1.1" in line and T.CLI_SEVERITY["error"] in line


def test_check_wrong_kind_option(tmp_path: Path, key_file: Path) -> None:
    path = generate(tmp_path / "peer.xlsx", Kind.PEER)
    result = run("check", str(path), "--kind", "audit", "--json", "--key", str(key_file))
    assert result.exit_code == 1
    assert json.loads(result.output)["findings"][0]["code"] == "wrong-kind"


def test_check_says_a_rating_cell_is_merged(tmp_path: Path, catalogue: Catalogue,
                                            key_file: Path) -> None:
    path = fill_all(generate(tmp_path / "peer.xlsx", Kind.PEER), catalogue)
    letter = f"{chr(ord('A') + [c.key for c in L.columns_for(Kind.PEER)].index('rating'))}"
    first, second = L.FIRST_DATA_ROW, L.FIRST_DATA_ROW + 1
    mutate(path, lambda wb: domain_sheets(wb)[0].merge_cells(
        f"{letter}{first}:{letter}{second}"))
    result = run("check", str(path), "--key", str(key_file))
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if f"Vakmanschap!{letter}{second}" in x)
    assert "samengevoegd" in line and f"{letter}{first}:{letter}{second}" in line
    assert "nog geen oordeel" not in result.output


def test_feedback_given_another_workbook_says_what_it_is_and_what_is_needed(
        tmp_path: Path, catalogue: Catalogue, key_file: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    fill_all(generate(folder / "zelf.xlsx", Kind.SELF_EVALUATION), catalogue)
    peer = fill_all(generate(folder / "peer.xlsx", Kind.PEER), catalogue)
    fill_all(generate(folder / "peer2.xlsx", Kind.PEER, reviewer="Buurtwerk Zuid (fictief)"),
             catalogue)
    out = tmp_path / "fb.docx"
    # a peer workbook: what the user sees on its start sheet, and which workbook is needed;
    # never the hidden identity sheet
    result = run("report", "feedback", str(peer), "-o", str(out), "--key", str(key_file))
    assert result.exit_code == 1 and not out.exists()
    line = next(x for x in result.output.splitlines()
                if x.strip().startswith(T.CLI_SEVERITY["error"]))
    assert f"{L.SHEET_START}!{L.START_KIND_CELL}" in line and L.SHEET_IDENTITY not in line
    assert f"'{T.KIND_TITLES['peer']}'" in line and T.WRONG_KIND_NEEDED["zelfevaluatie"] in line
    # the consolidated workbook: said to be that, in one line
    consolidated = tmp_path / "uit"
    assert run("consolidate", str(folder), "-o", str(consolidated),
               "--key", str(key_file)).exit_code == 0
    result = run("report", "feedback", str(consolidated / "geconsolideerd.xlsx"), "-o",
                 str(out), "--key", str(key_file))
    assert result.exit_code == 2 and not out.exists()
    assert result.output.count("\n") == 1 and "geconsolideerde werkmap" in result.output
    assert f"'{T.CONS_TITLE}'" in result.output and "--overrides" in result.output
    # and the other way round: a self-evaluation given as the consolidated workbook
    result = run("consolidate", str(folder), "-o", str(tmp_path / "uit2"), "--overrides",
                 str(folder / "zelf.xlsx"), "--key", str(key_file))
    line = next(x for x in result.output.splitlines()
                if x.strip().startswith(T.CLI_SEVERITY["error"]))
    assert f"{L.SHEET_START}!{L.START_KIND_CELL}" in line and L.SHEET_IDENTITY not in line
    assert T.WRONG_KIND_NEEDED["geconsolideerd"] in line


def _zip_with(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _refusals(tmp_path: Path) -> dict[str, Path]:
    good = generate(tmp_path / "goed.xlsx", Kind.PEER)
    data = good.read_bytes()
    files: dict[str, Path] = {}
    files["xls"] = tmp_path / "oud.xls"
    files["xls"].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500
                             + "Workbook".encode("utf-16-le") + b"\0" * 500)
    files["encrypted"] = tmp_path / "beveiligd.xlsx"
    files["encrypted"].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500
                                   + "EncryptionInfo".encode("utf-16-le") + b"\0" * 500)
    files["truncated"] = tmp_path / "afgebroken.xlsx"
    files["truncated"].write_bytes(data[: len(data) // 2])
    files["text"] = tmp_path / "brief.xlsx"
    files["text"].write_text("Beste secretariaat,", encoding="utf-8")
    files["docx"] = _zip_with(tmp_path / "brief.docx", {
        "[Content_Types].xml": b"<Types><Override ContentType='application/vnd.openxmlformats-"
                               b"officedocument.wordprocessingml.document.main+xml'/></Types>",
        "word/document.xml": b"<w:document/>"})
    files["entities"] = _zip_with(tmp_path / "entiteiten.xlsx", {
        "[Content_Types].xml": b"<Types><Override ContentType='application/vnd.openxmlformats-"
                               b"officedocument.spreadsheetml.sheet.main+xml'/></Types>",
        "xl/workbook.xml": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                           b'<!ENTITY lol2 "&lol;&lol;&lol;">]><workbook>&lol2;</workbook>'})
    files["missing"] = tmp_path / "bestaat-niet.xlsx"
    return files


@pytest.mark.parametrize("name", ["xls", "encrypted", "truncated", "text", "docx", "entities",
                                  "missing"])
def test_unreadable_files_exit_2_with_one_line(tmp_path: Path, key_file: Path,
                                               name: str) -> None:
    path = _refusals(tmp_path)[name]
    result = run("check", str(path), "--key", str(key_file))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and path.name in lines[0]


def test_xls_message_says_save_as_xlsx(tmp_path: Path, key_file: Path) -> None:
    result = run("check", str(_refusals(tmp_path)["xls"]), "--key", str(key_file))
    assert ".xlsx" in result.output


def test_key_from_environment(tmp_path: Path, key_file: Path) -> None:
    path = generate(tmp_path / "peer.xlsx", Kind.PEER)
    result = run("check", str(path), "--json", env={"KWL_KEY_FILE": str(key_file)})
    codes = {f["code"] for f in json.loads(result.output)["findings"]}
    assert "signature-unverified" not in codes and "identity-tampered" not in codes


def test_default_key_is_created_on_first_write_and_used_to_verify(tmp_path: Path) -> None:
    key_path = default_key_path()
    assert not key_path.exists()
    out = tmp_path / "zelf.xlsx"
    result = run("workbook", "selfeval", "--assessment", "1", "--host", HOST, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert key_path.exists() and oct(key_path.stat().st_mode & 0o777) == "0o600"
    data: dict[str, Any] = json.loads(run("check", str(out), "--json").output)
    assert not {"signature-unverified", "identity-tampered"} & {f["code"] for f in
                                                                data["findings"]}


def test_no_key_anywhere_is_a_warning_not_an_error(tmp_path: Path,
                                                   catalogue: Catalogue) -> None:
    path = fill_all(generate(tmp_path / "peer.xlsx", Kind.PEER), catalogue)
    result = run("check", str(path), "--json")
    assert result.exit_code == 0
    assert "signature-unverified" in {f["code"] for f in json.loads(result.output)["findings"]}


def test_bad_key_file_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.key"
    bad.write_text("geen sleutel", encoding="utf-8")
    path = generate(tmp_path / "peer.xlsx", Kind.PEER)
    result = run("check", str(path), "--key", str(bad))
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1


def test_originals_are_never_modified(tmp_path: Path, key_file: Path) -> None:
    path = generate(tmp_path / "peer.xlsx", Kind.PEER)
    fill(path, {"V1.1": {"rating": "prima"}})
    before = path.read_bytes()
    run("check", str(path), "--key", str(key_file))
    assert path.read_bytes() == before


def test_names_with_stray_spaces_read_back_valid(tmp_path: Path, catalogue: Catalogue) -> None:
    path = generate(tmp_path / "peer.xlsx", Kind.PEER, host="  Welzijn   Oost ",
                    reviewer="Noord ")
    sub = read_workbook(path, catalogue, key=KEY, allow_incomplete=True)
    assert sub.valid and "identity-tampered" not in sub.report.codes()
    assert sub.identity is not None
    assert (sub.identity.host, sub.identity.reviewer) == ("Welzijn Oost", "Noord")


def test_empty_host_is_one_line_exit_2(tmp_path: Path, key_file: Path) -> None:
    result = run("workbook", "selfeval", "--assessment", "1", "--host", "  ", "--key",
                 str(key_file), "-o", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
