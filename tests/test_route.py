"""``kwl route``: the flyer's stroomschema as data, walked by the library and the CLI."""

from __future__ import annotations

import copy
import json
import shlex
from importlib import resources
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from pydantic import ValidationError

from kwl_office.assessment import Variant
from kwl_office.cli.route import route_command
from kwl_office.errors import InvalidAnswer, KwlError
from kwl_office.route import (
    ROUTE_FILE,
    Deliverable,
    OutcomeStep,
    QuestionStep,
    Route,
    all_paths,
    load_route,
    walk,
)

ROUTE = load_route()

# (answers, variants the outcome offers, what it leads to) — the flyer's paths
FLYER_PATHS: list[tuple[dict[str, str], list[Variant], set[Deliverable]]] = [
    # al HKZ/ISO, handhaven → combinatie HKZ/ISO (the CI also audits the distinctive norms)
    ({"certificaat": "ja", "handhaven": "ja"}, [Variant.HKZ_ISO],
     {Deliverable.REGISTRATION, Deliverable.CERTIFICATE}),
    # al HKZ/ISO, overstappen → the full label with the 3 toetsingsopties
    ({"certificaat": "ja", "handhaven": "nee"}, [Variant.AUDIT, Variant.AUDIT, Variant.COMBINATION],
     {Deliverable.REGISTRATION, Deliverable.CERTIFICATE}),
    # geen certificaat, enkel registratie → intercollegiale adviesmeting
    ({"certificaat": "nee", "soort": "registratie"}, [Variant.PEER_REVIEW],
     {Deliverable.LEARNING_REPORT, Deliverable.REGISTRATION}),
    # geen certificaat, wel het certificaat → the 3 toetsingsopties
    ({"certificaat": "nee", "soort": "certificaat"},
     [Variant.AUDIT, Variant.AUDIT, Variant.COMBINATION],
     {Deliverable.REGISTRATION, Deliverable.CERTIFICATE}),
    # our addition: not sure yet → self-evaluation and a feedback meeting first
    ({"certificaat": "nee", "soort": "weet-niet"}, [Variant.SELF_EVALUATION],
     {Deliverable.FEEDBACK}),
]


ANSWER_SETS = [answers for answers, _, _ in FLYER_PATHS]
ANSWER_IDS = ["-".join(answers.values()) for answers in ANSWER_SETS]


def reach(answers: dict[str, str]) -> OutcomeStep:
    step = walk(ROUTE, answers)
    assert isinstance(step, OutcomeStep)
    return step


# --- the tree -------------------------------------------------------------------------------


def test_the_yaml_ships_inside_the_package() -> None:
    assert (resources.files("kwl_office") / ROUTE_FILE).is_file()


def test_every_outcome_is_reached_by_exactly_one_path() -> None:
    reached = [reach(answers).outcome.id for answers in all_paths(ROUTE)]
    assert sorted(reached) == sorted(o.id for o in ROUTE.outcomes)


def test_every_question_is_asked_on_some_path() -> None:
    asked = {q for answers in all_paths(ROUTE) for q in answers}
    assert asked == {q.id for q in ROUTE.questions}


@pytest.mark.parametrize(("answers", "variants", "leads_to"), FLYER_PATHS, ids=ANSWER_IDS)
def test_flyer_paths_give_the_right_variant(answers: dict[str, str], variants: list[Variant],
                                            leads_to: set[Deliverable]) -> None:
    step = reach(answers)
    assert list(step.outcome.variants) == variants
    assert set(step.outcome.leads_to) == leads_to
    assert [(c.question.id, c.answer.id) for c in step.path] == list(answers.items())


def test_flyer_paths_cover_the_tree() -> None:
    assert sorted(map(sorted, (p.items() for p in all_paths(ROUTE)))) == sorted(
        map(sorted, (answers.items() for answers, _, _ in FLYER_PATHS)))


def test_certificate_outcomes_offer_options_and_single_outcomes_a_variant() -> None:
    for answers in all_paths(ROUTE):
        outcome = reach(answers).outcome
        if outcome.options:
            assert outcome.variant is None and len(outcome.options) == 3
            assert all(v.is_audit for v in outcome.variants)
        else:
            assert outcome.variant is not None


def test_every_outcome_starts_with_the_self_evaluation() -> None:
    for outcome in ROUTE.outcomes:
        assert any(c.startswith("kwl workbook selfeval") for c in outcome.next_steps[0].commands)


def _kwl_commands() -> list[str]:
    return sorted({c for o in ROUTE.outcomes for s in o.next_steps for c in s.commands})


@pytest.mark.parametrize("command", _kwl_commands())
def test_next_step_commands_exist_in_kwl(command: str) -> None:
    from kwl_office.cli import main

    words = shlex.split(command)
    assert words[0] == "kwl"
    current: click.Command = main
    rest = words[1:]
    while isinstance(current, click.Group):
        found = current.get_command(click.Context(current), rest[0]) if rest else None
        assert found is not None, command
        rest.pop(0)
        current = found
    options = {opt for p in current.params for opt in (*p.opts, *p.secondary_opts)}
    for word in rest:
        if word.startswith("-"):
            assert word in options, f"{command}: {word}"


