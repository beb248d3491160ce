"""THE workbook contract, shared by writer and reader.

Sheet names, columns, header labels and identity keys are defined here once. The reader
finds norm rows by the norm id in the ``Norm`` column (never by position: people sort,
move and insert rows) and input columns by their header label (an inserted column does not
shift the reading). Bump :data:`LAYOUT_VERSION` when a change breaks old workbooks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from kwl_office import texts_nl
from kwl_office.assessment import Kind, NormScope
from kwl_office.catalogue.model import Catalogue, Domain, Norm, QualityValue
from kwl_office.names import normalise_token

LAYOUT_VERSION = 1

SHEET_START = texts_nl.SHEET_START
#: the cell of the start sheet that shows the workbook's kind (texts_nl.KIND_TITLES): where
#: a person sees what kind of workbook it is (the identity that says so is hidden)
START_KIND_CELL = "A2"
SHEET_OVERVIEW = texts_nl.SHEET_OVERVIEW
SHEET_IDENTITY = "_kwl"
SHEET_LISTS = "_lijsten"
#: sheets that never hold norm rows
#: the sheet the check macro (macros/KwlControle.bas) writes its findings on
SHEET_CHECK = "Controle"
NON_NORM_SHEETS = frozenset({SHEET_START, SHEET_OVERVIEW, SHEET_IDENTITY, SHEET_LISTS,
                             SHEET_CHECK})
#: workbook names the check macro reads: the accepted rating tokens, the text length limit
NAME_RATING_TOKENS = "kwl_oordelen"
NAME_MAX_TEXT = "kwl_max_tekstlengte"

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
    # only in a shared team workbook (JSON list); absent in a workbook of one reviewer
    "reviewers",
    "signature",
)


#: what the accent column accepts, normalised (:func:`~kwl_office.names.normalise_token`):
#: the reader's yes and no, which the overview's accent count uses too
ACCENT_YES = ("ja", "j", "yes", "y", "x", "waar", "true", "1")
ACCENT_NO = ("nee", "n", "no", "onwaar", "false", "0", "")


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


# Widths are in characters as Excel counts them. A domain sheet prints on A4 landscape fit to
# the page width; at most 169 characters wide, its 10 pt text prints at 8.5 pt or more
# (:func:`kwl_office.excel.style.width_budget`). The long-text columns are at least 26 wide, so
# that 800 characters fit in the highest row Excel allows (409 pt). The mirror's two columns
# are paid for by narrower columns (:data:`_MIRROR_WIDTHS`). No column is narrower than the
# longest word of its header label (:func:`kwl_office.excel.style.word_width`): Excel and
# LibreOffice would cut that word in two ("Kwaliteitswaard" / "e").
NORM_ID = Column("norm_id", Role.ID, 6)
QUALITY_VALUE = Column("quality_value", Role.INFO, 15)
NORM_TEXT = Column("norm_text", Role.INFO, 30)
GUIDANCE = Column("guidance", Role.INFO, 24)
DISTINCTIVE = Column("distinctive", Role.INFO, 5)
SELF_RATING = Column("self_rating", Role.MIRROR, 13)
SELF_COMMENT = Column("self_comment", Role.MIRROR, 26)
RATING = Column("rating", Role.RATING, 11, "rating")

_COMMON = (NORM_ID, QUALITY_VALUE, NORM_TEXT, GUIDANCE, DISTINCTIVE)
_SELF_INPUTS = (
    RATING,
    Column("comment_self", Role.TEXT, 30, "comment"),
    Column("evidence", Role.TEXT, 20, "evidence"),
    Column("improvements", Role.TEXT, 20, "improvements"),
    Column("accent", Role.ACCENT, 7, "accent"),
)
_REVIEW_INPUTS = (
    RATING,
    Column("comment_review", Role.TEXT, 30, "comment"),
    Column("strengths", Role.TEXT, 22, "strengths"),
    Column("learning_points", Role.TEXT, 22, "learning_points"),
)
#: column key → width on a sheet with the mirror
_MIRROR_WIDTHS = {"quality_value": 15, "norm_text": 26, "guidance": 15, "comment_review": 26,
                  "strengths": 13, "learning_points": 13}


def columns_for(kind: Kind, *, mirror: bool = False) -> tuple[Column, ...]:
    """The columns of a domain sheet for a workbook kind, left to right."""
    if kind is Kind.SELF_EVALUATION:
        return _COMMON + _SELF_INPUTS
    if not mirror:
        return _COMMON + _REVIEW_INPUTS
    return tuple(replace(column, width=_MIRROR_WIDTHS.get(column.key, column.width))
                 for column in _COMMON + (SELF_RATING, SELF_COMMENT) + _REVIEW_INPUTS)


def input_columns(kind: Kind) -> tuple[Column, ...]:
    """The columns the reader needs for a kind (besides the norm id)."""
    return _SELF_INPUTS if kind is Kind.SELF_EVALUATION else _REVIEW_INPUTS


_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


# --- shared team workbooks ------------------------------------------------------------------
#
# A team workbook (several reviewers of one assessment in one file, for Excel co-authoring)
# has one sheet per reviewer with every norm of the scope, grouped under domain headings, and
# one team sheet the penvoerder (the first reviewer) fills in after the team's discussion. Each
# person types only on their own sheet, so two people never write the same cell. A sheet says
# whose it is in a locked cell (row :data:`TEAM_OWNER_ROW`, the value right of the label): the
# reader goes by that, not by the sheet's name, which people may change.

#: the row above the header that names the sheet's reviewer (or the team)
TEAM_OWNER_ROW = 3
SHEET_TEAM = texts_nl.SHEET_TEAM
TEAM_STRENGTHS = Column("team_strengths", Role.TEXT, 45, "strengths")
TEAM_LEARNING_POINTS = Column("team_learning_points", Role.TEXT, 45, "learning_points")
_TEAM_REVIEW_INPUTS = (RATING, Column("comment_review", Role.TEXT, 40, "comment"))
#: column key → width on a reviewer sheet with the mirror (at most 169 wide: 8.5 pt on A4)
_TEAM_MIRROR_WIDTHS = {"norm_text": 28, "guidance": 20, "comment_review": 36}


def team_review_columns(*, mirror: bool = False) -> tuple[Column, ...]:
    """The columns of a reviewer's sheet in a team workbook, left to right."""
    if not mirror:
        return _COMMON + _TEAM_REVIEW_INPUTS
    return tuple(replace(column, width=_TEAM_MIRROR_WIDTHS.get(column.key, column.width))
                 for column in _COMMON + (SELF_RATING, SELF_COMMENT) + _TEAM_REVIEW_INPUTS)


