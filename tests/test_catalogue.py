"""The normenkader: models, example, YAML/Excel round trips, fingerprint and error places."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kwl_office.catalogue import (
    Catalogue,
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
