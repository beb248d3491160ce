"""Reading the parts of a workbook's zip straight from its bytes, where that is safe.

zipfile reads every zip, but in Python: a ZipInfo object per member (~2 µs each) and ~20 µs
to open a member, together a fifth of a whole read-back. What Excel, LibreOffice and
openpyxl write is a *plain* zip (no comment, no zip64, no extra fields, nothing before or
between its parts); its directory and its deflated parts are read here with ``struct`` and
``zlib`` instead. Anything a fast path cannot prove equal to zipfile's reading is left to
zipfile, which refuses what it refuses (``tests/test_readback_fast_paths.py``). Used by
:mod:`kwl_office.excel.container`, which decides what is safe to read at all.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path
from typing import IO, NamedTuple

from kwl_office import texts_nl as T
from kwl_office.errors import CorruptFile


class Entry(NamedTuple):
    """A zip member as its central directory entry describes it: the attributes of
    :class:`zipfile.ZipInfo` the checks use, under the same names."""

    filename: str
    orig_filename: str
    flag_bits: int
    compress_type: int
    CRC: int  # noqa: N815 – zipfile's name
    compress_size: int
    file_size: int
    header_offset: int


#: a central directory entry (zipfile's structCentralDir, "<4s4B4HL2L5H2L"), unpacking only
#: the fields the checks use: the others are padding
_CENTRAL_FIELDS = struct.Struct("<4s2xB1xHH4xLLLHHH8xL")
_new_tuple = tuple.__new__
_END_RECORD = struct.Struct("<4s4H2LH")  # zipfile's structEndArchive


def plain_directory(data: bytes) -> list[Entry] | None:
    """The members of a plain zip (no comment, no zip64, no extra fields, nothing before
    or between its parts), read from its central directory as zipfile reads them; None for
    any other zip (zipfile reads it then, and refuses what it refuses).

    Why: zipfile builds a ZipInfo object per member in Python, ~2 µs each, a twentieth of a
    whole read-back; what Excel, LibreOffice and openpyxl write is a plain zip."""
    end = len(data) - _END_RECORD.size
    if end < 0 or not data.startswith(b"PK\x05\x06", end):
        return None
    _, disk, first_disk, on_disk, total, size, offset, comment = _END_RECORD.unpack_from(
        data, end)
    if (disk or first_disk or on_disk != total or comment or offset + size != end
            or data.startswith(b"PK\x06\x07", end - 20)):  # a zip64 locator, as zipfile asks
        return None
    entries: list[Entry] = []
    append = entries.append
    position = offset
    unpack = _CENTRAL_FIELDS.unpack_from
    try:
        while position < end:
            (signature, extract_version, flags, method, crc, compressed, unpacked,
             name_length, extra_length, comment_length, header_offset) = unpack(data, position)
            start = position + _CENTRAL_FIELDS.size
            position = start + name_length
            raw_name = data[start:position]
            if (signature != b"PK\x01\x02" or extract_version > _MAX_EXTRACT_VERSION
                    or extra_length or b"\0" in raw_name or len(raw_name) != name_length):
                return None
            # an ASCII name reads the same in UTF-8 and cp437, whose codec is slow Python
            name = raw_name.decode("utf-8" if flags & 0x800 or raw_name.isascii() else "cp437")
            # tuple.__new__: the named tuple's own __new__ is a Python call per member
            append(_new_tuple(Entry, (name, name, flags, method, crc, compressed, unpacked,
                                       header_offset)))
            position += comment_length
    except (struct.error, UnicodeDecodeError):
        return None
    return entries if position == end else None


#: the newest "version needed to extract" zipfile reads (its MAX_EXTRACT_VERSION)
_MAX_EXTRACT_VERSION = 63


class Archive:
    """The members of a checked zip, and zipfile for what is read through it (made only
    when needed: most files never need it)."""

    def __init__(self, data: bytes, entries: list[Entry] | list[zipfile.ZipInfo],
                 zip_file: zipfile.ZipFile | None) -> None:
        self.data = data
        self.by_name: dict[str, Entry | zipfile.ZipInfo] = {e.filename: e for e in entries}
        self._zip = zip_file

    def open(self, name: str) -> IO[bytes]:
        """The member ``name`` through zipfile (raises what zipfile raises)."""
        if self._zip is None:
            self._zip = zipfile.ZipFile(io.BytesIO(self.data))
        return self._zip.open(name)

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


#: what reading a zip member can raise on a damaged or hostile file. RuntimeError: an encrypted
#: member; NotImplementedError: unknown compression; zlib.error: a damaged deflate stream
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
               NotImplementedError, RuntimeError, zlib.error)


def read_member(path: Path, archive: Archive, name: str, limit: int = -1) -> bytes:
    """Part ``name`` through zipfile, at most ``limit`` bytes (all with -1); a part zipfile
    cannot read is refused as :class:`~kwl_office.errors.CorruptFile`."""
    try:
        with archive.open(name) as handle:
            return handle.read(limit)
    except ZIP_ERRORS as err:
        raise CorruptFile(path, T.UNREADABLE["corrupt-part"].format(part=name)) from err


#: flag bits zipfile refuses or must handle itself: encrypted, compressed patch, strong
#: encryption
_FLAGS_FOR_ZIPFILE = 0x1 | 0x20 | 0x40


def plain_raw(archive: Archive, name: str, data: bytes) -> bytes | None:
    """The compressed bytes of part ``name`` straight from ``data``, when it is a plain
    deflated or stored part whose local header agrees with the directory; else None."""
    info = archive.by_name.get(name)
    if (info is None or info.flag_bits & _FLAGS_FOR_ZIPFILE
            or info.compress_type not in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED)
            or not data.startswith(b"PK\x03\x04", info.header_offset)):
        return None
    offset = info.header_offset
    flags, = struct.unpack_from("<H", data, offset + 6)
    name_length, extra_length = struct.unpack_from("<HH", data, offset + 26)
    local_name = data[offset + 30:offset + 30 + name_length]
    start = offset + 30 + name_length + extra_length
    raw = data[start:start + info.compress_size]
    if (local_name.decode("utf-8" if flags & 0x800 else "cp437", "replace")
            != info.orig_filename or len(raw) != info.compress_size):
        return None
    return raw


def read_whole_member(path: Path, archive: Archive, name: str, data: bytes,
                       raw: bytes | None = None) -> bytes:
    """A whole part, as :func:`read_member` returns it, inflated straight from ``data``
    (``raw``: what :func:`plain_raw` returned for it, when the caller has it).

    Why: opening a member through zipfile costs ~20 µs of Python, as much as inflating a
    small part. Only a plain deflated or stored part (:func:`plain_raw`) whose size and CRC
    come out right is read this way; anything else (and so every damaged part) goes through
    zipfile, which refuses it as before."""
    if raw is None:
        raw = plain_raw(archive, name, data)
    if raw is not None:
        info = archive.by_name[name]
        content: bytes | None = raw
        if info.compress_type == zipfile.ZIP_DEFLATED:
            inflater = zlib.decompressobj(-15)
            try:
                content = inflater.decompress(raw, info.file_size + 1)
            except zlib.error:
                content = None
            if not inflater.eof:
                content = None
        if (content is not None and len(content) == info.file_size
                and zlib.crc32(content) == info.CRC):
            return content
    return read_member(path, archive, name)


__all__ = ["ZIP_ERRORS", "Archive", "Entry", "plain_directory", "plain_raw", "read_member",
           "read_whole_member"]
