"""Wall time and peak memory of a national-size round: issue, collect, report; one job vs all cores.

What is measured, on a round of N assessments (``--assessments``, default 300) on the example
catalogue, each with **one self-evaluation and three reviewers** (mostly *intercollegiaal* with
three peers; every fourth a *combinatie* of two peers and a CI, half of those strong enough for
a certificate; a few with a *Besluit*), ``.docx`` without PDF, the register inside the round
folder (``init_round(..., register="kwaliteitsregister.sqlite")``):

1. **issue** – :func:`kwl_office.batch.steps.issue_round` on a fresh round folder whose manifest
   rows were written in code: reading the manifest and writing 4 × N signed workbooks, each
   configuration on its own fresh copy of the empty round folder. With J workers where the
   package lets one choose them: ``issue_round(workers=J)`` when it has that parameter, else the
   same steps (lock, manifest, :func:`~kwl_office.batch.issue.issue_workbooks`) with
   ``issue_workbooks(workers=J)``; a package without either issues sequentially, and the table
   says which it was;
2. set-up, **not measured**: the workbooks issued in the first configuration are filled once, as
   people would (:func:`kwl_office.batch.demo.fill_like_a_person`, in a process pool), into its
   inbox. Workbook identities are signed per round (key + workbook ids), so this *prepared*
   folder (issued + filled inbox) is copied as a whole for every configuration, before collect;
3. **collect** – :func:`~kwl_office.batch.steps.collect_round` on such a copy (``workers=J``
   when the package has that parameter): every inbox file read (in J workers) and identified,
   copies filed under ``ontvangen/`` (in the main process, while the workers read),
   ``intake.xlsx`` written;
4. **report** – :func:`~kwl_office.batch.steps.report_round` with ``workers=J``: every
   received workbook read back (in the J workers) and the readiness of every assessment
   checked (shown as *prep*); then deciding (consolidation, advice, register entry) in the
   main process, in id order, while the J workers make each decided assessment's consolidated
   workbook, report, letter and certificate (shown together as *jobs*).

Configurations: ``--jobs 1`` and all cores (``os.cpu_count()``; ``--jobs N`` to choose another).
*round* = issue + collect + report of one configuration.

How: every measured phase runs in a fresh Python process (this script with a hidden
``--phase``), so its peaks are its own and not the set-up's; the set-up's copies are written
to disk (``os.sync``) before it starts, so it does not wait for their write-back either.

* **wall** – ``time.perf_counter`` around the library call inside that process (imports
  excluded); **proc** – the same process's wall seen from here (start-up and imports included,
  what a ``kwl round …`` command costs).
* **memory** – ``ru_maxrss`` of the phase process (``RUSAGE_SELF``) and of its largest worker
  (``RUSAGE_CHILDREN``: a maximum, not a sum); and the process tree sampled from ``/proc`` every
  50 ms: the peak of the sum of RSS of the phase process and all its workers (pages shared after
  ``fork`` counted once per process: an upper bound) and, every second, of the sum of PSS
  (shared pages split: the real footprint; read seldom because reading it stalls the
  process). The benchmark's own peaks (set-up, fill pool) are printed apart.

Targets (issue 16):

* report phase, one job / all cores ≥ 1.8 (wall; meaningful with 2 or more cores);
* whole round (issue + collect + report), one job / all cores ≥ 1.8;
* peak memory < 1 GB: the largest tree RSS sum of any phase;
* whole round with all cores < 30 s (walls of the three library calls; the process walls,
  three start-ups included, are printed beside it), and with PDF < 4 minutes;
* report per assessment (one job) ≤ 1.5 × the sum of its parts' floors: the raw libraries
  doing its file work, measured in the same run on a tenth of its assessments made again
  (python-calamine reading its workbooks, XlsxWriter writing its geconsolideerd.xlsx,
  docxtpl rendering its documents, Pillow drawing its charts; see :func:`report_floor`).
  Issue and collect are printed against their floors too (zipfile deflating the issued
  workbooks' parts; python-calamine reading the received ones).

This is a report, not a test: one run per configuration (``--repeat N``: N runs; the memory is
sampled in the first, the walls of the others are listed and their median reported), no
absolute assertions, exit code 0.

Run from the repository root::

    python benchmarks/bench_round.py                    # 300 assessments (several minutes)
    python benchmarks/bench_round.py --assessments 20   # quick try
    python benchmarks/bench_round.py --json             # numbers as JSON too
    python benchmarks/bench_round.py --repeat 3         # the median of three runs each
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, cast

# run from a source tree without installing: the repository root on the path
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from common import machine_and_versions, run_report  # noqa: E402

from kwl_office import texts_nl as T  # noqa: E402
from kwl_office.assessment import Kind  # noqa: E402
from kwl_office.atomic import atomic_path  # noqa: E402
from kwl_office.batch.folder import RoundFolder, init_round  # noqa: E402
from kwl_office.batch.issue import load_index  # noqa: E402
from kwl_office.batch.manifest import COLUMNS, HEADER_ROW  # noqa: E402

TODAY = date(2026, 12, 1)
DEADLINE = date(2027, 1, 15)
REGISTER = "kwaliteitsregister.sqlite"
RESULT_TAG = "BENCH-RESULT "
SAMPLE_INTERVAL = 0.05  # seconds between /proc samples of a phase's process tree (RSS)
PSS_EVERY = 20  # PSS only every 20th sample (1 s): see _pss_kib

TARGET_SPEEDUP = 1.8  # one job / all cores: at least (issue 16)
TARGET_MEMORY_MIB = 1024.0  # largest tree RSS of a phase: below
TARGET_ROUND_S = 30.0  # issue + collect + report with all cores: below (issue 16)
TARGET_PDF_ROUND_S = 240.0  # the same with PDF (one LibreOffice batch): below
TARGET_REPORT_FLOOR = 1.5  # report per assessment / the sum of its parts' floors: at most

PREFIXES = ("Stichting Welzijn", "Sociaal Werk", "Buurtwerk", "Wijkkracht", "Welzijnswerk",
            "Stichting Samen")
PLACES = ("Eikendal", "Beekzicht", "Heidedorp", "Molenveen", "Zandhoven", "Lindewijk",
          "Vennestad", "Kreekrade", "Dijkhuizen", "Polderwaard", "Bosrand", "Akkerveld",
          "Waterhoek", "Duinzicht", "Rietmeer", "Klaverdal", "Hoogeland", "Lageweide",
          "Brugstede", "Torenvaart", "Elzenhof", "Meidoorn", "Berkenrode", "Hazelaar",
          "Esdoornwijk", "Wilgenhaven", "Varenbroek", "Distelveld", "Zonnehoek", "Maanstede",
          "Sterrenburg", "Regenmeer", "Windhoven", "Wolkendam", "Nevelrode", "Ijsselhoek",
          "Kastanjelaan", "Rozendaal-Oost", "Tulpenveld", "Lavendelwijk", "Bijenkorf-Zuid",
          "Vlinderhof", "Zwanenwater", "Reigersbos", "Merelstede", "Uilenburcht", "Vossenhol",
          "Dassenberg", "Egelshoek", "Hertenkamp")
CIS = ("CI Kwaliteit & Toetsing (fictief)", "CI Certificering Nederland (fictief)")
EXTRA_REVIEWERS = ("Landelijk Steunpunt Buurtwerk (fictief)", "Welzijn Aan Zee (fictief)",
                   "Buurtteam Zuidwest (fictief)")


# --- the round: manifest rows written in code -------------------------------------------------


def host_name(i: int) -> str:
    """A unique, clearly fictional organisation name for assessment ``i``."""
    size = len(PREFIXES) * len(PLACES)
    name = f"{PREFIXES[i % len(PREFIXES)]} {PLACES[(i // len(PREFIXES)) % len(PLACES)]}"
    if i >= size:
        name += f" {i // size + 1}"
    return f"{name} (fictief)"


def variant_of(i: int) -> str:
    """Every fourth assessment a combinatie (2 peers + CI), the rest intercollegiaal (3 peers)."""
    return "combinatie" if i % 4 == 3 else "intercollegiaal"


def is_strong(i: int) -> bool:
    """Half of the combinaties are filled well enough to lead to a certificate."""
    return i % 8 == 7


def manifest_rows(count: int) -> list[dict[str, Any]]:
    """One manifest row per assessment (column key → value), 1 self-evaluation + 3 reviewers."""
    hosts = [host_name(i) for i in range(count)]
    pool = hosts + list(EXTRA_REVIEWERS)  # at least 4 names: 3 reviewers other than the host
    rows = []
    for i, host in enumerate(hosts):
        variant = variant_of(i)
        peers = 2 if variant == "combinatie" else 3
        reviewers = [pool[(i + k) % len(pool)] for k in range(1, peers + 1)]
        decision = "afwijzen" if i % 50 == 49 else ("toekennen" if i % 50 == 24 else None)
        rows.append({
            "id": f"2026-{i + 1:04d}", "host": host,
            "contact": f"{('mevrouw', 'de heer')[i % 2]} {chr(65 + i % 26)}. de Tester",
            "address": f"Postbus {100 + i}; {1000 + i % 9000} AB {PLACES[i % len(PLACES)]}",
            "scope": "hele organisatie" if i % 3 == 0 else "Team Wijkwerk",
            "variant": variant, "reviewers": "; ".join(reviewers),
            "ci": CIS[i % len(CIS)] if variant == "combinatie" else None,
            "deadline": DEADLINE, "decision": decision,
        })
    return rows


def write_manifest(folder: RoundFolder, rows: Sequence[dict[str, Any]]) -> None:
    """Write the rows into the manifest ``init_round`` made (as kwl demo does)."""
    from openpyxl import load_workbook  # set-up only: not in the measured phase processes

    wb = load_workbook(folder.manifest)
    ws = wb.worksheets[0]
    for offset, row in enumerate(rows, start=1):
        for col, key in enumerate(COLUMNS, start=1):
            ws.cell(HEADER_ROW + offset, col).value = row.get(key)
    with atomic_path(folder.manifest) as tmp:
        wb.save(tmp)


def _fill_one(task: tuple[str, str, str, str, bool]) -> int:
    """Fill one issued workbook into the inbox (a pool task); the bytes written."""
    source, target, kind, seed, strong = task
    from kwl_office.batch.demo import STRONG, fill_like_a_person  # set-up only

    fill_like_a_person(Path(source), Path(target), Kind(kind), seed,
                       weights=STRONG if strong else (70, 22, 5, 3))
    return Path(target).stat().st_size


def fill_inbox(folder: RoundFolder, workers: int) -> tuple[int, int]:
    """Fill every issued workbook as a person would, into the inbox (in sub-folders, as files
    arrive by mail); (files, bytes)."""
    tasks = []
    for n, item in enumerate(sorted(load_index(folder).values(), key=lambda w: w.file)):
        who = item.reviewer or "zelfevaluatie"
        name = f"{item.assessment_id} ingevuld door {who}.xlsx"
        target = folder.inbox / f"mail-{n % 5 + 1}" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        tasks.append((str(folder.root / item.file), str(target), item.kind.value,
                      f"{item.assessment_id} {who}",
                      is_strong(int(item.assessment_id.rsplit("-", 1)[1]) - 1)))
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        sizes = list(pool.map(_fill_one, tasks, chunksize=4))
    return len(sizes), sum(sizes)


def settle_disk() -> None:
    """Write the set-up's copies to disk before a phase is measured: a round folder copied
    just before (~40 MB) is otherwise still being written back while the phase runs, and
    every file the phase creates waits for that (measured: a copy filed by collect took
    ~0.8 ms instead of ~0.1 ms). An inbox that filled up over days has nothing pending."""
    if hasattr(os, "sync"):
        os.sync()


# --- a measured phase, in its own process -----------------------------------------------------


def run_phase(phase: str, root: Path, jobs: int) -> dict[str, Any]:
    """Run one phase on ``root`` in this process; what it did, its wall time and peaks."""
    from kwl_office.batch.issue import issue_workbooks
    from kwl_office.batch.manifest import read_manifest
    from kwl_office.batch.steps import collect_round, issue_round, report_round

    warnings.simplefilter("ignore")  # openpyxl on parts it drops; not our subject
    folder = RoundFolder(root)
    out: dict[str, Any] = {"phase": phase, "jobs": jobs}
    marks: dict[str, float] = {}
    start = time.perf_counter()
    if phase == "issue":
        if "workers" in inspect.signature(issue_round).parameters:
            issued, report = cast(Any, issue_round)(folder, workers=jobs)
            how = f"issue_round(workers={jobs})"
        elif "workers" in inspect.signature(issue_workbooks).parameters:
            with folder.lock():  # what issue_round does, with the workers chosen
                entries, report = read_manifest(folder.manifest)
                issued = issue_workbooks(folder, entries, folder.catalogue(), folder.key(),
                                         workers=jobs)
            how = f"issue_workbooks(workers={jobs})"
        else:
            issued, report = issue_round(folder)
            how = "sequential"
        out["detail"] = {"created": len(issued.created), "existing": issued.existing,
                         "manifest_findings": len(report.findings), "how": how}
    elif phase == "collect":
        if "workers" in inspect.signature(collect_round).parameters:
            summary = cast(Any, collect_round)(folder, workers=jobs)
        else:
            summary = collect_round(folder)
        subs = summary.result.submissions
        out["detail"] = {"new": len(summary.result.new), "rejected": len(summary.result.rejected),
                         "valid": sum(1 for s in subs.values() if s.valid),
                         "invalid": sum(1 for s in subs.values() if not s.valid),
                         "annotated": len(summary.annotated)}
    elif phase in ("report", "pdf"):
        def started(_count: int) -> None:
            marks["jobs_start"] = time.perf_counter()

        done = report_round(folder, workers=jobs, today=TODAY, on_start=started,
                            pdf=phase == "pdf")
        results = done.results
        out["detail"] = {
            "made": sum(1 for r in results if r.status == T.REPORT_MADE),
            "skipped": sum(1 for r in results if r.status == T.REPORT_SKIPPED),
            "failed": len(done.failed), "waiting": len(done.waiting),
            "documents": sum(len([d for d in r.documents if d.endswith(".docx")])
                             for r in results),
            "register_entries": sum(1 for r in results if r.number),
            "certificates": sum(1 for r in results if "certificaat.docx" in r.documents),
            "failures": [f"{r.assessment_id}: {r.message}" for r in done.failed[:3]],
        }
    elif phase == "floors":
        out["detail"] = measure_floors(folder)
    else:
        raise ValueError(f"unknown phase {phase!r}")
    end = time.perf_counter()
    out["wall_s"] = end - start
    if "jobs_start" in marks:
        out["prep_s"] = marks["jobs_start"] - start
        out["jobs_s"] = end - marks["jobs_start"]
    out["self_maxrss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out["children_maxrss_kib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return out


# --- floors: the raw libraries doing the same file work, in one process ------------------------


def measure_floors(folder: RoundFolder) -> dict[str, Any]:
    """What the raw libraries need for the file work of issue and collect, on this round's
    own files (best of 3): deflating every issued workbook's parts into a new zip
    (:mod:`zipfile`, what any writer of these files must at least do) and reading every
    received workbook with python-calamine (every sheet's cells)."""
    import zipfile

    import python_calamine as pc

    issued = sorted(folder.issued.rglob("*.xlsx"))
    received = sorted(p for p in folder.received.rglob("*.xlsx") if "historie" not in p.parts)
    parts = []
    for path in issued:
        with zipfile.ZipFile(path) as zf:
            parts.append([(info.filename, zf.read(info)) for info in zf.infolist()])
    target = folder.root / "floor.zip"

    def write_all() -> None:
        for members in parts:
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
                for name, data in members:
                    zf.writestr(name, data)

    def read_all() -> None:
        for path in received:
            book = pc.CalamineWorkbook.from_path(str(path))
            for name in book.sheet_names:
                book.get_sheet_by_name(name).to_python()

    def best(func: Any) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            func()
            times.append(time.perf_counter() - start)
        return min(times)

    result = {"issue_floor_s": best(write_all), "issued": len(issued),
              "collect_floor_s": best(read_all), "received": len(received)}
    target.unlink(missing_ok=True)
    result.update(report_floor(folder, best))
    return result


#: one in this many reported assessments is made again for the report's floor
REPORT_FLOOR_EVERY = 10


def report_floor(folder: RoundFolder, best: Any) -> dict[str, Any]:
    """What the raw libraries need for the file work of report, per assessment, on a sample
    of this round's own assessments (every REPORT_FLOOR_EVERY-th reported one).

    The sample's documents are made again by ``report_round`` in this process (one job,
    not timed) while recorders keep what each template was rendered with and what each
    chart drew. The floor of one assessment is then the sum of: python-calamine reading its
    received workbooks (every sheet), XlsxWriter writing the values of its
    geconsolideerd.xlsx, docxtpl rendering each of its documents' templates with the same
    context and charts (as ``bench_documents.py``'s floor), and Pillow drawing its charts'
    texts, boxes and lines (as ``bench_documents.py``'s floor). What has no library floor –
    reading the round's state, consolidating, deciding, the register – counts on our side."""
    import python_calamine as pc
    from bench_consolidated import cells_of, xlsxwriter_floor
    from bench_documents import floor_value, pillow_floor, record_primitives
    from docxtpl import DocxTemplate
    from jinja2 import Environment

    from kwl_office.batch.steps import report_round
    from kwl_office.documents import produce
    from kwl_office.documents.render import FILTERS, template_path

    outputs = sorted(p for p in folder.output.iterdir()
                     if (p / "geconsolideerd.xlsx").is_file())
    sample = outputs[::REPORT_FLOOR_EVERY]
    for out in sample:  # made again below, this time watched
        shutil.rmtree(out)
    rendered: list[tuple[Path, dict[str, Any]]] = []
    original = produce.render_document

    def recording(kind: Any, context: dict[str, Any], out: Any, *,
                  templates: Any = None) -> Path:
        rendered.append((template_path(kind, templates), context))
        return original(kind, context, out, templates=templates)

    produce.render_document = recording  # type: ignore[assignment]
    try:
        charts = record_primitives(lambda: report_round(folder, workers=1, today=TODAY))
    finally:
        produce.render_document = original  # type: ignore[assignment]
    if not sample or not rendered or not charts:
        return {"report_floor_error": "nothing was made again for the report's floor"}
    received = [p for out in sample
                for p in sorted((folder.received / out.name).rglob("*.xlsx"))
                if "historie" not in p.relative_to(folder.received).parts]
    cells = [cells_of(out / "geconsolideerd.xlsx") for out in sample]
    scratch = folder.root / "floor-docs"
    scratch.mkdir(exist_ok=True)
    env = Environment(autoescape=True)  # docxtpl's own kind, with our Dutch filters
    env.filters.update(FILTERS)

    def read_received() -> None:
        for path in received:
            book = pc.CalamineWorkbook.from_path(str(path))
            for name in book.sheet_names:
                book.get_sheet_by_name(name).to_python()

    def write_consolidated() -> None:
        for n, values in enumerate(cells):
            xlsxwriter_floor(values, scratch / f"g{n}.xlsx")

    def render_documents() -> None:
        for n, (template, context) in enumerate(rendered):
            tpl = DocxTemplate(template)
            tpl.render(floor_value(context, tpl), jinja_env=env, autoescape=True)
            tpl.save(scratch / f"d{n}.docx")

    parts = {"calamine_s": best(read_received), "xlsxwriter_s": best(write_consolidated),
             "docxtpl_s": best(render_documents), "pillow_s": best(pillow_floor(charts))}
    shutil.rmtree(scratch, ignore_errors=True)
    return {"report_floor_sample": len(sample), "report_floor_received": len(received),
            "report_floor_documents": len(rendered), "report_floor_charts": len(charts),
            "report_floor_parts_s": parts,
            "report_floor_per_assessment_s": sum(parts.values()) / len(sample)}


def _proc_children() -> dict[int, list[int]]:
    """parent pid → child pids, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    return children


def _rss_kib(pid: int) -> int:
    """RSS of one process in KiB, from /proc/PID/status: kept counters, cheap to read."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _pss_kib(pid: int) -> int:
    """PSS of one process in KiB (0 when smaps_rollup is not readable). Reading it walks the
    process's page tables under its memory lock, which stalls the process's page faults: read
    it seldom (measured: at every 50 ms it made the two-worker report ~10% slower)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class TreeSampler(threading.Thread):
    """Samples the summed RSS and PSS of a process and all its descendants (Linux /proc)."""

    def __init__(self, pid: int, interval: float = SAMPLE_INTERVAL) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_rss_kib = 0
        self.peak_pss_kib = 0
        self.max_processes = 0
        self.samples = 0
        self._halt = threading.Event()

    def sample(self) -> None:
        if not os.path.isdir("/proc"):
            return
        children = _proc_children()
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo += children.get(pid, [])
        rss = sum(_rss_kib(pid) for pid in tree)
        self.peak_rss_kib = max(self.peak_rss_kib, rss)
        if self.samples % PSS_EVERY == 0:
            self.peak_pss_kib = max(self.peak_pss_kib, sum(_pss_kib(pid) for pid in tree))
        self.max_processes = max(self.max_processes, len(tree))
        self.samples += 1

    def run(self) -> None:
        while not self._halt.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self._halt.set()
        self.join()


@dataclass
class Phase:
    """One measured phase of one configuration."""

    phase: str
    jobs: int
    ok: bool = False
    wall_s: float = float("nan")  # inside the process, around the library call
    proc_s: float = float("nan")  # the process as seen from outside, start-up included
    prep_s: float | None = None  # report: read-back and readiness check
    jobs_s: float | None = None  # report: the worker jobs
    self_maxrss_kib: int = 0
    children_maxrss_kib: int = 0
    tree_rss_kib: int = 0
    tree_pss_kib: int = 0
    processes: int = 0
    detail: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    #: the walls of every repetition (this row is the one with the median wall)
    walls: list[float] = field(default_factory=list)
    #: memory sampled during this run (sampling /proc slows the phase a little)
    sampled: bool = True


def median_runs(runs: list[Phase]) -> list[Phase]:
    """Per phase and configuration the run with the median wall (the lower middle of an even
    number) among the runs whose memory was not sampled (when there are such runs: sampling
    /proc slows a phase), every timed run's wall kept in ``walls`` and the memory peaks of
    the sampled runs; a failed run is the one reported."""
    grouped: dict[tuple[str, int], list[Phase]] = {}
    for run in runs:
        grouped.setdefault((run.phase, run.jobs), []).append(run)
    chosen = []
    for group in grouped.values():
        failed = [p for p in group if not p.ok]
        timed = [p for p in group if not p.sampled] or group
        ordered = sorted(timed, key=lambda p: p.wall_s)
        pick = failed[0] if failed else ordered[(len(ordered) - 1) // 2]
        pick.walls = [p.wall_s for p in timed]
        sampled = [p for p in group if p.sampled]
        if sampled and pick not in sampled:
            pick.tree_rss_kib = max(p.tree_rss_kib for p in sampled)
            pick.tree_pss_kib = max(p.tree_pss_kib for p in sampled)
            pick.processes = max(p.processes for p in sampled)
            pick.self_maxrss_kib = max(p.self_maxrss_kib for p in sampled)
            pick.children_maxrss_kib = max(p.children_maxrss_kib for p in sampled)
        chosen.append(pick)
    return chosen


def measure(phase: str, root: Path, jobs: int, *, sample: bool = True) -> Phase:
    """Run ``phase`` in a fresh Python process, sampling its process tree (``sample``)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--phase", phase,
           "--root", str(root), "--jobs", str(jobs)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=str(_ROOT))
    sampler = TreeSampler(proc.pid)
    if sample:
        sampler.start()
    stdout, stderr = proc.communicate()
    proc_s = time.perf_counter() - start
    if sample:
        sampler.stop()
    result = Phase(phase, jobs, proc_s=proc_s, tree_rss_kib=sampler.peak_rss_kib,
                   tree_pss_kib=sampler.peak_pss_kib, processes=sampler.max_processes,
                   sampled=sample)
    lines = [ln for ln in stdout.splitlines() if ln.startswith(RESULT_TAG)]
    if proc.returncode != 0 or not lines:
        result.error = (stderr.strip() or stdout.strip() or f"exit {proc.returncode}")[-2000:]
        return result
    data = json.loads(lines[-1][len(RESULT_TAG):])
    result.ok = True
    result.wall_s = data["wall_s"]
    result.prep_s = data.get("prep_s")
    result.jobs_s = data.get("jobs_s")
    result.self_maxrss_kib = data["self_maxrss_kib"]
    result.children_maxrss_kib = data["children_maxrss_kib"]
    result.detail = data["detail"]
    return result


