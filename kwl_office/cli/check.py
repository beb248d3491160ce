"""``kwl check``: check filled workbooks; one line (or one JSON object) per file."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind
from kwl_office.catalogue import load_catalogue
from kwl_office.cli.base import KwlCommand, argument
from kwl_office.cli.common import (
    catalogue_option,
    echo,
    echo_findings,
    echo_submission,
    handle_errors,
    key_option,
)
from kwl_office.errors import ExitCode
from kwl_office.excel.reader import ReadRequest, read_submissions
from kwl_office.identity import load_key


@click.command("check", cls=KwlCommand, help=T.HELP["check"], examples=T.EXAMPLES["check"])
@argument("files", nargs=-1, required=True, type=click.Path(),
          metavar=T.METAVARS["workbook"])
@click.option("--json", "as_json", is_flag=True, help=T.HELP["json"])
@click.option("--kind", type=click.Choice([k.value for k in Kind]), default=None,
              help=T.HELP["kind"])
@click.option("--allow-incomplete", is_flag=True, help=T.HELP["allow_incomplete"])
@catalogue_option
@key_option
@handle_errors
def check_command(files: tuple[str, ...], as_json: bool, kind: str | None,
                  allow_incomplete: bool, catalogue_path: str | None,
                  key_file: str | None) -> None:
    cat = load_catalogue(catalogue_path)
    key = load_key(key_file, create=False)
    expected = Kind(kind) if kind else None
    subs = read_submissions([ReadRequest(file, name=file) for file in files], cat, key=key,
                            expected_kind=expected, allow_incomplete=allow_incomplete)
    for sub in subs:
        if as_json:
            continue
        if sub.unreadable:
            # one line, on stderr: the file itself could not be used
            echo(T.CLI_UNREADABLE.format(message=sub.report.findings[0].message),
                       err=True)
        else:
            echo_submission(sub, cat)
            echo_findings(sub)
    if as_json:
        results = [sub.to_json() for sub in subs]
        payload: Any = results[0] if len(results) == 1 else results
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    if any(sub.unreadable for sub in subs):
        sys.exit(ExitCode.UNUSABLE)
    sys.exit(ExitCode.OK if all(sub.valid for sub in subs) else ExitCode.INVALID)
