"""The branch benchmark: hand-computed distributions, suppression of small groups, no way to
single out an organisation, the outputs and the CLI, and the position lines in a report."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from kwl_office import texts_nl as T
from kwl_office.batch.benchmark import Found, group_sources, make_benchmark
from kwl_office.benchmark.compute import Source, compute_group, compute_round, select
from kwl_office.benchmark.files import load_benchmark
from kwl_office.benchmark.model import Benchmark, Cell, Round
from kwl_office.benchmark.workbook import (
    empty_ranking_text,
    ranking_tie_text,
    write_benchmark_workbook,
)
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.consolidation.model import Consolidation, NormResult
from kwl_office.documents.branch import benchmark_context, position_context
from kwl_office.documents.examples import example_consolidation
from kwl_office.documents.registry import DocumentKind
from kwl_office.documents.render import render_document
from kwl_office.documents.text import document_lines
from kwl_office.errors import InvalidArgument
from kwl_office.kinds import Variant

from .helpers import examples

REVIEWERS = ("Beoordelaar Geheim Een", "Beoordelaar Geheim Twee")


@pytest.fixture(scope="module")
def base(catalogue: Catalogue) -> Consolidation:
    return example_consolidation(catalogue)


def organisation(base: Consolidation, index: int, ratings: dict[str, str | None], *,
                 default: str | None = "V", disagree: Sequence[str] = (),
                 host: str | None = None) -> Consolidation:
    """A real consolidation with its consensus per norm set: ``ratings`` for the norms named,
    ``default`` for the others; reviewers disagreed (spread 2) on ``disagree``."""
    norms: dict[str, NormResult] = {}
    for norm_id, result in base.norms.items():
        code = ratings.get(norm_id, default)
        split = norm_id in disagree
        norms[norm_id] = result.model_copy(update={
            "consensus": code, "computed": code, "disagreement": split,
            "spread": 2 if split else 0,
            "ratings": {REVIEWERS[0]: "V" if split else (code or "V"),
                        REVIEWERS[1]: "N" if split else (code or "V")}})
    return base.model_copy(update={
        "host": host or f"Organisatie Geheim {index}", "norms": norms,
        "assessment_id": f"2026-9{index:02d}", "reviewers": list(REVIEWERS)})


def by_id(cells: Sequence[Cell], wanted: str) -> Cell:
    return next(c for c in cells if c.id == wanted)


# --- hand-computed distributions ------------------------------------------------------------


def test_distributions_reproduce_hand_computed_numbers(catalogue: Catalogue,
                                                       base: Consolidation) -> None:
    # six organisations; V1.1: three V, three D (three of them with reviewers who disagreed);
    # O1.1: three N, three n.v.t.; every other norm V
    orgs = [organisation(base, i, {"V1.1": "V" if i < 3 else "D",
                                   "O1.1": "N" if i < 3 else "NVT"},
                         disagree=("V1.1",) if i % 2 else ())
            for i in range(6)]
    rnd = compute_round(catalogue, "Ronde 2026", orgs, k=3)
    assert rnd.organisations == 6 and rnd.year == 2026
    v11 = rnd.norm("V1.1")
    assert v11 is not None
    assert (v11.organisations, v11.counts) == (6, {"V": 3, "D": 3, "N": 0, "NVT": 0})
    assert (v11.share_met, v11.share_not_met) == (0.5, 0.0)
    assert (v11.share_disagreement, v11.mean_spread) == (0.5, 1.0)
    o11 = rnd.norm("O1.1")
    assert o11 is not None and o11.counts == {"V": 0, "D": 0, "N": 3, "NVT": 3}
    assert (o11.share_met, o11.share_not_met) == (0.0, 1.0)  # n.v.t. is not applicable
    # pooled: every rating of the domain of all six organisations
    domain_v = rnd.domain("V")
    norms_v = len(list(catalogue.domains[0].norms()))
    assert domain_v is not None and domain_v.counts == {"V": 6 * norms_v - 3, "D": 3, "N": 0,
                                                         "NVT": 0}
    assert domain_v.share_met == pytest.approx((6 * norms_v - 3) / (6 * norms_v))
    value_o1 = by_id(rnd.quality_values, "O1")
    norms_o1 = len(catalogue.norm_index["O1.1"][1].norms)
    assert value_o1.counts == {"V": 6 * (norms_o1 - 1), "D": 0, "N": 3, "NVT": 3}
    assert rnd.most_not_met == ["O1.1"]
    assert rnd.hot_spots == ["V1.1"]


def test_each_organisation_counts_once_per_round(catalogue: Catalogue,
                                                 base: Consolidation) -> None:
    first = organisation(base, 1, {"V1.1": None}, host="Welzijn Oost")
    fuller = organisation(base, 2, {}, host="  welzijn   OOST ")  # the same, more norms rated
    other = organisation(base, 3, {}, host="Welzijn West")
    selfeval = organisation(base, 4, {}).model_copy(update={"variant": Variant.SELF_EVALUATION})
    chosen = select([Source(first, "2025"), Source(fuller, "2025"), Source(other, "2025"),
                     Source(first, "2026"), Source(selfeval, "2026")])
    assert [(s.round_label, s.consolidation.assessment_id) for s in chosen] == [
        ("2025", fuller.assessment_id), ("2025", other.assessment_id),
        ("2026", first.assessment_id)]
    group = compute_group(catalogue, [Source(o, label) for o in (first, fuller, other)
                                      for label in ("Ronde 2026", "Ronde 2025")], k=2)
    assert [r.label for r in group.rounds] == ["Ronde 2025", "Ronde 2026"]  # oldest first
    assert [r.organisations for r in group.rounds] == [2, 2]


# --- suppression ----------------------------------------------------------------------------


def test_small_groups_are_suppressed(catalogue: Catalogue, base: Consolidation) -> None:
    # V1.2: four V and two N (k = 3: the N level is too small, so the whole breakdown goes);
    # D1.1: a consensus at two organisations only; D1.2 at four (the other two: too few)
    orgs = [organisation(base, i, {"V1.2": "V" if i < 4 else "N",
                                   "D1.1": "V" if i < 2 else None,
                                   "D1.2": "V" if i < 4 else None}) for i in range(6)]
    rnd = compute_round(catalogue, "Ronde 2026", orgs, k=3)
    v12, d11, d12 = rnd.norm("V1.2"), rnd.norm("D1.1"), rnd.norm("D1.2")
    assert v12 is not None and d11 is not None and d12 is not None
    assert (v12.organisations, v12.counts, v12.share_met, v12.share_not_met) == (
        6, None, None, None)
    assert d11.organisations is None and d11.counts is None
    assert d12.organisations is None  # 6 − 4 = 2 organisations without: also too few
    # the pooled cells above a hidden norm would give it back (pooled minus the shown norms)
    assert by_id(rnd.quality_values, "V1").counts is None
    assert rnd.domain("V") is not None and rnd.domain("V").counts is None  # type: ignore[union-attr]
    assert by_id(rnd.quality_values, "V2").counts is not None
    assert "V1.2" not in rnd.most_not_met
    # with k = 2 the same numbers may be shown
    shown = compute_round(catalogue, "Ronde 2026", orgs, k=2)
    assert shown.norm("V1.2").counts == {"V": 4, "D": 0, "N": 2, "NVT": 0}  # type: ignore[union-attr]
    assert shown.norm("V1.2").share_not_met == pytest.approx(1 / 3)  # type: ignore[union-attr]
    # a round smaller than k shows nothing at all
    tiny = compute_round(catalogue, "Ronde 2026", orgs[:2], k=3)
    assert tiny.organisations is None
    assert all(c.organisations in (None, 0) for c in
               [*tiny.norms, *tiny.quality_values, *tiny.domains])


def test_a_round_too_small_to_show_says_so_instead_of_no_problems(
        catalogue: Catalogue, base: Consolidation, tmp_path: Path) -> None:
    # two organisations with many N at k = 3: every norm is hidden, so "no shown norm has
    # 'voldoet niet'" would read as good news
    orgs = [organisation(base, i, {}, default="N") for i in range(2)]
    benchmark = _benchmark(catalogue, orgs, 3)
    [group] = benchmark.groups
    assert group.latest.organisations is None
    hidden = T.BENCH_EMPTY_RANKING_HIDDEN.format(k=3)
    for which in ("not_met", "hot_spots"):
        assert empty_ranking_text(which, group, group.latest) == hidden
    context = benchmark_context(benchmark, today=date(2026, 11, 30))
    texts = json.dumps(context, default=str, ensure_ascii=False)
    assert hidden in texts and T.BENCH_EMPTY_RANKING["not_met"].format(k=3) not in texts
    path = write_benchmark_workbook(tmp_path / "branche.xlsx", benchmark)
    cells = [c.value for ws in load_workbook(path).worksheets for r in ws.iter_rows()
             for c in r]
    assert cells.count(hidden) == 2
    # a round large enough, without any N: the ordinary text
    fine = _benchmark(catalogue, [organisation(base, i, {}) for i in range(3)], 3)
    assert empty_ranking_text("not_met", fine.groups[0], fine.groups[0].latest) == \
        T.BENCH_EMPTY_RANKING["not_met"].format(k=3)


def test_a_ranking_never_names_some_of_the_norms_that_tie_where_it_is_cut(
        catalogue: Catalogue, base: Consolidation, tmp_path: Path) -> None:
    # nine organisations: three norms 'voldoet niet' at six of them, twelve more at three;
    # a top ten would have named seven of the twelve "most often not met" by their ids
    ids = [n.id for n in catalogue.norms()]
    orgs = [organisation(base, i, {**dict.fromkeys(ids[:3], "N" if i < 6 else "V"),
                                   **dict.fromkeys(ids[3:15], "N" if i < 3 else "V")})
            for i in range(9)]
    benchmark = _benchmark(catalogue, orgs, 3)
    [group] = benchmark.groups
    latest = group.latest
    assert latest.most_not_met == ids[:3]
    assert latest.most_not_met_tie is not None and latest.most_not_met_tie.count == 12
    note = ranking_tie_text("not_met", latest)
    assert note == T.BENCH_RANKING_TIE["not_met"].format(count=12, share="33%")
    context = benchmark_context(benchmark, today=date(2026, 11, 30))
    assert [n["norm"] for n in context["groepen"][0]["niet_voldaan"]] == ids[:3]
    assert context["groepen"][0]["gelijk_niet_voldaan"] == note
    path = write_benchmark_workbook(tmp_path / "branche.xlsx", benchmark)
    ranking = load_workbook(path)[T.BENCH_SHEETS["not_met"]]
    values = [c.value for r in ranking.iter_rows() for c in r]
    assert note in values and not set(ids[3:15]) & set(values)


def test_a_ranking_where_every_norm_ties_names_none(catalogue: Catalogue, base: Consolidation,
                                                   tmp_path: Path) -> None:
    # reviewers of three of nine organisations disagreed on every norm, alike: the list
    # named the first ten ids as the norms "where reviewers disagreed most often"
    everything = [n.id for n in catalogue.norms()]
    orgs = [organisation(base, i, {}, disagree=everything if i < 3 else ()) for i in range(9)]
    benchmark = _benchmark(catalogue, orgs, 3)
    [group] = benchmark.groups
    latest = group.latest
    assert latest.hot_spots == []
    assert latest.hot_spots_tie is not None
    assert latest.hot_spots_tie.count == len(everything)
    assert empty_ranking_text("hot_spots", group, latest) == T.BENCH_RANKING_ALL_TIED[
        "hot_spots"].format(count=len(everything), share="33%", k=3)
    assert ranking_tie_text("hot_spots", latest) == ""  # said once, in place of the list
    out = render_document(DocumentKind.BENCHMARK,
                          benchmark_context(benchmark, today=date(2026, 11, 30)),
                          tmp_path / "branchebeeld.docx")
    assert any(line.startswith("Geen norm springt eruit") for line in document_lines(out))


def test_disagreement_share_hides_small_groups(catalogue: Catalogue,
                                               base: Consolidation) -> None:
    # two of six disagreed on V1.1: "2 organisations" (and "4 did not") may not be shown
    orgs = [organisation(base, i, {}, disagree=("V1.1",) if i < 2 else ()) for i in range(6)]
    cell = compute_round(catalogue, "R", orgs, k=3).norm("V1.1")
    assert cell is not None and cell.share_disagreement is None and cell.mean_spread is None
    assert compute_round(catalogue, "R", orgs, k=2).hot_spots == ["V1.1"]


def _published_counts(rnd: Round) -> list[int]:
    """Every count of organisations a round publishes."""
    found = [rnd.organisations] if rnd.organisations is not None else []
    for cell in [*rnd.norms, *rnd.quality_values, *rnd.domains]:
        if cell.organisations is not None:
            found.append(cell.organisations)
    for cell in rnd.norms:
        found.extend((cell.counts or {}).values())
    return found


CODES = ["V", "D", "N", "NVT", None]


@pytest.mark.slow
@settings(max_examples=examples(40), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), size=st.integers(1, 12), k=st.integers(2, 5))
def test_no_organisation_can_be_singled_out(catalogue: Catalogue, base: Consolidation,
                                            data: st.DataObject, size: int, k: int) -> None:
    """Every published number is about none or at least k organisations, also what follows
    from two published numbers: a total minus a norm's total, and a pooled breakdown minus
    the shown norms' breakdowns (the attacker's sums are computed here from the raw data)."""
    norm_ids = list(base.norms)[:12]  # V1..V3: three quality values of one domain
    orgs = []
    for i in range(size):
        ratings = {n: data.draw(st.sampled_from(CODES)) for n in norm_ids}
        disagree = [n for n in norm_ids if data.draw(st.booleans())]
        orgs.append(organisation(base, i, ratings, default=None, disagree=disagree))
    rnd = compute_round(catalogue, "Ronde", orgs, k)
    assert all(n == 0 or n >= k for n in _published_counts(rnd))
    for cell in [*rnd.norms, *rnd.quality_values, *rnd.domains]:
        if cell.organisations and rnd.organisations:
            assert rnd.organisations - cell.organisations in (0, *range(k, size + 1))
    for cell in rnd.norms:
        if cell.share_disagreement is not None:
            # the attacker's view: who had two scored ratings, and who of them disagreed
            paired = [o for o in orgs if o.norms[cell.id].consensus is not None and sum(
                1 for c in o.norms[cell.id].ratings.values() if c in ("V", "D", "N")) >= 2]
            split = sum(1 for o in paired if o.norms[cell.id].disagreement)
            for part in (len(paired), split, len(paired) - split,
                         (cell.organisations or 0) - len(paired)):
                assert part == 0 or part >= k, (cell.id, part)
    pooled = [(v.id, [n.id for n in v.norms]) for d in catalogue.domains[:1]
              for v in d.quality_values] + [("V", [n.id for n in catalogue.domains[0].norms()])]
    cells = {c.id: c for c in [*rnd.quality_values, *rnd.domains]}
    for group_id, members in pooled:
        if cells[group_id].counts is None:
            continue
        hidden = [n for n in members if rnd.norm(n) and rnd.norm(n).counts is None  # type: ignore[union-attr]
                  and rnd.norm(n).organisations != 0]  # type: ignore[union-attr]
        for code in ("V", "D", "N", "NVT"):
            behind = {i for i, o in enumerate(orgs) for n in hidden
                      if o.norms[n].consensus == code}
            assert len(behind) == 0 or len(behind) >= k, (group_id, code, hidden)


# --- outputs, privacy in the files, CLI --------------------------------------------------------

SECRETS = ("Organisatie Geheim", "Beoordelaar Geheim", "2026-9", "GEHEIME-BEVINDING")


def _write_consolidations(root: Path, consolidations: Sequence[Consolidation]) -> list[Path]:
    folders = []
    for cons in consolidations:
        folder = root / cons.assessment_id
        folder.mkdir(parents=True)
        (folder / "consolidation.json").write_text(json.dumps(cons.to_json()), encoding="utf-8")
        folders.append(folder)
    return folders


def _round_folder(root: Path, name: str, consolidations: Sequence[Consolidation]) -> Path:
    root.mkdir(parents=True)
    (root / "ronde.yaml").write_text(f"naam: {name}\n", encoding="utf-8")
    _write_consolidations(root / "uitvoer", consolidations)
    return root


def _secret_orgs(base: Consolidation, count: int) -> list[Consolidation]:
    orgs = []
    for i in range(count):
        cons = organisation(base, i, {"V1.1": "V" if i % 2 else "D", "O1.1": "N"},
                            disagree=("V1.2",))
        # free text everywhere it can be: it must never reach the benchmark
        norms = {n: r.model_copy(update={"self_comment": f"GEHEIME-BEVINDING {i}",
                                         "motivation": f"GEHEIME-BEVINDING {n}"})
                 for n, r in cons.norms.items()}
        orgs.append(cons.model_copy(update={"norms": norms, "scope": "GEHEIME-BEVINDING"}))
    return orgs


def _xml_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(name).decode("utf-8", "replace")
                         for name in archive.namelist() if name.endswith((".xml", ".rels")))


@pytest.mark.parametrize("use_cli", [False, True])
def test_outputs_from_round_folders_name_nobody(tmp_path: Path, catalogue: Catalogue,
                                                base: Consolidation, use_cli: bool) -> None:
    orgs = _secret_orgs(base, 8)
    older = _round_folder(tmp_path / "r2025", "Ronde 2025", orgs[:6])
    newer = _round_folder(tmp_path / "r2026", "Ronde 2026", orgs[2:])
    out = tmp_path / "branche"
    if use_cli:
        result = CliRunner().invoke(main, ["benchmark", str(older), str(newer), "-o", str(out),
                                           "--min-group", "3", "--allow-small-groups"])
        assert result.exit_code == 0, result.output
        assert "Ronde 2025 (6 organisaties)" in result.output
    else:
        make_benchmark([older, newer], out, min_group=3, allow_small=True)
    bench = load_benchmark(out)
    group = bench.groups[0]
    assert [(r.label, r.organisations) for r in group.rounds] == [("Ronde 2025", 6),
                                                                  ("Ronde 2026", 6)]
    assert group.lowered and group.min_group == 3 and group.policy_min_group == 5
    assert group.latest.norm("V1.1").counts == {"V": 3, "D": 3, "N": 0, "NVT": 0}  # type: ignore[union-attr]
    texts = {
        "branche.json": (out / "branche.json").read_text(encoding="utf-8"),
        "branche.xlsx": _xml_text(out / "branche.xlsx"),
        "branchebeeld.docx": _xml_text(out / "branchebeeld.docx"),
    }
    for name, text in texts.items():
        for secret in SECRETS:
            assert secret not in text, (name, secret)
    words = "\n".join(document_lines(out / "branchebeeld.docx"))
    assert "kleinste getoonde groep: 3 organisaties" in words
    assert "lager dan de 5" in words
    wb = load_workbook(out / "branche.xlsx")
    assert wb.sheetnames == ["Toelichting", "Domeinen", "Kwaliteitswaarden", "Normen",
                             "Meest niet voldaan", "Verschillen van inzicht"]
    norms = wb["Normen"]
    header = [c.value for c in norms[1]]
    rows = {(r[0], r[1]): dict(zip(header, r, strict=True))
            for r in norms.iter_rows(min_row=2, values_only=True)}
    assert rows[("Ronde 2026", "V1.1")]["Voldoet deels"] == 3
    assert rows[("Ronde 2026", "V1.1")]["Aandeel voldoet"] == 0.5
    assert str(norms.page_setup.paperSize) == norms.PAPERSIZE_A4


def test_consolidation_folders_and_the_policy_k(tmp_path: Path, catalogue: Catalogue,
                                                base: Consolidation) -> None:
    orgs = _secret_orgs(base, 6)
    folders = _write_consolidations(tmp_path / "losse" / "voorjaar 2026", orgs)
    with pytest.raises(InvalidArgument, match="--allow-small-groups"):
        make_benchmark(folders, tmp_path / "uit", min_group=3)
    made = make_benchmark([tmp_path / "losse"], tmp_path / "uit")  # a folder of folders
    group = made.benchmark.groups[0]
    assert group.min_group == 5 and not group.lowered  # the policy's default
    assert [(r.label, r.year, r.organisations) for r in group.rounds] == [
        ("voorjaar 2026", 2026, 6)]
    assert group.latest.norm("V1.1").organisations == 6  # type: ignore[union-attr]
    assert group.latest.norm("V1.1").counts is None  # 3 and 3: fewer than 5  # type: ignore[union-attr]
    result = CliRunner().invoke(main, ["benchmark", str(tmp_path / "nergens.txt"), "-o",
                                       str(tmp_path / "x")])
    assert result.exit_code == 2


def test_catalogue_versions_are_never_pooled(catalogue: Catalogue,
                                             base: Consolidation) -> None:
    later = Catalogue.model_validate({**catalogue.to_data(), "versie": "test-2"})
    old = [Source(organisation(base, i, {}), "Ronde 2026") for i in range(3)]
    new = [Source(organisation(base, i, {}).model_copy(update={
        "catalogue_fingerprint": later.fingerprint, "catalogue_version": "test-2"}),
        "Ronde 2026") for i in range(3)]
    groups = group_sources(Found(sources=[*old, *new]), [later])
    assert [(cat.version, len(sources)) for cat, sources in groups] == [
        (catalogue.version, 3), ("test-2", 3)]
    with pytest.raises(InvalidArgument, match="--catalogue"):
        group_sources(Found(sources=new))


# --- the position in an organisation's own report ---------------------------------------------


def _benchmark(catalogue: Catalogue, orgs: Sequence[Consolidation], k: int) -> Benchmark:
    return Benchmark(groups=[compute_group(catalogue, [Source(o, "Ronde 2026") for o in orgs],
                                           k)])


def test_position_lines(catalogue: Catalogue, base: Consolidation) -> None:
    # ten organisations: V1.1 eight V and two D... too few D at k = 3, so no line; V1.2 seven
    # V and three N: a line for an organisation with N
    orgs = [organisation(base, i, {"V1.1": "V" if i < 8 else "D",
                                   "V1.2": "V" if i < 7 else "N"}) for i in range(10)]
    bench = _benchmark(catalogue, orgs, 3)
    own = orgs[9]  # D on V1.1, N on V1.2
    position = position_context(own, catalogue, bench)
    assert position["beschikbaar"] and not position["opmerking"]
    lines = {n["norm"]: n["branche"] for n in position["normen"]}
    assert lines == {"V1.2": "7 van de 10 organisaties voldoen aan deze norm"}
    assert [d["organisaties"] for d in position["domeinen"]] == ["10"] * len(
        position["domeinen"])
    # an organisation that got what most got has no lines
    assert position_context(orgs[0], catalogue, bench)["normen"] == []
    # no benchmark: no section; another catalogue version: a note and no numbers
    assert not position_context(own, catalogue, None)["beschikbaar"]
    other = own.model_copy(update={"catalogue_fingerprint": "sha256:anders"})
    elsewhere = position_context(other, catalogue, bench)
    assert elsewhere["opmerking"] and not elsewhere["normen"] and not elsewhere["domeinen"]


def test_learning_report_with_benchmark(tmp_path: Path, catalogue: Catalogue,
                                        base: Consolidation) -> None:
    orgs = [organisation(base, i, {"V1.2": "V" if i < 7 else "N"}) for i in range(10)]
    bench_dir = tmp_path / "branche"
    bench_dir.mkdir()
    (bench_dir / "branche.json").write_text(
        json.dumps(_benchmark(catalogue, orgs, 3).to_json()), encoding="utf-8")
    own = _write_consolidations(tmp_path / "uitkomst", [orgs[9]])[0]
    out = tmp_path / "leerrapport.docx"
    result = CliRunner().invoke(main, ["report", "learning", str(own), "-o", str(out),
                                       "--benchmark", str(bench_dir / "branche.json")])
    assert result.exit_code == 0, result.output
    text = "\n".join(document_lines(out))
    assert "Positie in de branche" in text
    assert "7 van de 10 organisaties voldoen aan deze norm" in text
    plain = tmp_path / "zonder.docx"
    assert CliRunner().invoke(main, ["report", "learning", str(own), "-o",
                                     str(plain)]).exit_code == 0
    assert "Positie in de branche" not in "\n".join(document_lines(plain))
