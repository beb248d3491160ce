"""The secretariat's template folder: files that are no Word document, files whose name is not
a template's, and the place of a broken tag (a user test of ``kwl templates check`` and
``kwl report --templates``). Every bad input is made here from the shipped templates."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from jinja2 import TemplateSyntaxError, lexer

from kwl_office.batch.folder import RoundFolder
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.documents.examples import example_consolidation
from kwl_office.documents.registry import DocumentKind
from kwl_office.documents.render import (
    explain_template_error,
    shipped_templates,
    template_environment,
)
from kwl_office.documents.tags import locate_syntax_error
from kwl_office.documents.templates import (
    check_templates,
    own_templates,
    unused_files,
)
from tests.helpers import hand_in, make_round, row

LEARNING = "leerrapport.docx"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _folder(tmp_path: Path, *copies: str) -> Path:
    """An own template folder with copies of these shipped templates."""
    folder = tmp_path / "sjablonen"
    folder.mkdir(exist_ok=True)
    for name in copies:
        shutil.copy(shipped_templates() / name, folder / name)
    return folder


def _edited(source: Path, target: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """A copy of the template ``source`` with one part of its zip changed."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w",
                                                         zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            zout.writestr(item, change(data) if item.filename == part else data)
    return target


def _consolidation(tmp_path: Path, catalogue: Catalogue) -> Path:
    """A consolidation folder of the example assessment (a peer review)."""
    folder = tmp_path / "uitkomst"
    folder.mkdir()
    (folder / "consolidation.json").write_text(
        json.dumps(example_consolidation(catalogue).to_json()), encoding="utf-8")
    return folder


# --- a file that is no Word document ----------------------------------------------------------


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _text(path: Path) -> None:
    path.write_text("Dit is een tekstbestand met de naam van een sjabloon.\n", encoding="utf-8")


def _dotx(path: Path) -> None:
    """A Word template (.dotx) saved under the .docx name: only its content type differs."""
    _edited(shipped_templates() / path.name, path, "[Content_Types].xml",
            lambda data: data.replace(b"wordprocessingml.document.main+xml",
                                      b"wordprocessingml.template.main+xml"))


NOT_A_DOCX = pytest.mark.parametrize("make", [_empty, _text, _dotx],
                                     ids=["leeg", "tekst", "dotx"])


@NOT_A_DOCX
def test_check_names_a_template_that_is_no_docx_and_checks_the_others(
        tmp_path: Path, catalogue: Catalogue, make: Callable[[Path], None]) -> None:
    own = _folder(tmp_path, "registratiebrief.docx")
    make(own / LEARNING)
    report = check_templates(catalogue, own)
    assert report.flatten(("code", "file")) == [("template-unreadable", LEARNING)]
    result = run("templates", "check", str(own))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert [line for line in result.output.splitlines() if LEARNING in line and "fout" in line]


@NOT_A_DOCX
def test_report_refuses_a_template_that_is_no_docx_in_one_line(
        tmp_path: Path, catalogue: Catalogue, make: Callable[[Path], None]) -> None:
    own = _folder(tmp_path)
    make(own / LEARNING)
    out = tmp_path / "rapport.docx"
    result = run("report", "learning", str(_consolidation(tmp_path, catalogue)), "-o",
                 str(out), "--templates", str(own))
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kwl: ") and LEARNING in lines[0]
    assert not out.exists()


def _unclosed_field(path: Path) -> None:
    """A copy of the shipped template with one field left open: its tags do not parse."""
    _edited(shipped_templates() / path.name, path, "word/document.xml",
            lambda data: data.replace(b"{{ organisatie.naam }}", b"{{ organisatie.naam", 1))


def _unknown_fields(path: Path) -> None:
    """A copy of the shipped template with two misspelt fields, one of them in a part only
    some documents show: no document could use the first, the second fails those documents
    only, after their decision was taken and their number registered."""
    _edited(shipped_templates() / path.name, path, "word/document.xml",
            lambda data: data.replace(
                b"{{ organisatie.naam }}",
                b"{{ organisatie.naam }}{{ organisatie.nam }}"
                b"{% if samenvatting %}{{ samenvatting.aantal_normn }}{% endif %}", 1))


