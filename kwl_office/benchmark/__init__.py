"""The branch benchmark: where the branch stands, anonymised (README, "Het branchebeeld").

:mod:`~kwl_office.benchmark.compute` (pure: distributions and suppression),
:mod:`~kwl_office.benchmark.model` (``branche.json``), :mod:`~kwl_office.benchmark.files`
and :mod:`~kwl_office.benchmark.workbook` (``branche.xlsx``). The document
(``branchebeeld.docx``) and the position lines in an organisation's own report are in
:mod:`kwl_office.documents.branch`; reading round folders and writing everything at once is
:func:`kwl_office.batch.benchmark.make_benchmark`.
"""

from kwl_office.benchmark.compute import Source, compute_benchmark
from kwl_office.benchmark.files import load_benchmark, write_benchmark_json
from kwl_office.benchmark.model import Benchmark, CatalogueGroup, Cell, Round

__all__ = ["Benchmark", "CatalogueGroup", "Cell", "Round", "Source", "compute_benchmark",
           "load_benchmark", "write_benchmark_json"]
