"""Read a filled workbook back into a :class:`~kwl_office.assessment.Submission`.

Tolerant of what people do (sorting, moving and inserting rows and columns, pasting,
typing ``n.v.t.`` or `` VOLDOET DEELS ``, saving in LibreOffice or as ``.ods``) and precise
about what is wrong: every content problem becomes a finding with sheet, cell and norm.
Only a file that cannot be opened as a workbook at all raises
:class:`~kwl_office.errors.UnreadableFile`.

Values are read with python-calamine; norm rows are found by the norm id, input columns by
their header label (see :mod:`kwl_office.excel.layout`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kwl_office import texts_nl as T
from kwl_office.assessment import Identity, Kind, NormResponse, NormScope, Submission
from kwl_office.catalogue import Catalogue, load_example_catalogue, normalise_token
from kwl_office.errors import UnreadableFile, UnsupportedFormat
from kwl_office.excel import layout as L
from kwl_office.excel.container import OpenedFile, open_workbook_file
from kwl_office.excel.sheets import SheetSource, cell_ref, cell_text, clip
from kwl_office.findings import Report, make_finding
from kwl_office.identity import verify

_YES = {"ja", "j", "yes", "y", "x", "waar", "true", "1"}
_NO = {"nee", "n", "no", "onwaar", "false", "0", ""}


def read_workbook(
    path: str | Path,
    catalogue: Catalogue | None = None,
    *,
    key: bytes | None = None,
    expected_kind: Kind | None = None,
    expected_assessment: str | None = None,
    allow_incomplete: bool = False,
    data: bytes | None = None,
) -> Submission:
    """Read a filled workbook; content problems are findings in ``submission.report``.

    ``key`` verifies the identity's signature (without it: warning
    ``signature-unverified``). ``expected_kind`` / ``expected_assessment`` add
    ``wrong-kind`` / ``wrong-assessment`` errors when the workbook is something else.
    A workbook with fewer rated norms than the policy asks (``min_aandeel_beoordeeld``) gets
    the error ``incomplete-submission``, unless ``allow_incomplete`` (a workbook still being
    filled in; its open norms stay ``missing-rating`` warnings). ``data``: the file's bytes
    when the caller read them already (:func:`~kwl_office.excel.container.read_bounded`).
    Raises :class:`~kwl_office.errors.UnreadableFile` only when the file cannot be opened.
    """
    catalogue = catalogue or load_example_catalogue()
    opened = open_workbook_file(path, data)
    book = SheetSource(opened)
    report = Report()
    identity = _read_identity(book, opened, catalogue, key, report)
    if identity is not None:
        if expected_kind is not None and identity.kind is not expected_kind:
            report.add(make_finding("wrong-kind", sheet=L.SHEET_IDENTITY,
                                    found=identity.kind.value, expected=expected_kind.value))
        if expected_assessment is not None and identity.assessment_id != expected_assessment:
            report.add(make_finding("wrong-assessment", sheet=L.SHEET_IDENTITY,
                                    found=identity.assessment_id, expected=expected_assessment))
    submission = Submission(file=str(path), identity=identity, report=report)
    if identity is not None and identity.catalogue_fingerprint != catalogue.fingerprint:
        # norm rows of another catalogue would only produce noise; the mismatch says it all
        return submission
    _NormReader(book, catalogue, identity, expected_kind, submission).read()
    if not allow_incomplete:
        _check_complete(submission, catalogue)
    return submission


def read_submission(path: str | Path, catalogue: Catalogue | None = None, *,
                    key: bytes | None = None, expected_kind: Kind | None = None,
                    allow_incomplete: bool = False, name: str | None = None,
                    data: bytes | None = None) -> Submission:
    """:func:`read_workbook`, but a file that cannot be read at all becomes a submission too:
    no identity, no responses, and one ``unreadable-file`` finding with the reason, naming the
    file as ``name`` (default: its file name). The one way ``kwl check``, the round's intake
    and the consolidation turn a refusal into data."""
    try:
        return read_workbook(path, catalogue, key=key, expected_kind=expected_kind,
                             allow_incomplete=allow_incomplete, data=data)
    except UnreadableFile as err:
        report = Report()
        report.add(make_finding("unreadable-file", file=name or Path(path).name,
                                reason=err.reason))
        return Submission(file=str(path), report=report)


def _check_complete(submission: Submission, catalogue: Catalogue) -> None:
    """The completeness rule: a workbook counts only with enough rated norms."""
    scope = submission.identity.norm_scope if submission.identity else NormScope.ALL
    expected = [norm.id for _, norms in L.selected_domains(catalogue, scope) for _, norm in norms]
    responses = submission.responses
    open_norms = [n for n in expected if n not in responses or responses[n].rating is None]
    required = catalogue.policy.required_ratings(len(expected))
    rated = len(expected) - len(open_norms)
    if rated >= required:
        return
    first = responses.get(open_norms[0]) if open_norms else None
    shown = ", ".join(open_norms[:8]) + (f" en {len(open_norms) - 8} meer"
                                         if len(open_norms) > 8 else "")
    submission.report.add(make_finding(
        "incomplete-submission", sheet=first.sheet if first else None,
        cell=first.cell if first else None, norm_id=open_norms[0] if open_norms else None,
        file_prefix="", rated=rated, total=len(expected), required=required,
        open_norms=shown))


# --- identity --------------------------------------------------------------------------------


def _read_identity(
    book: SheetSource, opened: OpenedFile, catalogue: Catalogue, key: bytes | None,
    report: Report,
) -> Identity | None:
    sheet_values: dict[str, str] = {}
    identity_sheet = next(
        (n for n in book.names if n.casefold() == L.SHEET_IDENTITY.casefold()), None)
    if identity_sheet is not None:
        for row in book.rows(identity_sheet):
            if len(row) >= 2:
                name = cell_text(row[0])
                if name in L.IDENTITY_KEYS:
                    sheet_values[name] = cell_text(row[1])
    prop_values = {
        name[len(L.PROPERTY_PREFIX):]: value.strip()
        for name, value in opened.properties.items()
        if name.startswith(L.PROPERTY_PREFIX) and name[len(L.PROPERTY_PREFIX):] in L.IDENTITY_KEYS
    }
    values = sheet_values or prop_values
    if not values:
        report.add(make_finding("identity-missing", sheet=L.SHEET_IDENTITY, detail=""))
        return None
    if sheet_values and prop_values:
        differing = sorted(k for k in L.IDENTITY_KEYS
                           if sheet_values.get(k, "") != prop_values.get(k, ""))
        if differing:
            report.add(make_finding("identity-tampered", sheet=L.SHEET_IDENTITY,
                                    detail=f" ({', '.join(differing)})"))
    try:
        identity = Identity.model_validate(values)
    except ValidationError as err:
        fields = sorted({str(e["loc"][0]) for e in err.errors() if e["loc"]})
        report.add(make_finding("identity-missing", sheet=L.SHEET_IDENTITY,
                                detail=f" ({', '.join(fields)})"))
        return None
    if identity.layout_version != L.LAYOUT_VERSION:
        report.add(make_finding("layout-version", sheet=L.SHEET_IDENTITY,
                                found=identity.layout_version, expected=L.LAYOUT_VERSION))
    if not identity.signature:
        report.add(make_finding("identity-missing", sheet=L.SHEET_IDENTITY,
                                detail=" (handtekening ontbreekt)"))
    elif key is None:
        report.add(make_finding("signature-unverified", sheet=L.SHEET_IDENTITY))
    elif not verify(identity, key):
        report.add(make_finding("identity-tampered", sheet=L.SHEET_IDENTITY, detail=""))
    if identity.catalogue_fingerprint != catalogue.fingerprint:
        report.add(make_finding(
            "catalogue-mismatch", sheet=L.SHEET_IDENTITY,
            found=f"{identity.catalogue_id} {identity.catalogue_version}",
            expected=f"{catalogue.id} {catalogue.version}",
        ))
    return identity


# --- norm rows -------------------------------------------------------------------------------


_ID_TOKEN = L.NORM_ID.token
_RATING_TOKEN = L.RATING.token
#: every header label the writer uses → column key
_KNOWN_HEADERS = {
    column.token: column.key
    for kind in (Kind.SELF_EVALUATION, Kind.PEER)
    for column in L.columns_for(kind, mirror=True)
}


@dataclass
class _Header:
    row: int
    columns: dict[str, int]  # column key → 0-based index


class _NormReader:
    def __init__(self, book: SheetSource, catalogue: Catalogue, identity: Identity | None,
                 expected_kind: Kind | None, submission: Submission) -> None:
        self.book = book
        self.catalogue = catalogue
        self.identity = identity
        self.kind = identity.kind if identity else expected_kind
        self.submission = submission
        self.report = submission.report
        scope = identity.norm_scope if identity else NormScope.ALL
        self.expected: dict[str, str] = {
            norm.id: L.domain_sheet_name(domain)
            for domain, norms in L.selected_domains(catalogue, scope)
            for _, norm in norms
        }
        self.found_at: dict[str, str] = {}
        self.max_len = catalogue.policy.max_text_length
        self.scale = catalogue.rating_scale

    def read(self) -> None:
        norm_sheets = 0
        for name in self.book.names:
            if name in L.NON_NORM_SHEETS or name.startswith("_"):
                continue
            rows = self.book.rows(name)
            header = self._find_header(rows)
            if header is None:
                continue
            norm_sheets += 1
            if self.kind is None:
                self.kind = self._guess_kind(header)
            if not self._check_headers(name, header):
                continue
            self._read_rows(name, rows, header)
        if norm_sheets == 0 and self.identity is None:
            raise UnsupportedFormat(self.book.path, T.UNREADABLE["no-domain-sheets"])
        for norm_id, sheet in self.expected.items():
            if norm_id not in self.found_at:
                self.report.add(make_finding("missing-norm-row", sheet=sheet, norm_id=norm_id))
        # responses in catalogue order, whatever order the rows were in
        order = {norm_id: i for i, norm_id in enumerate(self.expected)}
        self.submission.responses = dict(
            sorted(self.submission.responses.items(), key=lambda item: order[item[0]]))

    def _find_header(self, rows: list[list[Any]]) -> _Header | None:
        for r, row in enumerate(rows[: L.HEADER_SCAN_ROWS]):
            # header labels are short strings; skip normalising anything else
            tokens = [normalise_token(v) if isinstance(v, str) and len(v) < 60 else ""
                      for v in row]
            if _ID_TOKEN not in tokens or _RATING_TOKEN not in tokens:
                continue
            columns: dict[str, int] = {}
            for c, token in enumerate(tokens):
                key = _KNOWN_HEADERS.get(token)
                if key is not None and key not in columns:
                    columns[key] = c
            return _Header(row=r, columns=columns)
        return None

    @staticmethod
    def _guess_kind(header: _Header) -> Kind:
        return Kind.SELF_EVALUATION if "comment_self" in header.columns else Kind.PEER

    def _check_headers(self, sheet: str, header: _Header) -> bool:
        assert self.kind is not None
        complete = True
        for column in L.input_columns(self.kind):
            if column.key not in header.columns:
                self.report.add(make_finding("missing-header", sheet=sheet,
                                             cell=f"{header.row + 1}:{header.row + 1}",
                                             label=column.label))
                complete = column.key != "rating" and complete
        return complete

    def _read_rows(self, sheet: str, rows: list[list[Any]], header: _Header) -> None:
        assert self.kind is not None
        id_col = header.columns["norm_id"]
        text_col = header.columns.get("norm_text")
        inputs = [c for c in L.input_columns(self.kind) if c.key in header.columns]
        for r in range(header.row + 1, len(rows)):
            row = rows[r]
            norm_id = cell_text(row[id_col]) if id_col < len(row) else ""
            if not norm_id:
                continue
            if norm_id not in self.expected:
                self.report.add(make_finding("unknown-norm-row", sheet=sheet,
                                             cell=cell_ref(r, id_col), norm_id=norm_id))
                continue
            if norm_id in self.found_at:
                self.report.add(make_finding("duplicate-norm-row", sheet=sheet,
                                             cell=cell_ref(r, id_col), norm_id=norm_id,
                                             first=self.found_at[norm_id]))
                continue
            self.found_at[norm_id] = f"{sheet}!{cell_ref(r, id_col)}"
            if text_col is not None and text_col < len(row):
                self._check_norm_text(sheet, r, text_col, norm_id, row[text_col])
            fields: dict[str, Any] = {"sheet": sheet}
            if self.kind is Kind.SELF_EVALUATION:
                fields["accent"] = False
            for column in inputs:
                c = header.columns[column.key]
                value = row[c] if c < len(row) else None
                self._read_input(fields, column, sheet, r, c, norm_id, value)
            self.submission.responses[norm_id] = NormResponse(**fields)

    def _check_norm_text(self, sheet: str, r: int, c: int, norm_id: str, value: Any) -> None:
        _, _, norm = self.catalogue.norm_index[norm_id]
        if value == norm.text:  # the usual case, without normalising whitespace
            return
        if " ".join(cell_text(value).split()) != " ".join(norm.text.split()):
            self.report.add(make_finding("norm-text-changed", sheet=sheet,
                                         cell=cell_ref(r, c), norm_id=norm_id))

    def _read_input(self, fields: dict[str, Any], column: L.Column, sheet: str, r: int, c: int,
                    norm_id: str, value: Any) -> None:
        text = cell_text(value)
        if column.role is L.Role.RATING:
            cell = cell_ref(r, c)
            fields["cell"] = cell
            if not text:
                self.report.add(make_finding("missing-rating", sheet=sheet, cell=cell,
                                             norm_id=norm_id))
                return
            level = self.scale.lookup(value if not isinstance(value, str) else text)
            if level is None:
                self.report.add(make_finding("unknown-rating", sheet=sheet, cell=cell,
                                             norm_id=norm_id, value=clip(text),
                                             allowed=self.scale.allowed_text()))
                return
            fields["rating"] = level.code
            return
        if column.role is L.Role.ACCENT:
            token = normalise_token(text)
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


__all__ = ["UnreadableFile", "read_submission", "read_workbook"]
