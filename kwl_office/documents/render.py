"""Render a Word template with docxtpl.

Templates live in ``docx_templates/`` (shipped inside the package); a secretariat's own
folder overrides them file by file. Text is escaped (Jinja autoescape), multi-line text keeps
its line breaks, and charts become inline images. Templates may count and list in plain
Dutch with the filters ``aantal``, ``woord`` and ``opsomming`` (:data:`FILTERS`).

After filling, every table with a repeated header row keeps its first two and its last two
rows together (:func:`keep_rows_together`): how many rows a table gets is only known then,
and no row should stand alone at the top or the bottom of a page. Jinja's error messages
become Dutch ones (:func:`explain_template_error`).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from docx import Document
from docx.document import Document as WordDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage, Listing
from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError, lexer, nodes
from jinja2.exceptions import FilterArgumentError, SecurityError
from jinja2.lexer import describe_token_expr
from jinja2.sandbox import SandboxedEnvironment

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office.atomic import save_atomic
from kwl_office.documents.charts import Chart
from kwl_office.documents.registry import DocumentKind
from kwl_office.errors import TemplateProblem, TemplateUnreadable

TEMPLATES_ENV = "KWL_TEMPLATES"


def shipped_templates() -> Path:
    """The template folder inside the installed package (or the source tree)."""
    packaged = Path(str(resources.files("kwl_office"))) / "_shipped" / "docx_templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "docx_templates"


def template_path(kind: DocumentKind, templates: str | Path | None = None) -> Path:
    """The template to use: the secretariat's own file when present, else the shipped one."""
    name = kind.template
    if templates is not None:
        own = Path(templates) / name
        if own.is_file():
            return own
    return shipped_templates() / name


#: what python-docx raises for a file that is no Word document: no zip (a text file, an old
#: .doc), a zip without a document part, a Word template (.dotx, ValueError: its content
#: type), damaged XML (lxml's XMLSyntaxError is a SyntaxError) or a truncated zip
_NOT_A_DOCX = (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError,
               zlib.error, EOFError)
#: the start of a compound file: an old Word document (.doc), or a password protected .docx
_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")


def open_template(path: str | Path) -> WordDocument:
    """The Word document of the template at ``path``; :class:`TemplateUnreadable` (one line
    naming the file and what to do) when it is no Word document (.docx) at all."""
    try:
        return Document(str(path))
    except _NOT_A_DOCX as err:
        reason = T.TEMPLATE_NOT_DOCX[_what_it_is(Path(path))]
        raise TemplateUnreadable(path, T.TEMPLATE_UNREADABLE.format(
            template=Path(path).name, reason=reason), reason) from err


def _what_it_is(path: Path) -> str:
    """What a file that python-docx cannot open is (a key of ``T.TEMPLATE_NOT_DOCX``)."""
    with path.open("rb") as file:
        start = file.read(8)
    if not start:
        return "empty"
    if start == _OLE_MAGIC:
        return "old"
    if not zipfile.is_zipfile(path):
        return "other"
    try:
        with zipfile.ZipFile(path) as archive:
            types = archive.read("[Content_Types].xml")
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError):
        return "damaged"
    # what Word writes for a template or a macro document saved under a .docx name
    if b"wordprocessingml.template.main+xml" in types or b"macroEnabledTemplate" in types:
        return "dotx"
    if b"ms-word.document.macroEnabled" in types:
        return "docm"
    return "damaged" if b"wordprocessingml.document.main+xml" in types else "other"


_T = TypeVar("_T")
#: at most this many template sources are remembered per cache (a batch uses a handful)
_CACHE_LIMIT = 64


def _remembered(cache: dict[str, _T], source: str, make: Callable[[str], _T]) -> _T:
    """``make(source)``, made once per source text; a full cache starts over."""
    value = cache.get(source)
    if value is None:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        value = cache[source] = make(source)
    return value


class FilterProblem(FilterArgumentError):
    """A Dutch filter used without what it needs (its message is Dutch already)."""


def _word(one: str, many: str | None) -> dutch.Word:
    """The noun with its plural: as given, else the glossary word with this singular."""
    if many:
        return dutch.Word(one, many)
    found = next((w for w in dutch.GLOSSARY.values() if w.one == one), None)
    if found is None:
        raise FilterProblem(T.TEMPLATE_FILTER_PLURAL.format(word=one))
    return found


def _whole(number: Any, name: str) -> int:
    """The number a counting filter counts; a template that hands it a name or a list gets
    a Dutch message, not Python's ValueError."""
    try:
        return int(number)
    except (TypeError, ValueError) as err:
        raise FilterProblem(T.TEMPLATE_FILTER_NUMBER.format(filter=name, value=number)) from err


