"""The round's manifest: one row per assessment, filled by the secretariat in Excel.

Read back with the same findings model as workbooks: a bad row is reported with its cell and
skipped, never fatal for the others. Input that is usable but probably not what was meant (too
few reviewers, a Toetsing that Excel turned into a date, an empty manifest) is a warning at its
cell; the row is still issued.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from kwl_office import texts_nl as T
from kwl_office.assessment import Assessment, Organisation, Variant, Verdict
from kwl_office.atomic import save_atomic
from kwl_office.catalogue import Catalogue, normalise_token
from kwl_office.errors import CorruptFile
from kwl_office.excel.container import open_workbook_file
from kwl_office.excel.sheets import SheetSource, cell_ref, cell_text
from kwl_office.excel.style import (
    FONT_NAME,
    PAGE_OF,
    TITLE_FONT,
    header_cells,
    list_validation,
    print_setup,
)
from kwl_office.findings import Report, make_finding
from kwl_office.names import (
    ASSESSMENT_ID_ALPHABET,
    clean_text,
    control_character,
    id_key,
    name_key,
    tidy_name,
    valid_assessment_id,
)

SHEET = "Manifest"
LISTS = "_lijsten"
HEADER_ROW = 3
#: column key → (header label, width). Together they fit an A4 landscape page at about 70 %
#: (also where a wide replacement of Calibri is used), so the manifest's 12 pt text prints at
#: 8 pt or more; new columns go at the end, so manifests without them still read.
COLUMNS: dict[str, tuple[str, int]] = {
    "id": ("Toetsing", 9),
    "host": ("Organisatie", 16),
    "contact": ("Contactpersoon", 16),
    "address": ("Adres", 12),
    "scope": ("Scope", 9),
    "variant": ("Variant", 15),
    "reviewers": ("Beoordelaars", 15),
    "ci": ("CI", 12),
    "deadline": ("Inleverdatum", 14),
    "decision": ("Besluit", 9),
    "decision_date": ("Besluitdatum", 14),
    "mirror": ("Spiegel", 9),
    "workbook": ("Werkmap", 11),
    "organisation_id": ("Organisatie-id", 14),
}
#: text size of the manifest (points): printed at ~70 % it stays readable
FONT_SIZE = 12
REQUIRED = ("id", "host", "variant")
DATE_COLUMNS = ("deadline", "decision_date")
#: rows of the template that get dropdowns and formats
TEMPLATE_ROWS = 500
#: what people type for Spiegel (normalised), and what it means; empty is "nee"
_YES = frozenset({"ja", "j", "yes", "y", "x", "1", "true", "waar"})
_NO = frozenset({"nee", "n", "no", "0", "false", "onwaar"})
_SPLIT = re.compile(r"\s*[;\n]\s*")
#: what people type for Werkmap (normalised) → shared; empty is "per beoordelaar"
_MODES = {normalise_token(T.MANIFEST_WORKBOOK_MODES[0]): False,
          normalise_token(T.MANIFEST_WORKBOOK_MODES[1]): True, "": False}


@dataclass
class ManifestEntry:
    """One assessment of the round, as the manifest describes it."""

    assessment: Assessment
    organisation: Organisation
    reviewers: list[str] = field(default_factory=list)
    ci: str = ""
    deadline: date | None = None
    #: the beheercommissie's decision; None: follow the advice
    decision: Verdict | None = None
    #: the day the committee decided (letters say "besloot op" only with this date)
    decision_date: date | None = None
    row: int = 0
    #: issue the peer and audit workbooks only with the self-evaluation beside each norm
    #: (manifest column Spiegel), so only once the self-evaluation is in and valid
    mirror: bool = False
    #: one shared team workbook for the peer reviewers (manifest column Werkmap = gedeeld);
    #: only when there are two or more of them (else a warning, issued per reviewer)
    shared: bool = False
    #: who the organisation is across rounds (manifest column Organisatie-id, e.g. its KvK
    #: number); empty: it is recognised by its name (see :attr:`organisation_key`)
    organisation_id: str = ""
    #: where the row is: its sheet and, per column key, its cell (for findings at issue time)
    sheet: str = SHEET
    cells: dict[str, str] = field(default_factory=dict)

    @property
    def peer_reviewers(self) -> list[str]:
        """The colleague organisations that review (intercollegiaal and combinatie)."""
        if self.assessment.variant in (Variant.PEER_REVIEW, Variant.COMBINATION):
            return list(self.reviewers)
        return []

    def fingerprint_data(self) -> dict[str, Any]:
        """What a change in the manifest row means for outputs (for skipping unchanged)."""
        return {"assessment": self.assessment.model_dump(mode="json"),
                "organisation": self.organisation.model_dump(mode="json"),
                "reviewers": self.reviewers, "ci": self.ci,
                "decision": self.decision.value if self.decision else None,
                "decision_date": self.decision_date.isoformat() if self.decision_date else None,
                "organisation_id": self.organisation_id}


def write_manifest_template(path: Path, catalogue: Catalogue) -> Path:
    """An empty manifest with headers, dropdowns, an explanation row and a print setup (A4
    landscape, fit to the width, the header row on every page)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    ws["A1"] = T.MANIFEST_TITLE
    ws["A1"].font = TITLE_FONT
    ws["A2"] = T.MANIFEST_HELP
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws["A2"].font = Font(name=FONT_NAME, size=FONT_SIZE)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLUMNS))
    # the help wraps over the width of the table (12 pt: about a character per width unit)
    lines = -(-len(T.MANIFEST_HELP) // int(sum(w for _, w in COLUMNS.values()) * 0.95))
    ws.row_dimensions[2].height = 16 * lines + 4
    header_cells(ws, HEADER_ROW, [label for label, _ in COLUMNS.values()],
                 widths=[width for _, width in COLUMNS.values()])
    for column in range(1, len(COLUMNS) + 1):
        # the house header is 10 pt; the manifest prints at ~70 %, so it is larger here
        ws.cell(HEADER_ROW, column).font = Font(name=FONT_NAME, bold=True, color="FFFFFF",
                                                size=FONT_SIZE)
    ws.row_dimensions[HEADER_ROW].height = 20
    lists = wb.create_sheet(LISTS)
    for row, variant in enumerate(Variant, start=1):
        lists.cell(row, 1, variant.value)
    for row, verdict in enumerate(Verdict, start=1):
        lists.cell(row, 2, verdict.value)
    for row, answer in enumerate(T.MANIFEST_YES_NO, start=1):
        lists.cell(row, 3, answer)
    for row, mode in enumerate(T.MANIFEST_WORKBOOK_MODES, start=1):
        lists.cell(row, 4, mode)
    lists.sheet_state = "hidden"
    _add_dropdowns(ws)
    _format_input_rows(ws)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{HEADER_ROW}"
    if catalogue.is_example:
        # within the table's width, wrapped: text running past the last column would widen
        # the printed page and shrink everything on it
        note = ws.cell(1, 6, T.EXAMPLE_NOTE)
        note.font = Font(name=FONT_NAME, italic=True, color="C00000", size=FONT_SIZE)
        note.alignment = Alignment(wrap_text=True, horizontal="right", vertical="top")
        ws.merge_cells(start_row=1, start_column=6, end_row=1, end_column=len(COLUMNS))
        ws.row_dimensions[1].height = 34
    print_setup(ws, title_row=HEADER_ROW, header=(T.MANIFEST_TITLE, catalogue.title),
                footer=(T.MANIFEST_PRINT_FOOTER, PAGE_OF))
    save_atomic(path, wb.save)  # in memory first: see save_atomic
    return path


def _letter(key: str) -> str:
    letter: str = get_column_letter(list(COLUMNS).index(key) + 1)
    return letter


def _add_dropdowns(ws: Worksheet) -> None:
    for key, formula in (("variant", f"$A$1:$A${len(Variant)}"),
                         ("decision", f"$B$1:$B${len(Verdict)}"),
                         ("mirror", f"$C$1:$C${len(T.MANIFEST_YES_NO)}"),
                         ("workbook", f"$D$1:$D${len(T.MANIFEST_WORKBOOK_MODES)}")):
        dv = list_validation(f"{quote_sheetname(LISTS)}!{formula}")
        dv.add(f"{_letter(key)}{HEADER_ROW + 1}:{_letter(key)}{TEMPLATE_ROWS}")
        ws.add_data_validation(dv)


def _format_input_rows(ws: Worksheet) -> None:
    font = Font(name=FONT_NAME, size=FONT_SIZE)
    wrap = Alignment(wrap_text=True, vertical="top")
    formats = {_letter(key): "yyyy-mm-dd" for key in DATE_COLUMNS}
    # text: Excel would turn a typed 2027-01-05 into a date
    formats[_letter("id")] = "@"
    formats[_letter("organisation_id")] = "@"  # a KvK number keeps its leading zero
    for row in range(HEADER_ROW + 1, TEMPLATE_ROWS + 1):
        for index in range(1, len(COLUMNS) + 1):
            cell = ws.cell(row, index)
            cell.font, cell.alignment = font, wrap
            cell.number_format = formats.get(cell.column_letter, "General")


def read_manifest(path: Path, catalogue: Catalogue | None = None
                  ) -> tuple[list[ManifestEntry], Report]:
    """The manifest's valid rows, and findings: errors for the rows that were skipped,
    warnings for rows that are issued but probably not as meant (with ``catalogue``: an
    intercollegiale adviesmeting with fewer reviewers than its policy's minimum)."""
    book = SheetSource(open_workbook_file(path))
    if not book.names:
        raise CorruptFile(path, T.UNREADABLE["unreadable"].format(detail=SHEET))
    name = SHEET if SHEET in book.names else book.names[0]
    rows = book.rows(name)
    report = Report()
    header, cols = _find_header(rows)
    if header is None:
        report.add(make_finding("missing-header", sheet=name, cell=None,
                                label=COLUMNS["id"][0]))
        return [], report
    entries: list[ManifestEntry] = []
    seen: dict[str, str] = {}
    filled = 0
    for r in range(header + 1, len(rows)):
        row = rows[r]

        def value(key: str, row: list[Any] = row) -> Any:
            c = cols.get(key)
            return row[c] if c is not None and c < len(row) else None

        def ref(key: str, r: int = r) -> str | None:
            c = cols.get(key)
            return cell_ref(r, c) if c is not None else None

        texts = {k: cell_text(value(k)) for k in COLUMNS}
        if not any(texts.values()):
            continue
        filled += 1
        entry = _entry(texts, value, ref, name, r, report, seen)
        if entry is not None:
            seen[id_key(entry.assessment.id)] = ref("id") or ""
            entry.cells = {key: cell_ref(r, c) for key, c in cols.items()}
            _warn(entry, catalogue, report)
            entries.append(entry)
    if not filled:
        # "0 nieuw" alone does not say why: name the manifest and where its rows go
        report.add(make_finding("manifest-empty", sheet=name, cell=cell_ref(header + 1, 0),
                                file=str(path), row=header + 2))
    return entries, report


def _warn(entry: ManifestEntry, catalogue: Catalogue | None, report: Report) -> None:
    """Warnings for a row that is issued but probably not as meant."""
    if entry.shared and len(entry.peer_reviewers) < 2:
        # a team of one is no team: the row is issued per reviewer (an audit's CI keeps
        # its own workbook anyway)
        report.add(make_finding("manifest-shared-too-few", sheet=entry.sheet,
                                cell=entry.cells.get("workbook"),
                                variant=entry.assessment.variant.value,
                                count=len(entry.peer_reviewers)))
        entry.shared = False
    if catalogue is None or entry.assessment.variant is not Variant.PEER_REVIEW:
        return
    minimum = catalogue.policy.min_reviewers
    if len(entry.reviewers) < minimum:
        # issued anyway (a reviewer may be added later), but it would end as onvolledig
        report.add(make_finding("manifest-too-few-reviewers", sheet=entry.sheet,
                                cell=entry.cells.get("reviewers"), minimum=minimum,
                                count=len(entry.reviewers)))


def _find_header(rows: list[list[Any]]) -> tuple[int | None, dict[str, int]]:
    tokens = {normalise_token(label): key for key, (label, _) in COLUMNS.items()}
    for r, row in enumerate(rows[:20]):
        found = {tokens[t]: c for c, v in enumerate(row)
                 if isinstance(v, str) and (t := normalise_token(v)) in tokens}
        if "id" in found and "host" in found:
            return r, found
    return None, {}


def _entry(texts: dict[str, str], value: Any, ref: Any, sheet: str, r: int, report: Report,
           seen: dict[str, str]) -> ManifestEntry | None:
    raw_id = value("id")
    if isinstance(raw_id, date):
        # Excel turned a typed 2027-01-05 into a date; the day is what was typed
        day = raw_id.date() if isinstance(raw_id, datetime) else raw_id
        texts = {**texts, "id": day.isoformat()}
        report.add(make_finding("manifest-date-as-id", sheet=sheet, cell=ref("id"),
                                value=texts["id"]))
    for key, text in texts.items():
        char = control_character(text)
        if char is not None:
            # an escape or bell in a name would reach workbooks, letters and terminals
            report.add(make_finding("manifest-control-character", sheet=sheet, cell=ref(key),
                                    label=COLUMNS[key][0], char=char))
            return None
    ok = True
    for key in REQUIRED:
        if not texts[key]:
            report.add(make_finding("manifest-missing-value", sheet=sheet, cell=ref(key),
                                    label=COLUMNS[key][0], row=r + 1))
            ok = False
    if not ok:
        return None
    assessment_id = texts["id"].strip()
    if not valid_assessment_id(assessment_id):
        # ids become folder and file names: only a safe alphabet, so no two ids share one
        report.add(make_finding("manifest-invalid-value", sheet=sheet, cell=ref("id"),
                                label=COLUMNS["id"][0], value=assessment_id,
                                allowed=ASSESSMENT_ID_ALPHABET))
        return None
    if id_key(assessment_id) in seen:
        report.add(make_finding("manifest-duplicate-id", sheet=sheet, cell=ref("id"),
                                value=assessment_id, first=seen[id_key(assessment_id)]))
        return None
    variant = _variant(texts["variant"])
    if variant is None:
        report.add(make_finding("manifest-invalid-value", sheet=sheet, cell=ref("variant"),
                                label=COLUMNS["variant"][0], value=texts["variant"],
                                allowed=", ".join(v.value for v in Variant)))
        return None
    host = tidy_name(texts["host"])
    reviewers = [tidy_name(name) for name in _SPLIT.split(texts["reviewers"]) if tidy_name(name)]
    ci = tidy_name(texts["ci"])
    needs_reviewers = variant in (Variant.PEER_REVIEW, Variant.COMBINATION)
    needs_ci = variant in (Variant.AUDIT, Variant.COMBINATION, Variant.HKZ_ISO)
    if (needs_reviewers and not reviewers) or (needs_ci and not ci):
        key = "reviewers" if needs_reviewers and not reviewers else "ci"
        report.add(make_finding("manifest-missing-value", sheet=sheet, cell=ref(key),
                                label=COLUMNS[key][0], row=r + 1))
        return None
    if not _names_ok(host, reviewers, ci, sheet, ref, report):
        return None
    dates: dict[str, date | None] = {}
    for key in DATE_COLUMNS:
        dates[key] = _date(value(key))
        if texts[key] and dates[key] is None:
            report.add(make_finding("manifest-invalid-value", sheet=sheet, cell=ref(key),
                                    label=COLUMNS[key][0], value=texts[key],
                                    allowed="JJJJ-MM-DD"))
            return None
    verdicts = {normalise_token(v.value): v for v in Verdict}
    decision = verdicts.get(normalise_token(texts["decision"]))
    if texts["decision"] and decision is None:
        report.add(make_finding("manifest-invalid-value", sheet=sheet, cell=ref("decision"),
                                label=COLUMNS["decision"][0], value=texts["decision"],
                                allowed=", ".join(v.value for v in Verdict)))
        return None
    mirror = normalise_token(texts["mirror"])
    if mirror not in _YES | _NO | {""}:
        report.add(make_finding("manifest-invalid-value", sheet=sheet, cell=ref("mirror"),
                                label=COLUMNS["mirror"][0], value=texts["mirror"],
                                allowed=" of ".join(T.MANIFEST_YES_NO)))
        return None
    mode = normalise_token(texts["workbook"])
    if mode not in _MODES:
        report.add(make_finding("manifest-invalid-value", sheet=sheet, cell=ref("workbook"),
                                label=COLUMNS["workbook"][0], value=texts["workbook"],
                                allowed=" of ".join(T.MANIFEST_WORKBOOK_MODES)))
        return None
    return ManifestEntry(
        assessment=Assessment(id=assessment_id, host=host, variant=variant,
                              scope=clean_text(texts["scope"])),
        organisation=Organisation(name=host, contact=clean_text(texts["contact"]),
                                  address=tuple(clean_text(x) for x in
                                                _SPLIT.split(texts["address"]) if x.strip())),
        reviewers=reviewers, ci=ci, deadline=dates["deadline"], decision=decision,
        decision_date=dates["decision_date"], row=r + 1, mirror=mirror in _YES,
        shared=_MODES[mode], organisation_id=clean_text(texts["organisation_id"]), sheet=sheet)


def _names_ok(host: str, reviewers: list[str], ci: str, sheet: str, ref: Any,
              report: Report) -> bool:
    """Names are identities: no reviewer twice, and the host never reviews itself."""
    seen: set[str] = set()
    for key, names in (("reviewers", reviewers), ("ci", [ci] if ci else [])):
        for name in names:
            if name_key(name) == name_key(host):
                report.add(make_finding("manifest-self-review", sheet=sheet, cell=ref(key),
                                        value=name, label=COLUMNS[key][0]))
                return False
            if key == "reviewers" and name_key(name) in seen:
                report.add(make_finding("manifest-duplicate-reviewer", sheet=sheet,
                                        cell=ref(key), value=name))
                return False
            seen.add(name_key(name))
    return True


def _variant(text: str) -> Variant | None:
    token = normalise_token(text)
    for variant in Variant:
        if token in (normalise_token(variant.value),
                     normalise_token(T.VARIANT_LABELS[variant.value])):
            return variant
    aliases = {"peer": Variant.PEER_REVIEW, "intercollegialeadviesmeting": Variant.PEER_REVIEW,
               "externeaudit": Variant.AUDIT, "combinatietoets": Variant.COMBINATION,
               "hkz": Variant.HKZ_ISO, "iso": Variant.HKZ_ISO, "hkziso": Variant.HKZ_ISO}
    return aliases.get(token)


def _date(raw: Any) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = cell_text(raw)
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None
