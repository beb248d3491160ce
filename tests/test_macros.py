"""Macro-enabled workbooks and the dashboard: the VBA inside is the ``macros/`` source, the
package is a real ``.xlsm``, the VBA passes a static check, and the check macro — run in
pyOpenVBA's VBA interpreter — finds exactly what the Python reader finds."""

from __future__ import annotations

import ast
import re
import shutil
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from oletools.olevba import VBA_Parser
from openpyxl import Workbook, load_workbook
from openpyxl.styles import PatternFill
from pyopenvba.apps.excel import ExcelApplication

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.issue import load_index
from kwl_office.batch.manifest import HEADER_ROW
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.excel import layout as L
from kwl_office.excel.macros import (
    MACRO_WORKBOOK_TYPE,
    macros_folder,
    vba_source,
)
from kwl_office.excel.reader import read_workbook, sheet_owner
from kwl_office.excel.writer import (
    INPUT_FILL,
    LOCKED_FILL,
    WorkbookSpec,
    workbook_path,
    write_workbook,
)
from tests.helpers import (
    ASSESSMENT,
    HOST,
    KEY,
    REVIEWER,
    TEAM,
    fill,
    fill_team,
    generate,
    mutate,
    norm_rows,
    round_rows,
    soffice_convert,
    team_sheets,
)
from tests.vba_lint import check

#: which of our modules each kind of file carries
CHECK = {"KwlControle"}
DASHBOARD = {"KwlSecretariaat"}
#: finding codes the check macro also reports (the rest need the catalogue or the signature)
MACRO_CODES = {"missing-rating", "unknown-rating", "invalid-accent", "text-too-long",
               "duplicate-norm-row"}


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def code_lines(code: str) -> list[str]:
    """A module's code as compared: no ``Attribute VB_`` lines, no line-end differences."""
    text = re.sub(r"^Attribute VB_.*$", "", code.replace("\r\n", "\n"), flags=re.MULTILINE)
    return [line.rstrip() for line in text.strip().split("\n")]


def vba_modules(path: Path) -> dict[str, str]:
    """Module name → code, as olevba extracts it from the file."""
    parser = VBA_Parser(str(path))
    try:
        return {Path(name).stem: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, set[str]]:
    """Every kind of ``.xlsm`` kwl makes, through the CLI: file → our modules in it."""
    root = tmp_path_factory.mktemp("macros")
    key = root / "sleutel.key"
    key.write_text(KEY.hex(), encoding="ascii")
    files: dict[Path, set[str]] = {}
    common = ["--assessment", ASSESSMENT, "--host", HOST, "--key", str(key), "--macros"]
    for kind, extra in (("selfeval", []), ("peer", ["--reviewer", REVIEWER]),
                        ("audit", ["--reviewer", "CI (fictief)", "--distinctive-only"])):
        result = run("workbook", kind, "-o", str(root / f"{kind}.xlsx"), *common, *extra)
        assert result.exit_code == 0, result.output
        assert f"{kind}.xlsm" in result.output  # the suffix follows --macros
        files[root / f"{kind}.xlsm"] = CHECK
    folder = root / "ronde"
    assert run("round", "init", str(folder), "--name", "Macroronde").exit_code == 0
    wb = load_workbook(RoundFolder(folder).manifest)
    for offset, row in enumerate(round_rows()[:6], start=1):
        for col, value in enumerate(row, start=1):
            wb.worksheets[0].cell(HEADER_ROW + offset, col).value = value
    wb.save(RoundFolder(folder).manifest)
    assert run("round", "issue", str(folder), "--macros").exit_code == 0
    issued = [folder / w.file for w in load_index(RoundFolder(folder)).values()]
    assert len(issued) >= 12 and all(p.suffix == ".xlsm" for p in issued)
    files.update({path: CHECK for path in issued})
    result = run("dashboard", "build", str(folder))
    assert result.exit_code == 0, result.output
    files[folder / "dashboard.xlsm"] = DASHBOARD
    return files


def test_every_xlsm_carries_the_macros_source(made: dict[Path, set[str]]) -> None:
    for path, ours in made.items():
        modules = vba_modules(path)
        assert ours <= set(modules), (path.name, sorted(modules))
        for name in ours:
            assert code_lines(modules[name]) == code_lines(vba_source(name)), (path, name)
        # the rest is the project Excel makes for a first macro: empty document modules
        assert all(code_lines(code) == [""]
                   for name, code in modules.items() if name not in ours), path.name


