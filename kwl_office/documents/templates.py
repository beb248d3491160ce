"""Helping the secretariat edit templates: documented fields and a check before a batch.

``describe_fields`` lists what a template can use, with example values; ``check_templates``
reads every template and reports, each with its full field path and in Dutch:

- every unknown field (``organisatie.adres.regels``, ``domeinen.normen.foo``: the fields of
  a loop variable are named by the list they come from), not only the first;
- broken tags, with Jinja's message in Dutch and the line of the document where it is;
- errors while filling the template with the example data, and leftover tag fragments (what
  Word does to a tag typed in pieces);
- in a secretariat's own template, every field the shipped template of that kind uses and
  this one no longer does (a warning: a certificate without ``besluit.nummer`` is probably a
  mistake). A field that no template uses is not reported: each document shows what it
  needs, the fields are offered for templates a secretariat makes or extends on purpose, and
  a warning for every field left out would teach people to ignore warnings;
- a template file that is no Word document (.docx) at all: empty, a text file, a Word
  template (.dotx) or an old .doc renamed (an error naming what to do; the others are still
  checked);
- in the secretariat's folder, every Word file that is not used because its name is not
  exactly a template's (``Leerrapport.docx``, ``leerrapport (2).docx``: a warning with the
  name it probably means), and a folder without any template at all (a warning: every
  template is the shipped one). :func:`own_templates` says which ones the folder gives.
"""

from __future__ import annotations

import difflib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, UndefinedError, nodes
from jinja2.exceptions import SecurityError

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office.catalogue import Catalogue
from kwl_office.documents.charts import Chart
from kwl_office.documents.examples import example_context
from kwl_office.documents.registry import DocumentKind
from kwl_office.documents.render import (
    explain_template_error,
    open_template,
    render_document,
    shipped_templates,
    template_environment,
    template_path,
)
from kwl_office.documents.text import document_lines
from kwl_office.errors import TemplateProblem, TemplateUnreadable
from kwl_office.findings import Report, make_finding

_FRAGMENT = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
#: docxtpl's own tag forms ({%p …%}, {%tr …%}, {{r …}}) and its cellbg tag, as plain Jinja
_DOCXTPL_TAG = re.compile(r"\{([{%])(?:p|tr|tc|r)\s")
_CELLBG = re.compile(r"\{%\s*cellbg\s+(.*?)%\}")
#: a name that is not a field: Jinja's loop helper, or a name we cannot follow
_NOT_A_FIELD = ""


def describe_fields(kind: DocumentKind, catalogue: Catalogue) -> list[str]:
    """Lines documenting the fields of ``kind``'s template, with example values."""
    context = example_context(kind, catalogue)
    lines = [T.TEMPLATE_FIELDS_HEADER.format(template=kind.template)]
    for key, value in context.items():
        lines += _describe(key, value, 1)
    return lines


def _describe(path: str, value: Any, depth: int) -> list[str]:
    indent = "  " * depth
    doc = T.FIELD_DOCS.get(path) or T.FIELD_DOCS.get(path.split(".")[-1], "")
    note = f"  # {doc}" if doc else ""
    if isinstance(value, dict):
        lines = [f"{indent}{path}:{note}"]
        for key, item in value.items():
            lines += _describe(f"{path}.{key}" if depth == 1 else key, item, depth + 1)
        return lines
    if isinstance(value, list):
        items = dutch.count(len(value), dutch.Word("item", "items"))
        shown = T.TEMPLATE_LIST.format(items=items) if value else T.TEMPLATE_LIST_EMPTY
        lines = [f"{indent}{path}: {shown}{note}"]
        if value and isinstance(value[0], dict):
            for key, item in value[0].items():
                lines += _describe(key, item, depth + 1)
        elif value:
            lines.append(f"{indent}  - {_example(value[0])}")
        return lines
    return [f"{indent}{path}: {_example(value)}{note}"]


