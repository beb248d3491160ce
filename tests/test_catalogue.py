"""The normenkader: models, example, YAML/Excel round trips, fingerprint and error places."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from kwl_office.catalogue import (
    Catalogue,
    RatingLevel,
    RatingScale,
    example_catalogue_path,
    load_catalogue,
    save_catalogue,
)
from kwl_office.catalogue.yaml import dump_yaml, parse_yaml
from kwl_office.cli import main
from kwl_office.errors import CatalogueError

REPO = Path(__file__).resolve().parent.parent


def test_example_has_the_real_structure(catalogue: Catalogue) -> None:
    assert [d.title for d in catalogue.domains] == [
        "Vakmanschap", "Dienstverlening", "Organisatie en bestuur"]
    assert all(3 <= len(d.quality_values) <= 5 for d in catalogue.domains)
    norms = list(catalogue.norms())
    assert 45 <= len(norms) <= 55
    distinctive = [n for n in norms if n.distinctive]
    assert len(norms) / 4 <= len(distinctive) <= len(norms) / 2.5
    by_domain = {d.id: sum(n.distinctive for n in d.norms()) for d in catalogue.domains}
    assert max(by_domain, key=lambda k: by_domain[k]) == "V"  # mostly vakmanschap
    assert catalogue.is_example and catalogue.version == "voorbeeld"
    assert [lv.code for lv in catalogue.scale] == ["V", "D", "N", "NVT"]
    assert all(n.text and n.guidance and n.evidence for n in norms)


def test_policy_defaults(catalogue: Catalogue) -> None:
    policy = catalogue.policy
    assert policy.disagreement_spread == 2
    assert policy.min_reviewers == 2
    assert policy.max_partly_share == 0.25


def test_yaml_round_trip(tmp_path: Path, catalogue: Catalogue) -> None:
    path = save_catalogue(catalogue, tmp_path / "kader.yaml")
    again = load_catalogue(path)
    assert again == catalogue
    assert again.fingerprint == catalogue.fingerprint


def test_xlsx_round_trip(tmp_path: Path, catalogue: Catalogue) -> None:
    path = save_catalogue(catalogue, tmp_path / "kader.xlsx")
    again = load_catalogue(path)
    assert again == catalogue


def test_shipped_excel_example_is_in_sync(catalogue: Catalogue) -> None:
    # regenerate with: kwl catalogue export workbooks/normenkader-voorbeeld.xlsx
    assert load_catalogue(REPO / "workbooks" / "normenkader-voorbeeld.xlsx") == catalogue


def test_fingerprint_tracks_norm_texts_not_guidance(catalogue: Catalogue) -> None:
    data = catalogue.to_data()
    data["domeinen"][0]["kwaliteitswaarden"][0]["normen"][0]["toelichting"] = "Anders."
    assert Catalogue.model_validate(data).fingerprint == catalogue.fingerprint
    data["domeinen"][0]["kwaliteitswaarden"][0]["normen"][0]["tekst"] = "Anders."
    assert Catalogue.model_validate(data).fingerprint != catalogue.fingerprint
    assert catalogue.fingerprint.startswith("sha256:") and len(catalogue.fingerprint) == 71


def test_yaml_error_names_the_line(catalogue: Catalogue) -> None:
    text = dump_yaml(catalogue).replace("onderscheidend: true", "onderscheidend: misschien", 1)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "misschien" in t)
    with pytest.raises(CatalogueError) as err:
        parse_yaml(text, name="kader.yaml")
    assert err.value.place == f"kader.yaml:{line}"


def test_yaml_unknown_key_names_its_line(catalogue: Catalogue) -> None:
    text = dump_yaml(catalogue).replace("toelichting:", "toelichtng:", 1)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "toelichtng" in t)
    with pytest.raises(CatalogueError) as err:
        parse_yaml(text, name="kader.yaml")
    assert err.value.place == f"kader.yaml:{line}"
    assert "onbekend veld" in str(err.value)


def test_yaml_syntax_error_names_the_line() -> None:
    with pytest.raises(CatalogueError) as err:
        parse_yaml("id: x\ntitel: [niet gesloten\nversie: 1\n", name="k.yaml")
    assert err.value.place is not None and err.value.place.startswith("k.yaml:")


def test_duplicate_norm_id_is_refused(catalogue: Catalogue) -> None:
    text = dump_yaml(catalogue).replace("id: V1.2", "id: V1.1", 1)
    with pytest.raises(CatalogueError, match="V1.1"):
        parse_yaml(text)


def test_xlsx_error_names_sheet_and_cell(tmp_path: Path, catalogue: Catalogue) -> None:
    path = save_catalogue(catalogue, tmp_path / "kader.xlsx")
    wb = load_workbook(path)
    wb["Schaal"]["C3"] = "hoog"  # score of the second level
    wb["Normen"]["F7"] = None  # norm text of the sixth norm
    wb.save(path)
    with pytest.raises(CatalogueError) as err:
        load_catalogue(path)
    assert err.value.place in {"Normen!F7", "Schaal!C3"}
    wb["Schaal"]["C3"] = 1
    wb.save(path)
    with pytest.raises(CatalogueError) as err:
        load_catalogue(path)
    assert err.value.place == "Normen!F7"


def test_xlsx_missing_sheet(tmp_path: Path, catalogue: Catalogue) -> None:
    path = save_catalogue(catalogue, tmp_path / "kader.xlsx")
    wb = load_workbook(path)
    wb.remove(wb["Schaal"])
    wb.save(path)
    with pytest.raises(CatalogueError, match="Schaal"):
        load_catalogue(path)


def test_unknown_extension_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError):
        load_catalogue(tmp_path / "kader.json")
    with pytest.raises(CatalogueError):
        load_catalogue(tmp_path / "bestaat-niet.yaml")


def test_example_ships_inside_the_package() -> None:
    assert example_catalogue_path().is_file()


def test_cli_check_show_export(tmp_path: Path, catalogue: Catalogue) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["catalogue", "check"])
    assert result.exit_code == 0 and catalogue.fingerprint in result.output
    result = runner.invoke(main, ["catalogue", "show"])
    assert result.exit_code == 0
    for norm in catalogue.norms():
        assert norm.id in result.output
    for suffix in ("xlsx", "yaml"):
        out = tmp_path / f"kader.{suffix}"
        result = runner.invoke(main, ["catalogue", "export", str(out)])
        assert result.exit_code == 0, result.output
        result = runner.invoke(main, ["catalogue", "check", str(out)])
        assert result.exit_code == 0 and catalogue.fingerprint in result.output
        assert load_catalogue(out) == catalogue


def test_cli_catalogue_error_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "kader.yaml"
    bad.write_text(example_catalogue_path().read_text(encoding="utf-8").replace(
        "score: 2", "score: twee", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["catalogue", "check", str(bad)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "kader.yaml:" in result.output


# --- a typed number means one level ----------------------------------------------------------

#: the scale of the user test: number codes 1/2/3, scores 0/1/2 (so 1 and 2 are ambiguous)
NUMBER_SCALE = (("1", "Onvoldoende", 0, "niet"), ("2", "Matig", 1, "deels"),
                ("3", "Goed", 2, "voldoet"))


def with_scale(catalogue: Catalogue, levels: tuple[tuple[str, str, int, str], ...]
               ) -> dict[str, Any]:
    data = catalogue.to_data()
    data["schaal"] = [{"code": code, "label": label, "score": score, "rol": role}
                      for code, label, score, role in levels]
    return data


def as_yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the ``nth`` line that holds ``needle``."""
    return [i for i, t in enumerate(text.splitlines(), 1) if needle in t][nth - 1]