# --- report ----------------------------------------------------------------------------------


def versions() -> dict[str, str]:
    """Python, platform and the versions of the libraries the round uses."""
    result = machine_and_versions(())
    try:
        git = subprocess.run(["git", "-C", str(_ROOT), "describe", "--always", "--dirty"],
                             capture_output=True, text=True, timeout=10, check=False)
        result["source"] = git.stdout.strip() or "unknown"
    except (OSError, subprocess.TimeoutExpired):
        result["source"] = "unknown"
    # the same machine keys again keep their place; the libraries come after "source"
    return result | machine_and_versions(("kwl-office", "openpyxl", "python-calamine", "docxtpl",
                                          "python-docx", "lxml", "matplotlib", "pydantic"))


def _load() -> float:
    """The 1-minute load average (NaN where the platform has none)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return float("nan")


def _mib(kib: int) -> float:
    return kib / 1024.0


def _fmt(value: float | None, spec: str = ".1f") -> str:
    return "-" if value is None or value != value else format(value, spec)


def _ratio(a: float, b: float) -> float:
    return a / b if b and b == b and a == a else float("nan")


def _verdict(ok: bool | None) -> str:
    return "n/a " if ok is None else ("PASS" if ok else "MISS")


def print_report(phases: list[Phase], info: dict[str, Any], targets: list[dict[str, Any]]) -> None:
    ver = info["versions"]
    print(f"kwl_office round benchmark – {info['assessments']} assessments × (1 self-evaluation "
          f"+ 3 reviewers) = {info['workbooks']} workbooks; {info['mix']}; .docx"
          + (" (and once with PDF)" if info.get("pdf") else ", no PDF"))
    print(f"{ver['python']} on {ver['platform']} ({ver['cpus']} cpus); "
          + ", ".join(f"{k} {ver[k]}" for k in ("kwl-office", "openpyxl", "python-calamine",
                                                 "docxtpl", "python-docx", "lxml",
                                                 "matplotlib", "pydantic"))
          + f"; source {ver['source']}")
    print(f"load average (1 min) before {info['load_before']:.2f}, after "
          f"{info['load_after']:.2f}: a shared machine, "
          + ("one run per configuration" if info.get("repeat", 1) == 1 else
             f"{info['repeat']} runs per configuration, the median shown"))
    print(f"set-up (not measured): manifest {info['setup_manifest_s']:.1f} s; filled "
          f"{info['filled']} workbooks into the inbox in {info['setup_fill_s']:.1f} s "
          f"({info['fill_workers']} processes, {info['inbox_mib']:.1f} MiB); copying the "
          f"prepared round folder {info['setup_copy_s']:.1f} s per copy")
    print()
    head = (f"{'phase':<8} {'jobs':>4} {'wall s':>8} {'proc s':>8} {'prep s':>7} {'jobs s':>7} "
            f"{'self MiB':>9} {'worker MiB':>10} {'tree RSS':>9} {'tree PSS':>9} {'procs':>5}  "
            f"what")
    print(head)
    print("-" * len(head))
    for jobs in info["configurations"]:
        mine = [p for p in phases if p.jobs == jobs]
        for p in mine:
            print(f"{p.phase:<8} {p.jobs:>4} {_fmt(p.wall_s, '8.1f')} {_fmt(p.proc_s, '8.1f')} "
                  f"{_fmt(p.prep_s, '7.1f'):>7} {_fmt(p.jobs_s, '7.1f'):>7} "
                  f"{_mib(p.self_maxrss_kib):>9.0f} {_mib(p.children_maxrss_kib):>10.0f} "
                  f"{_mib(p.tree_rss_kib):>9.0f} {_mib(p.tree_pss_kib):>9.0f} "
                  f"{p.processes:>5}  {_what(p)}")
        counted = [p for p in mine if p.phase != "pdf"]
        wall = sum(p.wall_s for p in counted)
        proc = sum(p.proc_s for p in counted)
        peak = max((p.tree_rss_kib for p in counted), default=0)
        print(f"{'round':<8} {jobs:>4} {_fmt(wall, '8.1f')} {_fmt(proc, '8.1f')} {'':>7} "
              f"{'':>7} {'':>9} {'':>10} {_mib(peak):>9.0f} {'':>9} {'':>5}  "
              f"issue + collect + report")
        print()
    print("wall: inside the phase process, around the library call; proc: that process from "
          "outside (start-up, imports)")
    if info.get("repeat", 1) > 1:
        print("walls of every run (s): " + "; ".join(
            f"{p.phase} {p.jobs}: " + "/".join(f"{w:.1f}" for w in p.walls)
            for p in phases if p.walls))
    print("prep: report's read-back and readiness check; jobs: deciding (main process) and "
          "making (workers). self/worker MiB: ru_maxrss of the phase")
    print("process / its largest worker; tree RSS/PSS: sampled peak of the sum over the phase "
          "process and its workers")
    print(f"benchmark process itself: ru_maxrss {_mib(info['parent_self_maxrss_kib']):.0f} MiB; "
          f"largest child (fill workers, phase processes) "
          f"{_mib(info['parent_children_maxrss_kib']):.0f} MiB")
    print()
    floors = info.get("floors") or {}
    if floors:
        print("against the floors (the raw libraries doing the same file work on the same "
              "files, one process; ours / floor):")
        by = {(p.phase, p.jobs): p for p in phases}
        for phase, key, what in (
                ("issue", "issue_floor_s", f"zipfile deflating the parts of {floors['issued']} "
                                           "issued workbooks"),
                ("collect", "collect_floor_s", f"python-calamine reading {floors['received']} "
                                               "received workbooks")):
            ours = by.get((phase, 1))
            if ours is not None and ours.ok:
                print(f"  {phase:<8} ours {ours.wall_s:6.1f} s  floor {floors[key]:6.1f} s  "
                      f"{_ratio(ours.wall_s, floors[key]):5.1f}×  ({what})")
        report = by.get(("report", 1))
        each = floors.get("report_floor_per_assessment_s")
        if report is not None and report.ok and each and report.detail.get("made"):
            made = report.detail["made"]
            parts = floors["report_floor_parts_s"]
            sample = floors["report_floor_sample"]
            print(f"  {'report':<8} ours {report.wall_s:6.1f} s  floor {each * made:6.1f} s  "
                  f"{_ratio(report.wall_s, each * made):5.1f}×  (per assessment "
                  f"{1000 * report.wall_s / made:.0f} ms against {1000 * each:.0f} ms, the "
                  f"floor measured on {sample} assessments made again:")
            per = {key: 1000 * value / sample for key, value in parts.items()}
            print(f"{'':<11}python-calamine reading its workbooks {per['calamine_s']:.0f} ms, "
                  f"XlsxWriter its geconsolideerd.xlsx {per['xlsxwriter_s']:.0f} ms,")
            print(f"{'':<11}docxtpl its {floors['report_floor_documents'] / sample:.1f} "
                  f"documents {per['docxtpl_s']:.0f} ms, Pillow its "
                  f"{floors['report_floor_charts'] / sample:.1f} charts "
                  f"{per['pillow_s']:.0f} ms)")
        elif floors.get("report_floor_error"):
            print(f"  report   no floor: {floors['report_floor_error']}")
        print()
    for t in targets:
        print(f"{t['label']:<52} {t['shown']:>10}   {t['target']:<12} {_verdict(t['ok'])}"
              + (f"  {t['note']}" if t.get("note") else ""))


def _what(p: Phase) -> str:
    if not p.ok:
        return "FAILED: " + p.error.splitlines()[-1][:80] if p.error else "FAILED"
    d = p.detail
    if p.phase == "issue":
        return f"{d['created']} workbooks issued ({d['how']})"
    if p.phase == "collect":
        return (f"{d['new']} taken in ({d['valid']} valid, {d['invalid']} invalid), "
                f"{d['rejected']} rejected, {d['annotated']} annotated")
    text = (f"{d['made']} reported ({d['documents']} .docx, {d['certificates']} certificates, "
            f"{d['register_entries']} register entries), {d['waiting']} waiting, "
            f"{d['failed']} failed")
    return text


def make_targets(phases: list[Phase], configs: list[int], cpus: int,
                 floors: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The issue's targets, each with its value, verdict and a note."""
    by = {(p.phase, p.jobs): p for p in phases}
    one, many = configs[0], configs[-1]

    def total(jobs: int, attr: str, names: Sequence[str] = ("issue", "collect", "report")
              ) -> float:
        return float(sum(getattr(by[(n, jobs)], attr) for n in names if (n, jobs) in by))

    targets: list[dict[str, Any]] = []
    comparable = many > one and cpus >= 2
    issue_parallel = ("issue", many) in by and \
        by[("issue", many)].detail.get("how", "sequential") != "sequential"
    note_cores = "" if cpus >= 2 else "(one core: no speed-up possible here)"
    report_ratio = _ratio(by[("report", one)].wall_s, by[("report", many)].wall_s) \
        if comparable else float("nan")
    targets.append({"name": "report_speedup", "label": f"report phase: 1 job / {many} jobs (wall)",
                    "value": report_ratio, "shown": f"{_fmt(report_ratio, '.2f')}×",
                    "target": f"≥ {TARGET_SPEEDUP:g}×",
                    "ok": None if not comparable else report_ratio >= TARGET_SPEEDUP,
                    "note": note_cores})
    if comparable:
        jobs_ratio = _ratio(by[("report", one)].jobs_s or float("nan"),
                            by[("report", many)].jobs_s or float("nan"))
        targets.append({"name": "report_jobs_speedup",
                        "label": "  of which the worker jobs alone", "value": jobs_ratio,
                        "shown": f"{_fmt(jobs_ratio, '.2f')}×", "target": "(reference)",
                        "ok": None, "note": ""})
    round_ratio = _ratio(total(one, "wall_s"), total(many, "wall_s")) \
        if comparable else float("nan")
    targets.append({"name": "round_speedup",
                    "label": f"whole round issue+collect+report: 1 / {many} jobs",
                    "value": round_ratio, "shown": f"{_fmt(round_ratio, '.2f')}×",
                    "target": f"≥ {TARGET_SPEEDUP:g}×",
                    "ok": None if not comparable else round_ratio >= TARGET_SPEEDUP,
                    "note": note_cores or ("" if issue_parallel
                                           else "(issue is sequential in this package)")})
    paired = _paired_ratios(by, one, many) if comparable else []
    if len(paired) > 1:
        # the two configurations of one repetition run minutes apart, so they share the
        # machine's mood of the moment; the ratio of medians above mixes different moments
        middle = sorted(paired)[(len(paired) - 1) // 2]
        targets.append({"name": "round_speedup_paired",
                        "label": "  the same per repetition (lower median; range)",
                        "value": middle, "shown": f"{middle:.2f}×", "target": "(reference)",
                        "ok": None, "note": f"({min(paired):.2f}–{max(paired):.2f}: "
                                            + " ".join(f"{r:.2f}" for r in paired) + ")"})
    run_ratio = _ratio(total(one, "wall_s", ("collect", "report")),
                       total(many, "wall_s", ("collect", "report"))) \
        if comparable else float("nan")
    targets.append({"name": "run_speedup",
                    "label": f"  collect+report (kwl round run): 1 / {many} jobs",
                    "value": run_ratio, "shown": f"{_fmt(run_ratio, '.2f')}×",
                    "target": "(reference)", "ok": None, "note": ""})
    each = (floors or {}).get("report_floor_per_assessment_s")
    report = by.get(("report", one))
    if each and report is not None and report.detail.get("made"):
        per = report.wall_s / report.detail["made"] / each
        targets.append({"name": "report_vs_floor",
                        "label": "report per assessment / sum of its parts' floors",
                        "value": per, "shown": f"{per:.2f}×",
                        "target": f"≤ {TARGET_REPORT_FLOOR:g}×",
                        "ok": per <= TARGET_REPORT_FLOOR, "note": f"({one} job)"})
    peak = max((p.tree_rss_kib for p in phases), default=0)
    if peak == 0:  # no /proc: the bound from ru_maxrss (phase process + every worker)
        peak = max((p.self_maxrss_kib + p.jobs * p.children_maxrss_kib for p in phases),
                   default=0)
    worst = max(phases, key=lambda p: p.tree_rss_kib)
    targets.append({"name": "peak_memory",
                    "label": "peak memory: largest tree RSS of any phase",
                    "value": _mib(peak), "shown": f"{_mib(peak):.0f} MiB",
                    "target": f"< {TARGET_MEMORY_MIB:.0f} MiB",
                    "ok": _mib(peak) < TARGET_MEMORY_MIB,
                    "note": f"({worst.phase}, {worst.jobs} jobs)"})
    whole = total(many, "wall_s")
    targets.append({"name": "round_time", "label": f"whole round with {many} jobs (walls)",
                    "value": whole, "shown": f"{whole:.1f} s",
                    "target": f"< {TARGET_ROUND_S:.0f} s", "ok": whole < TARGET_ROUND_S,
                    "note": ""})
    started = total(many, "proc_s")
    targets.append({"name": "round_time_processes",
                    "label": "  the same as three processes (start-ups included)",
                    "value": started, "shown": f"{started:.1f} s", "target": "(reference)",
                    "ok": None, "note": ""})
    if ("pdf", many) in by:
        with_pdf = total(many, "proc_s", ("issue", "collect")) + by[("pdf", many)].proc_s
        targets.append({"name": "round_time_pdf",
                        "label": f"whole round with PDF, {many} jobs (proc walls)",
                        "value": with_pdf, "shown": f"{with_pdf:.1f} s",
                        "target": f"< {TARGET_PDF_ROUND_S:.0f} s",
                        "ok": with_pdf < TARGET_PDF_ROUND_S, "note": ""})
    if not all(p.ok for p in phases):
        for t in targets:
            t["ok"] = False if t["ok"] is not None else None
            t["note"] = (t["note"] + " a phase FAILED").strip()
    return targets


def _paired_ratios(by: dict[tuple[str, int], Phase], one: int, many: int) -> list[float]:
    """The whole round's speed-up per timed repetition (``walls`` are in run order, and the
    configurations alternate within a repetition); [] when a phase lacks a run."""
    names = ("issue", "collect", "report")
    if any((n, j) not in by or not by[(n, j)].walls for n in names for j in (one, many)):
        return []
    runs = min(len(by[(n, j)].walls) for n in names for j in (one, many))
    return [_ratio(sum(by[(n, one)].walls[i] for n in names),
                   sum(by[(n, many)].walls[i] for n in names)) for i in range(runs)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--assessments", type=int, default=300,
                        help="assessments in the round, each 1 self-evaluation + 3 reviewers "
                             "(default 300; 20 for a quick try)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="the many-jobs configuration (default: all cores, os.cpu_count())")
    parser.add_argument("--keep", action="store_true",
                        help="keep the round folders (their path is printed)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON too")
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure every phase this many times (configurations alternating) "
                             "and report the run with the median wall (default 1)")
    parser.add_argument("--pdf", action="store_true",
                        help="also the report with PDF (one LibreOffice batch) for the many-jobs "
                             "configuration, on its own copy")
    parser.add_argument("--phase", choices=("issue", "collect", "report", "pdf", "floors"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--root", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.phase:  # a measured phase, in its own process (called by measure())
        result = run_phase(args.phase, Path(args.root), max(1, args.jobs or 1))
        print(RESULT_TAG + json.dumps(result))
        return 0

    warnings.simplefilter("ignore")
    count = max(1, args.assessments)
    repeat, keep = max(1, args.repeat), args.keep
    cpus = os.cpu_count() or 1
    configs = sorted({1, max(1, args.jobs or cpus)})

    tmp = Path(tempfile.mkdtemp(prefix="kwl-bench-round-"))
    try:
        info: dict[str, Any] = {"assessments": count, "configurations": configs,
                                "pdf": args.pdf,
                                "versions": versions(), "load_before": _load()}
        rows = manifest_rows(count)
        info["workbooks"] = 4 * count
        combinations = sum(1 for r in rows if r["variant"] == "combinatie")
        info["mix"] = (f"{count - combinations} intercollegiaal (3 peers), {combinations} "
                       f"combinatie (2 peers + CI)")

        start = time.perf_counter()
        # a fictional secretariat signs the letters, as in the demo: every document is made
        from kwl_office.documents.examples import EXAMPLE_SENDER

        empty = init_round(tmp / "leeg", name="Benchronde 2026 (fictief)", register=REGISTER,
                           letters=EXAMPLE_SENDER)
        write_manifest(empty, rows)
        info["setup_manifest_s"] = time.perf_counter() - start

        runs: list[Phase] = []
        issued: dict[int, Path] = {}
        copy_s: list[float] = []
        for rep in range(repeat):
            # the configurations alternate within each repetition: a noisy minute on a shared
            # machine then falls on both, not on one of them
            for jobs in configs:  # issue: each on its own fresh copy of the empty round
                root = tmp / (f"uitgifte-{jobs}" if rep == 0 else f"uitgifte-{jobs}-{rep}")
                shutil.copytree(empty.root, root)
                settle_disk()
                # with several runs, memory is sampled in the first only; the rest are timed
                runs.append(measure("issue", root, jobs, sample=rep == 0))
                if rep == 0:
                    issued[jobs] = root
                elif not keep:
                    shutil.rmtree(root, ignore_errors=True)
            if rep == 0:
                prepared = RoundFolder(issued[configs[0]])
                start = time.perf_counter()
                info["fill_workers"] = cpus
                info["filled"], inbox_bytes = fill_inbox(prepared, cpus)
                info["setup_fill_s"] = time.perf_counter() - start
                info["inbox_mib"] = inbox_bytes / 2**20
            for jobs in configs:  # collect + report: each on its own copy of the prepared folder
                root = tmp / (f"ronde-{jobs}" if rep == 0 else f"ronde-{jobs}-{rep}")
                start = time.perf_counter()
                shutil.copytree(prepared.root, root)
                copy_s.append(time.perf_counter() - start)
                settle_disk()
                runs.append(measure("collect", root, jobs, sample=rep == 0))
                runs.append(measure("report", root, jobs, sample=rep == 0))
                if rep > 0 and not keep:
                    shutil.rmtree(root, ignore_errors=True)
        phases = median_runs(runs)
        info["repeat"] = repeat
        if args.pdf:  # the report with PDF, on a copy of its own
            root = tmp / "ronde-pdf"
            shutil.copytree(prepared.root, root)
            settle_disk()
            measure("collect", root, configs[-1])  # set-up for the PDF report: not counted
            phases.append(measure("pdf", root, configs[-1]))
        floors = measure("floors", tmp / f"ronde-{configs[-1]}", 1)
        info["floors"] = floors.detail
        info["setup_copy_s"] = sum(copy_s) / len(copy_s)
        info["parent_self_maxrss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        info["parent_children_maxrss_kib"] = \
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss

        info["load_after"] = _load()
        order = {"issue": 0, "collect": 1, "report": 2, "pdf": 3}
        phases.sort(key=lambda p: (p.jobs, order[p.phase]))
        targets = make_targets(phases, configs, cpus, floors.detail)
        print_report(phases, info, targets)
        for p in phases:
            if not p.ok:
                print(f"\n{p.phase} with {p.jobs} jobs failed:\n{p.error}", file=sys.stderr)
            for failure in p.detail.get("failures", []):
                print(f"{p.phase} with {p.jobs} jobs: failed assessment {failure}",
                      file=sys.stderr)
        if args.keep:
            print(f"\nround folders kept in {tmp}")
        if args.json:
            print()
            print(json.dumps({"info": info, "phases": [asdict(p) for p in phases],
                              "targets": targets}, indent=2, ensure_ascii=False))
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    run_report(main)
