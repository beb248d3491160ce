"""What the ``kwl`` commands share: error handling and the common options."""

from __future__ import annotations

import functools
import gc
import os
import re
import shutil
import sys
import textwrap
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office.cli.base import IsoDate, KwlOption
from kwl_office.errors import ExitCode, KwlError, os_error_text
from kwl_office.kinds import Verdict

if TYPE_CHECKING:
    from kwl_office.assessment import Submission
    from kwl_office.catalogue import Catalogue
    from kwl_office.documents.registry import DocumentKind
    from kwl_office.findings import Finding
from kwl_office.places import default_key_path, user_register_path

F = TypeVar("F", bound=Callable[..., Any])

#: what a terminal would act on instead of show: C0 and C1 controls (escape sequences, bell,
#: carriage return, a newline inside a value) and the invisible direction overrides
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e"
                          "\u2066-\u2069\ufeff]")


def printable(text: object) -> str:
    """``text`` as one safe line: every control character shown as an escape (``\\x1b``),
    so a name from a workbook, manifest or file name can never move the cursor, ring, retitle
    the terminal or split a line. Tabs stay."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 0x100
                            else f"\\u{ord(m.group(0)):04x}", str(text))


def styled(text: object, **style: Any) -> str:
    """``text`` made printable, then styled by click (bold, colour): our own escapes only."""
    return click.style(printable(text), **style)


def echo(message: object = "", *, err: bool = False, raw: bool = False) -> None:
    """Print one line through :func:`printable` (``raw``: it was made printable already, for
    lines built with :func:`styled`)."""
    click.echo(message if raw else printable(message), err=err)


#: the widest line kwl prints itself, also on a wider terminal (as click's help pages)
MAX_WIDTH = 78


def text_width() -> int:
    """The width kwl wraps its own text to: the terminal's, at most :data:`MAX_WIDTH`."""
    return max(min(shutil.get_terminal_size().columns - 2, MAX_WIDTH), 40)


def echo_wrapped(text: object, *, indent: str = "", hanging: str | None = None,
                 err: bool = False) -> None:
    """Print ``text`` (made printable) wrapped to :func:`text_width`, breaking only at spaces:
    the first line starts with ``indent``, the next ones with ``hanging`` (default
    ``indent``)."""
    lines = textwrap.wrap(printable(text), text_width(), initial_indent=indent,
                          subsequent_indent=indent if hanging is None else hanging,
                          break_long_words=False, break_on_hyphens=False)
    for line in lines or [indent]:
        echo(line, err=err, raw=True)


def echo_block(text: str, *, err: bool = False) -> None:
    """Print several lines we made ourselves (wrapped text): each line through :func:`echo`."""
    for line in text.split("\n"):
        echo(line, err=err)


def _fail(err: KwlError) -> None:
    echo(f"kwl: {err}", err=True)
    sys.exit(err.exit_code)


def _reader_gone() -> None:
    # the reader stopped reading (kwl register list | head): nothing left to say, and
    # Python must not complain about stdout on its way out either
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # no real file behind stdout (a test runner)
        pass
    sys.exit(ExitCode.INVALID)


def os_error_message(err: OSError, *, resuming: bool = False) -> str:
    """One Dutch line for a failing disk or file system, naming the path; ``resuming``: the
    command goes on where it stopped when run again (and says so for a full disk)."""
    return os_error_text(err, resuming=resuming)


#: the commands that, run again after an interruption, go on where they stopped (README:
#: "Onderbroken?"); any other command starts over
RESUMING_COMMANDS = frozenset({("round", "init"), ("round", "issue"), ("round", "collect"),
                               ("round", "report"), ("round", "run")})


def _resuming() -> bool:
    """True when the command running now is one of :data:`RESUMING_COMMANDS`."""
    context = click.get_current_context(silent=True)
    names: list[str] = []
    while context is not None and context.parent is not None:  # the root is "kwl" itself
        names.insert(0, context.command.name or "")
        context = context.parent
    return tuple(names) in RESUMING_COMMANDS


