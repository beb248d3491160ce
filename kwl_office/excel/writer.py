"""Build the workbooks people fill in: self-evaluation, peer review and audit.

One layout contract (:mod:`kwl_office.excel.layout`) drives every kind. The workbook has a
start sheet (cover, instructions, legend, live progress), one sheet per domain, an overview
with live counts, and two hidden sheets: the dropdown lists and the signed identity.
Longer than 600 lines: the sheets of one workbook share its layout and formulas; the house
style, the layout contract and the reading helpers live in their own modules.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import DataBarRule, FormulaRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office._version import __version__
from kwl_office.assessment import Identity, Kind, NormResponse, NormScope, Submission
from kwl_office.atomic import write_bytes_atomic
from kwl_office.catalogue import (
    Catalogue,
    Domain,
    Norm,
    QualityValue,
)
from kwl_office.catalogue.carry import CarryOver
from kwl_office.errors import InvalidArgument
from kwl_office.excel import layout as L
from kwl_office.excel.cells import set_value
from kwl_office.excel.macros import Button, make_macro_enabled, team_sheet_buttons
from kwl_office.excel.style import (
    BODY_FONT,
    BRAND,
    BRAND_LIGHT,
    CENTER_TOP,
    FONT_NAME,
    GRID,
    ID_FONT,
    INPUT_FILL,
    LABEL_FONT,
    LOCKED,
    LOCKED_FILL,
    MIRROR_FILL,
    MIRROR_FONT_COLOUR,
    NOTE_FONT,
    PAGE_OF,
    SECTION_FONT,
    SUBTITLE_FONT,
    TITLE_FONT,
    UNLOCKED,
    WRAP_TOP,
    CellStyle,
    fit_row_height,
    header_cells,
    level_count_formula,
    level_match_formula,
    lines_height,
    list_validation,
    print_setup,
    protect,
    register_named_styles,
    text_lines,
    yes_count_formula,
)
from kwl_office.identity import sign
from kwl_office.names import ASSESSMENT_ID_ALPHABET, same_name, tidy_name, valid_assessment_id

#: spare rows below the last norm that the overview formulas still count (inserted rows)
SPARE_ROWS = 20


@dataclass(frozen=True)
class WorkbookSpec:
    """What a workbook is for: its kind, the assessment, who fills it in and about whom."""

    kind: Kind
    assessment_id: str
    host: str
    reviewer: str = ""
    deadline: date | None = None
    distinctive_only: bool = False
    #: a shared team workbook: every reviewer of the team (two or more), in sheet order; the
    #: first is the penvoerder who fills in the team sheet
    reviewers: tuple[str, ...] = ()


def write_workbook(
    path: str | Path,
    spec: WorkbookSpec,
    catalogue: Catalogue,
    *,
    key: bytes,
    mirror: Submission | None = None,
    workbook_id: str | None = None,
    issued_at: datetime | None = None,
    macros: bool = False,
    carry: CarryOver | None = None,
) -> Identity:
    """Write a workbook for ``spec`` to ``path`` (atomically) and return its signed identity.

    ``mirror`` is the host's filled self-evaluation: its rating and onderbouwing are shown
    read-only beside each norm of a peer or audit workbook (the *spiegel*). With ``macros``
    the workbook is an ``.xlsm`` with the check macro and its buttons on the start sheet
    (:func:`workbook_package`). ``carry`` (a self-evaluation only) pre-fills it from the
    previous self-evaluation (:func:`~kwl_office.catalogue.carry.carry_over`).
    """
    if spec.kind is Kind.SELF_EVALUATION:
        mirror = None
    else:
        carry = None
    identity = signed_identity(spec, catalogue, key=key, workbook_id=workbook_id,
                               issued_at=issued_at)
    package = workbook_package(build_workbook(identity, catalogue, mirror=mirror, carry=carry),
                               macros=macros)
    write_bytes_atomic(path, package)
    return identity


def workbook_path(path: str | Path, *, macros: bool) -> Path:
    """``path`` with the suffix Excel expects: ``.xlsm`` with macros, else ``.xlsx``.

    Excel refuses a macro workbook named ``.xlsx`` and a plain one named ``.xlsm``; another
    suffix (or none) gets the right one added.
    """
    path = Path(path)
    suffix = ".xlsm" if macros else ".xlsx"
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return path.with_suffix(suffix)
    return path.with_name(path.name + suffix)


#: the buttons of the start sheet in a workbook with macros (``macros/KwlControle.bas``)
CHECK_BUTTONS = (
    Button(T.BUTTON_CHECK, "Controleer", (4, 4, 6, 5), description=T.BUTTON_CHECK_HELP),
    Button(T.BUTTON_NEXT_OPEN, "VolgendeOpen", (4, 7, 6, 8), colour="2E75B6",
           description=T.BUTTON_NEXT_OPEN_HELP),
)


def workbook_package(wb: Workbook, *, macros: bool = False) -> bytes:
    """The saved workbook as bytes; with ``macros`` an ``.xlsm`` carrying ``KwlControle``."""
    buffer = io.BytesIO()
    wb.save(buffer)
    if not macros:
        return buffer.getvalue()
    return make_macro_enabled(buffer.getvalue(), ["KwlControle"],
                              {L.SHEET_START: CHECK_BUTTONS, **team_sheet_buttons(wb)})


def signed_identity(
    spec: WorkbookSpec,
    catalogue: Catalogue,
    *,
    key: bytes,
    workbook_id: str | None = None,
    issued_at: datetime | None = None,
) -> Identity:
    """The signed identity a new workbook for ``spec`` gets.

    Checks that the names are not empty, that the assessment id is in the safe alphabet
    (:mod:`kwl_office.names`) and that nobody reviews their own organisation.
    """
    # names are signed as the reader will see them: composed, without stray or doubled spaces
    host, reviewer = tidy_name(spec.host), tidy_name(spec.reviewer)
    team = tuple(tidy_name(name) for name in spec.reviewers)
    assessment_id = spec.assessment_id.strip()
    named = team or (reviewer,)
    for label, value in ((T.LABEL_HOST, host), (T.LABEL_ASSESSMENT, assessment_id)) + (
            tuple((T.LABEL_REVIEWER_PEER, name) for name in named)
            if spec.kind.is_review else ()):
        if not value:
            raise InvalidArgument(T.EMPTY_ARGUMENT.format(label=label))
    if not valid_assessment_id(assessment_id):
        raise InvalidArgument(T.BAD_ASSESSMENT_ID.format(value=assessment_id,
                                                         allowed=ASSESSMENT_ID_ALPHABET))
    if team:
        if not spec.kind.is_review or len(team) < 2:
            raise InvalidArgument(T.TEAM_TOO_SMALL)
        for index, name in enumerate(team):
            if any(same_name(name, other) for other in team[:index]):
                raise InvalidArgument(T.TEAM_REVIEWER_TWICE.format(reviewer=name))
    if spec.kind.is_review:
        for name in named:
            if same_name(name, host):
                raise InvalidArgument(T.SELF_REVIEW_ARGUMENT.format(reviewer=name))
    return sign(
        Identity(
            layout_version=L.LAYOUT_VERSION,
            kind=spec.kind,
            workbook_id=workbook_id or str(uuid.uuid4()),
            assessment_id=assessment_id,
            host=host,
            reviewer=reviewer if spec.kind.is_review and not team else "",
            reviewers=team,
            catalogue_id=catalogue.id,
            catalogue_version=catalogue.version,
            catalogue_fingerprint=catalogue.fingerprint,
            norm_scope=NormScope.DISTINCTIVE if spec.distinctive_only else NormScope.ALL,
            deadline=spec.deadline.isoformat() if spec.deadline else "",
            issued_at=(issued_at or datetime.now(UTC)).replace(microsecond=0).isoformat(),
            tool_version=__version__,
        ),
        key,
    )


def build_workbook(
    identity: Identity, catalogue: Catalogue, *, mirror: Submission | None = None,
    carry: CarryOver | None = None,
) -> Workbook:
    """The openpyxl workbook for a signed identity (not yet saved); ``carry``: the answers
    a self-evaluation starts with (not for a team workbook)."""
    if identity.is_team:
        from kwl_office.excel.team import build_team_workbook  # team.py builds on this module

        return build_team_workbook(identity, catalogue, mirror=mirror)
    wb = Workbook()
    start = wb.active
    assert start is not None
    start.title = L.SHEET_START
    domains = L.selected_domains(catalogue, identity.norm_scope)
    columns = L.columns_for(identity.kind, mirror=mirror is not None)

    register_styles(wb)
    lists = write_lists(wb, catalogue)
    domain_sheets: list[tuple[Domain, Worksheet, int]] = []
    for domain, norms in domains:
        ws = wb.create_sheet(L.domain_sheet_name(domain))
        last = _write_domain_sheet(ws, identity, catalogue, domain, norms, columns, lists,
                                   mirror, carry)
        domain_sheets.append((domain, ws, last))
    overview = wb.create_sheet(L.SHEET_OVERVIEW)
    _, total_row = write_overview(overview, identity, catalogue,
                                  [(d.title, ws, last) for d, ws, last in domain_sheets],
                                  columns)
    write_start(start, identity, catalogue, [("", total_row)],
                note=carry.summary() if carry is not None else "", mirror=mirror is not None)
    return finish_workbook(wb, identity, catalogue, start, lists)


def finish_workbook(wb: Workbook, identity: Identity, catalogue: Catalogue, start: Worksheet,
                    lists: Worksheet) -> Workbook:
    """The identity sheet, the hidden sheets at the end, the start sheet first and active,
    recalculation on open and the document properties."""
    write_identity(wb, identity)
    # hidden sheets at the end, never active; the start sheet opens first
    wb.move_sheet(lists, offset=len(wb.sheetnames))
    wb.active = 0
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is start
    wb.calculation.fullCalcOnLoad = True
    props = wb.properties
    title = T.KIND_TITLES[identity.kind.value] + (T.TEAM_TITLE_SUFFIX if identity.is_team
                                                  else "")
    props.title = f"{title} – {identity.host}"
    props.subject = catalogue.title
    props.creator = f"kwl_office {__version__}"
    return wb


# --- hidden sheets ---------------------------------------------------------------------------


def write_lists(wb: Workbook, catalogue: Catalogue) -> Worksheet:
    ws = wb.create_sheet(L.SHEET_LISTS)
    for row, label in enumerate(catalogue.rating_scale.labels, start=1):
        ws.cell(row, 1, label)
    ws.cell(1, 2, T.YES)
    ws.cell(2, 2, T.NO)
    # for the check macro: what the reader accepts as a rating, and the text length limit
    tokens = catalogue.rating_scale.accepted_tokens
    for row, token in enumerate(tokens, start=1):
        ws.cell(row, 4, token).data_type = "s"
    ws.cell(1, 6, catalogue.policy.max_text_length)
    sheet = quote_sheetname(L.SHEET_LISTS)
    wb.defined_names[L.NAME_RATING_TOKENS] = DefinedName(
        L.NAME_RATING_TOKENS, attr_text=f"{sheet}!$D$1:$D${len(tokens)}")
    wb.defined_names[L.NAME_MAX_TEXT] = DefinedName(L.NAME_MAX_TEXT, attr_text=f"{sheet}!$F$1")
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    return ws


def write_identity(wb: Workbook, identity: Identity) -> None:
    ws = wb.create_sheet(L.SHEET_IDENTITY)
    data = identity.signed_fields()
    data["signature"] = identity.signature
    keys = [key for key in L.IDENTITY_KEYS if key in data]  # "reviewers" only for a team
    for row, key in enumerate(keys, start=1):
        ws.cell(row, 1, key)
        # explicit string cells: an id like "2026-014" must not become a date or number
        cell = ws.cell(row, 2, data[key])
        cell.data_type = "s"
        wb.custom_doc_props.append(StringProperty(name=L.PROPERTY_PREFIX + key, value=data[key]))
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


# --- domain sheets ---------------------------------------------------------------------------


def _write_domain_sheet(
    ws: Worksheet,
    identity: Identity,
    catalogue: Catalogue,
    domain: Domain,
    norms: Sequence[tuple[QualityValue, Norm]],
    columns: Sequence[L.Column],
    lists: Worksheet,
    mirror: Submission | None,
    carry: CarryOver | None = None,
) -> int:
    last_col = get_column_letter(len(columns))
    write_title(ws, domain.title, [c.width for c in columns])
    write_subtitle(ws, subtitle(identity), [c.width for c in columns])
    if domain.description:
        # merged cells are never fitted to their text by Excel: the height is computed
        span = min(len(columns), 6)
        ws["A3"] = domain.description
        ws["A3"].font = Font(name=FONT_NAME, size=TEXT_SIZE, italic=True, color="595959")
        ws["A3"].alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(f"A3:{get_column_letter(span)}3")
        width = sum(c.width for c in columns[:span])
        fit_row_height(ws, 3, lines_height(text_lines(domain.description, width,
                                                      size=TEXT_SIZE), size=TEXT_SIZE))

    header_row = L.HEADER_ROW
    header_cells(ws, header_row, [c.label for c in columns], widths=[c.width for c in columns])
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(header_row, index)
        if column.role is L.Role.MIRROR:
            cell.fill = PatternFill("solid", fgColor="7F7F7F")
        note = T.HEADER_NOTES.get(column.key)
        if note:
            cell.comment = Comment(note, "kwl")
    fit_row_height(ws, header_row, lines_height(max(
        text_lines(c.label, c.width, size=TEXT_SIZE, bold=True) for c in columns),
        size=TEXT_SIZE))

    mirror_responses = mirror.responses if mirror else {}
    for offset, (value, norm) in enumerate(norms):
        write_norm_row(ws, L.FIRST_DATA_ROW + offset, value, norm, columns, catalogue,
                       mirror_responses.get(norm.id),
                       carried=carry.answers.get(norm.id) if carry else None,
                       previous=carry.previous.get(norm.id, "") if carry else "")
    last_row = L.FIRST_DATA_ROW + len(norms) - 1
    add_validations(ws, columns, lists, catalogue, last_row)
    add_rating_colours(ws, columns, catalogue, last_row)

    ws.freeze_panes = ws.cell(L.FIRST_DATA_ROW, 2)
    ws.auto_filter.ref = f"A{header_row}:{last_col}{last_row}"
    protect(ws)
    sheet_print_setup(ws, identity, domain.title, header_row,
                      print_area=f"A1:{last_col}{last_row}")
    return last_row


def write_norm_row(ws: Worksheet, row: int, value: QualityValue, norm: Norm,
                   columns: Sequence[L.Column], catalogue: Catalogue,
                   own: NormResponse | None, *, carried: NormResponse | None = None,
                   previous: str = "") -> None:
    """One norm row: the norm's texts in the locked columns, empty inputs to type in, and the
    host's own rating and text in the mirror columns (``own``: its self-evaluation answer).

    A carried-over self-evaluation fills the inputs with ``carried`` (the previous answer of
    an unchanged norm) and puts ``previous`` (the previous answer of a norm to rate anew)
    above the guidance, in the locked cell the reader never reads."""
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row, index)
        # a named style per column: assigning a name is far cheaper than font/fill/border/
        # alignment/protection one by one (openpyxl hashes each), and keeps the file small
        cell.style = cell_style_name(column)
        if column.role is L.Role.ID:
            cell.value = norm.id
        elif column.key == "quality_value":
            cell.value = f"{value.id} {value.title}"
        elif column.key == "norm_text":
            cell.value = norm.text
        elif column.key == "guidance" and previous:
            # the previous answer to a norm rated anew: grey as the mirror (it informs, it is
            # not an answer); its text comes from a workbook, untrusted, so set_value
            cell.style = "kwl spiegel"
            set_value(cell, f"{previous}\n\n{norm.guidance}".strip())
        elif column.key == "guidance":
            cell.value = norm.guidance
        elif column.key == "distinctive":
            cell.value = T.DISTINCTIVE_MARK if norm.distinctive else None
        elif column.key == "self_rating" and own is not None and own.rating:
            level = catalogue.rating_scale.by_code.get(own.rating)
            set_value(cell, level.label if level else own.rating)
        elif column.key == "self_comment" and own is not None:
            # the host's own text, read from its workbook: untrusted
            set_value(cell, own.comment)
        elif carried is not None and column.is_input:
            _write_carried(cell, column, carried, catalogue)
    fit_row_height(ws, row, norm_row_height(ws, row, columns))


def _write_carried(cell: object, column: L.Column, answer: NormResponse,
                   catalogue: Catalogue) -> None:
    """A previous answer in an input cell, as a person would have typed or picked it."""
    if column.role is L.Role.RATING:
        level = catalogue.rating_scale.by_code.get(answer.rating or "")
        if level is not None:
            set_value(cell, level.label)
    elif column.role is L.Role.ACCENT:
        if answer.accent:
            set_value(cell, T.YES)
    elif column.field is not None and getattr(answer, column.field, None):
        set_value(cell, getattr(answer, column.field))


#: the text size of the norm sheets (BODY_FONT): every text, the guidance too; with the widths
#: of the layout a sheet prints on A4 landscape at 8.5 pt or more (style: width_budget)
TEXT_SIZE = 10
_GUIDANCE_FONT = Font(name=FONT_NAME, size=TEXT_SIZE, color="404040")
_MIRROR_FONT = Font(name=FONT_NAME, size=TEXT_SIZE, color=MIRROR_FONT_COLOUR)

#: named cell styles of the domain sheets (registered once per workbook)
_CELL_STYLES: dict[str, CellStyle] = {
    "kwl norm-id": (ID_FONT, LOCKED_FILL, WRAP_TOP, LOCKED),
    "kwl normtekst": (BODY_FONT, LOCKED_FILL, WRAP_TOP, LOCKED),
    "kwl toelichting": (_GUIDANCE_FONT, LOCKED_FILL, WRAP_TOP, LOCKED),
    "kwl kenmerk": (BODY_FONT, LOCKED_FILL, CENTER_TOP, LOCKED),
    # the mirror is grey, text and fill, whatever the rating: it informs, it does not steer
    "kwl spiegel": (_MIRROR_FONT, MIRROR_FILL, WRAP_TOP, LOCKED),
    "kwl spiegel oordeel": (_MIRROR_FONT, MIRROR_FILL, CENTER_TOP, LOCKED),
    "kwl invoer": (BODY_FONT, INPUT_FILL, WRAP_TOP, UNLOCKED),
    "kwl invoer keuze": (BODY_FONT, INPUT_FILL, CENTER_TOP, UNLOCKED),
}


def register_styles(wb: Workbook) -> None:
    """The named cell styles of the norm sheets (also used by the consolidated workbook)."""
    register_named_styles(wb, _CELL_STYLES)


def cell_style_name(column: L.Column) -> str:
    if column.role is L.Role.ID:
        return "kwl norm-id"
    if column.key == "guidance":
        return "kwl toelichting"
    if column.key == "distinctive":
        return "kwl kenmerk"
    if column.role is L.Role.MIRROR:
        return "kwl spiegel oordeel" if column.key == "self_rating" else "kwl spiegel"
    if column.role in (L.Role.RATING, L.Role.ACCENT):
        return "kwl invoer keuze"
    if column.is_input:
        return "kwl invoer"
    return "kwl normtekst"


def norm_row_height(ws: Worksheet, row: int, columns: Sequence[L.Column]) -> float:
    """The height hint of a norm row: the lines its written texts need (LibreOffice shows the
    hint until the row is edited; Excel fits the row itself), at least two to type in."""
    lines = 2
    for index, column in enumerate(columns, start=1):
        value = ws.cell(row, index).value
        if isinstance(value, str) and value:
            lines = max(lines, text_lines(value, column.width, size=TEXT_SIZE,
                                          bold=column.role is L.Role.ID))
    return lines_height(lines, size=TEXT_SIZE)


def subtitle(identity: Identity) -> str:
    """The line under a sheet's title: the kind of workbook, the organisation, the reviewer
    and the assessment."""
    parts = [T.KIND_TITLES[identity.kind.value], identity.host]
    if identity.reviewer:
        label = T.LABEL_REVIEWER_AUDIT if identity.kind is Kind.AUDIT else T.LABEL_REVIEWER_PEER
        parts.append(f"{label.lower()}: {identity.reviewer}")
    parts.append(f"{T.LABEL_ASSESSMENT.lower()} {identity.assessment_id}")
    return " · ".join(parts)


#: the rows of a sheet's title and of the line under it, and their text sizes
TITLE_ROW, SUBTITLE_ROW = 1, 2
_TITLE_SIZE: float = TITLE_FONT.sz or 18
_SUBTITLE_SIZE: float = SUBTITLE_FONT.sz or 12
#: the title row's height as it always was: a title of one line keeps it
_TITLE_HEIGHT = 26.0


def write_title(ws: Worksheet, text: str, widths: Sequence[float]) -> None:
    """A sheet's title (row 1) over the table's columns (``widths``), wrapped: a title with a
    long name in it ("Beoordeling door …") stays within the printed table."""
    _write_heading(ws, TITLE_ROW, text, TITLE_FONT, widths, max(_TITLE_HEIGHT, lines_height(
        text_lines(text, sum(widths), size=_TITLE_SIZE, bold=True), size=_TITLE_SIZE)))


def write_subtitle(ws: Worksheet, text: str, widths: Sequence[float]) -> None:
    """The line under a sheet's title, wrapped over the table's columns (``widths``). Unwrapped,
    a long organisation name ran past the table: fit-to-width then shrank the whole printed
    sheet, or the name ran off the page."""
    _write_heading(ws, SUBTITLE_ROW, text, SUBTITLE_FONT, widths,
                   _subtitle_height(text, sum(widths)))


def _write_heading(ws: Worksheet, row: int, text: str, font: Font, widths: Sequence[float],
                   height: float) -> None:
    cell = ws.cell(row, 1)
    cell.value = text
    cell.font = font
    cell.alignment = WRAP_TOP
    if len(widths) > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
    # merged cells are never fitted to their text by Excel: the height is computed
    fit_row_height(ws, row, height)


def _subtitle_height(text: str, width: float) -> float:
    return lines_height(text_lines(text, width, size=_SUBTITLE_SIZE), size=_SUBTITLE_SIZE)


def name_rows(identity: Identity, catalogue: Catalogue) -> dict[tuple[str, int], float]:
    """The rows whose height depends on the values of ``identity`` (a name, the id, a date)
    in its workbook without a mirror, as (sheet, row) → height: the subtitle of the norm
    sheets and of the overview, the start sheet's cover. The stamper
    (:mod:`~kwl_office.excel.stamp`) sets these heights in the workbooks it stamps."""
    text = subtitle(identity)
    width = sum(c.width for c in L.columns_for(identity.kind, mirror=False))
    heights = {(L.domain_sheet_name(domain), SUBTITLE_ROW): _subtitle_height(text, width)
               for domain, _ in L.selected_domains(catalogue, identity.norm_scope)}
    heights[L.SHEET_OVERVIEW, SUBTITLE_ROW] = _subtitle_height(
        text, sum(_overview_widths(identity, catalogue)))
    for row, (label, value) in enumerate(_cover(identity, catalogue), start=_COVER_ROW):
        heights[L.SHEET_START, row] = _cover_height(label, value)
    return heights


def column_of(columns: Sequence[L.Column], key: str) -> str | None:
    for index, column in enumerate(columns, start=1):
        if column.key == key:
            letter: str = get_column_letter(index)
            return letter
    return None


def add_validations(
    ws: Worksheet, columns: Sequence[L.Column], lists: Worksheet, catalogue: Catalogue,
    last_row: int,
) -> None:
    first = L.FIRST_DATA_ROW
    rating = column_of(columns, "rating")
    if rating:
        n = len(catalogue.scale)
        dv = list_validation(
            f"{quote_sheetname(lists.title)}!$A$1:$A${n}", title=T.DV_RATING_TITLE,
            error=T.DV_RATING_ERROR.format(allowed=", ".join(catalogue.rating_scale.labels)),
            prompt=T.DV_RATING_PROMPT)
        dv.add(f"{rating}{first}:{rating}{last_row + SPARE_ROWS}")
        ws.add_data_validation(dv)
    accent = column_of(columns, "accent")
    if accent:
        dv = list_validation(f"{quote_sheetname(lists.title)}!$B$1:$B$2",
                             prompt=T.DV_ACCENT_PROMPT)
        dv.add(f"{accent}{first}:{accent}{last_row + SPARE_ROWS}")
        ws.add_data_validation(dv)


def add_rating_colours(
    ws: Worksheet, columns: Sequence[L.Column], catalogue: Catalogue, last_row: int
) -> None:
    # only what the reviewer types is coloured: the mirror stays grey
    first = L.FIRST_DATA_ROW
    letter = column_of(columns, "rating")
    if not letter:
        return
    area = f"{letter}{first}:{letter}{last_row + SPARE_ROWS}"
    for level in catalogue.scale:
        ws.conditional_formatting.add(
            area,
            FormulaRule(
                formula=[level_match_formula(f"${letter}{first}", level)],
                fill=PatternFill("solid", fgColor=level.colour, bgColor=level.colour),
                font=Font(bold=True, color="000000"),
                stopIfTrue=True,
            ),
        )


def sheet_print_setup(ws: Worksheet, identity: Identity, title: str, title_row: int | None, *,
                 orientation: Literal["landscape", "portrait"] = "landscape",
                 print_area: str | None = None) -> None:
    print_setup(ws, title_row=title_row, orientation=orientation, print_area=print_area,
                header=(f"{T.KIND_TITLES[identity.kind.value]} – {identity.host}", title),
                footer=(f"{T.LABEL_ASSESSMENT} {identity.assessment_id}", PAGE_OF))


# --- overview --------------------------------------------------------------------------------

#: width of the domain column and of each count column on the overview
_OVERVIEW_WIDTHS = (26, 12)


def write_overview(
    ws: Worksheet,
    identity: Identity,
    catalogue: Catalogue,
    counted: Sequence[tuple[str, Worksheet, int]],
    columns: Sequence[L.Column],
) -> tuple[list[int], int]:
    """The overview sheet: one row of live counts per ``(label, sheet, last norm row)`` (a
    domain sheet, or a reviewer's sheet of a team workbook) and a total row. Returns the rows
    of the counts and the total row."""
    title = T.OVERVIEW_TEAM_TITLE if identity.is_team else T.OVERVIEW_TITLE
    with_accents = identity.kind is Kind.SELF_EVALUATION
    headers = _overview_headers(identity, catalogue)
    widths = _overview_widths(identity, catalogue)
    write_title(ws, title, widths)
    write_subtitle(ws, subtitle(identity), widths)
    top = 4
    header_cells(ws, top, headers, widths=widths)
    fit_row_height(ws, top, lines_height(max(
        text_lines(label, width, bold=True) for label, width in zip(headers, widths, strict=True))))
    for index, level in enumerate(catalogue.scale, start=4):
        ws.cell(top, index).fill = PatternFill("solid", fgColor=level.colour)
        ws.cell(top, index).font = Font(name=FONT_NAME, bold=True, size=10)

    rating = column_of(columns, "rating")
    norm_col = column_of(columns, "norm_id")
    accent = column_of(columns, "accent")
    assert rating is not None and norm_col is not None
    id_index = next(i for i, c in enumerate(columns, start=1) if c.role is L.Role.ID)
    first_level, last_level = (get_column_letter(4),
                               get_column_letter(3 + len(catalogue.scale)))
    row = top
    rows: list[int] = []
    for label, sheet, last in counted:
        row += 1
        rows.append(row)
        # the norms this sheet was written with: a remark typed in the norm column is no
        # norm, and counts nowhere (as the reader passes it by)
        norm_ids = [str(value) for r in range(L.FIRST_DATA_ROW, last + 1)
                    if (value := sheet.cell(r, id_index).value)]
        ref = quote_sheetname(sheet.title)
        end = last + SPARE_ROWS
        ratings = f"{ref}!${rating}${L.FIRST_DATA_ROW}:${rating}${end}"
        ids = f"{ref}!${norm_col}${L.FIRST_DATA_ROW}:${norm_col}${end}"
        # a norm counts as rated only with a value the reader accepts (code, label or score
        # in the spellings of style.level_spellings): 'goed' or a typo stays open, as it
        # does on read-back
        values: list[object] = [label, len(norm_ids),
                                f"=SUM({first_level}{row}:{last_level}{row})"]
        values += [level_count_formula(ratings, ids, norm_ids, lv) for lv in catalogue.scale]
        values.append(f"=B{row}-C{row}")
        if with_accents and accent:
            accents = f"{ref}!${accent}${L.FIRST_DATA_ROW}:${accent}${end}"
            values.append(yes_count_formula(accents, ids, norm_ids, L.ACCENT_YES))
        for index, value in enumerate(values, start=1):
            cell = ws.cell(row, index, value)
            cell.font = BODY_FONT if index > 1 else LABEL_FONT
            cell.border = GRID
            cell.alignment = (Alignment(horizontal="center", vertical="top") if index > 1
                              else WRAP_TOP)
        ws.cell(row, 1).data_type = "s"  # a name, never a formula or a number
        fit_row_height(ws, row, lines_height(text_lines(label, widths[0], bold=True)))
    total_row = row + 1
    ws.cell(total_row, 1, T.OVERVIEW_TOTAL)
    for index in range(1, len(headers) + 1):
        cell = ws.cell(total_row, index)
        if index > 1:
            letter = get_column_letter(index)
            cell.value = f"=SUM({letter}{top + 1}:{letter}{row})"
            cell.alignment = Alignment(horizontal="center")
        cell.font = Font(name=FONT_NAME, bold=True, size=10)
        cell.fill = PatternFill("solid", fgColor=BRAND_LIGHT)
        cell.border = GRID
    ws.protection.sheet = True
    sheet_print_setup(ws, identity, title, top,
                      print_area=f"A1:{get_column_letter(len(headers))}{total_row}")
    return rows, total_row


def _overview_headers(identity: Identity, catalogue: Catalogue) -> list[str]:
    headers = [T.OVERVIEW_REVIEWER if identity.is_team else T.OVERVIEW_DOMAIN,
               T.OVERVIEW_TOTAL_NORMS, T.OVERVIEW_RATED]
    headers += [level.label for level in catalogue.scale]
    return headers + [T.OVERVIEW_OPEN] + (
        [T.OVERVIEW_ACCENTS] if identity.kind is Kind.SELF_EVALUATION else [])


def _overview_widths(identity: Identity, catalogue: Catalogue) -> list[float]:
    count = len(_overview_headers(identity, catalogue))
    return [float(_OVERVIEW_WIDTHS[0])] + [float(_OVERVIEW_WIDTHS[1])] * (count - 1)


# --- start sheet -----------------------------------------------------------------------------

#: the start sheet's three columns: labels, values (merged with the third), wide texts; 100
#: characters fit A4 portrait at full size
_START_WIDTHS = (28, 18, 54)
#: characters of indent of an instruction line (Alignment indent=1 is about two)
_INDENT = 2


def write_start(ws: Worksheet, identity: Identity, catalogue: Catalogue,
                progress: Sequence[tuple[str, int]], *, note: str = "",
                mirror: bool = False) -> None:
    """The start sheet: cover, progress, instructions, legend. ``progress``: one row of the
    overview per line of progress, ``("", total row)`` for a workbook of one reviewer,
    ``(reviewer, their row)`` for each reviewer of a team workbook. ``note``: what was carried
    over from the previous self-evaluation, shown under the cover. ``mirror``: the workbook
    shows the host's self-evaluation (only then do the instructions speak of it)."""
    ws.sheet_view.showGridLines = False
    for letter, width in zip("ABC", _START_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    full = sum(_START_WIDTHS)
    ws["A1"] = "Kwaliteitslabel Sociaal Werk"
    ws["A1"].font = Font(name=FONT_NAME, size=11, bold=True, color="7F7F7F")
    ws["A2"] = T.KIND_TITLES[identity.kind.value]
    ws["A2"].font = Font(name=FONT_NAME, size=24, bold=True, color=BRAND)
    ws["A3"] = T.TEAM_SUBTITLE if identity.is_team else T.KIND_SUBTITLES[identity.kind.value]
    ws["A3"].font = SUBTITLE_FONT
    for number, height in ((1, 18), (2, 36), (3, 18)):
        fit_row_height(ws, number, height)
    row = _COVER_ROW
    for label, value in _cover(identity, catalogue):
        ws.cell(row, 1, label).font = LABEL_FONT
        ws.cell(row, 1).alignment = Alignment(vertical="top")
        cell = ws.cell(row, 2, value)
        cell.data_type = "s"
        cell.font = Font(name=FONT_NAME, size=_COVER_SIZE, bold=label == T.LABEL_HOST)
        # a long name wraps within the page (merged: its height is computed)
        cell.alignment = WRAP_TOP
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        fit_row_height(ws, row, _cover_height(label, value))
        row += 1
    if catalogue.is_example:
        row += 1
        merged_text(ws, row, T.EXAMPLE_NOTE, NOTE_FONT, full)
        row += 1
    if note:
        row += 1
        merged_text(ws, row, note, Font(name=FONT_NAME, size=11, bold=True), full)
        row += 1

    row += 1
    ws.cell(row, 1, T.HEADING_PROGRESS).font = SECTION_FONT
    row += 1
    # the share with its bar under the labels, the sentence beside it where it has room; in a
    # team workbook one line per reviewer: name, share, sentence
    overview = quote_sheetname(L.SHEET_OVERVIEW)
    for label, total_row in progress:
        column = 2 if label else 1
        if label:
            name = ws.cell(row, 1, label)
            name.font = LABEL_FONT
            name.alignment = WRAP_TOP
            name.data_type = "s"
        share = ws.cell(row, column, f"=IF({overview}!B{total_row}=0,0,"
                                     f"{overview}!C{total_row}/{overview}!B{total_row})")
        share.number_format = "0%"
        share.font = Font(name=FONT_NAME, size=12, bold=True, color=BRAND)
        share.alignment = Alignment(horizontal="left", vertical="top")
        ws.conditional_formatting.add(
            share.coordinate,
            DataBarRule(start_type="num", start_value=0, end_type="num", end_value=1,
                        color="63BE7B", showValue=True))
        sentence = ws.cell(
            row, column + 1,
            f'={overview}!C{total_row}&" {T.PROGRESS_OF} "&{overview}!B{total_row}'
            f'&" {T.PROGRESS_SUFFIX}"',
        )
        sentence.font = Font(name=FONT_NAME, size=12, bold=True)
        sentence.alignment = Alignment(vertical="top")
        if not label:
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        else:
            fit_row_height(ws, row, lines_height(text_lines(label, _START_WIDTHS[0], bold=True)))
        row += 1
    row += 1

    ws.cell(row, 1, T.HEADING_INSTRUCTIONS).font = SECTION_FONT
    row += 1
    lines = T.TEAM_INSTRUCTIONS if identity.is_team else T.INSTRUCTIONS[identity.kind.value]
    lines = [line for line in lines if mirror or line != T.MIRROR_INSTRUCTION]
    for number, line in enumerate(lines, start=1):
        merged_text(ws, row, f"{number}.  {line}", BODY_FONT, full, indent=True)
        row += 1

    row += 1
    ws.cell(row, 1, T.HEADING_LEGEND).font = SECTION_FONT
    row += 1
    header_cells(ws, row, (T.LEGEND_LABEL, T.LEGEND_CODE, T.LEGEND_SCORE))
    row += 1
    for level in catalogue.scale:
        values = (level.label, level.code, "–" if level.score is None else level.score)
        for index, shown in enumerate(values, start=1):
            cell = ws.cell(row, index, shown)
            cell.border = GRID
            cell.font = BODY_FONT
            cell.alignment = Alignment(horizontal="left")
        ws.cell(row, 1).fill = PatternFill("solid", fgColor=level.colour)
        row += 1
    ws.cell(row, 1, T.LEGEND_DISTINCTIVE.format(mark=T.HEADERS["distinctive"])).font = BODY_FONT
    row += 2
    merged_text(ws, row, T.RETURN_NOTE, Font(name=FONT_NAME, size=10, italic=True), full)

    ws.protection.sheet = True
    # the print area keeps the buttons of a workbook with macros (right of column C) off
    # paper and out of the fit-to-width scale
    sheet_print_setup(ws, identity, L.SHEET_START, None, orientation="portrait",
                 print_area=f"A1:C{row}")


#: the first row of the start sheet's cover, and the size of its values
_COVER_ROW = 5
_COVER_SIZE = 11


def _cover(identity: Identity, catalogue: Catalogue) -> list[tuple[str, str]]:
    """The start sheet's cover: (label, value) for each line."""
    scope = T.SCOPE_DISTINCTIVE if identity.norm_scope is NormScope.DISTINCTIVE else T.SCOPE_ALL
    cover: list[tuple[str, str]] = [(T.LABEL_HOST, identity.host)]
    if identity.reviewer:
        label = T.LABEL_REVIEWER_AUDIT if identity.kind is Kind.AUDIT else T.LABEL_REVIEWER_PEER
        cover.append((label, identity.reviewer))
    if identity.is_team:
        cover.append((T.LABEL_REVIEWERS, dutch.join(identity.reviewers)))
        cover.append((T.LABEL_PENVOERDER, identity.reviewers[0]))
    cover.append((T.LABEL_ASSESSMENT, identity.assessment_id))
    if identity.deadline:
        cover.append((T.LABEL_DEADLINE, T.format_date(identity.deadline)))
    cover += [
        (T.LABEL_CATALOGUE, T.catalogue_name(catalogue.title, catalogue.version)),
        (T.LABEL_SCOPE, scope),
        (T.LABEL_ISSUED, T.format_date(identity.issued_at[:10])),
        (T.LABEL_WORKBOOK_ID, identity.workbook_id),
    ]
    return cover


def _cover_height(label: str, value: str) -> float:
    """The height of a cover line: its value wrapped in the merged columns B and C (the
    host's name is bold)."""
    return lines_height(text_lines(value, sum(_START_WIDTHS[1:]), size=_COVER_SIZE,
                                   bold=label == T.LABEL_HOST), size=_COVER_SIZE)


def merged_text(ws: Worksheet, row: int, text: str, font: Font, width: float, *,
                 indent: bool = False) -> None:
    """A wrapped text across the start sheet's columns A to C, its row as high as the text
    needs (Excel never fits a row to merged cells, so the height is computed)."""
    cell = ws.cell(row, 1, text)
    cell.font = font
    cell.alignment = Alignment(wrap_text=True, vertical="top", indent=1 if indent else 0)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    lines = text_lines(text, width - (_INDENT if indent else 0), size=font.sz or 10)
    fit_row_height(ws, row, lines_height(lines, size=font.sz or 10))
