"""What people see in the Word documents (issue 13): tables, letters, wording, templates check.

The fast tests read the rendered ``.docx``; the ``soffice`` test renders every document kind
(and letters that grow over a page boundary) through LibreOffice in one run and checks the
pages themselves: no header word broken, no signature without its letter, no table header
alone at the bottom of a page.
"""

from __future__ import annotations

import copy
import html
import json
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from matplotlib.font_manager import FontProperties, findfont, get_font

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office.assessment import (
    Assessment,
    Identity,
    Kind,
    NormResponse,
    Organisation,
    Submission,
    Variant,
)
from kwl_office.batch.folder import RoundFolder
from kwl_office.batch.report import STATE_NAME
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.consolidation.model import Advice, Consolidation, Override
from kwl_office.consolidation.rules import consolidate
from kwl_office.documents.examples import EXAMPLE_SENDER, example_context
from kwl_office.documents.pdf import convert_to_pdf
from kwl_office.documents.produce import (
    audit_report,
    certificate,
    decide,
    learning_report,
    letter,
)
from kwl_office.documents.registry import DocumentKind
from kwl_office.documents.render import render_document, shipped_templates
from kwl_office.documents.sender import LetterSettings, SettingsMissing, Signatory
from kwl_office.documents.templates import check_templates
from kwl_office.documents.text import document_lines
from tests.helpers import hand_in, make_round, row

TODAY = date(2026, 11, 28)
CLOSING = "Met vriendelijke groet,"
LETTERS = (DocumentKind.REGISTRATION_LETTER, DocumentKind.CERTIFICATE_LETTER,
           DocumentKind.REASSESSMENT_LETTER)


# --- the salutation ---------------------------------------------------------------------------


@pytest.mark.parametrize(("contact", "expected"), [
    ("mevrouw J. de Vries", "Geachte mevrouw De Vries,"),
    ("Mevrouw J. de Vries", "Geachte mevrouw De Vries,"),
    ("mevr. A. van der Berg", "Geachte mevrouw Van der Berg,"),
    ("mw. K. ter Horst", "Geachte mevrouw Ter Horst,"),
    ("de heer P. van den Berg", "Geachte heer Van den Berg,"),
    ("De heer P. van den Berg", "Geachte heer Van den Berg,"),
    ("heer J. van Dijk", "Geachte heer Van Dijk,"),
    ("dhr. T. in 't Veld", "Geachte heer In 't Veld,"),
    ("dhr T. van 't Hek", "Geachte heer Van 't Hek,"),
    ("mevrouw 't Hart", "Geachte mevrouw 't Hart,"),
    ("de heer K. Yilmaz", "Geachte heer Yilmaz,"),
    ("mevrouw Kim de Vries", "Geachte mevrouw De Vries,"),
    ("mevrouw A. Jansen-van der Berg", "Geachte mevrouw Jansen-van der Berg,"),
    ("mevrouw A. van der Berg-Jansen", "Geachte mevrouw Van der Berg-Jansen,"),
    ("mw. J. Bakker-de Wit", "Geachte mevrouw Bakker-de Wit,"),
    ("mevrouw dr. J.P. de Vries", "Geachte mevrouw De Vries,"),
    ("Mevrouw drs. E. Bakker MSc", "Geachte mevrouw Bakker,"),
    ("  mevrouw   J.  de   Vries ", "Geachte mevrouw De Vries,"),
    ("t.a.v. mevrouw J. de Vries", "Geachte mevrouw De Vries,"),
    ("de heer J. Van Dam", "Geachte heer Van Dam,"),
    ("Kim de Vries", "Geachte Kim de Vries,"),
    ("J. de Vries", "Geachte J. de Vries,"),
    ("Dr. J. de Vries", "Geachte J. de Vries,"),
    ("  Kim   de Vries  ", "Geachte Kim de Vries,"),
    ("", "Geachte directie,"),
    ("   ", "Geachte directie,"),
])
def test_salutation_follows_the_dutch_convention(contact: str, expected: str) -> None:
    assert dutch.salutation(contact) == expected


def test_a_letter_greets_the_contact_by_surname(tmp_path: Path, catalogue: Catalogue) -> None:
    cons = _audit(catalogue, {})
    for contact, expected in (("mevrouw J. de Vries", "Geachte mevrouw De Vries,"),
                              ("", dutch.NO_CONTACT_SALUTATION)):
        org = Organisation(name=cons.host, contact=contact, address=("Postbus 1",))
        out = _letter(tmp_path / "brief.docx", cons, catalogue, org)
        assert expected in document_lines(out)