def _example(value: Any) -> str:
    if isinstance(value, Chart):
        return T.TEMPLATE_CHART
    if value is None:
        return "(leeg)"
    text = str(value).replace("\n", " / ")
    return text if len(text) <= 70 else text[:69] + "…"


# --- which fields a template uses ---------------------------------------------------------


def template_source(path: str | Path) -> str:
    """The Jinja source docxtpl renders: the body, headers and footers, patched as docxtpl
    patches them (its paragraph, row and cell tags become plain Jinja)."""
    template = DocxTemplate(str(path))
    document = open_template(path)
    parts = [document.element.body]
    for rel in document.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and rel.target_part.blob:
            parts.append(parse_xml(rel.target_part.blob))
    return "".join(template.patch_xml(template.xml_to_string(part)) for part in parts)


def used_fields(path: str | Path) -> set[str]:
    """Every field the template at ``path`` uses, as a full path (``besluit.nummer``; the
    fields of a loop variable by the list: ``domeinen.normen.consensus``). Raises Jinja's
    ``TemplateSyntaxError`` for a template whose tags do not parse."""
    return _fields(template_environment().parse(template_source(path)))


def _fields(tree: nodes.Template) -> set[str]:
    # Jinja's own helpers (range, cycler, …) are no fields of ours
    scope = dict.fromkeys(template_environment().globals, _NOT_A_FIELD)
    found: set[str] = set()
    _visit(tree, scope, found)
    return found


def reaches_inside(tree: nodes.Template) -> bool:
    """True when the template reads an attribute starting with ``_`` (``__globals__``):
    a way into Python's internals, never a field. The sandbox refuses it when filling in;
    the check says so without filling in."""
    return any(node.attr.startswith("_") for node in tree.find_all(nodes.Getattr)) or any(
        isinstance(key := _constant(node.arg), str) and key.startswith("_")
        for node in tree.find_all(nodes.Getitem))


def _visit(node: nodes.Node, scope: dict[str, str], found: set[str]) -> None:
    if isinstance(node, nodes.For):
        _visit(node.iter, scope, found)
        inner = dict(scope)
        # a single loop variable is an item of its list; unpacked ones we cannot follow
        single = isinstance(node.target, nodes.Name)
        source = (_path(node.iter, scope) if single else None) or _NOT_A_FIELD
        for name in _target_names(node.target):
            inner[name] = source
        for child in [*node.body, *([node.test] if node.test else [])]:
            _visit(child, inner, found)
        for child in node.else_:
            _visit(child, scope, found)
        return
    if isinstance(node, nodes.Assign):
        _visit(node.node, scope, found)
        for name in _target_names(node.target):
            scope[name] = _path(node.node, scope) or _NOT_A_FIELD
        return
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
        # a method of a field (naam.upper()) is not a field: the object is
        for child in [node.node.node, *node.args, *(k.value for k in node.kwargs)]:
            _visit(child, scope, found)
        return
    path = _path(node, scope)
    if path is not None:
        if path:
            found.add(path)
        return
    for child in node.iter_child_nodes():
        _visit(child, scope, found)


def _target_names(target: nodes.Node) -> Iterator[str]:
    if isinstance(target, nodes.Name):
        yield target.name
    else:
        for child in target.iter_child_nodes():
            yield from _target_names(child)


def _path(node: nodes.Node, scope: dict[str, str]) -> str | None:
    """The field path of a name/attribute chain; "" for one that is no field (``loop``);
    None for an expression that is no chain (its parts are visited instead)."""
    if isinstance(node, nodes.Name):
        if node.name in scope:
            return scope[node.name]
        return _NOT_A_FIELD if node.name == "loop" else node.name
    if isinstance(node, nodes.Getattr | nodes.Getitem):
        key = node.attr if isinstance(node, nodes.Getattr) else _constant(node.arg)
        if key is None:
            return None
        base = _path(node.node, scope)
        if base is None or base == _NOT_A_FIELD:
            return base
        return base if isinstance(key, int) else f"{base}.{key}"
    if isinstance(node, nodes.Filter) and node.name in ("first", "last") and node.node:
        return _path(node.node, scope)  # an item of the list: the list's path
    return None


