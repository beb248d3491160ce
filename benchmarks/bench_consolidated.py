"""Speed of writing geconsolideerd.xlsx, against raw-library floors in one process.

What is measured, on the example assessment of :mod:`kwl_office.documents.examples` (a peer
review of the example catalogue: 50 norms, self-evaluation, two reviewers) compared with an
earlier assessment, so that every sheet is there (Samenvatting, Matrix, Domeinen with its
chart, Vorige keer, Overeenstemming, the hidden lists and identity):

1. **ours** – :func:`kwl_office.consolidation.workbook.write_consolidated`, N times
   (``--count``, default 20): every cell with its look, row heights, dropdown, conditional
   formats, notes, chart, protection, print setup, atomic save;
2. **XlsxWriter floor** – the same cell values (taken once from our file) written raw with
   XlsxWriter into the same sheets, ``in_memory``, no formats, heights or print setup: the
   least writing these cells can cost with the library we use;
3. **openpyxl floor** – the same cells written raw with openpyxl (values only), a reference
   line: why named styles in openpyxl could not reach the target (issue 16: its floor alone
   is about the 20 ms the whole workbook may take).

Why ratios: the machine is shared and noisy and its speed is unknown. Ours and the floors
run in the same process on the same data, interleaved per repetition, after a warm-up; the
best of ``--repeats`` (default 5) counts. Targets:

* ours ≤ 20 ms per workbook (issue 16; an absolute target, so read it with the load average
  printed beside it);
* ours / XlsxWriter floor ≤ 3 – the look, heights, print setup and atomic save may cost at
  most twice the raw cells.

This is a report, not a test: it asserts nothing and always exits with 0.

Run from the repository root::

    python benchmarks/bench_consolidated.py            # 20 workbooks, best of 5
    python benchmarks/bench_consolidated.py --json     # numbers as JSON too
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

# run from a source tree without installing: the repository root on the path
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import openpyxl  # noqa: E402
import xlsxwriter  # noqa: E402
from common import machine_and_versions, run_report  # noqa: E402

from kwl_office.assessment import Variant  # noqa: E402
from kwl_office.catalogue import load_example_catalogue  # noqa: E402
from kwl_office.consolidation.history import compare  # noqa: E402
from kwl_office.consolidation.workbook import write_consolidated  # noqa: E402
from kwl_office.documents.examples import example_consolidation  # noqa: E402

TARGET_MS = 20.0  # ours, per workbook: at most
TARGET_RATIO = 3.0  # ours / XlsxWriter floor: at most

#: sheet name → (row, column, value) of every non-empty cell, 1-based
Cells = dict[str, list[tuple[int, int, Any]]]


def load_average() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "unknown"


def cells_of(path: Path) -> Cells:
    """Every value of every sheet of a written workbook, in sheet order."""
    wb = openpyxl.load_workbook(path)
    return {ws.title: [(cell.row, cell.column, cell.value) for row in ws.iter_rows()
                       for cell in row if cell.value is not None] for ws in wb.worksheets}


def xlsxwriter_floor(cells: Cells, path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_formulas": False,
                                         "strings_to_numbers": False,
                                         "strings_to_urls": False})
    for name, values in cells.items():
        ws = wb.add_worksheet(name)
        for row, col, value in values:
            if isinstance(value, str):
                ws.write_string(row - 1, col - 1, value)
            else:
                ws.write_number(row - 1, col - 1, value)
    wb.close()


def openpyxl_floor(cells: Cells, path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, values in cells.items():
        ws = wb.create_sheet(name)
        for row, col, value in values:
            ws.cell(row, col).value = value
    wb.save(path)


def timed(func: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds of ``func``: the CPU time of this process suffers less from the
    other users of a shared machine than the wall time."""
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    func()
    return time.perf_counter() - start, time.process_time() - cpu


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=20, help="workbooks per run (default 20)")
    parser.add_argument("--repeats", type=int, default=5, help="repetitions, best counts")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON too")
    args = parser.parse_args(argv)
    count, repeats = max(1, args.count), max(1, args.repeats)

    catalogue = load_example_catalogue()
    _ = catalogue.fingerprint  # cached: not part of any measurement
    current = example_consolidation(catalogue)
    earlier = example_consolidation(catalogue, Variant.AUDIT).model_copy(
        update={"assessment_id": "2023-001"})
    previous = compare(earlier, current, catalogue=catalogue, since="2023")
    load_before = load_average()

    with tempfile.TemporaryDirectory(prefix="kwl-bench-consolidated-") as tmp:
        folder = Path(tmp)
        sample = write_consolidated(folder / "voorbeeld.xlsx", current, catalogue,
                                    previous=previous)
        cells = cells_of(sample)

        def ours() -> None:
            for i in range(count):
                write_consolidated(folder / f"ours-{i}.xlsx", current, catalogue,
                                   previous=previous)

        def floor() -> None:
            for i in range(count):
                xlsxwriter_floor(cells, folder / f"floor-{i}.xlsx")

        def reference() -> None:
            for i in range(count):
                openpyxl_floor(cells, folder / f"openpyxl-{i}.xlsx")

        runs: dict[str, tuple[str, Callable[[], None], list[tuple[float, float]]]] = {
            "ours": ("ours: write_consolidated", ours, []),
            "xlsxwriter_floor": ("floor: XlsxWriter, same cells, values only", floor, []),
            "openpyxl_floor": ("reference: openpyxl, same cells, values only", reference, []),
        }
        for _, run, _ in runs.values():
            run()  # warm-up
        for _ in range(repeats):
            for _, run, times in runs.values():
                times.append(timed(run))

    info = {"count": count, "repeats": repeats, "sheets": list(cells),
            "cells": sum(len(v) for v in cells.values()),
            "load_average_before": load_before, "load_average_after": load_average(),
            "versions": machine_and_versions(("kwl-office", "xlsxwriter", "openpyxl"))}
    ms = {key: 1000 * min(wall for wall, _ in times) / count
          for key, (_, _, times) in runs.items()}
    cpu_ms = {key: 1000 * min(cpu for _, cpu in times) / count
              for key, (_, _, times) in runs.items()}
    ratio = ms["ours"] / ms["xlsxwriter_floor"]

    ver = info["versions"]
    print(f"geconsolideerd.xlsx benchmark – {count} workbooks per run, best of {repeats}")
    print(f"{ver['python']} on {ver['platform']} ({ver['cpus']} cpus); xlsxwriter "
          f"{ver['xlsxwriter']}, openpyxl {ver['openpyxl']}")
    print(f"load average before {info['load_average_before']}, after "
          f"{info['load_average_after']}")
    print(f"workbook: {len(cells)} sheets ({', '.join(cells)}), {info['cells']} cells")
    print()
    width = max(len(label) for label, _, _ in runs.values())
    print(f"{'measurement':<{width}}  {'ms each':>8}  {'CPU ms':>7}  runs (wall ms each)")
    for key, (label, _, times) in runs.items():
        each = " ".join(f"{1000 * wall / count:.1f}" for wall, _ in times)
        print(f"{label:<{width}}  {ms[key]:>8.1f}  {cpu_ms[key]:>7.1f}  {each}")
    print()
    verdict_ms = "PASS" if ms["ours"] <= TARGET_MS else "MISS"
    verdict_ratio = "PASS" if ratio <= TARGET_RATIO else "MISS"
    print(f"{'ours, ms per workbook':<44} {ms['ours']:>6.1f}   target ≤ {TARGET_MS:g}  "
          f"{verdict_ms}")
    print(f"{'ours, CPU ms per workbook':<44} {cpu_ms['ours']:>6.1f}   (the same, less "
          "disturbed by other processes)")
    print(f"{'ours / XlsxWriter floor':<44} {ratio:>6.2f}   target ≤ {TARGET_RATIO:g}  "
          f"{verdict_ratio}")
    print(f"{'openpyxl floor / XlsxWriter floor':<44} "
          f"{ms['openpyxl_floor'] / ms['xlsxwriter_floor']:>6.2f}   (reference)")
    if args.json:
        print(json.dumps({"info": info, "ms_each": ms, "cpu_ms_each": cpu_ms, "ratio": ratio,
                          "runs_s": {k: t for k, (_, _, t) in runs.items()}}, indent=2,
                         ensure_ascii=False))
    return 0


if __name__ == "__main__":
    run_report(main)
