"""The flyer's *stroomschema* ("Wilt u met het Kwaliteitslabel aan de slag?") as data.

The tree lives in ``route_nl.yaml`` next to this module (the Dutch locale: every question,
answer, outcome and CLI text). :func:`load_route` validates it into a :class:`Route`, and
refuses a tree in which an answer points to a node that does not exist, a path loops back on
itself, or a node cannot be reached from the start. Because questions offer at least two
answers and only outcomes have no answers, every path in an accepted tree ends in an outcome.

:func:`walk` is pure: given the answers so far (question id → answer id) it returns the next
unanswered question or the outcome, with the path taken. A broken tree raises
:class:`pydantic.ValidationError` whose error types are the stable ``route-*`` codes below;
a wrong answer raises :class:`~kwl_office.errors.InvalidAnswer`.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from kwl_office.assessment import Variant
from kwl_office.errors import InvalidAnswer
from kwl_office.yamltext import safe_load

#: the shipped tree of the Dutch locale, inside the package
ROUTE_FILE = "route_nl.yaml"

_CONFIG = ConfigDict(extra="forbid", frozen=True, validate_by_name=True, validate_by_alias=True)

#: ids are typed on the command line (``--answer soort=registratie``): keep them simple
NodeId = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


class Deliverable(StrEnum):
    """What an outcome leads to; the codes are the domain's own Dutch words."""

    REGISTRATION = "registratie"
    CERTIFICATE = "certificaat"
    LEARNING_REPORT = "leerrapport"
    FEEDBACK = "terugkoppeling"


class Answer(BaseModel):
    """One answer to a question and the node it leads to."""

    model_config = _CONFIG

    id: NodeId
    label: str = Field(alias="tekst", min_length=1)
    next: NodeId = Field(alias="volgende")


class Question(BaseModel):
    """A question node: at least two answers, each pointing to the next node."""

    model_config = _CONFIG

    id: NodeId
    text: str = Field(alias="vraag", min_length=1)
    explanation: str = Field(alias="toelichting", default="")
    answers: tuple[Answer, ...] = Field(alias="antwoorden", min_length=2)

    @model_validator(mode="after")
    def _unique_answers(self) -> Question:
        _refuse_duplicates([a.id for a in self.answers], f"answers of question '{self.id}'")
        return self

    def answer(self, answer_id: str) -> Answer | None:
        """The answer with this id, or None."""
        return next((a for a in self.answers if a.id == answer_id), None)


class VariantOption(BaseModel):
    """One of several ways to be assessed at an outcome (e.g. the three toetsingsopties)."""

    model_config = _CONFIG

    id: NodeId
    label: str = Field(alias="tekst", min_length=1)
    variant: Variant


class NextStep(BaseModel):
    """A next step in plain Dutch for the organisation, with the ``kwl`` commands the
    secretariat runs for it (shown to the secretariat only: ``kwl route --secretariat``)."""

    model_config = _CONFIG

    text: str = Field(alias="tekst", min_length=1)
    commands: tuple[str, ...] = Field(alias="opdrachten", default=())


class Outcome(BaseModel):
    """A leaf: one variant, or a short list of options each with its variant."""

    model_config = _CONFIG

    id: NodeId
    title: str = Field(alias="titel", min_length=1)
    explanation: str = Field(alias="toelichting", default="")
    variant: Variant | None = None
    options: tuple[VariantOption, ...] = Field(alias="opties", default=())
    leads_to: tuple[Deliverable, ...] = Field(alias="leidt_tot", min_length=1)
    next_steps: tuple[NextStep, ...] = Field(alias="vervolgstappen", min_length=1)

    @model_validator(mode="after")
    def _variant_or_options(self) -> Outcome:
        if (self.variant is None) == (not self.options) or len(self.options) == 1:
            raise PydanticCustomError(
                "route-variant",
                "outcome '{outcome}' needs either a variant or at least two options",
                {"outcome": self.id},
            )
        _refuse_duplicates([o.id for o in self.options], f"options of outcome '{self.id}'")
        return self

    @property
    def variants(self) -> tuple[Variant, ...]:
        """The variant, or the variant of each option in order."""
        return (self.variant,) if self.variant is not None else tuple(
            o.variant for o in self.options)