def _constant(node: nodes.Node) -> str | int | None:
    value = node.value if isinstance(node, nodes.Const) else None
    return value if isinstance(value, str | int) else None


def is_known(path: str, context: dict[str, Any]) -> bool:
    """True when ``path`` names a field of ``context`` (a list stands for its items; an
    empty list in the example cannot tell, so what follows it counts as known)."""
    value: Any = context
    for part in path.split("."):
        while isinstance(value, list):
            if not value:
                return True
            value = value[0]
        if not isinstance(value, dict) or part not in value:
            return False
        value = value[part]
    return True


# --- the check ----------------------------------------------------------------------------


def check_templates(catalogue: Catalogue, directory: str | Path | None = None) -> Report:
    """Check every template (the secretariat's own where present) against its fields and by
    filling it with the example data, and the secretariat's folder for Word files it does not
    use; see the module docstring for what is reported."""
    report = Report()
    if directory is not None:
        _check_folder(Path(directory), report)
    with tempfile.TemporaryDirectory(prefix="kwl-sjablonen-") as work:
        for kind in DocumentKind:
            _check_one(kind, catalogue, directory, Path(work), report)
    return report


def _check_one(kind: DocumentKind, catalogue: Catalogue, directory: str | Path | None,
               work: Path, report: Report) -> None:
    path = template_path(kind, directory)
    name = path.name
    if not path.is_file():
        report.add(make_finding("template-missing", file=name))
        return
    context = example_context(kind, catalogue)
    try:
        source = template_source(path)
    except TemplateUnreadable as err:
        report.add(make_finding("template-unreadable", file=name, reason=err.reason))
        return
    try:
        tree = template_environment().parse(source)
    except TemplateSyntaxError as err:
        report.add(make_finding("template-syntax", file=name, detail=syntax_detail(err, path)))
        return
    if reaches_inside(tree):
        report.add(make_finding("template-unsafe", file=name))
        return
    used = _fields(tree)
    unknown = sorted(field for field in used if not is_known(field, context))
    # "domeinen.foo" says nothing new when "domeinen" itself is unknown
    unknown = [field for field in unknown
               if not any(field.startswith(other + ".") for other in unknown)]
    for field in unknown:
        report.add(make_finding("template-unknown-field", file=name, field=field))
    shipped = shipped_templates() / name
    if shipped.is_file() and shipped.resolve() != path.resolve():
        for field in sorted(used_fields(shipped) - used):
            report.add(make_finding("template-unused-field", file=name, field=field))
    if unknown:
        return
    _check_filled(kind, context, path, work, report)


def _check_filled(kind: DocumentKind, context: dict[str, Any], path: Path, work: Path,
                  report: Report) -> None:
    name = path.name
    out = work / name
    try:
        render_document(kind, context, out, templates=path.parent)
    except TemplateProblem as err:
        cause = err.__cause__
        if isinstance(cause, SecurityError):
            report.add(make_finding("template-unsafe", file=name))
        elif isinstance(cause, UndefinedError):
            report.add(make_finding("template-syntax", file=name,
                                    detail=explain_template_error(cause)))
        else:
            report.add(make_finding("template-syntax", file=name,
                                    detail=syntax_detail(cause or err, path)))
        return
    text = "\n".join(document_lines(out))
    found = _FRAGMENT.search(text)
    if found:
        report.add(make_finding("template-broken-tag", file=name, fragment=found.group(0)))


# --- which files of a folder are templates --------------------------------------------------


def template_names() -> list[str]:
    """The file name of every template (``leerrapport.docx``, …)."""
    return [kind.template for kind in DocumentKind]


def own_templates(directory: str | Path | None) -> list[DocumentKind]:
    """The kinds whose template comes from ``directory``: a file there with exactly the
    template's name. The others are the shipped ones (:func:`template_path`)."""
    if directory is None:
        return []
    return [kind for kind in DocumentKind
            if template_path(kind, directory).parent == Path(directory)]


