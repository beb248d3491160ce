"""Word documents: golden text, one organisation per document, hostile text, templates check."""

from __future__ import annotations

import io
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from PIL import Image

from kwl_office.assessment import (
    Assessment,
    Identity,
    Kind,
    NormResponse,
    Organisation,
    Submission,
    Variant,
)
from kwl_office.catalogue import Catalogue
from kwl_office.consolidation.model import Consolidation
from kwl_office.consolidation.rules import consolidate
from kwl_office.documents.charts import OWN_COLOUR, counts_chart, fit, gap_chart, text_width
from kwl_office.documents.context import draw_charts
from kwl_office.documents.examples import EXAMPLE_SENDER, example_context
from kwl_office.documents.produce import (
    audit_report,
    certificate,
    decide,
    feedback_report,
    learning_report,
    letter,
)
from kwl_office.documents.registry import DocumentKind
from kwl_office.documents.render import render_document, shipped_templates
from kwl_office.documents.templates import check_templates
from kwl_office.documents.text import document_lines

GOLDEN = Path(__file__).parent / "data" / "golden"
TODAY = date(2026, 11, 28)


@pytest.mark.parametrize("kind", list(DocumentKind), ids=[k.value for k in DocumentKind])
def test_golden_text(tmp_path: Path, catalogue: Catalogue, kind: DocumentKind) -> None:
    """The rendered example matches the reviewed text; KWL_UPDATE_GOLDEN=1 rewrites it."""
    out = render_document(kind, example_context(kind, catalogue), tmp_path / f"{kind}.docx")
    lines = document_lines(out)
    golden = GOLDEN / f"{kind.value}.txt"
    if os.environ.get("KWL_UPDATE_GOLDEN") == "1":
        golden.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = golden.read_text(encoding="utf-8").splitlines()
    assert lines == expected


def _submission(catalogue: Catalogue, kind: Kind, host: str, reviewer: str, marker: str,
                codes: str, assessment_id: str) -> Submission:
    identity = Identity(
        layout_version=1, kind=kind, workbook_id=f"{marker}-{reviewer}",
        assessment_id=assessment_id, host=host, reviewer=reviewer, catalogue_id=catalogue.id,
        catalogue_version=catalogue.version, catalogue_fingerprint=catalogue.fingerprint,
        issued_at="2026-10-01T09:00:00+00:00", tool_version="test", signature="x")
    responses = {}
    for i, norm in enumerate(catalogue.norms()):
        code = codes[i % len(codes)]
        responses[norm.id] = NormResponse(
            rating=code, comment=f"Bevinding {marker} bij {norm.id}",
            strengths=f"Sterk {marker}" if i % 4 == 0 else None,
            learning_points=f"Leerpunt {marker}" if code != "V" else None,
            evidence=f"Bewijs {marker}" if kind is Kind.SELF_EVALUATION else None,
            accent=(i % 5 == 0) if kind is Kind.SELF_EVALUATION else None)
    return Submission(file=f"{marker}-{reviewer}.xlsx", identity=identity, responses=responses)


def _organisation_case(catalogue: Catalogue, marker: str, variant: Variant,
                       codes: str) -> tuple[Consolidation, Organisation, Submission]:
    host = f"Stichting {marker} (fictief)"
    reviewers = [f"Beoordelaar {marker} een", f"Beoordelaar {marker} twee"]
    kind = Kind.AUDIT if variant.is_audit else Kind.PEER
    assessment_id = f"2026-{marker}"
    selfeval = _submission(catalogue, Kind.SELF_EVALUATION, host, "", marker, "VVD",
                           assessment_id)
    subs = [selfeval] + [_submission(catalogue, kind, host, r, marker, codes, assessment_id)
                         for r in reviewers]
    result = consolidate(catalogue, Assessment(id=assessment_id, host=host, variant=variant),
                         subs)
    org = Organisation(name=host, contact=f"Contact {marker}", address=(f"Straat {marker} 1",))
    return result, org, selfeval


def _all_documents(tmp_path: Path, catalogue: Catalogue, marker: str, variant: Variant,
                   codes: str) -> list[Path]:
    cons, org, selfeval = _organisation_case(catalogue, marker, variant, codes)
    charts = draw_charts(cons, catalogue)
    folder = tmp_path / marker
    report = audit_report if variant.is_audit else learning_report
    paths = [
        report(cons, catalogue, folder / "rapport.docx", organisation=org, charts=charts,
               today=TODAY),
        feedback_report(selfeval, catalogue, folder / "feedback.docx", organisation=org,
                        today=TODAY),
    ]
    decision = decide(cons, catalogue, today=TODAY)
    decision.number = f"KSW-{marker}"  # as the register would give it
    paths.append(letter(cons, catalogue, folder / "brief.docx", decision=decision,
                        sender=EXAMPLE_SENDER, organisation=org, today=TODAY))
    if variant.is_audit:
        paths.append(certificate(cons, catalogue, folder / "certificaat.docx",
                                 decision=decision, sender=EXAMPLE_SENDER, organisation=org,
                                 today=TODAY))
    return paths


@pytest.mark.parametrize("variant", [Variant.PEER_REVIEW, Variant.AUDIT])
def test_each_document_holds_only_its_own_organisation(
        tmp_path: Path, catalogue: Catalogue, variant: Variant) -> None:
    docs = {marker: _all_documents(tmp_path, catalogue, marker, variant, codes)
            for marker, codes in (("ALFA", "VVVV"), ("BETA", "VVDV"))}
    for marker, paths in docs.items():
        other = "BETA" if marker == "ALFA" else "ALFA"
        for path in paths:
            text = "\n".join(document_lines(path))
            assert f"Stichting {marker} (fictief)" in text, path
            assert other not in text, path


