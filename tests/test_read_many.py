"""Reading many workbooks at once (``read_workbooks``) gives per file exactly what reading it
alone gives: the same submission, or the same refusal, in the order asked, whatever the
groups it was read in; the round and ``kwl check`` read through it.

The files are freshly generated workbooks and mutations of them, one per way a read can end:
valid, messy, incomplete, a team workbook, another round's key, no identity, refused by the
container checks, refused by calamine, and refused after parsing (no norm sheet at all).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from kwl_office.assessment import Kind, Submission
from kwl_office.batch.demo import prepare_demo
from kwl_office.batch.pool import map_in_groups
from kwl_office.batch.receipts import load_receipts, read_all_received, read_received
from kwl_office.batch.steps import collect_round
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.errors import UnreadableFile
from kwl_office.excel import layout as L
from kwl_office.excel import reader
from kwl_office.excel.reader import (
    ReadRequest,
    read_submission,
    read_submissions,
    read_workbook,
    read_workbooks,
)
from tests.helpers import (
    KEY,
    TEAM,
    fill,
    fill_all,
    fill_team,
    generate,
    messy_answers,
    mutate,
    team_sheets,
)


def _files(root: Path, catalogue: Catalogue) -> list[Path]:
    """One file per way a read can end, in an order that mixes them."""
    root.mkdir()
    valid = fill_all(generate(root / "zelf.xlsx", Kind.SELF_EVALUATION, catalogue), catalogue)
    typed, _ = messy_answers(catalogue, Kind.PEER)
    messy = fill(generate(root / "peer.xlsx", Kind.PEER, catalogue), typed)
    blank = generate(root / "leeg.xlsx", Kind.AUDIT, catalogue)  # incomplete
    team = generate(root / "team.xlsx", Kind.PEER, catalogue, reviewer="", reviewers=TEAM)
    norm = next(iter(catalogue.norms())).id
    fill_team(team, {TEAM[0]: {norm: {"rating": "V"}}}, {norm: {"team_strengths": "Samen"}})
    foreign = fill_all(generate(root / "ander.xlsx", Kind.PEER, catalogue, key=b"x" * 32),
                       catalogue)
    def unsigned(wb: Workbook) -> None:
        wb.remove(wb["_kwl"])
        wb.custom_doc_props.props.clear()  # the identity's second place

    no_identity = mutate(valid, unsigned, root / "zonder.xlsx")
    (root / "tekst.xlsx").write_text("geen werkmap")  # refused by the container checks
    # a zip that passes the container checks, with a workbook part calamine cannot parse
    with zipfile.ZipFile(valid) as good, zipfile.ZipFile(root / "half.xlsx", "w") as half:
        for item in good.infolist():
            half.writestr(item, b"<workbook><sheets><sheet" if item.filename == "xl/workbook.xml"
                          else good.read(item))
    # a workbook without an identity and without any norm sheet: refused after parsing
    empty = mutate(no_identity, lambda wb: [wb.remove(ws) for ws in wb.worksheets[1:]],
                   root / "kaal.xlsx")
    return [valid, root / "tekst.xlsx", messy, blank, root / "half.xlsx", team, foreign,
            no_identity, empty, valid]


def _alone(path: Path, catalogue: Catalogue) -> Submission | UnreadableFile:
    try:
        return read_workbook(path, catalogue, key=KEY)
    except UnreadableFile as err:
        return err


def _same(a: Submission | UnreadableFile, b: Submission | UnreadableFile) -> bool:
    if isinstance(a, Submission) and isinstance(b, Submission):
        return a.model_dump() == b.model_dump()
    return type(a) is type(b) and str(a) == str(b)


@pytest.mark.parametrize(("files", "size"), [(8, 2 * 1024 * 1024), (3, 2 * 1024 * 1024),
                                             (8, 1)])
def test_many_at_once_read_as_each_alone(tmp_path: Path, catalogue: Catalogue,
                                         monkeypatch: pytest.MonkeyPatch, files: int,
                                         size: int) -> None:
    paths = _files(tmp_path / "mappen", catalogue)
    alone = [_alone(p, catalogue) for p in paths]
    # every way of ending is there: read, refused before, during and after parsing
    assert [type(r).__name__ for r in alone] == [
        "Submission", "UnsupportedFormat", "Submission", "Submission", "CorruptFile",
        "Submission", "Submission", "Submission", "UnsupportedFormat", "Submission"]
    assert {"incomplete-submission", "identity-tampered", "identity-missing"} <= {
        code for r in alone if isinstance(r, Submission) for code in r.report.codes()}
    assert any(isinstance(r, Submission) and r.is_team and r.team for r in alone)
    monkeypatch.setattr(reader, "GROUP_FILES", files)
    monkeypatch.setattr(reader, "GROUP_BYTES", size)
    together = read_workbooks([ReadRequest(p) for p in paths], catalogue, key=KEY)
    assert len(together) == len(paths)
    for path, a, b in zip(paths, alone, together, strict=True):
        assert _same(a, b), path.name
    # the bytes given instead of the path: the same again
    given = read_workbooks([ReadRequest(p, p.read_bytes()) for p in paths], catalogue, key=KEY)
    assert all(_same(a, b) for a, b in zip(alone, given, strict=True))


def test_submissions_name_what_cannot_be_read(tmp_path: Path, catalogue: Catalogue) -> None:
    paths = _files(tmp_path / "mappen", catalogue)
    names = [f"inbox/{p.name}" for p in paths]
    together = read_submissions([ReadRequest(p, name=n) for p, n in zip(paths, names,
                                                                        strict=True)],
                                catalogue, key=KEY, expected_kind=Kind.PEER)
    alone = [read_submission(p, catalogue, key=KEY, expected_kind=Kind.PEER, name=n)
             for p, n in zip(paths, names, strict=True)]
    assert [s.model_dump() for s in together] == [s.model_dump() for s in alone]
    assert "inbox/tekst.xlsx" in together[1].report.findings[0].message
    assert "wrong-kind" in together[0].report.codes()


def test_groups_of_a_map_come_back_in_order() -> None:
    items = list(range(23))
    seen: list[list[int]] = []

    def double(group: list[int]) -> list[int]:
        seen.append(group)
        return [2 * i for i in group]

    assert list(map_in_groups(None, double, items, size=5)) == [2 * i for i in items]
    assert [len(g) for g in seen] == [5, 5, 5, 5, 3]
    assert list(map_in_groups(None, double, [], size=5)) == []


def test_check_reads_several_files_as_one_at_a_time(tmp_path: Path,
                                                    catalogue: Catalogue) -> None:
    paths = _files(tmp_path / "mappen", catalogue)
    key_file = tmp_path / "sleutel"
    key_file.write_text(KEY.hex())
    args = ["check", "--json", "--allow-incomplete", "--key", str(key_file)]
    together = CliRunner().invoke(main, [*args, *map(str, paths)])
    each = [CliRunner().invoke(main, [*args, str(p)]) for p in paths]
    assert json.loads(together.stdout) == [json.loads(r.stdout) for r in each]


def test_received_workbooks_read_together_as_each_alone(tmp_path: Path,
                                                        catalogue: Catalogue) -> None:
    folder = prepare_demo(tmp_path / "ronde", lambda _: None)
    team = next(p for p in sorted(folder.inbox.iterdir()) if "het team" in p.name)
    # a fork of the shared team workbook: one reviewer typed a strength in their copy
    owner = next(o for o, ws in team_sheets(load_workbook(team)).items()
                 if ws.title != L.SHEET_TEAM)
    norm = next(iter(catalogue.norms())).id
    fill_team(team, {owner: {norm: {"comment_review": "Ook in de kopie"}}},
              out=folder.inbox / "kopie van het team.xlsx")
    collect_round(folder)
    receipts = load_receipts(folder)
    assert any(r.copies for r in receipts.values())  # the team workbook: two copies count
    key = folder.key()
    together, unreadable = read_all_received(folder, receipts.values(), catalogue, key)
    assert unreadable == {}
    alone = {k: read_received(folder, r, catalogue, key) for k, r in receipts.items()}
    assert {k: s.model_dump() for k, s in together.items()} == {
        k: s.model_dump() for k, s in alone.items()}
