"""``kwl route``: which assessment fits an organisation (the flyer's *stroomschema*).

A thin layer over :mod:`kwl_office.route`: parse ``--answer VRAAG=ANTWOORD``, walk the tree,
ask what is missing (on a terminal) or name the missing question and exit 2 (otherwise),
print the outcome. A wrong answer (:class:`~kwl_office.errors.InvalidAnswer`) becomes one
``kwl: …`` line and exit status 2.

The reader is an organisation choosing its route: the outcome says what it does and receives.
The ``kwl`` commands behind each step are the secretariat's; they are shown only with
``--secretariat`` (and are always in ``--json``). The Dutch spellings ``--antwoord`` and
``--interactief/--niet-interactief`` of earlier versions still work, unlisted.
"""

from __future__ import annotations

import json
import sys
import textwrap

import click

from kwl_office import texts_nl as T
from kwl_office.cli.base import KwlCommand, KwlOption
from kwl_office.cli.common import (
    echo,
    echo_block,
    handle_errors,
    printable,
    styled,
    text_width,
)
from kwl_office.dutch import join
from kwl_office.route import (
    OutcomeStep,
    Question,
    QuestionStep,
    Route,
    RouteTexts,
    load_route,
    walk,
)

#: the texts are read when the command is declared: click needs its help strings then
_TEXTS = load_route().texts


@click.command("route", cls=KwlCommand, help=_TEXTS.help, examples=T.EXAMPLES["route"])
@click.option("--answer", "-a", "--antwoord", "answers", multiple=True, cls=KwlOption,
              hidden_names=("--antwoord",), metavar=T.METAVARS["answer"],
              help=_TEXTS.help_answer)
@click.option("--json", "as_json", is_flag=True, help=_TEXTS.help_json)
@click.option("--interactive/--no-interactive", "--interactief/--niet-interactief",
              "interactive", default=None, cls=KwlOption,
              hidden_names=("--interactief", "--niet-interactief"),
              help=_TEXTS.help_interactive)
@click.option("--secretariat", is_flag=True, help=_TEXTS.help_secretariat)
@click.pass_context
@handle_errors
def route_command(ctx: click.Context, answers: tuple[str, ...], as_json: bool,
                  interactive: bool | None, secretariat: bool) -> None:
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
        _print_outcome(step, tree, secretariat=secretariat)


def _parse_answers(values: tuple[str, ...], texts: RouteTexts) -> dict[str, str]:
    given: dict[str, str] = {}
    for value in values:
        question, sep, answer = value.partition("=")
        question, answer = question.strip().lower(), answer.strip().lower()
        if not sep or not question or not answer:
            raise click.BadParameter(texts.answer_syntax.format(value=value),
                                     param_hint="'--answer'")
        if given.get(question, answer) != answer:
            raise click.BadParameter(
                texts.answer_twice.format(question=question, first=given[question],
                                          second=answer), param_hint="'--answer'")
        given[question] = answer
    return given


def _wrap(text: str, indent: str = "", hanging: str | None = None) -> str:
    """``text`` filled to the terminal (at most 78 columns), never splitting a word."""
    return textwrap.fill(text, text_width(), initial_indent=indent,
                         subsequent_indent=indent if hanging is None else hanging,
                         break_long_words=False, break_on_hyphens=False)


def _command_lines(command: str, indent: str) -> list[str]:
    """A command as the secretariat can paste it: wrapped between options (an option stays
    with its value), each line but the last ending in `` \\`` (the shell's continuation)."""
    words = command.split(" ")
    units: list[str] = []
    for word in words:
        if units and units[-1].startswith("-") and " " not in units[-1] \
                and not word.startswith("-"):
            units[-1] += " " + word
        else:
            units.append(word)
    # a no-break space holds an option and its value together while wrapping
    glued = " ".join(unit.replace(" ", "\u00a0") for unit in units)
    lines = textwrap.wrap(glued, text_width() - 2, initial_indent=indent,
                          subsequent_indent=indent + "    ", break_long_words=False,
                          break_on_hyphens=False)
    lines = [line.replace("\u00a0", " ") for line in lines]
    return [line + " \\" for line in lines[:-1]] + lines[-1:]


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
                                                             allowed=join(ids, "of")))

    choice: str = click.prompt(texts.prompt.format(count=len(ids)), value_proc=choose, err=err)
    return choice


def _print_pending(question: Question, texts: RouteTexts) -> None:
    echo_block(_wrap("kwl route: " + texts.pending.format(question=question.id,
                                                          text=question.text), hanging="  "),
               err=True)
    width = max(len(answer.id) for answer in question.answers)
    for answer in question.answers:
        line = texts.pending_answer.format(question=question.id, answer=answer.id.ljust(width),
                                           label=answer.label)
        hanging = " " * (len(line) - len(answer.label))
        echo_block(_wrap(line, hanging=hanging), err=True)


def _print_outcome(step: OutcomeStep, tree: Route, *, secretariat: bool) -> None:
    texts, outcome = tree.texts, step.outcome
    echo(texts.path_heading)
    for choice in step.path:
        echo_block(_wrap(texts.path_line.format(text=choice.question.text,
                                                label=choice.answer.label), hanging="    "))
    echo("")
    echo(styled(texts.outcome.format(title=outcome.title), bold=True), raw=True)
    if outcome.explanation:
        echo_block(_wrap(outcome.explanation))
    if outcome.variant is not None:
        echo_block(_wrap(texts.variant.format(label=T.VARIANT_LABELS[outcome.variant.value],
                                              code=outcome.variant.value)))
    else:
        echo(texts.options_heading.format(count=len(outcome.options)))
        for number, option in enumerate(outcome.options, 1):
            echo_block(_wrap(texts.option_line.format(
                number=number, label=option.label,
                variant=T.VARIANT_LABELS[option.variant.value], code=option.variant.value),
                hanging="     "))
    echo_block(_wrap(texts.leads_to.format(
        items=texts.join([tree.deliverables[d] for d in outcome.leads_to]))))
    echo("")
    echo(texts.next_steps_heading)
    for number, next_step in enumerate(outcome.next_steps, 1):
        line = texts.next_step_line.format(number=number, text=next_step.text)
        echo_block(_wrap(line, hanging="     "))
        if secretariat and next_step.commands:
            echo(f"     {texts.secretariat_heading}")
            for command in next_step.commands:
                for command_line in _command_lines(command, "       "):
                    echo(styled(command_line, dim=True), raw=True)
