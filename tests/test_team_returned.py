"""The merged team workbook sent back supersedes the copies it was merged from.

A shared team workbook mailed round comes back as several copies; collect merges every copy
in the inbox and, when the merge is not in order, sends back one merged workbook "met
opmerkingen" to go on in. When (a copy of) that workbook comes back corrected, the old copies
are still in the inbox (kwl never changes it): they stop counting, so the fixed error is not
repeated as a ``merge-conflict`` with the old value. A copy that was not part of that merge
(someone went on in an old copy) still counts. Saved moments are set with
:func:`tests.helpers.set_saved_moment` (openpyxl stamps its own save time).
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kwl_office import texts_nl as T
from kwl_office.batch.intake import annotated_copies
from kwl_office.batch.issue import IssuedWorkbook, load_index
from kwl_office.batch.receipts import Receipt, load_receipts
from kwl_office.batch.steps import CollectSummary, collect_round, issue_round
from kwl_office.batch.team_copies import CLAIM_DIGITS, MERGED_FROM_PROPERTY
from kwl_office.cli import main
from kwl_office.excel.reader import read_workbook
from kwl_office.findings import Finding
from tests.helpers import (
    HOST,
    TEAM,
    fill,
    fill_team,
    make_round,
    row,
    set_saved_moment,
    soffice_convert,
)
from tests.test_team import answers_for

NOORD, ZUID, WEST = TEAM
Answers = dict[str, dict[str, dict[str, Any]]]
#: when the first copy was saved; every later mail an hour later
FIRST_SAVED = datetime(2026, 11, 2, 9, tzinfo=UTC)
TEAM_TEXT = {"V1.1": {"team_strengths": "Samen sterk in intervisie"}}


class SharedRound:
    """A round of one assessment with a shared team workbook, and its mail."""

    def __init__(self, tmp_path: Path, reviewers: tuple[str, ...]) -> None:
        self.folder = make_round(tmp_path / "ronde", [
            row("2026-500", HOST, "intercollegiaal", "; ".join(reviewers))
            | {"workbook": "gedeeld"}])
        issue_round(self.folder)
        index = list(load_index(self.folder).values())
        self.team = next(w for w in index if w.reviewers)
        self.own = next(w for w in index if not w.reviewers)
        self.catalogue = self.folder.catalogue()
        self.answers = answers_for(self.catalogue, reviewers)
        self.mails = 0

    @property
    def issued(self) -> Path:
        return self.folder.root / self.team.file

    def mail(self, src: Path, name: str, answers: Answers,
             team: dict[str, dict[str, Any]] | None = None) -> Path:
        """``src`` filled in (a reviewer per sheet) and saved later than every mail before,
        into the inbox as ``name``."""
        out = fill_team(src, answers, team, out=self.folder.inbox / name)
        return self.saved_later(out)

    def saved_later(self, path: Path) -> Path:
        saved = FIRST_SAVED + timedelta(hours=self.mails)
        self.mails += 1
        set_saved_moment(path, saved)
        os.utime(path, (saved.timestamp(), saved.timestamp()))
        return path

    def own_ratings(self, reviewer: str) -> Answers:
        return {reviewer: self.answers[reviewer]}

    def wrong(self, reviewer: str, norm_id: str, value: str) -> Answers:
        """A reviewer's answers with one rating typed wrong."""
        typed = dict(self.answers[reviewer])
        typed[norm_id] = {**typed[norm_id], "rating": value}
        return {reviewer: typed}

    def fix(self, reviewer: str, norm_id: str) -> Answers:
        return {reviewer: {norm_id: {"rating": self.answers[reviewer][norm_id]["rating"]}}}

    def returned(self, issued: IssuedWorkbook | None = None) -> Path:
        """The copy sent back ("met opmerkingen")."""
        [path] = [p for p in annotated_copies(self.folder, issued or self.team) if p.exists()]
        return path

    def receipt(self) -> Receipt:
        return load_receipts(self.folder)[self.team.workbook_id]

    def rating(self, summary: CollectSummary, reviewer: str, norm_id: str) -> str:
        sub = summary.result.submissions[self.team.workbook_id]
        review = next(r for r in sub.reviews() if r.reviewer == reviewer)
        rating = review.responses[norm_id].rating
        assert rating is not None
        return rating

    def comment(self, summary: CollectSummary, reviewer: str, norm_id: str) -> str | None:
        sub = summary.result.submissions[self.team.workbook_id]
        review = next(r for r in sub.reviews() if r.reviewer == reviewer)
        return review.responses[norm_id].comment


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def claim(path: Path) -> list[str]:
    """What a returned workbook says it was merged from."""
    props = {p.name: p.value for p in load_workbook(path).custom_doc_props}
    return str(props.get(MERGED_FROM_PROPERTY, "")).split()


