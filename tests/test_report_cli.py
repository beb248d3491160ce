"""``kwl report …`` and ``kwl templates …`` through the CLI; PDF in one LibreOffice run."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.documents.examples import example_context
from kwl_office.documents.pdf import convert_to_pdf
from kwl_office.documents.registry import DocumentKind
from kwl_office.documents.render import render_document
from kwl_office.documents.text import document_lines
from kwl_office.register import Register
from tests.helpers import HOST, ISSUE_DAY, fill, fill_all, generate

AUDITOR = "CI Certificering (fictief)"
#: the sender and signatory of the letters (a fictional secretariat)
SETTINGS = str(Path(__file__).parent / "data" / "afzender.yaml")


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


@pytest.fixture
def audit_dir(tmp_path: Path, catalogue: Catalogue, key_file: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    se = generate(folder / "zelf.xlsx", Kind.SELF_EVALUATION, issued_at=ISSUE_DAY)
    fill(se, {n.id: {"rating": "V", "comment_self": "Op orde."} for n in catalogue.norms()})
    audit = generate(folder / "audit.xlsx", Kind.AUDIT, reviewer=AUDITOR,
                     issued_at=ISSUE_DAY + timedelta(days=1))
    fill(audit, {n.id: {"rating": "V", "comment_review": f"Gezien: {n.id}"}
                 for n in catalogue.norms()})
    out = tmp_path / "consolidatie"
    result = run("consolidate", str(folder), "-o", str(out), "--key", str(key_file))
    assert result.exit_code == 0, result.output
    return out


def _number(output: str) -> str:
    found = re.search(r"KSW-\d{4}-\d{4}", output)
    assert found, output
    return found.group(0)


def test_audit_report_letter_and_certificate(tmp_path: Path, audit_dir: Path) -> None:
    report = tmp_path / "auditrapport.docx"
    assert run("report", "audit", str(audit_dir), "-o", str(report)).exit_code == 0
    assert HOST in "\n".join(document_lines(report))
    register = tmp_path / "register.sqlite"
    result = run("register", "add", str(audit_dir), "--decision-date", "2026-11-03",
                 "--register", str(register))
    assert result.exit_code == 0, result.output
    number = _number(result.output)
    brief = tmp_path / "brief.docx"
    result = run("report", "letter", str(audit_dir), "-o", str(brief), "--register",
                 str(register), "--decision-date", "2026-11-03", "--contact",
                 "mevrouw A. Jansen", "--address", "Postbus 1", "--address", "1234 AB Ergens",
                 "--settings", SETTINGS)
    assert result.exit_code == 0, result.output
    text = "\n".join(document_lines(brief))
    assert number in text and "mevrouw A. Jansen" in text and "Postbus 1" in text
    # the day the committee decided, and validity through the day before the anniversary
    assert "op 3 november 2026 heeft besloten" in text
    assert "2 november 2029" in text
    cert = tmp_path / "certificaat.docx"
    result = run("report", "certificate", str(audit_dir), "-o", str(cert), "--register",
                 str(register), "--settings", SETTINGS)
    assert result.exit_code == 0, result.output
    assert number in "\n".join(document_lines(cert))


def test_a_decision_day_still_to_come_is_refused(tmp_path: Path, audit_dir: Path) -> None:
    # a letter dated today must not say the committee decided on a day still to come
    later = (date.today() + timedelta(days=5)).isoformat()
    register = tmp_path / "register.sqlite"
    result = run("register", "add", str(audit_dir), "--decision-date", later,
                 "--register", str(register))
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert not register.exists()
    assert run("register", "add", str(audit_dir), "--register", str(register)).exit_code == 0
    brief = tmp_path / "brief.docx"
    result = run("report", "letter", str(audit_dir), "-o", str(brief), "--register",
                 str(register), "--decision-date", later, "--settings", SETTINGS)
    assert result.exit_code == 2 and not brief.exists(), result.output


def test_a_decision_day_before_the_advice_existed_is_refused(tmp_path: Path,
                                                             audit_dir: Path) -> None:
    # the audit workbook was issued the day after the self-evaluation: a decision on the
    # advice that rests on both cannot lie before it (a typo of the day or the year)
    register = tmp_path / "register.sqlite"
    for day in ("2020-11-03", ISSUE_DAY.date().isoformat()):
        result = run("register", "add", str(audit_dir), "--decision-date", day,
                     "--register", str(register))
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output
        assert "besluitdatum" in result.output and not register.exists()
    first_possible = (ISSUE_DAY + timedelta(days=1)).date()
    result = run("register", "add", str(audit_dir), "--decision-date",
                 first_possible.isoformat(), "--register", str(register))
    assert result.exit_code == 0, result.output
    with Register(register) as opened:
        assert [e.granted_on for e in opened.entries()] == [first_possible]
    brief = tmp_path / "brief.docx"
    result = run("report", "letter", str(audit_dir), "-o", str(brief), "--register",
                 str(register), "--decision-date", "2026-11-01", "--settings", SETTINGS)
    assert result.exit_code == 2 and not brief.exists(), result.output


def test_no_certificate_or_granting_letter_without_a_register_number(
        tmp_path: Path, audit_dir: Path) -> None:
    register = tmp_path / "register.sqlite"
    for command in ("certificate", "letter"):
        out = tmp_path / f"{command}.docx"
        result = run("report", command, str(audit_dir), "-o", str(out),
                     "--register", str(register), "--settings", SETTINGS)
        assert result.exit_code == 2 and not out.exists(), result.output
        assert "Traceback" not in result.output
    run("register", "add", str(audit_dir), "--register", str(register))
    result = run("report", "certificate", str(audit_dir), "-o", str(tmp_path / "c.docx"),
                 "--register", str(register), "--settings", SETTINGS)
    assert result.exit_code == 0, result.output


def test_a_letter_without_decision_date_names_no_decision_day(
        tmp_path: Path, audit_dir: Path) -> None:
    register = tmp_path / "register.sqlite"
    run("register", "add", str(audit_dir), "--register", str(register))
    brief = tmp_path / "brief.docx"
    result = run("report", "letter", str(audit_dir), "-o", str(brief), "--register",
                 str(register), "--settings", SETTINGS)
    assert result.exit_code == 0, result.output
    text = "\n".join(document_lines(brief))
    assert "de beheercommissie van het Kwaliteitslabel Sociaal Werk heeft besloten" in text


def test_a_withdrawn_entry_gets_no_new_letter(tmp_path: Path, audit_dir: Path) -> None:
    register = tmp_path / "register.sqlite"
    number = _number(run("register", "add", str(audit_dir), "--register",
                         str(register)).output)
    assert run("register", "withdraw", number, "--register", str(register)).exit_code == 0
    result = run("report", "certificate", str(audit_dir), "-o", str(tmp_path / "c.docx"),
                 "--register", str(register), "--settings", SETTINGS)
    assert result.exit_code == 2 and not (tmp_path / "c.docx").exists()


def test_adding_a_refusal_names_it_and_the_entry_that_stays(tmp_path: Path,
                                                             audit_dir: Path) -> None:
    register = tmp_path / "register.sqlite"
    number = _number(run("register", "add", str(audit_dir), "--register",
                         str(register)).output)
    result = run("register", "add", str(audit_dir), "--decision", "afwijzen",
                 "--register", str(register))
    # refused usage, like the other refusals of register add: "kwl: …", one line, exit 2
    assert result.exit_code == 2, result.output
    assert result.output.startswith("kwl: ") and result.output.count("\n") == 1
    # the message is the defect: the decision as given, and how to undo the entry that stays
    assert "'afwijzen'" in result.output and "herbeoordeling" not in result.output
    assert f"kwl register withdraw {number}" in result.output
    with Register(register) as opened:
        assert [(e.number, e.status.value) for e in opened.entries()] == [(number, "actief")]
    # once withdrawn there is nothing to undo: the command is not suggested again
    assert run("register", "withdraw", number, "--register", str(register)).exit_code == 0
    result = run("register", "add", str(audit_dir), "--decision", "afwijzen",
                 "--register", str(register))
    assert result.exit_code == 2 and "kwl register withdraw" not in result.output


def test_adding_a_refusal_creates_no_register(tmp_path: Path, audit_dir: Path) -> None:
    register = tmp_path / "register.sqlite"
    result = run("register", "add", str(audit_dir), "--decision", "afwijzen",
                 "--register", str(register))
    assert result.exit_code == 2 and result.output.startswith("kwl: "), result.output
    assert not register.exists()


@pytest.fixture
def failing_audit_dir(tmp_path: Path, catalogue: Catalogue, key_file: Path) -> Path:
    """An audit whose advice is herbeoordeling (one norm voldoet niet)."""
    folder = tmp_path / "in-herbeoordeling"
    folder.mkdir()
    fill_all(generate(folder / "zelf.xlsx", Kind.SELF_EVALUATION), catalogue)
    audit = fill_all(generate(folder / "audit.xlsx", Kind.AUDIT, reviewer=AUDITOR), catalogue)
    fill(audit, {"V1.1": {"rating": "N"}})
    out = tmp_path / "consolidatie-herbeoordeling"
    assert run("consolidate", str(folder), "-o", str(out), "--key",
               str(key_file)).exit_code == 0
    return out


def test_a_decision_against_the_advice_says_so(tmp_path: Path, failing_audit_dir: Path) -> None:
    register = tmp_path / "register.sqlite"
    assert run("register", "add", str(failing_audit_dir), "--register",
               str(register)).exit_code != 0  # the advice is herbeoordeling: nothing to add
    result = run("register", "add", str(failing_audit_dir), "--decision", "toekennen",
                 "--register", str(register))
    assert result.exit_code == 0, result.output
    brief = tmp_path / "brief.docx"
    result = run("report", "letter", str(failing_audit_dir), "-o", str(brief), "--decision",
                 "toekennen", "--register", str(register), "--settings", SETTINGS)
    assert result.exit_code == 0, result.output
    text = "\n".join(document_lines(brief))
    departs = T.DOC_DECISION_DEPARTS.split("{")[0]
    follows = T.DOC_DECISION_FOLLOWS.split("{")[0]
    assert departs in text and follows not in text


@pytest.mark.parametrize(("command", "fixture"), [("learning", "audit_dir")])
def test_a_report_must_fit_the_variant(tmp_path: Path, command: str, fixture: str,
                                       request: pytest.FixtureRequest) -> None:
    source = request.getfixturevalue(fixture)
    out = tmp_path / "rapport.docx"
    result = run("report", command, str(source), "-o", str(out))
    assert result.exit_code == 2 and not out.exists()
    assert "kwl report audit" in result.output


def test_rejection_gives_the_reassessment_letter(tmp_path: Path, audit_dir: Path) -> None:
    brief = tmp_path / "brief.docx"
    result = run("report", "letter", str(audit_dir), "-o", str(brief), "--decision",
                 "afwijzen", "--settings", SETTINGS)
    assert result.exit_code == 0, result.output
    # the reassessment letter carries the next step; the others do not
    # (a decision against a certificate advice: no blocking norms, the report's points)
    next_step = T.DOC_REASSESSMENT_NEXT_STEP.format(norms=T.DOC_NEXT_STEP_NORMS[0])
    assert next_step in "\n".join(document_lines(brief))
    result = run("report", "certificate", str(audit_dir), "-o", str(tmp_path / "c.docx"),
                 "--decision", "afwijzen", "--settings", SETTINGS)
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


@pytest.mark.soffice
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
