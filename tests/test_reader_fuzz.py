"""Whatever happens to a returned workbook, ``read_workbook`` reports it or refuses it cleanly.

The property tests mutate freshly generated workbooks (cell values of every type, locked
cells, rows, columns and sheets, the identity, and the zip and bytes underneath) and check
that the only exception that ever leaves the reader is
:class:`~kwl_office.errors.UnreadableFile` with a one-line message; otherwise the submission
is JSON-serialisable and every finding has a registered code and a message. The plain tests
below them aim at the attacks DESIGN.md §4 names: zip bombs, entity expansion, encrypted
and old ``.xls`` files, non-workbooks.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import struct
import warnings
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.packaging.custom import StringProperty
from openpyxl.workbook.workbook import Workbook

from kwl_office.assessment import Kind
from kwl_office.catalogue import load_example_catalogue
from kwl_office.errors import (
    CorruptFile,
    EncryptedFile,
    TooLarge,
    UnreadableFile,
    UnsupportedFormat,
)
from kwl_office.excel import layout as L
from kwl_office.excel.reader import read_workbook
from kwl_office.findings import FINDING_KINDS
from tests import helpers
from tests.helpers import examples

# --- the property every example must satisfy -------------------------------------------------


def check_reads_or_refuses(path: Path, **kwargs: Any) -> None:
    """Read ``path``: a clean refusal, or a submission that serialises with known findings."""
    try:
        submission = read_workbook(path, **kwargs)
    except UnreadableFile as err:
        message = str(err)
        assert message.strip(), f"{type(err).__name__} without a message"
        assert len(message.splitlines()) == 1, f"multi-line refusal: {message!r}"
        return
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as err:
        # also pyo3's PanicException, a BaseException a Rust panic in a parser turns into
        raise AssertionError(f"{type(err).__name__} escaped read_workbook: {err}") from err
    json.dumps(submission.to_json(), allow_nan=False)
    for finding in submission.report.findings:
        assert finding.code in FINDING_KINDS, finding
        assert finding.severity == FINDING_KINDS[finding.code].severity, finding
        assert isinstance(finding.message, str) and finding.message.strip(), finding


# --- base workbooks ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[Kind, Path]:
    """One generated and filled-in workbook per kind, never modified (examples copy it)."""
    folder = tmp_path_factory.mktemp("fuzz-bases")
    catalogue = load_example_catalogue()
    result = {}
    for kind in Kind:
        path = helpers.generate(folder / f"{kind.value}.xlsx", kind, catalogue)
        typed, _ = helpers.messy_answers(catalogue, kind)
        helpers.fill(path, typed)
        result[kind] = path
    return result


def _copy_base(bases: dict[Kind, Path], kind: Kind, folder: Path) -> Path:
    target = folder / "teruggestuurd.xlsx"
    shutil.copyfile(bases[kind], target)
    return target


# --- values ------------------------------------------------------------------------------------

#: strings people (and attackers) put in cells
_NASTY_STRINGS = [
    "", " ", "#N/A", "#DIV/0!", "#REF!", "=1/0", "=A1", "=SUM(", "=HYPERLINK(\"http://x\")",
    "+2", "-0", "2,0", "2.0", "1e400", "inf", "-inf", "nan", "NaN", "n.v.t.", " VOLDOET ",
    "Voldoet deels", "V", "nvt", "ja", "Nee", "x", "🙂🙂🙂", "👩‍👩‍👧‍👦", "\u200b", "\ufeffV",
    "\x00", "\x01\x02\x1f", "tab\tnew\nline\r\n", "_x0001_", "_x000D_", "<t>&amp;</t>",
    "]]>", "{norm_id}", "{0}", "%s", "V1.1", "V9.9", "\u2028", "\ud7ff\ue000\ufffd",
    "\ufffe", "\uffff",
]

_LONG_STRINGS = st.builds(
    lambda chunk, count: chunk * count,
    st.sampled_from(["x", "é", "🙂", "\n", "ab ", "\x01"]),
    st.integers(min_value=8_000, max_value=40_000),
)

CELL_VALUES: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),  # NaN, ±inf, huge and tiny
    st.sampled_from([float("nan"), float("inf"), float("-inf"), 1e308, -1e308, 5e-324,
                     0.5, 2.0, 1.0, 0.0, -0.0, 3.0000000001]),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    st.dates(),
    st.times(),
    st.timedeltas(min_value=timedelta(days=-1000), max_value=timedelta(days=100_000)),
    st.text(max_size=60),
    st.sampled_from(_NASTY_STRINGS),
    _LONG_STRINGS,
)

#: text fit for a custom document property or a sheet cell of the identity
IDENTITY_VALUES: st.SearchStrategy[Any] = st.one_of(
    CELL_VALUES,
    st.sampled_from(["1", "2", "0", "zelfevaluatie", "peer", "audit", "AUDIT", "alle",
                     "onderscheidend", "2026-014", "ksw-voorbeeld", "sha256:00", "0" * 64,
                     "not-a-uuid", "2026-02-30T25:00:00", "2026-12-31", "99999-01-01"]),
)


_NOT_XML = re.compile(ILLEGAL_CHARACTERS_RE.pattern + r"|[\ufffe\uffff]")


def _excel_safe(value: Any) -> Any:
    """Characters XML cannot hold, as Excel itself stores them (``_x0001_``).

    openpyxl refuses them raw; raw ones are put in the sheet XML by the zip-level edits.
    """
    if isinstance(value, str):
        return _NOT_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    return value


# --- workbook edits (openpyxl) -----------------------------------------------------------------

_INPUT_KEYS = ("rating", "comment_self", "evidence", "improvements", "accent",
               "comment_review", "strengths", "learning_points")
_LOCKED_TARGETS = ("norm_id", "norm_text", "header")

_SHEET_TITLES = st.one_of(
    st.sampled_from(["_kwl", "_KWL", "_kwl ", "_lijsten", "Start", "Overzicht", "Blad1",
                     "Vakmanschap", "vakmanschap", "_", "'", "Sheet", "Ééntje 🙂"]),
    st.text(alphabet=st.characters(blacklist_characters="[]:*?/\\",
                                   blacklist_categories=("Cs", "Cc")),
            min_size=1, max_size=31),
)

_index = st.integers(min_value=0, max_value=60)

#: number formats people give cells; date and duration formats make the parser convert numbers
NUMBER_FORMATS = ("General", "@", "0", "0.00E+00", "0%", "#,##0.00 €", "yyyy-mm-dd",
                  "d-m-yyyy hh:mm", "hh:mm:ss", "mm:ss.0", "[h]:mm:ss", "[mm]:ss")
FORMATTED_VALUES = st.one_of(
    st.sampled_from([-1e12, -1e20, -1.0, 1e9, -1e9, 1e20, 2958466.0, 60.0, 0.5, 2.0]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(2**63), max_value=2**63),
    CELL_VALUES,
)

CELL_EDITS = st.one_of(
    st.tuples(st.just("input"), _index, _index, _index, CELL_VALUES),
    st.tuples(st.just("formatted"), _index, _index, _index, st.sampled_from(NUMBER_FORMATS),
              FORMATTED_VALUES),
    st.tuples(st.just("locked"), st.sampled_from(_LOCKED_TARGETS), _index, _index, _index,
              st.one_of(CELL_VALUES, st.sampled_from(["V1.1", "V1.2", "v1.1", " V1.1 ",
                                                      "V99.1", "Norm", "Oordeel"]))),
    st.tuples(st.just("duplicate_id"), _index, _index, _index, _index),
    st.tuples(st.just("identity"), st.integers(1, 16), st.integers(1, 3), IDENTITY_VALUES),
    st.tuples(st.just("property"), _index, st.one_of(st.none(), st.text(max_size=40),
                                                      st.sampled_from(["1", "peer", ""]))),
)

STRUCTURE_EDITS = st.one_of(
    st.tuples(st.just("delete_rows"), _index, st.integers(1, 45), st.integers(1, 6)),
    st.tuples(st.just("insert_rows"), _index, st.integers(1, 45), st.integers(1, 6)),
    st.tuples(st.just("insert_cols"), _index, st.integers(1, 12), st.integers(1, 3)),
    st.tuples(st.just("delete_cols"), _index, st.integers(1, 12), st.integers(1, 3)),
    st.tuples(st.just("delete_sheet"), _index),
    st.tuples(st.just("rename_sheet"), _index, _SHEET_TITLES),
    st.tuples(st.just("move_sheet"), _index, st.integers(-6, 6)),
)

WORKBOOK_EDITS = st.one_of(CELL_EDITS, STRUCTURE_EDITS)


def _pick(items: list[Any], index: int) -> Any:
    return items[index % len(items)] if items else None


def _set(ws: Any, row: int, col: int, value: Any) -> None:
    cell = ws.cell(row, col)
    if not isinstance(cell, MergedCell):  # merged titles cannot hold values
        cell.value = _excel_safe(value)


def _sheet_named(wb: Workbook, name: str) -> Any:
    return next((ws for ws in wb.worksheets if ws.title.casefold() == name.casefold()), None)


def _apply_workbook_edit(wb: Workbook, edit: tuple[Any, ...]) -> None:
    op = edit[0]
    domain = helpers.domain_sheets(wb)
    if op in ("input", "formatted"):
        _, s, n, c, *number_format, value = edit
        ws = _pick(domain, s)
        if ws is None:
            return
        _, cols = helpers.find_columns(ws)  # type: ignore[misc]
        rows = list(helpers.norm_rows(ws).values())
        keys = [k for k in _INPUT_KEYS if k in cols]
        if rows and keys:
            _set(ws, _pick(rows, n), cols[_pick(keys, c)], value)
            if number_format:
                ws.cell(_pick(rows, n), cols[_pick(keys, c)]).number_format = number_format[0]
    elif op == "locked":
        _, target, s, n, c, value = edit
        ws = _pick(domain, s)
        if ws is None:
            return
        header, cols = helpers.find_columns(ws)  # type: ignore[misc]
        rows = list(helpers.norm_rows(ws).values())
        if target == "header":
            _set(ws, header, _pick(sorted(cols.values()), c), value)
        elif rows and target in cols:
            _set(ws, _pick(rows, n), cols[target], value)
    elif op == "duplicate_id":
        _, s, n, s2, n2 = edit
        ws, other = _pick(domain, s), _pick(domain, s2)
        if ws is None:
            return
        _, cols = helpers.find_columns(ws)  # type: ignore[misc]
        rows = list(helpers.norm_rows(ws).values())
        ids = list(helpers.norm_rows(other))
        if rows and ids:
            _set(ws, _pick(rows, n), cols["norm_id"], _pick(ids, n2))
    elif op == "identity":
        _, row, col, value = edit
        ws = _sheet_named(wb, L.SHEET_IDENTITY)
        if ws is not None:
            _set(ws, row, col, value)
    elif op == "property":
        _, p, value = edit
        props = wb.custom_doc_props.props
        prop = _pick(props, p)
        if prop is None:
            return
        if value is None:
            props.remove(prop)
        else:
            props[props.index(prop)] = StringProperty(name=prop.name, value=_excel_safe(value))
    elif op in ("delete_rows", "insert_rows", "insert_cols", "delete_cols"):
        _, s, at, amount = edit
        ws = _pick(wb.worksheets, s)
        getattr(ws, {"delete_rows": "delete_rows", "insert_rows": "insert_rows",
                     "insert_cols": "insert_cols", "delete_cols": "delete_cols"}[op])(at, amount)
    elif op == "delete_sheet":
        ws = _pick(wb.worksheets, edit[1])
        visible_left = [o for o in wb.worksheets if o is not ws and o.sheet_state == "visible"]
        if visible_left:  # a workbook without a visible sheet cannot be saved at all
            wb.remove(ws)
    elif op == "rename_sheet":
        _, s, title = edit
        ws = _pick(wb.worksheets, s)
        try:
            ws.title = _excel_safe(title)
        except ValueError:  # openpyxl refuses some titles Excel would refuse too
            pass
    elif op == "move_sheet":
        _, s, offset = edit
        wb.move_sheet(_pick(wb.worksheets, s), offset)
    else:  # pragma: no cover - a strategy without an implementation
        raise AssertionError(op)


def apply_workbook_edits(path: Path, edits: list[tuple[Any, ...]]) -> None:
    """Open ``path`` with openpyxl, apply ``edits``, save in place."""
    if not edits:
        return
    with warnings.catch_warnings():
        # openpyxl warns about extensions and data validations it drops; not the reader's
        warnings.simplefilter("ignore")
        helpers.mutate(path, lambda wb: [_apply_workbook_edit(wb, e) for e in edits])


# --- zip and byte edits ------------------------------------------------------------------------

_BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
              for i in range(1, 10))
    + "]>"
)
_DTD_VARIANTS = {
    "laughs": _BILLION_LAUGHS,
    "external": '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    "parameter": '<!DOCTYPE x [<!ENTITY % p SYSTEM "http://example.invalid/x.dtd"> %p;]>',
    "lowercase": '<!doctype x [<!entity e "e">]>',
    # after a 5 kB comment: past any cheap scan of a part's head, still before the root
    "padded": "<!--" + "p" * 5000 + "-->" + _BILLION_LAUGHS,
}

RAW_CELL_TYPES = ("n", "b", "e", "d", "s", "str", "inlineStr", "bogus")
RAW_CELL_VALUES = ("inf", "-inf", "INF", "NaN", "nan", "1e999", "-1e999", "1e-400", "-0",
                   "2", "2.5", "1", "0", "-1", "99999999999999999999", "", "abc", " 2 ",
                   "2026-13-45T25:61:00", "2026-02-28T12:00:00", "0x10", "&#1;", "&#xFFFE;",
                   "&amp;", "&lol;", "\x01", "]]>", "4294967296")

ZIP_EDITS = st.one_of(
    st.tuples(st.just("remove"), _index),
    st.tuples(st.just("truncate"), _index, st.floats(0, 1)),
    st.tuples(st.just("garbage"), _index, st.binary(max_size=300)),
    st.tuples(st.just("dtd"), _index, st.sampled_from(sorted(_DTD_VARIANTS)),
              st.sampled_from(["utf-8", "utf-16"])),
    # mostly the rating column (F) of the norm rows, where numbers are looked up on the scale
    st.tuples(st.just("raw_cell"), _index, st.sampled_from("AEFFFFFFGHIJK"), st.integers(1, 24),
              st.sampled_from(RAW_CELL_TYPES + ("n",) * 4), st.sampled_from(RAW_CELL_VALUES)),
    st.tuples(st.just("property_xml"), st.sampled_from(L.IDENTITY_KEYS),
              st.sampled_from(["value", "remove", "type", "empty", "nested"]),
              st.text(max_size=30)),
    st.tuples(st.just("duplicate"), _index),
    st.tuples(st.just("rename"), _index, st.sampled_from(["xl/Workbook.xml", "../evil.xml",
                                                           "/abs.xml", "xl\\workbook.xml",
                                                           "x" * 300])),
)

BYTE_EDITS = st.one_of(
    st.tuples(st.just("truncate_file"), st.floats(0, 1)),
    st.tuples(st.just("flip"), st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)),
                                        min_size=1, max_size=8)),
    st.tuples(st.just("append"), st.binary(min_size=1, max_size=200)),
    st.tuples(st.just("prepend"), st.binary(min_size=1, max_size=200)),
)


def _inject_dtd(data: bytes, variant: str, encoding: str) -> bytes:
    text = data.decode("utf-8", errors="replace")
    dtd = _DTD_VARIANTS[variant]
    match = re.match(r"\s*<\?xml[^>]*\?>", text)
    head, tail = (text[: match.end()], text[match.end():]) if match else ("", text)
    if variant in ("laughs", "padded"):
        # use the entity where a value is read, so an expanding parser would explode
        tail, used = re.subn(r"(<(?:vt:lpwstr|t|v)(?: [^>]*)?>)", r"\1&lol9;", tail, count=1)
        if not used:
            tail = re.sub(r'( name=")', r"\1&lol9;", tail, count=1)
    result = head + dtd + tail
    if encoding == "utf-16":
        result = result.replace('encoding="UTF-8"', 'encoding="UTF-16"')
        return result.encode("utf-16")
    return result.encode("utf-8")


def _raw_cell(data: bytes, ref: str, cell_type: str, raw: str) -> bytes:
    text = data.decode("utf-8", errors="replace")
    if cell_type == "inlineStr":
        new = f'<c r="{ref}" t="inlineStr"><is><t>{raw}</t></is></c>'
    else:
        new = f'<c r="{ref}" t="{cell_type}"><v>{raw}</v></c>'
    pattern = re.compile(rf'<c r="{ref}"(?: [^>]*)?(?:/>|>.*?</c>)', re.DOTALL)
    return pattern.sub(lambda _: new, text, count=1).encode("utf-8")


def _edit_property_xml(data: bytes, key: str, how: str, value: str) -> bytes:
    text = data.decode("utf-8", errors="replace")
    pattern = re.compile(
        rf'(<property [^>]*name="{L.PROPERTY_PREFIX}{key}"[^>]*>)(<vt:(\w+)([^>]*)>)(.*?)'
        rf'(</vt:\w+>)(</property>)', re.DOTALL)
    escaped = value.replace("&", "&amp;").replace("<", "&lt;")

    def replace(m: re.Match[str]) -> str:
        if how == "remove":
            return ""
        if how == "type":
            return f"{m[1]}<vt:i4{m[4]}>{escaped}</vt:i4>{m[7]}"
        if how == "empty":
            return f"{m[1]}{m[7]}"
        if how == "nested":
            return f"{m[1]}{m[2]}<b>{escaped}</b>{m[5]}{m[6]}{m[7]}"
        return f"{m[1]}{m[2]}{escaped}{m[6]}{m[7]}"

    return pattern.sub(replace, text, count=1).encode("utf-8")


def apply_zip_edits(path: Path, edits: list[tuple[Any, ...]]) -> None:
    """Rewrite the zip at ``path`` with members removed, damaged or changed."""
    if not edits:
        return
    with zipfile.ZipFile(path) as archive:
        members = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    for edit in edits:
        op = edit[0]
        if not members:
            break
        names = sorted(name for name, _ in members)
        position = {name: i for i, (name, _) in enumerate(members)}
        if op == "property_xml":
            i = position.get("docProps/custom.xml")
            if i is not None:
                members[i] = (members[i][0], _edit_property_xml(members[i][1], *edit[1:]))
            continue
        if op == "raw_cell":
            sheets = [n for n in names if n.startswith("xl/worksheets/sheet")]
            name = _pick(sheets, edit[1])
            if name is not None:
                i = position[name]
                _, _, column, row, cell_type, raw = edit
                members[i] = (name, _raw_cell(members[i][1], f"{column}{row}", cell_type, raw))
            continue
        i = position[_pick(names, edit[1])]
        name, data = members[i]
        if op == "remove":
            del members[i]
        elif op == "truncate":
            members[i] = (name, data[: int(len(data) * edit[2])])
        elif op == "garbage":
            members[i] = (name, edit[2])
        elif op == "dtd":
            members[i] = (name, _inject_dtd(data, edit[2], edit[3]))
        elif op == "duplicate":
            members.append((name, data))
        elif op == "rename":
            members[i] = (edit[2], data)
        else:  # pragma: no cover
            raise AssertionError(op)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we want
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members:
                archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())


def apply_byte_edits(path: Path, edits: list[tuple[Any, ...]]) -> None:
    """Damage the file as a download or a disk would."""
    if not edits:
        return
    data = bytearray(path.read_bytes())
    for edit in edits:
        op = edit[0]
        if op == "truncate_file":
            del data[int(len(data) * edit[1]):]
        elif op == "flip":
            for where, mask in edit[1]:
                if data:
                    data[min(int(len(data) * where), len(data) - 1)] ^= mask
        elif op == "append":
            data += edit[1]
        elif op == "prepend":
            data[:0] = edit[1]
        else:  # pragma: no cover
            raise AssertionError(op)
    path.write_bytes(bytes(data))


READ_OPTIONS = st.fixed_dictionaries({
    "key": st.sampled_from([None, helpers.KEY, helpers.OTHER_KEY]),
    "expected_kind": st.sampled_from([None, *Kind]),
    "expected_assessment": st.sampled_from([None, helpers.ASSESSMENT, "2099-001"]),
})

KINDS = st.sampled_from(list(Kind))

pytestmark = pytest.mark.slow  # hundreds of generated workbooks

FUZZ = settings(
    deadline=None,
    derandomize=True,  # the same examples on every run and in CI
    database=None,
    print_blob=False,
    # shrinking a failure costs minutes (each step saves a workbook); the regression tests
    # below hold minimal cases. Add Phase.shrink locally to minimise a new failure.
    phases=[Phase.explicit, Phase.generate],
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)


# --- property tests ----------------------------------------------------------------------------


@settings(FUZZ, max_examples=examples(200))
@given(kind=KINDS, edits=st.lists(CELL_EDITS, min_size=1, max_size=6), options=READ_OPTIONS)
def test_cell_values_never_escape(bases: dict[Kind, Path], tmp_path: Path, kind: Kind,
                                  edits: list[tuple[Any, ...]], options: dict[str, Any]) -> None:
    path = _copy_base(bases, kind, tmp_path)
    apply_workbook_edits(path, edits)
    check_reads_or_refuses(path, **options)


@settings(FUZZ, max_examples=examples(120))
@given(kind=KINDS, edits=st.lists(STRUCTURE_EDITS, min_size=1, max_size=5),
       options=READ_OPTIONS)
def test_structure_edits_never_escape(bases: dict[Kind, Path], tmp_path: Path, kind: Kind,
                                      edits: list[tuple[Any, ...]],
                                      options: dict[str, Any]) -> None:
    path = _copy_base(bases, kind, tmp_path)
    apply_workbook_edits(path, edits)
    check_reads_or_refuses(path, **options)


@settings(FUZZ, max_examples=examples(400))
@given(kind=KINDS, zip_edits=st.lists(ZIP_EDITS, max_size=3),
       byte_edits=st.lists(BYTE_EDITS, max_size=2), options=READ_OPTIONS)
def test_damaged_files_never_escape(bases: dict[Kind, Path], tmp_path: Path, kind: Kind,
                                    zip_edits: list[tuple[Any, ...]],
                                    byte_edits: list[tuple[Any, ...]],
                                    options: dict[str, Any]) -> None:
    path = _copy_base(bases, kind, tmp_path)
    apply_zip_edits(path, zip_edits)
    apply_byte_edits(path, byte_edits)
    check_reads_or_refuses(path, **options)


@settings(FUZZ, max_examples=examples(100))
@given(kind=KINDS, edits=st.lists(WORKBOOK_EDITS, max_size=5),
       zip_edits=st.lists(ZIP_EDITS, max_size=2), byte_edits=st.lists(BYTE_EDITS, max_size=1),
       options=READ_OPTIONS)
def test_combined_edits_never_escape(bases: dict[Kind, Path], tmp_path: Path, kind: Kind,
                                     edits: list[tuple[Any, ...]],
                                     zip_edits: list[tuple[Any, ...]],
                                     byte_edits: list[tuple[Any, ...]],
                                     options: dict[str, Any]) -> None:
    path = _copy_base(bases, kind, tmp_path)
    apply_workbook_edits(path, edits)
    apply_zip_edits(path, zip_edits)
    apply_byte_edits(path, byte_edits)
    check_reads_or_refuses(path, **options)


# --- regression cases found by the property tests -----------------------------------------------
# Each is an exception that escaped read_workbook; a finding or a clean refusal is expected.


@pytest.mark.parametrize("raw", ["inf", "-inf", "1e999"])
def test_infinite_number_in_rating_cell_is_a_finding(bases: dict[Kind, Path], tmp_path: Path,
                                                     raw: str) -> None:
    # found: OverflowError (int(inf)) in RatingScale.lookup, catalogue.py, called from
    # _NormReader._read_input in reader.py
    path = _copy_base(bases, Kind.PEER, tmp_path)
    apply_zip_edits(path, [("raw_cell", 1, "F", 5, "n", raw)])
    submission = read_workbook(path, key=helpers.KEY)
    assert ("unknown-rating", "Vakmanschap", "F5") in submission.report.flatten()


@pytest.mark.parametrize("column", ["rating", "comment_self"])
@pytest.mark.parametrize("value", [-1e12, -1e20])
def test_date_cell_with_huge_negative_serial_does_not_escape(
        bases: dict[Kind, Path], tmp_path: Path, column: str, value: float) -> None:
    # found: pyo3_runtime.PanicException ("TimeDelta::milliseconds out of bounds", a
    # BaseException) from python-calamine's to_python, raised in _SheetSource.rows
    path = _copy_base(bases, Kind.SELF_EVALUATION, tmp_path)
    apply_workbook_edits(path, [("formatted", 0, 0, _INPUT_KEYS.index(column), "yyyy-mm-dd",
                                 value)])
    check_reads_or_refuses(path, key=helpers.KEY)


@pytest.mark.parametrize("number_format", ["[h]:mm:ss", "[mm]:ss"])
@pytest.mark.parametrize("value", [1e9, -1e9, 1e20])
def test_duration_cell_with_huge_value_does_not_escape(
        bases: dict[Kind, Path], tmp_path: Path, number_format: str, value: float) -> None:
    # found: OverflowError ("days=1000000000; must have magnitude <= 999999999") from
    # python-calamine's to_python building a timedelta, raised in _SheetSource.rows
    path = _copy_base(bases, Kind.PEER, tmp_path)
    apply_workbook_edits(path, [("formatted", 0, 0, 0, number_format, value)])
    check_reads_or_refuses(path, key=helpers.KEY)


# --- targeted attacks --------------------------------------------------------------------------


def _write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info.filename) for info in archive.infolist()}


def _refusal(path: Path) -> UnreadableFile:
    with pytest.raises(UnreadableFile) as caught:
        read_workbook(path, key=helpers.KEY)
    assert len(str(caught.value).splitlines()) == 1
    return caught.value


def test_zip_bomb_member_is_refused(bases: dict[Kind, Path], tmp_path: Path) -> None:
    path = _copy_base(bases, Kind.PEER, tmp_path)
    zeros = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/media/image1.png", "w", force_zip64=True) as member:
            for _ in range(60):  # 60 MB of zeros compress to ~60 kB
                member.write(zeros)
    assert path.stat().st_size < 1024 * 1024
    assert isinstance(_refusal(path), TooLarge)


def _declare_size(data: bytes, name: str, size: int) -> bytes:
    """Patch the central directory so ``name`` claims ``size`` bytes uncompressed."""
    out = bytearray(data)
    start = out.find(b"PK\x01\x02")
    while start != -1:
        name_len = struct.unpack_from("<H", out, start + 28)[0]
        if out[start + 46:start + 46 + name_len] == name.encode():
            struct.pack_into("<I", out, start + 24, size)
        start = out.find(b"PK\x01\x02", start + 4)
    return bytes(out)


def test_declared_gigabyte_member_is_refused(bases: dict[Kind, Path], tmp_path: Path) -> None:
    path = _copy_base(bases, Kind.AUDIT, tmp_path)
    path.write_bytes(_declare_size(path.read_bytes(), "xl/worksheets/sheet2.xml", 2**30))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/worksheets/sheet2.xml").file_size == 2**30
    assert isinstance(_refusal(path), TooLarge)


def test_declared_sizes_adding_up_past_the_limit_are_refused(bases: dict[Kind, Path],
                                                              tmp_path: Path) -> None:
    # each member stays at the per-member bomb threshold; together they claim 450 MB
    path = _copy_base(bases, Kind.PEER, tmp_path)
    members = _members(path) | {f"xl/media/image{i}.png": b"x" * 1000 for i in range(45)}
    data = _write_zip(path, members).read_bytes()
    for i in range(45):
        data = _declare_size(data, f"xl/media/image{i}.png", 10 * 1024 * 1024)
    path.write_bytes(data)
    assert isinstance(_refusal(path), TooLarge)


def test_too_many_members_are_refused(bases: dict[Kind, Path], tmp_path: Path) -> None:
    path = _copy_base(bases, Kind.PEER, tmp_path)
    _write_zip(path, _members(path) | {f"xl/media/x{i}.bin": b"" for i in range(5001)})
    assert isinstance(_refusal(path), TooLarge)


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "groot.xlsx"
    with path.open("wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(60 * 1024 * 1024)  # sparse: no 60 MB written
    assert isinstance(_refusal(path), TooLarge)


_XML_PARTS = ["xl/workbook.xml", "docProps/custom.xml", "xl/worksheets/sheet2.xml",
              "xl/sharedStrings.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels"]


def _with_dtd(path: Path, part: str, variant: str, encoding: str) -> Path:
    members = _members(path)
    if part not in members:
        members[part] = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    members[part] = _inject_dtd(members[part], variant, encoding)
    return _write_zip(path, members)


@pytest.mark.parametrize(("part", "encoding"), [
    ("xl/workbook.xml", "utf-8"), ("xl/workbook.xml", "utf-16"),
    ("docProps/custom.xml", "utf-8"), ("docProps/custom.xml", "utf-16"),
    ("xl/worksheets/sheet2.xml", "utf-8"),
])
@pytest.mark.parametrize("variant", ["laughs", "padded"])
def test_billion_laughs_is_refused(bases: dict[Kind, Path], tmp_path: Path, part: str,
                                   encoding: str, variant: str) -> None:
    # the entity is declared and used where the reader reads a value; "padded" puts the DTD
    # after a 5 kB comment
    path = _with_dtd(_copy_base(bases, Kind.SELF_EVALUATION, tmp_path), part, variant, encoding)
    assert isinstance(_refusal(path), CorruptFile)


@pytest.mark.parametrize("part", _XML_PARTS)
@pytest.mark.parametrize("variant", sorted(_DTD_VARIANTS))
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_entity_declarations_are_never_expanded(bases: dict[Kind, Path], tmp_path: Path,
                                                part: str, variant: str,
                                                encoding: str) -> None:
    # whatever the reader makes of a DTD (refusal or findings), no entity is ever expanded
    path = _with_dtd(_copy_base(bases, Kind.SELF_EVALUATION, tmp_path), part, variant, encoding)
    check_reads_or_refuses(path, key=helpers.KEY)
    try:
        submission = read_workbook(path, key=helpers.KEY)
    except UnreadableFile:
        return
    assert "lollol" not in json.dumps(submission.to_json())


def _ole(*streams: str) -> bytes:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\0") + bytes(64)
                         for name in ("Root Entry", *streams))
    return header + directory + bytes(512)


def test_encrypted_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "beveiligd.xlsx"
    path.write_bytes(_ole("EncryptionInfo", "EncryptedPackage"))
    assert isinstance(_refusal(path), EncryptedFile)


def test_encrypted_ods_is_refused(tmp_path: Path) -> None:
    path = _write_zip(tmp_path / "beveiligd.ods", {
        "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
        "META-INF/manifest.xml": b'<manifest><file-entry><encryption-data/></file-entry>'
                                 b"</manifest>",
        "content.xml": b"\x8f\x00garbage",
    })
    assert isinstance(_refusal(path), EncryptedFile)


def test_old_xls_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "oud.xlsx"  # the name lies; the bytes decide
    path.write_bytes(_ole("Workbook", "\x05SummaryInformation"))
    assert isinstance(_refusal(path), UnsupportedFormat)


def test_other_ole_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "document.doc"
    path.write_bytes(_ole("WordDocument"))
    assert isinstance(_refusal(path), UnsupportedFormat)


@pytest.mark.parametrize(("content", "refusal"), [
    (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", UnsupportedFormat),
    (b"norm;oordeel\nV1.1;Voldoet\n", UnsupportedFormat),
    ("\ufeffnorm,oordeel\n".encode(), UnsupportedFormat),
    (b"<html><body>Werkmap</body></html>", UnsupportedFormat),
    (b"PK", CorruptFile),  # looks like a zip, is not one
])
def test_non_workbook_is_refused(tmp_path: Path, content: bytes,
                                 refusal: type[UnreadableFile]) -> None:
    path = tmp_path / "werkmap.xlsx"
    path.write_bytes(content)
    assert isinstance(_refusal(path), refusal)


def test_word_document_is_refused(tmp_path: Path) -> None:
    path = _write_zip(tmp_path / "werkmap.xlsx", {
        "[Content_Types].xml": b'<Types><Override ContentType="application/vnd.openxmlformats-'
                               b'officedocument.wordprocessingml.document.main+xml"/></Types>',
        "word/document.xml": b"<document/>",
    })
    assert isinstance(_refusal(path), UnsupportedFormat)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "leeg.xlsx"
    path.write_bytes(b"")
    assert isinstance(_refusal(path), UnsupportedFormat)


def test_directory_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "map.xlsx"
    folder.mkdir()
    assert isinstance(_refusal(folder), UnsupportedFormat)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    assert type(_refusal(tmp_path / "bestaat-niet.xlsx")) is UnreadableFile


@pytest.mark.parametrize("keep", [0.99, 0.9, 0.5, 0.1, 10 / 28_000])
def test_truncated_workbook_is_refused(bases: dict[Kind, Path], tmp_path: Path,
                                       keep: float) -> None:
    path = _copy_base(bases, Kind.SELF_EVALUATION, tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    assert isinstance(_refusal(path), CorruptFile)


def test_ods_without_content_is_refused(tmp_path: Path) -> None:
    path = _write_zip(tmp_path / "werkmap.ods", {
        "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
    })
    assert isinstance(_refusal(path), CorruptFile)


def test_helpers_used_by_the_fuzzer_change_what_they_claim(bases: dict[Kind, Path],
                                                          tmp_path: Path) -> None:
    # guard against mutations that silently do nothing: the property tests would pass vacuously
    path = _copy_base(bases, Kind.PEER, tmp_path)
    apply_workbook_edits(path, [("locked", "norm_id", 0, 0, 0, "V99.1"),
                                ("identity", 5, 2, "Iemand anders")])
    codes = read_workbook(path, key=helpers.KEY).report.codes()
    assert {"unknown-norm-row", "identity-tampered"} <= codes
    path = _copy_base(bases, Kind.PEER, tmp_path)
    apply_zip_edits(path, [("property_xml", "host", "value", "Iemand anders")])
    assert "identity-tampered" in read_workbook(path, key=helpers.KEY).report.codes()
    path = _copy_base(bases, Kind.PEER, tmp_path)
    apply_zip_edits(path, [("raw_cell", 1, "F", 5, "str", "Onzin")])
    report = read_workbook(path, key=helpers.KEY).report
    assert ("unknown-rating", "Vakmanschap", "F5") in report.flatten()