def places(findings: list[Finding]) -> list[tuple[str, str | None, str | None, str | None]]:
    return [(f.code, f.file, f.sheet, f.cell) for f in findings]


def team_findings(shared: SharedRound, summary: CollectSummary) -> list[Finding]:
    return summary.result.submissions[shared.team.workbook_id].report.findings


def first_collect(shared: SharedRound, *, with_self: bool = True) -> tuple[Path, Path]:
    """Noord's copy, and Zuid's with 'goed' as V1.1's rating, in the inbox and taken in:
    the merge is invalid and the merged workbook is sent back."""
    if with_self:
        ratings = {n.id: {"rating": "V"} for n in shared.catalogue.norms()}
        shared.saved_later(fill(shared.folder.root / shared.own.file, ratings,
                                out=shared.folder.inbox / "zelfevaluatie.xlsx"))
    noord = shared.mail(shared.issued, "team van Noord.xlsx", shared.own_ratings(NOORD))
    zuid = shared.mail(shared.issued, "team van Zuid.xlsx", shared.wrong(ZUID, "V1.1", "goed"))
    summary = collect_round(shared.folder)
    assert not summary.result.submissions[shared.team.workbook_id].valid
    assert ("unknown-rating", "team van Zuid.xlsx") in [
        (f.code, f.file) for f in team_findings(shared, summary)]
    return noord, zuid


def test_the_corrected_returned_workbook_supersedes_the_copies_it_was_merged_from(
        tmp_path: Path) -> None:
    shared = SharedRound(tmp_path, (NOORD, ZUID))
    folder = shared.folder
    # the self-evaluation (a workbook of one person) comes back wrong as well
    ratings = {n.id: {"rating": "V"} for n in shared.catalogue.norms()}
    shared.saved_later(fill(folder.root / shared.own.file, ratings | {"V1.1": {"rating": "goed"}},
                            out=folder.inbox / "zelfevaluatie.xlsx"))
    noord, zuid = first_collect(shared, with_self=False)
    old_bytes = {p.name: p.read_bytes() for p in (noord, zuid)}
    returned = shared.returned()
    # the merged workbook sent back says which received copies it was merged from, and its
    # identity stays intact and signed
    assert claim(returned) == [digest(noord)[:CLAIM_DIGITS], digest(zuid)[:CLAIM_DIGITS]]
    back = read_workbook(returned, shared.catalogue, key=folder.key(), allow_incomplete=True)
    assert not {c for c in back.report.codes() if c.startswith("identity")}
    assert back.report.codes() == {"unknown-rating"}
    # the self-evaluation's copy says nothing of the kind: the newer version wins, as always
    own_returned = shared.returned(shared.own)
    assert claim(own_returned) == []

    # Zuid corrects the returned workbook, as it says; both come back, the old mails stay
    shared.mail(returned, "team verbeterd.xlsx", shared.fix(ZUID, "V1.1"))
    shared.saved_later(fill(own_returned, {"V1.1": {"rating": "V"}},
                            out=folder.inbox / "zelfevaluatie verbeterd.xlsx"))
    result = CliRunner().invoke(main, ["round", "collect", str(folder.root)])
    assert result.exit_code == 0, result.output
    # said once, on one line: which copy came back and which copies no longer count
    [line] = [line for line in result.output.splitlines()
              if line.strip().startswith(T.CLI_SUPERSEDED)]
    for name in (shared.team.label, "'team verbeterd.xlsx'", "'team van Noord.xlsx'",
                 "'team van Zuid.xlsx'"):
        assert name in line

    receipt = shared.receipt()
    assert (receipt.source, receipt.copies) == ("team verbeterd.xlsx", [])
    assert [c.source for c in receipt.superseded] == ["team van Noord.xlsx",
                                                      "team van Zuid.xlsx"]
    assert all((folder.root / c.file).is_file() and "historie" in c.file
               for c in receipt.superseded)
    # the inbox is untouched: the old mails are still there
    assert {name: (folder.inbox / name).read_bytes() for name in old_bytes} == old_bytes

    summary = collect_round(folder)  # again: nothing new, nothing said again
    assert summary.result.new == [] and summary.result.superseded == []
    assert summary.invalid == 0 and summary.annotated == []
    assert team_findings(shared, summary) == []
    assert shared.rating(summary, ZUID, "V1.1") == shared.answers[ZUID]["V1.1"]["rating"]
    assert load_receipts(folder)[shared.own.workbook_id].source == (
        "zelfevaluatie verbeterd.xlsx")
    intake = load_workbook(summary.intake)[T.INTAKE_SHEET]
    [names] = [str(r[8].value) for r in intake.iter_rows(min_row=4)
               if "team verbeterd.xlsx" in str(r[8].value)]
    first, superseded = names.split("\n")
    assert first == "team verbeterd.xlsx"
    assert "'team van Noord.xlsx'" in superseded and "'team van Zuid.xlsx'" in superseded