def team_sheet_columns() -> tuple[Column, ...]:
    """The columns of the team sheet: the norm, and what the team says together."""
    return (NORM_ID, QUALITY_VALUE, NORM_TEXT, TEAM_STRENGTHS, TEAM_LEARNING_POINTS)


def team_sheet_names(reviewers: Sequence[str]) -> list[str]:
    """One valid, unique sheet name per reviewer (Excel: at most 31 characters, none of
    ``[]:*?/\\``, unique regardless of case), never a name another sheet has."""
    taken = {name.casefold() for name in NON_NORM_SHEETS | {SHEET_TEAM}}
    names = []
    for number, reviewer in enumerate(reviewers, start=1):
        base = _INVALID_SHEET_CHARS.sub("-", reviewer).strip("' ") or f"{number}"
        name = base[:31]
        while name.casefold() in taken:
            suffix = f" ({number})"
            name = base[:31 - len(suffix)] + suffix
            number += len(reviewers)
        taken.add(name.casefold())
        names.append(name)
    return names


def domain_sheet_name(domain: Domain) -> str:
    """The sheet title of a domain: its title, made a valid Excel sheet name."""
    name = _INVALID_SHEET_CHARS.sub("-", domain.title).strip("' ")[:31]
    if name in NON_NORM_SHEETS or not name:
        name = f"Domein {domain.id}"[:31]
    return name


# =============================================================================================
# consolidated workbook (geconsolideerd.xlsx)
# =============================================================================================
#
# Written by :func:`kwl_office.consolidation.workbook.write_consolidated` for the secretariat and
# read back by :func:`~kwl_office.consolidation.workbook.read_overrides` once the consensus
# meeting has filled *Eindoordeel* and *Motivering* on the Matrix sheet. As above, norm rows
# are found by the norm id and columns by their header label.

CONSOLIDATED_KIND = "geconsolideerd"

SHEET_SUMMARY = texts_nl.CONS_SHEET_SUMMARY
SHEET_MATRIX = texts_nl.CONS_SHEET_MATRIX
SHEET_DOMAINS = texts_nl.CONS_SHEET_DOMAINS
SHEET_AGREEMENT = texts_nl.CONS_SHEET_AGREEMENT
#: the hidden sheets have the same names as in the workbooks people fill in
CONSOLIDATED_IDENTITY_SHEET = SHEET_IDENTITY
CONSOLIDATED_LISTS_SHEET = SHEET_LISTS

