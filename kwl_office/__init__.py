"""kwl_office: the tooling behind the Kwaliteitslabel Sociaal Werk.

The public API lives in the submodules; the most used entry points are available here::

    from kwl_office import load_catalogue, write_workbook, read_workbook

They are imported on first use (PEP 562), so ``import kwl_office`` — and with it every ``kwl``
command — does not pay for openpyxl, calamine or pydantic until it needs them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kwl_office._version import __version__
    from kwl_office.catalogue import Catalogue, load_catalogue, load_example_catalogue
    from kwl_office.errors import KwlError
    from kwl_office.excel.reader import read_workbook
    from kwl_office.excel.writer import write_workbook

_LAZY = {
    "__version__": "kwl_office._version",
    "Catalogue": "kwl_office.catalogue",
    "load_catalogue": "kwl_office.catalogue",
    "load_example_catalogue": "kwl_office.catalogue",
    "KwlError": "kwl_office.errors",
    "read_workbook": "kwl_office.excel.reader",
    "write_workbook": "kwl_office.excel.writer",
}

__all__ = [
    "Catalogue",
    "KwlError",
    "__version__",
    "load_catalogue",
    "load_example_catalogue",
    "read_workbook",
    "write_workbook",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kwl_office' has no attribute {name!r}")
