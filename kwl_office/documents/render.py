"""Render a Word template with docxtpl.

Templates live in ``docx_templates/`` (shipped inside the package); a secretariat's own
folder overrides them file by file. Text is escaped (Jinja autoescape), multi-line text keeps
its line breaks, and charts become inline images.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage, Listing
from jinja2 import StrictUndefined, Template, TemplateError, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from kwl_office import texts_nl as T
from kwl_office.atomic import atomic_path
from kwl_office.documents.charts import Chart
from kwl_office.documents.registry import DocumentKind
from kwl_office.errors import TemplateProblem

TEMPLATES_ENV = "KWL_TEMPLATES"


def shipped_templates() -> Path:
    """The template folder inside the installed package (or the source tree)."""
    packaged = Path(str(resources.files("kwl_office"))) / "_shipped" / "docx_templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "docx_templates"


def template_path(kind: DocumentKind, templates: str | Path | None = None) -> Path:
    """The template to use: the secretariat's own file when present, else the shipped one."""
    name = f"{kind.value}.docx"
    if templates is not None:
        own = Path(templates) / name
        if own.is_file():
            return own
    return shipped_templates() / name


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
        self._compiled: dict[str, Template] = {}

    def from_string(self, source: str | nodes.Template, globals: Any = None,
                    template_class: type[Template] | None = None) -> Template:
        if not isinstance(source, str) or globals is not None or template_class is not None:
            return super().from_string(source, globals, template_class)
        return _remembered(self._compiled, source, super().from_string)


class _Template(DocxTemplate):  # type: ignore[misc]
    """docxtpl's template with its XML clean-up (``patch_xml``) remembered per source text."""

    _patched: dict[str, str] = {}

    def patch_xml(self, src_xml: str) -> str:
        return _remembered(self._patched, src_xml, super().patch_xml)


_ENVIRONMENT = _CachingEnvironment()


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
    try:
        template.render(_prepare(context, template), jinja_env=_ENVIRONMENT,
                        autoescape=True)
    except SecurityError as err:
        raise TemplateProblem(T.TEMPLATE_UNSAFE.format(template=path.name)) from err
    except TemplateError as err:
        raise TemplateProblem(T.TEMPLATE_BROKEN.format(
            template=path.name, detail=getattr(err, "message", None) or str(err))) from err
    out = Path(out)
    with atomic_path(out) as tmp:
        template.save(tmp)
    return out