def test_walk_stops_at_the_first_unanswered_question() -> None:
    step = walk(ROUTE, {})
    assert isinstance(step, QuestionStep)
    assert step.question.id == ROUTE.start and step.path == ()
    step = walk(ROUTE, {"certificaat": "nee"})
    assert isinstance(step, QuestionStep)
    assert step.question.id == "soort"
    assert [(c.question.id, c.answer.id) for c in step.path] == [("certificaat", "nee")]


def test_outcome_json() -> None:
    data = reach({"certificaat": "nee", "soort": "certificaat"}).to_json()
    assert data["variant"] is None
    assert [o["variant"] for o in data["options"]] == ["audit", "audit", "combinatie"]
    assert data["leads_to"] == ["registratie", "certificaat"]
    assert data["next_steps"][0]["commands"]
    assert [(p["question"], p["answer"]) for p in data["path"]] == [
        ("certificaat", "nee"), ("soort", "certificaat")]
    json.dumps(data)


# --- wrong answers --------------------------------------------------------------------------


def test_unknown_question_is_refused() -> None:
    with pytest.raises(InvalidAnswer) as caught:
        walk(ROUTE, {"certificaat": "nee", "vraag": "ja"})
    err = caught.value
    assert (err.question, err.answer) == ("vraag", "ja")
    assert set(err.allowed) == {q.id for q in ROUTE.questions}
    assert isinstance(err, KwlError) and err.exit_code == 2


def test_unknown_answer_lists_the_allowed_answers_in_dutch() -> None:
    with pytest.raises(InvalidAnswer) as caught:
        walk(ROUTE, {"certificaat": "nee", "soort": "beide"})
    err = caught.value
    assert (err.question, err.answer) == ("soort", "beide")
    question = ROUTE.question("soort")
    assert question is not None
    assert err.allowed == tuple(a.id for a in question.answers)
    for answer in question.answers:
        assert answer.label in str(err)


def test_answer_to_a_question_off_the_path_is_refused() -> None:
    with pytest.raises(InvalidAnswer) as caught:
        walk(ROUTE, {"certificaat": "nee", "soort": "registratie", "handhaven": "ja"})
    assert (caught.value.question, caught.value.answer) == ("handhaven", "ja")


# --- bad trees are refused on load ----------------------------------------------------------


def route_data() -> dict[str, Any]:
    return copy.deepcopy(ROUTE.model_dump(mode="json", by_alias=True))


def node(data: dict[str, Any], node_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(n for n in [*data["vragen"], *data["uitkomsten"]]
                                 if n["id"] == node_id)
    return found


def error_types(data: dict[str, Any]) -> set[str]:
    with pytest.raises(ValidationError) as caught:
        Route.model_validate(data)
    return {e["type"] for e in caught.value.errors()}


def test_the_dumped_tree_loads_back_unchanged() -> None:
    assert Route.model_validate(route_data()) == ROUTE


def test_dangling_id_is_refused() -> None:
    data = route_data()
    node(data, "soort")["antwoorden"][1]["volgende"] = "bestaat-niet"
    assert error_types(data) == {"route-dangling"}


@pytest.mark.parametrize(("question", "answer", "target"), [
    ("soort", 2, "certificaat"),      # back to the start
    ("handhaven", 0, "handhaven"),    # onto itself
])
def test_cycle_is_refused(question: str, answer: int, target: str) -> None:
    data = route_data()
    node(data, question)["antwoorden"][answer]["volgende"] = target
    with pytest.raises(ValidationError) as caught:
        Route.model_validate(data)
    [error] = caught.value.errors()
    assert error["type"] == "route-cycle"
    assert error["ctx"]["cycle"].startswith(target) and error["ctx"]["cycle"].endswith(target)


def test_unreachable_node_is_refused() -> None:
    data = route_data()
    data["uitkomsten"].append({**node(data, "hkz-iso"), "id": "vergeten"})
    assert error_types(data) == {"route-unreachable"}


def test_duplicate_id_is_refused() -> None:
    data = route_data()
    node(data, "hkz-iso")["id"] = "soort"
    assert error_types(data) == {"route-duplicate"}


def test_start_must_be_a_question() -> None:
    data = route_data()
    data["start"] = "hkz-iso"
    assert error_types(data) == {"route-start"}


@pytest.mark.parametrize("variant", ["audit", None])
def test_outcome_needs_a_variant_or_options(variant: str | None) -> None:
    data = route_data()
    outcome = node(data, "overstappen")
    outcome["variant"] = variant
    if variant is None:
        outcome["opties"] = []
    assert error_types(data) == {"route-variant"}


def test_deliverable_without_text_is_refused() -> None:
    data = route_data()
    del data["resultaten"]["leerrapport"]
    assert error_types(data) == {"route-deliverable"}


def test_text_with_unknown_field_is_refused() -> None:
    data = route_data()
    data["teksten"]["outcome"] = "Uitkomst: {titel}"
    assert error_types(data) == {"route-text-field"}


def test_question_needs_two_answers_and_known_keys() -> None:
    data = route_data()
    del node(data, "handhaven")["antwoorden"][1]
    node(data, "soort")["vraagg"] = "tikfout"
    assert error_types(data) == {"too_short", "extra_forbidden"}


# --- the command ----------------------------------------------------------------------------


@click.group()
def cli() -> None:
    """A standalone group, as the main CLI will hold the command."""


cli.add_command(route_command)


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["route", *args], input=input)


