"""Issue many workbooks fast: build each workbook *shape* once, then stamp identities into it.

A round issues hundreds of workbooks that differ only in who they are for: the host, the
reviewer, the assessment id, the dates and the signed identity. Building each one with
openpyxl costs ~50 ms; a :class:`WorkbookStamper` builds one template package per shape (kind,
norm scope, with or without deadline) with recognisable placeholder values, and writes each
workbook by replacing the placeholders in the package's XML parts (~4 ms).

The result is the workbook :func:`~kwl_office.excel.writer.write_workbook` would write for the
same identity, part for part (save times aside) — a test holds the two equal for hostile names.
Values the placeholder route cannot reproduce exactly (control characters, which openpyxl
escapes its own way) fall back to the full build. A long name wraps onto more lines than its
placeholder where the writer wraps it (the subtitle of each sheet, the start sheet's cover):
the stamper gives those rows the heights the writer gives them
(:func:`~kwl_office.excel.writer.name_rows`).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from openpyxl.worksheet.dimensions import RowDimension

from kwl_office import texts_nl as T
from kwl_office.assessment import Identity, Kind, NormScope
from kwl_office.atomic import write_bytes_atomic
from kwl_office.catalogue import Catalogue
from kwl_office.excel.style import header_text
from kwl_office.excel.writer import (
    WorkbookSpec,
    build_workbook,
    name_rows,
    signed_identity,
    workbook_package,
)

# Placeholder values of the template identity. Free-text fields get tokens no catalogue text
# contains, each with one non-ASCII letter: openpyxl writes worksheets as ASCII with character
# references (``&#233;``) and the property parts as UTF-8, so the form a token takes in a part
# says how a value must be written there. Dates get sentinel dates, because the writer shows
# them formatted on the cover ("1 januari 1901") and raw in the identity sheet ("1901-01-01").
# Assessment ids are not free text: they come from an ASCII alphabet (kwl_office.names).
_HOST = "KWLSTAMPHOST\u00e9"
_REVIEWER = "KWLSTAMPREVIEWER\u00e9"
_ASSESSMENT = "KWLSTAMPASSESSMENT"
_WORKBOOK_ID = "KWLSTAMPWORKBOOKID\u00e9"
_SIGNATURE = "KWLSTAMPSIGNATURE\u00e9"
_DEADLINE = "1901-01-01"
_ISSUED = "1902-02-02T02:02:02+00:00"

#: the print header/footer block of a sheet, where ``&`` is a control character
_HEADER_FOOTER = re.compile(r"<headerFooter\b.*?</headerFooter>", re.DOTALL)
#: characters openpyxl escapes or refuses in its own way: such values take the full build
_SPECIAL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")


def _placeholders(identity: Identity) -> dict[str, str]:
    """Placeholder text → the identity's own text, as the writer would show each."""
    values = {
        _HOST: identity.host,
        _ASSESSMENT: identity.assessment_id,
        _WORKBOOK_ID: identity.workbook_id,
        _SIGNATURE: identity.signature,
        _ISSUED: identity.issued_at,
        T.format_date(_ISSUED[:10]): T.format_date(identity.issued_at[:10]),
    }
    if identity.kind.is_review:
        values[_REVIEWER] = identity.reviewer
    if identity.deadline:
        values[_DEADLINE] = identity.deadline
        values[T.format_date(_DEADLINE)] = T.format_date(identity.deadline)
    return values


@dataclass(frozen=True)
class _Part:
    """One zip member of a template: its bytes, or its text when it holds placeholders."""

    name: str
    data: bytes
    text: str | None


class _Template:
    """A workbook package with placeholder values, ready to be stamped."""

    def __init__(self, package: bytes, tokens: list[str],
                 heights: dict[tuple[str, int], float]) -> None:
        #: how each token may appear → (token, written with character references)
        self._forms = {token: (token, False) for token in tokens}
        self._forms.update({_ascii(token): (token, True) for token in tokens})
        # longest first, so a token that is a prefix of another never wins the match
        ordered = sorted(self._forms, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(t) for t in ordered))
        self._parts: list[_Part] = []
        seen: set[str] = set()
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            self._sheets = _sheet_parts(archive)
            # the rows whose height follows the names: (part, row) → height in the template
            self._heights = {(self._sheets[sheet], row): height
                             for (sheet, row), height in heights.items()}
            for info in archive.infolist():
                data = archive.read(info)
                text = data.decode("utf-8") if info.filename.endswith((".xml", ".rels")) else None
                if text is not None and self._pattern.search(text):
                    seen.update(self._forms[f][0] for f in self._pattern.findall(text))
                    self._parts.append(_Part(info.filename, data, text))
                else:
                    self._parts.append(_Part(info.filename, data, None))
        missing = set(tokens) - seen
        if missing:  # the writer changed: better to fail loudly than to issue wrong workbooks
            raise RuntimeError(f"workbook template lacks placeholders {sorted(missing)}")
        texts = {part.name: part.text for part in self._parts}
        for part, row in self._heights:
            if not _row_height(row).search(texts.get(part) or ""):
                raise RuntimeError(f"workbook template lacks the height of row {row} in {part}")

    def stamp(self, values: dict[str, str], heights: dict[tuple[str, int], float]) -> bytes:
        """The package with every placeholder replaced by its value (XML-escaped), and the
        rows whose height follows the names (``heights``: (sheet, row) → height) as high as
        the values need."""
        plain = self._escaped(values)
        rows: dict[str, dict[int, float]] = {}
        for (sheet, row), height in heights.items():
            member = self._sheets[sheet]
            if self._heights[member, row] != height:
                rows.setdefault(member, {})[row] = height
        header = self._escaped({token: header_text(value) for token, value in values.items()})
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for part in self._parts:
                if part.text is None:
                    archive.writestr(part.name, part.data)
                    continue
                # each stretch of text is replaced once, with the escaping of its context
                text: list[str] = []
                done = 0
                for block in _HEADER_FOOTER.finditer(part.text):
                    text += [self._replace(part.text[done:block.start()], plain),
                             self._replace(block.group(0), header)]
                    done = block.end()
                text.append(self._replace(part.text[done:], plain))
                stamped = "".join(text)
                for row, height in rows.get(part.name, {}).items():
                    stamped = _row_height(row).sub(rf'\g<1>{_height_text(height)}"', stamped,
                                                   count=1)
                archive.writestr(part.name, stamped.encode("utf-8"))
        return buffer.getvalue()

    def _escaped(self, values: dict[str, str]) -> dict[str, str]:
        """Every form of every token → the value written the way that form is written."""
        return {form: _ascii(escape(values[token])) if charrefs else escape(values[token])
                for form, (token, charrefs) in self._forms.items()}

    def _replace(self, text: str, values: dict[str, str]) -> str:
        return self._pattern.sub(lambda m: values[m.group(0)], text)


