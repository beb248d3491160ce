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
3. **charts** – milliseconds per chart: ``draw_charts`` of the example consolidation divided by
   its number of charts, and ``counts_chart`` / ``gap_chart`` one at a time;
4. **PDF** – K documents (``--pdf-count``, default 24; a round converts hundreds) of a
   round's mix (learning report + registration letter; audit report + certificate letter +
   certificate; a reassessment letter) converted with LibreOffice in *one*
   :func:`~kwl_office.documents.pdf.convert_to_pdf` call versus one call per document.
   Each repetition alternates batched and one-by-one (``--pdf-repeats``, default 3); skipped,
   with a line saying so, when LibreOffice is not installed.

Why ratios: the machine is shared and noisy and its speed is unknown, so absolute numbers
say little. Ours and the floor run in the same process on the same data, interleaved per
repetition, after a short warm-up; the best of ``--repeats`` (default 3) counts. Then

* ours / docxtpl floor ≤ 1.3 (time per document) – our checks, escaping, atomic writes and
  context building may add at most 30 % to the raw render;
* PDF one call per document / batched ≥ 4 (seconds per document) – batching must pay.

This is a report, not a test: it asserts no absolute times and always exits with 0.

Run from the repository root::

    python benchmarks/bench_documents.py                  # 30 reports, 12 PDFs
    python benchmarks/bench_documents.py --count 5 --pdf-count 3   # quick try
    python benchmarks/bench_documents.py --json           # numbers as JSON too