def test_packages_are_macro_enabled(made: dict[Path, set[str]]) -> None:
    for path in made:
        with zipfile.ZipFile(path) as archive:
            types = archive.read("[Content_Types].xml").decode()
            rels = archive.read("xl/_rels/workbook.xml.rels").decode()
            assert "xl/vbaProject.bin" in archive.namelist()
        workbook_type = f'PartName="/xl/workbook.xml" ContentType="{MACRO_WORKBOOK_TYPE}"'
        assert workbook_type in types, path.name
        assert 'Extension="bin" ContentType="application/vnd.ms-office.vbaProject"' in types
        assert "relationships/vbaProject" in rels


def public_subs(module: str) -> set[str]:
    return set(re.findall(r"^Public Sub (\w+)\(\)", vba_source(module), re.MULTILINE))


def test_buttons_are_labelled_and_run_public_macros(made: dict[Path, set[str]]) -> None:
    for path, ours in made.items():
        with zipfile.ZipFile(path) as archive:
            drawings = [archive.read(n).decode() for n in archive.namelist()
                        if n.startswith("xl/drawings/kwlknoppen")]
        assert len(drawings) == 1, path.name
        macros = re.findall(r'macro="\[0\]!(\w+)"', drawings[0])
        labels = re.findall(r"<a:t>([^<]+)</a:t>", drawings[0])
        assert len(macros) == len(labels) >= 2
        assert set(macros) <= set().union(*(public_subs(m) for m in ours)), path.name
        assert all(label.strip() for label in labels)
        if ours == DASHBOARD:
            assert set(macros) == public_subs("KwlSecretariaat")


def test_workbook_path_follows_the_macros_flag() -> None:
    assert workbook_path("a/b.xlsx", macros=True) == Path("a/b.xlsm")
    assert workbook_path("a/b.XLSM", macros=False) == Path("a/b.xlsx")
    assert workbook_path("a/b", macros=True) == Path("a/b.xlsm")
    assert workbook_path("a/b.v2", macros=False) == Path("a/b.v2.xlsx")


def test_filled_xlsm_reads_back_and_is_collected(made: dict[Path, set[str]],
                                                 catalogue: Catalogue, tmp_path: Path) -> None:
    """What a reviewer fills in Excel and sends back as ``.xlsm`` is read like an ``.xlsx``."""
    selfeval = next(p for p in made if p.name == "selfeval.xlsm")
    answers = {n.id: {"rating": "Voldoet", "accent": "nee"} for n in catalogue.norms()}
    filled = fill(selfeval, answers, tmp_path / "ingevuld.xlsm")
    submission = read_workbook(filled, catalogue, key=KEY)
    assert submission.report.valid, submission.report.findings
    assert set(submission.responses) == {n.id for n in catalogue.norms()}
    folder = next(p for p in made if p.name == "dashboard.xlsm").parent
    round_key = RoundFolder(folder).key()
    selfevals = [w for w in load_index(RoundFolder(folder)).values()
                 if w.kind is Kind.SELF_EVALUATION]
    good, bad = RoundFolder(folder).inbox / "terug.xlsm", RoundFolder(folder).inbox / "fout.xlsm"
    fill(folder / selfevals[0].file, answers, good)
    first = next(iter(answers))
    fill(folder / selfevals[1].file, {**answers, first: {"rating": "misschien"}}, bad)
    originals = {p: p.read_bytes() for p in (good, bad)}
    result = run("round", "collect", str(folder))
    assert result.exit_code == 0, result.output
    assert all(p.read_bytes() == data for p, data in originals.items())
    received = sorted(RoundFolder(folder).received.rglob("*.xlsm"))
    assert len(received) == 2
    assert sorted(read_workbook(p, catalogue, key=round_key).report.valid
                  for p in received) == [False, True]
    # the annotated copy to send back is an .xlsm with the check macro and its buttons again
    annotated, = (RoundFolder(folder).output / "terugsturen").glob("*.xlsm")
    assert code_lines(vba_modules(annotated)["KwlControle"]) == code_lines(
        vba_source("KwlControle"))
    with zipfile.ZipFile(annotated) as archive:
        assert any(n.startswith("xl/drawings/kwlknoppen") for n in archive.namelist())
    copy = load_workbook(annotated)
    assert any(c.comment is not None and "misschien" in c.comment.text
               for ws in copy.worksheets for row in ws.iter_rows() for c in row)


