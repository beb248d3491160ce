"""Helping the secretariat edit templates: documented fields and a check before a batch.

``describe_fields`` lists what a template can use, with example values; ``check_templates``
reads every template and reports, each with its full field path and in Dutch:

- every unknown field (``organisatie.adres.regels``, ``domeinen.normen.foo``: the fields of
  a loop variable are named by the list they come from), not only the first;
- broken tags, with Jinja's message in Dutch and the line of the document where it is
  (:mod:`kwl_office.documents.tags`);
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

A batch (``kwl round report``) asks :func:`require_usable_templates` first: a template that no
document can be made with is refused once, not once per assessment.
"""

from __future__ import annotations

import difflib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

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
from kwl_office.documents.tags import syntax_detail
from kwl_office.documents.text import document_lines
from kwl_office.errors import TemplateProblem, TemplateUnreadable
from kwl_office.findings import Report, make_finding

_FRAGMENT = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
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


def unknown_fields(used: Iterable[str], context: dict[str, Any]) -> list[str]:
    """The fields of ``used`` that ``context`` (a kind's example fields) does not have, sorted;
    ``domeinen.foo`` is left out when ``domeinen`` itself is unknown (it says nothing new)."""
    unknown = sorted(field for field in used if not is_known(field, context))
    return [field for field in unknown
            if not any(field.startswith(other + ".") for other in unknown)]


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
    unknown = unknown_fields(used, context)
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


# --- before a batch: the templates it needs can be used at all -------------------------------


def unusable_templates(kinds: Iterable[DocumentKind], directory: str | Path | None,
                       catalogue: Catalogue) -> list[str]:
    """One Dutch line for each of the secretariat's own templates of ``kinds`` (in
    ``directory``) that no document could be made with: a file that is no Word document
    (.docx), tags that do not parse (with the place, as :func:`check_templates` names it), a
    template that reaches into Python's internals, or one that uses a field its kind does
    not have (every such field named). The same for every document, so a batch asks once,
    before it starts; the shipped templates are fine as they are.

    An unknown field is found in the template's text, not by filling it, so also where it
    stands in a part only some documents show (``{% if … %}``): filling would fail exactly
    those documents, after their decision was taken and their number registered."""
    problems = []
    own = own_templates(directory)
    for kind in dict.fromkeys(kinds):
        if kind not in own:
            continue
        path = template_path(kind, directory)
        try:
            tree = template_environment().parse(template_source(path))
        except TemplateUnreadable as err:
            problems.append(str(err))
            continue
        except TemplateSyntaxError as err:
            problems.append(T.TEMPLATE_BROKEN.format(template=path.name,
                                                     detail=syntax_detail(err, path)))
            continue
        if reaches_inside(tree):
            problems.append(T.TEMPLATE_UNSAFE.format(template=path.name))
        elif unknown := unknown_fields(_fields(tree), example_context(kind, catalogue)):
            problems.append(T.TEMPLATE_UNKNOWN_FIELDS[len(unknown) > 1].format(
                template=path.name, fields=dutch.join(f"'{field}'" for field in unknown)))
    return problems


def require_usable_templates(kinds: Iterable[DocumentKind], directory: str | Path | None,
                             catalogue: Catalogue) -> None:
    """Refuse a batch (:class:`TemplateProblem`, one message naming every template and what is
    wrong with it) when one of the templates it needs is unusable (:func:`unusable_templates`),
    instead of failing every document the same way."""
    problems = unusable_templates(kinds, directory, catalogue)
    if problems:
        text = T.TEMPLATES_UNUSABLE[0 if len(problems) == 1 else 1]
        raise TemplateProblem(text.format(problems="; ".join(problems), folder=directory))


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
