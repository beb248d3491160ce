"""Faults and hostile input end cleanly (issue 12): a full disk, a killed run, special files in
the inbox, control characters and long letters in names, hostile templates, DTDs, bad keys.

Every test reproduces the situation and asserts on exit codes, finding codes, byte-identical
originals and the register's integrity, never on prose. The disk tests need a small tmpfs and
therefore root; elsewhere they are skipped with that reason.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind
from kwl_office.batch.collect import collect
from kwl_office.batch.demo import prepare_demo
from kwl_office.batch.folder import RoundFolder, init_round
from kwl_office.batch.issue import load_index
from kwl_office.batch.manifest import read_manifest
from kwl_office.batch.steps import collect_round
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.documents.templates import check_templates
from kwl_office.excel.reader import read_submission
from kwl_office.identity import create_key
from kwl_office.names import file_name
from kwl_office.register import Register
from tests.helpers import KEY, fill_all, generate, hand_in, make_round, row

ESC = "\x1b]0;PWNED\x07"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def one_clean_line(result: Result) -> None:
    """Exit 2, one ``kwl: …`` line, no traceback, nothing a terminal would act on."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kwl: "), result.output
    assert "\x1b" not in result.output


# --- a full disk ------------------------------------------------------------------------------


@contextlib.contextmanager
def small_disk(path: Path, megabytes: int = 16) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("a full disk is simulated with a tmpfs mount, which needs root")
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs",
                              str(path)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill_disk(folder: Path, leave: int = 64 * 1024) -> Path:
    """Take all room on the disk of ``folder`` but ``leave`` bytes."""
    filler = folder / "vulling.bin"
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    with filler.open("wb") as handle:
        handle.write(b"\0" * max(free - leave, 0))
    return filler


def test_a_full_disk_is_one_line_and_a_rerun_completes(tmp_path: Path,
                                                       catalogue: Catalogue) -> None:
    with small_disk(tmp_path / "schijf") as disk:
        folder = make_round(disk / "ronde", [
            row(f"2026-00{i}", f"Organisatie {i} (fictief)", "intercollegiaal",
                f"Noord {i} (fictief); Zuid {i} (fictief)") for i in range(1, 6)])
        for step in ("issue", "collect", "report"):
            if step == "collect":
                hand_in(folder, catalogue)
            filler = fill_disk(disk)
            result = run("round", step, str(folder.root))
            one_clean_line(result) if step != "report" else _report_failed_cleanly(result)
            filler.unlink()
            again = run("round", step, str(folder.root))
            assert again.exit_code == 0, (step, again.output)
        states = list(folder.output.glob("*/.kwl-status.json"))
        assert len(states) == 5
        assert not [p for p in disk.rglob(".*.tmp*")]  # no half-written file left behind
        with sqlite3.connect(folder.register_path()) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            numbers = [n for (n,) in db.execute("SELECT number FROM entries")]
        assert len(numbers) == len(set(numbers)) == 5


def _report_failed_cleanly(result: Result) -> None:
    # the report either stops at once with one line (no room for the register) or goes on
    # past each assessment that fails, naming the path: never a traceback
    assert result.exit_code in (1, 2), result.output
    assert "Traceback" not in result.output


def test_a_full_register_disk_says_so(tmp_path: Path) -> None:
    with small_disk(tmp_path / "schijf", megabytes=4) as disk:
        register = disk / "register.sqlite"
        Register(register).close()
        cons = tmp_path / "uitkomst"
        _audit_consolidation(tmp_path, cons)
        filler = fill_disk(disk, leave=0)
        result = run("register", "add", str(cons), "--register", str(register))
        one_clean_line(result)
        assert result.output.startswith("kwl: " + T.REGISTER_DISK_FULL.split("{")[0])
        filler.unlink()
        assert run("register", "add", str(cons), "--register", str(register)).exit_code == 0


def _audit_consolidation(tmp_path: Path, out: Path) -> None:
    from kwl_office.catalogue import load_example_catalogue

    catalogue = load_example_catalogue()
    key = tmp_path / "sleutel.key"
    key.write_text(KEY.hex(), encoding="ascii")
    folder = tmp_path / "ingeleverd"
    folder.mkdir()
    fill_all(generate(folder / "zelf.xlsx", Kind.SELF_EVALUATION), catalogue)
    fill_all(generate(folder / "audit.xlsx", Kind.AUDIT, reviewer="CI (fictief)"), catalogue)
    assert run("consolidate", str(folder), "-o", str(out), "--key", str(key)).exit_code == 0


