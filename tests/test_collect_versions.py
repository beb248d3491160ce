"""Which of two versions of one workbook counts: the one saved last, as the workbooks say.

The date of a file in the inbox is when the secretariat saved the mail's attachment, not when
the reviewer saved the workbook. An old draft saved into the inbox after the final version
must not replace it, and whenever the inbox dates and the saved moments disagree (or the
saved moments cannot decide) collect says which version counts, on the console and in the
intake. The saved moment is set by rewriting ``dcterms:modified`` (openpyxl always writes
the time of its own save: :func:`tests.helpers.set_saved_moment`); the inbox date by
``os.utime``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kwl_office import texts_nl as T
from kwl_office.batch.collect import COPIES_DIR
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.issue import IssuedWorkbook, load_index
from kwl_office.batch.receipts import Receipt, load_receipts
from kwl_office.batch.steps import CollectSummary, collect_round, issue_round
from kwl_office.batch.versions import saved_moment
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.kinds import Kind
from tests.helpers import TEAM, fill_all, fill_team, make_round, row, set_saved_moment, zip_bytes
from tests.test_team import answers_for

DRAFT_SAVED = datetime(2026, 11, 1, 9, tzinfo=UTC)
FINAL_SAVED = datetime(2026, 11, 20, 9, tzinfo=UTC)
#: inbox dates: the earlier and the later file, both after every saved moment (a workbook
#: cannot have been saved after it came into the inbox: such a moment is a wrong clock)
EARLY = FINAL_SAVED.timestamp() + 86_400
LATE = EARLY + 3600

Round = tuple[RoundFolder, IssuedWorkbook, Catalogue]


@pytest.fixture
def audit_round(tmp_path: Path) -> Round:
    """A round of one audit, its self-evaluation in the inbox; returns the audit workbook."""
    folder = make_round(tmp_path / "ronde", [
        row("2026-401", "Welzijn Een (fictief)", "audit", ci="CI Een (fictief)")])
    issue_round(folder)
    index = list(load_index(folder).values())
    catalogue = folder.catalogue()
    own = next(w for w in index if w.kind is Kind.SELF_EVALUATION)
    fill_all(folder.root / own.file, catalogue, out=folder.inbox / "zelfevaluatie.xlsx")
    return folder, next(w for w in index if w.kind is Kind.AUDIT), catalogue


def version(audit_round: Round, name: str, rating: str, saved: datetime | None,
            inbox_date: float) -> Path:
    """The audit filled with ``rating`` everywhere, saying it was saved at ``saved``, put
    into the inbox as ``name`` with ``inbox_date`` as its file date."""
    folder, audit, catalogue = audit_round
    path = fill_all(folder.root / audit.file, catalogue, rating=rating, out=folder.inbox / name)
    set_saved_moment(path, saved)
    os.utime(path, (inbox_date, inbox_date))
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def history(folder: RoundFolder) -> list[bytes]:
    return [p.read_bytes() for p in sorted(folder.received.rglob("historie/*"))]


def intake_names(summary: CollectSummary) -> list[str]:
    """The column 'Bestand in de inbox' of the intake."""
    ws = load_workbook(summary.intake)[T.INTAKE_SHEET]
    return [str(r[8].value) for r in ws.iter_rows(min_row=4) if r[8].value]


def counting(folder: RoundFolder, audit: IssuedWorkbook) -> Receipt:
    return load_receipts(folder)[audit.workbook_id]


def test_an_older_draft_saved_into_the_inbox_later_does_not_replace_the_final(
        audit_round: Round) -> None:
    folder, audit, _ = audit_round
    final = version(audit_round, "audit DEFINITIEF.xlsx", "V", FINAL_SAVED, EARLY)
    first = collect_round(folder)
    assert audit.workbook_id in first.result.new
    # receipts as the previous version wrote them (without rivals) still load
    path = folder.received / "ontvangst.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for value in data.values():
        value.pop("rivals", None)
    path.write_text(json.dumps(data), encoding="utf-8")

    # an old mail's attachment, the draft of 1 November, saved into the inbox afterwards
    draft = version(audit_round, "audit (oude mail).xlsx", "N", DRAFT_SAVED, LATE)
    second = collect_round(folder)
    receipt = counting(folder, audit)
    assert receipt.sha256 == digest(final)
    assert second.result.new == [] and second.result.unchanged == 3  # nothing new counts
    assert history(folder) == [draft.read_bytes()]
    assert [(r.source, r.by_saved) for r in receipt.rivals] == [("audit (oude mail).xlsx", True)]
    # said once, naming both files and both saved moments, in the intake as well
    [note] = second.result.versions
    assert (note.workbook_id, note.counts, note.rival.source) == (
        audit.workbook_id, "audit DEFINITIEF.xlsx", "audit (oude mail).xlsx")
    for part in ("'audit DEFINITIEF.xlsx'", "'audit (oude mail).xlsx'",
                 T.format_date(FINAL_SAVED.date()), T.format_date(DRAFT_SAVED.date())):
        assert part in note.message
    assert any(note.message.removeprefix(f"{note.label}: ") in n
               for n in intake_names(second))

    # collected again: not said again, the final still counts, the intake still tells
    third = collect_round(folder)
    assert third.result.versions == [] and third.result.new == []
    assert counting(folder, audit).sha256 == digest(final)
    assert intake_names(third) == intake_names(second)


def test_a_saved_moment_from_a_wrong_clock_decides_nothing(audit_round: Round) -> None:
    # a CI whose PC thought it was 2099: its first version would have won against every
    # later one, for good (a certificate became a herbeoordeling on the first version)
    folder, audit, _ = audit_round
    wrong = version(audit_round, "audit v1.xlsx", "N", datetime(2099, 1, 1, 9, tzinfo=UTC),
                    EARLY)
    collect_round(folder)
    assert counting(folder, audit).sha256 == digest(wrong)
    final = version(audit_round, "audit DEFINITIEF.xlsx", "V", FINAL_SAVED, LATE)
    summary = collect_round(folder)
    receipt = counting(folder, audit)
    assert receipt.sha256 == digest(final)  # the later file in the inbox, as before
    assert history(folder) == [wrong.read_bytes()]
    [note] = summary.result.versions
    assert note.rival.impossible == ["other"] and not note.rival.by_saved
    assert "'audit v1.xlsx' noemt als moment van opslaan 1 januari 2099" in note.message
    assert "dat kan niet" in note.message
    assert any("dat kan niet" in n for n in intake_names(summary))
    # a version saved after it, but a minute before its file date: a clock a little off
    # still decides (the slack is an hour)
    nearly = version(audit_round, "audit na.xlsx", "D",
                     datetime.fromtimestamp(LATE + 3600 + 60, UTC), LATE + 3600)
    collect_round(folder)
    assert counting(folder, audit).sha256 == digest(nearly)


@pytest.mark.parametrize("use_cli", [False, True])
def test_two_versions_in_one_inbox_the_one_saved_last_counts(audit_round: Round,
                                                            use_cli: bool) -> None:
    folder, audit, _ = audit_round
    final = version(audit_round, "audit DEFINITIEF.xlsx", "V", FINAL_SAVED, EARLY)
    draft = version(audit_round, "audit concept.xlsx", "N", DRAFT_SAVED, LATE)
    if use_cli:
        result = CliRunner().invoke(main, ["round", "collect", str(folder.root)])
        assert result.exit_code == 0, result.output
    else:
        summary = collect_round(folder)
    assert counting(folder, audit).sha256 == digest(final)
    assert history(folder) == [draft.read_bytes()]
    if use_cli:
        [line] = [line for line in result.output.splitlines() if T.CLI_VERSIONS in line]
        for part in (audit.label, "'audit DEFINITIEF.xlsx'", "'audit concept.xlsx'",
                     T.format_date(FINAL_SAVED.date()), T.format_date(DRAFT_SAVED.date())):
            assert part in line
    else:
        # one workbook taken in (its two versions are not two), the draft kept as history
        assert summary.result.new.count(audit.workbook_id) == 1
        assert summary.result.unchanged == 1
        assert [n.counts for n in summary.result.versions] == ["audit DEFINITIEF.xlsx"]


def test_two_old_drafts_after_the_final_are_each_told_once(audit_round: Round) -> None:
    folder, audit, _ = audit_round
    final = version(audit_round, "definitief.xlsx", "V", FINAL_SAVED, EARLY)
    version(audit_round, "concept 1.xlsx", "N", DRAFT_SAVED, LATE)
    version(audit_round, "concept 2.xlsx", "D", DRAFT_SAVED + (FINAL_SAVED - DRAFT_SAVED) / 2,
            LATE + 60)
    summary = collect_round(folder)
    receipt = counting(folder, audit)
    assert receipt.sha256 == digest(final)
    told = [("definitief.xlsx", "concept 1.xlsx"), ("definitief.xlsx", "concept 2.xlsx")]
    assert [(n.counts, n.rival.source) for n in summary.result.versions] == told
    assert [r.source for r in receipt.rivals] == ["concept 1.xlsx", "concept 2.xlsx"]
    again = collect_round(folder)
    assert again.result.versions == [] and counting(folder, audit) == receipt


def test_a_final_with_an_older_inbox_date_replaces_the_draft(audit_round: Round) -> None:
    folder, audit, _ = audit_round
    draft = version(audit_round, "audit concept.xlsx", "N", DRAFT_SAVED, LATE)
    collect_round(folder)
    # the final comes in afterwards, its file keeping an older date (copied with its date)
    final = version(audit_round, "audit DEFINITIEF.xlsx", "V", FINAL_SAVED, EARLY)
    summary = collect_round(folder)
    receipt = counting(folder, audit)
    assert receipt.sha256 == digest(final)
    assert summary.result.new == [audit.workbook_id]
    assert history(folder) == [draft.read_bytes()]
    assert [r.source for r in receipt.rivals] == ["audit concept.xlsx"]
    assert [n.counts for n in summary.result.versions] == ["audit DEFINITIEF.xlsx"]


def test_versions_whose_dates_agree_are_taken_in_as_before_and_told_once(
        audit_round: Round) -> None:
    folder, audit, _ = audit_round
    draft = version(audit_round, "audit concept.xlsx", "N", DRAFT_SAVED, EARLY)
    final = version(audit_round, "audit DEFINITIEF.xlsx", "V", FINAL_SAVED, LATE)
    summary = collect_round(folder)
    receipt = counting(folder, audit)
    assert receipt.sha256 == digest(final)
    assert [(r.source, r.inbox_agrees) for r in receipt.rivals] == [("audit concept.xlsx", True)]
    assert history(folder) == [draft.read_bytes()]
    assert [n.counts for n in summary.result.versions] == ["audit DEFINITIEF.xlsx"]
    assert intake_names(summary)[1].startswith("audit DEFINITIEF.xlsx\n")
    # the draft left in the inbox stays history, not told again
    again = collect_round(folder)
    assert again.result.versions == [] and counting(folder, audit).sha256 == digest(final)


@pytest.mark.parametrize("case", ["missing", "same second"])
def test_when_the_saved_moments_cannot_decide_the_inbox_dates_do_and_it_is_said(
        audit_round: Round, case: str) -> None:
    folder, audit, _ = audit_round
    # the one saved later by its own date, but the other lacks one or says the same second
    first = version(audit_round, "eerste.xlsx", "V", FINAL_SAVED, EARLY)
    later_saved = None if case == "missing" else FINAL_SAVED
    second = version(audit_round, "tweede.xlsx", "N", later_saved, LATE)
    summary = collect_round(folder)
    receipt = counting(folder, audit)
    assert receipt.sha256 == digest(second)  # the later in the inbox, as before
    assert history(folder) == [first.read_bytes()]
    assert [(r.source, r.by_saved) for r in receipt.rivals] == [("eerste.xlsx", False)]
    [note] = summary.result.versions
    assert note.counts == "tweede.xlsx" and "'eerste.xlsx'" in note.message
    if case == "missing":
        assert T.COLLECT_VERSIONS_UNSAID_ONE.format(file="tweede.xlsx") in note.message
    else:
        assert T.format_date(FINAL_SAVED.date()) in note.message
    # said once; the inbox dates still decide at every collect, as before
    again = collect_round(folder)
    assert again.result.versions == [] and counting(folder, audit).sha256 == digest(second)
    os.utime(first, (LATE + 60, LATE + 60))
    moved = collect_round(folder)
    assert counting(folder, audit).sha256 == digest(first)
    assert [n.counts for n in moved.result.versions] == ["eerste.xlsx"]


def test_a_team_workbooks_newest_copy_is_the_one_saved_last(tmp_path: Path) -> None:
    folder = make_round(tmp_path / "ronde", [
        row("2026-300", "Welzijn Een (fictief)", "intercollegiaal", "; ".join(TEAM))
        | {"workbook": "gedeeld"}])
    issue_round(folder)
    team = next(w for w in load_index(folder).values() if w.reviewers)
    answers = answers_for(folder.catalogue())
    saved_last = fill_team(folder.root / team.file, {TEAM[0]: answers[TEAM[0]]},
                           out=folder.inbox / "team Noord.xlsx")
    saved_first = fill_team(folder.root / team.file, {TEAM[1]: answers[TEAM[1]]},
                            out=folder.inbox / "team Zuid.xlsx")
    for path, saved, inbox_date in ((saved_last, FINAL_SAVED, EARLY),
                                    (saved_first, DRAFT_SAVED, LATE)):
        set_saved_moment(path, saved)
        os.utime(path, (inbox_date, inbox_date))
    summary = collect_round(folder)
    receipt = load_receipts(folder)[team.workbook_id]
    # both copies count; the one saved last is the newest (merged into, annotated)
    assert [c.source for c in receipt.all_copies()] == ["team Zuid.xlsx", "team Noord.xlsx"]
    assert COPIES_DIR in Path(receipt.copies[0].file).parts
    assert summary.result.versions == []


def test_the_saved_moment_read_from_xlsx_and_ods(audit_round: Round, tmp_path: Path) -> None:
    folder, audit, _ = audit_round
    issued = folder.root / audit.file
    assert saved_moment(issued.read_bytes()) is not None  # kwl writes it when it issues
    copy = shutil.copy(issued, tmp_path / "kopie.xlsx")
    assert saved_moment(set_saved_moment(copy, FINAL_SAVED).read_bytes()) == FINAL_SAVED
    assert saved_moment(set_saved_moment(copy, None).read_bytes()) is None
    # an .ods says it in local time, to the nanosecond
    meta = (b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
            b'office:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta>'
            b"<dc:date>2026-11-20T10:15:30.123456789</dc:date></office:meta>"
            b"</office:document-meta>")
    local = datetime(2026, 11, 20, 10, 15, 30).astimezone()
    assert saved_moment(zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                              "meta.xml": meta})) == local.astimezone(UTC)
    # what cannot say it: None, never an error
    dtd = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><cp:coreProperties '
           b'xmlns:cp="c" xmlns:dcterms="http://purl.org/dc/terms/"><dcterms:modified>'
           b"2026-11-20T09:00:00Z</dcterms:modified></cp:coreProperties>")
    garbled = meta.replace(b"2026-11-20T10:15:30.123456789", b"gisteren")
    for data in (b"", b"PK\x03\x04 kapot", zip_bytes({"docProps/core.xml": dtd}),
                 zip_bytes({"meta.xml": garbled}), zip_bytes({"docProps/core.xml": b"<niet-af"})):
        assert saved_moment(data) is None
