"""An issue run interrupted after writing workbooks and before recording them in the index
(killed, a full disk): the workbooks it left may have gone out already, so the next run keeps
them as they are, and collect calls such a workbook what it is, not "of another round"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kwl_office.assessment import Kind
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.issue import IssuedWorkbook, load_index, save_index
from kwl_office.batch.receipts import load_receipts
from kwl_office.batch.steps import collect_round, issue_round
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.excel.reader import read_workbook
from tests.helpers import fill_all, generate, make_round, row


@pytest.fixture
def issued(tmp_path: Path) -> RoundFolder:
    folder = make_round(tmp_path / "ronde", [
        row("2026-001", "Wijkkracht Oost (fictief)", "intercollegiaal",
            "Welzijn Noord (fictief); Buurtwerk Zuid (fictief)"),
        row("2026-002", "Welzijn West (fictief)", "intercollegiaal",
            "Welzijn Noord (fictief); Buurtwerk Zuid (fictief)")])
    issue_round(folder)
    return folder


def _forget(folder: RoundFolder, *labels: str) -> list[IssuedWorkbook]:
    """The index as an interrupted run leaves it: the workbooks with these labels written
    under their names, but not recorded."""
    index = load_index(folder)
    gone = [w for w in index.values() if w.label in labels]
    save_index(folder, {k: w for k, w in index.items() if w not in gone})
    return gone


def test_workbooks_left_by_an_interrupted_issue_are_kept_as_they_are(
        issued: RoundFolder, catalogue: Catalogue) -> None:
    gone = _forget(issued, "2026-001 peer - Buurtwerk Zuid (fictief)", "2026-002 zelfevaluatie")
    before = {w.file: (issued.root / w.file).read_bytes() for w in gone}
    result = issue_round(issued)[0]
    assert len(result.created) == 2 and result.adopted == 2
    assert "afgebroken" in result.line()
    # the files that may have gone out are unchanged, and the index knows them by their own id
    assert {w.file: (issued.root / w.file).read_bytes() for w in gone} == before
    index = load_index(issued)
    for workbook in gone:
        assert index[workbook.workbook_id] == workbook
    # the next run has nothing left to do
    again = issue_round(issued)[0]
    assert again.created == [] and again.adopted == 0


def test_a_file_that_is_not_the_workbook_asked_for_is_made_again(
        issued: RoundFolder, catalogue: Catalogue, tmp_path: Path) -> None:
    [lost] = _forget(issued, "2026-001 peer - Welzijn Noord (fictief)")
    target = issued.root / lost.file
    # a workbook for the same place, signed with another key (another round's)
    generate(tmp_path / "ander.xlsx", Kind.PEER, catalogue)
    shutil.copy(tmp_path / "ander.xlsx", target)
    result = issue_round(issued)[0]
    assert len(result.created) == 1 and result.adopted == 0
    made = read_workbook(target, catalogue, key=issued.key(), allow_incomplete=True)
    assert made.identity is not None and made.identity.workbook_id != lost.workbook_id
    assert made.identity.assessment_id == "2026-001" and "identity-tampered" not in \
        made.report.codes()


def test_collect_says_a_workbook_of_this_round_was_not_recorded(
        issued: RoundFolder, catalogue: Catalogue) -> None:
    [lost] = _forget(issued, "2026-002 zelfevaluatie")
    fill_all(issued.root / lost.file, catalogue, out=issued.inbox / "teruggestuurd.xlsx")
    summary = collect_round(issued)
    [rejected] = summary.result.rejected
    assert "niet vastgelegd als uitgegeven" in rejected.reason
    assert "hoort niet bij deze ronde" not in rejected.reason
    # as it says: issue records it (unchanged), and collect then takes it in
    assert issue_round(issued)[0].adopted == 1
    result = CliRunner().invoke(main, ["round", "collect", str(issued.root)])
    assert result.exit_code == 0, result.output
    assert lost.workbook_id in load_receipts(issued)