def _let_go(err: BaseException) -> None:
    """Free now, quietly, what the failed command still holds through the traceback of
    ``err``: a library's half-written zip (openpyxl or python-docx on a full disk, or one that
    Ctrl-C interrupted while it was made) would otherwise fail again in the garbage collector
    as the process ends, and print a traceback after our own message."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _: None
    try:
        seen: set[int] = set()
        error: BaseException | None = err
        while error is not None and id(error) not in seen:
            seen.add(id(error))
            if error.__traceback__ is not None:
                traceback.clear_frames(error.__traceback__)
            error.__traceback__ = None
            error = error.__cause__ or error.__context__
        gc.collect()
    finally:
        sys.unraisablehook = hook


def handle_errors(func: F) -> F:
    """Turn a :class:`KwlError` into a one-line message and its exit status; a full disk,
    a read-only or forbidden folder (any :class:`OSError`) into one line naming the path and
    exit status 2; Ctrl-C in a command that goes on where it stopped into a line that says
    so (exit status 1; in the others click says "Afgebroken."). Never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KwlError as err:
            _let_go(err)
            _fail(err)
        except BrokenPipeError:
            _reader_gone()
        except OSError as err:
            _let_go(err)
            echo(f"kwl: {os_error_message(err, resuming=_resuming())}", err=True)
            sys.exit(ExitCode.UNUSABLE)
        except KeyboardInterrupt as err:
            _let_go(err)
            if not _resuming():
                raise  # click says "Afgebroken."
            echo(T.CLI_ABORTED_RESUMING, err=True)
            sys.exit(ExitCode.INVALID)

    return wrapper  # type: ignore[return-value]


def catalogue_option(func: F) -> F:
    """``--catalogue BESTAND`` shared by every command that needs the normenkader."""
    # plain paths: our own readers refuse a folder or a binary file in Dutch, one line
    return click.option("--catalogue", "catalogue_path", type=click.Path(), default=None,
                        metavar=T.METAVARS["file"], help=T.HELP["catalogue_option"])(func)


def key_option(func: F) -> F:
    """``--key BESTAND`` for the commands that verify signed workbooks (never creating a key)."""
    return click.option("--key", "key_file", type=click.Path(), default=None, cls=KwlOption,
                        metavar=T.METAVARS["file"], shown_path=default_key_path,
                        help=T.HELP["key_option"])(func)


def signing_key_option(func: F) -> F:
    """``--key BESTAND`` for the commands that sign the workbooks they make (the key is made on
    first use)."""
    return click.option("--key", "key_file", type=click.Path(), default=None, cls=KwlOption,
                        metavar=T.METAVARS["file"], shown_path=default_key_path,
                        help=T.HELP["key_option_signing"])(func)


def date_option(*decls: str, help: str) -> Callable[[F], F]:
    """An option taking one date, written JJJJ-MM-DD (a :class:`~datetime.datetime`)."""
    return click.option(*decls, type=IsoDate(), default=None, metavar=T.METAVARS["date"],
                        help=help)


def decision_options(command: str) -> Callable[[F], F]:
    """``--decision`` and (where it changes something) ``--decision-date``: the
    beheercommissie's decision and its day, with the help of ``command`` (``HELP
    ["decision_<command>"]`` and ``HELP["decision_date_<command>"]``)."""

    def decorate(func: F) -> F:
        date_help = T.HELP.get(f"decision_date_{command}")
        if date_help is not None:
            func = date_option("--decision-date", "decision_date", help=date_help)(func)
        return click.option("--decision", type=click.Choice([v.value for v in Verdict]),
                            default=None, help=T.HELP[f"decision_{command}"])(func)

    return decorate


def register_options(func: F) -> F:
    """``--register BESTAND`` and ``--round RONDE``: which Kwaliteitsregister (see
    :func:`kwl_office.batch.folder.locate_register`)."""
    func = click.option("--round", "round_dir", type=click.Path(file_okay=False), default=None,
                        metavar=T.METAVARS["round"], help=T.HELP["round_option"])(func)
    return click.option("--register", "register_path", type=click.Path(), default=None,
                        cls=KwlOption, metavar=T.METAVARS["file"],
                        shown_path=user_register_path, help=T.HELP["register_option"])(func)


#: the place column of a finding line is at least this wide
PLACE_WIDTH = 24