def test_round_report_refuses_an_unusable_template_once_before_it_starts(
        tmp_path: Path, catalogue: Catalogue) -> None:
    # the same template fails every assessment alike: a national round would print the same
    # failure 300 times, after consolidating and registering each; said once, nothing made
    folder = make_round(tmp_path / "ronde", [
        row("2026-001", "Wijkkracht Oost (fictief)", "intercollegiaal",
            "Welzijn Noord (fictief); Buurtwerk Zuid (fictief)"),
        row("2026-002", "Welzijn West (fictief)", "intercollegiaal",
            "Welzijn Noord (fictief); Buurtwerk Zuid (fictief)")])
    assert run("round", "issue", str(folder.root)).exit_code == 0
    hand_in(folder, catalogue)
    assert run("round", "collect", str(folder.root)).exit_code == 0
    before = _files(folder)
    for make in (_empty, _text, _unclosed_field, _unknown_fields):
        own = tmp_path / f"sjablonen-{make.__name__}"
        own.mkdir()
        make(own / LEARNING)
        result = run("round", "report", str(folder.root), "--templates", str(own))
        assert result.exit_code == 2, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("kwl: ") and LEARNING in lines[0], lines
        assert "Traceback" not in result.output and "2026-00" not in result.output
        assert _files(folder) == before  # nothing consolidated, made or registered
        if make is _unknown_fields:  # every unknown field named, as 'kwl templates check'
            assert ("de velden 'organisatie.nam' en 'samenvatting.aantal_normn', die niet "
                    "bestaan") in lines[0]
    # every shipped template as an own one: none is refused, all documents are made as ever
    own = _folder(tmp_path, *(path.name for path in shipped_templates().glob("*.docx")))
    assert len(own_templates(own)) == len(DocumentKind)
    made = run("round", "report", str(folder.root), "--templates", str(own))
    assert made.exit_code == 0, made.output


def _files(folder: RoundFolder) -> set[Path]:
    return {path for path in folder.root.rglob("*") if path.is_file()}


# --- which templates come from the folder -----------------------------------------------------


def test_check_says_which_templates_come_from_the_folder(tmp_path: Path,
                                                         catalogue: Catalogue) -> None:
    own = _folder(tmp_path, LEARNING, "registratiebrief.docx")
    assert own_templates(own) == [DocumentKind.LEARNING_REPORT,
                                  DocumentKind.REGISTRATION_LETTER]
    assert check_templates(catalogue, own).findings == []
    result = run("templates", "check", str(own))
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert "2" in first and "8" in first and LEARNING in first
    assert "registratiebrief.docx" in first and "certificaat.docx" not in first


def test_a_folder_without_templates_is_a_warning(tmp_path: Path, catalogue: Catalogue) -> None:
    own = _folder(tmp_path)
    report = check_templates(catalogue, own)
    assert report.flatten(("code", "file")) == [("template-folder-unused", str(own))]
    assert report.valid and own_templates(own) == []
    assert run("templates", "check", str(own)).exit_code == 0


@pytest.mark.parametrize("name", ["Leerrapport.docx", "leerrapport (2).docx",
                                  "leerrapport - kopie.docx", "leerrapport.dotx"])
def test_a_file_named_almost_as_a_template_is_not_used_and_named(
        tmp_path: Path, catalogue: Catalogue, name: str) -> None:
    own = _folder(tmp_path, "registratiebrief.docx")
    shutil.copy(shipped_templates() / LEARNING, own / name)
    if (own / LEARNING).exists():
        pytest.skip("this file system ignores case: Leerrapport.docx is leerrapport.docx")
    (own / "~$errapport.docx").write_bytes(b"Word's owner file")  # never a template
    assert unused_files(own) == {name: LEARNING}
    report = check_templates(catalogue, own)
    assert report.flatten(("code", "file")) == [("template-misnamed", name)]
    assert LEARNING in report.findings[0].message
    assert own_templates(own) == [DocumentKind.REGISTRATION_LETTER]
    result = run("templates", "check", str(own))
    assert result.exit_code == 0, result.output  # a warning does not fail the check


def test_a_word_file_with_no_template_name_is_named(tmp_path: Path,
                                                   catalogue: Catalogue) -> None:
    own = _folder(tmp_path, LEARNING)
    shutil.copy(shipped_templates() / "auditrapport.docx", own / "notities.docx")
    assert unused_files(own) == {"notities.docx": None}
    report = check_templates(catalogue, own)
    assert report.flatten(("code", "file")) == [("template-unknown-file", "notities.docx")]


