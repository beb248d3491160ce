"""kwl_office: the tooling behind the Kwaliteitslabel Sociaal Werk.

The public API lives in the submodules; the most used entry points are re-exported here::

    from kwl_office import load_catalogue, write_workbook, read_workbook
"""

from kwl_office._version import __version__
from kwl_office.catalogue import Catalogue, load_catalogue, load_example_catalogue
from kwl_office.errors import KwlError
from kwl_office.excel.reader import read_workbook
from kwl_office.excel.writer import write_workbook

__all__ = [
    "Catalogue",
    "KwlError",
    "__version__",
    "load_catalogue",
    "load_example_catalogue",
    "read_workbook",
    "write_workbook",
]
