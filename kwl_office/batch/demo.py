"""``kwl demo``: a whole round on the example catalogue, with invented organisations.

Issues the workbooks, fills them in code as people would (realistic Dutch answers; one
reviewer makes mistakes so the intake and the annotated copy show; one team of three fills a
shared workbook, each on their own sheet), drops copies in the inbox, collects, consolidates
and reports. Everything is clearly fictional.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind
from kwl_office.atomic import atomic_path
from kwl_office.batch.benchmark import BenchmarkResult, make_benchmark
from kwl_office.batch.folder import DEMO_MARKER, RoundFolder, demo_today, init_round
from kwl_office.batch.intake import row_height
from kwl_office.batch.issue import load_index
from kwl_office.batch.manifest import COLUMNS, FONT_SIZE, HEADER_ROW
from kwl_office.batch.steps import issue_round
from kwl_office.catalogue import normalise_token
from kwl_office.documents.examples import EXAMPLE_SENDER
from kwl_office.errors import RoundError
from kwl_office.excel import layout as L
from kwl_office.excel.reader import sheet_owner

ROWS = [
    ("2026-101", "Stichting Welzijn De Brug (fictief)", "mevrouw J. de Vries",
     "Postbus 123; 1234 AB Voorbeeldstad", "Team Wijkwerk Centrum", "intercollegiaal",
     "Sociaal Werk Noord (fictief); Buurtwerk Zuid (fictief)", "", ""),
    ("2026-102", "Wijkkracht Oost (fictief)", "de heer P. Bakker",
     "Dorpsstraat 1; 4321 BA Oostdorp", "", "intercollegiaal",
     "Welzijn Aan Zee (fictief); Stichting Samen Sterk (fictief); Buurtteam Zuidwest (fictief)",
     "", ""),
    ("2026-103", "Stichting Samen Sterk (fictief)", "mevrouw A. Jansen",
     "Postbus 9; 5678 CD Middenstad", "hele organisatie", "audit", "",
     "CI Kwaliteit & Toetsing (fictief)", ""),
    ("2026-104", "Welzijnswerk Rivierenland (fictief)", "", "Dijkweg 7; 6789 EF Rivierstad",
     "", "hkz-iso", "", "CI Certificering Nederland (fictief)", ""),
    ("2026-105", "Buurtteam Zuidwest (fictief)", "de heer K. Yilmaz", "", "", "zelfevaluatie",
     "", "", ""),
    ("2026-106", "Welzijn Op Maat (fictief)", "mevrouw S. El Amrani",
     "Marktplein 4; 2345 GH Havenstad", "", "intercollegiaal",
     "Sociaal Werk Noord (fictief); Buurtwerk Zuid (fictief); Welzijn Aan Zee (fictief)",
     "", ""),
]
#: the assessments whose peer reviewers share one workbook (manifest column Werkmap)
SHARED = ("2026-106",)
#: invented Organisatie-ids (KvK-like numbers that belong to no real organisation): a later
#: round recognises an organisation by them
ORGANISATION_IDS = {
    "Stichting Welzijn De Brug (fictief)": "99000101",
    "Welzijnswerk Rivierenland (fictief)": "99000104",
}
#: the second demo round, three years later, on the invented later version of the example
#: catalogue: two organisations come back, and their reports say what changed since
SECOND_FOLDER = "ronde-2029"
SECOND_NAME = "Demoronde 2029 (fictief)"
SECOND_DATE = date(2029, 11, 27)
SECOND_CATALOGUE = "voorbeeld-2027"
SECOND_ROWS = [
    ("2029-101", "Stichting Welzijn De Brug (fictief)", "mevrouw J. de Vries",
     "Postbus 123; 1234 AB Voorbeeldstad", "Team Wijkwerk Centrum", "intercollegiaal",
     "Sociaal Werk Noord (fictief); Welzijn Aan Zee (fictief)", "", ""),
    ("2029-104", "Welzijnswerk Rivierenland (fictief)", "", "Dijkweg 7; 6789 EF Rivierstad",
     "", "hkz-iso", "", "CI Certificering Nederland (fictief)", ""),
]
#: how the returning organisations answer now: they worked on their learning points
IMPROVED = (84, 13, 2, 1)
#: where the demo's branch benchmark goes (inside the demo folder)
BENCHMARK_FOLDER = "branchebeeld"
#: the demo has few organisations: its benchmark shows groups of this size (the policy's
#: default is 5; a real benchmark keeps it)
DEMO_MIN_GROUP = 3
#: organisations that are well on their way (their audit leads to a certificate)
STRONG_HOSTS = ("2026-103",)
STRONG = (93, 6, 0, 1)
#: the reviewer whose workbook comes back with mistakes
CARELESS = "Buurtteam Zuidwest (fictief)"

COMMENTS = {
    "V": ["Zichtbaar in de dossiers en in het gesprek met het team.",
          "Goed geregeld; medewerkers konden voorbeelden uit de praktijk noemen.",
          "Vast onderdeel van het werk, ook in de jaarplanning terug te zien."],
    "D": ["Staat op papier, maar wordt nog niet in alle teams toegepast.",
          "In een deel van de dossiers terug te zien; borging ontbreekt nog.",
          "Wordt gedaan, maar niet altijd vastgelegd."],
    "N": ["Nog niet geregeld; staat op de agenda voor volgend jaar.",
          "Geen afspraken over gevonden in de stukken of gesprekken."],
    "NVT": ["Niet van toepassing: de organisatie biedt deze dienst niet aan."],
}
STRENGTHS = ["Betrokken team dat de wijk goed kent.", "Korte lijnen met huisartsen en wijkteam.",
             "Veel aandacht voor de inbreng van vrijwilligers."]
LESSONS = ["Leg afspraken met inwoners vaker schriftelijk vast.",
           "Evalueer de resultaten samen met de gemeente.",
           "Maak de klachtenregeling beter bekend bij inwoners."]


def _fill_manifest(folder: RoundFolder, rows: Sequence[tuple[str, ...]], deadline: date) -> None:
    wb = load_workbook(folder.manifest)
    ws = wb.worksheets[0]
    # 12 pt text: fewer characters per line than the 11 pt row_height counts with
    widths = [width * 11 / FONT_SIZE for _, width in COLUMNS.values()]
    for offset, row in enumerate(rows, start=1):
        for col, value in enumerate(row, start=1):
            ws.cell(HEADER_ROW + offset, col).value = value or None
        # Excel fits a row to what is typed in it; a row written in code must be told
        ws.row_dimensions[HEADER_ROW + offset].height = row_height(
            row, widths, line=FONT_SIZE * 1.35)
    deadline_col = list(COLUMNS).index("deadline") + 1
    workbook_col = list(COLUMNS).index("workbook") + 1
    id_col = list(COLUMNS).index("organisation_id") + 1
    for offset, row in enumerate(rows, start=1):
        ws.cell(HEADER_ROW + offset, deadline_col).value = deadline
        if row[0] in SHARED:
            ws.cell(HEADER_ROW + offset, workbook_col).value = T.MANIFEST_WORKBOOK_MODES[1]
        ws.cell(HEADER_ROW + offset, id_col).value = ORGANISATION_IDS.get(row[1])
    with atomic_path(folder.manifest) as tmp:
        wb.save(tmp)


def find_columns(ws: Any) -> tuple[int, dict[str, int]] | None:
    """(header row, column key → 1-based column) of an openpyxl domain sheet, by label."""
    tokens = {c.token: c.key for k in Kind for c in L.columns_for(k, mirror=True)}
    for row in ws.iter_rows(min_row=1, max_row=L.HEADER_SCAN_ROWS):
        found = {tokens[normalise_token(c.value)]: c.column for c in row
                 if isinstance(c.value, str) and normalise_token(c.value) in tokens}
        if "norm_id" in found and "rating" in found:
            return row[0].row, found
    return None


def fill_like_a_person(source: Path, target: Path, kind: Kind, seed: str,
                       careless: bool = False, weights: tuple[int, ...] = (70, 22, 5, 3)
                       ) -> None:
    """Fill an issued workbook as its organisation would, and save the copy to ``target``.

    In a shared team workbook each reviewer fills their own sheet (found by its "Ingevuld
    door" row, each with their own answers) and the penvoerder the team sheet."""
    shared = random.Random(seed)
    wb = load_workbook(source)
    for ws in wb.worksheets:
        owner = sheet_owner(ws.iter_rows(max_row=L.HEADER_SCAN_ROWS, values_only=True))
        # each reviewer of a team answers for themselves; a one-reviewer workbook is one
        # person's answers throughout
        rnd = random.Random(f"{seed} {owner}") if owner else shared
        located = find_columns(ws)
        if located is None:
            if owner is not None:
                _fill_team_sheet(ws, rnd)
            continue
        header, cols = located
        for r in range(header + 1, ws.max_row + 1):
            if not ws.cell(r, cols["norm_id"]).value:
                continue
            code = rnd.choices(["V", "D", "N", "NVT"], weights=weights)[0]
            typed = rnd.choice({"V": ["Voldoet", "voldoet", "V"], "D": ["Voldoet deels", "D"],
                                "N": ["Voldoet niet"], "NVT": ["n.v.t.", "NVT"]}[code])
            if careless and rnd.random() < 0.08:
                typed = rnd.choice(["goed", "?", "ja", "deels wel"])
            ws.cell(r, cols["rating"]).value = typed
            text = rnd.choice(COMMENTS[code])
            if kind is Kind.SELF_EVALUATION:
                ws.cell(r, cols["comment_self"]).value = text
                if code != "V":
                    ws.cell(r, cols["improvements"]).value = rnd.choice(LESSONS)
                if rnd.random() < 0.12:
                    ws.cell(r, cols["accent"]).value = "ja"
            else:
                ws.cell(r, cols["comment_review"]).value = text
                # a reviewer's sheet of a team workbook has no such columns: the team sheet
                if "strengths" in cols and rnd.random() < 0.3:
                    ws.cell(r, cols["strengths"]).value = rnd.choice(STRENGTHS)
                if "learning_points" in cols and code in ("D", "N"):
                    ws.cell(r, cols["learning_points"]).value = rnd.choice(LESSONS)
    with atomic_path(target) as tmp:
        wb.save(tmp)


def _fill_team_sheet(ws: Any, rnd: random.Random) -> None:
    """What the team says together, as the penvoerder types it after the discussion."""
    labels = {c.label: c.key for c in L.team_sheet_columns()}
    header = {labels[c.value]: c.column for c in ws[L.HEADER_ROW] if c.value in labels}
    if not {"norm_id", "team_strengths", "team_learning_points"} <= set(header):
        return
    for r in range(L.FIRST_DATA_ROW, ws.max_row + 1):
        if not ws.cell(r, header["norm_id"]).value:
            continue
        if rnd.random() < 0.3:
            ws.cell(r, header["team_strengths"]).value = rnd.choice(STRENGTHS)
        if rnd.random() < 0.25:
            ws.cell(r, header["team_learning_points"]).value = rnd.choice(LESSONS)


def prepare_demo(root: Path, echo: Callable[[str], None]) -> RoundFolder:
    """Create (or reuse) the demo round, issue and fill its workbooks into the inbox."""
    folder = RoundFolder(root)
    if not folder.config_path.exists():
        # the demo keeps its own register, inside the demo folder
        init_round(root, name="Demoronde 2026 (fictief)", register="kwaliteitsregister.sqlite",
                   letters=EXAMPLE_SENDER)  # a fictional secretariat signs the demo letters
        (folder.state / DEMO_MARKER).write_text("kwl demo\n", encoding="utf-8")
        _fill_manifest(folder, ROWS, date(2027, 1, 15))
        echo(T.DEMO_INIT.format(path=root))
    elif not (folder.state / DEMO_MARKER).exists():
        raise RoundError(T.DEMO_NOT_DEMO.format(path=root))
    _issue_and_fill(folder, echo, T.DEMO_FILLED)
    return folder


def prepare_second_round(first: RoundFolder, echo: Callable[[str], None]) -> RoundFolder:
    """Create (or reuse) the demo's second round inside the first one's folder: three years
    later, on the later catalogue version, with the first round's register (so the reports
    compare with the previous assessment through the shipped mapping)."""
    folder = RoundFolder(first.root / SECOND_FOLDER)
    if not folder.config_path.exists():
        init_round(folder.root, name=SECOND_NAME, catalogue=SECOND_CATALOGUE,
                   register=f"../{first.config().kwaliteitsregister}",
                   letters=EXAMPLE_SENDER)
        (folder.state / DEMO_MARKER).write_text(f"kwl demo {SECOND_DATE.isoformat()}\n",
                                                encoding="utf-8")
        _fill_manifest(folder, SECOND_ROWS, date(2030, 1, 15))
        echo(T.DEMO_SECOND_INIT.format(path=folder.root))
    elif not (folder.state / DEMO_MARKER).exists():
        raise RoundError(T.DEMO_NOT_DEMO.format(path=folder.root))
    _issue_and_fill(folder, echo, T.DEMO_SECOND_FILLED, weights=IMPROVED)
    return folder


def demo_benchmark(rounds: list[RoundFolder]) -> BenchmarkResult:
    """The branch benchmark over the demo's rounds, in the first round's folder. The demo has
    few organisations, so it shows groups from :data:`DEMO_MIN_GROUP` (said in its
    documents); the second round's two organisations stay suppressed."""
    first = rounds[0]
    return make_benchmark([r.root for r in rounds], first.root / BENCHMARK_FOLDER,
                          min_group=DEMO_MIN_GROUP, allow_small=True,
                          today=demo_today(rounds[-1]))


def _issue_and_fill(folder: RoundFolder, echo: Callable[[str], None], filled: str, *,
                    weights: tuple[int, ...] = (70, 22, 5, 3)) -> None:
    result, _ = issue_round(folder, today=demo_today(folder))
    echo(result.line())
    if any(folder.inbox.iterdir()):
        return
    for item in load_index(folder).values():
        source = folder.root / item.file
        who = T.DEMO_TEAM if item.reviewers else item.reviewer or "zelfevaluatie"
        target = folder.inbox / f"{item.assessment_id} ingevuld door {who}.xlsx"
        fill_like_a_person(source, target, item.kind, f"{item.assessment_id} {who}",
                           careless=item.reviewer == CARELESS,
                           weights=STRONG if item.assessment_id in STRONG_HOSTS else weights)
    echo(filled)
