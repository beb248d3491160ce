"""``kwl benchmark``: the anonymised branch benchmark over rounds and consolidations."""

from __future__ import annotations

import sys

import click

from kwl_office import texts_nl as T
from kwl_office.batch.benchmark import make_benchmark
from kwl_office.benchmark.workbook import smallest_group_text
from kwl_office.catalogue import load_catalogue
from kwl_office.cli.base import KwlCommand, WholeNumber, argument
from kwl_office.cli.common import echo, handle_errors
from kwl_office.documents.pdf import convert_to_pdf
from kwl_office.dutch import count
from kwl_office.errors import ExitCode, LibreOfficeMissing


@click.command("benchmark", cls=KwlCommand, help=T.HELP["benchmark"],
               examples=T.EXAMPLES["benchmark"])
@argument("sources", nargs=-1, required=True, type=click.Path(exists=True),
          metavar=T.METAVARS["benchmark_sources"])
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False),
              metavar=T.METAVARS["folder"], help=T.HELP["benchmark_outdir"])
@click.option("--min-group", type=WholeNumber(min=2), default=None,
              metavar=T.METAVARS["count"], help=T.HELP["benchmark_min_group"])
@click.option("--allow-small-groups", is_flag=True, help=T.HELP["benchmark_allow_small"])
@click.option("--catalogue", "catalogue_paths", multiple=True, type=click.Path(),
              metavar=T.METAVARS["file"], help=T.HELP["benchmark_catalogue"])
@click.option("--pdf", is_flag=True, help=T.HELP["pdf"])
@handle_errors
def benchmark_command(sources: tuple[str, ...], outdir: str, min_group: int | None,
                      allow_small_groups: bool, catalogue_paths: tuple[str, ...],
                      pdf: bool) -> None:
    result = make_benchmark(sources, outdir,
                            catalogues=[load_catalogue(p) for p in catalogue_paths],
                            min_group=min_group, allow_small=allow_small_groups)
    for group in result.benchmark.groups:
        rounds = ", ".join(
            f"{r.label} ({count(r.organisations, 'host')})" if r.organisations is not None
            else f"{r.label} (<{group.min_group} organisaties)" for r in group.rounds)
        echo(T.BENCH_SUMMARY.format(
            catalogue=f"{group.catalogue_title}, {T.BENCH_VERSION} {group.catalogue_version}",
            rounds=rounds, k=smallest_group_text(group)))
    for line in result.skipped:
        echo(line)
    for path in result.written:
        echo(T.CLI_WRITTEN.format(path=path))
    if pdf:
        try:
            for made in convert_to_pdf([p for p in result.written if p.suffix == ".docx"]):
                echo(T.CLI_WRITTEN.format(path=made))
        except LibreOfficeMissing as err:
            echo(f"kwl: {err}", err=True)
            sys.exit(ExitCode.INVALID)
