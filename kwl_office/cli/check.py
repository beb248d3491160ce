"""``kwl check``: check filled workbooks; one line (or one JSON object) per file."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind
from kwl_office.catalogue import load_catalogue
from kwl_office.cli.common import (
    catalogue_option,
    echo_findings,
    echo_submission,
    handle_errors,
    key_option,
)
from kwl_office.errors import UnreadableFile
from kwl_office.excel.reader import read_workbook
from kwl_office.identity import load_key


@click.command("check", help=T.HELP["check"])
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help=T.HELP["json"])
@click.option("--kind", type=click.Choice([k.value for k in Kind]), default=None,
              help=T.HELP["kind"])
@click.option("--allow-incomplete", is_flag=True, help=T.HELP["allow_incomplete"])
@catalogue_option
@key_option
@handle_errors
def check_command(files: tuple[str, ...], as_json: bool, kind: str | None, allow_incomplete: bool,
          catalogue_path: str | None, key_file: str | None) -> None:
    cat = load_catalogue(catalogue_path)
    key = load_key(key_file, create=False)
    expected = Kind(kind) if kind else None
    results: list[dict[str, Any]] = []
    unreadable = invalid = False
    for file in files:
        try:
            sub = read_workbook(file, cat, key=key, expected_kind=expected,
                                allow_incomplete=allow_incomplete)
        except UnreadableFile as err:
            unreadable = True
            results.append({"file": file, "valid": False, "error": err.reason,
                            "error_type": type(err).__name__, "findings": []})
            if not as_json:
                click.echo(T.CLI_UNREADABLE.format(message=err), err=True)
            continue
        invalid = invalid or not sub.valid
        results.append(sub.to_json())
        if not as_json:
            echo_submission(sub)
            echo_findings(sub)
    if as_json:
        payload: Any = results[0] if len(results) == 1 else results
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    sys.exit(2 if unreadable else 1 if invalid else 0)
