"""Killing ``round report`` halfway (SIGKILL) loses nothing: the next run completes it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from click.testing import CliRunner
from docx import Document

from kwl_office.batch.demo import prepare_demo
from kwl_office.batch.folder import RoundFolder
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


def test_killed_report_is_completed_by_the_next_run(tmp_path: Path) -> None:
    folder = prepare_demo(tmp_path / "ronde", lambda _: None)
    collect_round(folder)
    process = subprocess.Popen(
        [sys.executable, "-m", "kwl_office.cli", "round", "report", str(folder.root),
         "--jobs", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if any(folder.output.glob("*/*.docx")) or process.poll() is not None:
                break
            time.sleep(0.02)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL  # really killed, not finished
    assert len(list(folder.output.glob("*/.kwl-status.json"))) < 4  # really halfway
    # whatever exists under a final name is whole
    for path in _final_files(folder):
        _assert_whole(path)

    result = CliRunner().invoke(main, ["round", "report", str(folder.root), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    states = {p.parent.name: json.loads(p.read_text(encoding="utf-8"))
              for p in folder.output.glob("*/.kwl-status.json")}
    assert set(states) == {"2026-101", "2026-103", "2026-104", "2026-105"}
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
