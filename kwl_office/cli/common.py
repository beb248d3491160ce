"""What the ``kwl`` commands share: error handling and the common options."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kwl_office import texts_nl as T
from kwl_office.errors import KwlError
from kwl_office.kinds import Verdict

if TYPE_CHECKING:
    from kwl_office.assessment import Submission
    from kwl_office.findings import Finding
from kwl_office.places import default_key_path, user_register_path

F = TypeVar("F", bound=Callable[..., Any])


def _fail(err: KwlError) -> None:
    click.echo(f"kwl: {err}", err=True)
    sys.exit(err.exit_code)


def handle_errors(func: F) -> F:
    """Turn a :class:`KwlError` into a one-line message and its exit status."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KwlError as err:
            _fail(err)

    return wrapper  # type: ignore[return-value]


def catalogue_option(func: F) -> F:
    """``--catalogue PATH`` shared by every command that needs the normenkader."""
    return click.option("--catalogue", "catalogue_path", type=click.Path(dir_okay=False),
                        default=None, help=T.HELP["catalogue_option"])(func)


def key_option(func: F) -> F:
    """``--key FILE`` shared by every command that signs or verifies workbooks."""
    return click.option("--key", "key_file", type=click.Path(dir_okay=False), default=None,
                        help=T.HELP["key_option"].format(default=default_key_path()))(func)




def decision_options(func: F) -> F:
    """``--decision`` and ``--decision-date``: the beheercommissie's decision and its day."""
    func = click.option("--decision-date", "decision_date",
                        type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                        metavar="JJJJ-MM-DD", help=T.HELP["decision_date"])(func)
    return click.option("--decision", type=click.Choice([v.value for v in Verdict]),
                        default=None, help=T.HELP["decision"])(func)


def register_options(func: F) -> F:
    """``--register PATH`` and ``--round DIR``: which Kwaliteitsregister (see
    :func:`kwl_office.batch.folder.locate_register`)."""
    func = click.option("--round", "round_dir", type=click.Path(file_okay=False), default=None,
                        help=T.HELP["round_option"])(func)
    return click.option("--register", "register_path", type=click.Path(dir_okay=False),
                        default=None,
                        help=T.HELP["register_option"].format(default=user_register_path()))(func)


def echo_finding(finding: Finding, *, err: bool = False) -> None:
    """One finding as a line: severity, place (sheet!cell, else file), norm, Dutch message."""
    click.echo(T.CLI_FINDING_LINE.format(
        severity=T.CLI_SEVERITY[finding.severity.value],
        location=finding.location() or finding.file or "", norm=finding.norm_id or "",
        message=finding.message), err=err)


def echo_submission(sub: Submission) -> None:
    """One line per checked workbook: valid or not, kind, host, reviewer, progress."""
    ident = sub.identity
    rated = sum(1 for r in sub.responses.values() if r.rating)
    click.echo(T.CLI_FILE_SUMMARY.format(
        mark=click.style("✓", fg="green") if sub.valid else click.style("✗", fg="red"),
        file=sub.file,
        status=T.CLI_VALID if sub.valid else T.CLI_INVALID,
        kind=T.KIND_TITLES[ident.kind.value] if ident else T.CLI_NO_IDENTITY,
        host=ident.host if ident else "?",
        reviewer=f" door {ident.reviewer}" if ident and ident.reviewer else "",
        rated=rated, total=len(sub.responses),
        errors=len(sub.report.errors), warnings=len(sub.report.warnings),
    ))


def echo_findings(sub: Submission, *, errors_only: bool = False, err: bool = False) -> None:
    """The findings of a workbook, one line each (only the errors with ``errors_only``)."""
    findings = sub.report.errors if errors_only else sub.report.findings
    for finding in findings:
        echo_finding(finding, err=err)