def test_a_typed_number_is_a_code_before_a_score() -> None:
    # the reader on its own (the catalogue refuses this scale, see below): "1" is the level
    # whose code is 1, never the level whose score is 1
    scale = RatingScale(tuple(RatingLevel(code=code, label=label, score=score, rol=role)
                              for code, label, score, role in NUMBER_SCALE))
    typed: list[object] = ["1", 1, 1.0, "1,0", " 3 ", 3, "Goed", "2"]
    assert [level.code for level in map(scale.lookup, typed) if level] == [
        "1", "1", "1", "1", "3", "3", "3", "2"]
    assert scale.lookup(0) is not None and scale.lookup(0).code == "1"  # a score still counts
    assert scale.lookup("-1") is None  # not a code: "-1" normalised would be "1"
    # the check macro looks a typed number up as "#1": the list says what the reader does
    assert {"#0", "#1", "#2", "#3"} <= set(scale.accepted_tokens)
    assert "1" not in scale.accepted_tokens


def test_a_code_that_is_another_levels_score_is_refused(catalogue: Catalogue) -> None:
    text = as_yaml(with_scale(catalogue, NUMBER_SCALE))
    with pytest.raises(CatalogueError) as err:
        parse_yaml(text, name="kader.yaml")
    assert err.value.place == f"kader.yaml:{line_of(text, 'schaal:')}"
    for label in ("Onvoldoende", "Matig", "Goed"):  # every level involved is named
        assert label in str(err.value)


