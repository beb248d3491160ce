"""Names are identities: the one normalisation of organisation and reviewer names (and of the
tokens people type: ratings, header labels), the safe alphabet of assessment ids, and file
names that never collide.

"Zorg & Wélzijn" typed on a Mac (decomposed, NFD) and on Windows (composed, NFC), with a
double space, a non-breaking space, an en dash for a hyphen or a full stop at the end, is one
organisation. :func:`name_key` is the single comparison key for every such question:
self-review, duplicate reviewers, counting reviewers, the register. :func:`tidy_name` is the
form we show and sign (composed, single spaces, no invisible characters).

File and folder names derived from names and ids are collision-free by construction
(:func:`file_name`): a name made only of safe characters that fits is used as it is; any
other name gets its unsafe characters replaced, is shortened to fit, and carries a short hash
of the full name (``~1a2b3c4d``). A name used as it is never contains ``~``, so it can never
equal a hashed one, and two different names never get the same hash suffix in practice.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

#: what an assessment id may contain: letters, digits, and ``.``, ``_`` or ``-`` inside;
#: 1–40 characters. Ids become folder names on every platform and in URLs of the register.
ASSESSMENT_ID_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,38}[A-Za-z0-9])?$"
ASSESSMENT_ID_ALPHABET = "letters, cijfers en . _ - (niet aan begin of eind), hoogstens 40 tekens"
_ID_RE = re.compile(ASSESSMENT_ID_PATTERN)

#: characters a file name keeps as they are (besides letters and digits)
_FILE_SAFE = frozenset(" -_.()&")
#: a file name's limits: characters (readability) and UTF-8 bytes (filesystems allow 255)
FILE_NAME_CHARS = 80
FILE_NAME_BYTES = 150
_HASH_CHARS = 8

#: punctuation trimmed from both ends of a name before comparing ("Welzijn Noord." is
#: "Welzijn Noord"); brackets are kept, "(fictief)" is part of a name
_TRIM = " .,;:!?'\"*"
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00b4": "'",
                         "`": "'"})


def _visible(text: str) -> str:
    # control characters (Cc) and invisible format characters (Cf: zero-width space, soft
    # hyphen, byte-order mark, direction marks) never distinguish two names
    return "".join(" " if c in "\t\n\r\v\f" else c for c in text
                   if unicodedata.category(c) not in ("Cc", "Cf") or c in "\t\n\r\v\f")


#: a control character as it may reach us: raw (C0 and C1 controls, tab and line ends
#: excepted) or as Excel writes it in XML (``_x001B_``)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
                      r"|_x00(?:0[0-8BbCcEeFf]|1[0-9A-Fa-f]|7[Ff])_")


def control_character(text: str) -> str | None:
    """The first control character in ``text`` (shown as ``\\x1b`` or as Excel's
    ``_x001B_``), or None. Tabs and line ends are not control characters here: people type
    them in Excel cells."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    char = found.group(0)
    return char if len(char) > 1 else f"\\x{ord(char):02x}"