def answer_args(answers: dict[str, str]) -> list[str]:
    return [arg for q, a in answers.items() for arg in ("--answer", f"{q}={a}")]


def unwrapped(text: str) -> str:
    """The printed text as one line: wrapped lines and continued commands joined."""
    return " ".join(text.replace(" \\\n", " ").split())


@pytest.mark.parametrize("answers", ANSWER_SETS, ids=ANSWER_IDS)
def test_cli_non_interactive_prints_path_and_outcome(answers: dict[str, str]) -> None:
    result = run(*answer_args(answers))
    assert result.exit_code == 0, result.output
    step = reach(answers)
    printed = unwrapped(result.stdout)
    assert step.outcome.title in printed
    for choice in step.path:
        assert choice.answer.label in printed
    for next_step in step.outcome.next_steps:
        assert " ".join(next_step.text.split()) in printed
        # the reader is an organisation: the secretariat's commands are not its business
        for command in next_step.commands:
            assert command not in printed
    assert "kwl " not in printed


@pytest.mark.parametrize("answers", ANSWER_SETS, ids=ANSWER_IDS)
def test_cli_secretariat_sees_the_commands(answers: dict[str, str]) -> None:
    result = run(*answer_args(answers), "--secretariat")
    assert result.exit_code == 0, result.output
    printed = unwrapped(result.stdout)
    for next_step in reach(answers).outcome.next_steps:
        for command in next_step.commands:
            assert command in printed


@pytest.mark.parametrize("answers", ANSWER_SETS, ids=ANSWER_IDS)
def test_cli_json(answers: dict[str, str]) -> None:
    result = run(*answer_args(answers), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == reach(answers).to_json()
    assert {"variant", "leads_to", "next_steps", "path"} <= data.keys()


def test_cli_answers_are_case_and_space_tolerant() -> None:
    result = run("-a", " Certificaat = NEE", "-a", "soort=Registratie", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["variant"] == "intercollegiaal"


def test_cli_missing_answer_without_tty_names_the_question_and_exits_2() -> None:
    result = run("--antwoord", "certificaat=nee")   # CliRunner's stdin is no TTY
    assert result.exit_code == 2
    assert result.stdout == ""
    # a long line continues, indented, on the next: the whole text is read joined
    lines = [" ".join(line.split()) for line in result.stderr.splitlines()]
    joined = unwrapped(result.stderr)
    question = ROUTE.question("soort")
    assert question is not None
    assert "soort" in lines[0]
    offered = [line for line in lines if line.startswith("--answer soort=")]
    assert len(offered) == len(question.answers)
    for line, answer in zip(offered, question.answers, strict=True):
        assert line.startswith(f"--answer soort={answer.id} ")
        assert f"soort={answer.id} {answer.label}" in joined
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [
    ["-a", "certificaat=misschien"],
    ["-a", "vraag=ja"],
    ["-a", "certificaat=nee", "-a", "soort=registratie", "-a", "handhaven=ja"],
    ["-a", "certificaat"],
    ["-a", "certificaat=ja", "-a", "certificaat=nee"],
])
def test_cli_wrong_answers_exit_2_without_traceback(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


def test_cli_interactive_numbers_and_ids() -> None:
    # "9" and "x" are refused and asked again; "1" = ja (by number), then handhaven by id
    result = run("--interactief", input="9\nx\n1\nnee\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Uw keuze") == 4
    assert reach({"certificaat": "ja", "handhaven": "nee"}).outcome.title in result.stdout


def test_cli_interactive_asks_only_what_is_missing() -> None:
    result = run("--interactief", "-a", "certificaat=nee", "--json", input="3\n")
    assert result.exit_code == 0, result.output
    # the questionnaire went to stderr: stdout is pure JSON
    data = json.loads(result.stdout)
    assert data["variant"] == "zelfevaluatie"
    assert "Wilt u het certificaat of enkel registratie?" in result.stderr
    assert "Heeft u al een certificaat" not in result.stderr


def test_cli_interactive_stops_cleanly_at_end_of_input() -> None:
    result = run("--interactief", input="")
    assert result.exit_code == 1   # click's Abort
    assert "Traceback" not in result.output


def test_cli_niet_interactief_overrides_a_tty() -> None:
    result = run("--niet-interactief", input="1\n1\n")
    assert result.exit_code == 2
    assert "Uw keuze" not in result.output


def test_cli_help() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "--answer" in result.output and "--json" in result.output
    assert "--antwoord" not in result.output   # still accepted, no longer shown
