"""``kwl consolidate`` end to end, including the consensus-meeting loop with --overrides."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from kwl_office.assessment import Kind
from kwl_office.catalogue import Catalogue
from kwl_office.catalogue import normalise_token as tok
from kwl_office.cli import main
from tests.helpers import HOST, fill, generate

AUDITORS = ["CI Certificering Noord (fictief)", "CI Kwaliteit & Zorg (fictief)"]
PEERS = ["Welzijn Noord (fictief)", "Buurtwerk Zuid (fictief)", "Sociaal Team West (fictief)"]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _all(catalogue: Catalogue, code: str, **texts: str) -> dict[str, dict[str, Any]]:
    return {n.id: {"rating": code, **texts} for n in catalogue.norms()}


@pytest.fixture
def peer_round(tmp_path: Path, catalogue: Catalogue) -> Path:
    folder = tmp_path / "ingeleverd"
    folder.mkdir()
    se = generate(folder / "zelfevaluatie.xlsx", Kind.SELF_EVALUATION)
    fill(se, _all(catalogue, "Voldoet", comment_self="Wij doen dit goed."))
    for i, reviewer in enumerate(PEERS):
        path = generate(folder / f"peer-{i}.xlsx", Kind.PEER, reviewer=reviewer)
        answers = _all(catalogue, "v", comment_review=f"Gezien door {reviewer}")
        answers["V1.1"] = {"rating": ["V", "D", "N"][i]}  # a disagreement on V1.1
        answers["D1.1"] = {"rating": "d"}  # everybody: voldoet deels
        fill(path, answers)
    return folder


def test_consolidate_peer_review(tmp_path: Path, peer_round: Path, key_file: Path,
                                 catalogue: Catalogue) -> None:
    out = tmp_path / "uit"
    before = {p: p.read_bytes() for p in peer_round.iterdir()}
    result = run("consolidate", str(peer_round), "-o", str(out), "--key", str(key_file))
    assert result.exit_code == 0, result.output
    data = json.loads((out / "consolidation.json").read_text(encoding="utf-8"))
    assert data["assessment_id"] == "2026-014" and data["host"] == HOST
    assert data["variant"] == "intercollegiaal"
    assert data["reviewers"] == sorted(PEERS)
    assert data["advice"] == "registratie" and data["blocking_norms"] == []
    v11 = data["norms"]["V1.1"]
    assert v11["consensus"] == "D" and v11["spread"] == 2 and v11["disagreement"] is True
    assert v11["self"] == "V" and v11["gap"] == 1 and v11["overridden"] is False
    assert set(v11["ratings"]) == set(PEERS)
    assert data["norms"]["D1.1"]["consensus"] == "D"
    for domain in data["domains"].values():
        assert {"counts", "share_met", "mean_score", "alpha", "percent_agreement"} <= set(domain)
    assert {"alpha", "percent_agreement", "pairable_units"} <= set(data["agreement"])
    assert data["findings"] == []
    assert (out / "geconsolideerd.xlsx").exists()
    assert {p: p.read_bytes() for p in peer_round.iterdir()} == before  # originals untouched


def test_the_share_that_meets_says_what_it_is_a_share_of(tmp_path: Path, peer_round: Path,
                                                         key_file: Path) -> None:
    # "voldoet 94%" alone reads as a share of all norms; as in the reports and the workbook,
    # it is the share of the norms that apply (with a rating), and the console says so
    out = tmp_path / "uit"
    result = run("consolidate", str(peer_round), "-o", str(out), "--key", str(key_file))
    assert result.exit_code == 0, result.output
    data = json.loads((out / "consolidation.json").read_text(encoding="utf-8"))
    groups = [*data["domains"].values(), data["overall"]]
    rows = re.findall(r"voldoet +(\d+%) van +(\d+) ", result.output)
    assert rows == [(f"{g['share_met']:.0%}", str(g["applicable"])) for g in groups]
    legend = [line for line in result.output.splitlines() if line.startswith("Voldoet:")]
    overall = data["overall"]
    assert len(legend) == 1 and "van toepassing" in legend[0]
    assert f"{overall['share_met']:.0%} van {overall['applicable']} normen" in legend[0]


def test_json_flag_prints_the_file(tmp_path: Path, peer_round: Path, key_file: Path) -> None:
    out = tmp_path / "uit"
    result = run("consolidate", str(peer_round), "-o", str(out), "--key", str(key_file),
                 "--json")
    assert result.exit_code == 0
    assert json.loads(result.output) == json.loads(
        (out / "consolidation.json").read_text(encoding="utf-8"))


def _matrix(path: Path) -> tuple[Any, Any, int, dict[str, int]]:
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=1, max_row=30):
            labels = {tok(str(c.value)): c.column for c in row if c.value is not None}
            if {"norm", "eindoordeel", "motivering"} <= set(labels):
                return wb, ws, row[0].row, labels
    raise AssertionError("no Matrix sheet with Norm/Eindoordeel/Motivering")


def _set_override(path: Path, norm_id: str, rating: str | None, motivation: str | None) -> None:
    wb, ws, header, cols = _matrix(path)
    for r in range(header + 1, ws.max_row + 1):
        if ws.cell(r, cols["norm"]).value == norm_id:
            ws.cell(r, cols["eindoordeel"]).value = rating
            ws.cell(r, cols["motivering"]).value = motivation
            wb.save(path)
            return
    raise AssertionError(norm_id)


@pytest.fixture
def audit_round(tmp_path: Path, catalogue: Catalogue) -> Path:
    folder = tmp_path / "audit"
    folder.mkdir()
    for i, auditor in enumerate(AUDITORS):
        path = generate(folder / f"audit-{i}.xlsx", Kind.AUDIT, reviewer=auditor)
        answers = _all(catalogue, "Voldoet")
        answers["O2.1"] = {"rating": "Voldoet niet", "comment_review": "Geen klachtenregeling."}
        fill(path, answers)
    return folder


def test_override_loop_changes_consensus_and_advice(tmp_path: Path, audit_round: Path,
                                                    key_file: Path) -> None:
    out = tmp_path / "uit"
    first = run("consolidate", str(audit_round), "-o", str(out), "--key", str(key_file),
                "--json")
    assert first.exit_code == 0, first.output
    data = json.loads(first.output)
    assert data["variant"] == "audit"
    assert data["advice"] == "herbeoordeling" and data["blocking_norms"] == ["O2.1"]

    workbook = out / "geconsolideerd.xlsx"
    _set_override(workbook, "O2.1", "voldoet", "Regeling alsnog aangetoond in het gesprek.")
    filled = workbook.read_bytes()
    second = run("consolidate", str(audit_round), "-o", str(out), "--key", str(key_file),
                 "--overrides", str(workbook), "--json")
    assert second.exit_code == 0, second.output
    data = json.loads(second.output)
    norm = data["norms"]["O2.1"]
    assert norm["consensus"] == "V" and norm["computed"] == "N" and norm["overridden"] is True
    assert norm["motivation"] == "Regeling alsnog aangetoond in het gesprek."
    assert data["advice"] == "certificaat" and data["blocking_norms"] == []
    # the filled file was kept before being replaced; the new one carries the override
    kept = list((out / "eerder").iterdir())
    assert len(kept) == 1 and kept[0].read_bytes() == filled
    third = run("consolidate", str(audit_round), "-o", str(out), "--key", str(key_file),
                "--overrides", str(workbook), "--json")
    assert json.loads(third.output)["norms"]["O2.1"] == norm  # idempotent


def test_override_without_motivation_is_a_finding(tmp_path: Path, audit_round: Path,
                                                  key_file: Path) -> None:
    out = tmp_path / "uit"
    assert run("consolidate", str(audit_round), "-o", str(out), "--key",
               str(key_file)).exit_code == 0
    workbook = out / "geconsolideerd.xlsx"
    _set_override(workbook, "O2.1", "V", None)
    result = run("consolidate", str(audit_round), "-o", str(out), "--key", str(key_file),
                 "--overrides", str(workbook), "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    codes = [(f["code"], f["norm_id"]) for f in data["findings"]]
    assert ("override-without-motivation", "O2.1") in codes
    assert data["norms"]["O2.1"]["consensus"] == "N"
    assert data["advice"] == "herbeoordeling"


def test_unreadable_file_in_folder_is_a_finding(tmp_path: Path, peer_round: Path,
                                                key_file: Path) -> None:
    (peer_round / "kapot.xlsx").write_bytes(b"PK\x03\x04 kapot")
    result = run("consolidate", str(peer_round), "-o", str(tmp_path / "uit"), "--key",
                 str(key_file), "--json")
    assert result.exit_code == 1
    findings = json.loads(result.output)["findings"]
    assert [(f["code"], f["file"]) for f in findings] == [("unreadable-file", "kapot.xlsx")]


def test_nothing_to_consolidate_exits_2(tmp_path: Path) -> None:
    empty = tmp_path / "leeg"
    empty.mkdir()
    (empty / "notitie.xlsx").write_text("geen werkmap", encoding="utf-8")
    result = run("consolidate", str(empty), "-o", str(tmp_path / "uit"))
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_hkz_iso_variant_is_inferred(tmp_path: Path, catalogue: Catalogue,
                                     key_file: Path) -> None:
    folder = tmp_path / "hkz"
    folder.mkdir()
    path = generate(folder / "audit.xlsx", Kind.AUDIT, reviewer=AUDITORS[0],
                    distinctive_only=True)
    fill(path, {n.id: {"rating": "V"} for n in catalogue.norms() if n.distinctive})
    result = run("consolidate", str(folder), "-o", str(tmp_path / "uit"), "--key",
                 str(key_file), "--json")
    data = json.loads(result.output)
    assert data["variant"] == "hkz-iso" and data["advice"] == "certificaat"
    assert set(data["norms"]) == {n.id for n in catalogue.norms() if n.distinctive}
