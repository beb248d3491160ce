"""Opening a returned file safely, before any spreadsheet parser sees it.

People send back what they have: ``.xlsx``/``.xlsm`` from Excel, LibreOffice or Google
Sheets, ``.ods``, but also old ``.xls`` files, password-protected workbooks, truncated
downloads or something else entirely. This module recognises those by their bytes (never by
the file name), checks the zip's declared sizes before anything is decompressed (zip bombs)
and reads the custom document properties with defusedxml, refusing any DTD there (entity
attacks). The rest of the XML is parsed by python-calamine, whose XML parser never expands
custom entities: a part that *uses* a declared entity fails there and is refused as
unreadable (see :func:`kwl_office.excel.reader.read_workbook`); an unused declaration is
inert. That costs nothing for a normal file, unlike scanning every part for DTDs.
Every refusal is an :class:`~kwl_office.errors.UnreadableFile` with a one-line Dutch
message.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from kwl_office import texts_nl as T
from kwl_office.errors import (
    CorruptFile,
    EncryptedFile,
    TooLarge,
    UnreadableFile,
    UnsupportedFormat,
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


def open_workbook_file(path: str | Path) -> OpenedFile:
    """Read and check a returned file; raise :class:`UnreadableFile` when it cannot be used."""
    path = Path(path)
    if path.is_dir():
        raise UnsupportedFormat(path, T.UNREADABLE["is-directory"])
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise TooLarge(path, T.UNREADABLE["too-large"].format(
                size=_mb(size), limit=_mb(MAX_FILE_BYTES)))
        data = path.read_bytes()
    except FileNotFoundError as err:
        raise UnreadableFile(path, T.UNREADABLE["not-found"]) from err
    except OSError as err:
        raise UnreadableFile(path, T.UNREADABLE["unreadable"].format(
            detail=err.strerror or type(err).__name__)) from err
    return check_bytes(path, data)


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
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as err:
        raise CorruptFile(path, T.UNREADABLE["corrupt-zip"]) from err
    with archive:
        infos = archive.infolist()
        _check_sizes(path, infos)
        names = {info.filename for info in infos}
        fmt = _detect_format(path, archive, names)
        properties = _read_properties(path, archive, names, fmt)
    return OpenedFile(path=path, data=data, format=fmt, properties=properties)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def _check_sizes(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise TooLarge(path, T.UNREADABLE["too-large"].format(
            size=f"{len(infos)} onderdelen", limit=f"{MAX_MEMBERS} onderdelen"))
    total = 0
    for info in infos:
        total += info.file_size
        if (info.file_size > MIN_BOMB_BYTES
                and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
            raise TooLarge(path, T.UNREADABLE["bomb"].format(part=info.filename))
    if total > MAX_UNPACKED_BYTES:
        raise TooLarge(path, T.UNREADABLE["too-large"].format(
            size=_mb(total), limit=_mb(MAX_UNPACKED_BYTES)))


def _read_member(path: Path, archive: zipfile.ZipFile, name: str, limit: int = -1) -> bytes:
    try:
        with archive.open(name) as handle:
            return handle.read(limit)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError, zlib.error) as err:
        # RuntimeError: an encrypted zip member; NotImplementedError: unknown compression;
        # zlib.error: a damaged deflate stream
        raise CorruptFile(path, T.UNREADABLE["corrupt-part"].format(part=name)) from err


def _detect_format(path: Path, archive: zipfile.ZipFile, names: set[str]) -> Format:
    if "[Content_Types].xml" in names:
        types = _read_member(path, archive, "[Content_Types].xml")
        if any(t in types for t in _XLSX_MAIN_TYPES):
            return Format.XLSX
        raise UnsupportedFormat(path, T.UNREADABLE["not-workbook"])
    if "mimetype" in names:
        mimetype = _read_member(path, archive, "mimetype", 200).strip()
        if mimetype == _ODS_MIMETYPE:
            if "META-INF/manifest.xml" in names and b"encryption-data" in _read_member(
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
    counts), a refusal when it carries a DTD (an entity attack is never just ignored)."""
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException as err:
        raise CorruptFile(path, T.UNREADABLE["xml-entities"]) from err
    except SyntaxError:  # xml.etree.ElementTree.ParseError
        return None


def _read_properties(
    path: Path, archive: zipfile.ZipFile, names: set[str], fmt: Format
) -> dict[str, str]:
    """Custom document properties (name → text); a damaged part yields none."""
    result: dict[str, str] = {}
    if fmt is Format.XLSX:
        if "docProps/custom.xml" not in names:
            return result
        data = _read_member(path, archive, "docProps/custom.xml")
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
    data = _read_member(path, archive, "meta.xml")
    root = _parse_properties(path, "meta.xml", data)
    if root is None:
        return result
    for prop in root.iter(f"{_ODS_META_NS}user-defined"):
        name = prop.get(f"{_ODS_META_NS}name")
        if name:
            result[name] = prop.text or ""
    return result
