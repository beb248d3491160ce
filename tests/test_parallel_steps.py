"""The round's steps give the same outcome with worker processes as in one process.

Issue, collect and report each use workers for a large round (``pool.PARALLEL_FROM``); here
the threshold is lowered so a small round takes the parallel path, and the outcome is
compared with the same round done in one process: the same files, receipts, rejections and
skips in the same order, the same register numbers. Also: ``round status`` survives a
received copy that became unreadable.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kwl_office.assessment import Kind
from kwl_office.batch import collect as collect_module
from kwl_office.batch import pool
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.issue import load_index
from kwl_office.batch.receipts import load_receipts
from kwl_office.batch.status import round_status
from kwl_office.batch.steps import collect_round, issue_round, report_round
from kwl_office.catalogue import load_catalogue
from tests.helpers import fill_all, generate, hand_in, make_round, row, set_saved_moment

TODAY = date(2026, 12, 1)


def _round(root: Path) -> RoundFolder:
    return make_round(root, [
        row("2026-001", "Welzijn Een (fictief)", "intercollegiaal",
            "Collega A (fictief); Collega B (fictief)"),
        row("2026-002", "Welzijn Twee (fictief)", "audit", ci="CI Een (fictief)"),
        row("2026-003", "Welzijn Drie (fictief)", "combinatie", "Collega C (fictief)",
            ci="CI Twee (fictief)"),
        row("2026-004", "Welzijn Vier (fictief)", "intercollegiaal",
            "Collega D (fictief); Collega E (fictief)"),
    ])


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "PARALLEL_FROM", 1)


def _issued(folder: RoundFolder) -> list[tuple[str, str, str, str]]:
    return sorted((w.assessment_id, w.kind.value, w.reviewer, w.file)
                  for w in load_index(folder).values())


def test_issue_in_workers_makes_the_same_workbooks(tmp_path: Path, parallel: None) -> None:
    one = _round(tmp_path / "een")
    two = _round(tmp_path / "twee")
    made_one, _ = issue_round(one, workers=1)
    made_two, _ = issue_round(two, workers=2)
    assert len(made_one.created) == len(made_two.created) == 11
    assert _issued(one) == _issued(two)
    # every issued file is there and is what the index says: a signed, readable workbook
    collect_round(two)  # nothing in the inbox yet: reads nothing, fails nothing
    for item in load_index(two).values():
        assert (two.root / item.file).is_file()
    again, _ = issue_round(two, workers=2)
    assert again.created == [] and again.existing == 11  # a re-run makes nothing


def _inbox_with_trouble(folder: RoundFolder) -> None:
    catalogue = load_catalogue(None)
    hand_in(folder, catalogue, skip=("Collega E",))
    first = next(iter(sorted(folder.inbox.iterdir())))
    shutil.copy(first, folder.inbox / "dubbel.xlsx")  # the same bytes twice
    (folder.inbox / "kapot.xlsx").write_bytes(b"PK\x03\x04 geen werkmap")
    (folder.inbox / "notulen.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    # a workbook of another round (another key)
    fill_all(generate(folder.root / "vreemd.xlsx", Kind.PEER, catalogue), catalogue,
             out=folder.inbox / "vreemd.xlsx")


def _temporaries(folder: RoundFolder) -> list[Path]:
    """The copies written beside where workbooks are filed, not put in place."""
    return sorted(folder.received.rglob(".*.tmp*"))


def test_collect_in_workers_takes_in_the_same(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    base = _round(tmp_path / "basis")
    issue_round(base, workers=1)
    _inbox_with_trouble(base)
    shutil.copytree(base.root, tmp_path / "een")
    shutil.copytree(base.root, tmp_path / "twee")
    one, two = RoundFolder(tmp_path / "een"), RoundFolder(tmp_path / "twee")
    first = collect_round(one, workers=1)
    monkeypatch.setattr(pool, "PARALLEL_FROM", 1)
    second = collect_round(two, workers=2)

    def outcome(summary: object, folder: RoundFolder) -> object:
        result = summary.result  # type: ignore[attr-defined]
        receipts = {k: (r.file, r.sha256, r.source) for k, r in load_receipts(folder).items()}
        return (receipts, [(r.source, r.finding.code) for r in result.rejected],
                [(s.source, s.kind) for s in result.skipped], result.unchanged,
                sorted(result.new),
                {k: (s.valid, s.report.codes()) for k, s in result.submissions.items()})

    assert outcome(first, one) == outcome(second, two)
    assert [r.source for r in second.result.rejected] == ["kapot.xlsx", "vreemd.xlsx"]
    assert second.result.unchanged == 1  # the duplicate
    assert _temporaries(one) == _temporaries(two) == []
    # run again in workers: every received copy read back, nothing new
    third = collect_round(two, workers=2)
    assert third.result.new == [] and set(third.result.submissions) == set(
        second.result.submissions)
    # an older version of a received workbook arrives late, and a newer one of another
    catalogue = load_catalogue(None)
    # two workbooks that were received (one was never handed in: nothing to replace)
    index = [load_index(one)[k] for k in sorted(load_receipts(one))]
    # filled once and copied: a workbook saved twice differs in its save time
    returns = tmp_path / "terug"
    returns.mkdir()
    late = fill_all(one.root / index[0].file, catalogue, rating="D", out=returns / "oud.xlsx")
    # older in the inbox and by its own saved moment, which decides (collect.saved_moment)
    set_saved_moment(late, datetime(2001, 9, 9, tzinfo=UTC))
    os.utime(late, (1_000_000_000, 1_000_000_000))
    fill_all(one.root / index[1].file, catalogue, rating="G", out=returns / "nieuw.xlsx")
    for folder, jobs in ((one, 1), (two, 2)):
        for name in ("oud.xlsx", "nieuw.xlsx"):
            shutil.copy2(returns / name, folder.inbox / name)
        later = collect_round(folder, workers=jobs)
        assert later.result.new == [index[1].workbook_id]
        assert _temporaries(folder) == []
    assert outcome(collect_round(one, workers=1), one) == outcome(
        collect_round(two, workers=2), two)
    for folder in (one, two):
        history = sorted(p.name for p in folder.received.rglob("historie/*"))
        assert len(history) == 2  # the late one, and the one the newer replaced
        # the same bytes as in the inbox, filed under their own names
        receipt = load_receipts(folder)[index[1].workbook_id]
        assert (folder.root / receipt.file).read_bytes() == (
            folder.inbox / "nieuw.xlsx").read_bytes()


def test_collect_that_fails_halfway_leaves_no_written_copies(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _round(tmp_path / "ronde")
    issue_round(folder, workers=1)
    hand_in(folder, load_catalogue(None))
    monkeypatch.setattr(pool, "PARALLEL_FROM", 1)
    filed = collect_module._file_copy
    calls = []

    def failing(*args: object, **kw: object) -> object:
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", "ontvangen")
        return filed(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(collect_module, "_file_copy", failing)
    with pytest.raises(OSError):
        collect_round(folder, workers=2)
    # the workers wrote copies beside where the rest would be filed: all removed
    assert _temporaries(folder) == []
    monkeypatch.setattr(collect_module, "_file_copy", filed)
    again = collect_round(folder, workers=2)
    # the two filed before the error were not in the receipts yet (saved once a second):
    # filed again, like the rest
    assert len(again.result.new) == 11 and _temporaries(folder) == []


def test_report_with_workers_gives_the_same_numbers(tmp_path: Path, parallel: None) -> None:
    base = _round(tmp_path / "basis")
    issue_round(base, workers=1)
    hand_in(base, load_catalogue(None))
    collect_round(base, workers=1)
    results = {}
    for jobs in (1, 2):
        root = tmp_path / f"jobs-{jobs}"
        shutil.copytree(base.root, root)
        summary = report_round(RoundFolder(root), workers=jobs, today=TODAY)
        assert summary.ok
        results[jobs] = [(r.assessment_id, r.status, r.advice, r.number, sorted(r.documents))
                         for r in summary.results]
    assert results[1] == results[2]
    assert [r[0] for r in results[2]] == ["2026-001", "2026-002", "2026-003", "2026-004"]
    assert all(r[3] for r in results[2])  # all four registered, numbers as in one process


def test_status_counts_an_unreadable_received_copy_as_invalid(tmp_path: Path) -> None:
    folder = _round(tmp_path / "ronde")
    issue_round(folder)
    hand_in(folder, load_catalogue(None))
    collect_round(folder)
    receipt = next(r for r in load_receipts(folder).values() if "2026-002" in r.file)
    (folder.root / receipt.file).write_bytes(b"kapot")  # damaged after it was filed
    rows, _ = round_status(folder)
    status = {r.assessment_id: r for r in rows}
    assert status["2026-002"].invalid == 1
    assert status["2026-001"].invalid == 0
