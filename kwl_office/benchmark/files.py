"""``branche.json``: writing and reading the published benchmark."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from kwl_office import texts_nl as T
from kwl_office.atomic import write_text_atomic
from kwl_office.benchmark.model import Benchmark
from kwl_office.errors import InvalidArgument

JSON_NAME = "branche.json"
WORKBOOK_NAME = "branche.xlsx"
DOCUMENT_NAME = "branchebeeld.docx"


def write_benchmark_json(path: str | Path, benchmark: Benchmark) -> Path:
    """Write ``branche.json`` atomically."""
    text = json.dumps(benchmark.to_json(), ensure_ascii=False, indent=2) + "\n"
    return write_text_atomic(path, text)


def load_benchmark(path: str | Path) -> Benchmark:
    """Read ``branche.json`` (or the folder holding it); raises
    :class:`~kwl_office.errors.InvalidArgument` naming the file when it is no benchmark."""
    found = Path(path)
    if found.is_dir():
        found = found / JSON_NAME
    try:
        return Benchmark.model_validate(json.loads(found.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as err:
        raise InvalidArgument(T.BENCH_NOT_A_BENCHMARK.format(path=found)) from err