# --- sender and signatory ---------------------------------------------------------------------


def test_missing_settings_are_named_one_by_one() -> None:
    empty = LetterSettings()
    assert empty.missing(letter=False) == ["ondertekenaar.naam", "ondertekenaar.functie"]
    assert empty.missing(letter=True) == [
        "secretariaat.naam", "secretariaat.adres", T.DOC_SETTING_PHONE_OR_MAIL,
        "ondertekenaar.naam", "ondertekenaar.functie"]
    assert EXAMPLE_SENDER.missing(letter=True) == []
    no_phone = EXAMPLE_SENDER.model_copy(update={"secretariaat": EXAMPLE_SENDER.secretariaat
                                                 .model_copy(update={"telefoon": ""})})
    assert no_phone.missing(letter=True) == []  # the e-mail address is enough


def test_address_may_be_one_text_with_semicolons() -> None:
    settings = LetterSettings.model_validate({"secretariaat": {"adres": "Postbus 1; 1234 AB X"}})
    assert settings.secretariaat.address_lines == ["Postbus 1", "1234 AB X"]


@pytest.mark.parametrize("kind", ["letter", "certificate"])
def test_no_letter_or_certificate_without_a_signatory(tmp_path: Path, catalogue: Catalogue,
                                                     kind: str) -> None:
    cons = _audit(catalogue, {})
    decision = decide(cons, catalogue, today=TODAY)
    decision.number = "KSW-2026-0001"
    unsigned = EXAMPLE_SENDER.model_copy(update={"ondertekenaar": Signatory()})
    out = tmp_path / f"{kind}.docx"
    make = letter if kind == "letter" else certificate
    with pytest.raises(SettingsMissing) as caught:
        make(cons, catalogue, out, decision=decision, sender=unsigned, today=TODAY)
    assert caught.value.missing == ["ondertekenaar.naam", "ondertekenaar.functie"]
    assert "ondertekenaar.naam" in str(caught.value) and "\n" not in str(caught.value)
    assert not out.exists()


def test_the_command_line_refuses_an_unsigned_letter_in_one_line(
        tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "consolidatie"
    folder.mkdir()
    (folder / "consolidation.json").write_text(
        json.dumps(_audit(catalogue, {"V1.1": "N"}).to_json()), encoding="utf-8")
    settings = tmp_path / "afzender.yaml"
    data = EXAMPLE_SENDER.model_dump()
    data["ondertekenaar"]["functie"] = ""
    settings.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "brief.docx"
    result = CliRunner().invoke(main, ["report", "letter", str(folder), "-o", str(out),
                                       "--settings", str(settings)])
    assert result.exit_code == 2 and not out.exists(), result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "ondertekenaar.functie" in result.output and str(settings) in result.output
    # without any settings file (and not in a round folder) it says which option gives them
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["report", "letter", str(folder), "-o", str(out)])
    assert result.exit_code == 2 and "--settings" in result.output


def test_a_round_letter_waits_for_its_signatory(tmp_path: Path, catalogue: Catalogue) -> None:
    folder = make_round(tmp_path / "ronde", [row("2026-001", "Organisatie 1 (fictief)",
                                                 "audit", ci="CI 1 (fictief)")])
    config = yaml.safe_load(folder.config_path.read_text(encoding="utf-8"))
    config["ondertekenaar"] = {"naam": "", "functie": ""}
    folder.config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    run = CliRunner().invoke
    assert run(main, ["round", "issue", str(folder.root)]).exit_code == 0
    hand_in(folder, catalogue)
    result = run(main, ["round", "run", str(folder.root)])
    assert result.exit_code == 0, result.output
    out = folder.assessment_output("2026-001")
    assert (out / "auditrapport.docx").exists()  # the report is made all the same
    assert not (out / "brief.docx").exists() and not (out / "certificaat.docx").exists()
    assert "ondertekenaar.naam" in result.output
    assert "ondertekenaar.naam" in run(main, ["round", "status", str(folder.root)]).output
    # once the secretariat fills in the signatory, the next run makes the letter
    config["ondertekenaar"] = EXAMPLE_SENDER.ondertekenaar.model_dump()
    folder.config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    result = run(main, ["round", "run", str(folder.root)])
    assert result.exit_code == 0, result.output
    assert (out / "brief.docx").exists() and (out / "certificaat.docx").exists()
    assert EXAMPLE_SENDER.ondertekenaar.naam in document_lines(out / "brief.docx")
    assert (out / STATE_NAME).exists()
    assert "ondertekenaar" not in run(main, ["round", "status", str(folder.root)]).output


