"""A new version of the normenkader: diff, mapping, check and carry-over (issue 15, item 3).

The two shipped example versions and the reviewed mapping between them are the fixtures;
bad mappings are made by mutating the shipped one in code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from kwl_office.assessment import Kind
from kwl_office.batch.demo import find_columns
from kwl_office.catalogue import Catalogue, example_catalogue_path, load_catalogue
from kwl_office.catalogue.carry import carry_over
from kwl_office.catalogue.diff import DiffKind, diff_catalogues
from kwl_office.catalogue.mapping import (
    Change,
    Mapping,
    NormLink,
    builtin_mapping_path,
    check_mapping,
    identity_mapping,
    load_mapping,
    parse_mapping,
    save_mapping,
)
from kwl_office.cli import main
from kwl_office.errors import CatalogueError
from kwl_office.excel.reader import read_workbook
from kwl_office.excel.writer import write_workbook
from tests.helpers import (
    HOST,
    KEY,
    domain_sheets,
    fill,
    generate,
    norm_rows,
    require_soffice,
    soffice_convert,
    spec,
)

SHIPPED_MAPPING = "voorbeeld-naar-voorbeeld-2027"

#: the changes designed into voorbeeld-2027 (see the comment at the top of its YAML)
REWORDED = {"V1.2", "V1.3", "D1.3", "O3.1", "O4.3"}
MEANING_CHANGED = {"V1.2", "O4.3"}
SPLIT = {"V2.4": ("V2.4", "V2.5")}
REMOVED = {"D3.3"}
RENAMED = {"V4.4": "D2.4"}
ADDED = {"D5.4", "O2.5"}


@pytest.fixture(scope="module")
def old() -> Catalogue:
    return load_catalogue("voorbeeld")


@pytest.fixture(scope="module")
def new() -> Catalogue:
    return load_catalogue("voorbeeld-2027")


@pytest.fixture(scope="module")
def shipped() -> Mapping:
    return load_mapping(SHIPPED_MAPPING)


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


# --- the diff --------------------------------------------------------------------------------


def test_diff_finds_exactly_the_designed_changes(old: Catalogue, new: Catalogue) -> None:
    diff = diff_catalogues(old, new)
    by_kind = {kind: diff.of_kind(kind) for kind in DiffKind}
    assert {c.old_id for c in by_kind[DiffKind.REWORDED]} == REWORDED
    assert {c.old_id: c.new_ids for c in by_kind[DiffKind.SPLIT]} == SPLIT
    assert {c.old_id for c in by_kind[DiffKind.REMOVED]} == REMOVED
    assert {c.old_id: c.new_ids[0] for c in by_kind[DiffKind.RENAMED]} == RENAMED
    assert {c.new_ids[0] for c in by_kind[DiffKind.ADDED]} == ADDED
    changed = REWORDED | set(SPLIT) | REMOVED | set(RENAMED)
    unchanged = {n.id for n in old.norms()} - changed
    assert {c.old_id for c in by_kind[DiffKind.UNCHANGED]} == unchanged
    # every old norm once, every new norm reached once
    assert sorted(c.old_id for c in diff.changes if c.old_id) == sorted(n.id for n in old.norms())
    reached = [i for c in diff.changes for i in c.new_ids]
    assert sorted(reached) == sorted(n.id for n in new.norms())


def test_renamed_norm_has_the_same_text(old: Catalogue, new: Catalogue) -> None:
    (renamed,) = diff_catalogues(old, new).of_kind(DiffKind.RENAMED)
    assert renamed.similarities == (1.0,)
    assert renamed.old_text == renamed.new_texts[0]


def test_diff_of_a_catalogue_with_itself_is_all_unchanged(old: Catalogue) -> None:
    counts = diff_catalogues(old, old).counts()
    assert counts == {**dict.fromkeys(counts, 0), "unchanged": len(list(old.norms()))}


#: norms of one quality value that share their sentence, as catalogues often write them
SHARED = ("De organisatie heeft {} schriftelijk vastgelegd, maakt dit bekend bij inwoners en "
          "medewerkers en evalueert dit jaarlijks.")


def with_quality_value(tmp_path: Path, version: str, texts: list[str], at: int = 2) -> Catalogue:
    """The example catalogue with the norms of the first quality value of domain ``at``
    replaced by ``texts`` (numbered in order), as version ``version``."""
    data = yaml.safe_load(example_catalogue_path().read_text(encoding="utf-8"))
    data["versie"] = version
    value = data["domeinen"][at]["kwaliteitswaarden"][0]
    value["normen"] = [{"id": f"{value['id']}.{i}", "tekst": text}
                       for i, text in enumerate(texts, start=1)]
    path = tmp_path / f"{version}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return load_catalogue(str(path))


@pytest.mark.parametrize("texts", [
    [SHARED.format(t) for t in ("het privacybeleid", "de klachtenregeling",
                                "het veiligheidsbeleid")],
    ["De organisatie bewaart dossiers volgens de AVG.", "Inwoners kunnen klagen bij een "
     "onafhankelijke commissie.", "Medewerkers melden incidenten binnen een dag."],
], ids=["shared-sentence", "unlike"])
def test_a_norm_inserted_before_others_is_new_and_they_are_renumbered(
        tmp_path: Path, texts: list[str]) -> None:
    # the most common edit between versions: a norm in front, the ones after it renumbered;
    # the same id is then no sign of the same norm
    before = with_quality_value(tmp_path, "a", texts)
    after = with_quality_value(tmp_path, "b", [SHARED.format("het integriteitsbeleid"),
                                               *texts])
    diff = diff_catalogues(before, after)
    counts = diff.counts()
    assert (counts["added"], counts["renamed"], counts["split"], counts["reworded"],
            counts["removed"]) == (1, 3, 0, 0, 0), counts
    assert {c.old_id: c.new_ids for c in diff.of_kind(DiffKind.RENAMED)} == {
        "O1.1": ("O1.2",), "O1.2": ("O1.3",), "O1.3": ("O1.4",)}
    assert [c.new_ids for c in diff.of_kind(DiffKind.ADDED)] == [("O1.1",)]
    draft = diff.draft_mapping()
    assert check_mapping(draft, before, after).findings == []
    assert {k: (v.to, v.changed) for k, v in draft.norms.items() if k.startswith("O1.")} == {
        "O1.1": (("O1.2",), False), "O1.2": (("O1.3",), False), "O1.3": (("O1.4",), False)}


def test_a_norm_re_worded_and_one_split_keep_their_kinds(tmp_path: Path) -> None:
    before = with_quality_value(tmp_path, "a", [
        "De organisatie heeft een privacybeleid en leeft dat na.",
        "De organisatie heeft een klachtenregeling en een vertrouwenspersoon."])
    after = with_quality_value(tmp_path, "b", [
        "De organisatie heeft een privacybeleid en leeft dat aantoonbaar na.",
        "De organisatie heeft een klachtenregeling.",
        "De organisatie heeft een vertrouwenspersoon."])
    diff = diff_catalogues(before, after)
    assert [(c.old_id, c.new_ids) for c in diff.of_kind(DiffKind.REWORDED)] == [
        ("O1.1", ("O1.1",))]
    assert [(c.old_id, c.new_ids) for c in diff.of_kind(DiffKind.SPLIT)] == [
        ("O1.2", ("O1.2", "O1.3"))]
    assert diff.of_kind(DiffKind.ADDED) == []


def test_diff_json_is_a_stable_object() -> None:
    result = run("catalogue", "diff", "voorbeeld", "voorbeeld-2027", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"old", "new", "counts", "changes"}
    assert data["counts"] == {"unchanged": 42, "reworded": 5, "renamed": 1, "split": 1,
                              "removed": 1, "added": 2}
    split = next(c for c in data["changes"] if c["kind"] == "split")
    assert split["old_id"] == "V2.4" and split["new_ids"] == ["V2.4", "V2.5"]
    assert set(split) == {"kind", "old_id", "new_ids", "similarity", "old_text", "new_texts"}


def test_diff_text_output_groups_and_counts_in_dutch() -> None:
    result = run("catalogue", "diff", "voorbeeld", "voorbeeld-2027")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Anders verwoord: 5 normen" in out
    assert "Gesplitst: 1 norm\n" in out
    assert "V2.4 → V2.4 (0,82) en V2.5 (0,63)" in out
    assert "[-houdt de registratie-] {+is geregistreerd+}" in out


# --- the draft mapping -----------------------------------------------------------------------


def test_draft_mapping_round_trip_is_clean_after_review(tmp_path: Path, old: Catalogue,
                                                        new: Catalogue) -> None:
    draft = tmp_path / "concept.yaml"
    result = run("catalogue", "diff", "voorbeeld", "voorbeeld-2027", "-o", str(draft))
    assert result.exit_code == 0, result.output
    text = draft.read_text(encoding="utf-8")
    assert text.startswith("# CONCEPT-mapping")
    mapping = load_mapping(draft)
    # the draft proposes "meaning changed" only where the text differs a lot (V1.2, 0.56);
    # the stricter O4.3 reads almost the same: that is what the review is for
    assert {k for k, link in mapping.norms.items() if link.changed} == {"V1.2"}
    assert mapping.norms["V2.4"].to == ("V2.4", "V2.5")
    assert mapping.norms["D3.3"].to == ()
    assert check_mapping(mapping, old, new).findings == []
    # the secretariat's review: O4.3 became stricter
    reviewed = text.replace("O4.3: {naar: [O4.3], gelijkenis: 0.85}",
                            "O4.3: {naar: [O4.3], betekenis_gewijzigd: true, gelijkenis: 0.85}")
    assert reviewed != text
    draft.write_text(reviewed, encoding="utf-8")
    mapping = load_mapping(draft)
    assert mapping.comparable("O4.3") is None
    assert check_mapping(mapping, old, new).findings == []
    assert mapping.norms == load_mapping(SHIPPED_MAPPING).norms  # the shipped one, reviewed
    save_mapping(mapping, tmp_path / "opnieuw.yaml")
    assert load_mapping(tmp_path / "opnieuw.yaml").model_dump() == mapping.model_dump()


def test_shipped_mapping_is_the_reviewed_one(shipped: Mapping, old: Catalogue,
                                             new: Catalogue) -> None:
    assert check_mapping(shipped, old, new).findings == []
    assert {k for k, link in shipped.norms.items() if link.changed} == MEANING_CHANGED
    comparable = {k for k in shipped.norms if shipped.comparable(k)}
    assert comparable == {n.id for n in old.norms()} - MEANING_CHANGED - set(SPLIT) - REMOVED
    assert shipped.comparable("V4.4") == "D2.4"
    assert shipped.previous_of("D2.4") == ("V4.4", False)
    assert shipped.previous_of("V1.2") == ("V1.2", True)
    assert shipped.previous_of("V2.5") == ("V2.4", True)
    assert shipped.previous_of("D5.4") is None
    assert {n.id: shipped.change_of(n.id) for n in new.norms()
            if shipped.change_of(n.id) is not Change.SAME} == {
        "V1.2": Change.CHANGED, "O4.3": Change.CHANGED, "V2.4": Change.SPLIT,
        "V2.5": Change.SPLIT, "D5.4": Change.NEW, "O2.5": Change.NEW}


def test_a_merge_is_never_comparable(shipped: Mapping) -> None:
    merged = shipped.model_copy(update={"norms": {
        **shipped.norms, "V1.3": NormLink.model_validate({"naar": ["V1.4"]})}})
    assert merged.comparable("V1.3") is None
    assert merged.comparable("V1.4") is None
    assert merged.change_of("V1.4") is Change.MERGED
    assert merged.previous_of("V1.4") == ("V1.3", True)


# --- check finds each defect -----------------------------------------------------------------


def _mutated(tmp_path: Path, change: Any) -> Path:
    data = yaml.safe_load(builtin_mapping_path(SHIPPED_MAPPING).read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "mapping.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d["normen"].update({"V9.9": {"naar": []}}),
     {("mapping-unknown-norm", "V9.9", "error")}),
    (lambda d: d["normen"]["V1.1"].update({"naar": ["V1.17"]}),
     {("mapping-unknown-norm", "V1.17", "error")}),
    (lambda d: d["van"].update({"vingerafdruk": "sha256:" + "0" * 64}),
     {("mapping-catalogue-mismatch", None, "error")}),
    (lambda d: d["normen"].pop("O1.1"), {("mapping-norm-missing", "O1.1", "warning")}),
    (lambda d: d["normen"]["V1.3"].update({"naar": ["V1.4"]}),
     {("mapping-target-twice", "V1.4", "warning")}),
], ids=["unknown-old", "unknown-new", "fingerprint", "missing", "merge"])
def test_check_finds_each_defect(tmp_path: Path, old: Catalogue, new: Catalogue,
                                 change: Any, expected: set[tuple[Any, ...]]) -> None:
    mapping = load_mapping(_mutated(tmp_path, change))
    report = check_mapping(mapping, old, new)
    assert set(report.flatten(("code", "norm_id", "severity"))) == expected
    assert all(f.file and f.file.startswith("mapping.yaml") for f in report.findings)


def test_check_cli_exit_codes(tmp_path: Path) -> None:
    ok = run("catalogue", "check", "voorbeeld-2027", "--previous", "voorbeeld",
             "--mapping", SHIPPED_MAPPING)
    assert ok.exit_code == 0, ok.output
    bad = _mutated(tmp_path, lambda d: d["normen"].update({"V9.9": {"naar": ["V1.1"]}}))
    invalid = run("catalogue", "check", "voorbeeld-2027", "--mapping", str(bad))
    assert invalid.exit_code == 1
    assert "mapping.yaml:" in invalid.output and "V9.9" in invalid.output
    backwards = run("catalogue", "check", "voorbeeld", "--previous", "voorbeeld-2027",
                    "--mapping", SHIPPED_MAPPING)
    assert backwards.exit_code == 1
    assert run("catalogue", "check", "--mapping", str(tmp_path / "nergens.yaml")
               ).exit_code == 2
    assert run("catalogue", "check", "--previous", "voorbeeld").exit_code == 2


@pytest.mark.parametrize(("text", "line"), [
    ("van: {id: a, versie: b, vingerafdruk: x}\n", 1),
    ("van: [\n", 2),
    ("- lijst\n", 1),
], ids=["bad-fingerprint", "syntax", "not-a-mapping"])
def test_a_bad_mapping_file_is_refused_with_its_line(text: str, line: int) -> None:
    with pytest.raises(CatalogueError) as err:
        parse_mapping(text, name="m.yaml")
    assert err.value.place == f"m.yaml:{line}"


def test_an_unknown_field_names_its_line(tmp_path: Path) -> None:
    path = _mutated(tmp_path, lambda d: d["normen"]["V2.1"].update({"gewijzigd": True}))
    with pytest.raises(CatalogueError) as err:
        load_mapping(path)
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1)
                if text.strip() == "gewijzigd: true")
    assert err.value.place == f"mapping.yaml:{line}"


def test_an_oversized_or_binary_mapping_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "groot.yaml"
    big.write_bytes(b"#" * 2_000_001)
    binary = tmp_path / "binair.yaml"
    binary.write_bytes(b"\xff\xfe\x00zz")
    for path in (big, binary):
        with pytest.raises(CatalogueError):
            load_mapping(path)


# --- carry-over ------------------------------------------------------------------------------


def _previous(tmp_path: Path, old: Catalogue) -> tuple[Path, dict[str, dict[str, Any]]]:
    """An old-version self-evaluation filled in completely, a few norms with texts."""
    answers: dict[str, dict[str, Any]] = {
        n.id: {"rating": "V"} for n in old.norms()}
    answers["V1.1"] = {"rating": "D", "comment_self": "Intervisie loopt nog niet overal.",
                       "improvements": "Intervisie in elk team", "accent": "ja"}
    answers["V4.4"] = {"rating": "N", "comment_self": "Sociale kaart is verouderd."}
    answers["V1.2"] = {"rating": "D", "comment_self": "Niet iedereen is geregistreerd."}
    answers["V2.4"] = {"rating": "V", "comment_self": "Evaluaties staan in elk dossier."}
    path = generate(tmp_path / "vorige.xlsx", Kind.SELF_EVALUATION, old,
                    assessment_id="2026-001")
    fill(path, answers)
    return path, answers


def _rows(path: Path) -> dict[str, dict[str, Any]]:
    """Norm id → column key → value as the carried workbook holds it."""
    from openpyxl import load_workbook

    found: dict[str, dict[str, Any]] = {}
    for ws in domain_sheets(load_workbook(path)):
        located = find_columns(ws)
        assert located is not None
        _, cols = located
        for norm_id, row in norm_rows(ws).items():
            found[norm_id] = {key: ws.cell(row, col).value for key, col in cols.items()}
    return found


def _carry(tmp_path: Path, old: Catalogue, new: Catalogue, mapping: Mapping) -> Path:
    previous, _ = _previous(tmp_path, old)
    sub = read_workbook(previous, old, key=KEY, expected_kind=Kind.SELF_EVALUATION)
    assert sub.valid, sub.report.findings
    carry = carry_over(sub, old, new, mapping)
    out = tmp_path / "nieuw.xlsx"
    write_workbook(out, spec(Kind.SELF_EVALUATION, assessment_id="2029-001"), new, key=KEY,
                   carry=carry)
    return out


def test_carry_over_round_trip(tmp_path: Path, old: Catalogue, new: Catalogue,
                               shipped: Mapping) -> None:
    out = _carry(tmp_path, old, new, shipped)
    rows = _rows(out)
    # unchanged and renamed norms: rating and texts carried
    assert rows["V1.1"]["rating"] == "Voldoet deels"
    assert rows["V1.1"]["comment_self"] == "Intervisie loopt nog niet overal."
    assert rows["V1.1"]["improvements"] == "Intervisie in elk team"
    assert rows["V1.1"]["accent"] == "ja"
    assert rows["D2.4"]["rating"] == "Voldoet niet"
    assert rows["V1.3"]["rating"] == "Voldoet"          # re-worded, same meaning
    # changed, split and new norms: empty, the previous answer as guidance only
    for norm_id in ("V1.2", "O4.3", "V2.4", "V2.5", "D5.4", "O2.5"):
        assert rows[norm_id]["rating"] is None, norm_id
        assert rows[norm_id]["comment_self"] is None, norm_id
    assert rows["V1.2"]["guidance"].startswith("Vorige versie (V1.2)")
    assert "Voldoet deels. Niet iedereen is geregistreerd." in rows["V1.2"]["guidance"]
    assert "V2.4: Voldoet. Evaluaties staan in elk dossier." in rows["V2.5"]["guidance"]
    assert not rows["D5.4"]["guidance"].startswith("Vorige versie")

    # read back: every carried answer, nothing from the guidance, open norms incomplete
    sub = read_workbook(out, new, key=KEY)
    assert sub.responses["V1.1"].rating == "D" and sub.responses["V1.1"].accent is True
    assert sub.responses["V1.2"].rating is None
    assert sub.report.codes() == {"incomplete-submission", "missing-rating"}
    assert {f.norm_id for f in sub.report.findings if f.code == "missing-rating"} == {
        "V1.2", "O4.3", "V2.4", "V2.5", "D5.4", "O2.5"}
    fill(out, {n: {"rating": "D"} for n in ("V1.2", "O4.3", "V2.4", "V2.5", "D5.4", "O2.5")})
    filled = read_workbook(out, new, key=KEY)
    assert filled.valid and filled.report.findings == []
    assert filled.responses["V2.5"].rating == "D"


def test_start_sheet_says_what_was_carried_over(tmp_path: Path, old: Catalogue,
                                                new: Catalogue, shipped: Mapping) -> None:
    from openpyxl import load_workbook

    out = _carry(tmp_path, old, new, shipped)
    start = load_workbook(out).worksheets[0]
    texts = [str(c.value) for row in start.iter_rows() for c in row if c.value]
    line = next(t for t in texts if "overgenomen" in t)
    assert line.startswith("46 normen overgenomen uit de vorige zelfevaluatie; 4 opnieuw te "
                           "beoordelen (V1.2, V2.4, V2.5 en O4.3); 2 nieuw (D5.4 en O2.5).")


def test_same_version_carries_everything(tmp_path: Path, old: Catalogue) -> None:
    previous, answers = _previous(tmp_path, old)
    sub = read_workbook(previous, old, key=KEY)
    carry = carry_over(sub, old, old)
    assert set(carry.answers) == {n.id for n in old.norms()}
    assert carry.previous == {} and carry.new == ()
    assert carry.answers == carry_over(sub, old, old, identity_mapping(old)).answers


def test_carry_over_refuses_a_mapping_that_does_not_fit(tmp_path: Path, old: Catalogue,
                                                        new: Catalogue,
                                                        shipped: Mapping) -> None:
    previous, _ = _previous(tmp_path, old)
    sub = read_workbook(previous, old, key=KEY)
    with pytest.raises(CatalogueError, match="gaat naar normenkader"):
        carry_over(sub, old, old, shipped)           # mapping leads to another catalogue
    with pytest.raises(CatalogueError, match="--mapping"):
        carry_over(sub, old, new)                    # another version without a mapping
    backwards = shipped.model_copy(update={"source": shipped.target})
    with pytest.raises(CatalogueError, match="vorige zelfevaluatie"):
        carry_over(sub, old, new, backwards)


def test_carry_over_cli(tmp_path: Path, old: Catalogue, key_file: Path) -> None:
    previous, _ = _previous(tmp_path, old)
    out = tmp_path / "nieuw.xlsx"
    base = ["workbook", "selfeval", "--assessment", "2029-001", "--host", HOST,
            "--key", str(key_file), "-o", str(out), "--catalogue", "voorbeeld-2027",
            "--carry-over", str(previous)]
    result = run(*base, "--mapping", SHIPPED_MAPPING)
    assert result.exit_code == 0, result.output
    assert "46 normen overgenomen" in result.output
    assert _rows(out)["V1.1"]["rating"] == "Voldoet deels"
    # without a mapping to another version: a clear error, exit 2
    result = run(*base)
    assert result.exit_code == 2 and "--mapping" in result.output
    other = run("workbook", "selfeval", "--assessment", "2029-001", "--host", "Iemand anders",
                "--key", str(key_file), "-o", str(out), "--carry-over", str(previous))
    assert other.exit_code == 2 and "niet van 'Iemand anders'" in other.output


@pytest.mark.soffice
def test_carried_workbook_saved_by_libreoffice_reads_back(tmp_path: Path, old: Catalogue,
                                                          new: Catalogue,
                                                          shipped: Mapping) -> None:
    require_soffice()
    out = _carry(tmp_path, old, new, shipped)
    saved = soffice_convert(out, tmp_path / "lo", "xlsx:Calc MS Excel 2007 XML",
                            tmp_path / "profile")
    sub = read_workbook(saved, new, key=KEY)
    assert sub.responses["V1.1"].rating == "D"
    assert sub.responses["V1.1"].comment == "Intervisie loopt nog niet overal."
    assert sub.responses["D2.4"].rating == "N"
    assert {f.norm_id for f in sub.report.findings if f.code == "missing-rating"} == {
        "V1.2", "O4.3", "V2.4", "V2.5", "D5.4", "O2.5"}
    assert "norm-text-changed" not in sub.report.codes()
