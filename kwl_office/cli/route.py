"""``kwl route``: which assessment fits an organisation (the flyer's *stroomschema*).

A thin layer over :mod:`kwl_office.route`: parse ``--antwoord VRAAG=ANTWOORD``, walk the tree,
ask what is missing (on a terminal) or name the missing question and exit 2 (otherwise),
print the outcome. A wrong answer (:class:`~kwl_office.errors.InvalidAnswer`) becomes one
``kwl: …`` line and exit status 2.
"""

from __future__ import annotations

import json
import sys
import textwrap

import click

from kwl_office import texts_nl as T
from kwl_office.cli.common import echo, echo_block, handle_errors, printable, styled
from kwl_office.route import (
    OutcomeStep,
    Question,
    QuestionStep,
    Route,
    RouteTexts,
    load_route,
    walk,
)

_WIDTH = 88
#: the texts are read when the command is declared: click needs its help strings then
_TEXTS = load_route().texts


@click.command("route", help=_TEXTS.help)
@click.option("--antwoord", "-a", "answers", multiple=True, metavar="VRAAG=ANTWOORD",
              help=_TEXTS.help_answer)
@click.option("--json", "as_json", is_flag=True, help=_TEXTS.help_json)
@click.option("--interactief/--niet-interactief", "interactive", default=None,
              help=_TEXTS.help_interactive)
@click.pass_context
@handle_errors
def route_command(ctx: click.Context, answers: tuple[str, ...], as_json: bool,
          interactive: bool | None) -> None:
    tree = load_route()
    given = _parse_answers(answers, tree.texts)
    if interactive is None:
        interactive = sys.stdin.isatty()
    # with --json, stdout carries only the JSON: the questionnaire itself goes to stderr
    chat = as_json
    step = walk(tree, given)
    introduced = False
    while isinstance(step, QuestionStep):
        if not interactive:
            _print_pending(step.question, tree.texts)
            ctx.exit(2)
        if not introduced:
            _print_intro(tree, err=chat)
            introduced = True
        given[step.question.id] = _ask(step.question, tree.texts, err=chat)
        step = walk(tree, given)
    if as_json:
        click.echo(json.dumps(step.to_json(), ensure_ascii=False, indent=2))
    else:
        if introduced:
            echo("")
        _print_outcome(step, tree)


def _parse_answers(values: tuple[str, ...], texts: RouteTexts) -> dict[str, str]:
    given: dict[str, str] = {}
    for value in values:
        question, sep, answer = value.partition("=")
        question, answer = question.strip().lower(), answer.strip().lower()
        if not sep or not question or not answer:
            raise click.BadParameter(texts.answer_syntax.format(value=value),
                                     param_hint="--antwoord")
        if given.get(question, answer) != answer:
            raise click.BadParameter(
                texts.answer_twice.format(question=question, first=given[question],
                                          second=answer), param_hint="--antwoord")
        given[question] = answer
    return given


def _wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(text, _WIDTH, initial_indent=indent, subsequent_indent=indent)


def _print_intro(tree: Route, *, err: bool) -> None:
    echo(styled(tree.title, bold=True), err=err, raw=True)
    if tree.intro:
        echo_block(_wrap(tree.intro), err=err)


def _ask(question: Question, texts: RouteTexts, *, err: bool) -> str:
    echo("", err=err)
    echo(styled(question.text, bold=True), err=err, raw=True)
    if question.explanation:
        echo_block(_wrap(question.explanation, "  "), err=err)
    ids = [answer.id for answer in question.answers]
    for number, answer in enumerate(question.answers, 1):
        echo(printable(f"  {number}. {answer.label}  ") + styled(f"[{answer.id}]", dim=True),
             err=err, raw=True)

    def choose(value: str) -> str:
        typed = value.strip().lower()
        if typed.isdigit() and 1 <= int(typed) <= len(ids):
            return ids[int(typed) - 1]
        if typed in ids:
            return typed
        raise click.BadParameter(texts.invalid_choice.format(count=len(ids),
                                                             allowed=texts.join(ids)))

    choice: str = click.prompt(texts.prompt.format(count=len(ids)), value_proc=choose, err=err)
    return choice


def _print_pending(question: Question, texts: RouteTexts) -> None:
    echo("kwl route: " + texts.pending.format(question=question.id, text=question.text),
               err=True)
    width = max(len(answer.id) for answer in question.answers)
    for answer in question.answers:
        echo(texts.pending_answer.format(question=question.id,
                                               answer=answer.id.ljust(width),
                                               label=answer.label), err=True)


def _print_outcome(step: OutcomeStep, tree: Route) -> None:
    texts, outcome = tree.texts, step.outcome
    echo(texts.path_heading)
    for choice in step.path:
        echo(texts.path_line.format(text=choice.question.text, label=choice.answer.label))
    echo("")
    echo(styled(texts.outcome.format(title=outcome.title), bold=True), raw=True)
    if outcome.explanation:
        echo_block(_wrap(outcome.explanation))
    if outcome.variant is not None:
        echo(texts.variant.format(label=T.VARIANT_LABELS[outcome.variant.value],
                                        code=outcome.variant.value))
    else:
        echo(texts.options_heading.format(count=len(outcome.options)))
        for number, option in enumerate(outcome.options, 1):
            echo(texts.option_line.format(
                number=number, label=option.label, variant=T.VARIANT_LABELS[option.variant.value],
                code=option.variant.value))
    echo(texts.leads_to.format(
        items=texts.join([tree.deliverables[d] for d in outcome.leads_to])))
    echo("")
    echo(texts.next_steps_heading)
    for number, next_step in enumerate(outcome.next_steps, 1):
        line = texts.next_step_line.format(number=number, text=next_step.text)
        echo_block(textwrap.fill(line, _WIDTH, subsequent_indent="     "))
        for command in next_step.commands:
            echo(styled(f"       {command}", dim=True), raw=True)