#: what a word processor saves a document as; a template in any of these but .docx is unused
_WORD_SUFFIXES = frozenset({".docx", ".dotx", ".docm", ".doc", ".dot", ".odt"})
#: what a file manager or Word adds to a copy: "leerrapport (2)", "leerrapport - kopie"
_COPY_SUFFIX = re.compile(r"(?:\s*\(\d+\)|\s*-\s*(?:kopie|copy)(?:\s*\(\d+\))?)+$")
_COPY_PREFIX = re.compile(r"^(?:kopie van|copy of)\s+")


def unused_files(directory: str | Path) -> dict[str, str | None]:
    """Every Word file in ``directory`` that no document uses because its name is not
    exactly a template's (``Leerrapport.docx``, ``leerrapport (2).docx``,
    ``leerrapport.dotx``), with the template it most likely means (None: none looks like
    it). Word's owner files (``~$…``) and hidden files are no templates; neither is a file
    that *is* a template on a file system that ignores case."""
    folder = Path(directory)
    if not folder.is_dir():
        return {}
    names = template_names()
    found: dict[str, str | None] = {}
    for entry in sorted(folder.iterdir()):
        name = entry.name
        if (name in names or name.startswith((".", "~$"))
                or entry.suffix.lower() not in _WORD_SUFFIXES or not entry.is_file()):
            continue
        meant = _meant(name, names)
        if meant is not None and _same_file(entry, folder / meant):
            continue
        found[name] = meant
    return found


def lookalike_templates(directory: str | Path, kinds: list[DocumentKind]) -> dict[str, str]:
    """The unused files in ``directory`` that look like the template of one of ``kinds``
    while that template is not there: the document is made with the shipped one instead."""
    needed = {kind.template for kind in kinds}
    return {name: meant for name, meant in unused_files(directory).items()
            if meant in needed and not (Path(directory) / meant).is_file()}


def _meant(name: str, names: list[str]) -> str | None:
    """The template a file name probably means: the same name in other capitals or with a
    copy's suffix, a name that starts with it, or one that is nearly the same."""
    stems = {Path(known).stem: known for known in names}
    stem = _COPY_PREFIX.sub("", _COPY_SUFFIX.sub("", Path(name).stem.strip().lower())).strip()
    if stem in stems:
        return stems[stem]
    starts = [known for known in stems if stem.startswith(known)]
    if starts:
        return stems[max(starts, key=len)]
    close = difflib.get_close_matches(stem, list(stems), n=1, cutoff=0.8)
    return stems[close[0]] if close else None


def _same_file(one: Path, other: Path) -> bool:
    try:
        return other.is_file() and os.path.samefile(one, other)
    except OSError:
        return False


def _check_folder(folder: Path, report: Report) -> None:
    for name, meant in unused_files(folder).items():
        if meant is not None:
            report.add(make_finding("template-misnamed", file=name, meant=meant))
        else:
            report.add(make_finding("template-unknown-file", file=name,
                                    names=dutch.join(template_names())))
    if not own_templates(folder):
        report.add(make_finding("template-folder-unused", file=str(folder),
                                count=len(DocumentKind),
                                example=DocumentKind.LEARNING_REPORT.template))


# --- where a tag that does not parse is -----------------------------------------------------


class SyntaxPlace(NamedTuple):
    """Where the tags of a template go wrong: the Dutch message, the paragraph to quote
    ("" when the message quotes all of it already) and where in it the broken tag starts."""

    message: str
    line: str
    at: int = 0


#: the block tags that need an end tag ({% set x %}…{% endset %} only: not with "=")
_BLOCKS = frozenset({"for", "if", "macro", "call", "filter", "with", "autoescape", "block",
                     "set"})