def test_round_init_writes_the_letter_settings(tmp_path: Path) -> None:
    root = tmp_path / "ronde"
    assert CliRunner().invoke(main, ["round", "init", str(root)]).exit_code == 0
    config = RoundFolder(root).config()
    assert config.letter_settings().missing(letter=True)  # empty: to be filled in
    text = (root / "ronde.yaml").read_text(encoding="utf-8")
    assert "secretariaat:" in text and "ondertekenaar:" in text


# --- the reassessment letter explains the rule with its figures -------------------------------


def test_reassessment_letter_explains_the_partly_rule(tmp_path: Path,
                                                      catalogue: Catalogue) -> None:
    domain = catalogue.domains[1]
    norms = [n.id for n in domain.norms()]
    partly = norms[:6]
    cons = _audit(catalogue, dict.fromkeys(partly, "D"))
    assert cons.advice is Advice.REASSESSMENT
    text = "\n".join(document_lines(_letter(tmp_path / "brief.docx", cons, catalogue)))
    label = next(lv.label for lv in catalogue.scale if lv.role.value == "deels")
    expected = T.DOC_REASON_PARTLY.format(
        domain=domain.title, have="hebben", count=len(partly),
        total=T.DOC_REASON_ALL_NORMS.format(count=len(norms)), label=label,
        share=f"{len(partly) / len(norms) * 100:.0f}%",
        limit=f"{catalogue.policy.max_partly_share * 100:.0f}%")
    assert expected in text
    assert all(norm in text for norm in partly)


def test_reassessment_letter_names_the_norms_that_are_not_met(tmp_path: Path,
                                                              catalogue: Catalogue) -> None:
    cons = _audit(catalogue, {"V1.1": "N"})
    text = "\n".join(document_lines(_letter(tmp_path / "brief.docx", cons, catalogue)))
    assert "1 norm heeft het oordeel" in text and "(V1.1)" in text
    assert T.DOC_NEXT_STEP_NORMS[1] in text  # "de genoemde norm", not "normen"


# --- tables: sized to their headers, rows kept together ---------------------------------------


def _header_rows(table: Table) -> list[list[str]]:
    rows = []
    for tr in table._tbl.tr_lst:
        if tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None:
            rows.append(["".join(t.text or "" for t in tc.iter(qn("w:t")))
                         for tc in tr.tc_lst])
    return rows


def _bold_width_mm(word: str, size: float = 9.0) -> float:
    font = get_font(findfont(FontProperties(family="DejaVu Sans", weight="bold")))
    font.set_size(size, 72)
    font.set_text(word, 0.0)
    return font.get_width_height()[0] / 64 / 72 * 25.4


@pytest.mark.parametrize("kind", list(DocumentKind), ids=[k.value for k in DocumentKind])
def test_shipped_tables_have_fixed_widths_that_fit_their_headers(kind: DocumentKind) -> None:
    document = Document(str(shipped_templates() / f"{kind.value}.docx"))
    for table in document.tables:
        headers = _header_rows(table)
        if not headers:
            continue
        layout = table._tbl.tblPr.find(qn("w:tblLayout"))
        assert layout is not None and layout.get(qn("w:type")) == "fixed"
        grid = [int(c.get(qn("w:w"))) / 1440 * 25.4 for c in table._tbl.tblGrid.gridCol_lst]
        for cells in headers:
            for text, width in zip(cells, grid, strict=False):
                words = [w for w in re.sub(r"\{[{%].*?[%}]\}", " ", text).split()]
                for word in words:  # the cell margins take 3.2 mm of every column
                    assert _bold_width_mm(word) <= width - 3.2, (kind.value, word, width)


def test_rendered_tables_keep_their_first_and_last_rows_together(
        tmp_path: Path, catalogue: Catalogue) -> None:
    kind = DocumentKind.LEARNING_REPORT
    out = render_document(kind, example_context(kind, catalogue), tmp_path / "r.docx")
    checked = 0
    for table in Document(str(out)).tables:
        rows = table._tbl.tr_lst
        headers = [r for r in rows if r.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}")
                   is not None]
        if not headers:
            continue
        body = [r for r in rows if r not in headers]
        assert all(r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows)
        kept = [_keeps_with_next(r) for r in body]
        if len(body) >= 3:
            checked += 1
            assert kept[0] and kept[-2] and not kept[-1]
            assert not any(kept[1:-2])  # the middle flows freely over pages
        assert all(_keeps_with_next(h) for h in headers)
    assert checked >= 3


