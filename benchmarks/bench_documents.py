"""Speed of making Word documents, charts and PDFs with kwl_office, against floors in one process.

What is measured, on the example assessment of :mod:`kwl_office.documents.examples` (a peer
review of the example catalogue with self-evaluation, two reviewers and one override):

1. **learning reports** – N documents (``--count``, default 30) through
   :func:`kwl_office.documents.produce.learning_report`, with the charts drawn *once*
   beforehand (:func:`~kwl_office.documents.context.draw_charts`) and passed in, as batches
   use it: the context is built per document, the template rendered and saved atomically;
2. **docxtpl floor** – the same template file rendered raw with docxtpl, with the same
   context (built once with ``report_context``) and the same chart images: per document
   ``DocxTemplate(path)``, charts to ``InlineImage``, multi-line strings to ``Listing``,
   ``render(ctx, autoescape=True)``, ``save``: what rendering with docxtpl as documented
   costs. Ours can go below it because it compiles each template's XML once per process
   (docxtpl compiles it on every render, as costly as the render itself); two reference
   lines split ours into building the context and rendering it;
3. **charts** – milliseconds per chart: ``draw_charts`` of the example consolidation plus the
   branchebeeld's ``share_chart``, against the **Pillow floor**: the same charts' primitives
   (recorded from ours: canvas size, texts, boxes, lines) drawn with raw Pillow as documented
   (``ImageDraw.text`` with fonts loaded once, ``rectangle``, ``line``, ``Image.save`` as
   PNG). Ours warm (labels drawn before, as in a round) and cold (text cache emptied), and
   ``counts_chart`` / ``gap_chart`` / ``share_chart`` one at a time;
4. **PDF** – the documents of a round of N assessments (``--pdf-assessments``, default 10;
   several sizes comma-separated), laid out as ``round report`` makes them: a folder per
   assessment, peer reviews (``leerrapport.docx`` + ``brief.docx``) alternating with audits
   (``auditrapport.docx`` + ``brief.docx`` + ``certificaat.docx``), so every assessment has
   the same file names. Converted with :func:`~kwl_office.documents.pdf.convert_documents`
   in one ``soffice`` run and in one run per worker (2), against the **floor**: one raw
   ``soffice --convert-to pdf`` over the same documents already under unique names, and
   against one run per assessment (what the round did before issue 16: soffice writes
   ``<stem>.pdf`` into one folder, so documents sharing a name went in separate runs).
   Each repetition runs all four (``--pdf-repeats``, default 3); skipped, with a line saying
   so, when LibreOffice is not installed.

Why ratios: the machine is shared and noisy and its speed is unknown, so absolute numbers
say little. Ours and the floor run in the same process on the same data, interleaved per
repetition, after a short warm-up; the best of ``--repeats`` (default 3) counts. Then

* ours / docxtpl floor ≤ 1.3 (time per document) – our checks, escaping, atomic writes and
  context building may add at most 30 % to the raw render;
* PDF ours (one run) / soffice floor ≤ 1.15 – linking under unique names, watching for a
  hang and moving the PDFs into place may add at most 15 % to LibreOffice's own time.

This is a report, not a test: it asserts no absolute times and always exits with 0.

Run from the repository root::

    python benchmarks/bench_documents.py                  # 30 reports, a 10-assessment round
    python benchmarks/bench_documents.py --count 5 --pdf-assessments 2   # quick try
    python benchmarks/bench_documents.py --pdf-assessments 10,50 --pdf-repeats 2
    python benchmarks/bench_documents.py --json           # numbers as JSON too
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# run from a source tree without installing: the repository root on the path
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from common import machine_and_versions, run_report  # noqa: E402
from docx.shared import Mm  # noqa: E402
from docxtpl import DocxTemplate, InlineImage, Listing  # noqa: E402
from jinja2 import Environment  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from kwl_office.catalogue import Catalogue, load_example_catalogue  # noqa: E402
from kwl_office.consolidation.model import Consolidation  # noqa: E402
from kwl_office.documents import charts as charts_module  # noqa: E402
from kwl_office.documents.charts import (  # noqa: E402
    Chart,
    counts_chart,
    gap_chart,
    share_chart,
)
from kwl_office.documents.context import (  # noqa: E402
    ChartSet,
    draw_charts,
    position_context,
    report_context,
)
from kwl_office.documents.examples import (  # noqa: E402
    EXAMPLE_DATE,
    EXAMPLE_HOST,
    example_benchmark,
    example_consolidation,
    example_context,
)
from kwl_office.documents.pdf import convert_documents, find_soffice  # noqa: E402
from kwl_office.documents.produce import learning_report  # noqa: E402
from kwl_office.documents.registry import spec_for  # noqa: E402
from kwl_office.documents.render import (  # noqa: E402
    FILTERS,
    DocumentKind,
    render_document,
    template_path,
)
from kwl_office.documents.text import document_lines  # noqa: E402

TARGET_RENDER = 1.3  # ours / docxtpl floor, time per document: at most
TARGET_CHARTS = 1.0  # ours / raw Pillow drawing the same primitives, per chart: at most
TARGET_PDF = 1.15  # ours in one soffice run / raw soffice over the same documents: at most
#: the documents of one assessment, by variant; a round alternates them
ASSESSMENT_DOCUMENTS = (
    (DocumentKind.LEARNING_REPORT, DocumentKind.REGISTRATION_LETTER),
    (DocumentKind.AUDIT_REPORT, DocumentKind.CERTIFICATE_LETTER, DocumentKind.CERTIFICATE),
)

Context = dict[str, Any]


# --- timing ----------------------------------------------------------------------------------


@dataclass
class Result:
    """Timings of one measurement (seconds for the whole batch of ``items``)."""

    name: str
    label: str
    items: int
    unit: str = "doc"
    runs: list[float] = field(default_factory=list)

    @property
    def best(self) -> float:
        return min(self.runs) if self.runs else float("nan")

    @property
    def per_s(self) -> float:
        return self.items / self.best if self.runs and self.best > 0 else float("nan")

    @property
    def ms_each(self) -> float:
        return 1000.0 * self.best / self.items if self.runs else float("nan")

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data |= {"best_s": self.best, "per_s": self.per_s, "ms_each": self.ms_each}
        return data


def timed(func: Callable[[], object]) -> float:
    """Seconds taken by ``func`` (after a collection, so garbage of earlier runs is not
    billed)."""
    gc.collect()
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def versions() -> dict[str, str]:
    """Python, platform, the libraries measured and LibreOffice."""
    result = machine_and_versions(("kwl-office", "docxtpl", "python-docx", "jinja2", "lxml",
                                   "matplotlib", "pillow"))
    result["libreoffice"] = "not installed"
    exe = find_soffice()
    if exe is not None:
        try:
            done = subprocess.run([exe, "--version"], capture_output=True, text=True,
                                  timeout=60, check=False)
            words = done.stdout.split()
            result["libreoffice"] = " ".join(words[1:2]) or "unknown"
        except (OSError, subprocess.TimeoutExpired):
            result["libreoffice"] = "unknown"
    return result


# --- 1. learning reports: ours and the raw docxtpl floor -------------------------------------


def ours_batch(consolidation: Consolidation, catalogue: Catalogue, charts: ChartSet,
               paths: Sequence[Path]) -> Callable[[], object]:
    """kwl_office's way: ``learning_report`` per document with the charts drawn once."""
    def run() -> None:
        for path in paths:
            learning_report(consolidation, catalogue, path, organisation=EXAMPLE_HOST,
                            charts=charts, today=EXAMPLE_DATE)
    return run