def count_filter(number: int, one: str, many: str | None = None) -> str:
    """``{{ n|aantal('norm', 'normen') }}`` → ``1 norm``, ``3 normen`` (``aantal('norm')``
    takes the plural from the glossary, :data:`kwl_office.dutch.GLOSSARY`)."""
    return dutch.count(_whole(number, "aantal"), _word(one, many))


def word_filter(number: int, one: str, many: str | None = None) -> str:
    """``{{ n|woord('norm', 'normen') }}``: only the word that fits the number."""
    return dutch.noun(_whole(number, "woord"), _word(one, many))


def list_filter(items: Iterable[object], last: str = "en") -> str:
    """``{{ lijst|opsomming }}`` → ``a, b en c``."""
    return dutch.join(items, last)


#: the Dutch filters every template may use
FILTERS: dict[str, Callable[..., str]] = {
    "aantal": count_filter, "woord": word_filter, "opsomming": list_filter}


class _CachingEnvironment(SandboxedEnvironment):
    """A sandboxed Jinja environment that compiles each template source once per process.

    Templates are data, not code: the secretariat (or anyone who can put a file in a
    ``--templates`` folder) edits them, so they render in Jinja's sandbox, where reaching
    into Python internals (``cycler.__init__.__globals__`` …) raises a security error
    instead of running. docxtpl compiles the document XML of every render
    (``from_string``); in a batch the same template is rendered hundreds of times, and
    compiling it costs as much as rendering it. Keyed by the source text, so an edited
    template is simply a new entry.
    """

    def __init__(self) -> None:
        # StrictUndefined: a misspelt field in an edited template is an error, not empty text
        super().__init__(undefined=StrictUndefined, autoescape=True)
        self.filters.update(FILTERS)
        self._compiled: dict[str, Template] = {}

    def from_string(self, source: str | nodes.Template, globals: Any = None,
                    template_class: type[Template] | None = None) -> Template:
        if not isinstance(source, str) or globals is not None or template_class is not None:
            return super().from_string(source, globals, template_class)
        return _remembered(self._compiled, source, super().from_string)


class _Template(DocxTemplate):  # type: ignore[misc]
    """docxtpl's template with its XML clean-up (``patch_xml``) remembered per source text,
    and the rows of its filled tables kept together (:func:`keep_rows_together`)."""

    _patched: dict[str, str] = {}

    def patch_xml(self, src_xml: str) -> str:
        return _remembered(self._patched, src_xml, super().patch_xml)

    def fix_tables(self, xml: str) -> Any:
        tree = super().fix_tables(xml)
        keep_rows_together(tree)
        return tree

    def resolve_listing(self, xml: str) -> str:
        # docxtpl turns tabs, line and page breaks typed in text (a Listing) into Word's
        # elements by walking every run of every paragraph with a Python callback (~40% of
        # its rendering); only paragraphs with such a character in a text can change
        if _LISTING_TEXT.search(xml) is None:
            return xml
        resolve = super().resolve_listing
        return _PARAGRAPH.sub(
            lambda m: resolve(m.group(0)) if _LISTING_TEXT.search(m.group(0)) else m.group(0),
            xml)


#: a text element (``<w:t>``, whose text holds no ``<``) with a character docxtpl resolves
_LISTING_TEXT = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")
#: a paragraph, cut exactly as docxtpl's ``resolve_listing`` cuts them
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def keep_rows_together(tree: Any) -> None:
    """In every table with a repeated header row: the header, the first body row (of three
    or more) and the last but one are kept with the next row ("keep with next" on their
    paragraphs, which Word and LibreOffice both honour for table rows). A page break inside
    such a table therefore leaves at least two rows on each side, and a header never ends a
    page alone. Tables without a header row (layout tables) are left as they are."""
    for table in tree.iter(f"{_W}tbl"):
        rows = table.findall(f"{_W}tr")
        headers = [r for r in rows if r.find(f"{_W}trPr/{_W}tblHeader") is not None]
        if not headers:
            continue
        body = [r for r in rows if all(r is not h for h in headers)]
        kept = list(headers)
        if len(body) >= 3:
            kept.append(body[0])
        if len(body) >= 2:
            kept.append(body[-2])
        for row in kept:
            for paragraph in row.iter(f"{_W}p"):
                _keep_with_next(paragraph)


def _keep_with_next(paragraph: Any) -> None:
    ppr = paragraph.find(f"{_W}pPr")
    if ppr is None:
        ppr = paragraph.makeelement(f"{_W}pPr", {})
        paragraph.insert(0, ppr)
    if ppr.find(f"{_W}keepNext") is not None:
        return
    # schema order: pStyle first, keepNext right after it
    style = ppr.find(f"{_W}pStyle")
    ppr.insert(1 if style is not None else 0, ppr.makeelement(f"{_W}keepNext", {}))