@pytest.mark.soffice
def test_libreoffice_opens_and_converts_to_pdf(made: dict[Path, set[str]],
                                               tmp_path: Path) -> None:
    for path in (next(p for p in made if p.name == "peer.xlsm"),
                 next(p for p in made if p.name == "dashboard.xlsm")):
        pdf = soffice_convert(path, tmp_path / "pdf", "pdf", tmp_path / "profile")
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000


# --- the VBA source ----------------------------------------------------------------------


@pytest.mark.parametrize("module", sorted(CHECK | DASHBOARD))
def test_vba_passes_the_static_check(module: str) -> None:
    assert check(vba_source(module)) == []


MUTATIONS = {
    "missing End If": ("        End If\n    Next ws", "    Next ws"),
    "undeclared variable": ("mPunten = mPunten + 1", "mPunten = mPuntn + 1"),
    "missing Dim": ("    Dim bericht As String\n", ""),
    "no Option Explicit": ("Option Explicit\n", ""),
    "extra Next": ("    Next r\n    If kanKleuren", "    Next r\n    Next r\n    If kanKleuren"),
    "unknown procedure": ("GaNaar ws, r, kolOordeel", "GaNar ws, r, kolOordeel"),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_the_static_check_finds_what_breaks_compilation(name: str) -> None:
    old, new = MUTATIONS[name]
    source = vba_source("KwlControle")
    assert old in source
    assert check(source.replace(old, new, 1)), name


def test_macro_constants_match_the_workbook_layout() -> None:
    source = vba_source("KwlControle")
    consts = dict(re.findall(r'^Private Const (\w+) As String = "([^"]*)"', source, re.MULTILINE))
    longs = dict(re.findall(r"^Private Const (\w+) As Long = (\d+)", source, re.MULTILINE))
    accent = next(c for c in L.columns_for(Kind.SELF_EVALUATION) if c.key == "accent")
    assert consts == {
        "KOP_NORM": L.NORM_ID.label, "KOP_OORDEEL": L.RATING.label, "KOP_ACCENT": accent.label,
        "BLAD_START": L.SHEET_START, "BLAD_OVERZICHT": L.SHEET_OVERVIEW,
        "BLAD_CONTROLE": L.SHEET_CHECK, "NAAM_OORDELEN": L.NAME_RATING_TOKENS,
        "NAAM_MAX_TEKST": L.NAME_MAX_TEXT, "LABEL_EIGENAAR": T.TEAM_OWNER_LABEL,
    }
    def vba_colour(fill: PatternFill) -> int:  # VBA colours are blue-green-red
        rgb = fill.fgColor.rgb[-6:]
        return int(rgb[4:6] + rgb[2:4] + rgb[0:2], 16)

    assert int(longs["KLEUR_INVOER"]) == vba_colour(INPUT_FILL)
    assert int(longs["KLEUR_VAST"]) == vba_colour(LOCKED_FILL)
    assert int(longs["KOPREGELS_ZOEKEN"]) == L.HEADER_SCAN_ROWS
    assert sorted(p.name for p in macros_folder().glob("*.bas")) == [
        "KwlControle.bas", "KwlSecretariaat.bas"]


# --- the check macro, run ---------------------------------------------------------------


def _open(path: Path) -> ExcelApplication:
    return ExcelApplication.open(str(path))


def _check_sheet(app: ExcelApplication) -> list[list[Any]]:
    return [row for row in app.sheet(L.SHEET_CHECK).rows()[4:] if any(row)]


def _colour(app: ExcelApplication, sheet: str, cell: str) -> int:
    colour = app.evaluate(f'Worksheets("{sheet}").Range("{cell}").Interior.Color')
    return int(colour)  # type: ignore[call-overload]


ORANGE = 10284031


@pytest.mark.slow
def test_check_macro_finds_what_the_reader_finds(tmp_path: Path, catalogue: Catalogue) -> None:
    """Messy but valid spellings pass; missing, unknown, bad accents, too long texts and a
    duplicated norm row are flagged — the same cells as the Python reader flags."""
    path = generate(tmp_path / "zelf.xlsm", Kind.SELF_EVALUATION, catalogue, macros=True)
    norms = [n.id for n in catalogue.norms()]
    typed: dict[str, dict[str, Any]] = {}
    spellings = ["Voldoet", "v", "2,0", " N.V.T. ", 1, "voldoet-deels", "+0", "D"]
    for i, norm_id in enumerate(norms[:-6]):
        typed[norm_id] = {"rating": spellings[i % len(spellings)]}
    typed[norms[3]] = {"rating": "misschien"}
    typed[norms[4]] = {"rating": 2.5}
    typed[norms[5]] = {"rating": "Voldoet", "accent": "soms"}
    typed[norms[6]] = {"rating": "v", "accent": "Ja"}
    typed[norms[7]] = {"rating": "v", "comment_self": "x" * (catalogue.policy.max_text_length + 1)}
    filled = fill(path, typed, tmp_path / "ingevuld.xlsm")

    def duplicate(wb: Workbook) -> None:
        ws = wb[L.domain_sheet_name(catalogue.domains[1])]
        rows = norm_rows(ws)
        ws.cell(max(rows.values()) + 1, 1).value = next(iter(rows))

    mutate(filled, duplicate)
    reader = read_workbook(filled, catalogue, key=KEY)
    expected = {(f.sheet, f.cell) for f in reader.report.findings if f.code in MACRO_CODES}
    assert {f.code for f in reader.report.findings if f.code in MACRO_CODES} == MACRO_CODES

    app = _open(filled)
    app.run("Controleer")
    rows = _check_sheet(app)
    assert {(r[0], r[1]) for r in rows} == expected
    assert all(r[2] and r[3] for r in rows)  # norm and what to do
    for sheet, cell in expected:
        assert _colour(app, sheet, cell) == ORANGE
    (kind, text, title, _), = app.dialogs
    assert kind == "MsgBox" and title == "Controle werkmap"
    valid = sum(1 for f in typed.values() if f["rating"] not in ("misschien", 2.5))
    assert f"{valid} van de {len(norms)} normen" in text and f"{len(expected)} punt" in text

    # saved after the check, with its Controle sheet, the workbook reads back the same
    checked = read_workbook(app.save(tmp_path / "gecontroleerd.xlsm"), catalogue, key=KEY)
    assert L.SHEET_CHECK in [sheet.name for sheet in app.sheets()]
    assert {(f.sheet, f.cell) for f in checked.report.findings if f.code in MACRO_CODES
            } == expected
    assert {f.code for f in checked.report.findings} == {f.code for f in reader.report.findings}

    # fixed: the marks go away and the message says the workbook can be sent
    fixes = {"missing-rating": "Voldoet", "unknown-rating": "v", "invalid-accent": "nee",
             "text-too-long": "Korter."}
    # the norm column is locked: the duplicated row goes the way the secretariat would remove it
    app.add_module('Sub WisRegel(blad As String, cel As String)\n'
                   '    Worksheets(blad).Unprotect\n    Worksheets(blad).Range(cel).Value = ""\n'
                   '    Worksheets(blad).Protect\nEnd Sub\n', name="TestHulp")
    for finding in reader.report.findings:
        if finding.code in fixes:
            app.sheet(finding.sheet).set_value(finding.cell, fixes[finding.code])
        elif finding.code == "duplicate-norm-row":
            app.run("WisRegel", finding.sheet, finding.cell)
    app.run("Controleer")
    assert _check_sheet(app)[0][0].startswith("Alles is ingevuld en geldig")
    for sheet, cell in expected:
        white = not cell.startswith("A")  # the norm id column is locked and light blue-grey
        assert _colour(app, sheet, cell) == (16777215 if white else 16579063), cell
    assert "Alles is ingevuld" in app.dialogs[-1][1]


@pytest.mark.slow
def test_next_open_goes_to_the_next_norm_without_a_valid_rating(tmp_path: Path,
                                                               catalogue: Catalogue) -> None:
    path = generate(tmp_path / "peer.xlsm", Kind.PEER, catalogue, macros=True)
    norms = [n.id for n in catalogue.norms()]
    open_ids = {norms[2], norms[20], norms[40]}
    answers = {n: {"rating": "v" if n not in open_ids else "??"} for n in norms
               if n != norms[20]}
    filled = fill(path, answers, tmp_path / "deels.xlsm")
    wb = load_workbook(filled)
    where = {}
    for ws in wb.worksheets:
        if ws.title in L.NON_NORM_SHEETS or ws.title.startswith("_"):
            continue
        for norm_id, row in norm_rows(ws).items():
            if norm_id in open_ids:
                where[norm_id] = (ws.title, row)
    app = _open(filled)
    app.add_module('Sub ZetCursor(blad As String, cel As String)\n'
                   '    Worksheets(blad).Activate\n    Range(cel).Select\nEnd Sub\n',
                   name="TestHulp")
    first, second, third = (where[n] for n in (norms[2], norms[20], norms[40]))
    app.run("ZetCursor", first[0], f"A{first[1]}")
    for target in (second, third, first):  # after the last: from the top again
        app.run("VolgendeOpen")
        assert (app.evaluate("ActiveSheet.Name"), app.evaluate("ActiveCell.Row")) == target


@pytest.mark.slow
def test_next_open_when_everything_is_rated(tmp_path: Path, catalogue: Catalogue) -> None:
    path = generate(tmp_path / "audit.xlsm", Kind.AUDIT, catalogue, macros=True)
    filled = fill(path, {n.id: {"rating": "Voldoet"} for n in catalogue.norms()},
                  tmp_path / "vol.xlsm")
    app = _open(filled)
    app.run("VolgendeOpen")
    assert app.dialogs and "Alle normen hebben een geldig oordeel" in app.dialogs[-1][1]


def test_dashboard_command_is_valid_python_for_any_folder_name(made: dict[Path, set[str]],
                                                              tmp_path: Path) -> None:
    """The dashboard passes its own path to Python; quotes and backslashes survive."""
    source = next(p for p in made if p.name == "dashboard.xlsm")
    odd = tmp_path / "ronde 'najaar' \\ 2026" / "dashboard.xlsm"
    odd.parent.mkdir()
    shutil.copyfile(source, odd)
    command = _open(odd).run("PythonOpdracht", "rapporteren")
    tree = ast.parse(str(command))
    call = tree.body[-1].value  # type: ignore[attr-defined]
    assert ast.unparse(call.func) == "kwl.run_from_excel"
    assert [ast.literal_eval(a) for a in call.args] == ["rapporteren", str(odd)]
    assert "import kwl_office.xl as kwl" in str(command)


def test_macro_workbook_holds_the_same_cells_as_the_plain_one(tmp_path: Path,
                                                               catalogue: Catalogue) -> None:
    """Macros add a VBA project and buttons, nothing else: every sheet's cells are equal."""
    spec = WorkbookSpec(kind=Kind.PEER, assessment_id=ASSESSMENT, host=HOST, reviewer=REVIEWER,
                        deadline=date(2027, 1, 15))
    same = {"key": KEY, "workbook_id": "wb-1", "issued_at": datetime(2026, 11, 28, tzinfo=UTC)}
    write_workbook(tmp_path / "a.xlsx", spec, catalogue, **same)  # type: ignore[arg-type]
    write_workbook(tmp_path / "a.xlsm", spec, catalogue, macros=True,
                   **same)  # type: ignore[arg-type]
    one = load_workbook(tmp_path / "a.xlsx")
    two = load_workbook(tmp_path / "a.xlsm", keep_vba=True)
    assert one.sheetnames == two.sheetnames
    for name in one.sheetnames:
        assert [[c.value for c in row] for row in one[name].iter_rows()] == \
            [[c.value for c in row] for row in two[name].iter_rows()], name


# --- a shared team workbook ------------------------------------------------------------------


def _team_xlsm(folder: Path) -> Path:
    """A team workbook with macros, through the CLI."""
    key = folder / "sleutel.key"
    key.write_text(KEY.hex(), encoding="ascii")
    team = [arg for name in TEAM for arg in ("--reviewer", name)]
    result = run("workbook", "team", "--assessment", ASSESSMENT, "--host", HOST, "--key",
                 str(key), "--macros", "-o", str(folder / "team.xlsx"), *team)
    assert result.exit_code == 0, result.output
    return folder / "team.xlsm"


def _sheet_of(path: Path) -> dict[str, str]:
    """Reviewer → the name of their sheet."""
    return {owner: ws.title for owner, ws in team_sheets(load_workbook(path)).items()
            if owner in TEAM}


def _points(app: ExcelApplication) -> tuple[list[list[Any]], list[list[Any]]]:
    """(progress rows per reviewer, points) of the Controle sheet."""
    rows = app.sheet(L.SHEET_CHECK).rows()
    table = next(i for i, r in enumerate(rows) if r[:2] == ["Blad", "Cel"])
    progress = [r for r in rows[4:table] if any(r)]
    return progress, [r for r in rows[table + 1:] if any(r)]


def test_team_xlsm_has_buttons_on_start_and_on_every_reviewer_sheet(tmp_path: Path) -> None:
    path = _team_xlsm(tmp_path)
    assert code_lines(vba_modules(path)["KwlControle"]) == code_lines(vba_source("KwlControle"))
    with zipfile.ZipFile(path) as archive:
        sheets = {}
        for name, part in _sheet_parts_of(archive).items():
            rels = f"{part.rsplit('/', 1)[0]}/_rels/{part.rsplit('/', 1)[1]}.rels"
            if rels in archive.namelist() and "kwlknoppen" in archive.read(rels).decode():
                target = re.search(r'Target="/?(xl/drawings/kwlknoppen\d+\.xml)"',
                                   archive.read(rels).decode())
                assert target is not None
                sheets[name] = archive.read(target.group(1)).decode()
    owners = _sheet_of(path)
    assert set(sheets) == {L.SHEET_START, *owners.values()}
    for name, drawing in sheets.items():
        macros = re.findall(r'macro="\[0\]!(\w+)"', drawing)
        assert set(macros) <= public_subs("KwlControle")
        assert 'fPrintsWithSheet="0"' in drawing
        if name != L.SHEET_START:
            assert macros == ["ControleerDitBlad", "VolgendeOpen"]
            # in the "Ingevuld door" row (0-based row 2), side by side over the last columns
            rows = {int(r) for r in re.findall(r"<xdr:row>(\d+)</xdr:row>", drawing)}
            assert rows == {L.TEAM_OWNER_ROW - 1, L.TEAM_OWNER_ROW}


def _sheet_parts_of(archive: zipfile.ZipFile) -> dict[str, str]:
    book = archive.read("xl/workbook.xml").decode()
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    targets = {}
    for rel in re.findall(r"<Relationship\b[^>]*>", rels):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', rel))
        target = attrs["Target"].lstrip("/")
        targets[attrs["Id"]] = target if target.startswith("xl/") else f"xl/{target}"
    return {a["name"]: targets[a["r:id"]] for a in (
        dict(re.findall(r'([\w:]+)="([^"]*)"', s)) for s in re.findall(r"<sheet\b[^>]*>", book))}


def _messy_team(tmp_path: Path, catalogue: Catalogue) -> tuple[Path, dict[str, str]]:
    """A team workbook filled the way a team does it wrong: the first reviewer complete but
    for one unknown rating and one too long text, the second halfway with a duplicated row,
    the third not started; and a too long text on the team sheet."""
    path = _team_xlsm(tmp_path)
    norms = [n.id for n in catalogue.norms()]
    too_long = "x" * (catalogue.policy.max_text_length + 1)
    first = {n: {"rating": "Voldoet"} for n in norms}
    first[norms[3]] = {"rating": "misschien"}
    first[norms[7]] = {"rating": "v", "comment_review": too_long}
    second = {n: {"rating": " N.V.T. " if i % 2 else 2} for i, n in enumerate(norms[:20])}
    filled = fill_team(path, {TEAM[0]: first, TEAM[1]: second},
                       {norms[1]: {"team_learning_points": too_long}}, tmp_path / "vol.xlsm")
    sheets = _sheet_of(filled)

    def duplicate(wb: Workbook) -> None:
        ws = wb[sheets[TEAM[1]]]
        rows = norm_rows(ws)
        ws.cell(max(rows.values()) + 1, 1).value = next(iter(rows))

    return mutate(filled, duplicate), sheets


@pytest.mark.slow
def test_check_macro_on_a_team_workbook_finds_what_the_reader_finds(
        tmp_path: Path, catalogue: Catalogue) -> None:
    """Every reviewer's sheet and the team sheet, with the reader's rules: the same cells,
    and the progress per reviewer the reader counts."""
    filled, sheets = _messy_team(tmp_path, catalogue)
    reader = read_workbook(filled, catalogue, key=KEY)
    expected = {(f.sheet, f.cell) for f in reader.report.findings if f.code in MACRO_CODES}
    assert {f.code for f in reader.report.findings if f.code in MACRO_CODES} == \
        MACRO_CODES - {"invalid-accent"}
    assert any(sheet == L.SHEET_TEAM for sheet, _ in expected)

    app = _open(filled)
    app.run("Controleer")
    progress, points = _points(app)
    assert {(r[0], r[1]) for r in points} == expected
    assert all(r[2] and r[3] for r in points)
    for sheet, cell in expected:
        assert _colour(app, sheet, cell) == ORANGE
    rated = {review.reviewer: sum(1 for r in review.responses.values() if r.rating)
             for review in reader.reviews()}
    total = len(list(catalogue.norms()))
    assert [(r[0], r[3].split(" normen")[0]) for r in progress] == [
        (name, f"{rated[name]} van de {total}") for name in TEAM]
    (_, text, title, _), = app.dialogs
    assert title == "Controle werkmap"
    assert all(f"{name}: {rated[name]} van de {total}" in text for name in TEAM)
    assert f"{len(expected)} punten" in text
    # the workbook reads back the same after the check (Controle sheet and colours added)
    checked = read_workbook(app.save(tmp_path / "gecontroleerd.xlsm"), catalogue, key=KEY)
    assert {(f.sheet, f.cell) for f in checked.report.findings if f.code in MACRO_CODES
            } == expected


@pytest.mark.slow
def test_check_this_sheet_leaves_the_other_reviewers_alone(tmp_path: Path,
                                                           catalogue: Catalogue) -> None:
    """On a reviewer's own sheet the check looks at that sheet only: in a shared file it never
    colours (or unprotects) someone else's cells."""
    filled, sheets = _messy_team(tmp_path, catalogue)
    reader = read_workbook(filled, catalogue, key=KEY)
    mine = sheets[TEAM[1]]
    expected = {(f.sheet, f.cell) for f in reader.report.findings
                if f.code in MACRO_CODES and f.sheet == mine}
    others = {(f.sheet, f.cell) for f in reader.report.findings
              if f.code in MACRO_CODES and f.sheet != mine}
    assert expected and others
    app = _open(filled)
    app.add_module('Sub Ga(blad As String)\n    Worksheets(blad).Activate\nEnd Sub\n',
                   name="TestHulp")
    app.run("Ga", mine)
    app.run("ControleerDitBlad")
    progress, points = _points(app)
    assert {(r[0], r[1]) for r in points} == expected
    assert [r[0] for r in progress] == [TEAM[1]]
    assert all(_colour(app, sheet, cell) != ORANGE for sheet, cell in others)
    assert app.dialogs[-1][2] == "Controle tabblad"
    assert app.evaluate(f'Worksheets("{mine}").ProtectContents')


@pytest.mark.slow
def test_next_open_stays_on_the_reviewers_own_sheet(tmp_path: Path,
                                                    catalogue: Catalogue) -> None:
    path = _team_xlsm(tmp_path)
    norms = [n.id for n in catalogue.norms()]
    open_ids = [norms[2], norms[30]]
    filled = fill_team(path, {TEAM[0]: {n: {"rating": "v"} for n in norms},
                              TEAM[1]: {n: {"rating": "v"} for n in norms
                                        if n not in open_ids}}, out=tmp_path / "deels.xlsm")
    sheets = _sheet_of(filled)
    rows = norm_rows(team_sheets(load_workbook(filled))[TEAM[1]])
    app = _open(filled)
    app.add_module('Sub ZetCursor(blad As String, cel As String)\n'
                   '    Worksheets(blad).Activate\n    Range(cel).Select\nEnd Sub\n',
                   name="TestHulp")
    app.run("ZetCursor", sheets[TEAM[1]], f"A{rows[open_ids[0]]}")
    # the third reviewer's sheet (after this one) is all open: it is not where we go
    for target in (open_ids[1], open_ids[0]):
        app.run("VolgendeOpen")
        assert (app.evaluate("ActiveSheet.Name"), app.evaluate("ActiveCell.Row")) == (
            sheets[TEAM[1]], rows[target])
    app.run("ZetCursor", sheets[TEAM[0]], "A1")
    app.run("VolgendeOpen")
    assert app.dialogs and TEAM[0] in app.dialogs[-1][1]
    assert app.evaluate("ActiveSheet.Name") == sheets[TEAM[0]]
    assert sheet_owner(team_sheets(load_workbook(filled))[TEAM[0]].iter_rows(
        max_row=L.HEADER_SCAN_ROWS, values_only=True)) == TEAM[0]