def render_only_batch(context: Context, paths: Sequence[Path]) -> Callable[[], object]:
    """Reference: ``render_document`` with a context built once (ours minus the context)."""
    def run() -> None:
        for path in paths:
            render_document(DocumentKind.LEARNING_REPORT, context, path)
    return run


def context_only_batch(consolidation: Consolidation, catalogue: Catalogue, charts: ChartSet,
                       count: int) -> Callable[[], object]:
    """Reference: ``report_context`` alone, once per document (ours minus the render)."""
    def run() -> None:
        for _ in range(count):
            report_context(consolidation, catalogue, organisation=EXAMPLE_HOST, charts=charts,
                           today=EXAMPLE_DATE)
    return run


def floor_value(value: Any, template: DocxTemplate) -> Any:
    """The raw docxtpl conversion: Chart → InlineImage, multi-line str → Listing."""
    if isinstance(value, Chart):
        return InlineImage(template, io.BytesIO(value.png), width=Mm(value.width_mm))
    if isinstance(value, str):
        return Listing(value) if "\n" in value else value
    if isinstance(value, dict):
        return {k: floor_value(v, template) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [floor_value(v, template) for v in value]
    return value


def floor_batch(template: Path, context: Context, paths: Sequence[Path]) -> Callable[[], object]:
    """The floor: plain docxtpl on the same template file with the same context and charts."""
    def run() -> None:
        for path in paths:
            tpl = DocxTemplate(template)
            # docxtpl's own environment (it makes one per render), plus the Dutch filters
            # the templates use (aantal, woord, opsomming)
            env = Environment(autoescape=True)
            env.filters.update(FILTERS)
            tpl.render(floor_value(context, tpl), jinja_env=env, autoescape=True)
            tpl.save(path)
    return run


# --- 2. charts -------------------------------------------------------------------------------


def chart_inputs(consolidation: Consolidation, catalogue: Catalogue
                 ) -> tuple[list[tuple[str, dict[str, int]]],
                            list[tuple[str, float | None, float | None]], float]:
    """The data ``draw_charts`` gives its overview and gap charts (same shape, same sizes)."""
    groups = [(s.title, s.counts) for s in consolidation.domains.values()]
    by_code = catalogue.rating_scale.by_code
    means: list[tuple[str, float | None, float | None]] = []
    for domain_id, summary in consolidation.domains.items():
        own = [level.score for r in consolidation.norms.values() if r.domain_id == domain_id
               and (level := by_code.get(r.self_rating or "")) is not None
               and level.score is not None]
        means.append((summary.title, statistics.fmean(own) if own else None,
                      summary.mean_score))
    top = max((lv.score for lv in catalogue.scale if lv.score is not None), default=1)
    return groups, means, float(top)


def chart_count(charts: ChartSet) -> int:
    return 1 + len(charts.per_domain) + (1 if charts.gap is not None else 0)


def share_inputs(catalogue: Catalogue) -> list[tuple[str, float]]:
    """What the branchebeeld's "niet voldaan" chart shows: the example branch's top norms."""
    latest = example_benchmark(catalogue).groups[0].latest
    return [(norm_id, float(cell.share_not_met)) for norm_id in latest.most_not_met
            if (cell := latest.norm(norm_id)) is not None and cell.share_not_met is not None]


Primitive = tuple[str, tuple[Any, ...], dict[str, Any]]


def record_primitives(draw: Callable[[], object]) -> list[list[Primitive]]:
    """The canvases ``draw`` makes and what it draws on each (size, texts, boxes, lines), so
    the floor can draw exactly the same with raw Pillow."""
    canvas = charts_module._Canvas
    originals = {name: getattr(canvas, name) for name in ("__init__", "text", "box", "line")}
    recorded: list[list[Primitive]] = []

    def recorder(name: str) -> Callable[..., None]:
        def method(self: Any, *args: Any, **kwargs: Any) -> None:
            if name == "__init__":
                recorded.append([])
            recorded[-1].append((name, args, kwargs))
            originals[name](self, *args, **kwargs)
        return method

    try:
        for name in originals:
            setattr(canvas, name, recorder(name))
        draw()
    finally:
        for name, method in originals.items():
            setattr(canvas, name, method)
    return recorded


def pillow_floor(charts: Sequence[Sequence[Primitive]]) -> Callable[[], object]:
    """The floor: the recorded primitives drawn with Pillow as documented – ``ImageDraw``
    ``text`` (fonts loaded once, anchored), ``rectangle`` and ``line`` in pixels – and saved
    with ``Image.save(format="PNG")`` at the same compression level the old charts used."""
    dpi = charts_module.DPI
    path = charts_module._font_file
    fonts: dict[tuple[float, bool], ImageFont.FreeTypeFont] = {}
    for chart in charts:
        for name, _args, kwargs in chart:
            if name == "text":
                key = (kwargs.get("size", 8), kwargs.get("bold", False))
                fonts.setdefault(key, ImageFont.truetype(path(key[1]), key[0] * dpi / 72))
    anchors = {"left": "lm", "center": "mm", "right": "rm"}

    def run() -> None:
        for chart in charts:
            image: Image.Image | None = None
            draw: ImageDraw.ImageDraw | None = None
            for name, args, kw in chart:
                if name == "__init__":
                    image = Image.new("RGB", (int(args[0] * dpi), int(args[1] * dpi)), "white")
                    draw = ImageDraw.Draw(image)
                    continue
                assert draw is not None
                if name == "text":
                    x, y, text = args
                    draw.text((x * dpi, y * dpi), text, font=fonts[(kw.get("size", 8),
                              kw.get("bold", False))], fill=kw.get("colour", "#404040"),
                              anchor=anchors[kw.get("ha", "left")])
                elif name == "box":
                    x, y, w, h, colour = args
                    draw.rectangle((x * dpi, y * dpi, (x + w) * dpi, (y + h) * dpi),
                                   fill=colour, outline=kw.get("edge"), width=1)
                else:
                    x0, y0, x1, y1 = args
                    draw.line((x0 * dpi, y0 * dpi, x1 * dpi, y1 * dpi), fill="#BFBFBF")
            assert image is not None
            image.save(io.BytesIO(), format="PNG", compress_level=2)
    return run


def cold(draw: Callable[[], object]) -> Callable[[], object]:
    """``draw`` as the first charts of a process draw: no text rendered before."""
    def run() -> None:
        charts_module._text_mask.cache_clear()
        draw()
    return run


# --- 3. PDF ----------------------------------------------------------------------------------


def round_documents(root: Path, assessments: int, catalogue: Catalogue) -> list[list[Path]]:
    """A round's documents, one folder per assessment, with the names ``round report`` uses."""
    contexts = {kind: example_context(kind, catalogue)
                for kinds in ASSESSMENT_DOCUMENTS for kind in kinds}
    groups = []
    for i in range(assessments):
        folder = root / f"2026-{i + 1:03d}"
        folder.mkdir(parents=True)
        group = []
        for kind in ASSESSMENT_DOCUMENTS[i % len(ASSESSMENT_DOCUMENTS)]:
            path = folder / spec_for(kind).output
            render_document(kind, contexts[kind], path)
            group.append(path)
        groups.append(group)
    return groups


def pdf_floor(documents: Sequence[Path], workdir: Path) -> Callable[[], object]:
    """The floor: one raw soffice over copies of the documents under unique names, with a
    fresh profile (as ours), output left where soffice puts it."""
    exe = find_soffice()
    assert exe is not None
    source = workdir / "floor-src"
    source.mkdir()
    unique = []
    for i, document in enumerate(documents):
        unique.append(source / f"{i:05d}-{document.name}")
        shutil.copyfile(document, unique[-1])
    runs = iter(range(1_000_000))

    def run() -> None:
        n = next(runs)
        profile = workdir / f"floor-profile-{n}"
        subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--norestore", "--nologo", "--convert-to", "pdf", "--outdir",
                        str(workdir / f"floor-out-{n}"), *map(str, unique)],
                       capture_output=True, check=True, timeout=3600)
    return run


