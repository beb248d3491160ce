"""Merge forked copies of one shared team workbook into one submission (issue 14).

A team workbook that goes round by mail may come back as two or more copies of the same
workbook (the same workbook id), each with other reviewers' cells filled. :func:`read_copies`
reads them as one submission: each reviewer's cells (rating and comment, on their own sheet)
and the team sheet's cells come from the copy where they were filled. The same value in
several copies is fine; a cell filled differently in two copies is a ``merge-conflict`` at
the cell of the later copy, naming both files. Nothing is dropped silently.

A copy made from the merged workbook that was sent back says which copies it was merged
from (its ``base``). What such a copy still has as in those copies, it did not type: where
another copy typed something else there (a reviewer corrected the returned workbook), that
value counts and there is no conflict. So copies of the returned workbook, each corrected
by someone else, merge again; only values typed anew in two copies can conflict.

How: the copies' values are gathered per part (a reviewer's sheet or the team sheet), norm and
column, found by the norm id and the header label as the reader finds them (so sorted rows
and moved columns merge too), and written into the sheets of the newest copy. The reader then
reads that merged book, so every read-side check (ratings, text lengths, completeness per
reviewer) runs on the merged data, not per copy: a rating missing in one copy but filled in
another is no finding, a rating nobody can read stays one. A finding about a cell is located
back in the copy its value came from (``file``, sheet and cell of that copy). What a copy has
wrong that the merge does not read from it (a reviewer's second sheet, a damaged header, an
altered identity) is carried over, naming that copy.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kwl_office import texts_nl as T
from kwl_office.assessment import Identity, Submission
from kwl_office.catalogue import Catalogue, load_example_catalogue, normalise_token
from kwl_office.errors import UnreadableFile
from kwl_office.excel import layout as L
from kwl_office.excel.container import open_workbook_file
from kwl_office.excel.identity_sheet import read_identity
from kwl_office.excel.reader import (
    check_complete,
    read_team,
    read_workbook,
    sheet_owners,
)
from kwl_office.excel.sheets import SheetSource, cell_ref, cell_text, clip
from kwl_office.findings import Finding, Report, make_finding
from kwl_office.names import same_name

__all__ = ["MergedCell", "WorkbookCopy", "merged_cells", "read_copies"]

#: the part key of the team sheet (a reviewer's part is keyed by their name, never empty)
TEAM_PART = ""
_REVIEW_INPUTS = tuple(c.key for c in L.team_review_columns() if c.is_input)
_TEAM_INPUTS = (L.TEAM_STRENGTHS.key, L.TEAM_LEARNING_POINTS.key)
#: every header label of a reviewer's sheet and the team sheet → column key
_HEADERS = {c.token: c.key
            for c in (*L.team_review_columns(mirror=True), *L.team_sheet_columns())}
_ID_TOKEN = L.NORM_ID.token
#: what a copy can have wrong in the parts the merge does not read from it; the merged read
#: finds these again only in the newest copy, so for the others they are carried over
_CARRIED = frozenset({
    "identity-missing", "identity-tampered", "layout-version", "catalogue-mismatch",
    "team-sheet-twice", "team-sheet-unknown", "missing-header", "duplicate-norm-row",
    "unknown-norm-row", "remark-in-norm-column", "norm-text-changed",
})


@dataclass(frozen=True)
class WorkbookCopy:
    """One received copy of a team workbook: the name findings give it (its file name in
    the inbox, say), where it is, its bytes when the caller has read them already, and the
    copies it was merged from when it was made from the merged workbook sent back (what it
    did not type: see the module's docstring)."""

    name: str
    path: Path
    data: bytes | None = None
    base: tuple[WorkbookCopy, ...] = ()


@dataclass(frozen=True)
class MergedCell:
    """A cell of the newest copy as the merge fills it with another copy's value: what an
    annotated copy writes in, so it shows the whole team's work (:func:`merged_cells`)."""

    sheet: str
    cell: str
    value: Any
    file: str  # the name of the copy the value was typed in
    origin_sheet: str
    origin_cell: str


@dataclass
class _Part:
    """A reviewer's sheet (or the team sheet) in one copy."""

    sheet: str
    rows: list[list[Any]]
    columns: dict[str, int]  # column key → 0-based column
    norm_rows: dict[str, int]  # norm id → 0-based row (the first, as the reader takes it)


@dataclass
class _Copy:
    """One copy, read on its own."""

    copy: WorkbookCopy
    book: SheetSource
    submission: Submission
    parts: dict[str, _Part] = field(default_factory=dict)


@dataclass(frozen=True)
class _Value:
    """A filled cell of one copy."""

    raw: Any
    form: str  # what is compared: the rating's code, or the text with its spaces normalised
    source: int  # index of the copy
    sheet: str
    cell: str
    #: the copy has it as the copies it was merged from had it: not typed in this copy
    inherited: bool = False
    order: int = 0  # when it was met, copy by copy


class _MergedBook(SheetSource):
    """The newest copy's sheets with the other copies' values written in: what the reader
    reads. Nothing is parsed here; the rows come from the copies, already read."""

    def __init__(self, base: SheetSource) -> None:  # no super().__init__: nothing to open
        self.path = base.path
        self.names = list(base.names)
        self._rows = {}
        self._base = base

    def rows(self, name: str) -> list[list[Any]]:
        """The sheet's rows, a private copy that the merge may change."""
        if name not in self._rows:
            self._rows[name] = [list(row) for row in self._base.rows(name)]
        return self._rows[name]

    def merged_range(self, name: str, row: int, col: int
                     ) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """As the newest copy has it; for a sheet added from another copy: not known."""
        return self._base.merged_range(name, row, col) if name in self._base.names else None

    def formula_error(self, name: str, row: int, col: int) -> str | None:
        """As the newest copy has it; for a sheet added from another copy: not known."""
        return self._base.formula_error(name, row, col) if name in self._base.names else None

    def add(self, name: str, rows: list[list[Any]]) -> str:
        """Add a sheet (of another copy) under a name no sheet has; returns that name."""
        taken = {n.casefold() for n in self.names}
        unique, number = name, 2
        while unique.casefold() in taken:
            unique, number = f"{name[:26]} ({number})", number + 1
        self.names.append(unique)
        self._rows[unique] = [list(row) for row in rows]
        return unique


def read_copies(copies: Sequence[WorkbookCopy], catalogue: Catalogue | None = None, *,
                key: bytes | None = None, allow_incomplete: bool = False) -> Submission:
    """Read copies of one shared team workbook as one submission, oldest copy first.

    Each reviewer's cells and the team's come from the copy where they were filled; a cell
    filled differently in two copies is a ``merge-conflict`` error at the later copy's cell.
    The read-side checks run on the merged data (completeness per reviewer, unless
    ``allow_incomplete``). The submission's ``file`` is the newest copy; cell findings name
    the copy (``file``) and the sheet and cell where the value was typed. (The responses'
    own ``sheet``/``cell`` are in the newest copy's layout, where the merge put them.) One copy, or
    copies that are no team workbook of this catalogue: the newest copy read as it is.
    Raises :class:`~kwl_office.errors.UnreadableFile` when a copy cannot be opened, and
    :class:`ValueError` for copies of different workbooks (the caller groups them).
    """
    if not copies:
        raise ValueError("read_copies needs at least one copy")
    catalogue = catalogue or load_example_catalogue()
    newest = copies[-1]
    if len(copies) == 1:
        return read_workbook(newest.path, catalogue, key=key, data=newest.data,
                             allow_incomplete=allow_incomplete)
    reads = [_read_copy(copy, catalogue, key) for copy in copies]
    identity = _team_identity(reads, catalogue)
    if identity is None:
        return read_workbook(newest.path, catalogue, key=key, data=newest.data,
                             allow_incomplete=allow_incomplete)
    if not _same_workbook(reads, identity):
        raise ValueError("read_copies: the copies are not all of the same workbook")
    return _Merge(reads, identity, catalogue).read(allow_incomplete)


def merged_cells(copies: Sequence[WorkbookCopy], catalogue: Catalogue | None = None, *,
                 key: bytes | None = None) -> list[MergedCell]:
    """The cells of the newest copy's own sheets that the merge of ``copies`` (oldest first)
    fills with values typed in the other copies; empty when there is nothing to merge. A
    cell the newest copy filled otherwise (a conflict) keeps its value and is not here, nor
    is a reviewer's sheet or a norm row that only an older copy has. Raises
    :class:`~kwl_office.errors.UnreadableFile` when a copy cannot be opened."""
    if len(copies) < 2:
        return []
    catalogue = catalogue or load_example_catalogue()
    reads = [_read_copy(copy, catalogue, key) for copy in copies]
    identity = _team_identity(reads, catalogue)
    if identity is None or not _same_workbook(reads, identity):
        return []
    merge = _Merge(reads, identity, catalogue)
    merge.fill()
    own = {name for name, (index, _) in merge.sheet_origin.items() if index == merge.base}
    cells = []
    for (sheet, cell), (r, c, value) in merge.written.items():
        index, origin_sheet, origin_cell = merge.origin[(sheet, cell)]
        if index == merge.base or sheet not in own:
            continue
        if (cell_text(_at(reads[merge.base].book.rows(sheet), r, c))
                and (sheet, cell) not in merge.replaced):
            continue  # filled here otherwise (a conflict): the newest copy keeps its own
        cells.append(MergedCell(sheet, cell, value, reads[index].copy.name, origin_sheet,
                                origin_cell))
    return cells


def _team_identity(reads: list[_Copy], catalogue: Catalogue) -> Identity | None:
    """The newest copy's identity when it is a team workbook of this catalogue."""
    identity = reads[-1].submission.identity
    if (identity is None or not identity.is_team
            or identity.catalogue_fingerprint != catalogue.fingerprint):
        return None
    return identity


def _same_workbook(reads: list[_Copy], identity: Identity) -> bool:
    return all(r.submission.identity is not None
               and r.submission.identity.workbook_id == identity.workbook_id for r in reads)


def _read_copy(copy: WorkbookCopy, catalogue: Catalogue, key: bytes | None) -> _Copy:
    opened = open_workbook_file(copy.path, copy.data)
    book = SheetSource(opened, explain_empty=True)  # merged at collect: read by people
    report = Report()
    identity = read_identity(book, opened, catalogue, key, report)
    submission = Submission(file=str(copy.path), identity=identity, report=report)
    read = _Copy(copy, book, submission)
    if (identity is not None and identity.is_team
            and identity.catalogue_fingerprint == catalogue.fingerprint):
        read_team(book, catalogue, identity, submission)
    return read


class _Merge:
    """Gathers the copies' values, writes them into the newest copy's sheets, reads that."""

    def __init__(self, reads: list[_Copy], identity: Identity, catalogue: Catalogue) -> None:
        self.reads = reads
        self.identity = identity
        self.catalogue = catalogue
        self.scale = catalogue.rating_scale
        self.expected = {norm.id for _, norms in L.selected_domains(catalogue,
                                                                     identity.norm_scope)
                         for _, norm in norms}
        for read in reads:
            read.parts = self._parts(read.book)
        self.base = len(reads) - 1
        self.book = _MergedBook(reads[-1].book)
        #: (merged sheet, cell) → (copy, sheet, cell) where the value was typed
        self.origin: dict[tuple[str, str], tuple[int, str, str]] = {}
        #: (merged sheet, cell) → the value the merge wrote into a row the sheet has
        self.written: dict[tuple[str, str], tuple[int, int, Any]] = {}
        #: (merged sheet, 0-based row) of norm rows copied in from another copy
        self.appended: set[tuple[str, int]] = set()
        #: merged sheet → (copy, sheet) it comes from
        self.sheet_origin: dict[str, tuple[int, str]] = {
            name: (self.base, name) for name in self.book.names}
        self.conflicts: list[Finding] = []
        #: (sheet, cell) of the newest copy whose value it had from the copies it was merged
        #: from and another copy typed otherwise: the typed value replaces it
        self.replaced: set[tuple[str, str]] = set()
        bases: dict[Path, dict[tuple[str, str, str], set[str]]] = {}
        #: per copy: the forms the copies it was merged from have, by (part, norm, column)
        self.inherited = [self._base_forms(read.copy.base, bases) for read in reads]

    # --- finding the parts of each copy ------------------------------------------------------

    def _parts(self, book: SheetSource) -> dict[str, _Part]:
        owners = sheet_owners(book)
        parts: dict[str, _Part] = {}
        for reviewer in self.identity.reviewers:
            sheet = next((n for n, o in owners.items() if same_name(o, reviewer)), None)
            part = self._locate(sheet, book) if sheet is not None else None
            if part is not None:
                parts[reviewer] = part
        claimed = {part.sheet for part in parts.values()}
        for name in owners:
            part = self._locate(name, book) if name not in claimed else None
            if part is not None and any(k in part.columns for k in _TEAM_INPUTS):
                parts[TEAM_PART] = part  # the reader reads the first such sheet too
                break
        return parts

    def _locate(self, sheet: str, book: SheetSource) -> _Part | None:
        rows = book.rows(sheet)
        for r, row in enumerate(rows[: L.HEADER_SCAN_ROWS]):
            tokens = [normalise_token(v) if isinstance(v, str) and len(v) < 60 else ""
                      for v in row]
            if _ID_TOKEN not in tokens:
                continue
            columns: dict[str, int] = {}
            for c, token in enumerate(tokens):
                if token in _HEADERS:
                    columns.setdefault(_HEADERS[token], c)
            id_col = columns["norm_id"]
            norm_rows: dict[str, int] = {}
            for below in range(r + 1, len(rows)):
                norm_id = cell_text(_at(rows, below, id_col))
                if norm_id in self.expected:
                    norm_rows.setdefault(norm_id, below)
            return _Part(sheet, rows, columns, norm_rows)
        return None

    # --- gathering -------------------------------------------------------------------------

    def _filled(self, parts: dict[str, _Part]
                ) -> Iterator[tuple[tuple[str, str, str], Any, str, str, str]]:
        """Every filled input cell of a copy: (part, norm, column), its value, the value as
        text, its sheet and cell."""
        for part_key, part in parts.items():
            inputs = _TEAM_INPUTS if part_key == TEAM_PART else _REVIEW_INPUTS
            for norm_id, r in part.norm_rows.items():
                for column_key in inputs:
                    c = part.columns.get(column_key)
                    raw = _at(part.rows, r, c) if c is not None else None
                    text = cell_text(raw)
                    if c is not None and text:
                        yield ((part_key, norm_id, column_key), raw, text, part.sheet,
                               cell_ref(r, c))

    def _base_forms(self, base: Sequence[WorkbookCopy],
                    cache: dict[Path, dict[tuple[str, str, str], set[str]]]
                    ) -> dict[tuple[str, str, str], set[str]]:
        """What the copies a copy was merged from have, per (part, norm, column): the forms
        of their values. A copy that cannot be read any more is left out (its values then
        count as typed, as in a copy without a base)."""
        forms: dict[tuple[str, str, str], set[str]] = {}
        for copy in base:
            if copy.path not in cache:
                try:
                    book = SheetSource(open_workbook_file(copy.path, copy.data),
                                       explain_empty=True)
                except UnreadableFile:
                    book = None
                cache[copy.path] = {} if book is None else self._forms(book)
            for key, found in cache[copy.path].items():
                forms.setdefault(key, set()).update(found)
        return forms

    def _forms(self, book: SheetSource) -> dict[tuple[str, str, str], set[str]]:
        forms: dict[tuple[str, str, str], set[str]] = {}
        for key, raw, text, _, _ in self._filled(self._parts(book)):
            forms.setdefault(key, set()).add(self._form(key[2], raw, text))
        return forms

    def _gather(self) -> dict[tuple[str, str, str], _Value]:
        """Every filled input cell by (part, norm, column): the first copy's value; a later
        copy with another value is a conflict. A value a copy has from the copies it was
        merged from gives way to one typed in another copy."""
        found: dict[tuple[str, str, str], list[_Value]] = {}
        met = itertools.count()
        for index, read in enumerate(self.reads):
            inherited = self.inherited[index]
            for key, raw, text, sheet, cell in self._filled(read.parts):
                form = self._form(key[2], raw, text)
                found.setdefault(key, []).append(_Value(
                    raw, form, index, sheet, cell, inherited=form in inherited.get(key, ()),
                    order=next(met)))
        values: dict[tuple[str, str, str], _Value] = {}
        conflicts: list[tuple[int, Finding]] = []
        for key, candidates in found.items():
            typed = [v for v in candidates if not v.inherited]
            pool = typed or candidates
            first = values[key] = pool[0]
            conflicts += [(later.order, self._conflict(key, first, later))
                          for later in pool[1:] if later.form != first.form]
            if typed and len(typed) < len(candidates):
                self.replaced.update((v.sheet, v.cell) for v in candidates
                                     if v.source == self.base and v.form != first.form)
        # in the order the later copy's cell was met, as when found copy by copy
        self.conflicts += [finding for _, finding in sorted(conflicts, key=lambda c: c[0])]
        return values

    def _form(self, column_key: str, raw: Any, text: str) -> str:
        if column_key == L.RATING.key:  # "V", "voldoet" and 3 are the same rating
            level = self.scale.lookup(raw if not isinstance(raw, str) else text)
            return level.code if level is not None else normalise_token(text)
        return " ".join(text.split())

    def _conflict(self, key: tuple[str, str, str], earlier: _Value, later: _Value) -> Finding:
        part_key, norm_id, _ = key
        owner = part_key or T.MERGE_TEAM_OWNER
        return make_finding(
            "merge-conflict", sheet=later.sheet, cell=later.cell, norm_id=norm_id,
            file=self.reads[later.source].copy.name, owner=owner,
            value=clip(cell_text(later.raw)), other=self.reads[earlier.source].copy.name,
            other_sheet=earlier.sheet, other_cell=earlier.cell,
            other_value=clip(cell_text(earlier.raw)))

    # --- writing into the newest copy's sheets ---------------------------------------------

    def _host(self, part_key: str) -> tuple[int, _Part, str] | None:
        """The copy whose sheet holds a part in the merged book (the newest copy that has
        it), that part, and the sheet's name in the merged book."""
        for index in range(self.base, -1, -1):
            part = self.reads[index].parts.get(part_key)
            if part is None:
                continue
            if index == self.base:
                return index, part, part.sheet
            # a reviewer whose sheet the newest copy lacks: their sheet from the copy that has
            # it (renamed when the newest copy uses its name for another sheet)
            name = self.book.add(part.sheet, part.rows)
            self.sheet_origin[name] = (index, part.sheet)
            return index, part, name
        return None

    def _write(self, values: dict[tuple[str, str, str], _Value]) -> None:
        part_keys = list(dict.fromkeys(k for read in self.reads for k in read.parts))
        for part_key in part_keys:
            host = self._host(part_key)
            if host is None:
                continue
            host_index, part, sheet = host
            rows = self.book.rows(sheet)
            norm_rows = dict(part.norm_rows)
            for (key, norm_id, column_key), value in values.items():
                c = part.columns.get(column_key)
                if key != part_key or c is None:
                    continue  # the host lacks the column: the reader reports missing-header
                if norm_id not in norm_rows:
                    norm_rows[norm_id] = self._append_row(sheet, rows, part, norm_id,
                                                          value.source, part_key)
                r = norm_rows[norm_id]
                if value.source == host_index and value.cell == cell_ref(r, c):
                    continue  # already there
                _put(rows, r, c, value.raw)
                self.origin[(sheet, cell_ref(r, c))] = (value.source, value.sheet, value.cell)
                if (sheet, r) not in self.appended:  # a row the newest copy lacks: no cell
                    self.written[(sheet, cell_ref(r, c))] = (r, c, value.raw)

    def _append_row(self, sheet: str, rows: list[list[Any]], host: _Part, norm_id: str,
                    source: int, part_key: str) -> int:
        """A norm row the host sheet lacks (deleted there, kept in another copy): copied
        from that copy, column by column, below the others."""
        other = self.reads[source].parts[part_key]
        src_row = other.norm_rows[norm_id]
        r = len(rows)
        rows.append([])
        self.appended.add((sheet, r))
        for column_key, c in host.columns.items():
            src_col = other.columns.get(column_key)
            if src_col is None:
                continue
            _put(rows, r, c, _at(other.rows, src_row, src_col))
            self.origin[(sheet, cell_ref(r, c))] = (source, other.sheet, cell_ref(src_row,
                                                                                   src_col))
        return r

    # --- reading the merged book ------------------------------------------------------------

    def fill(self) -> None:
        """Write every copy's values into the newest copy's sheets (``self.book``)."""
        self._write(self._gather())

    def read(self, allow_incomplete: bool) -> Submission:
        self.fill()
        newest = self.reads[self.base]
        report = Report(findings=[f for f in newest.submission.report.findings
                                  if f.sheet == L.SHEET_IDENTITY])
        merged = Submission(file=newest.submission.file, identity=self.identity,
                            report=report)
        own = len(report.findings)  # the newest copy's identity findings: no cell to move
        read_team(self.book, self.catalogue, self.identity, merged)
        if not allow_incomplete:
            check_complete(merged, self.catalogue)
        identity_findings = report.findings[:own]
        findings = (identity_findings + [self._relocate(f) for f in report.findings[own:]]
                    + self.conflicts + self._carried(identity_findings))
        merged.report = Report(findings=_unique(findings))
        return merged

    def _relocate(self, finding: Finding) -> Finding:
        if finding.sheet is None or finding.sheet not in self.sheet_origin:
            return finding
        origin = self.origin.get((finding.sheet, finding.cell or ""))
        if origin is None:
            index, sheet = self.sheet_origin[finding.sheet]
            origin = (index, sheet, finding.cell or "")
        index, sheet, cell = origin
        return finding.model_copy(update={"file": self.reads[index].copy.name, "sheet": sheet,
                                          "cell": cell or None})

    def _carried(self, identity_findings: list[Finding]) -> list[Finding]:
        seen = {(f.code, f.message) for f in identity_findings}
        carried = []
        for read in self.reads[: self.base]:
            for finding in read.submission.report.findings:
                if finding.code not in _CARRIED:
                    continue
                if finding.sheet == L.SHEET_IDENTITY:
                    if (finding.code, finding.message) in seen:
                        continue  # the same identity, the same finding: once
                    seen.add((finding.code, finding.message))
                carried.append(finding.model_copy(update={"file": read.copy.name}))
        return carried


def _unique(findings: list[Finding]) -> list[Finding]:
    """Each finding once (an appended row's changed norm text is found in its own copy and
    again in the merged book)."""
    seen: set[tuple[Any, ...]] = set()
    unique = []
    for finding in findings:
        place = (finding.code, finding.file, finding.sheet, finding.cell, finding.message)
        if place not in seen:
            seen.add(place)
            unique.append(finding)
    return unique


def _at(rows: list[list[Any]], r: int, c: int) -> Any:
    return rows[r][c] if r < len(rows) and c < len(rows[r]) else None


def _put(rows: list[list[Any]], r: int, c: int, value: Any) -> None:
    row = rows[r]
    if c >= len(row):
        row.extend([None] * (c + 1 - len(row)))
    row[c] = value