def test_a_late_copy_that_was_not_merged_still_counts(tmp_path: Path) -> None:
    shared = SharedRound(tmp_path, TEAM)
    noord, _ = first_collect(shared)
    returned = shared.returned()
    shared.mail(returned, "team verbeterd.xlsx", shared.fix(ZUID, "V1.1"))
    # West worked in the workbook as issued all along; Noord went on in his own old copy
    # and rewrote a finding. Both mail it only now.
    shared.mail(shared.issued, "team van West.xlsx", shared.own_ratings(WEST))
    shared.mail(noord, "team van Noord (nieuw).xlsx",
                {NOORD: {"V1.2": {"comment_review": "Noord, herschreven"}}})

    summary = collect_round(shared.folder)
    assert team_findings(shared, summary) == [], places(team_findings(shared, summary))
    receipt = shared.receipt()
    assert sorted(c.source for c in receipt.all_copies()) == [
        "team van Noord (nieuw).xlsx", "team van West.xlsx", "team verbeterd.xlsx"]
    assert [c.source for c in receipt.superseded] == ["team van Noord.xlsx",
                                                      "team van Zuid.xlsx"]
    [note] = summary.result.superseded
    assert (note.by, note.superseded) == (["team verbeterd.xlsx"],
                                          ["team van Noord.xlsx", "team van Zuid.xlsx"])
    # no work is lost: Zuid's correction, West's ratings and Noord's new finding all count
    # (the returned workbook still has Noord's old finding, which Noord did not type there)
    assert shared.rating(summary, ZUID, "V1.1") == shared.answers[ZUID]["V1.1"]["rating"]
    assert shared.rating(summary, WEST, "V1.1") == shared.answers[WEST]["V1.1"]["rating"]
    assert shared.comment(summary, NOORD, "V1.2") == "Noord, herschreven"


