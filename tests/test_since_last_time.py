"""Since last time (issue 15): two assessments of one organisation compared, per norm and per
domain, through a mapping when the catalogue version changed; the reports' section, the
sheet in geconsolideerd.xlsx and ``kwl report learning --previous``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kwl_office.assessment import Assessment, Identity, Kind, NormResponse, Submission, Variant
from kwl_office.catalogue import Catalogue, example_catalogue_path, load_catalogue
from kwl_office.catalogue.mapping import CatalogueRef, Mapping, NormLink, load_mapping
from kwl_office.cli import main
from kwl_office.consolidation.history import Comparison, Direction, Reason, compare
from kwl_office.consolidation.model import Consolidation
from kwl_office.consolidation.rules import consolidate
from kwl_office.consolidation.workbook import write_consolidated
from kwl_office.documents.produce import audit_report, learning_report
from kwl_office.documents.text import document_lines
from kwl_office.errors import InvalidArgument

HOST = "Stichting Tweede Ronde (fictief)"
REVIEWERS = ("Buurtwerk Oost (fictief)", "Welzijn West (fictief)")
AUDITOR = "CI Toetsing (fictief)"
SHIPPED_MAPPING = (Path(__file__).parents[1] / "kwl_office" / "catalogues"
                   / "voorbeeld-naar-voorbeeld-2027.yaml")


def _submission(catalogue: Catalogue, kind: Kind, reviewer: str, assessment_id: str,
                ratings: dict[str, str], improvements: dict[str, str] | None = None
                ) -> Submission:
    """A filled workbook read back: every norm ``V`` unless ``ratings`` says otherwise."""
    identity = Identity(
        layout_version=1, kind=kind, workbook_id=f"{assessment_id}-{reviewer or 'zelf'}",
        assessment_id=assessment_id, host=HOST, reviewer=reviewer, catalogue_id=catalogue.id,
        catalogue_version=catalogue.version, catalogue_fingerprint=catalogue.fingerprint,
        issued_at="2026-10-01T09:00:00+00:00", tool_version="test", signature="x")
    responses = {}
    for norm in catalogue.norms():
        code = ratings.get(norm.id, "V")
        if kind is Kind.SELF_EVALUATION:
            responses[norm.id] = NormResponse(
                rating=code, improvements=(improvements or {}).get(norm.id))
        else:
            responses[norm.id] = NormResponse(
                rating=code, comment=f"{reviewer} zag {norm.id} in {assessment_id}.",
                learning_points=f"Leerpunt {norm.id}" if code != "V" else None)
    return Submission(file=f"{assessment_id}-{reviewer or 'zelf'}.xlsx", identity=identity,
                      responses=responses)


def _assessment(catalogue: Catalogue, assessment_id: str, ratings: dict[str, str], *,
                improvements: dict[str, str] | None = None,
                variant: Variant = Variant.PEER_REVIEW) -> Consolidation:
    """One assessment of the host: every reviewer gives ``ratings`` (so the consensus is
    that rating), with a self-evaluation carrying ``improvements``."""
    kind, names = ((Kind.PEER, REVIEWERS) if variant is Variant.PEER_REVIEW
                   else (Kind.AUDIT, (AUDITOR,)))
    subs = [_submission(catalogue, Kind.SELF_EVALUATION, "", assessment_id, {"V1.2": "D"},
                        improvements)]
    subs += [_submission(catalogue, kind, r, assessment_id, ratings) for r in names]
    return consolidate(catalogue, Assessment(id=assessment_id, host=HOST, variant=variant),
                       subs)


#: 2023 → 2026 in one catalogue version: V1.2 D→V (beter), V1.3 V→N (slechter), V1.4 n.v.t.
#: → V (not comparable), V2.1 D→D (gelijk), D1.1 N→V (beter); every other norm V → V
PREVIOUS = {"V1.2": "D", "V1.4": "NVT", "V2.1": "D", "D1.1": "N"}
CURRENT = {"V1.3": "N", "V2.1": "D"}
ACTION = "Scholing over het beroepsregister in 2024."


@pytest.fixture
def rounds(catalogue: Catalogue) -> tuple[Consolidation, Consolidation]:
    previous = _assessment(catalogue, "2023-004", PREVIOUS, improvements={"V1.2": ACTION})
    current = _assessment(catalogue, "2026-011", CURRENT)
    return previous, current


def test_two_rounds_per_norm_directions(catalogue: Catalogue,
                                        rounds: tuple[Consolidation, Consolidation]) -> None:
    previous, current = rounds
    result = compare(previous, current, catalogue=catalogue, since="2023")
    by_id = {n.norm_id: n for n in result.norms}
    assert [n.norm_id for n in result.norms] == [n.id for n in catalogue.norms()]
    expected = {"V1.2": Direction.BETTER, "V1.3": Direction.WORSE,
                "V1.4": Direction.NOT_COMPARABLE, "V2.1": Direction.SAME,
                "D1.1": Direction.BETTER}
    for norm_id, direction in expected.items():
        assert by_id[norm_id].direction is direction, norm_id
    others = [n for n in result.norms if n.norm_id not in expected]
    assert {n.direction for n in others} == {Direction.SAME}
    assert (by_id["V1.2"].previous, by_id["V1.2"].current) == ("D", "V")
    assert by_id["V1.4"].reason is Reason.NOT_APPLICABLE
    # the improvement action written last time comes along, also where the rating improved
    assert by_id["V1.2"].previous_improvements == ACTION
    assert by_id["V1.3"].previous_improvements is None
    total = len(result.norms)
    assert (result.count(Direction.BETTER), result.count(Direction.WORSE),
            result.count(Direction.SAME), result.count(Direction.NOT_COMPARABLE)) == (
        2, 1, total - 4, 1)
    assert result.summary == (f"Sinds 2023: 2 normen beter, 1 slechter, {total - 4} gelijk; "
                              "1 niet vergelijkbaar (1 niet van toepassing).")
    # the JSON is plain data and reads back
    assert Comparison.model_validate(json.loads(json.dumps(result.to_json()))) == result


def test_two_rounds_domain_shares(catalogue: Catalogue,
                                  rounds: tuple[Consolidation, Consolidation]) -> None:
    previous, current = rounds
    domains = {d.domain_id: d for d in compare(previous, current, catalogue=catalogue).domains}
    sizes = {d.id: len(list(d.norms())) for d in catalogue.domains}
    # Vakmanschap: V1.4 (n.v.t. then) is left out; met then: all but V1.2 and V2.1; met now:
    # all but V1.3 and V2.1 → the same share, direction gelijk
    v = domains["V"]
    assert v.compared == sizes["V"] - 1
    assert v.previous_share_met == pytest.approx((sizes["V"] - 3) / (sizes["V"] - 1))
    assert v.current_share_met == pytest.approx((sizes["V"] - 3) / (sizes["V"] - 1))
    assert (v.better, v.same, v.worse, v.direction) == (1, sizes["V"] - 3, 1, Direction.SAME)
    # Dienstverlening: D1.1 N → V, the rest met both times
    d = domains["D"]
    assert d.compared == sizes["D"]
    assert d.previous_share_met == pytest.approx((sizes["D"] - 1) / sizes["D"])
    assert d.current_share_met == 1.0
    assert d.direction is Direction.BETTER
    assert domains["O"].direction is Direction.SAME


def test_since_label_defaults_to_the_previous_assessment(
        catalogue: Catalogue, rounds: tuple[Consolidation, Consolidation]) -> None:
    previous, current = rounds
    result = compare(previous, current, catalogue=catalogue)
    assert result.since.endswith("(2023-004)")
    assert result.summary.startswith(f"Sinds {result.since}: ")


# --- another catalogue version ----------------------------------------------------------------


def _test_mapping(old: Catalogue, new: Catalogue) -> Mapping:
    """Every old norm that still exists → itself, except: V1.1 changed meaning, V1.2 split
    into V1.2 and V1.3 (old V1.3 removed), D1.1 and D1.2 merged into D1.1."""
    new_ids = {n.id for n in new.norms()}
    norms = {n.id: NormLink(to=(n.id,) if n.id in new_ids else ()) for n in old.norms()}
    norms["V1.1"] = NormLink(to=("V1.1",), changed=True)
    norms["V1.2"] = NormLink(to=("V1.2", "V1.3"))
    norms["V1.3"] = NormLink(to=())
    norms["D1.2"] = NormLink(to=("D1.1",))
    return Mapping(source=CatalogueRef.of(old), target=CatalogueRef.of(new), norms=norms)


def test_version_change_marks_changed_split_merged_and_new_norms(catalogue: Catalogue) -> None:
    new_catalogue = load_catalogue("voorbeeld-2027")
    previous = _assessment(catalogue, "2023-004", {"V2.1": "D", "V1.1": "D", "V1.2": "N"},
                           improvements={"V1.2": ACTION})
    current = _assessment(new_catalogue, "2026-011", {"V2.1": "V"})
    result = compare(previous, current, _test_mapping(catalogue, new_catalogue),
                     catalogue=new_catalogue)
    by_id = {n.norm_id: n for n in result.norms}
    old_ids = {n.id for n in catalogue.norms()}
    assert by_id["V1.1"].reason is Reason.CHANGED
    assert by_id["V1.2"].reason is by_id["V1.3"].reason is Reason.SPLIT
    assert by_id["D1.1"].reason is Reason.MERGED
    assert by_id["D1.1"].previous_norm_ids == ["D1.1", "D1.2"]
    added = [n.id for n in new_catalogue.norms() if n.id not in old_ids]
    assert added and all(by_id[n].reason is Reason.NEW for n in added)
    # never a previous rating or a direction for a norm that is not the same norm
    for change in (by_id[n] for n in ["V1.1", "V1.2", "V1.3", "D1.1", *added]):
        assert change.direction is Direction.NOT_COMPARABLE and change.previous is None
    # the old improvement action is kept, labelled as belonging to the old norm
    assert by_id["V1.2"].previous_improvements == ACTION
    assert by_id["V2.1"].direction is Direction.BETTER
    new_ids = {n.id for n in new_catalogue.norms()}
    assert result.through_mapping
    assert result.removed == ["V1.3"] + [n.id for n in catalogue.norms()
                                         if n.id not in new_ids and n.id != "V1.3"]
    # not-comparable norms are counted out of the domain shares
    assert {d.domain_id: d.compared for d in result.domains}["V"] == sum(
        1 for n in result.norms if n.domain_id == "V" and n.comparable)


def test_shipped_mapping_compares_only_unchanged_norms(catalogue: Catalogue) -> None:
    new_catalogue = load_catalogue("voorbeeld-2027")
    mapping = load_mapping(SHIPPED_MAPPING)
    previous = _assessment(catalogue, "2023-004", {})
    current = _assessment(new_catalogue, "2026-011", {})
    result = compare(previous, current, mapping, catalogue=new_catalogue)
    for change in result.norms:
        sources = [old for old, link in mapping.norms.items() if change.norm_id in link.to]
        one_to_one = (len(sources) == 1 and len(mapping.norms[sources[0]].to) == 1
                      and not mapping.norms[sources[0]].changed)
        assert change.comparable is one_to_one, change.norm_id
        if not sources:
            assert change.reason is Reason.NEW
        elif len(sources) == 1 and mapping.norms[sources[0]].changed:
            assert change.reason is Reason.CHANGED
    assert any(not c.comparable for c in result.norms)


def test_refusals(catalogue: Catalogue, rounds: tuple[Consolidation, Consolidation]) -> None:
    previous, current = rounds
    new_catalogue = load_catalogue("voorbeeld-2027")
    newer = _assessment(new_catalogue, "2026-011", {})
    with pytest.raises(InvalidArgument, match="--mapping"):
        compare(previous, newer, catalogue=new_catalogue)
    # a mapping between other versions (here: the wrong way round) does not fit
    backwards = _test_mapping(catalogue, new_catalogue).model_copy(update={
        "source": CatalogueRef.of(new_catalogue), "target": CatalogueRef.of(catalogue)})
    with pytest.raises(InvalidArgument, match="mapping"):
        compare(previous, newer, backwards, catalogue=new_catalogue)
    other = previous.model_copy(update={"catalogue_id": "ander-normenkader"})
    with pytest.raises(InvalidArgument, match="ander-normenkader"):
        compare(other, current, catalogue=catalogue)
    with pytest.raises(InvalidArgument):
        compare(previous, current, catalogue=new_catalogue)  # not the current's catalogue


def test_old_consolidation_json_without_improvements_loads(
        rounds: tuple[Consolidation, Consolidation]) -> None:
    previous, _ = rounds
    data = previous.to_json()
    for norm in data["norms"].values():
        del norm["self_improvements"]
    loaded = Consolidation.from_json(data)
    assert all(n.self_improvements is None for n in loaded.norms.values())
    assert previous.norms["V1.2"].self_improvements == ACTION


# --- documents, workbook, command line --------------------------------------------------------


def _section(lines: list[str]) -> list[str]:
    start = lines.index("Sinds de vorige keer")
    return lines[start:start + 200]


def test_learning_report_has_the_section(tmp_path: Path, catalogue: Catalogue,
                                         rounds: tuple[Consolidation, Consolidation]) -> None:
    previous, current = rounds
    comparison = compare(previous, current, catalogue=catalogue, since="2023")
    lines = document_lines(learning_report(current, catalogue, tmp_path / "met.docx",
                                           previous=comparison))
    section = "\n".join(_section(lines))
    assert comparison.summary in section
    for norm_id in ("V1.2", "V1.3", "D1.1"):  # the norms that changed
        assert norm_id in section
    assert ACTION in section
    assert "V1.4: vorige keer of nu niet van toepassing" in section
    assert "Vakmanschap" in section and "Dienstverlening" in section
    without = document_lines(learning_report(current, catalogue, tmp_path / "zonder.docx"))
    assert "Sinds de vorige keer" not in without
    assert not any("Sinds 2023" in line for line in without)


def test_audit_report_has_the_section(tmp_path: Path, catalogue: Catalogue) -> None:
    previous = _assessment(catalogue, "2023-007", {"O1.1": "D"}, variant=Variant.AUDIT)
    current = _assessment(catalogue, "2026-012", {}, variant=Variant.AUDIT)
    comparison = compare(previous, current, catalogue=catalogue, since="2023")
    lines = document_lines(audit_report(current, catalogue, tmp_path / "audit.docx",
                                        previous=comparison))
    section = _section(lines)
    assert comparison.summary in section
    assert "O1.1" in "\n".join(section)


def test_consolidated_workbook_sheet(tmp_path: Path, catalogue: Catalogue,
                                     rounds: tuple[Consolidation, Consolidation]) -> None:
    previous, current = rounds
    comparison = compare(previous, current, catalogue=catalogue)
    path = write_consolidated(tmp_path / "met.xlsx", current, catalogue, previous=comparison)
    ws = load_workbook(path)["Vorige keer"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=5, values_only=True) if r[0]}
    assert len(rows) == len(comparison.norms)
    assert rows["V1.2"][2:5] == ("Voldoet deels", "Voldoet", "beter")
    assert rows["V1.2"][-1] == ACTION
    assert rows["V1.4"][4] == "niet vergelijkbaar" and rows["V1.4"][5]
    without = write_consolidated(tmp_path / "zonder.xlsx", current, catalogue)
    assert "Vorige keer" not in load_workbook(without).sheetnames


def _write(consolidation: Consolidation, folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "consolidation.json").write_text(json.dumps(consolidation.to_json()),
                                               encoding="utf-8")
    return folder


def test_cli_previous(tmp_path: Path, catalogue: Catalogue,
                      rounds: tuple[Consolidation, Consolidation]) -> None:
    previous, current = rounds
    before, now = _write(previous, tmp_path / "2023"), _write(current, tmp_path / "2026")
    out = tmp_path / "leerrapport.docx"
    runner = CliRunner()
    result = runner.invoke(main, ["report", "learning", str(now), "--previous",
                                  str(before / "consolidation.json"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Sinds de vorige keer" in document_lines(out)
    # a folder without consolidation.json, and an unfitting mapping: one Dutch line, exit 2
    empty = tmp_path / "leeg"
    empty.mkdir()
    result = runner.invoke(main, ["report", "learning", str(now), "--previous", str(empty),
                                  "-o", str(out)])
    assert result.exit_code == 2 and "consolidation.json" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(main, ["report", "learning", str(now), "--previous", str(before),
                                  "--mapping", str(SHIPPED_MAPPING), "-o", str(out)])
    assert result.exit_code == 0, result.output  # one version: the mapping is not needed
    newer = _write(_assessment(load_catalogue("voorbeeld-2027"), "2026-013", {}),
                   tmp_path / "2027")
    # without --mapping the shipped mapping is used when it fits these two versions exactly
    result = runner.invoke(main, ["report", "learning", str(newer), "--catalogue",
                                  "voorbeeld-2027", "--previous", str(before), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert any("niet vergelijkbaar" in line for line in document_lines(out))
    # a version no mapping knows: the command asks for --mapping
    own = tmp_path / "eigen.yaml"
    own.write_text(example_catalogue_path().read_text(encoding="utf-8").replace(
        "versie: voorbeeld", "versie: eigen", 1).replace(
        "reflecteert regelmatig", "reflecteert wekelijks", 1), encoding="utf-8")
    mine = _write(_assessment(load_catalogue(own), "2026-014", {}), tmp_path / "eigen")
    result = runner.invoke(main, ["report", "learning", str(mine), "--catalogue", str(own),
                                  "--previous", str(before), "-o", str(out)])
    assert result.exit_code == 2 and "--mapping" in result.output
    result = runner.invoke(main, ["report", "learning", str(newer), "--catalogue",
                                  "voorbeeld-2027", "--previous", str(before), "--mapping",
                                  str(SHIPPED_MAPPING), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert any("niet vergelijkbaar" in line for line in document_lines(out))