@pytest.mark.parametrize("levels", [
    (("0", "Onvoldoende", 0, "niet"), ("1", "Matig", 1, "deels"), ("2", "Goed", 2, "voldoet")),
    (("5", "Onvoldoende", 0, "niet"), ("6", "Matig", 1, "deels"), ("7", "Goed", 2, "voldoet")),
    (("1", "Onvoldoende", 0, "niet"), ("2", "Matig", 5, "deels"), ("3", "Goed", 10, "voldoet")),
], ids=["code-is-score", "apart", "apart-2"])
def test_number_codes_that_mean_one_level_are_fine(catalogue: Catalogue,
                                                   levels: tuple[Any, ...]) -> None:
    scale = Catalogue.model_validate(with_scale(catalogue, levels)).rating_scale
    for code, _, score, _ in levels:
        assert scale.lookup(code) is not None and scale.lookup(code).code == code
        assert scale.lookup(score) is not None and scale.lookup(score).code == code


def test_an_ambiguous_scale_in_excel_names_the_scale_sheet(tmp_path: Path,
                                                           catalogue: Catalogue) -> None:
    path = save_catalogue(catalogue, tmp_path / "kader.xlsx")
    wb = load_workbook(path)
    for row, code in ((2, 3), (3, 2), (4, 1)):  # V, D, N become 3, 2, 1 (scores 2, 1, 0)
        wb["Schaal"].cell(row, 1).value = code
    wb.save(path)
    with pytest.raises(CatalogueError) as err:
        load_catalogue(path)
    assert err.value.place == "Schaal!1"


