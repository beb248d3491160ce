"""Report and letter sentences that must be true and read well (findings of the excel and rounds
testers): what a "verschil van inzicht" counts, one reviewer in the singular, the variant of
the previous assessment, a reassessment letter that says its basis once, a short alfa cell."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import kwl_office
from kwl_office.assessment import (
    Assessment,
    Identity,
    Kind,
    NormResponse,
    Organisation,
    Submission,
    Variant,
)
from kwl_office.catalogue import Catalogue, load_catalogue
from kwl_office.consolidation.history import compare
from kwl_office.consolidation.model import Advice, Consolidation
from kwl_office.consolidation.rules import consolidate
from kwl_office.documents.context import Decision
from kwl_office.documents.examples import (
    EXAMPLE_SENDER,
    example_consolidation,
    example_previous_consolidation,
)
from kwl_office.documents.produce import audit_report, decide, learning_report, letter
from kwl_office.documents.text import document_lines

TODAY = date(2026, 11, 28)
HOST = "Stichting Woorden (fictief)"


def _review(catalogue: Catalogue, kind: Kind, reviewer: str, ratings: dict[str, str],
            default: str = "V", assessment_id: str = "2026-031") -> Submission:
    identity = Identity(
        layout_version=1, kind=kind, workbook_id=f"{kind.value}-{reviewer}",
        assessment_id=assessment_id, host=HOST, reviewer=reviewer,
        catalogue_id=catalogue.id, catalogue_version=catalogue.version,
        catalogue_fingerprint=catalogue.fingerprint, issued_at="2026-10-01T09:00:00+00:00",
        tool_version="test", signature="x")
    return Submission(file=f"{kind.value}-{reviewer}.xlsx", identity=identity, responses={
        n.id: NormResponse(rating=ratings.get(n.id, default), comment=f"Gezien bij {n.id}.",
                           strengths="Sterk team." if n.id.endswith(".1") else None)
        for n in catalogue.norms()})


def _three_apart(catalogue: Catalogue) -> Consolidation:
    """Three collega-organisaties: one rates every norm 'Voldoet deels', two 'Voldoet' (0 %
    exact agreement, yet no norm with ratings two steps apart)."""
    reviews = [_review(catalogue, Kind.PEER, "Een (fictief)", {}, "D"),
               _review(catalogue, Kind.PEER, "Twee (fictief)", {}),
               _review(catalogue, Kind.PEER, "Drie (fictief)", {})]
    return consolidate(catalogue, Assessment(id="2026-031", host=HOST,
                                             variant=Variant.PEER_REVIEW), reviews)


def _lines(path: Path) -> list[str]:
    return document_lines(path)


def _legend(lines: list[str]) -> str:
    figures = next(i for i, line in enumerate(lines) if line.startswith("Normen | Voldoet"))
    return lines[figures + 2]


# --- F9: what a "verschil van inzicht" is ------------------------------------------------------


def test_reviewers_who_differ_by_one_step_are_not_said_to_agree(
        tmp_path: Path, catalogue: Catalogue) -> None:
    cons = _three_apart(catalogue)
    assert cons.agreement.percent_agreement == 0 and cons.overall.disagreements == 0
    lines = _lines(learning_report(cons, catalogue, tmp_path / "l.docx", today=TODAY))
    text = "\n".join(lines)
    assert "oneens" not in text
    assert "De beoordelaars hadden bij geen enkele norm een verschil van inzicht" not in text
    legend = _legend(lines)
    assert ("Verschillen van inzicht: normen waarover de oordelen van de beoordelaars ver "
            "uiteenlagen (zoals ‘Voldoet’ tegenover ‘Voldoet niet’). Een kleiner verschil, "
            "zoals ‘Voldoet’ tegenover ‘Voldoet deels’, telt hier niet mee.") in legend
    assert ("Bij geen enkele norm lagen de oordelen van de beoordelaars ver uiteen (zoals "
            "‘Voldoet’ tegenover ‘Voldoet niet’); er is geen oordeel bijgesteld. Een kleiner "
            "verschil, zoals ‘Voldoet’ tegenover ‘Voldoet deels’, telt hier niet mee.") in lines


def test_the_wording_follows_the_threshold_of_the_catalogue(tmp_path: Path) -> None:
    # a catalogue where any difference counts: every norm differs, nothing is "ver uiteen"
    source = Path(kwl_office.__file__).parent / "catalogues" / "voorbeeld.yaml"
    text = source.read_text(encoding="utf-8")
    assert "afwijking_spreiding: 2" in text
    own = tmp_path / "streng.yaml"
    own.write_text(text.replace("afwijking_spreiding: 2", "afwijking_spreiding: 1"),
                   encoding="utf-8")
    strict = load_catalogue(own)
    cons = _three_apart(strict)
    assert cons.overall.disagreements == len(cons.norms)
    lines = _lines(learning_report(cons, strict, tmp_path / "l.docx", today=TODAY))
    legend = _legend(lines)
    assert ("Verschillen van inzicht: normen waarover de beoordelaars een ander oordeel gaven "
            "(zoals ‘Voldoet’ tegenover ‘Voldoet deels’).") in legend
    assert "ver uiteen" not in "\n".join(lines) and "kleiner verschil" not in legend
    assert any(line.startswith("Bij deze normen gaven de beoordelaars een ander oordeel (zoals "
                               "‘Voldoet’ tegenover ‘Voldoet deels’).") for line in lines)


# --- F7: one auditor ---------------------------------------------------------------------------


def _one_ci(catalogue: Catalogue) -> Consolidation:
    first = next(iter(catalogue.norms())).id
    reviews = [_review(catalogue, Kind.SELF_EVALUATION, "", {}),
               _review(catalogue, Kind.AUDIT, "CI Enkel (fictief)", {first: "D"})]
    return consolidate(catalogue, Assessment(id="2026-031", host=HOST, variant=Variant.AUDIT),
                       reviews)


def test_an_audit_by_one_ci_speaks_of_the_reviewer_and_counts_no_differences(
        tmp_path: Path, catalogue: Catalogue) -> None:
    lines = _lines(audit_report(_one_ci(catalogue), catalogue, tmp_path / "a.docx",
                                today=TODAY))
    text = "\n".join(lines)
    assert "de beoordelaars" not in text.casefold()
    figures = lines.index("Kerncijfers")
    assert lines[figures + 1] == "Normen | Voldoet | Gemiddelde score"
    # no "Verschillen van inzicht 0" anywhere in a table: not overall, not per domain
    assert not any("Verschillen van inzicht" in line and " | " in line for line in lines)
    assert "Wat de beoordelaar als sterk zag, in eigen woorden." in lines
    assert "Bijlage: alle opmerkingen van de beoordelaar" in lines
    assert ("De toetsing had één beoordelaar (CI Enkel (fictief)); verschillen van inzicht "
            "tussen beoordelaars zijn er dan niet.") in lines


# --- F3: the previous assessment was another variant --------------------------------------------


def test_a_previous_peer_review_is_named_as_such_in_an_audit_report(
        tmp_path: Path, catalogue: Catalogue) -> None:
    current = example_consolidation(catalogue, Variant.AUDIT)
    previous = example_previous_consolidation(catalogue, Variant.PEER_REVIEW)
    comparison = compare(previous, current, catalogue=catalogue)
    lines = _lines(audit_report(current, catalogue, tmp_path / "a.docx", today=TODAY,
                                previous=comparison))
    assert any(line.startswith(
        "Deze toetsing is vergeleken met de vorige toetsing van de organisatie: toetsing "
        "2023-001 (een intercollegiale adviesmeting). ") for line in lines)
    # renamed as well: both in one parenthesis
    renamed = compare(previous.model_copy(update={"host": "Welzijn De Brug oud (fictief)"}),
                      current, catalogue=catalogue)
    lines = _lines(audit_report(current, catalogue, tmp_path / "b.docx", today=TODAY,
                                previous=renamed))
    assert any("toetsing 2023-001 (een intercollegiale adviesmeting, toen onder de naam "
               "Welzijn De Brug oud (fictief)). " in line for line in lines)


def test_the_same_variant_is_not_named_again(tmp_path: Path, catalogue: Catalogue) -> None:
    current = example_consolidation(catalogue, Variant.AUDIT)
    previous = example_previous_consolidation(catalogue, Variant.AUDIT)
    comparison = compare(previous, current, catalogue=catalogue)
    assert comparison.previous_variant is Variant.AUDIT
    lines = _lines(audit_report(current, catalogue, tmp_path / "a.docx", today=TODAY,
                                previous=comparison))
    assert any(line.startswith("Deze toetsing is vergeleken met de vorige toetsing van de "
                               "organisatie: toetsing 2023-002. ") for line in lines)


# --- F9 (rounds): the reassessment letter says its basis once ------------------------------------


def _reassessment_letter(tmp_path: Path, catalogue: Catalogue, decision: Decision,
                         cons: Consolidation) -> list[str]:
    org = Organisation(name=HOST, contact="mevrouw J. de Vries", address=("Postbus 1",))
    return _lines(letter(cons, catalogue, tmp_path / "brief.docx", decision=decision,
                         sender=EXAMPLE_SENDER, organisation=org, today=TODAY))


def test_the_reassessment_letter_names_the_assessment_once(tmp_path: Path,
                                                           catalogue: Catalogue) -> None:
    first = next(iter(catalogue.norms())).id
    cons = consolidate(catalogue, Assessment(id="2026-031", host=HOST, variant=Variant.AUDIT,
                                             scope="jongerenwerk"),
                       [_review(catalogue, Kind.AUDIT, "CI Enkel (fictief)", {first: "N"})])
    decision = decide(cons, catalogue, decided_on=TODAY, today=TODAY)
    assert decision.outcome is Advice.REASSESSMENT
    text = "\n".join(_reassessment_letter(tmp_path, catalogue, decision, cons))
    assert text.count("een externe audit") == 1
    assert ("nog niet worden toegekend. Dit besluit volgt dat advies.") in text
    # the committee departs from an advice: said once as well, with what the advice was
    departs = Decision(outcome=Advice.REASSESSMENT, advice=Advice.CERTIFICATE,
                       decided_on=TODAY)
    text = "\n".join(_reassessment_letter(tmp_path, catalogue, departs, cons))
    assert text.count("een externe audit") == 1
    assert ("Met dit besluit wijkt de beheercommissie af van dat advies; het luidde: "
            "certificaat.") in text


# --- F8: alfa that cannot be computed stays a short cell -----------------------------------------


def test_an_undefined_alfa_is_a_dash_with_its_reason_below(tmp_path: Path,
                                                           catalogue: Catalogue) -> None:
    # both reviewers rate Dienstverlening the same everywhere: no alfa there (no variation)
    service = {n.id for n in catalogue.domains[1].norms()}
    varied = [n.id for n in catalogue.norms() if n.id not in service][::3]
    reviews = [_review(catalogue, Kind.PEER, "Een (fictief)", dict.fromkeys(varied, "D")),
               _review(catalogue, Kind.PEER, "Twee (fictief)", {})]
    cons = consolidate(catalogue, Assessment(id="2026-031", host=HOST,
                                             variant=Variant.PEER_REVIEW), reviews)
    domain = catalogue.domains[1]
    assert cons.domains[domain.id].alpha is None
    lines = _lines(learning_report(cons, catalogue, tmp_path / "l.docx", today=TODAY))
    assert not any("niet te bepalen" in line and " | " in line for line in lines)
    row = next(line for line in lines if line.startswith(f"{domain.title} | "))
    assert row.endswith(" | –")
    assert any(f"Alfa bij {domain.title} is niet te bepalen (–), want alle oordelen waren "
               "gelijk." in line for line in lines)
    heading = lines.index(f"Domein {domain.title}")
    assert lines[heading + 2].split(" | ")[4] == "–"
    assert lines[heading + 3] == "Alfa is niet te bepalen (–), want alle oordelen waren gelijk."
