"""Reading the consensus meeting's *Eindoordeel* and *Motivering* back from a filled
``geconsolideerd.xlsx`` (written by :mod:`kwl_office.consolidation.workbook`).

Tolerant as the submission reader is: rows are found by norm id, columns by header label,
ratings accepted as code, label or score in any spelling; the sheet may be renamed or copied.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kwl_office.catalogue import Catalogue, normalise_token
from kwl_office.consolidation.model import Override
from kwl_office.excel import layout as L
from kwl_office.excel.container import open_workbook_file
from kwl_office.excel.identity_sheet import wrong_kind
from kwl_office.excel.sheets import SheetSource, cell_ref, cell_text, clip
from kwl_office.findings import Report, make_finding

_MATRIX_TOKENS = {col.token: col.key
                  for col in (*L.MATRIX_BEFORE_REVIEWERS, *L.MATRIX_AFTER_REVIEWERS)}
_REQUIRED = (L.MATRIX_NORM_ID, L.MATRIX_FINAL, L.MATRIX_MOTIVATION)


@dataclass
class _MatrixHeader:
    row: int
    columns: dict[str, int]  # column key → 0-based index

    @property
    def complete(self) -> bool:
        return all(col.key in self.columns for col in _REQUIRED)


def read_overrides(path: str | Path, catalogue: Catalogue, *, assessment_id: str | None = None
                   ) -> tuple[list[Override], Report]:
    """Read the Eindoordeel/Motivering columns of a geconsolideerd.xlsx filled in the
    consensus meeting.

    Rows are found by norm id, columns by header label; Eindoordeel is accepted as code,
    label or score in any spelling. A row with an Eindoordeel becomes an
    :class:`~kwl_office.consolidation.Override` (motivation None when empty: whether that is
    acceptable is for :func:`~kwl_office.consolidation.rules.consolidate` to say); a row whose
    Eindoordeel merely repeats the consensus without a motivation is skipped. Content
    problems are findings in the returned report (``unknown-rating``, ``missing-header``,
    ``assessment-mismatch`` …); a file that cannot be opened at all raises
    :class:`~kwl_office.errors.UnreadableFile`.
    """
    opened = open_workbook_file(path)
    book = SheetSource(opened)
    report = Report()
    name = Path(path).name
    if not _check_identity(book, catalogue, assessment_id, name, report):
        return [], report
    located = _find_matrix(book)
    if located is None:
        for column in _REQUIRED:
            report.add(make_finding("missing-header", sheet=L.SHEET_MATRIX, file=name,
                                    label=column.label))
        return [], report
    sheet, rows, header = located
    if not header.complete:
        for column in _REQUIRED:
            if column.key not in header.columns:
                report.add(make_finding("missing-header", sheet=sheet, file=name,
                                        cell=f"{header.row + 1}:{header.row + 1}",
                                        label=column.label))
        return [], report
    return _read_rows(sheet, rows, header, catalogue, name, report), report


def _check_identity(book: SheetSource, catalogue: Catalogue, assessment_id: str | None,
                    name: str, report: Report) -> bool:
    """False (with a finding) when the file is not this assessment's consolidated workbook."""
    sheet = next((n for n in book.names
                  if n.casefold() == L.CONSOLIDATED_IDENTITY_SHEET.casefold()), None)
    if sheet is None:
        # e.g. copied into a new workbook: the norm ids and the overrides check still hold
        return True
    meta: dict[str, str] = {}
    for row in book.rows(sheet):
        if len(row) >= 2 and cell_text(row[0]) in L.CONSOLIDATED_KEYS:
            meta[cell_text(row[0])] = cell_text(row[1])
    kind = meta.get("kind", L.CONSOLIDATED_KIND)
    if kind != L.CONSOLIDATED_KIND:
        report.add(wrong_kind(kind, L.CONSOLIDATED_KIND, file=name))
        return False
    found = meta.get("assessment_id", "")
    if assessment_id is not None and found != assessment_id:
        report.add(make_finding("assessment-mismatch", sheet=sheet, file=name, found=found,
                                found_host=meta.get("host", ""), expected=assessment_id))
        return False
    fingerprint = meta.get("catalogue_fingerprint")
    if fingerprint and fingerprint != catalogue.fingerprint:
        report.add(make_finding(
            "catalogue-mismatch", sheet=sheet, file=name,
            found=f"{meta.get('catalogue_id', '')} {meta.get('catalogue_version', '')}".strip(),
            expected=f"{catalogue.id} {catalogue.version}"))
        return False
    return True