def _keeps_with_next(row: object) -> bool:
    paragraphs = list(row.iter(qn("w:p")))  # type: ignore[attr-defined]
    return bool(paragraphs) and all(
        p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in paragraphs)


@pytest.mark.parametrize("kind", LETTERS, ids=[k.value for k in LETTERS])
def test_the_closing_keeps_with_the_last_paragraph(tmp_path: Path, catalogue: Catalogue,
                                                   kind: DocumentKind) -> None:
    out = render_document(kind, example_context(kind, catalogue), tmp_path / "brief.docx")
    paragraphs = [p for p in Document(str(out)).paragraphs if p.text.strip()]
    closing = next(i for i, p in enumerate(paragraphs) if p.text == CLOSING)
    kept = paragraphs[closing - 1:closing + 3]  # last body paragraph, closing, name, function
    assert all(p.paragraph_format.keep_with_next for p in kept)
    assert paragraphs[closing - 1].paragraph_format.keep_together
    assert paragraphs[closing + 1].text == EXAMPLE_SENDER.ondertekenaar.naam


# --- words people read ------------------------------------------------------------------------


def _every_document(tmp_path: Path, catalogue: Catalogue) -> dict[str, list[str]]:
    """The text of every example, and of letters and reports for each variant."""
    texts = {kind.value: document_lines(render_document(
        kind, example_context(kind, catalogue), tmp_path / f"{kind.value}.docx"))
        for kind in DocumentKind}
    for variant in (Variant.HKZ_ISO, Variant.COMBINATION):
        cons = _audit(catalogue, {"V1.1": "N"}, variant=variant, scope="hele organisatie")
        texts[f"brief-{variant.value}"] = document_lines(
            _letter(tmp_path / f"brief-{variant.value}.docx", cons, catalogue))
    return texts


def test_no_tool_speak_or_second_words(tmp_path: Path, catalogue: Catalogue) -> None:
    for name, lines in _every_document(tmp_path, catalogue).items():
        text = "\n".join(lines)
        for avoided in (*dutch.AVOIDED, "(ci)", "(CI)", "voor hele organisatie", "(nog)"):
            assert avoided not in text, (name, avoided)
        assert not re.search(r"\(\s*[^()]*\([^()]*\)[^()]*\)", text), (name, "nested ()")


def test_whole_organisation_reads_as_such(tmp_path: Path, catalogue: Catalogue) -> None:
    cons = _audit(catalogue, {}, scope="hele organisatie")
    decision = decide(cons, catalogue, today=TODAY)
    decision.number = "KSW-2026-0001"
    out = certificate(cons, catalogue, tmp_path / "c.docx", decision=decision,
                      sender=EXAMPLE_SENDER, today=TODAY)
    assert any("voor de hele organisatie" in line for line in document_lines(out))


def test_lists_of_reviewers_end_with_en(catalogue: Catalogue) -> None:
    kind = DocumentKind.LEARNING_REPORT
    context = example_context(kind, catalogue)
    names = context["toetsing"]["beoordelaars"]
    assert context["toetsing"]["beoordelaars_tekst"] == f"{names[0]} en {names[1]}"


def test_feedback_says_one_true_thing_about_open_norms(tmp_path: Path,
                                                       catalogue: Catalogue) -> None:
    kind = DocumentKind.FEEDBACK
    context = example_context(kind, catalogue)
    assert context["open_normen"]  # the example leaves norms open
    lines = document_lines(render_document(kind, context, tmp_path / "a.docx"))
    done = "Alle normen hebben een oordeel."
    assert done not in lines
    context["open_normen"] = []
    lines = document_lines(render_document(kind, context, tmp_path / "b.docx"))
    heading = lines.index("Normen die nog open staan")
    assert lines[heading + 1] == done


def _disagreeing(catalogue: Catalogue, variant: Variant, *, overridden: bool) -> Consolidation:
    """Two reviewers who disagree (Voldoet against Voldoet niet) on the first three norms;
    with ``overridden`` the consensus meeting changed the first one (with a motivation)."""
    host, assessment_id = "Stichting Bespreking (fictief)", "2026-021"
    kind = Kind.AUDIT if variant.is_audit else Kind.PEER
    first = [n.id for n in catalogue.norms()][:3]

    def review(reviewer: str, other: str) -> Submission:
        identity = _identity(catalogue, kind, assessment_id, host, reviewer)
        return Submission(file=f"{reviewer}.xlsx", identity=identity, responses={
            n.id: NormResponse(rating=other if n.id in first else "V", comment="Gezien.")
            for n in catalogue.norms()})

    overrides = [Override(norm_id=first[0], rating="V",
                          motivation="In de bespreking aangetoond met de verslagen.")]
    return consolidate(catalogue, Assessment(id=assessment_id, host=host, variant=variant),
                       [review("Een (fictief)", "V"), review("Twee (fictief)", "N")],
                       overrides if overridden else None)


