"""Two different versions of one workbook are never replaced silently.

Whenever a version replaces another one (in the same collect or one taken in before), or an
older one is kept as history, collect says so in one console line and in intake.xlsx: both
names in the inbox, which counts and why, and where the other is kept. When the two workbooks
say they were last saved by different people (``cp:lastModifiedBy``; ``dc:creator`` of an
.ods) that is said as well: a colleague who filled a forwarded copy of someone else's workbook
would otherwise replace that review unseen (finding F7 of a user test). Which version counts
does not change.
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from kwl_office import texts_nl as T
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.intake import SAVED_BY_OTHERS_FILL
from kwl_office.batch.issue import IssuedWorkbook, load_index
from kwl_office.batch.receipts import load_receipts
from kwl_office.batch.steps import collect_round, issue_round
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.kinds import Kind
from tests.helpers import fill_all, make_round, mutate, row, set_saved_moment, zip_bytes

NOORD, ZUID = "Sociaal Werk Noord (fictief)", "Buurtwerk Zuid (fictief)"
#: when the reviewers saved their files, and when those came into the inbox (later: a
#: workbook cannot have been saved after it came into the inbox)
SAVED = datetime(2026, 11, 20, 6, 50, 52, tzinfo=UTC)
ARRIVED = SAVED.timestamp() + 3600

Round = tuple[RoundFolder, Catalogue, dict[str, IssuedWorkbook]]


@pytest.fixture
def peer_round(tmp_path: Path) -> Round:
    """An intercollegiate round, Noord and Zuid reviewing, the self-evaluation in the inbox;
    returns the review workbooks by reviewer."""
    folder = make_round(tmp_path / "ronde", [
        row("2026-010", "Welzijn West (fictief)", "intercollegiaal", f"{NOORD}; {ZUID}")])
    issue_round(folder)
    catalogue = folder.catalogue()
    index = list(load_index(folder).values())
    own = next(w for w in index if w.kind is Kind.SELF_EVALUATION)
    fill_all(folder.root / own.file, catalogue, out=folder.inbox / "zelfevaluatie.xlsx")
    return folder, catalogue, {w.who: w for w in index if w.kind is not Kind.SELF_EVALUATION}


def filled(peer_round: Round, workbook: IssuedWorkbook, name: str, rating: str,
           saved_by: str | None, saved: datetime, arrived: float) -> Path:
    """``workbook`` filled with ``rating`` everywhere and saved by ``saved_by`` (as Excel
    writes the user name) at ``saved``, put into the inbox as ``name`` at ``arrived``."""
    folder, catalogue, _ = peer_round
    path = fill_all(folder.root / workbook.file, catalogue, rating=rating,
                    out=folder.inbox / name)

    def sign(wb: Workbook) -> None:
        wb.properties.lastModifiedBy = saved_by

    mutate(path, sign)
    set_saved_moment(path, saved)
    os.utime(path, (arrived, arrived))
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def intake_cell(folder: RoundFolder, reviewer: str) -> str:
    """The column 'Bestand in de inbox' of the intake, in the row of ``reviewer``."""
    ws = load_workbook(folder.output / "intake.xlsx")[T.INTAKE_SHEET]
    [cell] = [str(r[8]) for r in ws.iter_rows(min_row=4, values_only=True)
              if r[3] == reviewer]
    return cell


def marked(folder: RoundFolder) -> list[str]:
    """The reviewers whose cell 'Bestand in de inbox' is marked (two people saved it)."""
    ws = load_workbook(folder.output / "intake.xlsx")[T.INTAKE_SHEET]
    return [str(r[3].value) for r in ws.iter_rows(min_row=4)
            if r[8].fill.fgColor.rgb == SAVED_BY_OTHERS_FILL.fgColor.rgb]


@pytest.mark.parametrize("use_cli", [False, True])
def test_a_colleagues_filled_copy_that_replaces_a_review_is_told_with_who_saved_each(
        peer_round: Round, use_cli: bool) -> None:
    folder, _, reviews = peer_round
    noord = reviews[NOORD]
    # Zuid got Noord's workbook forwarded and filled that one, two seconds after Noord
    own = filled(peer_round, noord, "Noord ingevuld.xlsx", "V", "Jan Noord", SAVED, ARRIVED)
    other = filled(peer_round, noord, "Zuid ingevuld.xlsx", "N", "Piet Zuid",
                   SAVED + timedelta(seconds=2), ARRIVED + 1)
    if use_cli:
        result = CliRunner().invoke(main, ["round", "collect", str(folder.root)])
        assert result.exit_code == 0, result.output
        lines = [line for line in result.output.splitlines() if T.CLI_VERSIONS in line]
    else:
        lines = [note.message for note in collect_round(folder).result.versions]
    receipt = load_receipts(folder)[noord.workbook_id]
    # which counts does not change: the one saved last
    assert receipt.sha256 == digest(other)
    [rival] = receipt.rivals
    assert (rival.source, rival.saved_by, rival.counts_saved_by) == (
        "Noord ingevuld.xlsx", "Jan Noord", "Piet Zuid")
    # Noord's own file is kept, and where is said
    assert rival.kept is not None
    assert (folder.root / rival.kept).read_bytes() == own.read_bytes()
    warning = T.COLLECT_VERSIONS_SAVED_BY.format(
        counts="Zuid ingevuld.xlsx", counts_by="Piet Zuid", other="Noord ingevuld.xlsx",
        other_by="Jan Noord")
    # one line on the console, the same in the intake's row of Noord's workbook
    [line] = lines
    for part in (noord.label, "'Noord ingevuld.xlsx'", "'Zuid ingevuld.xlsx'", rival.kept,
                 warning):
        assert part in line
    cell = intake_cell(folder, NOORD)
    for part in ("'Noord ingevuld.xlsx'", "'Zuid ingevuld.xlsx'", rival.kept, warning):
        assert part in cell
    assert marked(folder) == [NOORD]
    # collected again: not said again, the intake goes on saying it
    again = collect_round(folder)
    assert again.result.versions == [] and intake_cell(folder, NOORD) == cell


def test_a_corrected_version_sent_later_is_told_calmly(peer_round: Round) -> None:
    folder, _, reviews = peer_round
    zuid = reviews[ZUID]
    first = filled(peer_round, zuid, "Zuid.xlsx", "N", "Piet Zuid", SAVED, ARRIVED)
    collect_round(folder)
    # the same reviewer's corrected version at the next collect; one that does not say who
    # saved it: nothing is guessed
    fixed = filled(peer_round, zuid, "Zuid verbeterd.xlsx", "V", "PIET ZUID",
                   SAVED + timedelta(days=1), ARRIVED + 86_400)
    summary = collect_round(folder)
    receipt = load_receipts(folder)[zuid.workbook_id]
    assert receipt.sha256 == digest(fixed)
    [note] = summary.result.versions
    assert (note.counts, note.rival.source, note.rival.inbox_agrees) == (
        "Zuid verbeterd.xlsx", "Zuid.xlsx", True)
    assert note.rival.kept is not None
    assert (folder.root / note.rival.kept).read_bytes() == first.read_bytes()
    for part in ("'Zuid verbeterd.xlsx'", "'Zuid.xlsx'", note.rival.kept,
                 T.format_date(SAVED.date())):
        assert part in note.message
    assert "Piet Zuid" not in note.message  # the same person: no question asked
    assert marked(folder) == []
    third = filled(peer_round, zuid, "Zuid v3.xlsx", "D", None, SAVED + timedelta(days=2),
                   ARRIVED + 2 * 86_400)
    [note] = collect_round(folder).result.versions
    assert note.rival.counts_saved_by is None and "PIET ZUID" not in note.message
    assert load_receipts(folder)[zuid.workbook_id].sha256 == digest(third)


def test_three_versions_in_one_inbox_each_replacement_is_told(peer_round: Round) -> None:
    folder, _, reviews = peer_round
    noord = reviews[NOORD]
    names = ["concept.xlsx", "bijna.xlsx", "definitief.xlsx"]
    paths = [filled(peer_round, noord, name, rating, "Jan Noord", SAVED + timedelta(hours=i),
                    ARRIVED + 3600 * i)
             for i, (name, rating) in enumerate(zip(names, "NDV", strict=True))]
    summary = collect_round(folder)
    receipt = load_receipts(folder)[noord.workbook_id]
    assert receipt.sha256 == digest(paths[2])
    told = [(n.rival.source, n.rival.lost_to) for n in summary.result.versions]
    assert told == [("concept.xlsx", "bijna.xlsx"), ("bijna.xlsx", "definitief.xlsx")]
    assert [(r.source, r.lost_to) for r in receipt.rivals] == told
    # the first line names the version that won then, which no longer counts
    first, second = (n.message for n in summary.result.versions)
    assert f"'bijna.xlsx' {T.COLLECT_VERSIONS_VERB['counted']}" in first
    assert f"'definitief.xlsx' {T.COLLECT_VERSIONS_VERB['counts']}" in second
    kept = [folder.root / str(r.kept) for r in receipt.rivals]
    assert [p.read_bytes() for p in kept] == [p.read_bytes() for p in paths[:2]]
    cell = intake_cell(folder, NOORD)
    assert all(f"'{name}'" in cell for name in names)


def test_an_older_version_kept_as_history_is_told_even_when_the_dates_agree(
        peer_round: Round) -> None:
    folder, _, reviews = peer_round
    noord = reviews[NOORD]
    final = filled(peer_round, noord, "definitief.xlsx", "V", "Jan Noord",
                   SAVED + timedelta(days=1), ARRIVED + 86_400)
    collect_round(folder)
    # an older draft, with its older date, comes in later: it does not count, but is said
    draft = filled(peer_round, noord, "concept.xlsx", "N", "Piet Zuid", SAVED, ARRIVED)
    [note] = collect_round(folder).result.versions
    assert load_receipts(folder)[noord.workbook_id].sha256 == digest(final)
    assert (note.counts, note.rival.source, note.rival.inbox_agrees) == (
        "definitief.xlsx", "concept.xlsx", True)
    assert (folder.root / str(note.rival.kept)).read_bytes() == draft.read_bytes()
    assert "'Piet Zuid'" in note.message and "'Jan Noord'" in note.message


def test_who_saved_a_workbook_last_read_from_xlsx_and_ods() -> None:
    from kwl_office.batch.versions import saved_facts

    core = (b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            b'metadata/core-properties" xmlns:dcterms="http://purl.org/dc/terms/" '
            b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>kwl_office</dc:creator>'
            b"<cp:lastModifiedBy>NAME</cp:lastModifiedBy><dcterms:modified>"
            b"2026-11-20T09:00:00Z</dcterms:modified></cp:coreProperties>")
    moment = datetime(2026, 11, 20, 9, tzinfo=UTC)
    assert saved_facts(zip_bytes({"docProps/core.xml": core.replace(b"NAME", b"Jan Noord")})) == (
        moment, "Jan Noord")
    # control characters and line breaks out (the console and the intake show it); a very
    # long name cut
    odd = "Jan\n\tNoord\u200b\u202e "
    assert saved_facts(zip_bytes({"docProps/core.xml": core.replace(
        b"NAME", odd.encode())})) == (moment, "Jan Noord")
    [long] = [saved_facts(zip_bytes({"docProps/core.xml": core.replace(b"NAME", b"x" * 500)}))[1]]
    assert long is not None and len(long) == 80 and long.endswith("…")
    # none said: None (the creator is who made it, not who saved it)
    assert saved_facts(zip_bytes({"docProps/core.xml": core.replace(
        b"<cp:lastModifiedBy>NAME</cp:lastModifiedBy>", b"")})) == (moment, None)
    # an .ods: dc:creator is who saved it last, meta:initial-creator who made it
    meta = (b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
            b'office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
            b'xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta>'
            b"<meta:initial-creator>kwl_office</meta:initial-creator>"
            b"<dc:creator>Piet Zuid</dc:creator><dc:date>gisteren</dc:date>"
            b"</office:meta></office:document-meta>")
    assert saved_facts(zip_bytes({"meta.xml": meta})) == (None, "Piet Zuid")
    # a DTD is not parsed
    dtd = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "Jan">]>' + core.replace(
        b"NAME", b"&a;")
    assert saved_facts(zip_bytes({"docProps/core.xml": dtd})) == (None, None)
