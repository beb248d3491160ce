"""``branche.xlsx``: the branch benchmark as a workbook, in the house style.

A first sheet that says what the numbers are (catalogue version, rounds, the smallest group
shown, the privacy rule), then one table per kind of cell (domains, quality values, norms),
the norms most often not met and the disagreement hot spots. Every row names its round, so a
sheet filtered on one round is that round's table. Printable on A4 (landscape, fit to width,
header row repeated). Only numbers already suppressed by
:mod:`~kwl_office.benchmark.compute` are written; a suppressed number reads ``<k`` or
``verborgen``, never the number.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office._version import __version__
from kwl_office.atomic import atomic_path
from kwl_office.benchmark.model import Benchmark, CatalogueGroup, Cell, Level, Round, Tie
from kwl_office.excel.cells import set_value
from kwl_office.excel.style import (
    BODY_FONT,
    FONT_NAME,
    GRID,
    LABEL_FONT,
    SECTION_FONT,
    SUBTITLE_FONT,
    TITLE_FONT,
    WRAP_TOP,
    fit_row_height,
    header_cells,
    lines_height,
    print_setup,
    text_lines,
)

_CENTRE = Alignment(horizontal="center", vertical="top", wrap_text=True)
_MUTED = Font(name=FONT_NAME, size=10, italic=True, color="7F7F7F")
_PERCENT = "0%"
_DECIMAL = "0.00"


def write_benchmark_workbook(path: str | Path, benchmark: Benchmark) -> Path:
    """Write ``branche.xlsx`` atomically and return its path."""
    wb = _build(benchmark)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)


def suppressed_text(k: int) -> str:
    """What a number about fewer than ``k`` organisations reads instead (``<5``)."""
    return f"<{k}"


def _build(benchmark: Benchmark) -> Workbook:
    wb = Workbook()
    start = wb.active
    assert start is not None
    start.title = T.BENCH_SHEETS["start"]
    _write_start(start, benchmark)
    several = len(benchmark.groups) > 1
    for kind in ("domains", "quality_values", "norms"):
        _write_cells(wb.create_sheet(T.BENCH_SHEETS[kind]), benchmark, kind, several)
    _write_ranking(wb.create_sheet(T.BENCH_SHEETS["not_met"]), benchmark, "not_met", several)
    _write_ranking(wb.create_sheet(T.BENCH_SHEETS["hot_spots"]), benchmark, "hot_spots",
                   several)
    wb.active = 0
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is start
    wb.properties.title = T.BENCH_TITLE
    wb.properties.creator = f"kwl_office {__version__}"
    return wb


def _put(ws: Worksheet, row: int, col: int, value: Any, *, font: Font = BODY_FONT,
         alignment: Alignment = WRAP_TOP, number_format: str | None = None,
         grid: bool = True, fill: PatternFill | None = None) -> Any:
    cell = set_value(ws.cell(row, col), value)
    cell.font, cell.alignment = font, alignment
    if grid:
        cell.border = GRID
    if number_format and isinstance(value, float):  # counts stay plain numbers
        cell.number_format = number_format
    if fill is not None:
        cell.fill = fill
    return cell


def _write_start(ws: Worksheet, benchmark: Benchmark) -> None:
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 80
    set_value(ws.cell(1, 1), T.BENCH_TITLE).font = TITLE_FONT
    fit_row_height(ws, 1, 26)
    set_value(ws.cell(2, 1), T.BENCH_SUBTITLE).font = SUBTITLE_FONT
    row = 4
    for paragraph in T.BENCH_ABOUT:
        cell = set_value(ws.cell(row, 1), paragraph)
        cell.font, cell.alignment = BODY_FONT, WRAP_TOP
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        fit_row_height(ws, row, lines_height(text_lines(paragraph, 106)))
        row += 1
    for group in benchmark.groups:
        row += 1
        set_value(ws.cell(row, 1), f"{group.catalogue_title} – "
                  f"{T.BENCH_VERSION} {group.catalogue_version}").font = SECTION_FONT
        row += 1
        for label, value in _group_facts(group):
            _put(ws, row, 1, label, font=LABEL_FONT)
            _put(ws, row, 2, value)
            fit_row_height(ws, row, lines_height(text_lines(value, 78)))
            row += 1
    print_setup(ws, orientation="portrait", header=(T.BENCH_TITLE, ws.title))


def _group_facts(group: CatalogueGroup) -> list[tuple[str, str]]:
    rounds = [f"{r.label}: " + (dutch.count(r.organisations, "organisatie", "organisaties")
                               if r.organisations is not None
                               else f"{suppressed_text(group.min_group)} organisaties")
              for r in group.rounds]
    facts = [(T.BENCH_FACTS["rounds"], "; ".join(rounds)),
             (T.BENCH_FACTS["min_group"], smallest_group_text(group))]
    return facts


def smallest_group_text(group: CatalogueGroup) -> str:
    """"kleinste getoonde groep: 5", with the policy when k was lowered below it."""
    text = T.BENCH_SMALLEST.format(k=group.min_group)
    if group.lowered:
        text += " " + T.BENCH_LOWERED.format(policy=group.policy_min_group)
    return text


def _level_headers(scale: Sequence[Level]) -> list[str]:
    return [level.label for level in scale]


def _write_cells(ws: Worksheet, benchmark: Benchmark, kind: str, several: bool) -> None:
    """One table of domains, quality values or norms: a row per round and cell."""
    scale = benchmark.groups[0].scale if benchmark.groups else []
    first = [T.BENCH_COLUMNS["version"]] if several else []
    headers = [*first, T.BENCH_COLUMNS["round"], T.BENCH_COLUMNS["id"],
               T.BENCH_COLUMNS[f"title_{kind}"], T.BENCH_COLUMNS["organisations"],
               *_level_headers(scale), T.BENCH_COLUMNS["share_met"],
               T.BENCH_COLUMNS["share_not_met"]]
    if kind == "norms":
        headers += [T.BENCH_COLUMNS["share_disagreement"], T.BENCH_COLUMNS["mean_spread"]]
    title_width = 60 if kind == "norms" else 34
    widths = [*([10] if several else []), 14, 8, title_width, 13,
              *[11] * len(scale), 10, 10, *([12, 11] if kind == "norms" else [])]
    header_cells(ws, 1, headers, widths=widths)
    fit_row_height(ws, 1, lines_height(3))
    row = 2
    for group in benchmark.groups:
        k = group.min_group
        for rnd in group.rounds:
            for cell in getattr(rnd, kind):
                values = _cell_values(cell, group, k, kind)
                lead = [group.catalogue_version] if several else []
                _row(ws, row, [*lead, rnd.label, *values], title_column=len(lead) + 2,
                     title_width=title_width, decimal_last=kind == "norms")
                row += 1
    ws.freeze_panes = ws.cell(2, len(first) + 4)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(row - 1, 1)}"
    print_setup(ws, title_row=1, header=(T.BENCH_TITLE, ws.title))


def _cell_values(cell: Cell, group: CatalogueGroup, k: int, kind: str) -> list[Any]:
    """The values of one row after the round: id, title, organisations, levels, shares."""
    hidden = T.BENCH_HIDDEN
    organisations: Any = (cell.organisations if cell.organisations is not None
                          else suppressed_text(k))
    if cell.organisations is None:
        levels: list[Any] = [suppressed_text(k)] * len(group.scale)
    elif cell.counts is None:
        levels = [hidden] * len(group.scale)
    else:
        levels = [cell.counts.get(level.code, 0) for level in group.scale]
    shares: list[Any] = [_share(cell.share_met, cell), _share(cell.share_not_met, cell)]
    if kind == "norms":
        shares += [_share(cell.share_disagreement, cell, counts=False),
                   cell.mean_spread if cell.mean_spread is not None else "–"]
    return [cell.id, cell.title, organisations, *levels, *shares]


def _share(value: float | None, cell: Cell, *, counts: bool = True) -> Any:
    if value is not None:
        return value
    if cell.organisations is None or (counts and cell.counts is None):
        return T.BENCH_HIDDEN if cell.organisations else "–"
    return "–"


def _row(ws: Worksheet, row: int, values: Sequence[Any], *, title_column: int,
         title_width: float, decimal_last: bool = False) -> None:
    """One table row; floats are shares (a percentage), except a last mean spread."""
    for col, value in enumerate(values, start=1):
        is_title = col == title_column + 1
        number_format = _DECIMAL if decimal_last and col == len(values) else _PERCENT
        muted = isinstance(value, str) and (value.startswith("<") or value in (
            T.BENCH_HIDDEN, "–"))
        left = is_title or (col <= title_column and not isinstance(value, int | float))
        _put(ws, row, col, value, alignment=WRAP_TOP if left else _CENTRE,
             number_format=number_format, font=_MUTED if muted else BODY_FONT)
    title = values[title_column]
    fit_row_height(ws, row, lines_height(text_lines(str(title), title_width - 2)))


def _write_ranking(ws: Worksheet, benchmark: Benchmark, which: str, several: bool) -> None:
    """The norms most often not met, or the hot spots: per round, in rank order."""
    first = [T.BENCH_COLUMNS["version"]] if several else []
    measure = ("share_not_met", "share_met") if which == "not_met" else (
        "share_disagreement", "mean_spread")
    headers = [*first, T.BENCH_COLUMNS["round"], T.BENCH_COLUMNS["rank"],
               T.BENCH_COLUMNS["id"], T.BENCH_COLUMNS["title_norms"],
               T.BENCH_COLUMNS["organisations"], *(T.BENCH_COLUMNS[m] for m in measure)]
    widths = [*([10] if several else []), 14, 7, 8, 70, 13, 12, 12]
    header_cells(ws, 1, headers, widths=widths)
    fit_row_height(ws, 1, lines_height(3))
    row = 2
    for group in benchmark.groups:
        for rnd in group.rounds:
            ids = rnd.most_not_met if which == "not_met" else rnd.hot_spots
            for rank, norm_id in enumerate(ids, start=1):
                cell = rnd.norm(norm_id)
                assert cell is not None
                lead = [group.catalogue_version] if several else []
                values = [*lead, rnd.label, rank, cell.id, cell.title, cell.organisations,
                          *(getattr(cell, m) for m in measure)]
                _row(ws, row, [v if v is not None else "–" for v in values],
                     title_column=len(lead) + 3, title_width=70,
                     decimal_last=which == "hot_spots")
                row += 1
            note = ranking_tie_text(which, rnd) or (
                "" if ids else empty_ranking_text(which, group, rnd))
            if note:
                _put(ws, row, len(first) + 1, rnd.label)
                _put(ws, row, len(first) + 4, note, font=_MUTED)
                row += 1
    print_setup(ws, title_row=1, header=(T.BENCH_TITLE, ws.title))


def empty_ranking_text(which: str, group: CatalogueGroup, rnd: Round) -> str:
    """What stands in place of an empty ranking (``not_met``, ``hot_spots``) of ``rnd``: no
    shown norm qualified, or, in a round smaller than the smallest group, none is shown, or
    every candidate has the same share (none stands out)."""
    if rnd.organisations is None:
        return T.BENCH_EMPTY_RANKING_HIDDEN.format(k=group.min_group)
    tie = _tie(which, rnd)
    if tie is not None:
        return T.BENCH_RANKING_ALL_TIED[which].format(count=tie.count, share=_tie_share(tie),
                                                      k=group.min_group)
    return T.BENCH_EMPTY_RANKING[which].format(k=group.min_group)


def ranking_tie_text(which: str, rnd: Round) -> str:
    """What stands below a ranking (``not_met``, ``hot_spots``) of ``rnd`` that stopped
    before norms with the same share (:class:`~kwl_office.benchmark.model.Tie`); '' when
    it did not, or when it names no norm at all (:func:`empty_ranking_text` says why)."""
    tie = _tie(which, rnd)
    if tie is None or not (rnd.most_not_met if which == "not_met" else rnd.hot_spots):
        return ""
    return T.BENCH_RANKING_TIE[which].format(count=tie.count, share=_tie_share(tie))


def _tie(which: str, rnd: Round) -> Tie | None:
    return rnd.most_not_met_tie if which == "not_met" else rnd.hot_spots_tie


def _tie_share(tie: Tie) -> str:
    return f"{tie.share * 100:.0f}%"