def test_report_warns_about_a_lookalike_of_the_template_it_needs(
        tmp_path: Path, catalogue: Catalogue) -> None:
    own = _folder(tmp_path)
    shutil.copy(shipped_templates() / LEARNING, own / "leerrapport (2).docx")
    shutil.copy(shipped_templates() / "auditrapport.docx", own / "Auditrapport.docx")
    source = str(_consolidation(tmp_path, catalogue))
    out = tmp_path / "rapport.docx"
    result = run("report", "learning", source, "-o", str(out), "--templates", str(own))
    assert result.exit_code == 0, result.output
    assert "leerrapport (2).docx" in result.stderr and LEARNING in result.stderr
    assert "Auditrapport.docx" not in result.stderr  # not a template this document needs
    assert out.exists()
    shutil.copy(shipped_templates() / LEARNING, own / LEARNING)  # the right name: used
    result = run("report", "learning", source, "-o", str(out), "--templates", str(own))
    assert result.exit_code == 0 and result.stderr == "", result.output


def test_report_says_when_its_template_folder_holds_none_it_needs(
        tmp_path: Path, catalogue: Catalogue) -> None:
    # a folder without any template (the wrong one chosen, or not synced): made with the
    # shipped template, and said; a folder that does not exist is refused
    own = _folder(tmp_path)
    source = str(_consolidation(tmp_path, catalogue))
    out = tmp_path / "rapport.docx"
    result = run("report", "learning", source, "-o", str(out), "--templates", str(own))
    assert result.exit_code == 0 and out.exists(), result.output
    assert str(own) in result.stderr and LEARNING in result.stderr
    gone = run("report", "learning", source, "-o", str(tmp_path / "r2.docx"), "--templates",
               str(tmp_path / "bestaat-niet"))
    assert gone.exit_code == 2 and not (tmp_path / "r2.docx").exists()
    assert "Traceback" not in gone.output


# --- where a broken tag is ------------------------------------------------------------------


def _paragraph(xml: str, text: str, after: int = 0) -> tuple[int, int]:
    """The start and end of the first paragraph (``<w:p>`` … ``</w:p>``) holding ``text``
    after position ``after``."""
    at = xml.index(text, after)
    start = max(xml.rfind("<w:p>", 0, at), xml.rfind("<w:p ", 0, at))
    return start, xml.index("</w:p>", at) + len("</w:p>")


def _learning_report(tmp_path: Path, change: Callable[[str], str]) -> Path:
    folder = _folder(tmp_path)
    return _edited(shipped_templates() / LEARNING, folder / LEARNING, "word/document.xml",
                   lambda data: change(data.decode("utf-8")).encode("utf-8"))


def _syntax_message(catalogue: Catalogue, path: Path) -> str:
    report = check_templates(catalogue, path.parent)
    assert report.flatten(("code", "file")) == [("template-syntax", LEARNING)]
    return report.findings[0].message


def test_an_unclosed_field_is_placed_in_its_own_paragraph(tmp_path: Path,
                                                         catalogue: Catalogue) -> None:
    # the cover title {{ organisatie.naam }}: Jinja reads on into the table row below
    path = _learning_report(tmp_path, lambda xml: xml.replace(
        "{{ organisatie.naam }}", "{{ organisatie.naam", 1))
    place = locate_syntax_error(path)
    assert place is not None and place.line == "{{ organisatie.naam"
    message = _syntax_message(catalogue, path)
    assert "«{{ organisatie.naam»" in message and "Organisatie |" not in message
    assert "}}" in message  # what is missing


def test_a_loop_without_its_end_names_the_loop(tmp_path: Path, catalogue: Catalogue) -> None:
    def drop_endfor(xml: str) -> str:
        # the {%p endfor %} of the loop over the domains, after its table of norms
        loop = xml.index("{%p for domein in domeinen %}")
        start, end = _paragraph(xml, "{%p endfor %}", xml.index("{%tr endfor %}", loop))
        return xml[:start] + xml[end:]

    path = _learning_report(tmp_path, drop_endfor)
    message = _syntax_message(catalogue, path)
    assert "{%p for domein in domeinen %}" in message and "{%p endfor %}" in message
    assert "Pagina" not in message and "toetsing" not in message  # not the footer


