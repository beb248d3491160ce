"""``kwl consolidate``: combine the workbooks of one assessment into one judgement per norm."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kwl_office import texts_nl as T
from kwl_office.catalogue import Catalogue, load_catalogue
from kwl_office.cli.base import KwlCommand, argument
from kwl_office.cli.common import (
    catalogue_option,
    echo,
    echo_finding,
    handle_errors,
    key_option,
    styled,
)
from kwl_office.consolidation.files import JSON_NAME, WORKBOOK_NAME, consolidate_files
from kwl_office.consolidation.model import Consolidation
from kwl_office.dutch import count, decimal
from kwl_office.errors import ExitCode
from kwl_office.identity import load_key
from kwl_office.kinds import Variant


@click.command("consolidate", cls=KwlCommand, help=T.HELP["consolidate"],
               examples=T.EXAMPLES["consolidate"])
@argument("inputs", nargs=-1, required=True, type=click.Path(exists=True),
          metavar=T.METAVARS["workbooks"])
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False),
              metavar=T.METAVARS["folder"], help=T.HELP["outdir"])
@click.option("--overrides", type=click.Path(exists=True, dir_okay=False), default=None,
              metavar=T.METAVARS["workbook"], help=T.HELP["overrides"])
@click.option("--variant", type=click.Choice([v.value for v in Variant]), default=None,
              help=T.HELP["variant"])
@click.option("--json", "as_json", is_flag=True, help=T.HELP["json_consolidation"])
@catalogue_option
@key_option
@handle_errors
def consolidate_command(inputs: tuple[str, ...], outdir: str, overrides: str | None,
                        variant: str | None, as_json: bool, catalogue_path: str | None,
                        key_file: str | None) -> None:
    cat = load_catalogue(catalogue_path)
    result = consolidate_files(
        inputs, outdir, catalogue=cat, key=load_key(key_file, create=False),
        overrides=overrides, variant=Variant(variant) if variant else None)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_consolidation(result, cat)
        echo(T.CLI_WRITTEN.format(path=Path(outdir) / JSON_NAME))
        echo(T.CLI_WRITTEN.format(path=Path(outdir) / WORKBOOK_NAME))
    sys.exit(ExitCode.OK if result.valid else ExitCode.INVALID)


def _share(value: float | None) -> str:
    return "  –  " if value is None else f"{value:>4.0%}"


def _alpha(value: float | None) -> str:
    return "–" if value is None else decimal(value, 2)


def _print_consolidation(result: Consolidation, cat: Catalogue) -> None:
    echo(T.CLI_CONSOLIDATED.format(
        host=result.host, assessment=result.assessment_id,
        variant=T.VARIANT_LABELS[result.variant.value],
        reviewers=count(len(result.reviewers), "reviewer"),
        selfeval=T.CLI_WITH_SELF_EVALUATION if result.self_evaluation else ""))
    advice = T.ADVICE_LABELS[result.advice.value] if result.advice else T.NO_ADVICE
    echo(styled(T.CLI_ADVICE.format(advice=advice), bold=True), raw=True)
    if result.blocking_norms:
        echo(T.CLI_BLOCKING.format(norms=", ".join(result.blocking_norms)))
    rows = [*result.domains.values(), result.overall]
    width = max(len(summary.title) for summary in rows)
    digits = max(len(str(summary.applicable)) for summary in rows)
    for summary in rows:
        counts = " ".join(f"{code} {summary.counts[code]:>2}" for code in summary.counts)
        line = T.CLI_DOMAIN_LINE.format(
            title=summary.title, width=width, counts=counts, open=summary.open,
            share=_share(summary.share_met), applicable=summary.applicable, digits=digits,
            disagreements=summary.disagreements)
        if result.has_agreement:
            line += T.CLI_DOMAIN_ALPHA.format(alpha=_alpha(summary.alpha))
        echo(line)
    overall = result.overall
    # a bare percentage says nothing about what it is of (the reports say it the same way)
    total = ("" if overall.share_met is None else T.CLI_SHARE_MET_TOTAL.format(
        share=_share(overall.share_met).strip(), norms=count(overall.applicable, "norm")))
    echo(T.CLI_SHARE_MET.format(total=total))
    agreement = result.agreement
    if result.has_agreement:
        echo(T.CLI_AGREEMENT.format(
            alpha=_alpha(agreement.alpha), percent=_share(agreement.percent_agreement).strip(),
            units=agreement.pairable_units))
    for finding in result.findings:
        echo_finding(finding)
