"""Read a filled workbook back into a :class:`~kwl_office.assessment.Submission`.

Tolerant of what people do (sorting, moving and inserting rows and columns, pasting,
typing ``n.v.t.`` or `` VOLDOET DEELS ``, saving in LibreOffice or as ``.ods``) and precise
about what is wrong: every content problem becomes a finding with sheet, cell and norm.
Only a file that cannot be opened as a workbook at all raises
:class:`~kwl_office.errors.UnreadableFile`.

Values are read with python-calamine; norm rows are found by the norm id, input columns by
their header label (:mod:`kwl_office.excel.norm_rows`). Many files at once
(:func:`read_workbooks`) read in groups, each file exactly as :func:`read_workbook` reads it.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kwl_office import texts_nl as T
from kwl_office.assessment import (
    Identity,
    Kind,
    NormResponse,
    NormScope,
    Review,
    Submission,
)
from kwl_office.catalogue import (
    Catalogue,
    load_example_catalogue,
    normalise_token,
)
from kwl_office.errors import UnreadableFile
from kwl_office.excel import layout as L
from kwl_office.excel.container import OpenedFile, open_workbook_file
from kwl_office.excel.identity_sheet import read_identity, wrong_kind
from kwl_office.excel.norm_rows import ID_TOKEN, NormRowReader, never_norms, norm_sheets
from kwl_office.excel.sheets import SheetSource, cell_ref, cell_text, clip
from kwl_office.findings import Report, make_finding
from kwl_office.names import same_name


def read_workbook(
    path: str | Path,
    catalogue: Catalogue | None = None,
    *,
    key: bytes | None = None,
    expected_kind: Kind | None = None,
    expected_assessment: str | None = None,
    allow_incomplete: bool = False,
    data: bytes | None = None,
    key_name: str | None = None,
    explain_empty: bool = False,
) -> Submission:
    """Read a filled workbook; content problems are findings in ``submission.report``.

    ``key`` verifies the identity's signature (without it: warning
    ``signature-unverified``). ``expected_kind`` / ``expected_assessment`` add
    ``wrong-kind`` / ``wrong-assessment`` errors when the workbook is something else.
    A workbook with fewer rated norms than the policy asks (``min_aandeel_beoordeeld``) gets
    the error ``incomplete-submission``, unless ``allow_incomplete`` (a workbook still being
    filled in; its open norms stay ``missing-rating`` warnings). ``data``: the file's bytes
    when the caller read them already (:func:`~kwl_office.excel.container.read_bounded`).
    ``key_name``: where ``key`` came from (a path), named in ``identity-tampered`` when the
    signature does not match it. ``explain_empty``: an empty rating cell that shows a formula
    error is ``formula-error`` (calamine reads it as empty; finding it reads the sheet's XML
    again, ~0.2 ms per workbook with an open norm), for what people read (``kwl check``,
    collect, ``kwl consolidate``); else it is an open norm as any empty cell.
    Raises :class:`~kwl_office.errors.UnreadableFile` only when the file cannot be opened.
    """
    catalogue = catalogue or load_example_catalogue()
    opened = open_workbook_file(path, data)
    return interpret_workbook(path, opened, parse_sheets(opened, explain_empty=explain_empty),
                              catalogue, key=key,
                              expected_kind=expected_kind,
                              expected_assessment=expected_assessment,
                              allow_incomplete=allow_incomplete, key_name=key_name)


#: a group of :func:`read_workbooks` is read as soon as it holds this many files or bytes:
#: what is parsed waits in memory until it is interpreted
GROUP_FILES = 8
GROUP_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class ReadRequest:
    """One file for :func:`read_workbooks`: its path, its bytes when the caller read them
    already, and the name an ``unreadable-file`` finding gives it (:func:`read_submissions`;
    default: its file name)."""

    path: str | Path
    data: bytes | None = None
    name: str | None = None


def read_workbooks(requests: Sequence[ReadRequest], catalogue: Catalogue | None = None, *,
                   key: bytes | None = None, expected_kind: Kind | None = None,
                   allow_incomplete: bool = False, key_name: str | None = None,
                   explain_empty: bool = False) -> list[Submission | UnreadableFile]:
    """:func:`read_workbook` for many files: per request, in order, the submission it returns
    or the :class:`~kwl_office.errors.UnreadableFile` it raises (one file that cannot be read
    changes nothing for the others).

    The files are read in groups (:data:`GROUP_FILES`, :data:`GROUP_BYTES`): first calamine
    parses the sheets of every file of the group, then Python interprets them one after the
    other. Done file by file, the Python steps of each file start on caches just filled by
    calamine's parsing and run 1.5–4× slower than on their own; back to back a read-back is
    ~2 % faster on average (0–6 % between runs; ``benchmarks/bench_workbooks.py``). Each
    file goes through the same three steps as in :func:`read_workbook`, so its result is the
    same (``tests/test_read_many.py``)."""
    catalogue = catalogue or load_example_catalogue()
    results: list[Submission | UnreadableFile | None] = [None] * len(requests)
    group: list[tuple[int, OpenedFile]] = []
    held = 0
    for i, request in enumerate(requests):
        try:
            opened = open_workbook_file(request.path, request.data)
        except UnreadableFile as err:
            results[i] = err
            continue
        group.append((i, opened))
        held += len(opened.data)
        if len(group) >= GROUP_FILES or held >= GROUP_BYTES:
            _read_group(group, requests, results, catalogue, key, expected_kind,
                        allow_incomplete, key_name, explain_empty)
            group, held = [], 0
    _read_group(group, requests, results, catalogue, key, expected_kind, allow_incomplete,
                key_name, explain_empty)
    done = [result for result in results if result is not None]
    assert len(done) == len(requests)  # every file has its result
    return done


def _read_group(group: list[tuple[int, OpenedFile]], requests: Sequence[ReadRequest],
                results: list[Submission | UnreadableFile | None], catalogue: Catalogue,
                key: bytes | None, expected_kind: Kind | None,
                allow_incomplete: bool, key_name: str | None = None,
                explain_empty: bool = False) -> None:
    parsed: list[tuple[int, OpenedFile, SheetSource]] = []
    for i, opened in group:
        try:
            parsed.append((i, opened, parse_sheets(opened, explain_empty=explain_empty)))
        except UnreadableFile as err:
            results[i] = err
    for i, opened, book in parsed:
        try:
            results[i] = interpret_workbook(requests[i].path, opened, book, catalogue, key=key,
                                            expected_kind=expected_kind,
                                            allow_incomplete=allow_incomplete,
                                            key_name=key_name)
        except UnreadableFile as err:
            results[i] = err


def read_submissions(requests: Sequence[ReadRequest], catalogue: Catalogue | None = None, *,
                     key: bytes | None = None, expected_kind: Kind | None = None,
                     allow_incomplete: bool = False, key_name: str | None = None,
                     explain_empty: bool = False) -> list[Submission]:
    """:func:`read_submission` for many files, in order, read as :func:`read_workbooks`
    reads them: a file that cannot be read becomes a submission with its
    ``unreadable-file`` finding. ``key_name`` as for :func:`read_workbook`."""
    return [result if isinstance(result, Submission)
            else unreadable_submission(request.path, result, request.name)
            for request, result in zip(requests, read_workbooks(
                requests, catalogue, key=key, expected_kind=expected_kind,
                allow_incomplete=allow_incomplete, key_name=key_name,
                explain_empty=explain_empty), strict=True)]


def parse_sheets(opened: OpenedFile, *, explain_empty: bool = False) -> SheetSource:
    """The sheets of a checked file (:func:`~kwl_office.excel.container.open_workbook_file`)
    that :func:`interpret_workbook` looks at, parsed: the identity sheet and every sheet
    that may hold norm rows. The middle step of :func:`read_workbook`; raises
    :class:`~kwl_office.errors.UnreadableFile` when calamine cannot open the file."""
    book = SheetSource(opened, explain_empty=explain_empty)
    book.parse(name for name in book.names
               if name == L.SHEET_IDENTITY or not never_norms(name))
    return book


def interpret_workbook(path: str | Path, opened: OpenedFile, book: SheetSource,
                       catalogue: Catalogue, *, key: bytes | None = None,
                       expected_kind: Kind | None = None,
                       expected_assessment: str | None = None,
                       allow_incomplete: bool = False,
                       key_name: str | None = None) -> Submission:
    """The last step of :func:`read_workbook` (see there): what the parsed sheets say, as a
    submission. Raises :class:`~kwl_office.errors.UnreadableFile` for a file without an
    identity and without any norm sheet, or whose needed sheet calamine cannot read."""
    report = Report()
    identity = read_identity(book, opened, catalogue, key, report, key_name)
    if identity is not None:
        if expected_kind is not None and identity.kind is not expected_kind:
            report.add(wrong_kind(identity.kind.value, expected_kind.value))
        if expected_assessment is not None and identity.assessment_id != expected_assessment:
            report.add(make_finding("wrong-assessment", sheet=L.SHEET_IDENTITY,
                                    found=identity.assessment_id, expected=expected_assessment))
    submission = Submission(file=str(path), identity=identity, report=report)
    if identity is not None and identity.catalogue_fingerprint != catalogue.fingerprint:
        # norm rows of another catalogue would only produce noise; the mismatch says it all
        return submission
    if identity is not None and identity.is_team:
        read_team(book, catalogue, identity, submission)
    else:
        NormRowReader(book, catalogue, identity, expected_kind, submission).read()
    if not allow_incomplete:
        check_complete(submission, catalogue)
    return submission


def read_submission(path: str | Path, catalogue: Catalogue | None = None, *,
                    key: bytes | None = None, expected_kind: Kind | None = None,
                    allow_incomplete: bool = False, name: str | None = None,
                    data: bytes | None = None) -> Submission:
    """:func:`read_workbook`, but a file that cannot be read at all becomes a submission too:
    no identity, no responses, and one ``unreadable-file`` finding with the reason, naming the
    file as ``name`` (default: its file name). The one way ``kwl check``, the round's intake
    and the consolidation turn a refusal into data."""
    try:
        return read_workbook(path, catalogue, key=key, expected_kind=expected_kind,
                             allow_incomplete=allow_incomplete, data=data)
    except UnreadableFile as err:
        return unreadable_submission(path, err, name)


def unreadable_submission(path: str | Path, err: UnreadableFile, name: str | None = None
                          ) -> Submission:
    """The submission :func:`read_submission` makes of a file that cannot be read: no
    identity, no responses, one ``unreadable-file`` finding naming the file as ``name``
    (default: its file name)."""
    report = Report()
    report.add(make_finding("unreadable-file", file=name or Path(path).name,
                            reason=err.reason))
    return Submission(file=str(path), report=report)


def check_complete(submission: Submission, catalogue: Catalogue) -> None:
    """The completeness rule: a workbook counts only with enough rated norms; in a team
    workbook, every reviewer's part (each located on that reviewer's sheet)."""
    scope = submission.identity.norm_scope if submission.identity else NormScope.ALL
    expected = norm_sheets(catalogue, scope)
    if not submission.is_team:  # the usual workbook: its answers as they are, no Review
        _check_part_complete(submission, catalogue, expected, submission.responses, "")
        return
    for review in submission.team_reviews:
        _check_part_complete(submission, catalogue, expected, review.responses,
                             f"{review.reviewer}: ")


def rating_progress(submission: Submission, catalogue: Catalogue) -> tuple[int, int]:
    """How many of the workbook's norms (those of its scope in ``catalogue``, as the
    completeness rule counts them) have a rating, and how many norms it has. In a team
    workbook a norm counts as rated when every reviewer rated it."""
    scope = submission.identity.norm_scope if submission.identity else NormScope.ALL
    expected = norm_sheets(catalogue, scope)
    reviews = submission.reviews()
    rated = sum(1 for norm_id in expected
                if reviews and all((r := review.responses.get(norm_id)) is not None
                                   and r.rating is not None for review in reviews))
    return rated, len(expected)


def review_progress(submission: Submission, catalogue: Catalogue
                    ) -> tuple[list[tuple[str, int]], int]:
    """Per reviewer of the workbook (one, or each of a shared team workbook, in team order)
    how many of the workbook's norms they rated, and how many norms it has: as
    :func:`rating_progress` counts, one reviewer at a time."""
    scope = submission.identity.norm_scope if submission.identity else NormScope.ALL
    expected = norm_sheets(catalogue, scope)
    return [(review.reviewer, sum(1 for norm_id in expected
                                  if (r := review.responses.get(norm_id)) is not None
                                  and r.rating is not None))
            for review in submission.reviews()], len(expected)


def _check_part_complete(submission: Submission, catalogue: Catalogue,
                         expected: Collection[str],
                         responses: dict[str, NormResponse], prefix: str) -> None:
    open_norms = [n for n in expected if n not in responses or responses[n].rating is None]
    required = catalogue.policy.required_ratings(len(expected))
    rated = len(expected) - len(open_norms)
    if rated >= required:
        return
    first = responses.get(open_norms[0]) if open_norms else None
    shown = ", ".join(open_norms[:8]) + (f" en {len(open_norms) - 8} meer"
                                         if len(open_norms) > 8 else "")
    submission.report.add(make_finding(
        "incomplete-submission", sheet=first.sheet if first else None,
        cell=first.cell if first else None, norm_id=open_norms[0] if open_norms else None,
        file_prefix=prefix, rated=rated, total=len(expected), required=required,
        open_norms=shown))


# --- team workbooks --------------------------------------------------------------------------


_OWNER_TOKEN = normalise_token(T.TEAM_OWNER_LABEL)
_TEAM_TOKENS = {c.token: c for c in (L.TEAM_STRENGTHS, L.TEAM_LEARNING_POINTS)}
_TEAM_COLUMNS = {c.key: c for c in _TEAM_TOKENS.values()}


def sheet_owners(book: SheetSource) -> dict[str, str]:
    """Sheet → the owner text of its "Ingevuld door" row, for every sheet that has one."""
    owners: dict[str, str] = {}
    for name in book.names:
        if never_norms(name):
            continue
        owner = sheet_owner(book.rows(name))
        if owner is not None:
            owners[name] = owner
    return owners


def read_team(book: SheetSource, catalogue: Catalogue, identity: Identity,
               submission: Submission) -> None:
    """Each reviewer's answers from the sheet that says it is theirs, and the team sheet.

    A sheet is recognised by its locked "Ingevuld door" row, not by its name (people rename
    tabs). A reviewer without a sheet, a second sheet for the same reviewer, or a norm sheet
    of nobody in the team is a finding; nothing is guessed."""
    report = submission.report
    owners = sheet_owners(book)
    claimed: set[str] = set()
    for reviewer in identity.reviewers:
        sheets = [name for name, owner in owners.items() if same_name(owner, reviewer)]
        claimed.update(sheets)
        if not sheets:
            report.add(make_finding("team-sheet-missing", reviewer=reviewer))
            submission.team_reviews.append(Review(reviewer=reviewer))
            continue
        for extra in sheets[1:]:
            report.add(make_finding("team-sheet-twice", sheet=extra, reviewer=reviewer,
                                    first=sheets[0]))
        responses: dict[str, NormResponse] = {}
        NormRowReader(book, catalogue, identity, None, submission, sheet=sheets[0],
                    responses=responses).read()
        submission.team_reviews.append(Review(reviewer=reviewer, responses=responses))
    for name in owners:
        if name in claimed:
            continue
        rows = book.rows(name)
        if _team_header(rows) is not None:
            _read_team_sheet(name, rows, catalogue, identity, submission)
        else:
            report.add(make_finding("team-sheet-unknown", sheet=name, owner=clip(owners[name])))


def sheet_owner(rows: Iterable[Sequence[Any]]) -> str | None:
    """Whose sheet of a team workbook this is: the text right of the "Ingevuld door" label
    above the header (a reviewer, or the team); None for a sheet without one. ``rows``: the
    sheet's values from A1 (calamine rows, or openpyxl's ``iter_rows(values_only=True)``)."""
    for row in itertools.islice(rows, L.HEADER_SCAN_ROWS):
        texts = [cell_text(v) for v in row]
        for c, text in enumerate(texts):
            if text and len(text) < 40 and normalise_token(text) == _OWNER_TOKEN:
                return next((t for t in texts[c + 1:] if t), "")
    return None


def _team_header(rows: list[list[Any]]) -> tuple[int, int, dict[str, int]] | None:
    """Row, norm id column and team columns (key → index) of a team sheet's header."""
    for r, row in enumerate(rows[: L.HEADER_SCAN_ROWS]):
        tokens = [normalise_token(v) if isinstance(v, str) and len(v) < 60 else "" for v in row]
        if ID_TOKEN not in tokens:
            continue
        found = {_TEAM_TOKENS[t].key: c for c, t in enumerate(tokens) if t in _TEAM_TOKENS}
        if found:
            return r, tokens.index(ID_TOKEN), found
    return None


