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
  a warning for every field left out would teach people to ignore warnings.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docx import Document
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
    render_document,
    shipped_templates,
    template_environment,
    template_path,
)
from kwl_office.documents.text import document_lines
from kwl_office.errors import TemplateProblem
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
    lines = [T.TEMPLATE_FIELDS_HEADER.format(template=f"{kind.value}.docx")]
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
    document = Document(str(path))
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
    filling it with the example data; see the module docstring for what is reported."""
    report = Report()
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
        tree = template_environment().parse(template_source(path))
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


def syntax_detail(err: BaseException, path: str | Path) -> str:
    """Jinja's error in Dutch, with the line of the document where it is (found by reading
    the document's text as a template, one paragraph or table row per line)."""
    message = explain_template_error(err)
    line = _error_line(path)
    return T.TEMPLATE_ERROR_AT.format(message=message, line=line) if line else message


def _error_line(path: str | Path) -> str:
    lines = document_lines(path)
    text = "\n".join(_CELLBG.sub(r"{{ \1}}", _DOCXTPL_TAG.sub(r"{\1 ", line))
                     for line in lines)
    try:
        template_environment().parse(text)
    except TemplateSyntaxError as err:
        if err.lineno and 0 < err.lineno <= len(lines):
            found = lines[err.lineno - 1].strip()
            return found if len(found) <= 80 else found[:79] + "…"
    return ""
