"""Reading the norm rows of a workbook's domain sheets into answers (one per norm).

Norm rows are found by the norm id, input columns by their header label (see
:mod:`kwl_office.excel.layout`), whatever order people put the rows and columns in; every
problem in a cell becomes a located finding. This is the hot loop of a read-back (~50 rows a
workbook, 1,200 workbooks a national round): what does not depend on the row is worked out
once per sheet or remembered across workbooks. Used by :mod:`kwl_office.excel.reader`.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter

from kwl_office import texts_nl as T
from kwl_office.assessment import Identity, Kind, NormResponse, NormScope, Submission
from kwl_office.catalogue import Catalogue, RatingLevel, RatingScale, normalise_token
from kwl_office.errors import UnsupportedFormat
from kwl_office.excel import layout as L
from kwl_office.excel.sheets import (
    SheetSource,
    cell_position,
    cell_ref,
    cell_text,
    clip,
    column_letter,
    invisible_characters,
    shown_text,
)
from kwl_office.findings import make_finding

_YES = frozenset(L.ACCENT_YES)
_NO = frozenset(L.ACCENT_NO)


def never_norms(sheet: str) -> bool:
    """True for a sheet the reader never looks for norm rows on."""
    return sheet in L.NON_NORM_SHEETS or sheet.startswith("_")


#: (id of the catalogue, scope) → (the catalogue, norm id → domain sheet); see norm_sheets
_NORM_SHEETS: dict[tuple[int, NormScope], tuple[Catalogue, dict[str, str]]] = {}


def norm_sheets(catalogue: Catalogue, scope: NormScope) -> dict[str, str]:
    """Norm id → the title of its domain sheet, for every norm a workbook of ``scope`` holds,
    in catalogue order. Do not change the result: it is shared.

    Remembered per catalogue, which is frozen: working it out costs as much as reading ten
    norm rows, on every read-back."""
    key = (id(catalogue), scope)
    known = _NORM_SHEETS.get(key)
    if known is not None and known[0] is catalogue:
        return known[1]
    if len(_NORM_SHEETS) >= 32:  # a long-running process may load many catalogues
        _NORM_SHEETS.clear()
    result = {norm.id: L.domain_sheet_name(domain)
              for domain, norms in L.selected_domains(catalogue, scope) for _, norm in norms}
    _NORM_SHEETS[key] = (catalogue, result)
    return result


ID_TOKEN = L.NORM_ID.token
_RATING_TOKEN = L.RATING.token
#: every header label the writer uses → column key
_KNOWN_HEADERS = {
    column.token: column.key
    for kind in (Kind.SELF_EVALUATION, Kind.PEER)
    for column in L.columns_for(kind, mirror=True)
}
_INPUT_KEYS = frozenset(
    column.key
    for kind in (Kind.SELF_EVALUATION, Kind.PEER)
    for column in L.columns_for(kind, mirror=True) if column.is_input
)


def _changed_header(row: list[Any]) -> dict[str, int] | None:
    """The columns (key → index) of ``row`` if it is a norm sheet's header whose norm or
    rating heading was changed or removed (so :func:`_header_columns` did not take it): it
    still has three or more of the headings, one of an input column. None for any other row
    (the Team sheet of a shared workbook has no input column of a reviewer)."""
    columns: dict[str, int] = {}
    for c, value in enumerate(row):
        key = (_KNOWN_HEADERS.get(normalise_token(value))
               if isinstance(value, str) and len(value) < 60 else None)
        if key is not None and key not in columns:
            columns[key] = c
    if len(columns) >= 3 and not _INPUT_KEYS.isdisjoint(columns):
        return columns
    return None


@functools.lru_cache(maxsize=1024)
def _header_columns(row: tuple[Any, ...]) -> dict[str, int] | None:
    """The input columns (key → index) if ``row`` is a norm sheet's header, else None.

    Remembered per row's values: every workbook of a round has the same few rows above its
    norms, and normalising their labels cost more than reading the norm rows."""
    # header labels are short strings; skip normalising anything else
    tokens = [normalise_token(v) if isinstance(v, str) and len(v) < 60 else "" for v in row]
    if ID_TOKEN not in tokens or _RATING_TOKEN not in tokens:
        return None
    columns: dict[str, int] = {}
    for c, token in enumerate(tokens):
        key = _KNOWN_HEADERS.get(token)
        if key is not None and key not in columns:
            columns[key] = c
    return columns


_RatingsSeen = dict[tuple[type, Any], tuple[str, RatingLevel | None]]
#: id of a rating scale → (the scale, rating cell value → its text and level)
_RATINGS: dict[int, tuple[RatingScale, _RatingsSeen]] = {}


def _known_ratings(scale: RatingScale) -> _RatingsSeen:
    """What the rating cells read so far on ``scale`` meant, shared by every read-back: a
    round's workbooks hold the same few spellings (a catalogue's scale is made once)."""
    known = _RATINGS.get(id(scale))
    if known is not None and known[0] is scale:
        return known[1]
    if len(_RATINGS) >= 32:
        _RATINGS.clear()
    seen: _RatingsSeen = {}
    _RATINGS[id(scale)] = (scale, seen)
    return seen


#: NormResponse.model_validate of a list of rows, in one call
_validate_rows = TypeAdapter(list[NormResponse]).validate_python
#: accent cell values read so far (with their type: True == 1) → whether they mean yes;
#: a value that means neither is never in here (it is reported)
_ACCENTS: dict[tuple[type, Any], bool] = {(type(None), None): False}
#: the roles of input columns as the row loop tests them
_TEXT, _RATING, _ACCENT, _OTHER = 0, 1, 2, 3
_ROLE_CODES = {L.Role.TEXT: _TEXT, L.Role.RATING: _RATING, L.Role.ACCENT: _ACCENT}
_Plan = tuple[tuple[int, int, str, str, L.Column], ...]


@functools.lru_cache(maxsize=256)
def _row_plan(inputs: tuple[L.Column, ...], columns: tuple[tuple[str, int], ...]
              ) -> tuple[_Plan, int]:
    """How to read a norm row: per input column, in column order (findings come out in that
    order), what it is (the role as a small int, the cheapest test in the loop), where, into
    which field; and how wide a row must be (calamine's rows are as wide as the sheet; a
    shorter row, as openpyxl gives, is padded once instead of testing every cell's index).

    Remembered per header (``columns``: key → 0-based index): a round's workbooks share a
    few, and working it out cost as much as reading two norm rows, per sheet."""
    where = dict(columns)
    plan = tuple((_ROLE_CODES.get(column.role, _OTHER), c, column.field or "",
                  column_letter(c + 1), column)
                 for column in inputs if (c := where.get(column.key)) is not None)
    return plan, max([where["norm_id"], where.get("norm_text", 0),
                      *(c for _, c, _, _, _ in plan)]) + 1


#: the input columns of a reviewer's sheet in a team workbook: one tuple, so that the plan
#: of its rows is found by identity as the other kinds' are (:func:`_plan_for`)
_TEAM_REVIEW_INPUTS = tuple(c for c in L.team_review_columns() if c.is_input)
#: (id of a header's columns, id of the input columns) → (both, the row plan): the header's
#: columns are shared by every workbook with that header (:func:`_header_columns` remembers
#: them), so looking them up by identity spares hashing the columns (~4 µs a sheet); held
#: here, neither can be collected and its id reused
_PLANS: dict[tuple[int, int], tuple[dict[str, int], tuple[L.Column, ...], tuple[_Plan, int]]] = {}


def _plan_for(inputs: tuple[L.Column, ...], columns: dict[str, int]) -> tuple[_Plan, int]:
    """:func:`_row_plan`, remembered per header object."""
    key = (id(columns), id(inputs))
    known = _PLANS.get(key)
    if known is not None and known[0] is columns and known[1] is inputs:
        return known[2]
    if len(_PLANS) >= 256:
        _PLANS.clear()
    plan = _row_plan(inputs, tuple(columns.items()))
    _PLANS[key] = (columns, inputs, plan)
    return plan


def _shown_error(error: str) -> str:
    """A formula's error for a message: as Dutch Excel shows it and as the file has it
    (``#DEEL/0! of #DIV/0!``), or '' when the file does not say which."""
    if not error:
        return ""
    dutch = T.FORMULA_ERRORS_NL.get(error.upper())
    if dutch is None:
        return T.FORMULA_ERROR_SHOWN.format(error=error)
    return T.FORMULA_ERROR_BOTH.format(dutch=dutch, error=error)


#: the shape of a norm id (catalogue.model.Norm.id), with a digit in it
_NORM_ID_SHAPE = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")


def _looks_like_norm_id(text: str, catalogue: Catalogue) -> bool:
    """True when ``text`` could be a norm id: one word of letters, digits and ``._-``
    with a digit, and with a letter as well when every norm id of the catalogue has one
    (``X9.9`` and ``V99.1`` do; ``Opmerking:``, ``Ingevuld door J. de Vries`` and the
    date ``12-03-2026`` do not)."""
    if not _NORM_ID_SHAPE.match(text):
        return False
    return any(c.isalpha() for c in text) or not all(
        any(c.isalpha() for c in norm_id) for norm_id in catalogue.norm_index)


def _where(sheet: str, row: int, col: int) -> str:
    """``Sheet!E7`` for 0-based ``row`` and ``col``."""
    return f"{sheet}!{cell_ref(row, col)}"


@dataclass
class _Header:
    row: int
    columns: dict[str, int]  # column key → 0-based index; shared (remembered): never changed


class NormRowReader:
    """Reads the norm rows of a workbook's norm sheets into ``responses``.

    For a workbook of one reviewer: every domain sheet, into ``submission.responses``. For one
    reviewer of a team workbook: only ``sheet`` (theirs, with every norm), into ``responses``,
    with the team's reviewer columns."""

    def __init__(self, book: SheetSource, catalogue: Catalogue, identity: Identity | None,
                 expected_kind: Kind | None, submission: Submission, *,
                 sheet: str | None = None,
                 responses: dict[str, NormResponse] | None = None) -> None:
        self.book = book
        self.catalogue = catalogue
        self.identity = identity
        self.kind = identity.kind if identity else expected_kind
        self.submission = submission
        self.report = submission.report
        self.sheets = [sheet] if sheet is not None else None
        self.responses = submission.responses if responses is None else responses
        scope = identity.norm_scope if identity else NormScope.ALL
        self.expected = norm_sheets(catalogue, scope)
        if sheet is not None:
            self.expected = dict.fromkeys(self.expected, sheet)
        self.inputs: tuple[L.Column, ...] | None = (
            _TEAM_REVIEW_INPUTS if sheet is not None
            else None)
        #: norm id → where its row was read: (sheet, row, column), 0-based (a tuple: making
        #: the text costs more, and it is only shown for a duplicate row)
        self.found_at: dict[str, tuple[str, int, int]] = {}
        #: norms on a sheet that cannot be read (its norm or rating heading is missing): that
        #: sheet's missing-header says it once, instead of missing-norm-row for each norm
        self.unread: set[str] = set()
        #: the sheets whose norm rows were read, with their rows and header: where norms
        #: still missing afterwards are looked for above the header
        self.read_sheets: list[tuple[str, list[list[Any]], _Header]] = []
        self.max_len = catalogue.policy.max_text_length
        self.scale = catalogue.rating_scale
        self.ratings = _known_ratings(self.scale)

    def read(self) -> None:
        norm_sheets = 0
        for name in self.sheets or self.book.names:
            if never_norms(name):
                continue
            rows = self.book.rows(name)
            header = self._find_header(rows)
            if header is None and name in self.expected.values():  # not on the normal path
                # a sort that took the header row along may have put it further down on a
                # sheet of many norms (a reviewer's sheet of a team workbook has them all)
                header = self._find_header(rows, len(rows))
            if header is None:
                if self._changed_headings(name, rows):  # not on the normal path
                    norm_sheets += 1
                continue
            norm_sheets += 1
            if self.kind is None:
                self.kind = self._guess_kind(header)
            if not self._check_headers(name, header):
                continue
            self._read_rows(name, rows, header)
            self.read_sheets.append((name, rows, header))
        if norm_sheets == 0 and self.identity is None:
            raise UnsupportedFormat(self.book.path, self._why_no_norm_sheets())
        found_at, expected, responses = self.found_at, self.expected, self.responses
        if len(found_at) < len(expected):  # found_at holds expected norms only
            self._read_rows_above_headers()  # not on the normal path
            unread = self.unread
            for norm_id, sheet in expected.items():
                if norm_id not in found_at and norm_id not in unread:
                    self.report.add(make_finding("missing-norm-row", sheet=sheet,
                                                 norm_id=norm_id))
        # responses in catalogue order, whatever order the rows were in (only expected
        # norms are ever read, and self.expected is in catalogue order); the usual workbook
        # has every norm in that order already
        if len(responses) != len(expected) or list(responses) != list(expected):
            ordered = [(norm_id, responses[norm_id]) for norm_id in expected
                       if norm_id in responses]
            responses.clear()
            responses.update(ordered)

    def _why_no_norm_sheets(self) -> str:
        """Why a workbook without an identity has no norm sheet to read: the consolidated
        workbook, given where a filled one belongs (its identity sheet says so), or none."""
        sheet = next((n for n in self.book.names
                      if n.casefold() == L.CONSOLIDATED_IDENTITY_SHEET.casefold()), None)
        if sheet is not None and any(
                len(row) >= 2 and cell_text(row[0]) == "kind"
                and cell_text(row[1]) == L.CONSOLIDATED_KIND for row in self.book.rows(sheet)):
            return T.UNREADABLE["consolidated-workbook"].format(sheet=L.SHEET_SUMMARY,
                                                                 title=T.CONS_TITLE)
        return T.UNREADABLE["no-domain-sheets"]

    def _find_header(self, rows: list[list[Any]], limit: int = L.HEADER_SCAN_ROWS
                     ) -> _Header | None:
        for r, row in enumerate(itertools.islice(rows, limit)):
            columns = _header_columns(tuple(row))
            if columns is not None:
                return _Header(row=r, columns=columns)
        return None

    def _changed_headings(self, sheet: str, rows: list[list[Any]]) -> bool:
        """For a sheet without a norm sheet's header: if it has one whose norm or rating
        heading was changed (or its column removed), report each missing heading at the
        header row and note the sheet's norms as unread; True if so."""
        found = next(((r, columns) for r, row in enumerate(
            itertools.islice(rows, L.HEADER_SCAN_ROWS))
            if (columns := _changed_header(row)) is not None), None)
        if found is None:
            return False
        r, columns = found
        header = _Header(row=r, columns=columns)
        if self.kind is None:
            self.kind = self._guess_kind(header)
        for column in (L.NORM_ID, *self._input_columns()):
            if column.key not in columns:
                self.report.add(make_finding("missing-header", sheet=sheet,
                                             cell=f"{r + 1}:{r + 1}", label=column.label))
        expected = self.expected
        id_col = columns.get("norm_id")
        below = rows[r + 1:]
        if id_col is not None:  # the rating heading is gone: the ids say which norms these are
            self.unread.update(norm_id for row in below if id_col < len(row)
                               and (norm_id := cell_text(row[id_col])) in expected)
        else:  # the norm heading is gone: the norms of this sheet, and any id on it (a
            # renamed tab)
            self.unread.update(n for n, name in expected.items() if name == sheet)
            self.unread.update(text for row in below for value in row
                               if isinstance(value, str) and (text := value.strip()) in expected)
        return True

    @staticmethod
    def _guess_kind(header: _Header) -> Kind:
        return Kind.SELF_EVALUATION if "comment_self" in header.columns else Kind.PEER

    def _input_columns(self) -> tuple[L.Column, ...]:
        assert self.kind is not None
        return self.inputs if self.inputs is not None else L.input_columns(self.kind)

    def _check_headers(self, sheet: str, header: _Header) -> bool:
        complete = True
        for column in self._input_columns():
            if column.key not in header.columns:
                self.report.add(make_finding("missing-header", sheet=sheet,
                                             cell=f"{header.row + 1}:{header.row + 1}",
                                             label=column.label))
                complete = column.key != "rating" and complete
        return complete

    def _read_rows_above_headers(self) -> None:
        """Norm rows above the header row of a sheet (a sort that took the header row along
        puts it between the norms): read with that header's columns, and said once per
        sheet, so that nobody goes looking for rows that were never deleted."""
        expected, found_at = self.expected, self.found_at
        for sheet, rows, header in self.read_sheets:
            id_col = header.columns["norm_id"]
            above = [r for r in range(header.row)
                     if id_col < len(rows[r]) and (norm_id := cell_text(rows[r][id_col]))
                     in expected and norm_id not in found_at]
            if not above:
                continue
            self._read_rows(sheet, rows, header, above)
            norms = [cell_text(rows[r][id_col]) for r in above]
            shown = ", ".join(norms[:8]) + (f" en {len(norms) - 8} meer"
                                            if len(norms) > 8 else "")
            self.report.add(make_finding(
                "norms-above-header", sheet=sheet, cell=f"{header.row + 1}:{header.row + 1}",
                row=header.row + 1, norms=shown,
                labels=f"{L.NORM_ID.label}, {L.RATING.label}, …"))

    def _read_rows(self, sheet: str, rows: list[list[Any]], header: _Header,
                   only: list[int] | None = None) -> None:
        """Read the norm rows below ``header`` (or the rows ``only``, 0-based)."""
        # the hot loop of a read-back (~50 rows per workbook): everything that does not depend
        # on the row is looked up once here, and the usual cells are read inline
        assert self.kind is not None
        id_col = header.columns["norm_id"]
        text_col = header.columns.get("norm_text")
        plan, needed = _plan_for(self._input_columns(), header.columns)
        first: dict[str, Any] = {"sheet": sheet}
        if self.kind is Kind.SELF_EVALUATION:
            first["accent"] = False
        expected, found_at, responses = self.expected, self.found_at, self.responses
        norm_index, ratings, max_len = self.catalogue.norm_index, self.ratings, self.max_len
        report, accents = self.report, _ACCENTS
        read: list[tuple[str, dict[str, Any]]] = []  # (norm id, fields), validated at once
        for r in range(header.row + 1, len(rows)) if only is None else only:
            row = rows[r]
            if len(row) < needed:
                row = [*row, *([None] * (needed - len(row)))]
            raw_id = row[id_col]
            if raw_id is None:
                continue
            norm_id = (raw_id.strip() if type(raw_id) is str and "\r" not in raw_id
                       else cell_text(raw_id))
            if not norm_id:
                continue
            if norm_id not in expected:
                self._report_unknown_row(sheet, r, id_col, norm_id)
                continue
            if norm_id in found_at:
                report.add(make_finding("duplicate-norm-row", sheet=sheet,
                                        cell=cell_ref(r, id_col), norm_id=norm_id,
                                        first=_where(*found_at[norm_id])))
                continue
            found_at[norm_id] = (sheet, r, id_col)
            if text_col is not None and row[text_col] != norm_index[norm_id][2].text:
                self._check_norm_text(sheet, r, text_col, norm_id, row[text_col])
            fields = first.copy()
            for role, c, field_name, letter, column in plan:
                value = row[c]
                if role == _TEXT:
                    # an empty cell is left out: the field's default is None, as for an
                    # empty text; the usual typed text is cell_text's, inline
                    if type(value) is str:
                        if not value:
                            continue
                        text = value.strip() if "\r" not in value else cell_text(value)
                    elif value is None:
                        continue
                    else:
                        text = cell_text(value)
                    if text:
                        if len(text) > max_len:
                            report.add(make_finding(
                                "text-too-long", sheet=sheet, cell=f"{letter}{r + 1}",
                                norm_id=norm_id, length=len(text), limit=max_len))
                        fields[field_name] = text
                elif role == _RATING:
                    known = ratings.get((type(value), value))
                    text, level = known if known is not None else self._rating(value)
                    cell = f"{letter}{r + 1}"
                    fields["cell"] = cell
                    if level is not None:
                        fields["rating"] = level.code
                    else:
                        self._report_rating(sheet, cell, norm_id, text, value, row, plan)
                elif role == _ACCENT and (yes := accents.get((type(value), value))) is not None:
                    if yes:  # an accent cell read before: yes or no, nothing to report
                        fields["accent"] = True
                else:
                    self._read_input(fields, column, sheet, r, c, norm_id, value)
            read.append((norm_id, fields))
        # one call validates the sheet's rows: ~10 % less than a call per row
        validated = _validate_rows([fields for _, fields in read])
        responses.update(zip([norm_id for norm_id, _ in read], validated, strict=True))

    def _report_unknown_row(self, sheet: str, r: int, c: int, text: str) -> None:
        """A row whose norm cell holds no norm of this workbook: a norm id of another
        catalogue or selection is an error (the workbook is not what it should be); a remark
        or a signature line that no one would take for a norm id is a warning that says
        where remarks belong."""
        if _looks_like_norm_id(text, self.catalogue):
            self.report.add(make_finding("unknown-norm-row", sheet=sheet,
                                         cell=cell_ref(r, c), norm_id=text))
            return
        remark = next((column.label for column in self._input_columns()
                       if column.key in ("comment_self", "comment_review")),
                      T.HEADERS["comment_review"])
        self.report.add(make_finding("remark-in-norm-column", sheet=sheet, cell=cell_ref(r, c),
                                     value=clip(text), norm_column=L.NORM_ID.label,
                                     column=remark))

    def _check_norm_text(self, sheet: str, r: int, c: int, norm_id: str, value: Any) -> None:
        _, _, norm = self.catalogue.norm_index[norm_id]
        if value == norm.text:  # the usual case, without normalising whitespace
            return
        if " ".join(cell_text(value).split()) != " ".join(norm.text.split()):
            self.report.add(make_finding("norm-text-changed", sheet=sheet,
                                         cell=cell_ref(r, c), norm_id=norm_id))

    def _rating(self, value: Any) -> tuple[str, RatingLevel | None]:
        """A rating cell's text and the level it means (None for an empty or unknown one),
        remembered in ``self.ratings`` per distinct value: a workbook repeats a handful of
        spellings ~50 times."""
        text = cell_text(value)
        known = (text, self.scale.lookup(value if not isinstance(value, str) else text)
                 if text else None)
        if len(self.ratings) >= 4096:  # whatever people type, memory stays bounded
            self.ratings.clear()
        self.ratings[(type(value), value)] = known  # the type too: True == 1, but is no rating
        return known

    def _report_rating(self, sheet: str, cell: str, norm_id: str, text: str,
                       value: Any, row: list[Any], plan: _Plan) -> None:
        """The finding for a rating cell that is empty or holds no level of the scale (the
        value as the user sees it: WAAR, 2-1-2026). ``row``: the norm's row, ``plan``: its
        input columns (an empty rating may have been typed in another column)."""
        if not text:
            r, c = cell_position(cell)
            merged = self.book.merged_range(sheet, r, c)
            if merged is not None and merged[0] != (r, c):
                # Excel and LibreOffice keep a merge's value in its first cell only: this
                # cell cannot hold a rating, while the merge may show another norm's
                first, last = merged
                self.report.add(make_finding(
                    "merged-rating-cell", sheet=sheet, cell=cell, norm_id=norm_id,
                    merged=f"{cell_ref(*first)}:{cell_ref(*last)}", first=cell_ref(*first)))
                return
            error = self.book.formula_error(sheet, r, c)
            if error is not None:  # calamine reads a formula's error as an empty text
                self.report.add(make_finding("formula-error", sheet=sheet, cell=cell,
                                             norm_id=norm_id, error=_shown_error(error)))
                return
            self.report.add(make_finding("missing-rating", sheet=sheet, cell=cell,
                                         norm_id=norm_id, hint=self._rating_elsewhere(
                                             row, r, plan)))
        else:
            shown = clip(shown_text(value))
            invisible = invisible_characters(shown)
            self.report.add(make_finding(
                "unknown-rating", sheet=sheet, cell=cell, norm_id=norm_id, value=shown,
                note=T.INVISIBLE_CHARACTER.format(codes=", ".join(invisible))
                if invisible else "", allowed=self.scale.allowed_text()))

    def _rating_elsewhere(self, row: list[Any], r: int, plan: _Plan) -> str:
        """For a norm without a rating: a hint when a text cell of its row holds nothing but
        a rating ('Voldoet' under Bevindingen), else ''. Numbers are left alone: a '2' is
        more likely a document number than a score typed in the wrong column."""
        for role, c, _, letter, column in plan:
            value = row[c]
            if role != _TEXT or type(value) is not str or not 0 < len(value) < 40:
                continue
            text = cell_text(value)
            if text and not any(ch.isdigit() for ch in text) and self.scale.lookup(text):
                return T.RATING_IN_TEXT_COLUMN.format(column=column.label,
                                                      cell=f"{letter}{r + 1}",
                                                      value=text, rating=L.RATING.label)
        return ""

    def _read_input(self, fields: dict[str, Any], column: L.Column, sheet: str, r: int, c: int,
                    norm_id: str, value: Any) -> None:
        """An input cell other than the rating and the plain texts: the accent column."""
        text = cell_text(value)
        if column.role is L.Role.ACCENT:
            token = normalise_token(text)
            if token in _YES or token in _NO:
                if len(_ACCENTS) >= 4096:  # whatever people type, memory stays bounded
                    _ACCENTS.clear()
                    _ACCENTS[(type(None), None)] = False
                _ACCENTS[(type(value), value)] = token in _YES
            if token in _YES:
                fields["accent"] = True
            elif token not in _NO:
                self.report.add(make_finding("invalid-accent", sheet=sheet,
                                             cell=cell_ref(r, c), norm_id=norm_id,
                                             value=clip(text)))
            return
        assert column.field is not None
        if len(text) > self.max_len:
            self.report.add(make_finding("text-too-long", sheet=sheet, cell=cell_ref(r, c),
                                         norm_id=norm_id, length=len(text), limit=self.max_len))
        fields[column.field] = text or None


__all__ = ["ID_TOKEN", "NormRowReader", "never_norms", "norm_sheets"]
