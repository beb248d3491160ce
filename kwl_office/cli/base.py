"""The pieces every ``kwl`` command is built from, so that each help page reads the same.

- :class:`KwlCommand` and :class:`KwlGroup`: Dutch placeholders in the usage line
  (``[OPTIES]``, ``OPDRACHT``), subcommands in the order they were declared with their whole
  first sentence (never cut off with "..."), and at the end of every help page the default files
  on this computer (see :class:`KwlOption`) and one or more examples, shown verbatim.
- :class:`HelpFormatter`: wraps only at spaces, so a path, an option name or a date such as
  2026-03-31 is never split over two lines.
- :class:`KwlOption`: an option that also answers to names not shown in the help (a Dutch
  spelling kept for old scripts), and that may name a default file, listed below the options
  instead of in the middle of a wrapped sentence.
- :class:`WholeNumber` and :class:`IsoDate`: click's number range and date with Dutch
  descriptions and messages.

This module stays light: ``kwl --help`` imports it.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from kwl_office import dutch
from kwl_office import texts_nl as T

if TYPE_CHECKING:
    from pathlib import Path

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """The lines of ``text`` filled to ``width`` columns, breaking only at spaces (a word longer
    than the line stays whole). Paragraphs are kept; a paragraph whose first line is ``\\b``
    is kept verbatim, line by line, as click does."""
    lines: list[str] = []
    for paragraph in _PARAGRAPH_BREAK.split(text.strip("\n")):
        if lines:
            lines.append("")
        rows = paragraph.splitlines()
        if rows and rows[0].strip() == "\b":
            lines.extend(indent + row for row in rows[1:])
            continue
        words = " ".join(row.strip() for row in rows)
        lines.extend(textwrap.wrap(words, width, initial_indent=indent, subsequent_indent=indent,
                                   break_long_words=False, break_on_hyphens=False) or [""])
    return lines


def first_sentence(text: str) -> str:
    """The first sentence of a help text, whole: the short help in a list of commands."""
    sentence = text.strip().split("\n\n")[0].split(". ")[0]
    return " ".join(sentence.split()).rstrip(".") + "."


class HelpFormatter(click.HelpFormatter):
    """click's help formatter, wrapping only at spaces (see :func:`wrap`)."""

    def write_text(self, text: str) -> None:
        for line in wrap(text, self.width, " " * self.current_indent):
            self.write(f"{line.rstrip()}\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30,
                 col_spacing: int = 2) -> None:
        rows = list(rows)
        first_width = min(max((len(first) for first, _ in rows), default=0), col_max)
        column = first_width + col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            self.write(f"{indent}{first}")
            if not second:
                self.write("\n")
                continue
            if len(first) <= first_width:
                self.write(" " * (column - len(first)))
            else:
                self.write("\n" + " " * (column + self.current_indent))
            lines = wrap(second, max(self.width - column - self.current_indent, 10))
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{indent}{' ' * column}{line}\n" if line else "\n")


class KwlContext(click.Context):
    """A context whose help pages use :class:`HelpFormatter`."""

    formatter_class = HelpFormatter


def _format_defaults(command: click.Command, ctx: click.Context,
                     formatter: click.HelpFormatter) -> None:
    rows = [(param.opts[0], str(param.shown_path())) for param in command.get_params(ctx)
            if isinstance(param, KwlOption) and param.shown_path and not param.hidden]
    if rows:
        with formatter.section(T.CLI_DEFAULT_FILES):
            formatter.write_dl(rows)


def _shown_options(command: click.Command, ctx: click.Context) -> list[str]:
    names: list[str] = []
    for param in command.get_params(ctx):
        hidden = param.hidden_names if isinstance(param, KwlOption) else frozenset()
        names += [o for o in (*param.opts, *param.secondary_opts)
                  if o.startswith("-") and o not in hidden]
    return names


def _parse_args(parse: Callable[[click.Context, list[str]], list[str]],
                command: click.Command, ctx: click.Context, args: list[str]) -> list[str]:
    try:
        return parse(ctx, args)
    except click.NoSuchOption as err:
        # "did you mean …?" suggests only names the help shows, never a hidden alias
        raise click.NoSuchOption(err.option_name, possibilities=_shown_options(command, ctx),
                                 ctx=err.ctx) from None


def _format_examples(examples: Sequence[str], formatter: click.HelpFormatter) -> None:
    if examples:
        # a line that starts with spaces continues the command above it
        commands = sum(1 for line in examples if not line.startswith(" "))
        with formatter.section(dutch.noun(commands, dutch.Word(*T.CLI_EXAMPLE))):
            formatter.write_text("\b\n" + "\n".join(examples))