#: Jinja's words for a block tag left open ("Unexpected end of template", "unknown tag")
_INNERMOST = re.compile(r"innermost block that needs to be closed is '\w+'")
#: the start of a tag in a paragraph, and a block tag as it is typed ({%p for … %})
_TAG_START = re.compile(r"\{[{%#]")
_BLOCK_TAG = re.compile(r"\{%.*?%\}")
_DOCXTPL_PREFIX = re.compile(r"\{%(p|tr|tc|r)?")
#: how a tag begins and ends, by Jinja's token
_TAG_OPENS = {"variable_begin": ("{{", "}}"), "block_begin": ("{%", "%}")}
_TAG_CLOSES = frozenset({"variable_end", "block_end"})
#: the longest quote of a paragraph in a message
_QUOTE = 80


def syntax_detail(err: BaseException, path: str | Path) -> str:
    """Jinja's error in Dutch, with the paragraph of the document where the broken tag is
    (:func:`locate_syntax_error`); Jinja's message alone when the text parses."""
    place = locate_syntax_error(path)
    if place is None:
        return explain_template_error(err)
    if not place.line:
        return place.message
    return T.TEMPLATE_ERROR_AT.format(message=place.message, line=_quote(place.line, place.at))


def locate_syntax_error(path: str | Path) -> SyntaxPlace | None:
    """Where the tags of the template at ``path`` go wrong, read from its text (one paragraph
    or table row per line, docxtpl's tags as plain Jinja):

    - the first paragraph with a tag that does not lex or does not close within it (Jinja
      itself reads on into the next paragraph and complains there);
    - a block tag without its end tag: that tag, its end tag and its paragraph (Jinja only
      notices at the end of the document, or at the end tag of another block);
    - else the paragraph of Jinja's own error.

    None when the text parses: then what is wrong is in the document's XML only."""
    lines = document_lines(path)
    for line in lines:
        broken = _broken_tag(line)
        if broken is not None:
            message, at = broken
            return SyntaxPlace(message, line, at)
    source = "\n".join(_as_jinja(line) for line in lines)
    try:
        template_environment().parse(source)
    except TemplateSyntaxError as err:
        if _INNERMOST.search(err.message or ""):
            found = _open_block(source, lines)
            if found is not None:
                return found
        if err.lineno and 0 < err.lineno <= len(lines):
            line = lines[err.lineno - 1]
            return SyntaxPlace(explain_template_error(err), line, _failing_print(line))
    return None


#: inside a tag docxtpl reads Word's curly quotes as straight ones
_INSIDE_TAG = re.compile(r"(?<=\{[{%])(.*?)(?=[}%]\})")
_STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def _as_jinja(text: str) -> str:
    """A paragraph's text as Jinja reads it after docxtpl: its ``{%p``, ``{%tr``… and
    ``{% cellbg … %}`` as plain Jinja, curly quotes in tags straight."""
    text = _INSIDE_TAG.sub(lambda found: found.group(0).translate(_STRAIGHT), text)
    return _CELLBG.sub(r"{{ \1}}", _DOCXTPL_TAG.sub(r"{\1 ", text))


def _pieces(line: str) -> Iterator[tuple[int, str]]:
    """Each tag of a paragraph with the text up to the next one, and where it starts."""
    starts = [found.start() for found in _TAG_START.finditer(line)]
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(line)
        yield start, line[start:end]


def _broken_tag(line: str) -> tuple[str, int] | None:
    """The Dutch message for a paragraph whose tags Jinja cannot read, or with a tag that
    does not close in it, and where the first such tag starts (each tag read on its own, with
    the text after it up to the next tag); None for a paragraph whose tags are whole."""
    problem = _lex_problem(line)
    if problem is None:
        return None
    # the tag's own problem: read with the rest of the line, an unclosed tag runs into the
    # text after it and Jinja complains about an apostrophe there
    for start, piece in _pieces(line):
        found = _lex_problem(piece)
        if found is not None:
            return found, start
    return problem, 0