def pdf_ours(documents: Sequence[Path], workers: int) -> Callable[[], object]:
    def run() -> None:
        result = convert_documents(documents, workers=workers)
        assert not result.failed, [f.message() for f in result.failed]
    return run


def pdf_per_assessment(groups: Sequence[Sequence[Path]]) -> Callable[[], object]:
    """Before issue 16: one soffice run per assessment (equal names could not share a run)."""
    def run() -> None:
        for group in groups:
            convert_documents(group)
    return run


def measure_pdf(workdir: Path, sizes: Sequence[int], repeats: int, catalogue: Catalogue,
                ratios: dict[str, dict[str, Any]]) -> list[Result]:
    """Round-shaped PDF runs for each size, interleaved per repetition; fills ``ratios``."""
    results: list[Result] = []
    for size in sizes:
        root = workdir / f"pdf-{size}"
        groups = round_documents(root / "ronde", size, catalogue)
        documents = [p for group in groups for p in group]
        n = len(documents)
        runs: list[tuple[Result, Callable[[], object]]] = [
            (Result(f"pdf_floor_{size}", f"{size} assessments: soffice floor, one run", n),
             pdf_floor(documents, root)),
            (Result(f"pdf_ours_{size}", f"{size} assessments: ours, one run", n),
             pdf_ours(documents, 1)),
            (Result(f"pdf_ours2_{size}", f"{size} assessments: ours, 2 runs side by side",
                    n), pdf_ours(documents, 2)),
            (Result(f"pdf_before_{size}", f"{size} assessments: one run per assessment", n),
             pdf_per_assessment(groups)),
        ]
        convert_documents(documents[:1])  # warm-up: disk cache, LibreOffice's files
        for _ in range(repeats):
            for result, run in runs:
                result.runs.append(timed(run))
        floor, ours, ours2, before = (r for r, _ in runs)
        ratios[f"pdf_ours_{size}"] = make_ratio(
            f"PDF {size} assessments: ours / soffice floor", ours.best / floor.best,
            TARGET_PDF, at_most=True)
        ratios[f"pdf_workers_{size}"] = make_ratio(
            f"PDF {size} assessments: 2 runs / 1 run", ours2.best / ours.best, None,
            at_most=True)
        ratios[f"pdf_before_{size}"] = make_ratio(
            f"PDF {size} assessments: run per assessment / ours", before.best / ours.best,
            None, at_most=False)
        results += [r for r, _ in runs]
    return results