def test_hostile_text_renders_literally(tmp_path: Path, catalogue: Catalogue) -> None:
    cons, org, _ = _organisation_case(catalogue, "GAMMA", Variant.PEER_REVIEW, "VDVN")
    long_text = "Lang " + "ééé 😀 " * 800  # about 5,600 characters
    hostile = "<b>vet</b> & {{ organisatie.naam }} {% if x %} \x01\x0b einde 🙂"
    first = next(iter(cons.norms.values()))
    first.responses[0] = first.responses[0].model_copy(
        update={"comment": hostile, "strengths": "Regel een\nRegel twee",
                "learning_points": long_text})
    out = learning_report(cons, catalogue, tmp_path / "r.docx", organisation=org, today=TODAY)
    text = "\n".join(document_lines(out))
    assert "<b>vet</b> & {{ organisatie.naam }} {% if x %}  einde 🙂" in text
    assert long_text.strip() in text
    xml = Document(str(out)).element.xml
    assert "Regel een" in xml and "Regel twee" in xml


def test_charts_are_deterministic(catalogue: Catalogue) -> None:
    groups = [("Vakmanschap", {"V": 10, "D": 4, "N": 2}), ("Dienstverlening", {"V": 16})]
    first = counts_chart(groups, catalogue.scale)
    assert first.png == counts_chart(groups, catalogue.scale).png
    assert first.png.startswith(b"\x89PNG")
    assert counts_chart(groups[:1], catalogue.scale).png != first.png


def test_long_chart_labels_are_shortened_to_fit() -> None:
    name = "Een heel erg lange naam van een kwaliteitswaarde die nooit op de regel past"
    assert fit("Kort", 8, 2.0) == "Kort"
    short = fit(name, 8, 2.0)
    assert short.endswith("…") and name.startswith(short[:-1])
    assert text_width(short, 8) <= 2.0 < text_width(name, 8)


def test_gap_chart_shows_a_missing_mean_as_no_bar() -> None:
    """A domain nobody rated has no mean: drawn as a dash, not as a bar of 0,00."""
    def chart(own: float | None) -> bytes:
        return gap_chart([("Vakmanschap", own, 1.5)], self_label="eigen", peer_label="peer",
                         max_score=2).png
    own = tuple(int(OWN_COLOUR[i:i + 2], 16) for i in (1, 3, 5))

    def own_pixels(png: bytes) -> int:
        colours = Image.open(io.BytesIO(png)).convert("RGB").getcolors(1 << 20) or []
        return sum(count for count, colour in colours if colour == own)

    swatch = own_pixels(chart(None))  # only the legend's swatch has the colour
    assert 0 < swatch < own_pixels(chart(0.75)) < own_pixels(chart(1.5))
    assert chart(None) != chart(0.0)


def test_shipped_templates_pass_the_check(catalogue: Catalogue) -> None:
    report = check_templates(catalogue)
    assert report.errors == [], [f.message for f in report.errors]


def _append_paragraph(path: Path, text: str) -> None:
    document = Document(str(path))
    document.add_paragraph(text)
    document.save(str(path))


def test_unknown_field_is_named_with_its_template(tmp_path: Path, catalogue: Catalogue) -> None:
    own = tmp_path / "sjablonen"
    own.mkdir()
    shutil.copy(shipped_templates() / "registratiebrief.docx", own)
    _append_paragraph(own / "registratiebrief.docx", "Telefoon: {{ organisatie.telefoon }}")
    shutil.copy(shipped_templates() / "leerrapport.docx", own)
    _append_paragraph(own / "leerrapport.docx", "{{ handtekening }}")
    report = check_templates(catalogue, own)
    found = {(f.code, f.file, f.message) for f in report.errors}
    assert any(code == "template-unknown-field" and file == "registratiebrief.docx"
               and "telefoon" in msg for code, file, msg in found), found
    assert any(code == "template-unknown-field" and file == "leerrapport.docx"
               and "handtekening" in msg for code, file, msg in found), found


def test_broken_tag_is_reported(tmp_path: Path, catalogue: Catalogue) -> None:
    own = tmp_path / "sjablonen"
    own.mkdir()
    shutil.copy(shipped_templates() / "certificaatbrief.docx", own)
    _append_paragraph(own / "certificaatbrief.docx", "{{ organisatie.naam }")
    report = check_templates(catalogue, own)
    assert ("template-syntax", "certificaatbrief.docx") in report.flatten(("code", "file"))


def test_own_template_overrides_file_by_file(tmp_path: Path, catalogue: Catalogue) -> None:
    own = tmp_path / "sjablonen"
    own.mkdir()
    shutil.copy(shipped_templates() / "registratiebrief.docx", own)
    _append_paragraph(own / "registratiebrief.docx", "Eigen slotzin van het secretariaat.")
    kind = DocumentKind.REGISTRATION_LETTER
    ours = render_document(kind, example_context(kind, catalogue), tmp_path / "a.docx",
                           templates=own)
    assert "Eigen slotzin van het secretariaat." in document_lines(ours)
    kind = DocumentKind.CERTIFICATE_LETTER  # not in the own folder: the shipped one
    shipped = render_document(kind, example_context(kind, catalogue), tmp_path / "b.docx",
                              templates=own)
    assert "Eigen slotzin van het secretariaat." not in document_lines(shipped)