#: Jinja's messages (English) → Dutch, most specific first; groups fill the Dutch text
_JINJA_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), dutch_text) for pattern, dutch_text in T.TEMPLATE_ERRORS)
#: the groups of a message that hold one of Jinja's token names
_TOKEN_GROUPS = frozenset({"expected", "got"})
#: every token name Jinja can give in a message: its token types, as describe_token gives them
_JINJA_TOKENS = frozenset(
    describe_token_expr(value) for name, value in vars(lexer).items()
    if name.startswith("TOKEN_") and isinstance(value, str))
#: a sign in a tag (an operator: ',', '=', '(' …), never a word
_SIGN = re.compile(r"[^\w\s]+")
#: a token name quoted in a message Jinja gives that has no Dutch text of its own
_QUOTED = re.compile(r"'([^']+)'")


def describe_token(token: str) -> str:
    """What Jinja names in a tag (a token name from ``jinja2.lexer.describe_token``, a sign or
    a word typed in the tag) in Dutch words: ``name`` → "de naam van een veld of filter",
    ``end of statement block`` → "het einde van de tag (%})", ``,`` → "het teken ','",
    ``in`` → "het woord 'in'". A token name without a Dutch text of its own is never shown
    as it is (:data:`kwl_office.texts_nl.TEMPLATE_TOKEN_OTHER`)."""
    if token in T.TEMPLATE_TOKENS:
        return T.TEMPLATE_TOKENS[token]
    if _SIGN.fullmatch(token):
        return T.TEMPLATE_TOKEN_SIGN.format(sign=token)
    if token in _JINJA_TOKENS:
        return T.TEMPLATE_TOKEN_OTHER
    return T.TEMPLATE_TOKEN_WORD.format(word=token)


def _group(name: str, text: str) -> str:
    if name in _TOKEN_GROUPS:
        return describe_token(text)
    return text.replace("' or '", T.TEMPLATE_TAGS_OR)


def _tokens_named(message: str) -> str:
    """A message of Jinja's without a Dutch text, its quoted token names in Dutch."""
    return _QUOTED.sub(lambda found: describe_token(found.group(1))
                       if found.group(1) in _JINJA_TOKENS else found.group(0), message)


def explain_template_error(err: BaseException) -> str:
    """Jinja's (English) error message in Dutch; what it names (tag, field, character) is
    kept, what it expected or found in a tag in Dutch words (:func:`describe_token`). An
    unknown message is given as it is, after a Dutch lead-in."""
    message = str(getattr(err, "message", None) or err).strip()
    if isinstance(err, FilterProblem):
        return message
    for pattern, text in _JINJA_MESSAGES:
        found = pattern.search(message)
        if found:
            return text.format(**{name: _group(name, value or "")
                                  for name, value in found.groupdict().items()})
    return T.TEMPLATE_ERROR_OTHER.format(message=_tokens_named(message))


_ENVIRONMENT = _CachingEnvironment()


def template_environment() -> SandboxedEnvironment:
    """The Jinja environment templates are filled in (sandboxed, strict, with the Dutch
    filters); ``kwl templates check`` parses with it too."""
    return _ENVIRONMENT


def _prepare(value: Any, template: DocxTemplate) -> Any:
    """Charts → inline images; multi-line strings → Listing (keeps line breaks, escapes)."""
    if isinstance(value, Chart):
        return InlineImage(template, io.BytesIO(value.png), width=Mm(value.width_mm))
    if isinstance(value, str):
        return Listing(value) if "\n" in value else value
    if isinstance(value, dict):
        return {k: _prepare(v, template) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_prepare(v, template) for v in value]
    return value


def render_document(
    kind: DocumentKind, context: dict[str, Any], out: str | Path, *,
    templates: str | Path | None = None,
) -> Path:
    """Render the template of ``kind`` with ``context`` to ``out`` (atomically)."""
    path = template_path(kind, templates)
    if not path.is_file():
        raise TemplateProblem(T.TEMPLATE_MISSING.format(template=path.name))
    template = _Template(path)
    # opened here, so that a file that is no .docx is named as such (docxtpl keeps it)
    template.docx = open_template(path)
    try:
        template.render(_prepare(context, template), jinja_env=_ENVIRONMENT,
                        autoescape=True)
    except SecurityError as err:
        raise TemplateProblem(T.TEMPLATE_UNSAFE.format(template=path.name)) from err
    except TemplateSyntaxError as err:
        # the paragraph with the broken tag, as kwl templates check names it (that module
        # builds on this one: imported here, when a template is broken)
        from kwl_office.documents.tags import syntax_detail

        raise TemplateProblem(T.TEMPLATE_BROKEN.format(
            template=path.name, detail=syntax_detail(err, path))) from err
    except TemplateError as err:
        raise TemplateProblem(T.TEMPLATE_BROKEN.format(
            template=path.name, detail=explain_template_error(err))) from err
    # saved in memory, then written at once: python-docx's half-written ZipFile on a full
    # disk would fail again when collected, a traceback after our own message
    return save_atomic(out, template.save)
