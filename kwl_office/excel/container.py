"""Opening a returned file safely, before any spreadsheet parser sees it.

People send back what they have: ``.xlsx``/``.xlsm`` from Excel, LibreOffice or Google
Sheets, ``.ods``, but also old ``.xls`` files, password-protected workbooks, truncated
downloads or something else entirely. This module recognises those by their bytes (never by
the file name), checks the zip's declared sizes before anything is decompressed (zip bombs)
and refuses a document type declaration (DTD) in the prolog of any XML part: OOXML and
ODF forbid them, Excel refuses such files, and a DTD is how entity attacks start. Only the
prolog of each part is looked at (the bytes before its first element), which costs a few
microseconds per part; the custom document properties are then read with the standard
library's parser, which is safe once no DTD can be in them.

The usual file is checked without zipfile's per-member Python: a plain zip's directory, a
plain properties part and the start of each part are read straight from the bytes (the zip
side in :mod:`kwl_office.excel.zipparts`), and what
any of these fast paths cannot prove equal to zipfile's or ElementTree's reading is left to
them (``tests/test_readback_fast_paths.py``).

Only a regular file is read (never a pipe, a device or a directory), its size is checked
before a byte is read, and the read itself is bounded: a file that grows while it is read is
refused too. Peak memory therefore never depends on what lies in an inbox. Every refusal is
an :class:`~kwl_office.errors.UnreadableFile` with a one-line Dutch message.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError, fromstring

from kwl_office import texts_nl as T
from kwl_office.errors import (
    CorruptFile,
    EncryptedFile,
    TooLarge,
    UnreadableFile,
    UnsupportedFormat,
)
from kwl_office.excel.zipparts import (
    ZIP_ERRORS,
    Archive,
    Entry,
    plain_directory,
    plain_raw,
    read_member,
    read_whole_member,
)

#: largest file accepted as it is on disk
MAX_FILE_BYTES = 50 * 1024 * 1024
#: largest total of the zip's declared uncompressed sizes
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
#: most members a workbook zip may have
MAX_MEMBERS = 5000
#: a member larger than MIN_BOMB_BYTES compressed more than this ratio is refused
MAX_RATIO = 200
MIN_BOMB_BYTES = 10 * 1024 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_XLSX_MAIN_TYPES = (
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    b"application/vnd.ms-excel.template.macroEnabled.main+xml",
)
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
_ODS_META_NS = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"


class Format(StrEnum):
    """The container formats the reader accepts."""

    XLSX = "xlsx"
    ODS = "ods"


@dataclass
class OpenedFile:
    """A file that passed the safety checks: its bytes, format and custom properties."""

    path: Path
    data: bytes
    format: Format
    properties: dict[str, str] = field(default_factory=dict)


def open_workbook_file(path: str | Path, data: bytes | None = None) -> OpenedFile:
    """Read and check a returned file; raise :class:`UnreadableFile` when it cannot be used.

    ``data``: the file's bytes when the caller read them already (:func:`read_bounded`).
    """
    path = _as_path(path)
    return check_bytes(path, read_bounded(path) if data is None else data)


def read_bounded(path: str | Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, read once.

    Refused without reading (:class:`UnreadableFile`): a file that does not exist, a
    directory, anything that is not a regular file (a pipe or device would block or never
    end), and a file larger than ``limit``. The read stops at ``limit + 1`` bytes, so even a
    file that grows meanwhile cannot exhaust memory.
    """
    path = _as_path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError as err:
        raise UnreadableFile(path, T.UNREADABLE["not-found"]) from err
    except OSError as err:
        raise UnreadableFile(path, T.UNREADABLE["unreadable"].format(
            detail=err.strerror or type(err).__name__)) from err
    if stat.S_ISDIR(info.st_mode):
        raise UnsupportedFormat(path, T.UNREADABLE["is-directory"])
    if not stat.S_ISREG(info.st_mode):
        raise UnsupportedFormat(path, T.UNREADABLE["not-regular"])
    if info.st_size > limit:
        raise TooLarge(path, T.UNREADABLE["too-large-file"].format(
            size=_mb(info.st_size), limit=_mb(limit)))
    try:
        fd = os.open(path, _OPEN_FLAGS)
        try:
            # ask for the size the stat saw (asking for ``limit`` would allocate it all)
            # plus one byte; only a file that grew since then is read on, still bounded
            data = _read_up_to(fd, info.st_size + 1)
            if len(data) > info.st_size:
                data += _read_up_to(fd, limit + 1 - len(data))
        finally:
            os.close(fd)
    except FileNotFoundError as err:
        raise UnreadableFile(path, T.UNREADABLE["not-found"]) from err
    except OSError as err:
        raise UnreadableFile(path, T.UNREADABLE["unreadable"].format(
            detail=err.strerror or type(err).__name__)) from err
    if len(data) > limit:
        raise TooLarge(path, T.UNREADABLE["too-large-file"].format(
            size=f"> {_mb(limit)}", limit=_mb(limit)))
    return data


