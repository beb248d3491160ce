"""``kwl benchmark``: the branch benchmark over round folders and consolidation folders.

Finds the consolidations (a round folder's ``uitvoer/<toetsing>/consolidation.json``, a
consolidation folder, a ``consolidation.json``, or a folder holding consolidation folders),
labels each with its round (the round's name in ``ronde.yaml``, else the name of the folder
the consolidation folder lies in), groups them per catalogue version and writes
``branche.json``, ``branche.xlsx`` and ``branchebeeld.docx`` (:func:`make_benchmark`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from kwl_office import texts_nl as T
from kwl_office.batch.folder import CONFIG_NAME, RoundFolder
from kwl_office.benchmark.compute import Source, compute_group
from kwl_office.benchmark.files import (
    DOCUMENT_NAME,
    JSON_NAME,
    WORKBOOK_NAME,
    write_benchmark_json,
)
from kwl_office.benchmark.model import Benchmark
from kwl_office.benchmark.workbook import write_benchmark_workbook
from kwl_office.catalogue import Catalogue, load_catalogue
from kwl_office.catalogue.loading import BUILT_IN
from kwl_office.consolidation.files import JSON_NAME as CONSOLIDATION_NAME
from kwl_office.consolidation.model import Consolidation
from kwl_office.documents.branch import write_benchmark_document
from kwl_office.dutch import join
from kwl_office.errors import CatalogueError, InvalidArgument


@dataclass
class Found:
    """What the sources hold: the consolidations with their round, the catalogues the round
    folders name, and what was left out (Dutch lines, for the command to print)."""

    sources: list[Source] = field(default_factory=list)
    catalogues: list[Catalogue] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def find_sources(paths: Sequence[str | Path]) -> Found:
    """The consolidations in round folders, consolidation folders or files (see the module
    docstring); a path that is none of these is an :class:`InvalidArgument`."""
    found = Found()
    for item in paths:
        path = Path(item)
        if path.is_dir() and (path / CONFIG_NAME).is_file():
            folder = RoundFolder(path)
            config = folder.config()
            found.catalogues.append(folder.catalogue_for(config))
            for file in sorted(folder.output.glob(f"*/{CONSOLIDATION_NAME}")):
                _add(found, file, config.naam)
        elif path.is_file() and path.name == CONSOLIDATION_NAME:
            _add(found, path, _round_label(path))
        elif path.is_dir() and (path / CONSOLIDATION_NAME).is_file():
            _add(found, path / CONSOLIDATION_NAME, _round_label(path / CONSOLIDATION_NAME))
        elif path.is_dir():
            files = sorted(path.rglob(CONSOLIDATION_NAME))
            if not files:
                raise InvalidArgument(T.BENCH_NOT_FOUND.format(path=path))
            for file in files:
                _add(found, file, _round_label(file))
        else:
            raise InvalidArgument(T.BENCH_NOT_FOUND.format(path=path))
    return found


def _round_label(file: Path) -> str:
    """The round of a consolidation outside a named round: the round folder's name when it
    lies in one (``RONDE/uitvoer/<toetsing>/``), else the folder its folder lies in."""
    folder = file.resolve().parent
    round_root = folder.parent.parent
    if (round_root / CONFIG_NAME).is_file():
        return RoundFolder(round_root).config().naam
    return folder.parent.name


def _add(found: Found, file: Path, label: str) -> None:
    try:
        cons = Consolidation.from_json(json.loads(file.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as err:
        raise InvalidArgument(T.DOC_NO_CONSOLIDATION.format(path=file)) from err
    if not cons.valid:
        found.skipped.append(T.BENCH_SKIPPED.format(what=file))
        return
    found.sources.append(Source(cons, label))


def _known_catalogues(found: Found, extra: Sequence[Catalogue]) -> dict[str, Catalogue]:
    known: dict[str, Catalogue] = {}
    for name in BUILT_IN:
        try:
            cat = load_catalogue(name)
        except CatalogueError:  # a built-in name whose file is not shipped (yet)
            continue
        known[cat.fingerprint] = cat
    for cat in [*found.catalogues, *extra]:
        known[cat.fingerprint] = cat
    return known


def group_sources(found: Found, catalogues: Sequence[Catalogue] = ()
                  ) -> list[tuple[Catalogue, list[Source]]]:
    """The sources per catalogue version (by fingerprint), in the order first seen; a
    version none of the catalogues matches is an :class:`InvalidArgument` naming it."""
    known = _known_catalogues(found, catalogues)
    groups: dict[str, list[Source]] = {}
    for source in found.sources:
        groups.setdefault(source.consolidation.catalogue_fingerprint, []).append(source)
    for fingerprint, sources in groups.items():
        if fingerprint not in known:
            first = sources[0].consolidation
            raise InvalidArgument(T.BENCH_UNKNOWN_CATALOGUE.format(
                assessments=join(sorted({s.consolidation.assessment_id for s in sources})),
                catalogue=f"{first.catalogue_id} {first.catalogue_version}"))
    return [(known[fingerprint], sources) for fingerprint, sources in groups.items()]


def smallest_group(catalogue: Catalogue, min_group: int | None, allow_small: bool) -> int:
    """k for a catalogue version: ``min_group`` when given (below the policy only with
    ``allow_small``), else the policy's ``min_groep_branche``."""
    policy = catalogue.policy.min_group_branch
    if min_group is None:
        return policy
    if min_group < policy and not allow_small:
        raise InvalidArgument(T.BENCH_BELOW_POLICY.format(
            k=min_group, policy=policy, catalogue=f"{catalogue.title} {catalogue.version}"))
    return min_group


@dataclass
class BenchmarkResult:
    """What :func:`make_benchmark` made."""

    benchmark: Benchmark
    written: list[Path]
    skipped: list[str]


def make_benchmark(paths: Sequence[str | Path], out_dir: str | Path, *,
                   catalogues: Sequence[Catalogue] = (), min_group: int | None = None,
                   allow_small: bool = False, today: date | None = None,
                   templates: str | Path | None = None) -> BenchmarkResult:
    """Compute the branch benchmark over ``paths`` and write ``branche.json``,
    ``branche.xlsx`` and ``branchebeeld.docx`` into ``out_dir``.

    ``catalogues``: catalogue versions besides the round folders' own and the built-in ones;
    ``min_group``: the smallest group shown (k), at least the policy's unless
    ``allow_small``.
    """
    found = find_sources(paths)
    grouped = group_sources(found, catalogues)
    if not grouped:
        raise InvalidArgument(T.BENCH_NO_SOURCES.format(sources=join(str(p) for p in paths)))
    benchmark = Benchmark(groups=[
        compute_group(cat, sources, smallest_group(cat, min_group, allow_small))
        for cat, sources in grouped])
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = [
        write_benchmark_json(out / JSON_NAME, benchmark),
        write_benchmark_workbook(out / WORKBOOK_NAME, benchmark),
        write_benchmark_document(benchmark, grouped[0][0], out / DOCUMENT_NAME, today=today,
                                 templates=templates),
    ]
    return BenchmarkResult(benchmark, written, found.skipped)