@pytest.mark.parametrize("overridden", [False, True], ids=["berekend", "bijgesteld"])
@pytest.mark.parametrize("variant", [Variant.PEER_REVIEW, Variant.AUDIT],
                         ids=["leerrapport", "auditrapport"])
def test_a_consensus_meeting_is_named_only_when_it_changed_a_judgement(
        tmp_path: Path, catalogue: Catalogue, variant: Variant, overridden: bool) -> None:
    cons = _disagreeing(catalogue, variant, overridden=overridden)
    assert sum(r.disagreement for r in cons.norms.values()) == 3
    assert any(r.overridden for r in cons.norms.values()) is overridden
    report = audit_report if variant.is_audit else learning_report
    lines = document_lines(report(cons, catalogue, tmp_path / "r.docx", today=TODAY))
    discussed = ("Besproken en bijgestelde oordelen" if variant.is_audit
                 else "Verschillen van inzicht in de consensusbespreking")
    assert (discussed in lines) is overridden
    assert ("Verschillen van inzicht" in lines) is not overridden
    set_in_meeting = "In de consensusbespreking is per norm één oordeel vastgesteld"
    assert any(set_in_meeting in line for line in lines) is (overridden and not variant.is_audit)
    # the table of disagreements: 'Berekend' and 'Motivering' only beside a changed judgement
    header = next(line for line in lines
                  if line.startswith("Norm | Oordelen van de beoordelaars"))
    assert ("Berekend" in header) is overridden and ("Motivering" in header) is overridden


def test_one_reviewer_is_not_said_to_agree_with_anybody(tmp_path: Path,
                                                        catalogue: Catalogue) -> None:
    # an audit by one CI said "De beoordelaars hadden bij geen enkele norm een verschil van
    # inzicht": true only because there was nobody to differ from
    lines = document_lines(audit_report(_audit(catalogue, {}), catalogue, tmp_path / "a.docx",
                                        today=TODAY))
    assert not any("geen enkele norm" in line and "verschil van inzicht" in line
                   for line in lines)
    assert ("De toetsing had één beoordelaar (CI Toetsing (fictief)); verschillen van inzicht "
            "tussen beoordelaars zijn er dan niet.") in lines
    # two reviewers who agree everywhere: that is said
    combined = _audit(catalogue, {}, variant=Variant.COMBINATION)
    lines = document_lines(audit_report(combined, catalogue, tmp_path / "c.docx", today=TODAY))
    assert any(line.startswith("Bij geen enkele norm lagen de oordelen van de beoordelaars")
               for line in lines)


def test_the_share_that_meets_is_explained_as_one_of_the_norms_that_apply(
        tmp_path: Path, catalogue: Catalogue) -> None:
    # one norm does not apply, one is not met: 48 of the 49 norms that apply (98%), which is
    # not 48 of all 50 (96%)
    norms = [n.id for n in catalogue.norms()]
    audit = _audit(catalogue, {norms[0]: "NVT", norms[1]: "N"})
    lines = document_lines(audit_report(audit, catalogue, tmp_path / "a.docx", today=TODAY))
    figures = next(i for i, line in enumerate(lines) if line.startswith("Normen | Voldoet"))
    assert lines[figures + 1].startswith(f"{len(norms)} | 98% | ")
    reports = [lines] + [document_lines(render_document(
        kind, example_context(kind, catalogue), tmp_path / f"{kind.value}.docx"))
        for kind in (DocumentKind.LEARNING_REPORT, DocumentKind.AUDIT_REPORT)]
    for lines in reports:
        figures = next(i for i, line in enumerate(lines) if line.startswith("Normen | Voldoet"))
        domains = next(i for i, line in enumerate(lines)
                       if line.startswith("Domein | Normen | Open | Voldoet"))
        below_domains = next(line for line in lines[domains + 1:] if " | " not in line)
        for legend in (lines[figures + 2], below_domains):
            assert "Voldoet" in legend and "van toepassing" in legend, legend
    kind = DocumentKind.FEEDBACK
    lines = document_lines(render_document(kind, example_context(kind, catalogue),
                                           tmp_path / "feedback.docx"))
    table = next(i for i, line in enumerate(lines) if line.startswith("Domein | Normen"))
    assert "van toepassing" in lines[table - 1]
    # geconsolideerd.xlsx: the note on the header of the share on 'Domeinen'
    from openpyxl import load_workbook

    from kwl_office.consolidation.workbook import write_consolidated
    from kwl_office.documents.examples import example_consolidation

    book = load_workbook(write_consolidated(tmp_path / "g.xlsx",
                                            example_consolidation(catalogue), catalogue))
    shares = [cell for row in book[T.CONS_SHEET_DOMAINS].iter_rows() for cell in row
              if cell.value == T.CONS_HEADERS["share_met"]]
    assert shares and all(cell.comment is not None and "van toepassing" in cell.comment.text
                          for cell in shares)


