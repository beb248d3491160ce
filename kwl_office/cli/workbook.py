"""``kwl workbook …``: make the workbooks people fill in (self-evaluation, peer, audit)."""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from kwl_office import texts_nl as T
from kwl_office.assessment import Kind, Submission
from kwl_office.catalogue import Catalogue, load_catalogue
from kwl_office.cli.base import KwlGroup
from kwl_office.cli.common import (
    F,
    catalogue_option,
    date_option,
    echo,
    echo_findings,
    echo_wrapped,
    handle_errors,
    printable,
    signing_key_option,
)
from kwl_office.errors import CatalogueError, ExitCode
from kwl_office.excel.reader import read_workbook
from kwl_office.excel.writer import WorkbookSpec, workbook_path, write_workbook
from kwl_office.identity import load_key
from kwl_office.names import control_character, same_name

if TYPE_CHECKING:
    from kwl_office.catalogue.carry import CarryOver


@click.group("workbook", cls=KwlGroup, help=T.HELP["workbook"], examples=T.EXAMPLES["workbook"])
def workbook_group() -> None:
    """``kwl workbook …``."""


class _Name(click.ParamType[str]):
    """An organisation's or reviewer's name (``--host``, ``--reviewer``). A control character
    in it is refused, as the manifest refuses it (``manifest-control-character``): left out
    silently, ``West<ESC>[31mROOD`` would become the name ``West[31mROOD`` in the workbook and
    every document made from it."""

    name = "naam"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        text = str(value)
        # bytes that are no UTF-8 reach Python as lone surrogates (surrogateescape); they
        # would stop the signing with a traceback. Shown as the bytes they were.
        shown = printable("".join(_surrogate(c) or c for c in text))
        undecodable = next((c for c in text if _surrogate(c)), None)
        if undecodable is not None:
            self.fail(T.CLI_NAME_NOT_TEXT.format(value=shown, char=_surrogate(undecodable)),
                      param, ctx)
        char = control_character(text)
        if char is not None:
            self.fail(T.CLI_NAME_CONTROL_CHARACTER.format(value=shown, char=char), param, ctx)
        return text


_NAME = _Name()


def _surrogate(char: str) -> str:
    """A lone surrogate as the byte it stands for (``\\x85``), else ``""``."""
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}" if 0xD800 <= code <= 0xDFFF else ""


def _common_workbook_options(func: F) -> F:
    # applied bottom-up: the last one applied is listed first in --help
    func = signing_key_option(catalogue_option(func))
    func = click.option("--macros", is_flag=True, help=T.HELP["macros"])(func)
    func = click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
                        metavar=T.METAVARS["file"], help=T.HELP["output"])(func)
    func = date_option("--deadline", help=T.HELP["deadline"])(func)
    func = click.option("--host", required=True, type=_NAME, metavar=T.METAVARS["organisation"],
                        help=T.HELP["host"])(func)
    return click.option("--assessment", required=True, metavar=T.METAVARS["assessment"],
                        help=T.HELP["assessment"])(func)


def _write(kind: Kind, output: str, catalogue_path: str | None, key_file: str | None,
           macros: bool, assessment: str, host: str, reviewer: str = "", deadline: Any = None,
           selfeval: str | None = None, distinctive_only: bool = False,
           reviewers: tuple[str, ...] = ()) -> None:
    cat = load_catalogue(catalogue_path)
    key = load_key(key_file, create=True)
    assert key is not None
    mirror = _read_mirror(selfeval, cat, key, assessment, host) if selfeval else None
    spec = WorkbookSpec(kind=kind, assessment_id=assessment, host=host, reviewer=reviewer,
                        deadline=deadline.date() if deadline else None,
                        distinctive_only=distinctive_only, reviewers=reviewers)
    path = workbook_path(output, macros=macros)
    write_workbook(path, spec, cat, key=key, mirror=mirror, macros=macros)
    echo(T.CLI_WRITTEN.format(path=path))
    _warn_past_deadline(spec.deadline)


def _warn_past_deadline(deadline: date | None) -> None:
    # made all the same (a workbook for a late participant may be wanted), but said: the
    # workbook's start sheet states that day as the deadline
    today = date.today()
    if deadline is not None and deadline < today:
        echo(T.CLI_DEADLINE_PAST.format(day=T.format_date(deadline),
                                        today=T.format_date(today)), err=True)


def _read_mirror(path: str, cat: Catalogue, key: bytes, assessment: str,
                 host: str) -> Submission:
    # a mirror shows what the host filled in so far: open norms are fine there
    sub = read_workbook(path, cat, key=key, expected_kind=Kind.SELF_EVALUATION,
                        allow_incomplete=True)
    ident = sub.identity
    if ident is not None and (ident.host != host or ident.assessment_id != assessment):
        raise click.UsageError(T.CLI_SELFEVAL_OTHER_HOST.format(
            path=path, found=ident.host, found_id=ident.assessment_id, host=host,
            assessment=assessment))
    if not sub.valid:
        echo(T.CLI_SELFEVAL_INVALID.format(path=path), err=True)
        echo_findings(sub, errors_only=True, err=True)
        sys.exit(ExitCode.INVALID)
    return sub


@workbook_group.command("selfeval", help=T.HELP["workbook_selfeval"],
                        examples=T.EXAMPLES["workbook selfeval"])
@_common_workbook_options
@click.option("--carry-over", "carry_path", type=click.Path(exists=True, dir_okay=False),
              default=None, metavar=T.METAVARS["workbook"], help=T.HELP["carry_over"])
@click.option("--mapping", "mapping_path", type=click.Path(dir_okay=False), default=None,
              metavar=T.METAVARS["file"], help=T.HELP["carry_mapping"])
