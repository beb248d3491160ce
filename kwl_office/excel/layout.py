"""THE workbook contract, shared by writer and reader.

Sheet names, columns, header labels and identity keys are defined here once. The reader
finds norm rows by the norm id in the ``Norm`` column (never by position: people sort,
move and insert rows) and input columns by their header label (an inserted column does not
shift the reading). Bump :data:`LAYOUT_VERSION` when a change breaks old workbooks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from kwl_office import texts_nl
from kwl_office.assessment import Kind
from kwl_office.catalogue import Domain, normalise_token

LAYOUT_VERSION = 1

SHEET_START = texts_nl.SHEET_START
SHEET_OVERVIEW = texts_nl.SHEET_OVERVIEW
SHEET_IDENTITY = "_kwl"
SHEET_LISTS = "_lijsten"
#: sheets that never hold norm rows
NON_NORM_SHEETS = frozenset({SHEET_START, SHEET_OVERVIEW, SHEET_IDENTITY, SHEET_LISTS})

#: row of the column headers on a domain sheet as written (1-based)
HEADER_ROW = 4
FIRST_DATA_ROW = HEADER_ROW + 1
#: the reader looks for the header row in this many top rows (people insert rows above it)
HEADER_SCAN_ROWS = 30

#: prefix of the custom document properties that mirror the identity sheet
PROPERTY_PREFIX = "kwl_"

IDENTITY_KEYS = (
    "layout_version",
    "kind",
    "workbook_id",
    "assessment_id",
    "host",
    "reviewer",
    "catalogue_id",
    "catalogue_version",
    "catalogue_fingerprint",
    "norm_scope",
    "deadline",
    "issued_at",
    "tool_version",
    "signature",
)


class Role(StrEnum):
    """What a column is for; decides protection, validation and reading."""

    ID = "id"
    INFO = "info"
    MIRROR = "mirror"
    RATING = "rating"
    TEXT = "text"
    ACCENT = "accent"


@dataclass(frozen=True)
class Column:
    """One column of a domain sheet."""

    key: str
    role: Role
    width: float
    #: the :class:`~kwl_office.assessment.NormResponse` field it is read into (inputs only)
    field: str | None = None

    @property
    def label(self) -> str:
        """The header label people see; also how the reader finds the column."""
        return texts_nl.HEADERS[self.key]

    @property
    def token(self) -> str:
        """The normalised label used for matching headers."""
        return normalise_token(self.label)

    @property
    def is_input(self) -> bool:
        """True for the unlocked columns people fill in."""
        return self.role in (Role.RATING, Role.TEXT, Role.ACCENT)


NORM_ID = Column("norm_id", Role.ID, 7)
QUALITY_VALUE = Column("quality_value", Role.INFO, 16)
NORM_TEXT = Column("norm_text", Role.INFO, 40)
GUIDANCE = Column("guidance", Role.INFO, 32)
DISTINCTIVE = Column("distinctive", Role.INFO, 6)
SELF_RATING = Column("self_rating", Role.MIRROR, 13)
SELF_COMMENT = Column("self_comment", Role.MIRROR, 28)
RATING = Column("rating", Role.RATING, 15, "rating")

_COMMON = (NORM_ID, QUALITY_VALUE, NORM_TEXT, GUIDANCE, DISTINCTIVE)
_SELF_INPUTS = (
    RATING,
    Column("comment_self", Role.TEXT, 36, "comment"),
    Column("evidence", Role.TEXT, 26, "evidence"),
    Column("improvements", Role.TEXT, 26, "improvements"),
    Column("accent", Role.ACCENT, 9, "accent"),
)
_REVIEW_INPUTS = (
    RATING,
    Column("comment_review", Role.TEXT, 34, "comment"),
    Column("strengths", Role.TEXT, 26, "strengths"),
    Column("learning_points", Role.TEXT, 26, "learning_points"),
)


def columns_for(kind: Kind, *, mirror: bool = False) -> tuple[Column, ...]:
    """The columns of a domain sheet for a workbook kind, left to right."""
    if kind is Kind.SELF_EVALUATION:
        return _COMMON + _SELF_INPUTS
    return _COMMON + ((SELF_RATING, SELF_COMMENT) if mirror else ()) + _REVIEW_INPUTS


def input_columns(kind: Kind) -> tuple[Column, ...]:
    """The columns the reader needs for a kind (besides the norm id)."""
    return _SELF_INPUTS if kind is Kind.SELF_EVALUATION else _REVIEW_INPUTS


_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def domain_sheet_name(domain: Domain) -> str:
    """The sheet title of a domain: its title, made a valid Excel sheet name."""
    name = _INVALID_SHEET_CHARS.sub("-", domain.title).strip("' ")[:31]
    if name in NON_NORM_SHEETS or not name:
        name = f"Domein {domain.id}"[:31]
    return name