def clean_text(text: str) -> str:
    """Free text (a contact, an address line, a scope) as we store it: composed (NFC),
    without control or invisible characters (Excel's ``_xHHHH_`` escapes of them too), tabs
    made spaces, spaces trimmed; line ends stay."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text))
    text = "".join(c for c in text if unicodedata.category(c) != "Cf").replace("\t", " ")
    return "\n".join(" ".join(line.split()) for line in text.splitlines()).strip()


def tidy_name(name: str) -> str:
    """A name as we show and sign it: composed (NFC), without control or invisible
    characters (also not as Excel's ``_x001B_``), with single spaces and no spaces at the
    ends."""
    return " ".join(_visible(_CONTROL.sub("", unicodedata.normalize("NFC", name))).split())


@lru_cache(maxsize=8192)  # a round compares the same few hundred names thousands of times
def name_key(name: str) -> str:
    """The comparison key of an organisation or reviewer name.

    Compatibility-normalised (NFKC: also full-width letters and ligatures) and case-folded,
    dashes made ``-``, curly quotes straight, whitespace collapsed, punctuation trimmed from
    the ends. Two names are the same organisation exactly when their keys are equal.
    """
    text = unicodedata.normalize("NFKC", tidy_name(name)).casefold()
    text = unicodedata.normalize("NFKC", text)  # casefold can undo NFKC (e.g. "ß" → "ss")
    text = "".join("-" if unicodedata.category(c) == "Pd" else c for c in text)
    text = text.translate(_QUOTES)
    return " ".join(text.split()).strip(_TRIM)


def organisation_id_key(organisation_id: str) -> str:
    """The comparison key of an Organisatie-id (a KvK number, say): compatibility-normalised,
    case-folded, without spaces, dots and dashes (``12.34 56-78`` is ``12345678``)."""
    text = unicodedata.normalize("NFKC", organisation_id).casefold()
    return "".join(c for c in text if not (c.isspace() or c in "."
                                           or unicodedata.category(c) == "Pd"))


@lru_cache(maxsize=8192)
def normalise_token(text: str) -> str:
    """A typed token (a rating, a header label, yes/no) for comparison: lower case, without
    spaces, dots, hyphens and underscores: ``N.v.t.`` → ``nvt``, ``Voldoet deels`` →
    ``voldoetdeels``."""
    return re.sub(r"[\s._\-]+", "", text).casefold()


def same_name(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` name the same organisation (see :func:`name_key`)."""
    return name_key(a) == name_key(b)


#: names Windows reserves for devices: a folder ``CON`` or ``nul`` cannot be made there
_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                       *(f"lpt{i}" for i in range(10))})


def valid_assessment_id(text: str) -> bool:
    """True for an id in the safe alphabet (:data:`ASSESSMENT_ID_PATTERN`) that is not a
    device name Windows reserves (``CON``, ``NUL``, ``COM1``…)."""
    return bool(_ID_RE.match(text)) and text.split(".")[0].casefold() not in _RESERVED


def id_key(assessment_id: str) -> str:
    """Assessment ids are unique without regard to case (folders on Windows and macOS are
    case-insensitive): ``2026-A1`` and ``2026-a1`` are one id."""
    return assessment_id.strip().casefold()


def file_name(text: str, *, chars: int = FILE_NAME_CHARS, max_bytes: int = FILE_NAME_BYTES
              ) -> str:
    """A file or folder name for ``text`` (without suffix), collision-free by construction.

    Kept as it is when it has only letters, digits and `` -_.()&`` and fits in ``chars``
    characters and ``max_bytes`` UTF-8 bytes; otherwise unsafe characters become ``_``, it is
    shortened, and ``~`` plus eight hex digits of the SHA-256 of the whole name is appended.
    """
    tidy = tidy_name(text)
    cleaned = "".join(c if c.isalnum() or c in _FILE_SAFE else "_" for c in tidy).strip(" .")
    if cleaned and cleaned == tidy and _fits(cleaned, chars, max_bytes) and _portable(cleaned):
        return cleaned
    suffix = "~" + hashlib.sha256(tidy.encode("utf-8")).hexdigest()[:_HASH_CHARS]
    room = chars - len(suffix)
    stem = cleaned[:room]
    while stem and len((stem + suffix).encode("utf-8")) > max_bytes:
        stem = stem[:-1]
    stem = stem.rstrip(" ._")
    return (stem or "naam") + suffix


def _portable(name: str) -> bool:
    """Not a name Windows reserves for a device (``CON``, ``nul.txt``…) and not one SharePoint
    and OneDrive refuse (``_vti_`` anywhere, ``desktop.ini``); such names get a hash."""
    lowered = name.casefold()
    return (lowered.split(".")[0].strip() not in _RESERVED and "_vti_" not in lowered
            and lowered != "desktop.ini")


def _fits(text: str, chars: int, max_bytes: int) -> bool:
    return len(text) <= chars and len(text.encode("utf-8")) <= max_bytes