def _lex_problem(text: str) -> str | None:
    try:
        tokens = list(template_environment().lex(_as_jinja(text)))
    except TemplateSyntaxError as err:
        return explain_template_error(err)
    opened: tuple[str, str] | None = None
    for _, kind, _ in tokens:
        if kind in _TAG_OPENS:
            opened = _TAG_OPENS[kind]
        elif kind in _TAG_CLOSES:
            opened = None
    if opened is None:
        return None
    return T.TEMPLATE_TAG_UNCLOSED.format(start=opened[0], end=opened[1])


def _failing_print(line: str) -> int:
    """Where the first ``{{ … }}`` of a paragraph starts that Jinja cannot parse on its own
    (0 when none: the error is in a block tag, which cannot be parsed alone)."""
    environment = template_environment()
    for start, piece in _pieces(line):
        if piece.startswith("{{"):
            try:
                environment.parse(_as_jinja(piece))
            except TemplateSyntaxError:
                return start
    return 0


def _open_block(source: str, lines: list[str]) -> SyntaxPlace | None:
    """The block tag Jinja found open, matched as Jinja matches end tags: at the end of
    the document, or at an end tag of another block."""
    tokens = list(template_environment().lex(source))
    stack: list[tuple[str, int, int]] = []  # name, line number, n-th block tag on the line
    seen: dict[int, int] = {}
    for index, (lineno, kind, _) in enumerate(tokens):
        if kind != "block_begin":
            continue
        nth = seen.get(lineno, 0)
        seen[lineno] = nth + 1
        words = _tag_words(tokens, index)
        if not words or words[0][0] != "name":
            continue
        name = words[0][1]
        if name in _BLOCKS and not (name == "set" and ("assign", "=") in words):
            stack.append((name, lineno, nth))
        elif name.startswith("end") and name[3:] in _BLOCKS and stack:
            if stack[-1][0] == name[3:]:
                stack.pop()
            else:
                found = _typed_tag(lines, lineno, nth) or name
                return _block_place(T.TEMPLATE_BLOCK_WRONG_END, stack[-1], lines, found)
    return _block_place(T.TEMPLATE_BLOCK_UNCLOSED, stack[-1], lines) if stack else None


def _tag_words(tokens: list[tuple[int, str, str]], begin: int) -> list[tuple[str, str]]:
    """The tokens of the block tag starting at ``begin``, without whitespace."""
    words = []
    for _, kind, value in tokens[begin + 1:]:
        if kind == "block_end":
            break
        if kind != "whitespace":
            words.append(("assign" if value == "=" else kind, value))
    return words


def _typed_tag(lines: list[str], lineno: int, nth: int) -> str:
    """The n-th block tag of a line as it is typed in the document ({%p for … %})."""
    tags = [found.group(0) for found in _BLOCK_TAG.finditer(lines[lineno - 1])
            if not _CELLBG.match(found.group(0))]
    return tags[nth] if nth < len(tags) else ""


def _block_place(template: str, opened: tuple[str, int, int], lines: list[str],
                 found: str = "") -> SyntaxPlace:
    name, lineno, nth = opened
    tag = _typed_tag(lines, lineno, nth) or f"{{% {name} %}}"
    # the end tag of a paragraph's or a row's tag is one too: {%p endfor %}
    prefix = _DOCXTPL_PREFIX.match(tag)
    end = f"{{%{(prefix.group(1) if prefix else None) or ''} end{name} %}}"
    line = lines[lineno - 1]
    message = template.format(tag=tag, end=end, found=found)
    # a paragraph that is just the tag is quoted by the message already
    return SyntaxPlace(message, "" if line.strip() == tag else line, line.find(tag))


def _quote(line: str, at: int) -> str:
    """The paragraph, or the part of a long one around ``at`` (where the broken tag is)."""
    text = line.lstrip()
    if len(text) <= _QUOTE:
        return text
    at -= len(line) - len(text)
    begin = max(0, min(at - 20, len(text) - _QUOTE + 1))
    space = text.find(" ", begin, at) if begin else -1
    begin = space + 1 if space != -1 else begin  # from the start of a word
    end = min(len(text), begin + _QUOTE - 2)
    return ("…" if begin else "") + text[begin:end] + ("…" if end < len(text) else "")