def test_an_end_tag_of_another_block_names_the_open_loop(tmp_path: Path,
                                                         catalogue: Catalogue) -> None:
    def drop_endfor(xml: str) -> str:
        # the loop over the strengths sits in an if … else: its else and endif come next
        start, end = _paragraph(xml, "{%p endfor %}", xml.index("{%p for punt in sterke_"))
        return xml[:start] + xml[end:]

    path = _learning_report(tmp_path, drop_endfor)
    message = _syntax_message(catalogue, path)
    assert "{%p for punt in sterke_punten %}" in message and "{%p endif %}" in message
    assert re.search(r"Pagina|Vervolgstappen", message) is None


def test_a_counting_filter_given_a_name_is_a_finding_not_a_traceback(
        tmp_path: Path, catalogue: Catalogue) -> None:
    # Word's curly quotes in a tag are read as straight ones, as docxtpl reads them
    path = _learning_report(tmp_path, lambda xml: xml.replace(
        "{{ organisatie.naam }}", "{{ organisatie.naam|aantal(‘norm’, ‘normen’) }}", 1))
    assert locate_syntax_error(path) is None  # the tags are whole
    message = _syntax_message(catalogue, path)
    assert "aantal" in message and "Traceback" not in message
    result = run("report", "learning", str(_consolidation(tmp_path, catalogue)), "-o",
                 str(tmp_path / "rapport.docx"), "--templates", str(path.parent))
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, result.output


def test_two_equal_tags_are_told_apart(tmp_path: Path, catalogue: Catalogue) -> None:
    # '{%p if samenvatting.overeenstemming %}' is in the report three times: the message says
    # which one lost its '{%p endif %}', and the text before it, to find it in Word
    tag = "{%p if samenvatting.overeenstemming %}"

    def drop_endif(nth: int) -> Callable[[str], str]:
        def change(xml: str) -> str:
            at = -1
            for _ in range(nth):
                at = xml.index(tag, at + 1)
            start, end = _paragraph(xml, "{%p endif %}", xml.index("{%p else %}", at))
            return xml[:start] + xml[end:]
        return change

    messages = []
    for nth, before in ((1, "Kerncijfers"), (2, "Resultaten per domein")):
        (tmp_path / str(nth)).mkdir()
        path = _learning_report(tmp_path / str(nth), drop_endif(nth))
        message = _syntax_message(catalogue, path)
        assert tag in message and before in message, message
        messages.append(message)
    assert messages[0] != messages[1]


#: every token name Jinja gives in a message (jinja2.lexer: its token types, described)
_TOKEN_NAMES = sorted({
    lexer.describe_token_expr(value) for name, value in vars(lexer).items()
    if name.startswith("TOKEN_") and isinstance(value, str)
    and re.fullmatch(r"[\w /]+", lexer.describe_token_expr(value))})


@pytest.mark.parametrize("tag", [
    "{{ organisatie.naam| }}", "{{ organisatie.naam is }}", "{% macro 1() %}{% endmacro %}",
    "{% for d domeinen %}{% endfor %}", "{{ datum 1 }}", "{{ datum 'x' }}", "{{ datum 1.5 }}",
    "{% if %}x{% endif %}", "{{ }}", "{{ datum == }}", "{% include %}", "{% filter %}",
    "{{ datum", "{{ datum|aantal(1 }}", "{{ x(1=2) }}", "{% set 1 = 2 %}", "{% raw %}x",
    "{# x", "{% %}"])
def test_a_broken_tag_is_told_without_jinjas_token_names(tag: str) -> None:
    # 'waar 'name' hoort' means nothing to a secretariat: Jinja's names of what it expected
    # or found (name, integer, end of print statement …) are said in Dutch words
    with pytest.raises(TemplateSyntaxError) as caught:
        template_environment().parse(tag)
    message = explain_template_error(caught.value)
    assert "melding van Jinja" not in message, message
    leaked = [name for name in _TOKEN_NAMES
              if f"'{name}'" in message or (" " in name and name in message)]
    assert leaked == [], message


def test_a_token_name_without_dutch_words_is_never_shown() -> None:
    # what Jinja may say in a later version: still no raw token name
    for expected, got in (("linecomment_begin", "whitespace"), ("operator", "initial")):
        err = TemplateSyntaxError(f"expected token '{expected}', got '{got}'", 1)
        message = explain_template_error(err)
        assert expected not in message and got not in message, message
