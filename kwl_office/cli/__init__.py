"""The ``kwl`` command line: parse, call one library function, print.

One module per command group (:mod:`.catalogue`, :mod:`.workbook`, :mod:`.check`,
:mod:`.consolidate`, :mod:`.report`, :mod:`.round`, :mod:`.register`, :mod:`.route`,
:mod:`.dashboard`), each thin. The main group imports a command's module only when that
command runs, so ``kwl --help`` or ``kwl check`` never pays for matplotlib, docxtpl or
openpyxl. The library never imports this package; errors of the library
(:class:`~kwl_office.errors.KwlError`) become a one-line message and their exit status, never
a traceback.

Everything a person reads is Dutch, click's own words included (:mod:`.language`): every
command is a :class:`~.base.KwlCommand` or :class:`~.base.KwlGroup`, whose help pages have
Dutch placeholders, never split a word and end with examples.
"""

from __future__ import annotations

from importlib import import_module

import click

from kwl_office import texts_nl as T
from kwl_office.cli.base import KwlGroup, first_sentence
from kwl_office.cli.language import install

# before any command is declared: click names some things in Dutch when they are made
install()

#: command name → (module, attribute, short help); the order is the order of ``kwl --help``
COMMANDS: dict[str, tuple[str, str, str]] = {
    "catalogue": ("kwl_office.cli.catalogue", "catalogue_group", T.HELP["catalogue"]),
    "workbook": ("kwl_office.cli.workbook", "workbook_group", T.HELP["workbook"]),
    "check": ("kwl_office.cli.check", "check_command", T.HELP["check"]),
    "consolidate": ("kwl_office.cli.consolidate", "consolidate_command",
                    T.HELP["consolidate"]),
    "report": ("kwl_office.cli.report", "report_group", T.HELP["report"]),
    "templates": ("kwl_office.cli.report", "templates_group", T.HELP["templates"]),
    "round": ("kwl_office.cli.round", "round_group", T.HELP_ROUND["round"]),
    "demo": ("kwl_office.cli.round", "demo_command", T.HELP_ROUND["demo"]),
    "register": ("kwl_office.cli.register", "register_group", T.REGISTER_HELP["register"]),
    "route": ("kwl_office.cli.route", "route_command", T.HELP["route"]),
    "dashboard": ("kwl_office.cli.dashboard", "dashboard_group", T.HELP["dashboard"]),
    "benchmark": ("kwl_office.cli.benchmark", "benchmark_command", T.HELP["benchmark"]),
}


class LazyGroup(KwlGroup):
    """A group whose subcommands are imported when they are used (``kwl --help`` lists them
    from :data:`COMMANDS` without importing any)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        command = getattr(import_module(entry[0]), entry[1])
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, first_sentence(text)) for name, (_, _, text) in COMMANDS.items()]
        with formatter.section(T.CLI_COMMANDS_SECTION):
            formatter.write_dl(rows)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    # imported here: reading the installed version costs more than starting the CLI
    if value and not ctx.resilient_parsing:
        from kwl_office._version import __version__

        click.echo(T.CLI_VERSION.format(version=__version__))
        ctx.exit()


@click.group(cls=LazyGroup, help=T.HELP["main"], examples=T.EXAMPLES["kwl"])
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_print_version, help=T.CLI_VERSION_HELP)
def main() -> None:
    """Entry point of the ``kwl`` console script."""


__all__ = ["COMMANDS", "main"]
