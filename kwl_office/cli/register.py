"""``kwl register …``: look at, export and withdraw entries of the Kwaliteitsregister.

A click group of its own, found by :mod:`kwl_office.cli` when it is used. The commands are
thin: find the register, call one method of :class:`~kwl_office.register.Register` or
:func:`~kwl_office.register.export_register`, print. Entries are written by the round's
report step, or by ``kwl register add`` outside a round.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import click

from kwl_office import texts_nl as T
from kwl_office.assessment import Organisation, Verdict
from kwl_office.batch.folder import locate_register, open_register_for_writing
from kwl_office.catalogue import load_catalogue
from kwl_office.cli.base import KwlGroup, WholeNumber, argument
from kwl_office.cli.common import (
    catalogue_option,
    date_option,
    decision_options,
    echo,
    handle_errors,
)
from kwl_office.cli.common import register_options as _register_option
from kwl_office.documents.produce import decide, load_consolidation
from kwl_office.dutch import Word, count
from kwl_office.errors import ExitCode, InvalidArgument, KwlError, RegisterConflict
from kwl_office.names import name_key
from kwl_office.places import RegisterLocation, register_exists, register_location
from kwl_office.register import (
    DEFAULT_TIMEOUT,
    EXPORT_FORMATS,
    ExportFormat,
    Register,
    Status,
    export_register,
)
from kwl_office.register import Entry as RegisterEntry

H = T.REGISTER_HELP
DEFAULT_WITHIN_DAYS = 90
#: a hundred years ahead: no entry is valid that long, and far beyond lie no dates at all
MAX_WITHIN_DAYS = 36500
#: seconds a command waits for another one that is writing to the register
TIMEOUT = DEFAULT_TIMEOUT


def _open(register_path: str | None, round_dir: str | None) -> Register:
    # reading commands never create an empty register at a mistyped path
    return Register(locate_register(register_path, round_dir), timeout=TIMEOUT, create=False)


def _line(entry: RegisterEntry, successor: RegisterEntry | None = None) -> str:
    if entry.withdrawn_on is not None:
        return T.REGISTER_CLI_LINE_WITHDRAWN.format(
            number=entry.number, status=entry.status.value, kind=entry.kind.value,
            withdrawn_on=entry.withdrawn_on.isoformat(), organisation=entry.organisation.name)
    line = T.REGISTER_CLI_LINE.format(
        number=entry.number, status=entry.status.value, kind=entry.kind.value,
        valid_until=entry.valid_until.isoformat(), organisation=entry.organisation.name)
    if successor is None:
        return line
    return line + _successor(entry, successor, T.REGISTER_CLI_SUCCEEDED,
                             T.REGISTER_CLI_SUCCEEDED_NAMED, successor.valid_until.isoformat())


def _successor(entry: RegisterEntry, successor: RegisterEntry, plain: str, named: str,
               valid_until: str) -> str:
    # the newer entry's own name when it spells the organisation otherwise (a new name)
    other_name = name_key(successor.organisation.name) != name_key(entry.organisation.name)
    return (named if other_name else plain).format(
        number=successor.number, organisation=successor.organisation.name,
        valid_until=valid_until)


@click.group("register", cls=KwlGroup, help=H["register"], examples=T.EXAMPLES["register"])
def register_group() -> None:
    """``kwl register …``."""


@register_group.command("list", help=H["list"], examples=T.EXAMPLES["register list"])
@click.option("--status", type=click.Choice([s.value for s in Status]), default=None,
              help=H["status"])
@_register_option
@handle_errors
def register_list(status: str | None, register_path: str | None, round_dir: str | None) -> None:
    with _open(register_path, round_dir) as reg:
        entries = reg.entries(status=status)
        successors = reg.successors()
    for entry in entries:
        echo(_line(entry, successors.get(entry.number)))
    if entries:
        echo(T.REGISTER_CLI_COUNT.format(count=count(len(entries), "entry")))
    elif status:
        echo(T.REGISTER_CLI_NONE_WITH_STATUS.format(status=status))
    else:
        echo(T.REGISTER_CLI_NONE)


@register_group.command("show", help=H["show"], examples=T.EXAMPLES["register show"])
@argument("key", metavar=T.METAVARS["entry"])
@_register_option
@handle_errors
def register_show(key: str, register_path: str | None, round_dir: str | None) -> None:
    with _open(register_path, round_dir) as reg:
        entry = reg.entry(key)
        successor = reg.successors().get(entry.number) if entry is not None else None
    if entry is None:
        echo(f"kwl: {T.REGISTER_UNKNOWN_ENTRY.format(key=key)}", err=True)
        sys.exit(ExitCode.INVALID)
    labels = T.REGISTER_HEADERS
    org = entry.organisation
    rows: list[tuple[str, str]] = [
        (labels["number"], entry.number),
        (labels["organisation"], org.name),
        (labels["kind"], T.REGISTER_KIND_LABELS[entry.kind.value]),
        (labels["status"], T.REGISTER_STATUS_LABELS[entry.status.value]),
        (labels["variant"], T.VARIANT_LABELS[entry.variant.value]),
        (labels["scope"], entry.scope or T.REGISTER_WHOLE_ORGANISATION),
        (labels["granted_on"], T.format_date(entry.granted_on)),
        # a withdrawn entry is valid until no date (as every export shows it)
        (labels["valid_until"], T.REGISTER_NO_VALIDITY if entry.status is Status.WITHDRAWN
         else T.format_date(entry.valid_until)),
    ]
    if entry.withdrawn_on:
        rows.append((labels["withdrawn_on"], T.format_date(entry.withdrawn_on)))
    if successor is not None:
        rows.append((labels["successor"], _successor(
            entry, successor, T.REGISTER_SHOW_SUCCEEDED, T.REGISTER_SHOW_SUCCEEDED_NAMED,
            T.format_date(successor.valid_until))))
    rows.append((labels["assessment"], entry.assessment_id))
    if entry.round:
        rows.append((labels["round"], entry.round))
    if org.contact:
        rows.append((labels["contact"], org.contact))
    if org.address:
        rows.append((labels["address"], ", ".join(org.address)))
    rows.append((labels["created_at"], T.format_date(entry.created_at.date())))
    width = max(len(label) for label, _ in rows) + 1
    for label, value in rows:
        echo(T.REGISTER_CLI_SHOW_LINE.format(label=label + ":", value=value, width=width))


@register_group.command("export", help=H["export"], examples=T.EXAMPLES["register export"])
@argument("out", type=click.Path(dir_okay=False), metavar=T.METAVARS["file"])
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default=None,
              help=H["format"])
@_register_option
@handle_errors
def register_export(out: str, fmt: str | None, register_path: str | None,
                    round_dir: str | None) -> None:
    named = Path(out).suffix.lstrip(".").lower()
    named = "html" if named == "htm" else named
    if fmt and named in EXPORT_FORMATS and named != fmt:
        # CSV in a file called .xlsx opens as a broken workbook, or not at all
        raise InvalidArgument(T.REGISTER_CLI_FORMAT_MISMATCH.format(
            fmt=fmt, name=Path(out).name, suffix=Path(out).suffix))
    chosen = fmt or named
    if chosen not in EXPORT_FORMATS:
        # a refusal like the others (one line, exit 2), not click's usage text
        raise InvalidArgument(T.REGISTER_CLI_NO_FORMAT.format(name=Path(out).name))
    export: ExportFormat = chosen
    with _open(register_path, round_dir) as reg:
        path = export_register(reg, out, export)
    echo(T.CLI_WRITTEN.format(path=path))


@register_group.command("expiring", help=H["expiring"], examples=T.EXAMPLES["register expiring"])
@click.option("--within", "within_days", type=WholeNumber(min=0, max=MAX_WITHIN_DAYS),
              default=DEFAULT_WITHIN_DAYS, show_default=True, metavar=T.METAVARS["days"],
              help=H["within"])
@_register_option
@handle_errors
def register_expiring(within_days: int, register_path: str | None,
                      round_dir: str | None) -> None:
    today = date.today()
    with _open(register_path, round_dir) as reg:
        entries = reg.expiring(within_days, today=today)
        successors = reg.successors(today=today)
    days = count(within_days, "day")
    if not entries:
        echo(T.REGISTER_CLI_EXPIRING_NONE.format(days=days))
        return
    # an organisation granted again since has nothing to renew: listed apart, not hidden
    open_ = [e for e in entries if e.number not in successors]
    followed = [e for e in entries if e.number in successors]
    word = Word(*T.REGISTER_CLI_ACTIVE_ENTRY)
    if open_:
        until = today + timedelta(days=within_days)
        template = T.REGISTER_CLI_EXPIRING[0 if len(open_) == 1 else 1]
        echo(template.format(count=count(len(open_), word), days=days,
                             until=T.format_date(until)))
        for entry in open_:
            echo(_line(entry))
    else:
        echo(T.REGISTER_CLI_EXPIRING_NONE_OPEN.format(days=days))
    if followed:
        template = T.REGISTER_CLI_EXPIRING_SUCCEEDED[0 if len(followed) == 1 else 1]
        echo(template.format(count=count(len(followed), word), days=days))
        for entry in followed:
            echo(_line(entry, successors[entry.number]))


@register_group.command("withdraw", help=H["withdraw"], examples=T.EXAMPLES["register withdraw"])
@argument("number", metavar=T.METAVARS["number"])
@date_option("--on", "on", help=H["on"])
@_register_option
@handle_errors
def register_withdraw(number: str, on: datetime | None, register_path: str | None,
                      round_dir: str | None) -> None:
    day = on.date() if on else date.today()
    with _open(register_path, round_dir) as reg:
        before = reg.entry(number)
        entry = reg.withdraw(number, on=day)
    already = before is not None and before.status is Status.WITHDRAWN
    template = T.REGISTER_CLI_ALREADY_WITHDRAWN if already else T.REGISTER_CLI_WITHDRAWN
    echo(template.format(number=entry.number, organisation=entry.organisation.name,
                               on=T.format_date(entry.withdrawn_on or day)))


def _nothing_to_add(assessment: str, verdict: str | None, outcome: str,
                    location: RegisterLocation) -> KwlError:
    # named as the user gave it: "afwijzen", not the outcome "herbeoordeling" it leads to
    texts = T.REGISTER_CLI_NOTHING_TO_ADD
    message = (texts["verdict"].format(assessment=assessment, verdict=verdict) if verdict
               else texts["advice"].format(assessment=assessment,
                                           outcome=T.ADVICE_LABELS[outcome].lower()))
    entry = None
    if register_exists(location):  # only looked at: a refusal never creates a register
        with Register(location, timeout=TIMEOUT, create=False) as reg:
            entry = reg.entry(assessment)
    if entry is None or entry.status is not Status.ACTIVE:
        return InvalidArgument(message)
    # an earlier "toekennen" stays in the register until it is withdrawn: say how
    return RegisterConflict(message + texts["still"].format(number=entry.number,
                                                            kind=entry.kind.value))


@register_group.command("add", help=H["add"], examples=T.EXAMPLES["register add"])
@argument("source", type=click.Path(exists=True), metavar=T.METAVARS["consolidation"])
@decision_options("register")
@click.option("--contact", default="", metavar=T.METAVARS["name"],
              help=T.HELP["contact_register"])
@click.option("--address", multiple=True, metavar=T.METAVARS["line"],
              help=T.HELP["address_register"])
@catalogue_option
@_register_option
@handle_errors
def register_add(source: str, decision: str | None, decision_date: datetime | None,
                 contact: str, address: tuple[str, ...], catalogue_path: str | None,
                 register_path: str | None, round_dir: str | None) -> None:
    cat = load_catalogue(catalogue_path)
    cons = load_consolidation(source, cat)
    decided = decide(cons, cat, verdict=Verdict(decision) if decision else None,
                     decided_on=decision_date.date() if decision_date else None)
    if not decided.granted:
        raise _nothing_to_add(cons.assessment_id, decision, decided.outcome.value,
                              locate_register(register_path, round_dir))
    assert decided.granted_on is not None and decided.valid_until is not None
    # a round's register with the round's checks: never a new, empty register in place of
    # the one whose numbers are already on letters
    with open_register_for_writing(register_path, round_dir) as reg:
        entry = reg.record(
            assessment_id=cons.assessment_id,
            organisation=Organisation(name=cons.host, contact=contact, address=address),
            variant=cons.variant, scope=cons.scope, kind=decided.outcome,
            granted_on=decided.granted_on, valid_until=decided.valid_until,
            # without --decision-date an entry already there keeps its dates
            decided=decision_date is not None)
        path = reg.shown
    if entry.status is not Status.ACTIVE:
        # withdrawn or expired: nothing renewed, and not said to be
        echo(T.REGISTER_CLI_NOT_RENEWED[entry.status.value].format(
            number=entry.number, organisation=entry.organisation.name,
            on=T.format_date(entry.withdrawn_on) if entry.withdrawn_on else "?",
            valid_until=T.format_date(entry.valid_until), path=path))
        return
    echo(T.REGISTER_CLI_ADDED.format(
        number=entry.number, kind=entry.kind.value, organisation=entry.organisation.name,
        granted_on=T.format_date(entry.granted_on), valid_until=T.format_date(entry.valid_until),
        path=path))


@register_group.command("migrate", help=H["migrate"], examples=T.EXAMPLES["register migrate"])
@argument("source", metavar=T.METAVARS["register_from"])
@argument("target", metavar=T.METAVARS["register_to"])
@handle_errors
def register_migrate(source: str, target: str) -> None:
    from kwl_office.register.copy import copy_register  # only this command needs it

    with Register(register_location(source), timeout=TIMEOUT, create=False) as src, \
            Register(register_location(target), timeout=TIMEOUT) as dst:
        done = copy_register(src, dst)
        shown = dst.shown
    facts = {"target": shown, "highest": done.highest or "–", "register_id": done.register_id,
             **{table: count(n, *T.REGISTER_COPY_WORDS[table])
                for table, n in done.counts.items()}}
    echo((T.REGISTER_COPIED if done.copied else T.REGISTER_COPY_SAME).format(**facts))
