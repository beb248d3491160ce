"""Attachments in the inbox that are no workbook at all (a PDF, a letter, a photo, an
e-mail), recognised by their content: ``round collect`` lists and skips them, never an error.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

#: names that say "spreadsheet": such a file is never skipped as an attachment, whatever its
#: bytes (a workbook saved wrongly must be an error someone sees, not a quiet skip)
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".xls", ".xlt",
                                  ".ods", ".ots", ".fods", ".csv", ".tsv", ".numbers"})
#: files that Windows leaves in shared folders
_SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini", "ehthumbs.db"})
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGICS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00",
                 b"MM\x00*")
_MAIL_HEADER = re.compile(r"(?im)^(return-path|received|from|to|cc|subject|date|message-id|"
                          r"mime-version|delivered-to|reply-to|content-type|x-[\w-]+):[ \t]")


def attachment_kind(name: str, data: bytes) -> str | None:
    """What a file is when its content shows it is no workbook at all: ``pdf``, ``word``,
    ``presentation``, ``odf-text``, ``image``, ``email``, ``text`` or ``system`` (a key of
    ``texts_nl.SKIPPED_KINDS``); None for anything that is or might be a spreadsheet.

    Recognised by the bytes, never by the name alone; but a name that says spreadsheet
    (``.xlsx``, ``.xls``, ``.csv``…) is never skipped, and neither is anything unrecognised
    (a corrupt, encrypted, old or foreign workbook stays an error that someone sees).
    """
    suffix = Path(name).suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES or not data:
        return None
    if Path(name).name.lower() in _SYSTEM_FILES:
        return "system"
    if data.startswith(_OLE_MAGIC):
        return _ole_kind(data)
    if data.startswith(b"PK"):
        return _zip_kind(data)
    if b"%PDF-" in data[:1024]:  # the PDF header may follow a little junk
        return "pdf"
    if _is_image(data):
        return "image"
    text = _as_text(data[:8192])
    if text is None:
        return None
    return "email" if _looks_like_mail(text) else "text"


def _is_image(data: bytes) -> bool:
    return (data.startswith(_IMAGE_MAGICS)
            or (data[:2] == b"BM" and data[6:10] == b"\0\0\0\0")  # BMP: reserved bytes zero
            or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
            or (data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"avif")))


def _ole_kind(data: bytes) -> str | None:
    # an OLE container holds named streams; old Word, Outlook and PowerPoint files name theirs
    # differently from old Excel files and from encrypted workbooks (both stay errors)
    def has(stream: str) -> bool:
        return stream.encode("utf-16-le") in data

    if has("EncryptionInfo") or has("Workbook") or has("Book"):
        return None
    if has("WordDocument"):
        return "word"
    if has("__substg1.0_"):
        return "email"
    if has("PowerPoint Document"):
        return "presentation"
    return None


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                types = _small_member(archive, "[Content_Types].xml")
                if b"spreadsheetml" in types or b"ms-excel" in types:
                    return None
                if b"wordprocessingml" in types:
                    return "word"
                if b"presentationml" in types:
                    return "presentation"
            elif "mimetype" in names:
                mimetype = _small_member(archive, "mimetype").strip()
                if mimetype == b"application/vnd.oasis.opendocument.text":
                    return "odf-text"
                if mimetype == b"application/vnd.oasis.opendocument.presentation":
                    return "presentation"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError,
            NotImplementedError):
        return None  # a damaged zip may be a damaged workbook: an error, not a skip
    return None


def _small_member(archive: zipfile.ZipFile, name: str, limit: int = 1 << 20) -> bytes:
    """A member's bytes, read only when it declares itself small (no zip bomb here)."""
    if archive.getinfo(name).file_size > limit:
        return b""
    with archive.open(name) as handle:
        return handle.read(limit)


def _as_text(sample: bytes) -> str | None:
    """The sample as text when it is text (UTF-8, UTF-16 with a mark, or Windows-1252 with
    hardly any control characters), else None."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return sample.decode("utf-16", "replace")
    if b"\0" in sample:
        return None
    try:
        # the sample may end inside a character: ignore at most its last three bytes
        text = sample.decode("utf-8")
    except UnicodeDecodeError as err:
        text = (sample[:err.start].decode("utf-8") if err.start >= len(sample) - 3
                else sample.decode("cp1252", "replace"))
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\r\f")
    return text if controls * 50 <= len(text) else None


def _looks_like_mail(text: str) -> bool:
    """An e-mail saved as a file (.eml, .mbox) begins with its header lines."""
    first = text.lstrip("\ufeff").lstrip().split("\n", 1)[0]
    headers = {m.group(1).lower() for m in _MAIL_HEADER.finditer(text[:4096])}
    starts = first.startswith("From ") or bool(_MAIL_HEADER.match(first))
    return starts and len(headers) >= 2
