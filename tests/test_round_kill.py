"""Killing ``round report`` or ``round collect`` halfway (SIGKILL) loses nothing: the next run
completes it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from kwl_office.batch.demo import prepare_demo
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.receipts import load_receipts
from kwl_office.batch.steps import collect_round
from kwl_office.cli import main


def _final_files(folder: RoundFolder) -> list[Path]:
    return [p for p in folder.output.rglob("*") if p.is_file() and not p.name.startswith(".")]


def _assert_whole(path: Path) -> None:
    if path.suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None, path
        if path.suffix == ".docx":
            Document(str(path))
    elif path.suffix == ".json":
        json.loads(path.read_text(encoding="utf-8"))


def _kill_on(code: str, event: Path, missing: str) -> None:
    """Run ``code`` in a child process and kill it (SIGKILL, with its workers) as soon as it
    creates ``event``: on that event, never on a guess of the timing."""
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120  # a guard against a hang, not a timing guess
        while not event.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert event.exists(), missing
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL  # really killed, not finished


@pytest.mark.slow
def test_killed_report_is_completed_by_the_next_run(tmp_path: Path) -> None:
    folder = prepare_demo(tmp_path / "ronde", lambda _: None)
    collect_round(folder)
    # the report runs in a child process whose jobs stop after their first document and say
    # so by creating a file: the test kills on that event, never on a guess of the timing
    written = tmp_path / "eerste-document"
    code = (
        "import sys, time\n"
        "import kwl_office.batch.report as report\n"
        "made = report.make_document\n"
        "def first_then_wait(*args, **kwargs):\n"
        "    path = made(*args, **kwargs)\n"
        f"    open({str(written)!r}, 'a').close()\n"
        "    time.sleep(3600)\n"
        "    return path\n"
        "report.make_document = first_then_wait\n"
        "from kwl_office.cli import main\n"
        f"sys.argv = ['kwl', 'round', 'report', {str(folder.root)!r}, '--jobs', '2']\n"
        "main()\n")
    _kill_on(code, written, "no document was made")
    assert list(folder.output.glob("*/.kwl-status.json")) == []  # no job got to its end
    # whatever exists under a final name is whole
    for path in _final_files(folder):
        _assert_whole(path)

    result = CliRunner().invoke(main, ["round", "report", str(folder.root), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    states = {p.parent.name: json.loads(p.read_text(encoding="utf-8"))
              for p in folder.output.glob("*/.kwl-status.json")}
    assert set(states) == {"2026-101", "2026-103", "2026-104", "2026-105", "2026-106"}
    for assessment_id, state in states.items():
        for name in state["documents"]:
            _assert_whole(folder.assessment_output(assessment_id) / name)
    assert not list(folder.output.rglob(".*.tmp*"))
    with sqlite3.connect(folder.register_path()) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = db.execute("SELECT assessment_id, number FROM entries").fetchall()
    granted = {a for a, s in states.items() if s["number"]}
    assert {a for a, _ in rows} == granted
    assert len({n for _, n in rows}) == len(rows)
    assert {s["number"] for s in states.values() if s["number"]} == {n for _, n in rows}


@pytest.mark.slow
def test_killed_collect_is_completed_by_the_next_run(tmp_path: Path) -> None:
    folder = prepare_demo(tmp_path / "ronde", lambda _: None)
    reference = RoundFolder(tmp_path / "zonder-onderbreking")
    shutil.copytree(folder.root, reference.root)
    collect_round(reference)
    # collect in two workers (lowered threshold), stopping in the main process after its
    # first filed copy: by then the workers have written copies beside where the rest goes
    filed = tmp_path / "eerste-kopie"
    code = (
        "import time\n"
        "import kwl_office.batch.pool as pool\n"
        "import kwl_office.batch.collect as collect\n"
        "pool.PARALLEL_FROM = 1\n"
        "file_copy = collect._file_copy\n"
        "def first_then_wait(*args, **kwargs):\n"
        "    receipt = file_copy(*args, **kwargs)\n"
        "    time.sleep(0.5)  # the workers go on writing meanwhile\n"
        f"    open({str(filed)!r}, 'a').close()\n"
        "    time.sleep(3600)\n"
        "    return receipt\n"
        "collect._file_copy = first_then_wait\n"
        "from pathlib import Path\n"
        "from kwl_office.batch.folder import RoundFolder\n"
        "from kwl_office.batch.steps import collect_round\n"
        f"collect_round(RoundFolder(Path({str(folder.root)!r})), workers=2)\n")
    _kill_on(code, filed, "nothing was filed")
    # the killed run left copies that were written but not filed, never under a final name
    left = list(folder.received.rglob(".*.tmp*"))
    assert left
    result = CliRunner().invoke(main, ["round", "collect", str(folder.root)])
    assert result.exit_code == 0, result.output
    assert not list(folder.received.rglob(".*.tmp*"))
    # everything taken in as by a run that was never interrupted, every copy whole
    receipts = load_receipts(folder)
    assert {k: r.sha256 for k, r in receipts.items()} == {
        k: r.sha256 for k, r in load_receipts(reference).items()}
    for receipt in receipts.values():
        _assert_whole(folder.root / receipt.file)
    assert collect_round(folder).result.new == []