class _KwlHelp(click.Command):
    """What every kwl command and group shares: Dutch placeholders, the whole first sentence
    as its short help, hidden option names, and its examples at the end of the help page.

    ``examples``: command lines as a person types them (at most 76 characters each; a longer
    one continues on the next line after a `` \\``)."""

    context_class = KwlContext

    def __init__(self, *args: Any, examples: Sequence[str] = (), **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", T.CLI_OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)
        self.examples = tuple(examples)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return _parse_args(super().parse_args, self, ctx, args)

    def get_short_help_str(self, limit: int = 45) -> str:
        return self.short_help or first_sentence(self.help or "")

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        _format_defaults(self, ctx, formatter)
        _format_examples(self.examples, formatter)


class KwlCommand(_KwlHelp):
    """A command with a Dutch help page that ends with its examples."""


class KwlGroup(_KwlHelp, click.Group):
    """A group of commands with a Dutch help page: its commands in the order they were
    declared, each with its whole first sentence, and examples at the end."""

    command_class = KwlCommand
    #: subgroups are KwlGroups too
    group_class = type

    def __init__(self, *args: Any, examples: Sequence[str] = (), **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", T.CLI_SUBCOMMAND_METAVAR)
        super().__init__(*args, examples=examples, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        # the order of declaration is the order of the work (init, issue, collect, report)
        return list(self.commands)


class KwlOption(click.Option):
    """An option with names that work but are not shown (``hidden_names``, e.g. the Dutch
    ``--antwoord`` beside ``--answer``), and an optional default file (``shown_path``,
    computed when the help is shown) that the help lists below the options."""

    def __init__(self, param_decls: Sequence[str] | None = None, *,
                 hidden_names: Sequence[str] = (),
                 shown_path: Callable[[], Path] | None = None, **attrs: Any) -> None:
        super().__init__(param_decls, **attrs)
        self.hidden_names = frozenset(hidden_names)
        self.shown_path = shown_path

    @contextmanager
    def _shown_names_only(self) -> Iterator[None]:
        # the parser knows every name (self.opts); help and error messages name the shown ones
        opts, secondary = self.opts, self.secondary_opts
        self.opts = [o for o in opts if o not in self.hidden_names]
        self.secondary_opts = [o for o in secondary if o not in self.hidden_names]
        try:
            yield
        finally:
            self.opts, self.secondary_opts = opts, secondary

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        with self._shown_names_only():
            return super().get_help_record(ctx)

    def get_error_hint(self, ctx: click.Context | None) -> str:
        with self._shown_names_only():
            return super().get_error_hint(ctx)


class KwlArgument(click.Argument):
    """An argument whose own (Dutch) metavar gets what click adds to a metavar it makes
    itself: brackets when the argument is optional, ``...`` when it takes several values."""

    def make_metavar(self, ctx: click.Context) -> str:
        if self.metavar is None:
            return super().make_metavar(ctx)
        metavar = self.metavar if self.required else f"[{self.metavar}]"
        return metavar if self.nargs == 1 else f"{metavar}..."


def argument(*decls: str, metavar: str, **attrs: Any) -> Callable[[Any], Any]:
    """``click.argument`` with a Dutch metavar (see :class:`KwlArgument`)."""
    return click.argument(*decls, cls=KwlArgument, metavar=metavar, **attrs)


class WholeNumber(click.IntRange):
    """A whole number with a lower and/or upper bound, described in Dutch ("1 of meer")."""

    name = "geheel getal"

    def _describe_range(self) -> str:
        if self.min is not None and self.max is not None:
            return T.CLI_RANGE["both"].format(min=self.min, max=self.max)
        if self.min is not None:
            return T.CLI_RANGE["min"].format(min=self.min)
        return T.CLI_RANGE["max"].format(max=self.max)


class IsoDate(click.DateTime):
    """A date written JJJJ-MM-DD (2026-03-31); anything else is refused in Dutch."""

    name = "datum"

    def __init__(self) -> None:
        super().__init__(formats=["%Y-%m-%d"])

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> datetime:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(T.CLI_BAD_DATE.format(value=value), param, ctx)


__all__ = ["HelpFormatter", "IsoDate", "KwlArgument", "KwlCommand", "KwlContext", "KwlGroup",
           "KwlOption", "WholeNumber", "argument", "first_sentence", "wrap"]