"""

from __future__ import annotations

import argparse
import gc
import io
import json
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

from kwl_office.catalogue import Catalogue, load_example_catalogue  # noqa: E402
from kwl_office.consolidation.model import Consolidation  # noqa: E402
from kwl_office.documents.charts import Chart, counts_chart, gap_chart  # noqa: E402
from kwl_office.documents.context import (  # noqa: E402
    ChartSet,
    draw_charts,
    report_context,
)
from kwl_office.documents.examples import (  # noqa: E402
    EXAMPLE_DATE,
    EXAMPLE_HOST,
    example_consolidation,
    example_context,
)
from kwl_office.documents.pdf import convert_to_pdf, find_soffice  # noqa: E402
from kwl_office.documents.produce import learning_report  # noqa: E402
from kwl_office.documents.render import (  # noqa: E402
    FILTERS,
    DocumentKind,
    render_document,
    template_path,
)
from kwl_office.documents.text import document_lines  # noqa: E402
from kwl_office.errors import LibreOfficeMissing  # noqa: E402

#: the documents a round's report step converts, in the proportions of a mixed round
ROUND_MIX = (
    DocumentKind.LEARNING_REPORT, DocumentKind.REGISTRATION_LETTER,
    DocumentKind.AUDIT_REPORT, DocumentKind.CERTIFICATE_LETTER, DocumentKind.CERTIFICATE,
    DocumentKind.REASSESSMENT_LETTER,
)
TARGET_RENDER = 1.3  # ours / docxtpl floor, time per document: at most
TARGET_PDF = 4.0  # one soffice call per document / batched, seconds per document: at least

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


# --- 3. PDF ----------------------------------------------------------------------------------


def pdf_batched(documents: Sequence[Path], outdir: Path) -> Callable[[], object]:
    def run() -> None:
        convert_to_pdf(documents, outdir)
    return run


def pdf_one_by_one(documents: Sequence[Path], outdir: Path) -> Callable[[], object]:
    def run() -> None:
        for document in documents:
            convert_to_pdf([document], outdir)
    return run


# --- report ----------------------------------------------------------------------------------


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
    parser.add_argument("--pdf-count", type=int, default=24,
                        help="documents converted to PDF (default 24; 0 skips PDF)")
    parser.add_argument("--pdf-repeats", type=int, default=3,
                        help="PDF repetitions, best counts (default 3)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON too")
    args = parser.parse_args(argv)
    count = max(1, args.count)
    repeats = max(1, args.repeats)
    warmup = max(0, args.warmup)
    pdf_count = max(0, args.pdf_count)
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
    info: dict[str, Any] = {
        "count": count, "repeats": repeats, "warmup": warmup, "pdf_count": pdf_count,
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

        # 2. charts
        groups, means, top = chart_inputs(consolidation, catalogue)
        per_chart = chart_count(charts)
        chart_runs: list[tuple[Result, Callable[[], object]]] = [
            (Result("draw_charts", f"draw_charts ({per_chart} charts) per chart", per_chart,
                    "chart"),
             lambda: draw_charts(consolidation, catalogue)),
            (Result("counts_chart", f"counts_chart ({len(groups)} domains)", 1, "chart"),
             lambda: counts_chart(groups, catalogue.scale)),
            (Result("gap_chart", f"gap_chart ({len(means)} domains)", 1, "chart"),
             lambda: gap_chart(means, self_label="Eigen oordeel (zelfevaluatie)",
                               peer_label="Consensus van de beoordelaars", max_score=top)),
        ]
        for _result, run in chart_runs:
            run()  # warm-up (font cache, first figure)
        for _ in range(repeats):
            for result, run in chart_runs:
                result.runs.append(timed(run))
        info["charts_deterministic"] = (
            draw_charts(consolidation, catalogue).overview.png == charts.overview.png)

        # 3. PDF: K distinct documents, batched vs one soffice call each
        if pdf_count == 0:
            pdf_note = "PDF: skipped (--pdf-count 0)"
        elif find_soffice() is None:
            pdf_note = "PDF: skipped – LibreOffice (soffice) is not installed"
        else:
            source = workdir / "pdf-src"
            source.mkdir()
            # what a round's report step converts: per assessment a report and its letter,
            # for audits also the certificate -- not reports alone
            kinds = list(ROUND_MIX)
            contexts = {kind: example_context(kind, catalogue) for kind in kinds}
            pdf_docs = []
            for i in range(pdf_count):
                kind = kinds[i % len(kinds)]
                path = source / f"{kind.value}-{i:04d}.docx"
                render_document(kind, contexts[kind], path)
                pdf_docs.append(path)
            batched = Result("pdf_batched", f"convert_to_pdf({pdf_count} docs) once", pdf_count)
            single = Result("pdf_single", f"convert_to_pdf([doc]) x {pdf_count}", pdf_count)
            try:
                convert_to_pdf(pdf_docs[:1], workdir / "pdf-warm")  # warm-up, disk cache
                for rep in range(pdf_repeats):
                    batched.runs.append(timed(pdf_batched(pdf_docs, workdir / f"b{rep}")))
                    single.runs.append(timed(pdf_one_by_one(pdf_docs, workdir / f"s{rep}")))
                pdf_results = [batched, single]
                # single = start + convert, batched = start + K * convert: solve for both
                if pdf_count > 1:
                    convert = max(0.0, (batched.best - single.best / pdf_count)
                                  / (pdf_count - 1))
                    start = single.best / pdf_count - convert
                    info["pdf_startup_s"] = start
                    info["pdf_convert_s"] = convert
                    info["pdf_ratio_limit"] = (start + convert) / convert if convert else None
                ratios["pdf_batching"] = make_ratio(
                    "PDF one call per doc / batched (s per document)",
                    single.ms_each / batched.ms_each, TARGET_PDF, at_most=False)
            except LibreOfficeMissing as err:
                pdf_note = f"PDF: skipped – {err}"
            except Exception as err:  # a report: say what broke, go on
                pdf_note = f"PDF: failed – {type(err).__name__}: {err}"

    # --- output --------------------------------------------------------------------------
    ver = info["versions"]
    print(f"kwl_office document benchmark – {count} learning reports, best of {repeats}, "
          f"warm-up {warmup}; {pdf_count} PDFs, best of {pdf_repeats}")
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
        print_table("PDF via LibreOffice (time per document)", pdf_results)
        if info.get("pdf_ratio_limit"):
            print(f"estimated: soffice start {info['pdf_startup_s']:.2f} s per call, "
                  f"conversion {info['pdf_convert_s']:.2f} s per document → batching can "
                  f"at best reach {info['pdf_ratio_limit']:.1f}× for this document")
            print()
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