# --- kwl templates check ----------------------------------------------------------------------


def test_shipped_templates_are_clean(catalogue: Catalogue) -> None:
    assert check_templates(catalogue).findings == []


def _own(tmp_path: Path, kind: DocumentKind, *paragraphs: str) -> Path:
    own = tmp_path / "sjablonen"
    own.mkdir(exist_ok=True)
    path = own / f"{kind.value}.docx"
    shutil.copy(shipped_templates() / path.name, path)
    document = Document(str(path))
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return own


def test_check_names_every_unknown_field_with_its_full_path(tmp_path: Path,
                                                            catalogue: Catalogue) -> None:
    own = _own(tmp_path, DocumentKind.REGISTRATION_LETTER,
               "{{ organisatie.adres.regels }} {{ organisatie.telefoon }} {{ handtekening }}",
               "{%p for d in toetsing.beoordelaars %}", "{{ d.foo }}", "{%p endfor %}")
    _own(tmp_path, DocumentKind.LEARNING_REPORT,
         "{%p for d in domeinen %}", "{{ d.normen[0].kleurtje }}", "{%p endfor %}")
    found = check_templates(catalogue, own).flatten(("code", "file", "message"))
    unknown = {(file, message) for code, file, message in found
               if code == "template-unknown-field"}
    named = {file: {m.split("'")[1] for f, m in unknown if f == file} for file, _ in unknown}
    assert named["registratiebrief.docx"] == {
        "organisatie.adres.regels", "organisatie.telefoon", "handtekening",
        "toetsing.beoordelaars.foo"}
    assert named["leerrapport.docx"] == {"domeinen.normen.kleurtje"}


def test_check_explains_a_broken_tag_in_dutch_with_its_line(tmp_path: Path,
                                                            catalogue: Catalogue) -> None:
    own = _own(tmp_path, DocumentKind.CERTIFICATE_LETTER, "Slot: {{ organisatie.naam }")
    _own(tmp_path, DocumentKind.CERTIFICATE, "{%p if besluit.nummer %}", "nummer")
    report = check_templates(catalogue, own)
    assert set(report.flatten(("code", "file"))) == {
        ("template-syntax", "certificaatbrief.docx"), ("template-syntax", "certificaat.docx")}
    by_file = {f.file: f.message for f in report.findings}
    assert "Slot: {{ organisatie.naam }" in by_file["certificaatbrief.docx"]
    assert "endif" in by_file["certificaat.docx"]
    for message in by_file.values():  # Jinja's English is translated
        assert not re.search(r"unexpected|expected token|Encountered|Jinja was", message)


def test_check_warns_when_an_own_template_drops_a_shipped_field(tmp_path: Path,
                                                               catalogue: Catalogue) -> None:
    own = tmp_path / "sjablonen"
    own.mkdir()
    path = own / "certificaat.docx"
    shutil.copy(shipped_templates() / path.name, path)
    document = Document(str(path))
    for paragraph in (p for t in document.tables for r in t.rows for c in r.cells
                      for p in c.paragraphs):
        for run in paragraph.runs:
            run.text = run.text.replace("{{ besluit.nummer }}", "—")
    document.save(str(path))
    report = check_templates(catalogue, own)
    assert report.flatten(("code", "file")) == [("template-unused-field", "certificaat.docx")]
    assert "besluit.nummer" in report.findings[0].message and report.valid


# --- the pages themselves, through LibreOffice ------------------------------------------------


