"""``kwl check``: check filled workbooks; one line (or one JSON object) per file."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind, Submission
from kwl_office.catalogue import load_catalogue
from kwl_office.cli.base import KwlCommand, KwlOption, argument
from kwl_office.cli.common import (
    catalogue_option,
    echo,
    echo_findings,
    echo_submission,
    handle_errors,
)
from kwl_office.errors import ExitCode
from kwl_office.excel.reader import ReadRequest, read_submissions
from kwl_office.identity import load_key, verification_key_path
from kwl_office.places import default_key_path


@click.command("check", cls=KwlCommand, help=T.HELP["check"], examples=T.EXAMPLES["check"])
@argument("files", nargs=-1, required=True, type=click.Path(),
          metavar=T.METAVARS["workbook"])
@click.option("--json", "as_json", is_flag=True, help=T.HELP["json"])
@click.option("--kind", type=click.Choice([k.value for k in Kind]), default=None,
              help=T.HELP["kind"])
@click.option("--allow-incomplete", is_flag=True, help=T.HELP["allow_incomplete"])
@catalogue_option
@click.option("--key", "key_file", type=click.Path(), default=None, cls=KwlOption,
              metavar=T.METAVARS["file"], shown_path=default_key_path,
              help=T.HELP["key_option_check"])
@handle_errors
def check_command(files: tuple[str, ...], as_json: bool, kind: str | None,
                  allow_incomplete: bool, catalogue_path: str | None,
                  key_file: str | None) -> None:
    cat = load_catalogue(catalogue_path)
    expected = Kind(kind) if kind else None
    # each file with the key that applies to it (the round it lies in has its own), the
    # files of one key read together, the results in the order given
    by_key: dict[Path | None, list[int]] = {}
    for i, file in enumerate(files):
        by_key.setdefault(verification_key_path(file, key_file), []).append(i)
    subs: list[Submission | None] = [None] * len(files)
    for path, indices in by_key.items():
        key = load_key(path, create=False) if path is not None else None
        read = read_submissions([ReadRequest(files[i], name=files[i]) for i in indices], cat,
                                key=key, expected_kind=expected,
                                allow_incomplete=allow_incomplete, explain_empty=True,
                                key_name=str(path) if key is not None else None)
        for i, sub in zip(indices, read, strict=True):
            subs[i] = sub
    done = [sub for sub in subs if sub is not None]
    for sub in done:
        if as_json:
            continue
        if sub.unreadable:
            # one line, on stderr: the file itself could not be used
            echo(T.CLI_UNREADABLE.format(message=sub.report.findings[0].message),
                       err=True)
        else:
            echo_submission(sub, cat, allow_incomplete=allow_incomplete)
            echo_findings(sub)
    if as_json:
        results = [sub.to_json() for sub in done]
        payload: Any = results[0] if len(results) == 1 else results
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    if any(sub.unreadable for sub in done):
        sys.exit(ExitCode.UNUSABLE)
    sys.exit(ExitCode.OK if all(sub.valid for sub in done) else ExitCode.INVALID)