@click.option("--previous", "previous_path", type=click.Path(dir_okay=False), default=None,
              metavar=T.METAVARS["file"], help=T.HELP["carry_previous"])
@handle_errors
def workbook_selfeval(assessment: str, host: str, deadline: Any, output: str, macros: bool,
                      catalogue_path: str | None, key_file: str | None,
                      carry_path: str | None, mapping_path: str | None,
                      previous_path: str | None) -> None:
    if carry_path is None:
        if mapping_path is not None or previous_path is not None:
            raise click.UsageError(T.CLI_MAPPING_WITHOUT_CARRY)
        _write(Kind.SELF_EVALUATION, output, catalogue_path, key_file, macros, assessment,
               host, deadline=deadline)
        return
    cat = load_catalogue(catalogue_path)
    key = load_key(key_file, create=True)
    assert key is not None
    carry = _carry_over(carry_path, mapping_path, previous_path, cat, key, host)
    spec = WorkbookSpec(kind=Kind.SELF_EVALUATION, assessment_id=assessment, host=host,
                        deadline=deadline.date() if deadline else None)
    path = workbook_path(output, macros=macros)
    write_workbook(path, spec, cat, key=key, macros=macros, carry=carry)
    echo(T.CLI_WRITTEN.format(path=path))
    _warn_past_deadline(spec.deadline)
    echo_wrapped(carry.summary())


def _carry_over(path: str, mapping_path: str | None, previous_path: str | None,
                new: Catalogue, key: bytes, host: str) -> CarryOver:
    """Read the previous self-evaluation with its own catalogue and decide what carries over;
    a workbook of another organisation or with errors stops the command."""
    from kwl_office.catalogue.carry import carry_over, previous_catalogue
    from kwl_office.catalogue.mapping import load_mapping

    mapping = load_mapping(mapping_path) if mapping_path is not None else None
    if previous_path is not None:
        old = load_catalogue(previous_path)
    elif mapping is not None:
        found = previous_catalogue(mapping.source)
        if found is None:
            raise CatalogueError(T.CLI_CARRY_NEEDS_PREVIOUS.format(found=mapping.source.label()))
        old = found
    else:
        old = new
    # open norms are fine: whatever was answered is carried over
    sub = read_workbook(path, old, key=key, expected_kind=Kind.SELF_EVALUATION,
                        allow_incomplete=True)
    if sub.identity is not None and not same_name(sub.identity.host, host):
        raise click.UsageError(T.CLI_CARRY_OTHER_HOST.format(path=path, found=sub.identity.host,
                                                             host=host))
    carry = carry_over(sub, old, new, mapping)  # raises when the mapping does not fit
    if not sub.valid:
        echo(T.CLI_CARRY_INVALID.format(path=path), err=True)
        echo_findings(sub, errors_only=True, err=True)
        sys.exit(ExitCode.INVALID)
    return carry


@workbook_group.command("peer", help=T.HELP["workbook_peer"],
                        examples=T.EXAMPLES["workbook peer"])
@_common_workbook_options
@click.option("--reviewer", required=True, type=_NAME, metavar=T.METAVARS["reviewer"],
              help=T.HELP["reviewer_peer"])
@click.option("--selfeval", type=click.Path(exists=True, dir_okay=False), default=None,
              metavar=T.METAVARS["workbook"], help=T.HELP["selfeval"])
@handle_errors
def workbook_peer(assessment: str, host: str, deadline: Any, output: str, macros: bool,
                  catalogue_path: str | None, key_file: str | None, reviewer: str,
                  selfeval: str | None) -> None:
    _write(Kind.PEER, output, catalogue_path, key_file, macros, assessment, host, reviewer,
           deadline, selfeval)


@workbook_group.command("audit", help=T.HELP["workbook_audit"],
                        examples=T.EXAMPLES["workbook audit"])
@_common_workbook_options
@click.option("--reviewer", required=True, type=_NAME, metavar=T.METAVARS["reviewer"],
              help=T.HELP["reviewer_audit"])
@click.option("--selfeval", type=click.Path(exists=True, dir_okay=False), default=None,
              metavar=T.METAVARS["workbook"], help=T.HELP["selfeval"])
@click.option("--distinctive-only", is_flag=True, help=T.HELP["distinctive_only"])
@handle_errors
def workbook_audit(assessment: str, host: str, deadline: Any, output: str, macros: bool,
                   catalogue_path: str | None, key_file: str | None, reviewer: str,
                   selfeval: str | None, distinctive_only: bool) -> None:
    _write(Kind.AUDIT, output, catalogue_path, key_file, macros, assessment, host, reviewer,
           deadline, selfeval, distinctive_only)


@workbook_group.command("team", help=T.HELP["workbook_team"],
                        examples=T.EXAMPLES["workbook team"])
@_common_workbook_options
@click.option("--reviewer", "reviewers", required=True, multiple=True, type=_NAME,
              metavar=T.METAVARS["reviewer"], help=T.HELP["reviewer_team"])
@click.option("--selfeval", type=click.Path(exists=True, dir_okay=False), default=None,
              metavar=T.METAVARS["workbook"], help=T.HELP["selfeval"])
@click.option("--audit", "audit", is_flag=True, help=T.HELP["team_audit"])
@click.option("--distinctive-only", is_flag=True, help=T.HELP["distinctive_only"])
@handle_errors
def workbook_team(assessment: str, host: str, deadline: Any, output: str, macros: bool,
                  catalogue_path: str | None, key_file: str | None, reviewers: tuple[str, ...],
                  selfeval: str | None, audit: bool, distinctive_only: bool) -> None:
    _write(Kind.AUDIT if audit else Kind.PEER, output, catalogue_path, key_file, macros,
           assessment, host, deadline=deadline, selfeval=selfeval,
           distinctive_only=distinctive_only, reviewers=reviewers)
