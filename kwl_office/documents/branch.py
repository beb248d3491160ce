"""The branch benchmark in documents: ``branchebeeld.docx`` and an organisation's position.

``branchebeeld.docx`` is for the beheercommissie: per catalogue version the latest round's
distribution per domain, the norms most often not met and the disagreement hot spots, with
charts. :func:`position_context` gives the part of an organisation's own learning or audit
report that sets it against the branch ("8 van de 10 organisaties voldoen aan deze norm"):
only numbers the benchmark publishes (it is suppressed already), and nothing when the
benchmark is of another catalogue version than the assessment.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office.assessment import Organisation
from kwl_office.benchmark.model import Benchmark, CatalogueGroup, Cell, Level, Round
from kwl_office.benchmark.workbook import (
    empty_ranking_text,
    ranking_tie_text,
    smallest_group_text,
    suppressed_text,
)
from kwl_office.catalogue import Catalogue, RatingLevel
from kwl_office.catalogue.model import ScaleRole
from kwl_office.consolidation.model import Consolidation
from kwl_office.documents.charts import Chart, counts_chart, share_chart
from kwl_office.documents.registry import DocumentKind, spec_for
from kwl_office.documents.rule_texts import percent

if TYPE_CHECKING:
    from kwl_office.documents.produce import DocumentInputs

Context = dict[str, Any]
NOT_MET_COLOUR = "#C00000"
DISAGREEMENT_COLOUR = "#F4B084"


def _levels(scale: Sequence[Level]) -> list[RatingLevel]:
    """The benchmark's levels as the catalogue levels the charts draw (scores play no part
    there: a placeholder keeps the model valid)."""
    return [RatingLevel.model_validate({"code": lv.code, "label": lv.label, "rol": lv.role,
                                        "kleur": lv.colour,
                                        "score": None if lv.role == "nvt" else 0})
            for lv in scale]


# --- branchebeeld.docx ----------------------------------------------------------------------


def benchmark_context(benchmark: Benchmark, *, today: date) -> Context:
    """Fields of ``branchebeeld.docx``."""
    return {
        "datum": T.format_date(today),
        "meerdere_versies": len(benchmark.groups) > 1,
        "versies": dutch.join(_version(g) for g in benchmark.groups),
        "groepen": [_group_context(group) for group in benchmark.groups],
    }


def _version(group: CatalogueGroup) -> str:
    return f"{group.catalogue_title}, {T.BENCH_VERSION} {group.catalogue_version}"


def _group_context(group: CatalogueGroup) -> Context:
    latest = group.latest
    k = group.min_group
    return {
        "normenkader": group.catalogue_title,
        "versie": group.catalogue_version,
        "kleinste_groep": smallest_group_text(group),
        "verlaagd": group.lowered,
        "rondes": [{"ronde": r.label, "organisaties": _organisations(r.organisations, k)}
                   for r in group.rounds],
        "ronde": latest.label,
        "organisaties": _organisations(latest.organisations, k),
        "domeinen": [_cell_context(c, k) for c in latest.domains],
        "kwaliteitswaarden": [_cell_context(c, k) for c in latest.quality_values],
        "grafiek_domeinen": _domain_chart(group, latest),
        "niet_voldaan": [_norm_context(latest, n, k) for n in latest.most_not_met],
        "grafiek_niet_voldaan": _ranking_chart(latest, latest.most_not_met, "share_not_met",
                                               NOT_MET_COLOUR, T.BENCH_CHART_NOT_MET),
        "verschillen": [_norm_context(latest, n, k) for n in latest.hot_spots],
        "grafiek_verschillen": _ranking_chart(latest, latest.hot_spots, "share_disagreement",
                                              DISAGREEMENT_COLOUR, T.BENCH_CHART_DISAGREEMENT),
        "leeg_niet_voldaan": empty_ranking_text("not_met", group, latest),
        "leeg_verschillen": empty_ranking_text("hot_spots", group, latest),
        "gelijk_niet_voldaan": ranking_tie_text("not_met", latest),
        "gelijk_verschillen": ranking_tie_text("hot_spots", latest),
    }


def _organisations(count: int | None, k: int) -> str:
    return str(count) if count is not None else suppressed_text(k)


def _cell_context(cell: Cell, k: int) -> Context:
    return {
        "id": cell.id,
        "titel": cell.title,
        "organisaties": _organisations(cell.organisations, k),
        "voldoet_pct": percent(cell.share_met) if cell.counts is not None else T.BENCH_HIDDEN,
        "niet_pct": percent(cell.share_not_met) if cell.counts is not None else T.BENCH_HIDDEN,
    }


def _norm_context(rnd: Round, norm_id: str, k: int) -> Context:
    cell = rnd.norm(norm_id)
    assert cell is not None
    return {
        "norm": cell.id,
        "tekst": cell.title,
        "organisaties": _organisations(cell.organisations, k),
        "niet_pct": percent(cell.share_not_met),
        "verschil_pct": percent(cell.share_disagreement),
        "spreiding": dutch.decimal(cell.mean_spread, 2) if cell.mean_spread is not None
        else "–",
    }


def _domain_chart(group: CatalogueGroup, rnd: Round) -> Chart | None:
    shown = [(c.title, c.counts) for c in rnd.domains if c.counts is not None]
    if not shown:
        return None
    return counts_chart([(title, counts) for title, counts in shown if counts is not None],
                        _levels(group.scale))


def _ranking_chart(rnd: Round, ids: Sequence[str], measure: str, colour: str,
                   caption: str) -> Chart | None:
    items = []
    for norm_id in ids:
        cell = rnd.norm(norm_id)
        value = getattr(cell, measure) if cell is not None else None
        if value is not None:
            items.append((norm_id, float(value)))
    return share_chart(items, colour=colour, caption=caption) if items else None


def benchmark_fields(inputs: DocumentInputs) -> Context:
    """Fields of ``branchebeeld.docx`` (the registry's field builder)."""
    assert inputs.benchmark is not None
    return benchmark_context(inputs.benchmark, today=inputs.today)


def write_benchmark_document(benchmark: Benchmark, catalogue: Catalogue, out: str | Path, *,
                             today: date | None = None,
                             templates: str | Path | None = None) -> Path:
    """Write ``branchebeeld.docx`` (``catalogue``: the first group's, for the house parts of
    a document; the benchmark carries its own titles and scale)."""
    from kwl_office.documents.produce import DocumentInputs, make_document

    inputs = DocumentInputs(catalogue=catalogue, organisation=Organisation(name="-"),
                            today=today or date.today(), benchmark=benchmark)
    return make_document(spec_for(DocumentKind.BENCHMARK), inputs, out, templates=templates)


# --- the position of one organisation -------------------------------------------------------

_MAJORITY = {ScaleRole.MET.value: "met", ScaleRole.PARTLY.value: "partly",
             ScaleRole.NOT_MET.value: "not_met", ScaleRole.NOT_APPLICABLE.value: "nvt"}


def position_context(consolidation: Consolidation, catalogue: Catalogue,
                     benchmark: Benchmark | None) -> Context:
    """The report's "Positie in de branche" fields: ``beschikbaar`` False (and the section
    left out) without a benchmark; a note and no numbers when the benchmark is of another
    catalogue version; else a per-domain table and per-norm lines where the organisation's
    consensus differs from what most organisations got."""
    empty: Context = {"beschikbaar": False, "opmerking": "", "ronde": "", "kleinste_groep": "",
                      "domeinen": [], "normen": []}
    if benchmark is None:
        return empty
    group = benchmark.group_for(consolidation.catalogue_fingerprint)
    if group is None or not group.rounds:
        versions = dutch.join(_version(g) for g in benchmark.groups) or "–"
        return {**empty, "beschikbaar": True, "opmerking": T.BENCH_OTHER_VERSION.format(
            versions=versions, own=f"{catalogue.title}, {T.BENCH_VERSION} {catalogue.version}")}
    rnd = group.latest
    domains = []
    for domain_id, summary in consolidation.domains.items():
        cell = rnd.domain(domain_id)
        if cell is None or cell.counts is None or cell.share_met is None:
            continue
        domains.append({"titel": summary.title, "eigen_pct": percent(summary.share_met),
                        "branche_pct": percent(cell.share_met),
                        "organisaties": str(cell.organisations)})
    norms = []
    for result in consolidation.norms.values():
        cell = rnd.norm(result.norm_id)
        line = _majority_line(group, cell)
        if line is None or cell is None or result.consensus is None:
            continue
        code, text = line
        if code != result.consensus:
            norms.append({"norm": result.norm_id, "tekst": catalogue.norm_index[
                result.norm_id][2].text if result.norm_id in catalogue.norm_index else "",
                "eigen": _label(group, result.consensus), "branche": text})
    return {"beschikbaar": True, "opmerking": "", "ronde": rnd.label,
            "kleinste_groep": smallest_group_text(group), "domeinen": domains,
            "normen": norms}


def _label(group: CatalogueGroup, code: str) -> str:
    return next((lv.label for lv in group.scale if lv.code == code), code)


def _majority_line(group: CatalogueGroup, cell: Cell | None) -> tuple[str, str] | None:
    """The level most organisations got for a norm and its line ("8 van de 10 organisaties
    voldoen aan deze norm"); None when the breakdown is not published or there is no single
    most common level."""
    if cell is None or cell.counts is None or not cell.organisations:
        return None
    ranked = sorted(cell.counts.items(), key=lambda item: -item[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None  # a tie: there is no majority to differ from
    code, count = ranked[0]
    role = next((lv.role for lv in group.scale if lv.code == code), "")
    verb = T.BENCH_MAJORITY[_MAJORITY.get(role, "met")]
    return code, T.BENCH_POSITION_LINE.format(count=count, total=cell.organisations, verb=verb)