@dataclass
class Rendered:
    """A rendered document: the .docx and its pages as words with their boxes."""

    docx: Path
    pages: list[list[tuple[str, float, float, float, float]]]

    def page_of(self, text: str) -> int | None:
        """The first page whose words hold the words of ``text`` in a row."""
        wanted = " ".join(_tokens(text))
        for number, page in enumerate(self.pages):
            if wanted in " ".join(w[0] for w in page):
                return number
        return None


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue
             ) -> dict[str, Rendered]:
    """Every document kind, and reassessment letters that grow by one norm at a time over a
    page boundary (with 1 to 4 address lines, so tables start at other heights), converted in
    one LibreOffice run."""
    folder = tmp_path_factory.mktemp("pagina's")
    docs = [render_document(kind, example_context(kind, catalogue),
                            folder / f"{kind.value}.docx") for kind in DocumentKind]
    norms = [n.id for n in catalogue.norms()]
    for count in range(1, 15):
        cons = _audit(catalogue, dict.fromkeys(norms[:count], "N"))
        if count % 3 == 0:
            cons.missing_inputs = [f"2026-001 peer - Collega {i} (fictief): ontbreekt"
                                   for i in range(count // 3)]
        org = Organisation(name=cons.host, contact="de heer P. van den Berg",
                           address=tuple(f"Adresregel {i}" for i in range(1 + count % 4)))
        docs.append(_letter(folder / f"herbeoordeling-{count:02d}.docx", cons, catalogue, org))
    docs.append(_letter(folder / "deels.docx", _audit(catalogue, dict.fromkeys(
        [n.id for n in catalogue.domains[1].norms()][:6], "D")), catalogue))
    for length in LONG_NAMES:  # certificates for long organisation names
        context = copy.deepcopy(example_context(DocumentKind.CERTIFICATE, catalogue))
        context["organisatie"]["naam"] = _long_name(length)
        docs.append(render_document(DocumentKind.CERTIFICATE, context,
                                    folder / f"certificaat-{length}.docx"))
    pdfs = convert_to_pdf(docs)
    return {doc.stem: Rendered(doc, _words(pdf)) for doc, pdf in zip(docs, pdfs, strict=True)}


#: lengths of organisation names on the certificates of :func:`rendered`: around each size
#: step of the name in the template, and the longest a manifest sensibly holds
LONG_NAMES = (78, 95, 112, 139, 165, 300)


def _long_name(length: int) -> str:
    """An organisation name of ``length`` characters, of long Dutch words."""
    words = ("Stichting Maatschappelijke Dienstverlening en Welzijn Regio Zuid-Holland Noord "
             "Team Jeugd Gezin en Mantelzorg ").split() * 8
    name = " ".join(words)[:length].rstrip()
    return name + "x" * (length - len(name))


@pytest.mark.soffice
def test_a_certificate_stays_one_page_with_a_long_name(rendered: dict[str, Rendered]) -> None:
    # a name of 112 letters took four lines and pushed the certificate onto a second page
    # that held only its border
    for length in LONG_NAMES:
        doc = rendered[f"certificaat-{length}"]
        assert len(doc.pages) == 1, (length, len(doc.pages))
        assert doc.page_of("Stichting Maatschappelijke Dienstverlening") == 0, length


@pytest.mark.soffice
def test_no_header_word_is_broken(rendered: dict[str, Rendered]) -> None:
    for name, doc in rendered.items():
        expected = Counter(_tokens(" ".join(document_lines(doc.docx))))
        seen = Counter(w[0] for page in doc.pages for w in page if w[0])
        for table in Document(str(doc.docx)).tables:
            for cells in _header_rows(table):
                for word in _tokens(" ".join(cells)):
                    # every time the word is in the document it is whole on the page
                    # (repeated header rows only add to what the pages show)
                    assert seen[word] >= expected[word], (name, word)


@pytest.mark.soffice
def test_the_signature_stays_with_the_letter(rendered: dict[str, Rendered]) -> None:
    letters = [doc for doc in rendered.values()
               if any(p.text == CLOSING for p in Document(str(doc.docx)).paragraphs)]
    assert len(letters) >= 17
    pages = set()
    for doc in letters:
        paragraphs = [p.text for p in Document(str(doc.docx)).paragraphs if p.text.strip()]
        closing = paragraphs.index(CLOSING)
        last_words = " ".join(paragraphs[closing - 1].split()[-6:])
        found = [doc.page_of(last_words), doc.page_of(CLOSING),
                 doc.page_of(paragraphs[closing + 1])]
        assert None not in found and len(set(found)) == 1, (doc.docx.name, found)
        pages.add(found[0])
    assert pages >= {0, 1}, "the letters should cross a page boundary somewhere"


@pytest.mark.soffice
def test_no_table_header_ends_a_page(rendered: dict[str, Rendered]) -> None:
    checked = 0
    for name, doc in rendered.items():
        headers = [cells for table in Document(str(doc.docx)).tables
                   for cells in _header_rows(table)]
        for number, page in enumerate(doc.pages):
            footer = min((w[2] for w in page if w[0] == "Pagina"), default=10_000.0)
            for cells in headers:
                for bottom in _header_bottoms(page, cells):
                    checked += 1
                    # lines of a table touch: a row starts a point above the last ends
                    below = [w for w in page if w[2] >= bottom - 3 and w[4] < footer - 1]
                    assert below, (name, number + 1, cells)
    assert checked > 50


def _header_bottoms(page: list[tuple[str, float, float, float, float]], cells: list[str]
                    ) -> list[float]:
    """Where a header row with these cells stands on the page: the bottom of its first
    cell's last word (header cells are aligned to the bottom), for each time it is there."""
    words = _tokens(" ".join(cells))
    first = _tokens(cells[0])
    if not words or not first:
        return []
    bottoms = []
    for candidate in (w for w in page if w[0] == first[-1]):
        band = Counter(w[0] for w in page if candidate[2] - 40 <= w[2] <= candidate[4] + 2)
        if not Counter(words) - band:
            bottoms.append(candidate[4])
    return bottoms


# --- helpers ----------------------------------------------------------------------------------


def _clean(word: str) -> str:
    return word.strip(".,;:()“”‘’'\"!?·–—|/")


def _tokens(text: str) -> list[str]:
    return [w for w in (_clean(w) for w in text.split()) if w]


def _words(pdf: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """The words of each page with their box (x0, y0, x1, y1), from ``pdftotext -bbox``."""
    exe = shutil.which("pdftotext")
    assert exe, "pdftotext (poppler) is needed with LibreOffice"
    xml = subprocess.run([exe, "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = []
    for page in re.findall(r"<page .*?</page>", xml, re.S):
        pages.append([(_clean(html.unescape(text)), float(x0), float(y0), float(x1), float(y1))
                      for x0, y0, x1, y1, text in re.findall(
                          r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                          r'yMax="([\d.]+)">(.*?)</word>', page)])
    return pages


def _identity(catalogue: Catalogue, kind: Kind, assessment_id: str, host: str,
              reviewer: str) -> Identity:
    """The identity of a test workbook of ``kind`` by ``reviewer`` (unsigned: documents are
    made from what was read, the signature was checked before)."""
    return Identity(
        layout_version=1, kind=kind, workbook_id=f"{kind.value}-{reviewer}",
        assessment_id=assessment_id, host=host, reviewer=reviewer,
        catalogue_id=catalogue.id, catalogue_version=catalogue.version,
        catalogue_fingerprint=catalogue.fingerprint, issued_at="2026-10-01T09:00:00+00:00",
        tool_version="test", signature="x")


def _audit(catalogue: Catalogue, codes: dict[str, str], *, variant: Variant = Variant.AUDIT,
           scope: str = "") -> Consolidation:
    """An audit by one CI: every norm ``V`` but those in ``codes``; with a self-evaluation."""
    host, assessment_id = "Stichting Voorbeeld (fictief)", "2026-013"

    def submission(kind: Kind, reviewer: str, ratings: dict[str, str]) -> Submission:
        identity = _identity(catalogue, kind, assessment_id, host, reviewer)
        return Submission(file=f"{kind.value}.xlsx", identity=identity, responses={
            n.id: NormResponse(rating=ratings.get(n.id, "V"), comment=f"Gezien bij {n.id}.")
            for n in catalogue.norms()})

    reviews = [submission(Kind.SELF_EVALUATION, "", {}),
               submission(Kind.AUDIT, "CI Toetsing (fictief)", codes)]
    if variant is Variant.COMBINATION:
        reviews.append(submission(Kind.PEER, "Collega (fictief)", codes))
    return consolidate(catalogue, Assessment(id=assessment_id, host=host, variant=variant,
                                             scope=scope), reviews)


def _letter(out: Path, cons: Consolidation, catalogue: Catalogue,
            organisation: Organisation | None = None) -> Path:
    decision = decide(cons, catalogue, decided_on=TODAY, today=TODAY)
    if decision.granted:
        decision.number = "KSW-2026-0001"  # as the register would give it
    return letter(cons, catalogue, out, decision=decision, sender=EXAMPLE_SENDER,
                  organisation=organisation or Organisation(
                      name=cons.host, contact="mevrouw J. de Vries", address=("Postbus 1",)),
                  today=TODAY)