def _scan_header(rows: list[list[Any]]) -> _MatrixHeader | None:
    """The header row within the top rows: complete if there is one, else the best one."""
    best: _MatrixHeader | None = None
    for r, row in enumerate(rows[: L.HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        for c, value in enumerate(row):
            # header labels are short strings; skip normalising anything else
            if isinstance(value, str) and len(value) < 60:
                key = _MATRIX_TOKENS.get(normalise_token(value))
                if key is not None and key not in columns:
                    columns[key] = c
        if L.MATRIX_NORM_ID.key not in columns or len(columns) < 2:
            continue
        header = _MatrixHeader(r, columns)
        if header.complete:
            return header
        if best is None or len(columns) > len(best.columns):
            best = header
    return best


def _find_matrix(book: SheetSource) -> tuple[str, list[list[Any]], _MatrixHeader] | None:
    named = next((n for n in book.names if n.casefold() == L.SHEET_MATRIX.casefold()), None)
    if named is not None:
        rows = book.rows(named)
        header = _scan_header(rows)
        return (named, rows, header) if header else (named, rows, _MatrixHeader(0, {}))
    # renamed sheet: any sheet with the Norm, Eindoordeel and Motivering headers
    for name in book.names:
        if name.startswith("_"):
            continue
        rows = book.rows(name)
        header = _scan_header(rows)
        if header is not None and header.complete:
            return name, rows, header
    return None


def _read_rows(sheet: str, rows: list[list[Any]], header: _MatrixHeader, catalogue: Catalogue,
               name: str, report: Report) -> list[Override]:
    scale = catalogue.rating_scale
    limit = catalogue.policy.max_text_length
    id_col = header.columns[L.MATRIX_NORM_ID.key]
    final_col = header.columns[L.MATRIX_FINAL.key]
    motivation_col = header.columns[L.MATRIX_MOTIVATION.key]
    consensus_col = header.columns.get(L.MATRIX_CONSENSUS.key)

    def value_at(row: list[Any], col: int | None) -> Any:
        return row[col] if col is not None and col < len(row) else None

    overrides: list[Override] = []
    seen: dict[str, str] = {}
    for r in range(header.row + 1, len(rows)):
        row = rows[r]
        norm_id = cell_text(value_at(row, id_col))
        if not norm_id:
            continue
        raw = value_at(row, final_col)
        text = cell_text(raw)
        if norm_id not in catalogue.norm_index:
            if text:
                report.add(make_finding("unknown-norm-row", sheet=sheet, file=name,
                                        cell=cell_ref(r, id_col), norm_id=norm_id))
            continue
        if norm_id in seen:
            report.add(make_finding("duplicate-norm-row", sheet=sheet, file=name,
                                    cell=cell_ref(r, id_col), norm_id=norm_id,
                                    first=seen[norm_id]))
            continue
        seen[norm_id] = f"{sheet}!{cell_ref(r, id_col)}"
        if not text:
            continue
        cell = cell_ref(r, final_col)
        level = scale.lookup(raw if not isinstance(raw, str) else text)
        if level is None:
            report.add(make_finding("unknown-rating", sheet=sheet, file=name, cell=cell,
                                    norm_id=norm_id, value=clip(text), note="",
                                    allowed=scale.allowed_text()))
            continue
        motivation = cell_text(value_at(row, motivation_col))
        motivation_cell = cell_ref(r, motivation_col)
        if not motivation:
            consensus = scale.lookup(cell_text(value_at(row, consensus_col)))
            if consensus is not None and consensus.code == level.code:
                continue  # the consensus repeated: not an override
        elif len(motivation) > limit:
            report.add(make_finding("text-too-long", sheet=sheet, file=name,
                                    cell=motivation_cell, norm_id=norm_id,
                                    length=len(motivation), limit=limit))
        overrides.append(Override(
            norm_id=norm_id,
            rating=level.code,
            motivation=motivation or None,
            sheet=sheet,
            cell=cell,
            motivation_cell=motivation_cell,
        ))
    return overrides


__all__ = ["read_overrides"]