def _read_team_sheet(sheet: str, rows: list[list[Any]], catalogue: Catalogue,
                     identity: Identity, submission: Submission) -> None:
    header = _team_header(rows)
    assert header is not None
    top, id_col, columns = header
    expected = norm_sheets(catalogue, identity.norm_scope)
    limit = catalogue.policy.max_text_length
    for r in range(top + 1, len(rows)):
        row = rows[r]
        norm_id = cell_text(row[id_col]) if id_col < len(row) else ""
        if norm_id not in expected or norm_id in submission.team:
            continue  # headings, notes below the table; unknown rows are the reviewers' care
        fields: dict[str, Any] = {"sheet": sheet}
        for key, c in columns.items():
            column = _TEAM_COLUMNS[key]
            text = cell_text(row[c]) if c < len(row) else ""
            if len(text) > limit:
                submission.report.add(make_finding(
                    "text-too-long", sheet=sheet, cell=cell_ref(r, c), norm_id=norm_id,
                    length=len(text), limit=limit))
            assert column.field is not None
            fields[column.field] = text or None
        if fields.get("strengths") or fields.get("learning_points"):
            submission.team[norm_id] = NormResponse(**fields)


__all__ = ["GROUP_BYTES", "GROUP_FILES", "ReadRequest", "UnreadableFile", "check_complete",
           "interpret_workbook", "parse_sheets", "rating_progress", "read_identity",
           "read_submission", "read_submissions", "read_team", "read_workbook",
           "read_workbooks", "review_progress", "sheet_owner", "sheet_owners",
           "unreadable_submission"]
