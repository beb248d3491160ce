"""The read-back's fast paths (issue 16) give exactly what the slow ways give.

Reading a workbook back skips work where it can prove the result is the same: the custom
properties are taken apart without an XML parser when they have a plain shape, small parts
are inflated without zipfile, clean prologs are remembered by their compressed bytes, and
rating spellings and header rows by their values. Each test builds its inputs by mutating a
freshly generated workbook and compares with an independent oracle (ElementTree, zipfile,
the rating scale) or with the refusal the slow way gives. The private fast paths are
tested directly where the public result could not show a difference.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError, fromstring

import pytest

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind
from kwl_office.catalogue import Catalogue
from kwl_office.excel.container import open_workbook_file
from kwl_office.excel.reader import read_submission, read_workbook
from kwl_office.excel.zipparts import plain_directory
from tests.helpers import KEY, fill, fill_all, generate

_CUSTOM = "docProps/custom.xml"
_CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


def _rewritten(good: Path, bad: Path, part: str, change: bytes | None = None) -> Path:
    """``good`` with ``part`` replaced by ``change`` (deflated), everything else as it was."""
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            zout.writestr(item.filename, change if item.filename == part and change is not None
                          else data)
    return bad


def _oracle(part: bytes) -> dict[str, str]:
    """What ElementTree makes of a custom properties part (none when it is malformed)."""
    try:
        root = fromstring(part)
    except ParseError:
        return {}
    return {name: "".join(child.text or "" for child in prop)
            for prop in root.findall(f"{_CUSTOM_NS}property") if (name := prop.get("name"))}


def _excel_shape(part: bytes, newline: str = "\r\n") -> bytes:
    """The same properties as Excel writes them (LibreOffice: with ``newline`` "\\n"): a
    declaration, the ``vt`` namespace on the root, the attributes in another order."""
    values = _oracle(part)
    props = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i + 2}" '
        f'name="{name}"><vt:lpwstr>{value}</vt:lpwstr></property>'
        for i, (name, value) in enumerate(values.items()))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{newline}'
            f'<Properties xmlns="{_CUSTOM_NS[1:-1]}" xmlns:vt="{_VT}">{props}</Properties>'
            ).encode()


def _first_value(part: bytes, new: bytes) -> bytes:
    """``part`` with the text of its first property replaced by ``new`` (raw XML)."""
    return re.sub(rb"(<vt:lpwstr[^>]*>)[^<]*", lambda m: m.group(1) + new, part, count=1)


_CHANGES = {
    "as written": lambda p: p,
    "excel shape": _excel_shape,
    "libreoffice shape": lambda p: _excel_shape(p, "\n"),
    "entity": lambda p: _first_value(p, b"a &amp; b"),
    "character reference": lambda p: _first_value(p, b"&#233;t&#233;"),
    "quote": lambda p: _first_value(p, b'zeg "ja"'),
    "newline": lambda p: _first_value(p, b"twee\nregels"),
    "carriage return": lambda p: _first_value(p, b"twee\r\nregels"),
    "cdata": lambda p: _first_value(p, b"<![CDATA[<x>]]>"),
    "child element": lambda p: _first_value(p, b"voor<b>in</b>na"),
    "comment": lambda p: p.replace(b"</property><property", b"</property><!-- x --><property",
                                   1),
    "space between": lambda p: p.replace(b"</property><property", b"</property>\n <property"),
    "undeclared prefix": lambda p: _excel_shape(p).replace(b' xmlns:vt="' + _VT.encode() + b'"',
                                                           b""),
    "not utf-8": lambda p: _first_value(p, b"caf\xe9"),
    "other namespace": lambda p: p.replace(b"custom-properties", b"custom-propertie", 1),
    "truncated": lambda p: p[:-5],
}


@pytest.mark.parametrize("change", sorted(_CHANGES))
def test_custom_properties_read_as_elementtree_reads_them(tmp_path: Path, catalogue: Catalogue,
                                                          change: str) -> None:
    good = generate(tmp_path / "goed.xlsx", Kind.PEER)
    with zipfile.ZipFile(good) as archive:
        part = _CHANGES[change](archive.read(_CUSTOM))
    changed = _rewritten(good, tmp_path / "anders.xlsx", _CUSTOM, part)
    assert open_workbook_file(changed).properties == _oracle(part)


def test_an_unchanged_workbook_reads_the_same_twice(tmp_path: Path,
                                                    catalogue: Catalogue) -> None:
    # the second read takes every remembered path (prologs, header rows, ratings)
    path = fill_all(generate(tmp_path / "goed.xlsx", Kind.SELF_EVALUATION), catalogue)
    first = read_workbook(path, catalogue, key=KEY)
    second = read_workbook(path, catalogue, key=KEY)
    assert first.model_dump() == second.model_dump()
    assert first.report.flatten(["code", "sheet", "cell"]) == \
        second.report.flatten(["code", "sheet", "cell"])


def test_a_dtd_is_refused_after_the_clean_part_was_seen(tmp_path: Path,
                                                        catalogue: Catalogue) -> None:
    good = fill_all(generate(tmp_path / "goed.xlsx", Kind.PEER), catalogue)
    assert not read_submission(good, catalogue, key=KEY).unreadable  # styles seen clean
    with zipfile.ZipFile(good) as archive:
        styles = archive.read("xl/styles.xml")
    root = re.search(rb"<[A-Za-z]", styles)
    assert root is not None
    bad = _rewritten(good, tmp_path / "dtd.xlsx", "xl/styles.xml",
                     styles[:root.start()] + b'<!DOCTYPE x [<!ENTITY a "b">]>'
                     + styles[root.start():])
    sub = read_submission(bad, catalogue, key=KEY)
    assert sub.unreadable
    assert sub.report.findings[0].message.endswith(T.UNREADABLE["xml-entities"])
    assert not read_submission(good, catalogue, key=KEY).unreadable


@pytest.mark.parametrize("part", ["[Content_Types].xml", _CUSTOM])
def test_a_part_with_a_wrong_checksum_is_refused_as_zipfile_refuses_it(
        tmp_path: Path, catalogue: Catalogue, part: str) -> None:
    data = bytearray(generate(tmp_path / "goed.xlsx", Kind.PEER).read_bytes())
    name = part.encode()
    entry = data.index(b"PK\x01\x02")  # the central directory starts here
    entry = data.index(name, entry) - 46  # this part's directory entry
    assert data[entry:entry + 4] == b"PK\x01\x02"
    data[entry + 16] ^= 0xFF  # its CRC-32
    bad = tmp_path / "crc.xlsx"
    bad.write_bytes(bytes(data))
    sub = read_submission(bad, catalogue, key=KEY)
    assert [f.code for f in sub.report.findings] == ["unreadable-file"]
    assert sub.report.findings[0].message.endswith(
        T.UNREADABLE["corrupt-part"].format(part=part))


def test_ratings_of_every_type_read_alike_on_every_read(tmp_path: Path,
                                                       catalogue: Catalogue) -> None:
    norms = [n.id for n in catalogue.norms()][:8]
    typed = [True, 1, 1.0, "1", "v", " VOLDOET DEELS ", "weet niet", False]
    path = fill(generate(tmp_path / "goed.xlsx", Kind.PEER),
                {norm_id: {"rating": value} for norm_id, value in zip(norms, typed, strict=True)})
    scale = catalogue.rating_scale
    for _ in range(2):  # the second read answers from what the first one remembered
        sub = read_workbook(path, catalogue, key=KEY, allow_incomplete=True)
        unknown = {f.norm_id for f in sub.report.findings if f.code == "unknown-rating"}
        for norm_id, value in zip(norms, typed, strict=True):
            level = None if isinstance(value, bool) else scale.lookup(value)
            assert sub.responses[norm_id].rating == (level.code if level else None), value
            assert (norm_id in unknown) == (level is None), value


def _zipfile_entries(data: bytes) -> list[tuple[object, ...]] | None:
    """What zipfile reads from a zip's directory (None when it refuses the zip)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [(i.filename, i.orig_filename, i.flag_bits, i.compress_type, i.CRC,
                     i.compress_size, i.file_size, i.header_offset)
                    for i in archive.infolist()]
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError, OSError):
        return None


def test_the_directory_is_read_as_zipfile_reads_it_or_left_to_zipfile(
        tmp_path: Path, catalogue: Catalogue) -> None:
    data = fill_all(generate(tmp_path / "goed.xlsx", Kind.PEER), catalogue).read_bytes()
    assert [tuple(e) for e in plain_directory(data) or []] == _zipfile_entries(data)
    directory = data.index(b"PK\x01\x02")
    rng = random.Random(16)
    taken = 0
    for _ in range(400):  # damage the central directory and its end record, a byte at a time
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 3)):
            damaged[rng.randrange(directory, len(data))] = rng.randrange(256)
        entries = plain_directory(bytes(damaged))
        if entries is not None:
            taken += 1
            assert [tuple(e) for e in entries] == _zipfile_entries(bytes(damaged))
    assert taken  # some damage (a date, a size) leaves a plain directory: compared above