# --- report ----------------------------------------------------------------------------------


def _load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _verdict(value: float, target: float, *, at_most: bool) -> str:
    ok = value <= target if at_most else value >= target
    return "PASS" if ok else "MISS"


def print_table(title: str, results: Sequence[Result]) -> None:
    print(title)
    width = max(len(r.label) for r in results)
    print(f"{'measurement':<{width}}  {'per s':>8}  {'ms each':>9}  {'best s':>8}  runs (s)")
    print("-" * (width + 46))
    for r in results:
        runs = " ".join(f"{t:.3f}" for t in r.runs)
        print(f"{r.label:<{width}}  {r.per_s:>8.2f}  {r.ms_each:>9.1f}  {r.best:>8.3f}  {runs}")
    print()


def print_ratio(ratio: dict[str, Any]) -> None:
    target = ratio["target"]
    if target is None:
        tail = "(reference, no target)"
    else:
        sign = "≤" if ratio["at_most"] else "≥"
        tail = f"target {sign} {target:g}  {ratio['verdict']}"
    print(f"{ratio['label']:<52} {ratio['value']:>6.2f}   {tail}")


def make_ratio(label: str, value: float, target: float | None, *, at_most: bool
               ) -> dict[str, Any]:
    return {"label": label, "value": value, "target": target, "at_most": at_most,
            "verdict": _verdict(value, target, at_most=at_most) if target is not None
            else None}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=30, help="learning reports (default 30)")
    parser.add_argument("--repeats", type=int, default=3, help="repetitions, best counts")
    parser.add_argument("--warmup", type=int, default=2, help="documents made before timing")
    parser.add_argument("--pdf-assessments", default="10",
                        help="round sizes for PDF, comma-separated (default 10; 0 skips PDF)")
    parser.add_argument("--pdf-repeats", type=int, default=3,
                        help="PDF repetitions, best counts (default 3)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON too")
    args = parser.parse_args(argv)
    count = max(1, args.count)
    repeats = max(1, args.repeats)
    warmup = max(0, args.warmup)
    pdf_sizes = [n for n in (int(v) for v in args.pdf_assessments.split(",")) if n > 0]
    pdf_repeats = max(1, args.pdf_repeats)

    catalogue = load_example_catalogue()
    _ = catalogue.fingerprint  # cached: computing it is not part of any measurement
    consolidation = example_consolidation(catalogue)
    charts = draw_charts(consolidation, catalogue)
    template = template_path(DocumentKind.LEARNING_REPORT)
    if not template.is_file():
        print(f"benchmark skipped – the template {template} does not exist")
        return 0
    context = report_context(consolidation, catalogue, organisation=EXAMPLE_HOST,
                             charts=charts, today=EXAMPLE_DATE)
    # what report_fields adds for the template (no benchmark: the chapter is left out)
    context["branche"] = position_context(consolidation, catalogue, None)
    info: dict[str, Any] = {
        "count": count, "repeats": repeats, "warmup": warmup, "pdf_assessments": pdf_sizes,
        "pdf_repeats": pdf_repeats, "template": str(template),
        "template_kib": template.stat().st_size / 1024,
        "norms": len(consolidation.norms), "domains": len(consolidation.domains),
        "charts": chart_count(charts),
        "chart_kib": (len(charts.overview.png) + sum(len(c.png) for c in
                      charts.per_domain.values()) + (len(charts.gap.png) if charts.gap
                                                     else 0)) / 1024,
        "versions": versions(),
    }
    ratios: dict[str, dict[str, Any]] = {}
    pdf_results: list[Result] = []
    pdf_note = ""

    with tempfile.TemporaryDirectory(prefix="kwl-bench-docs-") as tmp:
        workdir = Path(tmp)
        dirs = {name: workdir / name for name in ("ours", "render", "floor", "warm")}
        for folder in dirs.values():
            folder.mkdir()

        def names(folder: Path) -> list[Path]:
            return [folder / f"leerrapport-{i:04d}.docx" for i in range(count)]

        # 1. learning reports, interleaved per repetition so drift hits all alike
        docs: list[tuple[Result, Callable[[], object]]] = [
            (Result("ours", "ours: learning_report (charts reused)", count),
             ours_batch(consolidation, catalogue, charts, names(dirs["ours"]))),
            (Result("floor", "floor: raw docxtpl, same template/context", count),
             floor_batch(template, context, names(dirs["floor"]))),
            (Result("render_only", "  ours, render_document only (ctx once)", count),
             render_only_batch(context, names(dirs["render"]))),
            (Result("context_only", "  ours, report_context only", count),
             context_only_batch(consolidation, catalogue, charts, count)),
        ]
        warm = [dirs["warm"] / f"w-{i}.docx" for i in range(warmup)]
        ours_batch(consolidation, catalogue, charts, warm)()
        floor_batch(template, context, warm)()
        for _ in range(repeats):
            for result, run in docs:
                result.runs.append(timed(run))

        # the floor must make the same document, or the comparison means nothing
        ours_text = document_lines(names(dirs["ours"])[0])
        floor_text = document_lines(names(dirs["floor"])[0])
        info["same_text"] = ours_text == floor_text
        info["doc_lines"] = len(ours_text)
        info["doc_kib"] = names(dirs["ours"])[0].stat().st_size / 1024

        by_name = {r.name: r for r, _ in docs}
        floor_ms = by_name["floor"].ms_each
        ratios["ours_vs_floor"] = make_ratio(
            "ours / docxtpl floor (time per document)", by_name["ours"].ms_each / floor_ms,
            TARGET_RENDER, at_most=True)
        ratios["render_vs_floor"] = make_ratio(
            "render_document only / floor (time per document)",
            by_name["render_only"].ms_each / floor_ms, None, at_most=True)
        ratios["context_share"] = make_ratio(
            "report_context / floor (time per document)",
            by_name["context_only"].ms_each / floor_ms, None, at_most=True)

        # 2. charts: ours (warm: labels drawn before, as in a round; cold: a fresh process)
        # against raw Pillow drawing the very same primitives (recorded from ours)
        groups, means, top = chart_inputs(consolidation, catalogue)
        shares = share_inputs(catalogue)
        per_chart = chart_count(charts)

        def every_kind() -> None:
            draw_charts(consolidation, catalogue)
            share_chart(shares, colour="#C00000", caption="aandeel organisaties")

        kinds = per_chart + 1
        chart_runs: list[tuple[Result, Callable[[], object]]] = [
            (Result("charts_ours", f"ours: {kinds} charts (draw_charts + share_chart)", kinds,
                    "chart"), every_kind),
            (Result("charts_floor", f"floor: raw Pillow, same {kinds} charts' primitives",
                    kinds, "chart"), pillow_floor(record_primitives(every_kind))),
            (Result("charts_cold", "  ours, text cache emptied first (a fresh process)",
                    kinds, "chart"), cold(every_kind)),
            (Result("counts_chart", f"  counts_chart ({len(groups)} domains)", 1, "chart"),
             lambda: counts_chart(groups, catalogue.scale)),
            (Result("gap_chart", f"  gap_chart ({len(means)} domains)", 1, "chart"),
             lambda: gap_chart(means, self_label="Eigen oordeel (zelfevaluatie)",
                               peer_label="Consensus van de beoordelaars", max_score=top)),
            (Result("share_chart", f"  share_chart ({len(shares)} norms)", 1, "chart"),
             lambda: share_chart(shares, colour="#C00000", caption="aandeel organisaties")),
        ]
        for _result, run in chart_runs:
            run()  # warm-up (fonts loaded, labels drawn once)
        for _ in range(max(repeats, 5)):  # a chart takes milliseconds: a few more runs
            for result, run in chart_runs:
                result.runs.append(timed(run))
        by_chart = {r.name: r for r, _ in chart_runs}
        ratios["charts_vs_floor"] = make_ratio(
            "charts ours / raw Pillow floor (time per chart)",
            by_chart["charts_ours"].ms_each / by_chart["charts_floor"].ms_each, TARGET_CHARTS,
            at_most=True)
        ratios["charts_cold_vs_floor"] = make_ratio(
            "charts ours, cold / raw Pillow floor (time per chart)",
            by_chart["charts_cold"].ms_each / by_chart["charts_floor"].ms_each, None,
            at_most=True)
        info["charts_deterministic"] = (
            draw_charts(consolidation, catalogue).overview.png == charts.overview.png)

        # 3. PDF: a round's documents, ours against the soffice floor and the old way
        if not pdf_sizes:
            pdf_note = "PDF: skipped (--pdf-assessments 0)"
        elif find_soffice() is None:
            pdf_note = "PDF: skipped – LibreOffice (soffice) is not installed"
        else:
            try:
                pdf_results = measure_pdf(workdir, pdf_sizes, pdf_repeats, catalogue, ratios)
            except Exception as err:  # a report: say what broke, go on
                pdf_note = f"PDF: failed – {type(err).__name__}: {err}"

    # --- output --------------------------------------------------------------------------
    ver = info["versions"]
    print(f"kwl_office document benchmark – {count} learning reports, best of {repeats}, "
          f"warm-up {warmup}; PDF for rounds of {pdf_sizes or 0} assessments, best of "
          f"{pdf_repeats}; load average {_load_average()}")
    print(f"{ver['python']} on {ver['platform']} ({ver['cpus']} cpus)")
    print(f"kwl-office {ver['kwl-office']}, docxtpl {ver['docxtpl']}, python-docx "
          f"{ver['python-docx']}, jinja2 {ver['jinja2']}, lxml {ver['lxml']}, matplotlib "
          f"{ver['matplotlib']}, pillow {ver['pillow']}, LibreOffice {ver['libreoffice']}")
    print(f"example: {info['norms']} norms in {info['domains']} domains, {info['charts']} "
          f"charts ({info['chart_kib']:.0f} KiB PNG); template {info['template_kib']:.0f} KiB; "
          f"document {info['doc_kib']:.0f} KiB, {info['doc_lines']} text lines; floor makes "
          f"the same text: {'yes' if info['same_text'] else 'NO'}; charts deterministic: "
          f"{'yes' if info['charts_deterministic'] else 'NO'}")
    print()
    print_table("Learning reports (time per document)", [r for r, _ in docs])
    print_table("Charts (time per chart)", [r for r, _ in chart_runs])
    if pdf_results:
        print_table("PDF via LibreOffice (time per document; best s = the whole round)",
                    pdf_results)
    else:
        print(pdf_note)
        print()
    for ratio in ratios.values():
        print_ratio(ratio)

    if args.json:
        print()
        results = [r for r, _ in docs] + [r for r, _ in chart_runs] + pdf_results
        print(json.dumps({"info": info, "results": {r.name: r.as_json() for r in results},
                          "ratios": ratios, "pdf_note": pdf_note}, indent=2,
                         ensure_ascii=False))
    return 0


if __name__ == "__main__":
    run_report(main)
