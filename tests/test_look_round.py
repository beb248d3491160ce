"""What people see of the round (issue 13): the annotated copy to send back, intake.xlsx,
manifest.xlsx, attachments in the inbox, workbooks with a mirror, and the console lines.

Every bad input is made here by mutating freshly issued workbooks and manifests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office.assessment import Kind, Submission
from kwl_office.batch.attachments import attachment_kind
from kwl_office.batch.demo import find_columns
from kwl_office.batch.folder import RoundFolder, init_round
from kwl_office.batch.intake import (
    ERROR_COLOUR,
    ERROR_EDGE,
    WARNING_COLOUR,
    WARNING_EDGE,
    problems_text,
    received_time,
)
from kwl_office.batch.issue import IssuedWorkbook, load_index
from kwl_office.batch.manifest import COLUMNS, HEADER_ROW, LISTS, read_manifest
from kwl_office.batch.receipts import load_receipts
from kwl_office.batch.steps import collect_round, issue_round, report_round
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.documents.render import shipped_templates
from kwl_office.excel import layout as L
from kwl_office.excel.reader import read_workbook
from kwl_office.excel.style import PAGE_OF
from tests.helpers import fill, fill_all, hand_in, make_round, norm_rows, row, soffice_convert

HOST = "Wijkkracht Oost (fictief)"
REVIEWERS = "Welzijn Noord (fictief); Buurtwerk Zuid (fictief)"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def peer_round(tmp_path: Path) -> RoundFolder:
    folder = make_round(tmp_path / "ronde", [row("2026-001", HOST, "intercollegiaal", REVIEWERS)])
    assert run("round", "issue", str(folder.root)).exit_code == 0
    return folder


def _issued(folder: RoundFolder, part: str) -> IssuedWorkbook:
    return next(w for w in load_index(folder).values() if part in w.label)


def _with_mistakes(folder: RoundFolder, catalogue: Catalogue, item: IssuedWorkbook,
                   name: str, *, wrong: Iterable[str] = ("goed",), open_norms: int = 2,
                   mtime: float | None = None) -> Path:
    """The workbook filled in with a rating that does not exist for each of ``wrong`` and the
    last ``open_norms`` norms left open; saved in the inbox as ``name``."""
    ids = [n.id for n in catalogue.norms()]
    answers: dict[str, dict[str, Any]] = {n: {"rating": "V"} for n in ids[:len(ids) - open_norms]}
    for offset, typed in enumerate(wrong, start=1):
        answers[ids[offset * 3]] = {"rating": typed}
    target = folder.inbox / name
    target.parent.mkdir(parents=True, exist_ok=True)
    fill(folder.root / item.file, answers, target)
    if mtime is not None:
        os.utime(target, (mtime, mtime))
    return target


def _links(ws: Worksheet) -> list[tuple[str, str]]:
    """(sheet, cell) of every link in the Cel column of a Controle sheet."""
    found = []
    for cells in ws.iter_rows(min_row=5):
        link = cells[1].hyperlink
        if link is not None:
            sheet, ref = link.location.rsplit("!", 1)
            assert cells[1].value == ref  # the link shows the cell it goes to
            found.append((sheet.strip("'"), ref))
    return found


def _copies(folder: RoundFolder) -> list[Path]:
    return sorted((folder.output / "terugsturen").glob("*"))


# --- the annotated copy ------------------------------------------------------------------


def test_the_annotated_copy_links_every_problem_to_its_cell(peer_round: RoundFolder,
                                                           catalogue: Catalogue) -> None:
    item = _issued(peer_round, "Welzijn Noord")
    _with_mistakes(peer_round, catalogue, item, "mail/ingevuld.xlsx", wrong=("goed", "?"))
    summary = collect_round(peer_round)
    sub = summary.result.submissions[item.workbook_id]
    assert {f.code for f in sub.report.findings} == {"unknown-rating", "missing-rating",
                                                     "incomplete-submission"}
    [path] = summary.annotated
    copy = load_workbook(path)

    # the problems sheet comes right after Start, which still opens first
    assert copy.sheetnames[:2] == [L.SHEET_START, L.SHEET_CHECK]
    assert copy.active is not None and copy.active.title == L.SHEET_START
    check = copy[L.SHEET_CHECK]
    # one row per problem, each linked to exactly the cell the finding names
    messages = [r[4].value for r in check.iter_rows(min_row=5) if r[4].value]
    assert sorted(messages) == sorted(f.message for f in sub.report.findings)
    assert sorted(_links(check)) == sorted((f.sheet, f.cell) for f in sub.report.findings
                                           if f.sheet and f.cell)
    # the cells the links go to are marked: errors pink, open norms blue
    for finding in sub.report.findings:
        assert finding.sheet and finding.cell
        cell = copy[finding.sheet][finding.cell]
        colour = ERROR_COLOUR if finding.code != "missing-rating" else WARNING_COLOUR
        if finding.code == "missing-rating" and any(
                f.cell == finding.cell and f.severity.value == "error"
                for f in sub.report.findings):
            colour = ERROR_COLOUR  # an open cell that is also the error's place
        assert cell.fill.fgColor.rgb.endswith(colour), finding
        assert cell.border.left.color.rgb.endswith(
            ERROR_EDGE if colour == ERROR_COLOUR else WARNING_EDGE)
    # the notice on Start is a cell (prints), not a comment (does not)
    notice = copy[L.SHEET_START]["A4"]
    assert notice.value == T.ANNOTATE_NOTICE.format(problems=problems_text(sub.report),
                                                    sheet=L.SHEET_CHECK)
    assert problems_text(sub.report) == "3 fouten en 2 waarschuwingen"
    assert copy[L.SHEET_START]["A1"].comment is None
    # the problems sheet prints readably: landscape, fit to width, header row repeated
    assert check.page_setup.orientation == "landscape" and check.print_title_rows == "$4:$4"
    assert all(_effective_points(check, px_per_unit=unit) >= 8 for unit in WIDTH_UNITS)


def test_a_corrected_copy_reads_back_like_the_original(peer_round: RoundFolder,
                                                       catalogue: Catalogue) -> None:
    # the person fixes the copy we sent and returns it: the notice and the Controle sheet
    # must not change how it is read
    item = _issued(peer_round, "Welzijn Noord")
    _with_mistakes(peer_round, catalogue, item, "ingevuld.xlsx")
    [path] = collect_round(peer_round).annotated
    key = peer_round.key()
    original = read_workbook(peer_round.inbox / "ingevuld.xlsx", catalogue, key=key)
    assert read_workbook(path, catalogue, key=key).report.flatten() == \
        original.report.flatten()
    fixed = fill_all(path, catalogue, out=peer_round.inbox / "hersteld.xlsx")
    assert read_workbook(fixed, catalogue, key=key).valid


def test_the_annotated_copy_keeps_its_rows_growing(peer_round: RoundFolder,
                                                   catalogue: Catalogue) -> None:
    # openpyxl writes every row height it loaded as fixed: the copy must release them, or the
    # rows stop growing when the person types the corrections
    item = _issued(peer_round, "Welzijn Noord")
    _with_mistakes(peer_round, catalogue, item, "ingevuld.xlsx")
    [path] = collect_round(peer_round).annotated
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        fixed = [n for n in sheets if b'customHeight="1"' in archive.read(n)]
    assert sheets and not fixed


def _lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* of an sRGB hex colour (D65)."""
    rgb = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    xyz = ((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
           0.2126 * r + 0.7152 * g + 0.0722 * b,
           (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def _difference(one: str, other: str) -> float:
    """CIE76 colour difference: about 2 is just noticeable, above 25 clearly another colour."""
    return sum((p - q) ** 2 for p, q in zip(_lab(one), _lab(other), strict=True)) ** 0.5


@pytest.mark.parametrize("mark", [ERROR_COLOUR, WARNING_COLOUR, ERROR_EDGE, WARNING_EDGE])
def test_the_marks_are_no_colour_of_the_rating_scale(catalogue: Catalogue, mark: str) -> None:
    for level in catalogue.scale:
        assert _difference(mark, level.colour) > 25, (mark, level.label, level.colour)
    # and the two marks are not mistaken for each other
    assert _difference(ERROR_COLOUR, WARNING_COLOUR) > 25


def test_only_the_newest_copy_remains_and_none_once_corrected(peer_round: RoundFolder,
                                                              catalogue: Catalogue) -> None:
    item = _issued(peer_round, "Welzijn Noord")
    _with_mistakes(peer_round, catalogue, item, "eerste.xlsx", mtime=1_700_000_000)
    first = collect_round(peer_round).annotated
    assert _copies(peer_round) == first and first[0].suffix == ".xlsx"

    # a newer version, still wrong, comes back as .xlsm: only its copy stays
    newer = _with_mistakes(peer_round, catalogue, item, "tweede.xlsx", wrong=("x", "y", "z"),
                           mtime=1_700_000_100)
    newer.rename(newer.with_suffix(".xlsm"))
    second = collect_round(peer_round)
    assert _copies(peer_round) == second.annotated and second.annotated[0].suffix == ".xlsm"
    assert second.removed == first
    sub = second.result.submissions[item.workbook_id]
    check = load_workbook(second.annotated[0])[L.SHEET_CHECK]
    assert sorted(_links(check)) == sorted((f.sheet, f.cell) for f in sub.report.findings)

    # the corrected version is accepted: nothing is left to send back
    fill_all(peer_round.root / item.file, catalogue, out=peer_round.inbox / "derde.xlsx")
    os.utime(peer_round.inbox / "derde.xlsx", (1_700_000_200, 1_700_000_200))
    result = run("round", "collect", str(peer_round.root))
    assert result.exit_code == 0, result.output
    assert _copies(peer_round) == []
    assert T.ROUND_STALE_REMOVED.format(path=second.annotated[0]) in result.output


# --- intake.xlsx ---------------------------------------------------------------------------


#: pixels per column width unit: Excel with Calibri 11, and LibreOffice where Calibri is
#: replaced by the wider DejaVu Sans (measured from a PDF: 8.7)
WIDTH_UNITS = (7, 8.7)


def _effective_points(ws: Worksheet, *, px_per_unit: float = 7) -> float:
    """The smallest text size (points) on paper when the sheet is printed fit to width: the
    smallest font of its cells times the scale. A column is ``px_per_unit`` pixels per unit
    of width plus 5 of padding, at 96 pixels per inch."""
    widths = [d.width for d in ws.column_dimensions.values() if d.width]
    content = sum(w * px_per_unit + 5 for w in widths) * 72 / 96
    landscape = ws.page_setup.orientation == "landscape"
    paper = (841.89 if landscape else 595.28) - 72 * (ws.page_margins.left
                                                      + ws.page_margins.right)
    scale = min(1.0, paper / content)
    sizes = [c.font.sz or 11 for r in ws.iter_rows() for c in r
             if c.value is not None and c.row > 1]  # the title is large anyway
    return min(sizes) * scale


def _assert_prints_well(ws: Worksheet, title_row: int) -> None:
    setup = ws.page_setup
    assert (setup.orientation, str(setup.paperSize), setup.fitToWidth, setup.fitToHeight) == (
        "landscape", "9", 1, 0), ws.title
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${title_row}:${title_row}"
    assert ws.oddHeader.left.text and ws.oddHeader.right.text and ws.oddFooter.left.text
    assert ws.oddFooter.right.text == PAGE_OF
    for unit in WIDTH_UNITS:
        assert _effective_points(ws, px_per_unit=unit) >= 8, (ws.title, unit)


def test_intake_names_the_inbox_file_and_keeps_real_times(peer_round: RoundFolder,
                                                          catalogue: Catalogue) -> None:
    for part, name in (("zelfevaluatie", "mail/Re_ zelfevaluatie Oost.xlsx"),
                       ("Welzijn Noord", "sharepoint/Noord/ingevuld (2).xlsx")):
        target = peer_round.inbox / name
        target.parent.mkdir(parents=True)
        fill_all(peer_round.root / _issued(peer_round, part).file, catalogue, out=target)
    collect_round(peer_round)
    intake = load_workbook(peer_round.output / "intake.xlsx")
    received = intake[T.INTAKE_SHEET]
    receipts = {r.source: r for r in load_receipts(peer_round).values()}
    rows = [r for r in received.iter_rows(min_row=4) if r[0].value]
    assert len(rows) == 3
    shown = {}
    for cells in rows:
        status, when, source = cells[4].value, cells[5], cells[8].value
        if status == T.INTAKE_MISSING:
            assert when.value is None and not source
            continue
        # the original name under inbox/, and when it came in as a real date-time cell
        assert isinstance(when.value, datetime) and when.number_format == T.INTAKE_TIME_FORMAT
        assert when.value == received_time(receipts[source].received_at).replace(microsecond=0)
        shown[source] = status
    assert shown == {"mail/Re_ zelfevaluatie Oost.xlsx": T.INTAKE_RECEIVED,
                     "sharepoint/Noord/ingevuld (2).xlsx": T.INTAKE_RECEIVED}
    # sheets with nothing to list say so; every sheet prints on A4 with header and footer
    assert intake[T.INTAKE_REJECTED_SHEET]["A2"].value == T.INTAKE_EMPTY["rejected"]
    assert intake[T.INTAKE_SKIPPED_SHEET]["A2"].value == T.INTAKE_EMPTY["skipped"]
    for ws in intake.worksheets:
        _assert_prints_well(ws, 3 if ws.title == T.INTAKE_SHEET else 1)


def test_an_empty_round_has_an_intake_that_says_so(tmp_path: Path) -> None:
    folder = init_round(tmp_path / "ronde", register="kwaliteitsregister.sqlite")
    collect_round(folder)
    intake = load_workbook(folder.output / "intake.xlsx")
    assert intake[T.INTAKE_SHEET]["A4"].value == T.INTAKE_EMPTY["received"]
    assert intake[T.INTAKE_FINDINGS_SHEET]["A2"].value == T.INTAKE_EMPTY["findings"]


# --- attachments in the inbox ----------------------------------------------------------------


def _attachments(folder: RoundFolder) -> dict[str, str]:
    """Real files people put beside their workbook: name in the inbox → what it is."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    mail = folder.inbox / "mail"
    mail.mkdir(parents=True, exist_ok=True)
    figure = plt.figure()
    plt.plot([1, 2, 3])
    figure.savefig(mail / "begeleidende brief.pdf")
    figure.savefig(mail / "foto van het team.png")
    plt.close(figure)
    shutil.copy(shipped_templates() / "registratiebrief.docx", mail / "toelichting.docx")
    (mail / "leesmij.txt").write_text("Hierbij onze werkmap.\nMet groet, Oost\n",
                                      encoding="utf-8")
    message = EmailMessage()
    message["From"] = "kwaliteit@oost.example"
    message["To"] = "secretariaat@example.org"
    message["Subject"] = "Onze zelfevaluatie"
    message.set_content("Zie de bijlage.")
    (mail / "Onze zelfevaluatie.eml").write_bytes(message.as_bytes())
    return {"mail/begeleidende brief.pdf": "pdf", "mail/foto van het team.png": "image",
            "mail/toelichting.docx": "word", "mail/leesmij.txt": "text",
            "mail/Onze zelfevaluatie.eml": "email"}


def test_attachments_are_skipped_and_collect_still_exits_0(peer_round: RoundFolder,
                                                          catalogue: Catalogue) -> None:
    hand_in(peer_round, catalogue)
    attachments = _attachments(peer_round)
    for name, kind in attachments.items():
        assert attachment_kind(name, (peer_round.inbox / name).read_bytes()) == kind
    result = run("round", "collect", str(peer_round.root))
    assert result.exit_code == 0, result.output
    for name, kind in attachments.items():
        assert f"{T.CLI_SKIPPED:<13} {name}: {T.SKIPPED_KINDS[kind]}" in result.output
    intake = load_workbook(peer_round.output / "intake.xlsx")
    listed = {r[0].value: r[1].value for r in intake[T.INTAKE_SKIPPED_SHEET].iter_rows(min_row=2)}
    assert listed == {name: T.SKIPPED_KINDS[kind] for name, kind in attachments.items()}
    assert intake[T.INTAKE_REJECTED_SHEET]["A2"].value == T.INTAKE_EMPTY["rejected"]
    # and the run goes on to report as if they were not there
    assert run("round", "run", str(peer_round.root)).exit_code == 0


def _ole(*streams: str) -> bytes:
    """An OLE container naming ``streams`` (how old .xls and encrypted files begin)."""
    names = b"".join(s.encode("utf-16-le") + b"\0\0" for s in streams)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + names + bytes(512)


@pytest.mark.parametrize("name", ["afgebroken.xlsx", "ingevuld", "brief.xlsx", "oud.xls",
                                  "beveiligd.xlsx", "beveiligd", "oud"])
def test_a_spreadsheet_that_cannot_be_read_stays_an_error(peer_round: RoundFolder,
                                                          catalogue: Catalogue,
                                                          name: str) -> None:
    hand_in(peer_round, catalogue)
    workbook = next(peer_round.inbox.glob("*.xlsx")).read_bytes()
    data = {"afgebroken.xlsx": workbook[: len(workbook) // 2],  # a broken download
            "ingevuld": workbook[: len(workbook) // 2],  # the same, without a name
            "brief.xlsx": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",  # the name says workbook
            "oud.xls": _ole("Workbook"), "oud": _ole("Workbook"),
            "beveiligd.xlsx": _ole("EncryptionInfo", "EncryptedPackage"),
            "beveiligd": _ole("EncryptionInfo", "EncryptedPackage")}[name]
    (peer_round.inbox / name).write_bytes(data)
    assert attachment_kind(name, data) is None
    result = run("round", "collect", str(peer_round.root))
    assert result.exit_code == 1, result.output
    intake = load_workbook(peer_round.output / "intake.xlsx")
    refused = [r[0].value for r in intake[T.INTAKE_REJECTED_SHEET].iter_rows(min_row=2)]
    assert refused == [name]
    assert intake[T.INTAKE_SKIPPED_SHEET]["A2"].value == T.INTAKE_EMPTY["skipped"]


# --- manifest.xlsx ---------------------------------------------------------------------------


def _cell(key: str, offset: int) -> str:
    return f"{chr(ord('A') + list(COLUMNS).index(key))}{HEADER_ROW + offset}"


def test_manifest_input_that_is_probably_wrong_is_a_warning_at_its_cell(
        tmp_path: Path, catalogue: Catalogue) -> None:
    yesterday = date.today() - timedelta(days=1)
    folder = make_round(tmp_path / "ronde", [
        row("2026-001", "Eenling (fictief)", "intercollegiaal", "Alleen Noord (fictief)"),
        row("2026-002", "Datum (fictief)", "zelfevaluatie"),
        {**row("2026-003", "Laat (fictief)", "zelfevaluatie"), "deadline": yesterday},
        row("2026-004", "Gewoon (fictief)", "intercollegiaal", REVIEWERS),
    ])
    wb = load_workbook(folder.manifest)
    wb.worksheets[0][_cell("id", 2)].value = datetime(2027, 1, 5)  # as Excel stores "2027-01-05"
    wb.save(folder.manifest)

    entries, report = read_manifest(folder.manifest, catalogue)
    assert report.flatten() == [("manifest-too-few-reviewers", "Manifest", _cell("reviewers", 1)),
                                ("manifest-date-as-id", "Manifest", _cell("id", 2))]
    assert [e.assessment.id for e in entries] == ["2026-001", "2027-01-05", "2026-003",
                                                  "2026-004"]
    result = run("round", "issue", str(folder.root))
    assert result.exit_code == 0, result.output  # warnings: every row is issued
    _, issued = issue_round(folder)  # nothing new: the deadline is not warned about again
    assert {w.assessment_id for w in load_index(folder).values()} == {
        "2026-001", "2027-01-05", "2026-003", "2026-004"}
    assert ("manifest-deadline-past", "Manifest", _cell("deadline", 3)) not in issued.flatten()
    assert f"Manifest!{_cell('deadline', 3)}" in result.output


def test_the_deadline_is_checked_when_the_workbooks_are_made(tmp_path: Path) -> None:
    folder = make_round(tmp_path / "ronde", [
        {**row("2026-003", "Laat (fictief)", "zelfevaluatie"),
         "deadline": date.today() - timedelta(days=1)},
        {**row("2026-004", "Op tijd (fictief)", "zelfevaluatie"), "deadline": date.today()}])
    _, report = issue_round(folder)
    assert report.flatten() == [("manifest-deadline-past", "Manifest", _cell("deadline", 1))]


def test_an_empty_manifest_says_where_it_is(tmp_path: Path, catalogue: Catalogue) -> None:
    folder = init_round(tmp_path / "ronde", register="kwaliteitsregister.sqlite")
    entries, report = read_manifest(folder.manifest, catalogue)
    assert not entries
    assert report.flatten() == [("manifest-empty", "Manifest", f"A{HEADER_ROW + 1}")]
    result = run("round", "issue", str(folder.root))
    assert result.exit_code == 0
    assert str(folder.manifest) in result.output


def test_the_manifest_prints_on_a4_landscape_and_has_a_mirror_dropdown(tmp_path: Path) -> None:
    folder = init_round(tmp_path / "ronde")
    wb = load_workbook(folder.manifest)
    ws = wb["Manifest"]
    _assert_prints_well(ws, HEADER_ROW)
    letter = _cell("mirror", 0)[0]
    assert ws[f"{letter}{HEADER_ROW}"].value == COLUMNS["mirror"][0]
    dropdowns = [dv for dv in ws.data_validations.dataValidation
                 if f"{letter}{HEADER_ROW + 1}" in dv.sqref]
    assert len(dropdowns) == 1
    assert dropdowns[0].formula1.startswith(f"{quote_sheetname(LISTS)}!$C$1")
    assert [wb[LISTS].cell(r, 3).value for r in (1, 2)] == list(T.MANIFEST_YES_NO)
    # the Toetsing column holds text: Excel does not turn 2027-01-05 into a date there
    assert ws[_cell("id", 1)].number_format == "@"


# --- workbooks with a mirror -----------------------------------------------------------------


def _self_rating_labels(path: Path) -> set[Any]:
    wb = load_workbook(path)
    labels = set()
    for ws in wb.worksheets:
        located = find_columns(ws)
        if located is None:
            continue
        _, cols = located
        assert "self_rating" in cols, ws.title
        labels |= {ws.cell(r, cols["self_rating"]).value for r in norm_rows(ws).values()}
    return labels


def test_mirror_workbooks_are_issued_once_the_self_evaluation_is_in(tmp_path: Path,
                                                                    catalogue: Catalogue
                                                                    ) -> None:
    folder = make_round(tmp_path / "ronde", [
        {**row("2026-001", HOST, "intercollegiaal", REVIEWERS), "mirror": "ja"},
        row("2026-002", "Zonder spiegel (fictief)", "intercollegiaal", REVIEWERS)])
    first = run("round", "issue", str(folder.root))
    assert first.exit_code == 0, first.output
    kinds = {(w.assessment_id, w.kind) for w in load_index(folder).values()}
    assert (("2026-001", Kind.PEER) not in kinds and ("2026-001", Kind.SELF_EVALUATION) in kinds
            and ("2026-002", Kind.PEER) in kinds)
    waiting = [f"2026-001 peer - {name}" for name in ("Buurtwerk Zuid (fictief)",
                                                       "Welzijn Noord (fictief)")]
    status = run("round", "status", str(folder.root)).output
    for label in waiting:
        assert T.MIRROR_WAITING.format(item=label) in first.output
        assert T.MIRROR_WAITING.format(item=label) in status
    # the self-evaluation alone is in and valid: still not ready, the reviews are missing
    self_evaluation = _issued(folder, "2026-001 zelfevaluatie")
    fill_all(folder.root / self_evaluation.file, catalogue, rating="D",
             out=folder.inbox / "zelfevaluatie.xlsx")
    run_one = run("round", "run", str(folder.root))  # issue, then collect: next time
    assert "2026-001 peer" not in " ".join(w.label for w in load_index(folder).values())
    assert T.MIRROR_DUE.format(item=waiting[0]) in run("round", "status", str(folder.root)).output
    assert [e.assessment.id for e, _ in report_round(folder).waiting] == ["2026-001",
                                                                            "2026-002"]
    run_two = run("round", "run", str(folder.root))
    assert run_one.exit_code == run_two.exit_code == 0, run_two.output
    reviews = [w for w in load_index(folder).values()
               if w.assessment_id == "2026-001" and w.kind is Kind.PEER]
    assert sorted(w.label for w in reviews) == waiting
    for review in reviews:
        assert T.CLI_WRITTEN.format(path=review.file) in run_two.output
        # the mirror: the host's own rating beside every norm
        assert _self_rating_labels(folder.root / review.file) == {
            catalogue.rating_scale.by_code["D"].label}
    # a review without a mirror has no such column
    plain = _issued(folder, "2026-002 peer")
    assert all("self_rating" not in (find_columns(ws) or (0, {}))[1]
               for ws in load_workbook(folder.root / plain.file).worksheets)


def test_an_old_manifest_without_the_mirror_column_still_works(tmp_path: Path,
                                                               catalogue: Catalogue) -> None:
    folder = make_round(tmp_path / "ronde", [row("2026-001", HOST, "intercollegiaal",
                                                 REVIEWERS)])
    wb = load_workbook(folder.manifest)
    ws = wb.worksheets[0]
    ws.delete_cols(list(COLUMNS).index("mirror") + 1)
    wb.save(folder.manifest)
    entries, report = read_manifest(folder.manifest, catalogue)
    assert report.flatten() == [] and [e.mirror for e in entries] == [False]
    result, _ = issue_round(folder)
    assert len(result.created) == 3 and not result.waiting


def test_a_mirror_value_that_is_not_yes_or_no_is_refused(tmp_path: Path,
                                                         catalogue: Catalogue) -> None:
    folder = make_round(tmp_path / "ronde", [
        {**row("2026-001", HOST, "intercollegiaal", REVIEWERS), "mirror": "misschien"},
        {**row("2026-002", "Ja (fictief)", "intercollegiaal", REVIEWERS), "mirror": " JA "},
        {**row("2026-003", "Nee (fictief)", "intercollegiaal", REVIEWERS), "mirror": "nee"}])
    entries, report = read_manifest(folder.manifest, catalogue)
    assert report.flatten() == [("manifest-invalid-value", "Manifest", _cell("mirror", 1))]
    assert [(e.assessment.id, e.mirror) for e in entries] == [("2026-002", True),
                                                              ("2026-003", False)]


# --- the console -------------------------------------------------------------------------


def test_status_and_report_never_cut_a_name_silently(tmp_path: Path,
                                                     catalogue: Catalogue) -> None:
    # a long name is cut where its column ends, with "…" to say so, so that the columns
    # after it stay in line (tests/test_status_truth.py); the full name is in the manifest,
    # intake.xlsx and the dashboard
    name = ("Stichting voor Maatschappelijke Dienstverlening, Welzijn en Wijkgericht Werken in "
            "de Regio Midden-Holland (fictief)")
    name = name + "x" * (120 - len(name))
    assert len(name) == 120
    folder = make_round(tmp_path / "ronde", [row("2026-001", name, "zelfevaluatie")])
    assert run("round", "issue", str(folder.root)).exit_code == 0
    status = run("round", "status", str(folder.root))
    assert f"{name[:37]}… " in status.output
    report = run("round", "report", str(folder.root))
    assert f"{name[:37]}… " in report.output  # the waiting line


def test_a_consolidation_in_a_round_names_the_round_as_next_step(
        peer_round: RoundFolder, catalogue: Catalogue) -> None:
    hand_in(peer_round, catalogue)
    assert run("round", "collect", str(peer_round.root)).exit_code == 0
    report_round(peer_round)
    texts = "\n".join(_strings(peer_round.output / "2026-001" / "geconsolideerd.xlsx"))
    assert T.CONS_LOOP_NEXT["round"] in texts and T.CONS_LOOP_NEXT["consolidate"] not in texts


def test_round_texts_count_in_dutch(peer_round: RoundFolder, catalogue: Catalogue) -> None:
    item = _issued(peer_round, "Welzijn Noord")
    _with_mistakes(peer_round, catalogue, item, "ingevuld.xlsx")
    _attachments(peer_round)
    (peer_round.inbox / "kapot.xlsx").write_bytes(b"PK\x03\x04 kapot")
    outputs = [run("round", "issue", str(peer_round.root)).output,
               run("round", "collect", str(peer_round.root)).output,
               run("round", "status", str(peer_round.root)).output]
    texts = [*outputs, *_strings(peer_round.output / "intake.xlsx"),
             *_strings(peer_round.manifest), *_strings(*_copies(peer_round))]
    for text in texts:
        assert not [a for a in dutch.AVOIDED if a in text], text
    # counted nouns: one file, five files; one workbook
    summary = [line for line in outputs[1].splitlines() if line.startswith("Ingenomen")]
    assert summary == [
        T.ROUND_COLLECTED.format(new=dutch.count(1, dutch.Word("nieuwe werkmap",
                                                               "nieuwe werkmappen")),
                                 unchanged="0 bestanden") + "; "
        + T.ROUND_COLLECTED_REJECTED.format(files="1 bestand") + "; "
        + T.ROUND_COLLECTED_SKIPPED.format(files="5 bestanden") + "; "
        + T.ROUND_COLLECTED_INVALID.format(workbooks="1 werkmap") + "."]


def test_two_versions_of_one_workbook_are_one_new_workbook(
        peer_round: RoundFolder, catalogue: Catalogue) -> None:
    # a reviewer mails a first version with mistakes and, later, the corrected one; both lie
    # in the inbox at the first collect: one workbook came in, the first version is history
    item = _issued(peer_round, "Welzijn Noord")
    _with_mistakes(peer_round, catalogue, item, "eerste versie.xlsx", mtime=1_700_000_000)
    fill_all(peer_round.root / item.file, catalogue, out=peer_round.inbox / "verbeterd.xlsx")
    summary = collect_round(peer_round)
    assert summary.result.new == [item.workbook_id]
    assert summary.line().startswith(T.ROUND_COLLECTED.format(
        new=dutch.count(1, dutch.Word("nieuwe werkmap", "nieuwe werkmappen")),
        unchanged="0 bestanden"))
    assert load_receipts(peer_round)[item.workbook_id].source == "verbeterd.xlsx"
    assert len(list((peer_round.received / "2026-001" / "historie").iterdir())) == 1
    assert summary.invalid == 0  # the current version is the corrected one
    again = collect_round(peer_round)  # nothing new: both files counted as files, unchanged
    assert again.result.new == [] and again.result.unchanged == 2
    assert again.line().startswith(T.ROUND_COLLECTED.format(
        new=dutch.count(0, dutch.Word("nieuwe werkmap", "nieuwe werkmappen")),
        unchanged="2 bestanden"))


def _strings(*paths: Path) -> list[str]:
    found = []
    for path in paths:
        for ws in load_workbook(path).worksheets:
            found += [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    return found


# --- on paper (LibreOffice) ------------------------------------------------------------------


def _pdf_text(source: Path, tmp_path: Path) -> tuple[str, int]:
    pdf = soffice_convert(source, tmp_path / "pdf", "pdf", tmp_path / "profiel")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines()
                     if line.startswith("Pages:")))
    return " ".join(text.split()), pages


@pytest.mark.soffice
def test_the_annotated_copy_prints_its_notice_and_problems(peer_round: RoundFolder,
                                                           catalogue: Catalogue,
                                                           tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler (pdftotext) is not installed")
    item = _issued(peer_round, "Welzijn Noord")
    _with_mistakes(peer_round, catalogue, item, "ingevuld.xlsx")
    summary = collect_round(peer_round)
    sub: Submission = summary.result.submissions[item.workbook_id]
    text, _ = _pdf_text(summary.annotated[0], tmp_path)
    notice = T.ANNOTATE_NOTICE.format(problems=problems_text(sub.report), sheet=L.SHEET_CHECK)
    assert " ".join(notice.split()) in text
    for finding in sub.report.findings:
        assert " ".join(finding.message.split()) in text, finding


@pytest.mark.soffice
def test_the_manifest_prints_on_one_page_wide(tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler (pdftotext) is not installed")
    folder = init_round(tmp_path / "ronde")
    text, pages = _pdf_text(folder.manifest, tmp_path)
    assert pages == 1
    for label, _ in COLUMNS.values():
        assert label in text