#: the placeholders each CLI text may use (a second locale is checked against the same list)
TEXT_FIELDS: dict[str, frozenset[str]] = {
    "help": frozenset(),
    "help_answer": frozenset(),
    "help_json": frozenset(),
    "help_interactive": frozenset(),
    "help_secretariat": frozenset(),
    "answer_syntax": frozenset({"value"}),
    "answer_twice": frozenset({"question", "first", "second"}),
    "unknown_question": frozenset({"question", "allowed"}),
    "unknown_answer": frozenset({"question", "answer", "text", "allowed"}),
    "off_path": frozenset({"question", "answer", "text"}),
    "allowed_item": frozenset({"id", "label"}),
    "allowed_separator": frozenset(),
    "list_separator": frozenset(),
    "list_last": frozenset(),
    "pending": frozenset({"question", "text"}),
    "pending_answer": frozenset({"question", "answer", "label"}),
    "path_heading": frozenset(),
    "path_line": frozenset({"text", "label"}),
    "outcome": frozenset({"title"}),
    "variant": frozenset({"label", "code"}),
    "options_heading": frozenset({"count"}),
    "option_line": frozenset({"number", "label", "variant", "code"}),
    "leads_to": frozenset({"items"}),
    "next_steps_heading": frozenset(),
    "next_step_line": frozenset({"number", "text"}),
    "secretariat_heading": frozenset(),
    "prompt": frozenset({"count"}),
    "invalid_choice": frozenset({"count", "allowed"}),
}


class RouteTexts(BaseModel):
    """The texts of ``kwl route`` itself (``str.format`` templates, see :data:`TEXT_FIELDS`)."""

    model_config = _CONFIG

    help: str
    help_answer: str
    help_json: str
    help_interactive: str
    help_secretariat: str
    answer_syntax: str
    answer_twice: str
    unknown_question: str
    unknown_answer: str
    off_path: str
    allowed_item: str
    allowed_separator: str
    list_separator: str
    list_last: str
    pending: str
    pending_answer: str
    path_heading: str
    path_line: str
    outcome: str
    variant: str
    options_heading: str
    option_line: str
    leads_to: str
    next_steps_heading: str
    next_step_line: str
    secretariat_heading: str
    prompt: str
    invalid_choice: str

    @model_validator(mode="after")
    def _known_fields(self) -> RouteTexts:
        for name, allowed in TEXT_FIELDS.items():
            used = {field for _, field, _, _ in string.Formatter().parse(getattr(self, name))
                    if field is not None}
            if not used <= allowed:
                raise PydanticCustomError(
                    "route-text-field", "text '{name}' uses unknown field(s) {fields}",
                    {"name": name, "fields": ", ".join(sorted(used - allowed))},
                )
        return self

    def join(self, items: list[str]) -> str:
        """``a, b en c``."""
        if len(items) <= 1:
            return "".join(items)
        return self.list_separator.join(items[:-1]) + self.list_last + items[-1]


class Route(BaseModel):
    """The whole questionnaire: questions, outcomes, what outcomes lead to, and CLI texts."""

    model_config = _CONFIG

    title: str = Field(alias="titel", min_length=1)
    intro: str = Field(alias="inleiding", default="")
    start: NodeId
    questions: tuple[Question, ...] = Field(alias="vragen", min_length=1)
    outcomes: tuple[Outcome, ...] = Field(alias="uitkomsten", min_length=1)
    deliverables: dict[Deliverable, str] = Field(alias="resultaten")
    texts: RouteTexts = Field(alias="teksten")

    @model_validator(mode="after")
    def _check_tree(self) -> Route:
        ids = [q.id for q in self.questions] + [o.id for o in self.outcomes]
        _refuse_duplicates(ids, "nodes")
        if self.question(self.start) is None:
            raise PydanticCustomError(
                "route-start", "start '{start}' is not a question", {"start": self.start})
        for question in self.questions:
            for answer in question.answers:
                if answer.next not in ids:
                    raise PydanticCustomError(
                        "route-dangling",
                        "answer '{question}={answer}' leads to '{next}', which does not exist",
                        {"question": question.id, "answer": answer.id, "next": answer.next},
                    )
        reached = self._reachable_without_cycles()
        unreachable = [node for node in ids if node not in reached]
        if unreachable:
            raise PydanticCustomError(
                "route-unreachable", "no path from the start reaches {nodes}",
                {"nodes": ", ".join(unreachable)},
            )
        for outcome in self.outcomes:
            missing = [d.value for d in outcome.leads_to if d not in self.deliverables]
            if missing:
                raise PydanticCustomError(
                    "route-deliverable", "outcome '{outcome}' leads to {codes} without a text",
                    {"outcome": outcome.id, "codes": ", ".join(missing)},
                )
        return self

    def _reachable_without_cycles(self) -> set[str]:
        # depth-first from the start; a node met again while still on the current path closes
        # a cycle, and the error names that cycle so it is easy to find in the YAML
        done: set[str] = set()
        trail: list[str] = []

        def visit(node: str) -> None:
            if node in trail:
                cycle = [*trail[trail.index(node):], node]
                raise PydanticCustomError(
                    "route-cycle", "the route loops: {cycle}", {"cycle": " → ".join(cycle)})
            if node in done:
                return
            trail.append(node)
            question = self.question(node)
            for answer in question.answers if question else ():
                visit(answer.next)
            trail.pop()
            done.add(node)

        visit(self.start)
        return done

    def question(self, node_id: str) -> Question | None:
        """The question with this id, or None."""
        return next((q for q in self.questions if q.id == node_id), None)

    def outcome(self, node_id: str) -> Outcome | None:
        """The outcome with this id, or None."""
        return next((o for o in self.outcomes if o.id == node_id), None)


