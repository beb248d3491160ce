"""``kwl dashboard build [DIR]``: the secretariat's Excel dashboard for a round folder.

A thin layer over :func:`kwl_office.xl.dashboard.build_dashboard`.
"""

from __future__ import annotations

import click

from kwl_office import texts_nl as T
from kwl_office.cli.base import KwlGroup, argument
from kwl_office.cli.common import echo, handle_errors
from kwl_office.xl.dashboard import build_dashboard


@click.group("dashboard", cls=KwlGroup, help=T.HELP["dashboard"],
             examples=T.EXAMPLES["dashboard"])
def dashboard_group() -> None:
    """``kwl dashboard …``."""


@dashboard_group.command("build", help=T.HELP["dashboard_build"],
                         examples=T.EXAMPLES["dashboard build"])
@argument("directory", type=click.Path(exists=True, file_okay=False), default=".",
          metavar=T.METAVARS["round"])
@handle_errors
def dashboard_build(directory: str) -> None:
    path = build_dashboard(directory)
    echo(T.DASH_WRITTEN.format(path=path))
