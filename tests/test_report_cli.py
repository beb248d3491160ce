"""``kwl report …`` and ``kwl templates …`` through the CLI; PDF in one LibreOffice run."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.documents.examples import example_context
from kwl_office.documents.pdf import convert_to_pdf
from kwl_office.documents.render import DocumentKind, render_document
from kwl_office.documents.text import document_lines
from tests.helpers import HOST, fill, generate, soffice

AUDITOR = "CI Certificering (fictief)"


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


@pytest.fixture
def audit_dir(tmp_path: Path, catalogue: Catalogue, key_file: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    se = generate(folder / "zelf.xlsx", Kind.SELF_EVALUATION)
    fill(se, {n.id: {"rating": "V", "comment_self": "Op orde."} for n in catalogue.norms()})
    audit = generate(folder / "audit.xlsx", Kind.AUDIT, reviewer=AUDITOR)
    fill(audit, {n.id: {"rating": "V", "comment_review": f"Gezien: {n.id}"}
                 for n in catalogue.norms()})
    out = tmp_path / "consolidatie"
    result = run("consolidate", str(folder), "-o", str(out), "--key", str(key_file))
    assert result.exit_code == 0, result.output
    return out


def test_audit_report_letter_and_certificate(tmp_path: Path, audit_dir: Path) -> None:
    report = tmp_path / "auditrapport.docx"
    assert run("report", "audit", str(audit_dir), "-o", str(report)).exit_code == 0
    assert HOST in "\n".join(document_lines(report))
    brief = tmp_path / "brief.docx"
    result = run("report", "letter", str(audit_dir), "-o", str(brief), "--number",
                 "KSW-2026-0042", "--contact", "mevrouw A. Jansen", "--address", "Postbus 1",
                 "--address", "1234 AB Ergens")
    assert result.exit_code == 0, result.output
    text = "\n".join(document_lines(brief))
    assert "KSW-2026-0042" in text and "mevrouw A. Jansen" in text and "Postbus 1" in text
    cert = tmp_path / "certificaat.docx"
    result = run("report", "certificate", str(audit_dir), "-o", str(cert), "--number",
                 "KSW-2026-0042")
    assert result.exit_code == 0, result.output
    assert "KSW-2026-0042" in "\n".join(document_lines(cert))


def test_rejection_gives_the_reassessment_letter(tmp_path: Path, audit_dir: Path) -> None:
    brief = tmp_path / "brief.docx"
    result = run("report", "letter", str(audit_dir), "-o", str(brief), "--decision",
                 "afwijzen")
    assert result.exit_code == 0, result.output
    # the reassessment letter carries the next step; the others do not
    assert T.DOC_REASSESSMENT_NEXT_STEP in "\n".join(document_lines(brief))
    result = run("report", "certificate", str(audit_dir), "-o", str(tmp_path / "c.docx"),
                 "--decision", "afwijzen")
    assert result.exit_code == 2 and not (tmp_path / "c.docx").exists()


def test_feedback_from_a_filled_self_evaluation(tmp_path: Path, catalogue: Catalogue,
                                                key_file: Path) -> None:
    se = generate(tmp_path / "zelf.xlsx", Kind.SELF_EVALUATION)
    answers = {n.id: {"rating": "D", "accent": "ja", "comment_self": "Bijna."}
               for n in list(catalogue.norms())[:5]}
    fill(se, answers)
    out = tmp_path / "feedback.docx"
    result = run("report", "feedback", str(se), "-o", str(out), "--key", str(key_file))
    assert result.exit_code == 0, result.output
    assert HOST in "\n".join(document_lines(out))


def test_learning_report_needs_a_consolidation(tmp_path: Path) -> None:
    empty = tmp_path / "leeg"
    empty.mkdir()
    result = run("report", "learning", str(empty), "-o", str(tmp_path / "r.docx"))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_pdf_without_libreoffice_keeps_the_docx(tmp_path: Path, audit_dir: Path) -> None:
    bare = tmp_path / "geen-programmas"
    bare.mkdir()
    out = tmp_path / "rapport.docx"
    result = run("report", "audit", str(audit_dir), "-o", str(out), "--pdf",
                 env={"PATH": str(bare)})
    assert result.exit_code == 1
    assert out.exists() and not out.with_suffix(".pdf").exists()
    assert "LibreOffice" in result.output


def test_templates_context_and_check() -> None:
    result = run("templates", "context", "leerrapport")
    assert result.exit_code == 0
    assert "organisatie.naam" in result.output and "domeinen" in result.output
    result = run("templates", "check")
    assert result.exit_code == 0, result.output


needs_soffice = pytest.mark.skipif(
    soffice() is None and os.environ.get("KWL_REQUIRE_SOFFICE") != "1",
    reason="LibreOffice (soffice) is not on PATH")


@needs_soffice
def test_every_document_converts_to_pdf_in_one_run(tmp_path: Path,
                                                   catalogue: Catalogue) -> None:
    docs = [render_document(kind, example_context(kind, catalogue), tmp_path / f"{kind}.docx")
            for kind in DocumentKind]
    pdfs = convert_to_pdf(docs)
    assert [p.name for p in pdfs] == [f"{kind}.pdf" for kind in DocumentKind]
    for pdf in pdfs:
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and _pages(data) >= 1
    assert _pages((tmp_path / "certificaat.pdf").read_bytes()) == 1  # one page


def _pages(pdf: bytes) -> int:
    """Page count from the PDF's page tree (LibreOffice writes /Count in the /Pages node)."""
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages.*?/Count\s+(\d+)", pdf, re.S)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+).*?/Type\s*/Pages", pdf, re.S)]
    return max(counts, default=0)