def test_copies_of_the_returned_workbook_supersede_and_merge_with_each_other(
        tmp_path: Path) -> None:
    shared = SharedRound(tmp_path, (NOORD, ZUID))
    noord, zuid = first_collect(shared)
    returned = shared.returned()
    # the returned workbook goes round again: Zuid corrects V1.1 in one copy; Noord, in
    # another, changes a rating, adds the team's text and types a wrong rating
    changed = "N" if shared.answers[NOORD]["V1.2"]["rating"] != "N" else "V"
    shared.mail(returned, "Zuid verbeterd.xlsx", shared.fix(ZUID, "V1.1"))
    shared.mail(returned, "Noord aangevuld.xlsx",
                {NOORD: {"V1.2": {"rating": changed}, "V1.3": {"rating": "prima"}}},
                TEAM_TEXT)
    summary = collect_round(shared.folder)
    # what each copy left as the returned workbook had it gives way: only Noord's new
    # error is left (and so Noord's sheet is not complete), no merge-conflict
    sub = summary.result.submissions[shared.team.workbook_id]
    assert {(f.code, f.file) for f in sub.report.errors} == {
        ("unknown-rating", "Noord aangevuld.xlsx"),
        ("incomplete-submission", "Noord aangevuld.xlsx")}
    assert [c.source for c in shared.receipt().superseded] == ["team van Noord.xlsx",
                                                               "team van Zuid.xlsx"]
    # sent back again: the newest copy with Zuid's correction written in, claiming both
    again = shared.returned()
    back = read_workbook(again, shared.catalogue, key=shared.folder.key())
    zuid_review = next(r for r in back.reviews() if r.reviewer == ZUID)
    assert zuid_review.responses["V1.1"].rating == shared.answers[ZUID]["V1.1"]["rating"]
    assert sorted(claim(again)) == sorted(
        digest(shared.folder.inbox / name)[:CLAIM_DIGITS]
        for name in ("Zuid verbeterd.xlsx", "Noord aangevuld.xlsx"))

    shared.mail(again, "team af.xlsx", {NOORD: {"V1.3": {"rating": "V"}}})
    summary = collect_round(shared.folder)
    assert team_findings(shared, summary) == []
    assert shared.rating(summary, ZUID, "V1.1") == shared.answers[ZUID]["V1.1"]["rating"]
    assert shared.rating(summary, NOORD, "V1.2") == changed
    receipt = shared.receipt()
    assert receipt.source == "team af.xlsx" and receipt.copies == []
    assert sorted(c.source for c in receipt.superseded) == sorted([
        "team van Noord.xlsx", "team van Zuid.xlsx", "Zuid verbeterd.xlsx",
        "Noord aangevuld.xlsx"])
    assert (noord.exists(), zuid.exists()) == (True, True)


def test_a_claim_of_copies_never_received_is_ignored(tmp_path: Path) -> None:
    shared = SharedRound(tmp_path, (NOORD, ZUID))
    noord, zuid = first_collect(shared)
    fixed = shared.mail(shared.returned(), "team verbeterd.xlsx", shared.fix(ZUID, "V1.1"))
    # the claim also names a copy nobody sent (and is written in capitals)
    wb = load_workbook(fixed)
    [prop] = [p for p in wb.custom_doc_props if p.name == MERGED_FROM_PROPERTY]
    prop.value = f"{'f' * CLAIM_DIGITS} {prop.value}".upper()
    wb.save(fixed)
    shared.saved_later(fixed)

    summary = collect_round(shared.folder)
    assert team_findings(shared, summary) == []
    receipt = shared.receipt()
    # in digest order (claimed() sorts them): which copy is first is not the point here
    assert receipt.merged_from == sorted([digest(noord), digest(zuid)])
    assert [c.source for c in receipt.superseded] == ["team van Noord.xlsx",
                                                      "team van Zuid.xlsx"]


@pytest.mark.soffice
@pytest.mark.parametrize("target", ["xlsx", "ods"])
def test_a_returned_workbook_saved_through_libreoffice_supersedes(tmp_path: Path,
                                                                   target: str) -> None:
    from tests.helpers import require_soffice
    require_soffice()
    shared = SharedRound(tmp_path, (NOORD, ZUID))
    first_collect(shared)
    fixed = fill_team(shared.returned(), shared.fix(ZUID, "V1.1"),
                      out=tmp_path / "team verbeterd.xlsx")
    saved = soffice_convert(fixed, tmp_path / "lo", target, tmp_path / "profiel")
    inbox = saved.replace(shared.folder.inbox / saved.name)
    # LibreOffice keeps the claim (as a custom property, or a user-defined one in an .ods)
    assert re.search(MERGED_FROM_PROPERTY.encode(), _part(inbox, target))

    summary = collect_round(shared.folder)
    assert team_findings(shared, summary) == [], places(team_findings(shared, summary))
    receipt = shared.receipt()
    assert (receipt.source, receipt.copies) == (inbox.name, [])
    assert [c.source for c in receipt.superseded] == ["team van Noord.xlsx",
                                                      "team van Zuid.xlsx"]
    assert shared.rating(summary, ZUID, "V1.1") == shared.answers[ZUID]["V1.1"]["rating"]


def _part(path: Path, target: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("docProps/custom.xml" if target == "xlsx" else "meta.xml")