# --- a killed run leaves no process behind ----------------------------------------------------


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _snapshot(root: Path) -> dict[str, float]:
    return {str(p): p.stat().st_mtime for p in root.rglob("*") if p.is_file()}


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_killing_the_report_leaves_no_worker(tmp_path: Path, seed: int) -> None:
    folder = prepare_demo(tmp_path / "ronde", lambda _: None)
    collect_round(folder)
    process = subprocess.Popen(
        [sys.executable, "-m", "kwl_office.cli", "round", "report", str(folder.root),
         "--jobs", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    time.sleep(random.Random(seed).uniform(0.6, 2.0))
    process.send_signal(signal.SIGKILL)  # the main process only: its workers must follow
    process.wait()
    deadline = time.monotonic() + 5
    while _group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    survived = _group_alive(process.pid)
    if survived:
        os.killpg(process.pid, signal.SIGKILL)
    assert not survived, "a worker outlived the killed report"
    before = _snapshot(folder.output)
    time.sleep(1.0)
    assert _snapshot(folder.output) == before  # nothing written after the kill
    result = run("round", "report", str(folder.root))
    assert result.exit_code == 0, result.output


# --- what lies in an inbox ----------------------------------------------------------------


@pytest.fixture
def issued(tmp_path: Path, catalogue: Catalogue) -> RoundFolder:
    folder = make_round(tmp_path / "ronde", [
        row("2026-001", "Wijkkracht Oost (fictief)", "intercollegiaal",
            "Welzijn Noord (fictief); Buurtwerk Zuid (fictief)")])
    assert run("round", "issue", str(folder.root)).exit_code == 0
    return folder


def _rejected(folder: RoundFolder, catalogue: Catalogue) -> dict[str, str]:
    result = collect(folder, catalogue, folder.key())
    return {r.source: r.finding.code for r in result.rejected}


@pytest.mark.parametrize("size_mb", [500, 2048])
def test_a_file_over_the_limit_is_refused_unread(issued: RoundFolder, size_mb: int) -> None:
    # measured in a fresh process: VmHWM is its own peak memory (ru_maxrss would include the
    # parent's), rchar the bytes it read through read(2), whatever it did with them
    code = ("from pathlib import Path;"
            "from kwl_office.batch.collect import collect;"
            "from kwl_office.batch.folder import RoundFolder;"
            "from kwl_office.catalogue import load_example_catalogue;"
            f"f = RoundFolder(Path({str(issued.root)!r}));"
            "r = collect(f, load_example_catalogue(), f.key());"
            "status = open('/proc/self/status').read().split();"
            "peak = int(status[status.index('VmHWM:') + 1]) // 1024;"
            "io = open('/proc/self/io').read().split();"
            "read = int(io[io.index('rchar:') + 1]) // 2 ** 20;"
            "print(r.rejected[0].finding.code, peak, read)")
    with (issued.inbox / "groot.xlsx").open("wb") as handle:
        handle.write(b"PK\3\4")
        handle.truncate(size_mb * 2 ** 20)  # mostly a hole: cheap to make, slow to read
    code_name, peak_mb, read_mb = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert code_name == "unreadable-file", (code_name, peak_mb, read_mb)
    assert int(read_mb) < 50  # never read nor hashed: the 50 MB limit is checked first
    assert int(peak_mb) < 200


def test_links_and_special_files_are_refused_without_hanging(
        issued: RoundFolder, catalogue: Catalogue, tmp_path: Path) -> None:
    outside = tmp_path / "elders.xlsx"
    item = next(iter(load_index(issued).values()))
    fill_all(issued.root / item.file, catalogue, out=outside)
    (issued.inbox / "naar buiten.xlsx").symlink_to(outside)
    (issued.inbox / "kernel.xlsx").symlink_to("/proc/kmsg")
    os.mkfifo(issued.inbox / "pijp.xlsx")
    (issued.inbox / "map.xlsx").mkdir()  # a folder is walked into, never read as a file
    inside = issued.root / "kopie binnen de ronde.xlsx"
    fill_all(issued.root / item.file, catalogue, out=inside)
    (issued.inbox / "naar binnen.xlsx").symlink_to(inside)
    code = (f"from pathlib import Path; from kwl_office.cli import main; import sys;"
            f"sys.argv = ['kwl', 'round', 'collect', {str(issued.root)!r}]; main()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)  # a hang would be a timeout, not a pass
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert _rejected(issued, catalogue) == {
        "naar buiten.xlsx": "unreadable-file", "kernel.xlsx": "unreadable-file",
        "pijp.xlsx": "unreadable-file"}
    receipts = {r.source for r in collect(issued, catalogue, issued.key()).receipts.values()}
    assert receipts == {"naar binnen.xlsx"}


def test_an_inbox_stays_byte_identical(issued: RoundFolder, catalogue: Catalogue) -> None:
    hand_in(issued, catalogue)
    before = {p: p.read_bytes() for p in issued.inbox.rglob("*") if p.is_file()}
    assert run("round", "run", str(issued.root)).exit_code == 0
    assert {p: p.read_bytes() for p in issued.inbox.rglob("*") if p.is_file()} == before


# --- names people (or attackers) type ----------------------------------------------------------


def _as_excel_writes(path: Path, replacements: dict[str, str]) -> None:
    """Put control characters into a saved workbook the way Excel stores them in its XML
    (``_x0007_``): openpyxl refuses to write them itself."""
    with zipfile.ZipFile(path) as archive:
        parts = {item: archive.read(item) for item in archive.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for item, data in parts.items():
            for placeholder, excel in replacements.items():
                data = data.replace(placeholder.encode(), excel.encode())
            archive.writestr(item, data)


def test_control_characters_in_the_manifest_are_refused_row_by_row(tmp_path: Path) -> None:
    folder = make_round(tmp_path / "ronde", [
        row("2026-001", "Oost ESCAPE (fictief)", "zelfevaluatie"),
        row("2026-002", "West (fictief)", "intercollegiaal", "Noord BELL (fictief); Zuid"),
        row("2026-003", "Schoon (fictief)", "zelfevaluatie"),
    ])
    _as_excel_writes(folder.manifest, {"ESCAPE": "_x001B_]0;PWNED_x0007_", "BELL": "_x0007_"})
    _, report = read_manifest(folder.manifest)
    assert [(f.code, f.cell) for f in report.findings] == [
        ("manifest-control-character", "B4"), ("manifest-control-character", "G5")]
    result = run("round", "issue", str(folder.root))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "\x07" not in result.output and "\x1b" not in result.output
    assert {w.assessment_id for w in load_index(folder).values()} == {"2026-003"}


def test_names_of_four_byte_letters_and_reserved_words_make_portable_files(
        tmp_path: Path) -> None:
    letters = "𝔘" * 70
    folder = make_round(tmp_path / "ronde", [
        row("2026-001", letters, "intercollegiaal", f"CON; {letters}x; Noord."),
        row("con", "Device (fictief)", "zelfevaluatie")])
    result = run("round", "issue", str(folder.root))
    assert result.exit_code == 1 and "Traceback" not in result.output  # "con": a bad id
    files = [p for p in folder.issued.rglob("*") if p.is_file()]
    assert len(files) == 5  # index + self-evaluation + three reviewers
    for path in files:
        assert len(path.name.encode("utf-8")) <= 160
        assert path.name.split(".")[0].casefold() not in ("con", "nul")
        assert not path.name.startswith("~$") and path.stem == path.stem.strip(" .")
    assert file_name("CON") != "CON"


def test_nothing_printed_raw(issued: RoundFolder, catalogue: Catalogue) -> None:
    hand_in(issued, catalogue, skip=("Buurtwerk",))
    item = next(w for w in load_index(issued).values() if "Buurtwerk" in w.reviewer)
    fill_all(issued.root / item.file, catalogue, out=issued.inbox / f"{ESC}goed.xlsx")
    (issued.inbox / f"{ESC}werkmap\nmet regel.xlsx").write_bytes(b"PK niets")
    result = run("round", "run", str(issued.root))
    assert "\x1b" not in result.output and "\x07" not in result.output
    # the refused file is named on one line, its newline shown, not obeyed
    assert any("werkmap\\x0amet regel" in line for line in result.output.splitlines())


def test_the_register_stores_no_control_character(tmp_path: Path) -> None:
    from kwl_office.assessment import Organisation, Variant
    from kwl_office.consolidation import Advice

    path = tmp_path / "register.sqlite"
    with Register(path) as register:
        register.record(assessment_id="2026-001", organisation=Organisation(
            name=f"Oost{ESC} (fictief)", contact="Mw.\x1b[31m Rood",
            address=(f"Straat 1{ESC}",)),
            variant=Variant.PEER_REVIEW, scope="Team\x07 A", kind=Advice.REGISTRATION,
            granted_on=date(2026, 11, 28), valid_until=date(2029, 11, 27))
    with sqlite3.connect(path) as db:
        stored = " ".join(str(v) for r in db.execute(
            "SELECT o.name, o.contact, o.address, e.scope FROM organisations o, entries e")
                          for v in r)
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in stored)
    shown = run("register", "show", "2026-001", "--register", str(path))
    assert shown.exit_code == 0 and "\x1b" not in shown.output


# --- hostile templates -------------------------------------------------------------------------


def _poisoned_templates(tmp_path: Path, marker: Path) -> Path:
    from kwl_office.documents.render import shipped_templates

    folder = tmp_path / "sjablonen"
    folder.mkdir()
    source = shipped_templates() / "leerrapport.docx"
    payload = ("{{ cycler.__init__.__globals__.os.system('touch " + str(marker) + "') }}")
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(folder / "leerrapport.docx", "w",
                                                         zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"{{ organisatie.naam }}",
                                    b"{{ organisatie.naam }}" + payload.encode(), 1)
            zout.writestr(item, data)
    return folder


def test_a_template_cannot_run_code(tmp_path: Path, catalogue: Catalogue,
                                    key_file: Path) -> None:
    marker = tmp_path / "gehackt"
    templates = _poisoned_templates(tmp_path, marker)
    checked = run("templates", "check", str(templates))
    assert checked.exit_code == 1 and not marker.exists()

    assert ("template-unsafe", "leerrapport.docx") in [
        (f.code, f.file) for f in check_templates(catalogue, templates).findings]
    folder = tmp_path / "ingeleverd"
    folder.mkdir()
    fill_all(generate(folder / "noord.xlsx", Kind.PEER), catalogue)
    fill_all(generate(folder / "zuid.xlsx", Kind.PEER, reviewer="Zuid (fictief)"), catalogue)
    run("consolidate", str(folder), "-o", str(tmp_path / "uit"), "--key", str(key_file))
    made = run("report", "learning", str(tmp_path / "uit"), "-o", str(tmp_path / "r.docx"),
               "--templates", str(templates))
    one_clean_line(made)
    assert not marker.exists() and not (tmp_path / "r.docx").exists()


# --- XML with a DTD ------------------------------------------------------------------------


_DTD = b'<!DOCTYPE x [<!ENTITY a "b">]>'


def _with_prolog(good: Path, bad: Path, part: str, how: str, insert: bytes) -> Path:
    """``good`` with ``insert`` put before the root element of ``part``, the part written
    deflated, stored, in UTF-16 or after a long prolog (past what the fast check inflates)."""
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            method = zipfile.ZIP_DEFLATED
            if item.filename == part:  # where XML allows a DTD: before the root
                root = re.search(rb"<[A-Za-z]", data)
                assert root is not None
                if how == "long-prolog":
                    insert = b"<?pi " + b"x" * 3000 + b"?>\n" + insert
                data = data[:root.start()] + insert + data[root.start():]
                if how.startswith("utf-16"):  # with a byte order mark, or little-endian without
                    data = data.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')\
                        .encode("utf-16" if how == "utf-16" else "utf-16-le")
                if how == "stored":
                    method = zipfile.ZIP_STORED
            zout.writestr(item.filename, data, compress_type=method)
    return bad


@pytest.mark.parametrize(("part", "how"), [
    ("xl/workbook.xml", "deflated"), ("xl/styles.xml", "deflated"),
    ("[Content_Types].xml", "deflated"), ("docProps/custom.xml", "deflated"),
    ("xl/theme/theme1.xml", "deflated"), ("xl/worksheets/sheet2.xml", "stored"),
    ("xl/workbook.xml", "utf-16"), ("xl/workbook.xml", "utf-16-le"),
    ("xl/worksheets/sheet2.xml", "long-prolog"),
    # the properties are checked where they are read whole, not with the other parts
    ("docProps/custom.xml", "stored"), ("docProps/custom.xml", "utf-16"),
    ("docProps/custom.xml", "long-prolog"),
])
def test_a_dtd_in_any_part_is_refused(tmp_path: Path, catalogue: Catalogue, part: str,
                                      how: str) -> None:
    good = fill_all(generate(tmp_path / "goed.xlsx", Kind.PEER), catalogue)
    bad = _with_prolog(good, tmp_path / "dtd.xlsx", part, how, _DTD)
    sub = read_submission(bad, catalogue, key=KEY)
    assert sub.unreadable and [f.code for f in sub.report.findings] == ["unreadable-file"]
    assert sub.report.findings[0].message.endswith(T.UNREADABLE["xml-entities"])


def test_a_zip_asking_for_a_newer_zip_version_is_refused(tmp_path: Path,
                                                         catalogue: Catalogue) -> None:
    data = bytearray(fill_all(generate(tmp_path / "goed.xlsx", Kind.PEER), catalogue)
                     .read_bytes())
    entry = data.index(b"PK\x01\x02")  # the first central directory entry
    data[entry + 6:entry + 8] = (206).to_bytes(2, "little")  # "version needed": 20.6
    bad = tmp_path / "nieuwer.xlsx"
    bad.write_bytes(bytes(data))
    sub = read_submission(bad, catalogue, key=KEY)
    assert sub.unreadable and [f.code for f in sub.report.findings] == ["unreadable-file"]


@pytest.mark.parametrize("how", ["deflated", "stored", "long-prolog"])
def test_a_prolog_without_dtd_is_read(tmp_path: Path, catalogue: Catalogue, how: str) -> None:
    good = fill_all(generate(tmp_path / "goed.xlsx", Kind.PEER), catalogue)
    odd = _with_prolog(good, tmp_path / "odd.xlsx", "xl/worksheets/sheet2.xml", how,
                       b"<!-- een opmerking, geen DTD -->\n")
    sub = read_submission(odd, catalogue, key=KEY)
    assert not sub.unreadable and sub.report.valid, [f.code for f in sub.report.findings]
    assert sub.responses == read_submission(good, catalogue, key=KEY).responses


# --- keys ------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["register", "list"], ["register", "show", "KSW-2026-0001"],
                                     ["register", "expiring"]])
def test_a_register_that_is_a_folder_is_named_so(tmp_path: Path, command: list[str]) -> None:
    folder = tmp_path / "register.sqlite"
    folder.mkdir()
    result = run(*command, "--register", str(folder))
    one_clean_line(result)
    assert T.REGISTER_NOT_A_FILE in result.output


@pytest.mark.parametrize("kind", ["folder", "binary"])
def test_a_catalogue_that_is_no_text_is_one_line(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "normenkader.yaml"
    if kind == "folder":
        path.mkdir()
    else:
        path.write_bytes(bytes(range(256)) * 8)
    result = run("workbook", "selfeval", "--catalogue", str(path), "--assessment", "2026-001",
                 "--host", "Wijkkracht (fictief)", "-o", str(tmp_path / "zelf.xlsx"))
    one_clean_line(result)
    assert not (tmp_path / "zelf.xlsx").exists()


@pytest.mark.parametrize("content", [b"\xff\xfe\x00binair", b"abc", b"zz" * 40, None],
                         ids=["binary", "short", "not-hex", "directory"])
def test_a_bad_key_is_one_clear_line(tmp_path: Path, content: bytes | None) -> None:
    key = tmp_path / "sleutel.key"
    if content is None:
        key.mkdir()
    else:
        key.write_bytes(content)
    workbook = generate(tmp_path / "w.xlsx", Kind.PEER)
    result = run("check", str(workbook), "--key", str(key))
    one_clean_line(result)
    assert "codec" not in result.output


def test_a_wrong_key_for_the_whole_inbox_is_named(issued: RoundFolder,
                                                  catalogue: Catalogue) -> None:
    hand_in(issued, catalogue)
    other = issued.root / "andere.key"
    create_key(other)
    config = issued.config_path.read_text(encoding="utf-8").replace(
        "sleutel: sleutel.key", "sleutel: andere.key")
    issued.config_path.write_text(config, encoding="utf-8")
    result = collect(issued, catalogue, issued.key())
    assert result.key_suspect
    assert {r.finding.code for r in result.rejected} == {"identity-tampered"}
    assert T.COLLECT_KEY_HINT in run("round", "collect", str(issued.root)).output


def test_a_workbook_of_another_round_is_foreign(issued: RoundFolder,
                                                catalogue: Catalogue, tmp_path: Path) -> None:
    other = init_round(tmp_path / "andere ronde")
    fill_all(generate(issued.inbox / "van elders.xlsx", Kind.PEER, key=other.key(),
                      assessment_id="2026-001", host="Wijkkracht Oost (fictief)"), catalogue)
    assert _rejected(issued, catalogue) == {"van elders.xlsx": "foreign-workbook"}
