"""Helping the secretariat edit templates: documented fields and a check before a batch.

``describe_fields`` lists what a template can use, with example values; ``check_templates``
renders every template with the example data and reports unknown fields, unused fields,
broken tags and leftover tag fragments (what Word does to a tag typed in pieces).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from kwl_office import texts_nl as T
from kwl_office.catalogue import Catalogue
from kwl_office.documents.charts import Chart
from kwl_office.documents.examples import example_context
from kwl_office.documents.registry import DocumentKind
from kwl_office.documents.render import render_document, template_path
from kwl_office.documents.text import document_lines
from kwl_office.errors import TemplateProblem
from kwl_office.findings import Report, make_finding

_FRAGMENT = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
_UNDEFINED = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")


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
        lines = [f"{indent}{path}: {T.TEMPLATE_LIST.format(count=len(value))}{note}"]
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


def check_templates(catalogue: Catalogue, directory: str | Path | None = None) -> Report:
    """Render every template (the secretariat's own where present) with example data."""
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
    template = DocxTemplate(path)
    try:
        used = template.get_undeclared_template_variables(Environment())
    except TemplateSyntaxError as err:
        report.add(make_finding("template-syntax", file=name, detail=_detail(err)))
        return
    for field in sorted(used - set(context)):
        report.add(make_finding("template-unknown-field", file=name, field=field))
    for field in sorted(set(context) - used):
        report.add(make_finding("template-unused-field", file=name, field=field))
    if used - set(context):
        return
    out = work / name
    try:
        render_document(kind, context, out, templates=path.parent)
    except TemplateProblem as err:
        cause = err.__cause__
        if isinstance(cause, SecurityError):
            report.add(make_finding("template-unsafe", file=name))
            return
        if isinstance(cause, UndefinedError):
            match = _UNDEFINED.search(str(cause))
            field = next((g for g in match.groups() if g), str(cause)) if match else str(cause)
            report.add(make_finding("template-unknown-field", file=name, field=field))
        else:
            report.add(make_finding("template-syntax", file=name,
                                    detail=_detail(cause or err)))
        return
    text = "\n".join(document_lines(out))
    found = _FRAGMENT.search(text)
    if found:
        report.add(make_finding("template-broken-tag", file=name, fragment=found.group(0)))


def _detail(err: BaseException) -> str:
    line = getattr(err, "lineno", None)
    message = getattr(err, "message", None) or str(err)
    return f"{message} (regel {line})" if line else message