def test_cli_refuses_an_ambiguous_scale(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "kader.yaml"
    path.write_text(as_yaml(with_scale(catalogue, NUMBER_SCALE)), encoding="utf-8")
    result = CliRunner().invoke(main, ["catalogue", "check", str(path)])
    assert result.exit_code == 2 and "kader.yaml:" in result.output


# --- a typed code or label means one level ---------------------------------------------------

#: scales where a typed text would mean two levels (the reader took the last one, silently)
TEXT_CLASHES = {
    "label-is-code": (("V", "Voldoet", 2, "voldoet"), ("D", "V", 1, "deels"),
                      ("N", "Voldoet niet", 0, "niet")),
    "code-is-label": (("V", "Voldoet", 2, "voldoet"), ("Voldoet", "Voldoet deels", 1, "deels"),
                      ("N", "Voldoet niet", 0, "niet")),
    "same-label": (("V", "Voldoet", 2, "voldoet"), ("D", "Voldoet deels", 1, "deels"),
                   ("N", "voldoet.", 0, "niet")),
    "spelled-apart": (("V", "Voldoet", 2, "voldoet"), ("D", "Voldoet deels", 1, "deels"),
                      ("N", "N.V.T.", 0, "niet"), ("NVT", "Vervalt", None, "nvt")),
}


@pytest.mark.parametrize("levels", TEXT_CLASHES.values(), ids=TEXT_CLASHES.keys())
def test_a_code_or_label_of_two_levels_is_refused(catalogue: Catalogue,
                                                  levels: tuple[Any, ...]) -> None:
    text = as_yaml(with_scale(catalogue, levels))
    with pytest.raises(CatalogueError) as err:
        parse_yaml(text, name="kader.yaml")
    assert err.value.place == f"kader.yaml:{line_of(text, 'schaal:')}"
    assert "niet eenduidig" in str(err.value)


def test_a_label_that_is_another_levels_code_is_refused_in_excel_and_the_cli(
        tmp_path: Path, catalogue: Catalogue) -> None:
    path = save_catalogue(catalogue, tmp_path / "kader.xlsx")
    wb = load_workbook(path)
    assert wb["Schaal"].cell(3, 1).value == "D"
    wb["Schaal"].cell(3, 2).value = "v"  # Voldoet deels labelled as the code of Voldoet
    wb.save(path)
    with pytest.raises(CatalogueError) as err:
        load_catalogue(path)
    assert err.value.place == "Schaal!1"
    result = CliRunner().invoke(main, ["catalogue", "check", str(path)])
    assert result.exit_code == 2 and "Schaal!1" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_level_may_share_its_own_code_and_label(catalogue: Catalogue) -> None:
    levels = (("V", "v.", 2, "voldoet"), ("D", "Deels", 1, "deels"), ("N", "N", 0, "niet"))
    scale = Catalogue.model_validate(with_scale(catalogue, levels)).rating_scale
    assert [scale.lookup(typed).code for typed in ("V", "d", "n")] == ["V", "D", "N"]


# --- where an error is -----------------------------------------------------------------------


def test_duplicate_id_names_its_line_and_the_first(catalogue: Catalogue) -> None:
    text = dump_yaml(catalogue).replace("id: V1.2", "id: V1.1", 1)
    with pytest.raises(CatalogueError) as err:
        parse_yaml(text, name="kader.yaml")
    assert err.value.place == f"kader.yaml:{line_of(text, 'id: V1.1', 2)}"
    assert f"regel {line_of(text, 'id: V1.1')}" in str(err.value)


def test_duplicate_id_in_excel_names_both_cells(tmp_path: Path, catalogue: Catalogue) -> None:
    path = save_catalogue(catalogue, tmp_path / "kader.xlsx")
    wb = load_workbook(path)
    wb["Normen"]["E3"] = wb["Normen"]["E2"].value  # the second norm gets the first one's id
    wb.save(path)
    with pytest.raises(CatalogueError) as err:
        load_catalogue(path)
    assert err.value.place == "Normen!E3" and "Normen!E2" in str(err.value)


@pytest.mark.parametrize("change", ["no-niet", "two-nvt", "order"])
def test_a_scale_problem_names_the_scale(catalogue: Catalogue, change: str) -> None:
    data = catalogue.to_data()
    if change == "no-niet":
        data["schaal"] = [lv for lv in data["schaal"] if lv["rol"] != "niet"]
    elif change == "two-nvt":
        data["schaal"].append({"code": "X", "label": "Vervalt", "score": None, "rol": "nvt"})
    else:
        data["schaal"][0]["score"] = 0
        data["schaal"][2]["score"] = 2
    text = as_yaml(data)
    with pytest.raises(CatalogueError) as err:
        parse_yaml(text, name="kader.yaml")
    assert err.value.place == f"kader.yaml:{line_of(text, 'schaal:')}"


def test_a_too_long_domain_title_says_the_limit_and_why(catalogue: Catalogue) -> None:
    title = "Vakmanschap en professionele ontwikkeling"
    text = dump_yaml(catalogue).replace("titel: Vakmanschap\n", f"titel: {title}\n", 1)
    with pytest.raises(CatalogueError) as err:
        parse_yaml(text, name="kader.yaml")
    assert err.value.place == f"kader.yaml:{line_of(text, title)}"
    assert "31" in str(err.value) and "tabblad" in str(err.value)