def _row_height(row: int) -> re.Pattern[str]:
    """The height attribute of row ``row``'s element, as openpyxl writes it."""
    return re.compile(rf'(<row r="{row}"[^>]*? ht=")[^"]*"')


def _height_text(points: float) -> str:
    """A row height written as openpyxl writes it."""
    return str(dict(RowDimension(None, index=1, ht=points))["ht"])


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the zip member of its worksheet, as the workbook's relationships say."""
    namespace = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                 "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                 "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): str(rel.get("Target")) for rel in rels.findall("p:Relationship",
                                                                              namespace)}
    parts = {}
    for sheet in book.findall("m:sheets/m:sheet", namespace):
        target = targets[sheet.get(f"{{{namespace['r']}}}id")]
        parts[str(sheet.get("name"))] = (target.lstrip("/") if target.startswith("/")
                                         else f"xl/{target}")
    return parts


def _ascii(text: str) -> str:
    """Non-ASCII characters as XML character references, the way openpyxl writes worksheets."""
    return text.encode("ascii", "xmlcharrefreplace").decode("ascii")


class WorkbookStamper:
    """Writes the workbooks of one catalogue, building each workbook shape only once.

    With ``macros`` every workbook is an ``.xlsm`` with the check macro (the VBA project is
    built once, with the template).

    Use one stamper for a whole batch (``round issue``); a template is built the first time a
    shape is asked for. Workbooks with a *mirror* (the host's self-evaluation shown beside the
    norms) differ per assessment and are built in full by
    :func:`~kwl_office.excel.writer.write_workbook` instead; so are shared team workbooks.
    """

    def __init__(self, catalogue: Catalogue, *, macros: bool = False) -> None:
        self._catalogue = catalogue
        self._macros = macros
        self._templates: dict[tuple[Kind, NormScope, bool], _Template] = {}

    def write(
        self,
        path: str | Path,
        spec: WorkbookSpec,
        *,
        key: bytes,
        workbook_id: str | None = None,
        issued_at: datetime | None = None,
    ) -> Identity:
        """Write a workbook for ``spec`` to ``path`` (atomically); return its signed identity."""
        identity = signed_identity(spec, self._catalogue, key=key, workbook_id=workbook_id,
                                   issued_at=issued_at)
        values = _placeholders(identity)
        # a team workbook's sheets are named after its reviewers: one of a kind, built in full
        if identity.is_team or any(_SPECIAL.search(value) for value in values.values()):
            write_bytes_atomic(path, workbook_package(build_workbook(identity, self._catalogue),
                                                      macros=self._macros))
            return identity
        template = self._template(identity.kind, identity.norm_scope, bool(identity.deadline))
        write_bytes_atomic(path, template.stamp(values, name_rows(identity, self._catalogue)))
        return identity

    def _template(self, kind: Kind, scope: NormScope, with_deadline: bool) -> _Template:
        shape = (kind, scope, with_deadline)
        if shape not in self._templates:
            placeholder = Identity.model_validate({
                **_template_identity(self._catalogue, kind, scope).model_dump(),
                "deadline": _DEADLINE if with_deadline else "",
            })
            package = workbook_package(build_workbook(placeholder, self._catalogue),
                                       macros=self._macros)
            self._templates[shape] = _Template(package, list(_placeholders(placeholder)),
                                               name_rows(placeholder, self._catalogue))
        return self._templates[shape]


def _template_identity(catalogue: Catalogue, kind: Kind, scope: NormScope) -> Identity:
    spec = WorkbookSpec(kind=kind, assessment_id=_ASSESSMENT, host=_HOST,
                        reviewer=_REVIEWER if kind.is_review else "",
                        distinctive_only=scope is NormScope.DISTINCTIVE)
    identity = signed_identity(spec, catalogue, key=b"template", workbook_id=_WORKBOOK_ID,
                               issued_at=datetime.fromisoformat(_ISSUED).astimezone(UTC))
    return identity.model_copy(update={"signature": _SIGNATURE})