def _place(finding: Finding) -> str:
    return finding.location() or finding.file or ""


def echo_finding(finding: Finding, *, err: bool = False, width: int = PLACE_WIDTH) -> None:
    """One finding as a line: severity, place (sheet!cell, else file), norm, Dutch message;
    the place padded to ``width`` (a longer one is never cut)."""
    echo(T.CLI_FINDING_LINE.format(
        severity=T.CLI_SEVERITY[finding.severity.value], location=_place(finding),
        width=width, norm=finding.norm_id or "", message=finding.message), err=err)


def echo_submission(sub: Submission, catalogue: Catalogue, *,
                    allow_incomplete: bool = False) -> None:
    """One line per checked workbook: valid or not, kind, host, reviewer, progress (against
    the norms of the workbook in ``catalogue``, as the completeness rule counts them; in a
    shared team workbook per reviewer). With ``allow_incomplete`` a valid workbook that still
    has open norms is "in orde" only so far, and says how many are open."""
    from kwl_office.excel.reader import rating_progress, review_progress  # loaded already

    ident = sub.identity
    if sub.is_team:
        per_reviewer, total = review_progress(sub, catalogue)
        progress = T.CLI_PROGRESS_TEAM.format(
            total=dutch.count(total, "norm"), reviewers=", ".join(
                T.CLI_PROGRESS_REVIEWER.format(reviewer=printable(name), rated=done)
                for name, done in per_reviewer))
        still_open = dutch.count(sum(total - done for _, done in per_reviewer), "rating")
        any_open = any(done < total for _, done in per_reviewer)
    else:
        rated, total = rating_progress(sub, catalogue)
        progress = T.CLI_PROGRESS.format(rated=rated, total=dutch.count(total, "norm"))
        still_open = dutch.count(total - rated, "norm")
        any_open = rated < total
    status = T.CLI_VALID if sub.valid else T.CLI_INVALID
    if sub.valid and allow_incomplete and any_open:
        status = T.CLI_VALID_SO_FAR.format(open=still_open)
    echo(T.CLI_FILE_SUMMARY.format(
        mark=click.style("✓", fg="green") if sub.valid else click.style("✗", fg="red"),
        file=printable(sub.file), status=status,
        kind=T.KIND_TITLES[ident.kind.value] if ident else T.CLI_NO_IDENTITY,
        host=printable(ident.host) if ident else "?",
        reviewer=f" door {printable(ident.reviewer)}" if ident and ident.reviewer else "",
        progress=progress,
        errors=dutch.count(len(sub.report.errors), "error"),
        warnings=dutch.count(len(sub.report.warnings), "warning"),
    ), raw=True)


def echo_findings(sub: Submission, *, errors_only: bool = False, err: bool = False) -> None:
    """The findings of a workbook, one line each (only the errors with ``errors_only``)."""
    findings = sub.report.errors if errors_only else sub.report.findings
    # one column for the places of this workbook: a long sheet name shifts no norm or message
    width = max([PLACE_WIDTH, *(len(_place(f)) for f in findings)])
    for finding in findings:
        echo_finding(finding, err=err, width=width)


def warn_about_lookalikes(templates_dir: str | None, kinds: list[DocumentKind]) -> None:
    """On stderr: each file in the own template folder (``--templates``) that looks like a
    template of ``kinds`` (``Leerrapport.docx``, ``leerrapport (2).docx``) while that
    template itself is not there, so that the shipped one is used."""
    if not templates_dir:
        return
    # Word's libraries load only for a command that makes documents
    from kwl_office.documents.templates import lookalike_templates, own_templates

    lookalikes = lookalike_templates(templates_dir, kinds)
    for name, meant in lookalikes.items():
        warning = T.CLI_TEMPLATE_LOOKALIKE.format(file=name, folder=templates_dir, meant=meant)
        echo(f"kwl: {warning}", err=True)
    if not lookalikes and set(kinds).isdisjoint(own_templates(templates_dir)):
        # an own folder that holds none of them: every document comes from the shipped ones
        names = dutch.join([kind.template for kind in kinds])
        echo(f"kwl: {T.CLI_TEMPLATE_NONE.format(folder=templates_dir, names=names)}", err=True)