#: O_NONBLOCK: should the file have become a pipe since the stat, opening cannot hang;
#: O_BINARY: Windows would otherwise open it as text
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _as_path(path: str | Path) -> Path:
    # Path(a Path) parses it again, a few microseconds on every read-back
    return path if isinstance(path, Path) else Path(path)


def _read_up_to(fd: int, size: int) -> bytes:
    """At most ``size`` bytes from ``fd``, fewer only at its end. Plain ``os.read`` calls:
    a buffered file object costs more than reading a workbook's 30 KB (one call, usually)."""
    chunks: list[bytes] = []
    left = size
    while left > 0:
        chunk = os.read(fd, left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def check_bytes(path: Path, data: bytes) -> OpenedFile:
    """The checks of :func:`open_workbook_file` on bytes already read."""
    if not data:
        raise UnsupportedFormat(path, T.UNREADABLE["empty"])
    if data.startswith(_OLE_MAGIC):
        # an OLE container is either an old .xls or an encrypted OOXML workbook
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise EncryptedFile(path, T.UNREADABLE["encrypted"])
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            raise UnsupportedFormat(path, T.UNREADABLE["xls"])
        raise UnsupportedFormat(path, T.UNREADABLE["not-workbook"])
    if not data.startswith(b"PK"):
        raise UnsupportedFormat(path, T.UNREADABLE["not-workbook"])
    entries: list[Entry] | list[zipfile.ZipInfo] | None = plain_directory(data)
    zip_file = None
    if entries is None:
        try:
            zip_file = zipfile.ZipFile(io.BytesIO(data))
        except ZIP_ERRORS as err:  # NotImplementedError: a damaged "version needed" field
            raise CorruptFile(path, T.UNREADABLE["corrupt-zip"]) from err
        entries = zip_file.infolist()
    archive = Archive(data, entries, zip_file)
    try:
        _check_sizes(path, entries)
        names = set(archive.by_name)
        fmt = _detect_format(path, archive, names, data)
        # the content types (read by _detect_format) and the custom properties (by
        # _read_properties) are checked where they are read whole
        _refuse_dtds(path, archive, entries, data, done=_CHECKED_ELSEWHERE[fmt])
        properties = _read_properties(path, archive, names, fmt, data)
    finally:
        archive.close()
    return OpenedFile(path=path, data=data, format=fmt, properties=properties)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def _check_sizes(path: Path, infos: list[Entry] | list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise TooLarge(path, T.UNREADABLE["too-many-parts"].format(
            count=len(infos), limit=MAX_MEMBERS))
    total = 0
    for info in infos:
        total += info.file_size
        if (info.file_size > MIN_BOMB_BYTES
                and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
            raise TooLarge(path, T.UNREADABLE["bomb"].format(part=info.filename))
    if total > MAX_UNPACKED_BYTES:
        raise TooLarge(path, T.UNREADABLE["too-large"].format(
            size=_mb(total), limit=_mb(MAX_UNPACKED_BYTES)))


#: the first element of an XML document: "<" and a name start (not "<?", "<!", "</")
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_:]")
#: how far into a part its prolog may reach; a longer prolog is not a workbook's
_PROLOG_LIMIT = 64 * 1024
#: what the fast path inflates of each part: the prolog Excel, LibreOffice and Google Sheets
#: write is ~60 bytes; a longer one goes the slow way (every byte inflated costs, per part)
_PROLOG_CHUNK = 160
#: compressed bytes the fast path inflates: enough for a block header and a prolog
_PROLOG_INPUT = 256
_XML_SUFFIXES = (".xml", ".rels", ".vml")


#: compressed part starts whose prolog was inflated and found clean (see :func:`_refuse_dtds`)
_CLEAN_HEADS: set[bytes] = set()
#: at most this many are kept (~256 bytes each)
_CLEAN_HEADS_LIMIT = 4096


def _refuse_dtds(path: Path, archive: Archive, infos: list[Entry] | list[zipfile.ZipInfo],
                 data: bytes, done: frozenset[str] = frozenset()) -> None:
    """Refuse a DTD in the prolog of any XML part (OOXML and ODF forbid them).

    Only the prolog is looked at, not parsed. A plain deflated part is inflated straight from
    the archive bytes, just its first few hundred bytes; anything else (stored, encrypted,
    damaged, or a prolog longer than that) goes through zipfile, up to 64 KB. Why by hand:
    opening a member through zipfile costs ~20 µs of Python, several times the inflating, and
    a workbook has some 25 parts; this keeps the check near 5 % of a read-back
    (``benchmarks/bench_workbooks.py``). The loop is written out for the same reason.

    The compressed bytes a clean prolog was inflated from are remembered
    (:data:`_CLEAN_HEADS`): inflating is a pure function of them, and most parts (theme,
    styles, relationships, properties) start byte for byte the same in every workbook of a
    round, so they are not inflated again."""
    search = _FIRST_ELEMENT.search
    clean = _CLEAN_HEADS
    inflater = zlib.decompressobj
    deflated = zipfile.ZIP_DEFLATED
    for info in infos:
        name = info.filename
        if name in done or not (name.endswith(_XML_SUFFIXES)  # lower(): only if it must
                                or name.lower().endswith(_XML_SUFFIXES)):
            continue
        offset = info.header_offset
        if (info.compress_type == deflated and not info.flag_bits & 0x1  # not encrypted
                and data.startswith(b"PK\x03\x04", offset)):
            name_length, extra_length = struct.unpack_from("<HH", data, offset + 26)
            start = offset + 30 + name_length + extra_length
            size = info.compress_size if info.compress_size < _PROLOG_INPUT else _PROLOG_INPUT
            compressed = data[start:start + size]
            if compressed in clean:
                continue
            try:
                head = inflater(-15).decompress(compressed, _PROLOG_CHUNK)
            except zlib.error:
                head = b""  # zipfile reports the damage below, with the part's name
            if head[:2] in _UTF16_STARTS:
                head = _as_utf8(head)
            found = search(head)
            if found is not None:  # the usual case: checked without another call
                if b"<!" in head[:found.start()]:
                    _refuse_dtd_in(path, head[:found.start()])
                if len(clean) >= _CLEAN_HEADS_LIMIT:
                    clean.clear()
                clean.add(compressed)
                continue
        _refuse_dtd_in(path, _prolog(path, archive, name))


def _refuse_dtd_in(path: Path, prolog: bytes) -> None:
    if b"<!" in prolog and (b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog):
        raise CorruptFile(path, T.UNREADABLE["xml-entities"])


_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
_UTF16_STARTS = (*_UTF16_MARKS, b"<\0", b"\0<")
#: parts whose DTD check is done where they are read whole, before anything parses them
#: (see :func:`_detect_format` and :func:`_read_properties`): not inflated twice
_CHECKED_ELSEWHERE = {Format.XLSX: frozenset({"[Content_Types].xml", "docProps/custom.xml"}),
                      Format.ODS: frozenset()}


def _as_utf8(head: bytes) -> bytes:
    """``head`` as UTF-8 if it is UTF-16 (with a byte order mark, or without one but starting
    with ``<`` as XML's encoding detection allows); else unchanged."""
    if head[:2] in _UTF16_MARKS:
        return head.decode("utf-16", errors="replace").encode("utf-8", "replace")
    if head[:2] == b"<\0":
        return head.decode("utf-16-le", errors="replace").encode("utf-8", "replace")
    if head[:2] == b"\0<":
        return head.decode("utf-16-be", errors="replace").encode("utf-8", "replace")
    return head


def _prolog_of(head: bytes) -> bytes | None:
    """What comes before the first element in ``head`` (UTF-8); None if none started."""
    head = _as_utf8(head)
    found = _FIRST_ELEMENT.search(head)
    return head[:found.start()] if found is not None else None


def _prolog(path: Path, archive: Archive, name: str) -> bytes:
    """The prolog of an XML part read through zipfile, chunk by chunk up to 64 KB."""
    head = b""
    try:
        with archive.open(name) as handle:
            while True:
                chunk = handle.read(_PROLOG_CHUNK)
                head += chunk
                prolog = _prolog_of(head)
                if prolog is not None:
                    return prolog
                if len(chunk) < _PROLOG_CHUNK:  # the whole part, and no element in it
                    return _as_utf8(head)
                if len(head) >= _PROLOG_LIMIT:
                    raise CorruptFile(path, T.UNREADABLE["corrupt-part"].format(part=name))
    except ZIP_ERRORS as err:
        raise CorruptFile(path, T.UNREADABLE["corrupt-part"].format(part=name)) from err


#: content types parts found clean and of a workbook, as their compressed bytes with the
#: directory's method, size and CRC: inflating is a pure function of these, and every
#: workbook of one kind from one program has the same part (see :func:`_refuse_dtds`)
_WORKBOOK_TYPES: set[tuple[bytes, int, int, int]] = set()


def _detect_format(path: Path, archive: Archive, names: set[str],
                   data: bytes) -> Format:
    if "[Content_Types].xml" in names:
        raw = plain_raw(archive, "[Content_Types].xml", data)
        info = archive.by_name["[Content_Types].xml"]
        seen = (raw, info.compress_type, info.file_size, info.CRC) if raw is not None else None
        if seen is not None and seen in _WORKBOOK_TYPES:
            return Format.XLSX
        types = read_whole_member(path, archive, "[Content_Types].xml", data, raw)
        _refuse_dtd_in(path, _prolog_of(types) or _as_utf8(types))
        if any(t in types for t in _XLSX_MAIN_TYPES):
            if seen is not None:
                if len(_WORKBOOK_TYPES) >= _CLEAN_HEADS_LIMIT:
                    _WORKBOOK_TYPES.clear()
                _WORKBOOK_TYPES.add(seen)
            return Format.XLSX
        raise UnsupportedFormat(path, T.UNREADABLE["not-workbook"])
    if "mimetype" in names:
        mimetype = read_member(path, archive, "mimetype", 200).strip()
        if mimetype == _ODS_MIMETYPE:
            if "META-INF/manifest.xml" in names and b"encryption-data" in read_member(
                path, archive, "META-INF/manifest.xml"
            ):
                raise EncryptedFile(path, T.UNREADABLE["encrypted"])
            if "content.xml" not in names:
                raise CorruptFile(path, T.UNREADABLE["corrupt-part"].format(part="content.xml"))
            return Format.ODS
    if "EncryptionInfo" in names:
        raise EncryptedFile(path, T.UNREADABLE["encrypted"])
    raise UnsupportedFormat(path, T.UNREADABLE["not-workbook"])


def _parse_properties(path: Path, name: str, data: bytes) -> Any:
    """The parsed properties part; None when it is malformed (the identity sheet still
    counts).

    The standard library's parser is safe here because :func:`_refuse_dtds` has refused a
    DTD in this part's prolog, the only place XML allows one: without a DTD no entity can be
    declared (no entity expansion), and ElementTree never fetches anything external. It is
    twice as fast as defusedxml's wrapper, which pays for the DTD check per part in the
    read-back's budget."""
    try:
        return fromstring(data)
    except ParseError:
        return None


_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_PROPERTIES = f'<Properties xmlns="{_CUSTOM_NS[1:-1]}"'
_PID_FIRST = (f'<property fmtid="{_FMTID}" pid="', '" name="', '"><vt:lpwstr>',
              "</vt:lpwstr></property>")
#: the custom properties part as openpyxl, Excel and LibreOffice write it: its start, one
#: property as four literals around (a, b, text), whether a is the name (else the pid), and
#: its end
_PROPERTIES_SHAPES = (
    (_PROPERTIES.encode() + b">",
     ('<property name="', f'" fmtid="{_FMTID}" pid="', f'"><vt:lpwstr xmlns:vt="{_VT}">',
      "</vt:lpwstr></property>"),
     True, b"</Properties>"),
    *((f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{newline}{_PROPERTIES} '
       f'xmlns:vt="{_VT}">'.encode(), _PID_FIRST, False, b"</Properties>")
      for newline in ("\r\n", "\n")),  # Excel, LibreOffice
)
#: a name, pid or text in a plain part: no markup, reference, quote or control character
#: (refused by XML, or changed: carriage returns, and tabs and newlines in attributes), and
#: none of the two characters XML does not allow
_PLAIN_VALUE = '([^"<&\x00-\x1f\ufffe\uffff]*)'
#: per shape: its start, one property as a pattern, the length of its literals, whether
#: the first value is the name (else the pid), its end
_PLAIN_SHAPES = tuple(
    (start, re.compile(_PLAIN_VALUE.join(map(re.escape, literals))),
     sum(map(len, literals)), name_first, end)
    for start, literals, name_first, end in _PROPERTIES_SHAPES)


def _plain_properties(data: bytes) -> dict[str, str] | None:
    """The custom properties of a part in one of the plain shapes openpyxl, Excel and
    LibreOffice write, read without an XML parser; None for any other part (ElementTree
    reads it then).

    Exact, not approximate: the part must be its start, then properties that are each the
    shape's literals around a name, a pid and a text, then its end, character for character
    (the properties found must cover all of it); and no name, pid or text may hold markup, a
    reference, a quote or a control character. What ElementTree makes of such a part is
    exactly those names and texts. Why: parsing the ~3 KB part cost a tenth of a whole
    read-back."""
    shape = next((shape for shape in _PLAIN_SHAPES
                  if data.startswith(shape[0]) and data.endswith(shape[4])), None)
    if shape is None:
        return None
    start, prop, literals, name_first, end = shape
    try:
        body = data[len(start):len(data) - len(end)].decode()
    except UnicodeDecodeError:
        return None
    found: list[tuple[str, str, str]] = prop.findall(body)
    # matches never overlap: they cover the body exactly when their lengths add up to it
    if (len(found) * literals + sum(map(len, itertools.chain.from_iterable(found)))
            != len(body) or "]]>" in body):  # "]]>" is not allowed in text
        return None
    if name_first:
        return {name: text for name, _, text in found if name}
    return {name: text for _, name, text in found if name}


def _read_properties(
    path: Path, archive: Archive, names: set[str], fmt: Format, content: bytes
) -> dict[str, str]:
    """Custom document properties (name → text); a damaged part yields none. ``content``:
    the file's bytes."""
    result: dict[str, str] = {}
    if fmt is Format.XLSX:
        if "docProps/custom.xml" not in names:
            return result
        data = read_whole_member(path, archive, "docProps/custom.xml", content)
        # its prolog checked here, on the part read whole (see _CHECKED_ELSEWHERE)
        _refuse_dtd_in(path, _prolog_of(data) or _as_utf8(data))
        plain = _plain_properties(data)
        if plain is not None:
            return plain
        root = _parse_properties(path, "docProps/custom.xml", data)
        if root is None:
            return result
        for prop in root.findall(f"{_CUSTOM_NS}property"):
            name = prop.get("name")
            if name:
                result[name] = "".join(child.text or "" for child in prop)
        return result
    if "meta.xml" not in names:
        return result
    data = read_member(path, archive, "meta.xml")
    root = _parse_properties(path, "meta.xml", data)
    if root is None:
        return result
    for prop in root.iter(f"{_ODS_META_NS}user-defined"):
        name = prop.get(f"{_ODS_META_NS}name")
        if name:
            result[name] = prop.text or ""
    return result