def _refuse_duplicates(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for node_id in ids:
        if node_id in seen:
            raise PydanticCustomError(
                "route-duplicate", "id '{id}' occurs twice among the {what}",
                {"id": node_id, "what": what},
            )
        seen.add(node_id)


@lru_cache(maxsize=1)
def load_route() -> Route:
    """The shipped, validated questionnaire (parsed once per process; the model is frozen)."""
    text = (resources.files("kwl_office") / ROUTE_FILE).read_text(encoding="utf-8")
    return Route.model_validate(safe_load(text))


# --- walking the tree -----------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One answered question on the path taken."""

    question: Question
    answer: Answer

    def to_json(self) -> dict[str, str]:
        """Ids plus the Dutch texts, as printed in ``--json``."""
        return {"question": self.question.id, "answer": self.answer.id,
                "question_text": self.question.text, "answer_label": self.answer.label}


@dataclass(frozen=True)
class QuestionStep:
    """The walk stopped at a question that has no answer yet."""

    question: Question
    path: tuple[Choice, ...]


@dataclass(frozen=True)
class OutcomeStep:
    """The walk reached an outcome."""

    outcome: Outcome
    path: tuple[Choice, ...]

    def to_json(self) -> dict[str, Any]:
        """The machine view of the outcome (``kwl route --json``)."""
        outcome = self.outcome
        return {
            "outcome": outcome.id,
            "title": outcome.title,
            "variant": outcome.variant.value if outcome.variant else None,
            "options": [{"id": o.id, "label": o.label, "variant": o.variant.value}
                        for o in outcome.options],
            "leads_to": [d.value for d in outcome.leads_to],
            "next_steps": [{"text": s.text, "commands": list(s.commands)}
                           for s in outcome.next_steps],
            "path": [choice.to_json() for choice in self.path],
        }


Step = QuestionStep | OutcomeStep


def walk(route: Route, answers: Mapping[str, str]) -> Step:
    """Follow ``answers`` (question id → answer id) from the start.

    Returns the first question on the path without an answer, or the outcome. Raises
    :class:`InvalidAnswer` for an unknown question id, an answer the question does not
    offer, or an answer to a question that this path never asks.
    """
    texts = route.texts
    for question_id, answer_id in answers.items():
        question = route.question(question_id)
        if question is None:
            allowed = tuple(q.id for q in route.questions)
            raise InvalidAnswer(
                texts.unknown_question.format(question=question_id,
                                              allowed=texts.join(list(allowed))),
                question=question_id, answer=answer_id, allowed=allowed)
        if question.answer(answer_id) is None:
            allowed = tuple(a.id for a in question.answers)
            listing = texts.allowed_separator.join(
                texts.allowed_item.format(id=a.id, label=a.label) for a in question.answers)
            raise InvalidAnswer(
                texts.unknown_answer.format(question=question_id, answer=answer_id,
                                            text=question.text, allowed=listing),
                question=question_id, answer=answer_id, allowed=allowed)

    path: list[Choice] = []
    node = route.start
    while (question := route.question(node)) is not None:
        if question.id not in answers:
            return QuestionStep(question, tuple(path))
        answer = question.answer(answers[question.id])
        assert answer is not None  # checked above
        path.append(Choice(question, answer))
        node = answer.next
    outcome = route.outcome(node)
    assert outcome is not None  # the tree was checked on load

    asked = {choice.question.id for choice in path}
    for question_id, answer_id in answers.items():
        if question_id not in asked:
            question = route.question(question_id)
            assert question is not None
            raise InvalidAnswer(
                texts.off_path.format(question=question_id, answer=answer_id,
                                      text=question.text),
                question=question_id, answer=answer_id)
    return OutcomeStep(outcome, tuple(path))


def all_paths(route: Route) -> Iterator[dict[str, str]]:
    """Every complete set of answers, one per path from the start to an outcome."""

    def extend(node: str, answers: dict[str, str]) -> Iterator[dict[str, str]]:
        question = route.question(node)
        if question is None:
            yield answers
            return
        for answer in question.answers:
            yield from extend(answer.next, {**answers, question.id: answer.id})

    yield from extend(route.start, {})