#: key/value rows of the hidden identity sheet, in this order
CONSOLIDATED_KEYS = (
    "kind",
    "assessment_id",
    "host",
    "catalogue_id",
    "catalogue_version",
    "catalogue_fingerprint",
    "variant",
)

#: header row of the tables on Matrix, Domeinen and Overeenstemming as written (1-based)
CONSOLIDATED_HEADER_ROW = 4
CONSOLIDATED_FIRST_DATA_ROW = CONSOLIDATED_HEADER_ROW + 1


@dataclass(frozen=True)
class TableColumn:
    """One column of a table in the consolidated workbook."""

    key: str
    width: float

    @property
    def label(self) -> str:
        """The header label people see; also how the reader finds the column."""
        return texts_nl.CONS_HEADERS[self.key]

    @property
    def token(self) -> str:
        """The normalised label used for matching headers."""
        return normalise_token(self.label)


# Matrix: Norm | Domein | Kwaliteitswaarde | Normtekst | Zelfevaluatie | <one column per
# reviewer, header = reviewer name> | Consensus | Spreiding | Eindoordeel | Motivering
# (widths as the domain sheets; with three reviewers the matrix is 172 wide: the consolidated
# workbook narrows the text columns until it prints at 8.5 pt, with more reviewers further)
MATRIX_NORM_ID = TableColumn("norm_id", 6)
MATRIX_DOMAIN = TableColumn("domain", 13)
MATRIX_QUALITY_VALUE = TableColumn("quality_value", 15)
MATRIX_NORM_TEXT = TableColumn("norm_text", 30)
MATRIX_SELF = TableColumn("self_rating", 13)
MATRIX_CONSENSUS = TableColumn("consensus", 12)
MATRIX_SPREAD = TableColumn("spread", 9)
MATRIX_FINAL = TableColumn("final", 12)
MATRIX_MOTIVATION = TableColumn("motivation", 26)
#: width of each reviewer column
MATRIX_REVIEWER_WIDTH = 12
MATRIX_BEFORE_REVIEWERS = (
    MATRIX_NORM_ID, MATRIX_DOMAIN, MATRIX_QUALITY_VALUE, MATRIX_NORM_TEXT, MATRIX_SELF)
MATRIX_AFTER_REVIEWERS = (MATRIX_CONSENSUS, MATRIX_SPREAD, MATRIX_FINAL, MATRIX_MOTIVATION)
#: the only unlocked columns: what the consensus meeting fills in
MATRIX_INPUTS = (MATRIX_FINAL, MATRIX_MOTIVATION)

# Domeinen: <group> | Normen | <one column per scale level, header = its label> | Open |
# Aandeel voldoet | Gemiddelde score | Verschillen van inzicht
SUMMARY_DOMAIN = TableColumn("group_domain", 30)
SUMMARY_QUALITY_VALUE = TableColumn("group_quality_value", 30)
SUMMARY_NORMS = TableColumn("norms", 9)
SUMMARY_OPEN = TableColumn("open", 9)
SUMMARY_SHARE_MET = TableColumn("share_met", 11)
SUMMARY_MEAN_SCORE = TableColumn("mean_score", 11)
SUMMARY_DISAGREEMENTS = TableColumn("disagreements", 12)
#: width of each scale-level column on Domeinen
SUMMARY_LEVEL_WIDTH = 12

# Overeenstemming: Domein | Krippendorffs alfa | Duiding | Exacte overeenstemming |
# Vergelijkbare normen
AGREEMENT_COLUMNS = (
    TableColumn("group_domain", 30),
    TableColumn("alpha", 14),
    TableColumn("interpretation", 12),
    TableColumn("percent_agreement", 16),
    TableColumn("pairable_units", 14),
)

# Samenvatting: the blocking norms and the findings, in the sheet's four columns A-D (the
# norm text spans C:D)
BLOCKING_COLUMNS = (
    TableColumn("blocking_norm", 26),
    TableColumn("blocking_rating", 28),
    TableColumn("blocking_text", 84),
)
FINDINGS_COLUMNS = (
    TableColumn("severity", 26),
    TableColumn("file", 28),
    TableColumn("place", 24),
    TableColumn("message", 60),
)


def selected_domains(
    catalogue: Catalogue, scope: NormScope
) -> list[tuple[Domain, list[tuple[QualityValue, Norm]]]]:
    """The domains and norms a workbook of this scope holds (empty domains left out)."""
    result = []
    for domain in catalogue.domains:
        norms = [
            (value, norm)
            for value in domain.quality_values
            for norm in value.norms
            if scope is NormScope.ALL or norm.distinctive
        ]
        if norms:
            result.append((domain, norms))
    return result
