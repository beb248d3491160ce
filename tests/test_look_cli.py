"""What people see of ``kwl``: every help page and usage error in Dutch, click's own strings
included; Dutch placeholders; English option names (the Dutch spellings of old still work,
unlisted); an example at the end of every help page; no word, path or option split over two
lines; tables that never cut a name; counted nouns instead of "(en)"."""

from __future__ import annotations

import ast
import gettext
import json
import re
import shlex
import string
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office.assessment import Kind, Organisation, Variant
from kwl_office.catalogue import Catalogue, load_catalogue, save_catalogue
from kwl_office.cli import COMMANDS, main
from kwl_office.cli.base import KwlOption, first_sentence
from kwl_office.cli.click_nl import MESSAGES, PLURALS
from kwl_office.consolidation.model import Advice
from kwl_office.places import default_key_path, user_register_path
from kwl_office.register import Register
from tests.helpers import HOST, fill, fill_all, generate

CLICK = Path(click.__file__).parent
#: what people see is at most this wide (click's help pages are 78 columns on an 80 terminal)
WIDTH = 80
#: the long option names of kwl: the stable machine interface (DESIGN.md §5), in English
INTERFACE = {
    "--address", "--allow-incomplete", "--answer", "--assessment", "--audit", "--catalogue",
    "--contact",
    "--deadline", "--decision", "--decision-date", "--distinctive-only", "--format", "--help",
    "--host", "--incomplete", "--interactive", "--jobs", "--json", "--key", "--kind",
    "--macros", "--name", "--no-interactive", "--on", "--output", "--overrides", "--pdf",
    "--register", "--reviewer", "--round", "--secretariat", "--selfeval", "--settings",
    "--status", "--templates", "--variant", "--version", "--within",
    "--carry-over", "--mapping", "--previous",
    "--benchmark", "--min-group", "--allow-small-groups",
}
#: placeholders click makes itself from type and parameter names: none may reach a help page
ENGLISH_METAVARS = {"TEXT", "INTEGER", "FLOAT", "BOOLEAN", "FILE", "FILES", "FILENAME",
                    "DIRECTORY", "DIR", "PATH", "PATHS", "OUT", "INPUTS", "SOURCE", "KEY",
                    "NUMBER", "KIND", "DATETIME", "UUID", "RANGE", "OPTIONS", "COMMAND",
                    "ARGS"}


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input, env={"COLUMNS": str(WIDTH)})


def one_line(text: str) -> str:
    """Printed text as one line: wrapped lines and continued commands joined."""
    return " ".join(text.replace(" \\\n", " ").split())


# --- click's strings, read from the installed click --------------------------------------------


@cache
def click_calls() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """From click's source: the ``_()`` msgids, the ``ngettext()`` msgids (singular and
    plural) and the ``_()`` calls whose argument is not a literal (as source text)."""
    single: set[str] = set()
    plural: set[str] = set()
    dynamic: set[str] = set()
    for path in sorted(CLICK.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            texts = [a.value for a in node.args if isinstance(a, ast.Constant)
                     and isinstance(a.value, str)]
            if node.func.id == "_":
                if texts:
                    single.update(texts)
                else:
                    dynamic.add(f"{path.name}: {ast.unparse(node)}")
            elif node.func.id == "ngettext":
                plural.update(texts[:2])
    return frozenset(single), frozenset(plural), frozenset(dynamic)


def _fields(text: str) -> set[str]:
    named = {name for _, name, _, _ in string.Formatter().parse(text) if name}
    return named | set(re.findall(r"%\((\w+)\)s", text))


def test_every_click_msgid_has_a_dutch_text() -> None:
    single, _, _ = click_calls()
    assert single, "no _() found in click: has click stopped using gettext?"
    assert sorted(single - MESSAGES.keys()) == []
    assert sorted({one for one, _ in _ngettext_pairs()} - PLURALS.keys()) == []


@cache
def _ngettext_pairs() -> list[tuple[str, str]]:
    pairs = []
    for path in sorted(CLICK.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id == "ngettext":
                one, many = (a.value for a in node.args[:2] if isinstance(a, ast.Constant))
                pairs.append((one, many))
    return pairs


def test_the_only_computed_msgid_is_required() -> None:
    # click translates extra["required"] = "required"; a new computed msgid needs a look
    _, _, dynamic = click_calls()
    assert dynamic == {"core.py: _(extra['required'])"}
    assert "required" in MESSAGES


def test_translations_use_only_the_placeholders_click_fills() -> None:
    for msgid, text in MESSAGES.items():
        assert _fields(text) <= _fields(msgid), msgid
    pairs = dict(_ngettext_pairs())
    for msgid, forms in PLURALS.items():
        offered = _fields(msgid) | _fields(pairs.get(msgid, ""))
        for form in forms:
            assert _fields(form) <= offered, msgid


def test_the_process_wide_gettext_is_left_alone() -> None:
    # only click's own names point to the Dutch catalogue; other libraries keep theirs
    assert gettext.gettext("Usage:") == "Usage:"
    assert gettext.ngettext("Did you mean {possibility}?", "x", 1) == "Did you mean {possibility}?"
    assert click.core._("Usage:") == MESSAGES["Usage:"]


@cache
def english_phrases() -> list[re.Pattern[str]]:
    """The literal parts of click's msgids that would give away an English string: every
    fragment between placeholders with a word of four letters or more, unless the Dutch text
    happens to be the same."""
    single, plural, _ = click_calls()
    phrases: set[str] = set()
    for msgid in single | plural:
        if MESSAGES.get(msgid) == msgid:
            continue
        for fragment in re.split(r"\{[^}]*\}|%\(\w+\)s", msgid):
            fragment = fragment.strip(" \n\t.:!?()'\"")
            if re.search(r"[A-Za-z]{4,}", fragment):
                phrases.add(fragment)
    return [re.compile(rf"(?<![A-Za-z]){re.escape(p)}(?![A-Za-z])") for p in sorted(phrases)]


def english_left(text: str) -> list[str]:
    return [p.pattern for p in english_phrases() if p.search(text)]


# --- every help page ----------------------------------------------------------------------------


def _walk(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    ctx = click.Context(group)
    found: list[tuple[str, ...]] = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(_walk(command, (*prefix, name)))
    return found


PATHS = [(), *_walk(main)]
IDS = [" ".join(("kwl", *path)) for path in PATHS]


def command_at(path: tuple[str, ...]) -> click.Command:
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), name)
        assert found is not None
        command = found
    return command


def help_page(path: tuple[str, ...]) -> str:
    result = run(*path, "--help")
    assert result.exit_code == 0, result.output
    return result.output


def test_every_command_of_the_table_is_walked() -> None:
    assert {path[0] for path in PATHS if path} == set(COMMANDS)
    assert len(PATHS) > 30


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_help_has_no_english_click_phrase(path: tuple[str, ...]) -> None:
    page = help_page(path)
    assert english_left(page) == []
    assert page.startswith(MESSAGES["Usage:"] + " ")
    assert f"{MESSAGES['Options']}:" in page


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_help_ends_with_an_example_of_the_command(path: tuple[str, ...]) -> None:
    page = help_page(path).rstrip("\n")
    headings = [f"{word}:" for word in T.CLI_EXAMPLE]
    lines = page.splitlines()
    start = max(i for i, line in enumerate(lines) if line in headings)
    examples = lines[start + 1:]
    assert examples and all(line.startswith("  ") for line in examples)
    commands = [line for line in examples if not line.startswith("   ")]
    assert lines[start] == f"{dutch.noun(len(commands), dutch.Word(*T.CLI_EXAMPLE))}:"
    assert all(len(line) <= WIDTH - 2 for line in examples)
    commands = one_line("\n".join(line[2:] for line in examples).replace("\n    ", " "))
    assert commands.startswith(" ".join(("kwl", *path)))


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_examples_use_options_the_command_has(path: tuple[str, ...]) -> None:
    command = command_at(path)
    examples = getattr(command, "examples", ())
    assert examples, "no examples"
    text = "\n".join(examples).replace(" \\\n", " ")
    for example in text.splitlines():
        words = shlex.split(example, comments=True)
        assert words[0] == "kwl"
        target: click.Command = main
        rest = words[1:]
        while isinstance(target, click.Group) and rest and not rest[0].startswith("-"):
            found = target.get_command(click.Context(target), rest.pop(0))
            assert found is not None, example
            target = found
        names = {o for p in target.params for o in (*p.opts, *p.secondary_opts)}
        assert [w for w in rest if w.startswith("-") and w not in names] == [], example


def _metavars(path: tuple[str, ...]) -> list[tuple[click.Parameter, str]]:
    command = command_at(path)
    ctx = click.Context(command)
    return [(param, param.make_metavar(ctx)) for param in command.get_params(ctx)
            if not (isinstance(param, click.Option) and (param.is_flag or param.count))]


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_placeholder_is_dutch(path: tuple[str, ...]) -> None:
    dutch_placeholders = set(T.METAVARS.values())
    page = help_page(path)
    usage = page.splitlines()[0]
    for word in ("[OPTIONS]", "COMMAND", "[ARGS]"):
        assert word not in usage
    for param, metavar in _metavars(path):
        bare = metavar.removesuffix("...").strip("[]")
        if isinstance(param.type, click.Choice) and bare not in dutch_placeholders:
            assert set(bare.split("|")) <= {str(c) for c in param.type.choices}, metavar
        else:
            assert bare in dutch_placeholders, f"{param.name}: {metavar}"
        assert not set(re.split(r"[^A-Z]+", metavar)) & ENGLISH_METAVARS, metavar
        assert metavar in page


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_option_names_are_english_and_aliases_hidden(path: tuple[str, ...]) -> None:
    command = command_at(path)
    page = help_page(path)
    for param in command.params:
        if not isinstance(param, click.Option):
            continue
        hidden = param.hidden_names if isinstance(param, KwlOption) else frozenset()
        shown = [o for o in (*param.opts, *param.secondary_opts)
                 if o.startswith("--") and o not in hidden]
        assert set(shown) <= INTERFACE, shown
        for name in hidden:
            assert not re.search(rf"{re.escape(name)}(?![\w-])", page), name


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_no_help_line_splits_a_word_or_path(path: tuple[str, ...]) -> None:
    page = help_page(path)
    command = command_at(path)
    ctx = click.Context(command)
    texts = [command.help or ""]
    texts += [p.help or "" for p in command.get_params(ctx) if isinstance(p, click.Option)]
    # wrapped at spaces only: every word of every help text is whole on some line
    for word in " ".join(texts).split():
        assert word in page, word
    for line in page.splitlines():
        assert not re.search(r"\w-$", line), line     # no break after a hyphen
    defaults = [str(p.shown_path()) for p in command.get_params(ctx)
                if isinstance(p, KwlOption) and p.shown_path]
    for default in defaults:
        assert any(line.endswith(f"  {default}") for line in page.splitlines()), default
    too_wide = [line for line in page.splitlines() if len(line) > WIDTH
                and not any(default in line for default in defaults)]
    assert too_wide == []


def test_default_files_are_those_of_this_computer() -> None:
    page = help_page(("register", "list"))
    assert str(user_register_path()) in page
    assert str(default_key_path()) in help_page(("check",))
    assert T.CLI_DEFAULT_FILES in page


def test_the_command_list_shows_whole_first_sentences() -> None:
    page = help_page(())
    section = one_line(page.split(f"{T.CLI_COMMANDS_SECTION}:")[1].split("\n\n")[0])
    assert "..." not in section
    for name, (_, _, text) in COMMANDS.items():
        assert f"{name} {first_sentence(text)}" in section


def test_subcommands_are_listed_in_the_order_of_the_work() -> None:
    page = help_page(("round",))
    listed = [line.split()[0] for line in page.split(f"{MESSAGES['Commands']}:")[1]
              .split("\n\n")[0].splitlines() if line.startswith("  ") and line[2] != " "]
    assert listed == ["init", "issue", "collect", "report", "run", "status"]


def test_version_is_dutch() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip().startswith(T.CLI_VERSION.split("{")[0])


# --- usage errors -------------------------------------------------------------------------------


def usage_error(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    output = result.output
    # click shows the usage line with most errors, not with every one
    assert output.startswith(MESSAGES["Usage:"] + " ") or output.count("\n") == 1
    assert MESSAGES["Error: {message}"].format(message="") in output
    assert english_left(output) == []
    return one_line(output)


def test_unknown_option_suggests_the_shown_name() -> None:
    output = usage_error("check", "ingevuld.xlsx", "--jsn")
    assert MESSAGES["No such option {name!r}."].format(name="--jsn") in output
    assert PLURALS["Did you mean {possibility}?"][0].format(possibility="'--json'") in output


def test_missing_option() -> None:
    output = usage_error("workbook", "selfeval", "--host", HOST, "-o", "zelf.xlsx")
    assert f"{MESSAGES['Missing option']} '--assessment'." in output


def test_missing_argument_names_the_dutch_placeholder() -> None:
    output = usage_error("check")
    assert f"{MESSAGES['Missing argument']} '{T.METAVARS['workbook']}...'." in output


def test_option_without_its_value() -> None:
    output = usage_error("check", "--kind")
    assert PLURALS["Option {name!r} requires an argument."][0].format(name="--kind") in output


def test_flag_with_a_value() -> None:
    output = usage_error("check", "x.xlsx", "--json=ja")
    assert MESSAGES["Option {name!r} does not take a value."].format(name="--json") in output


def test_extra_argument() -> None:
    output = usage_error("register", "show", "KSW-2026-0001", "te-veel")
    assert PLURALS["Got unexpected extra argument ({args})"][0].format(args="te-veel") \
        in output


def test_bad_choice_lists_the_choices() -> None:
    output = usage_error("check", "x.xlsx", "--kind", "enquete")
    choices = ", ".join(repr(k.value) for k in Kind)
    assert PLURALS["{value!r} is not {choice}."][1].format(value="enquete", choices=choices) \
        in output


@pytest.mark.parametrize(("args", "value", "bound"), [
    (("register", "expiring", "--within", "-1"), -1, {"min": 0, "max": 36500}),
    (("register", "expiring", "--within", "99999999"), 99999999, {"min": 0, "max": 36500}),
    (("round", "report", ".", "--jobs", "0"), 0, {"min": 1}),
])
def test_number_out_of_range_in_dutch(args: tuple[str, ...], value: int,
                                      bound: dict[str, int]) -> None:
    output = usage_error(*args)
    described = T.CLI_RANGE["both" if len(bound) == 2 else "min"].format(**bound)
    assert MESSAGES["{value} is not in the range {range}."].format(value=value,
                                                                    range=described) in output


def test_not_a_number() -> None:
    output = usage_error("register", "expiring", "--within", "veel")
    assert MESSAGES["{value!r} is not a valid {number_type}."].format(value="veel") in output


def test_range_is_described_in_dutch_in_help() -> None:
    assert f"[{T.CLI_RANGE['min'].format(min=1)}]" in help_page(("round", "report"))
    assert "x>=" not in help_page(("register", "expiring"))


def test_bad_date() -> None:
    output = usage_error("register", "withdraw", "KSW-2026-0001", "--on", "31-12-2026")
    assert T.CLI_BAD_DATE.format(value="31-12-2026") in output


def test_missing_workbook_folder(tmp_path: Path) -> None:
    # (a test name without English words: they would be in tmp_path, hence in the message)
    missing = tmp_path / "bestaat-niet"
    output = usage_error("consolidate", str(missing), "-o", str(tmp_path / "uit"))
    assert MESSAGES["{name} {filename!r} does not exist."].format(filename=missing) in output


def test_unknown_command() -> None:
    output = usage_error("rond")
    assert MESSAGES["No such command {name!r}."].format(name="rond") in output


def test_route_answer_error_names_the_english_option() -> None:
    output = usage_error("route", "-a", "certificaat")
    assert "'--answer'" in output and "--antwoord" not in output


# --- the Dutch option names of old still work ---------------------------------------------------


def test_antwoord_still_works_as_answer() -> None:
    old = run("route", "--antwoord", "certificaat=nee", "--antwoord", "soort=registratie",
              "--json")
    new = run("route", "--answer", "certificaat=nee", "--answer", "soort=registratie", "--json")
    assert old.exit_code == new.exit_code == 0
    assert json.loads(old.stdout) == json.loads(new.stdout)


@pytest.mark.parametrize(("old", "new"), [("--niet-interactief", "--no-interactive"),
                                          ("--interactief", "--interactive")])
def test_interactief_still_works(old: str, new: str) -> None:
    results = [run("route", "-a", "certificaat=nee", flag, input="2\n") for flag in (old, new)]
    assert results[0].exit_code == results[1].exit_code
    assert results[0].output == results[1].output


def test_a_hidden_name_is_never_suggested() -> None:
    output = usage_error("route", "--antwort", "certificaat=nee")
    assert "'--answer'" in output and "'--antwoord'" not in output


# --- tables that never cut a name, counted nouns ------------------------------------------------

LONG_NAME = "Stichting Maatschappelijke Dienstverlening Noordoost-Brabant en Omstreken (fictief)"


def _no_tool_speak(text: str) -> None:
    assert [a for a in dutch.AVOIDED if a in text] == []


def test_consolidate_summary_keeps_whole_aligned_domain_titles(tmp_path: Path, key_file: Path,
                                                               catalogue: Catalogue) -> None:
    # a catalogue whose last domain has the long title of the official one
    original = catalogue.domains[-1].title
    yaml_path = save_catalogue(catalogue, tmp_path / "normenkader.yaml")
    text = yaml_path.read_text(encoding="utf-8")
    assert text.count(original) == 1
    yaml_path.write_text(text.replace(original, "Organisatie, bestuur, toezicht"),
                         encoding="utf-8")
    long_titled = load_catalogue(yaml_path)
    folder = tmp_path / "ingeleverd"
    folder.mkdir()
    for reviewer in ("Noord (fictief)", "Zuid (fictief)"):
        fill_all(generate(folder / f"{reviewer[:4]}.xlsx", Kind.PEER, long_titled,
                          reviewer=reviewer), long_titled)
    result = run("consolidate", str(folder), "-o", str(tmp_path / "uit"), "--key",
                 str(key_file), "--catalogue", str(yaml_path))
    assert result.exit_code == 0, result.output
    assert dutch.count(2, "reviewer") in result.output
    _no_tool_speak(result.output)
    titles = [d.title for d in long_titled.domains]
    assert max(len(t) for t in titles) > 26    # longer than the old, fixed column
    rows = [line for line in result.output.splitlines()
            if any(line.startswith(f"  {t} ") for t in titles)]
    assert len(rows) == len(titles)
    assert len({line.index(" open ") for line in rows}) == 1


def _register_with_long_name(path: Path) -> None:
    granted = date.today() - timedelta(days=30)
    with Register(path) as reg:
        reg.record(assessment_id="2026-001", organisation=Organisation(name=LONG_NAME),
                   variant=Variant.PEER_REVIEW, scope="", kind=Advice.REGISTRATION,
                   granted_on=granted, valid_until=date.today() + timedelta(days=20))


def test_register_lists_keep_long_names_and_count_in_dutch(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    _register_with_long_name(path)
    listed = run("register", "list", "--register", str(path))
    assert listed.exit_code == 0, listed.output
    assert LONG_NAME in listed.output
    assert T.REGISTER_CLI_COUNT.format(count=dutch.count(1, "entry")) in listed.output
    expiring = run("register", "expiring", "--within", "30", "--register", str(path))
    assert expiring.exit_code == 0, expiring.output
    assert LONG_NAME in expiring.output
    one = dutch.count(1, dutch.Word(*T.REGISTER_CLI_ACTIVE_ENTRY))
    assert expiring.output.startswith(T.REGISTER_CLI_EXPIRING[0].split("{days}")[0]
                                      .format(count=one))
    for output in (listed.output, expiring.output):
        _no_tool_speak(output)


def test_check_keeps_a_long_host_name_and_counts_in_dutch(tmp_path: Path,
                                                         key_file: Path) -> None:
    path = generate(tmp_path / "peer.xlsx", Kind.PEER, host=LONG_NAME)
    fill(path, {"V1.1": {"rating": "prima"}})
    result = run("check", str(path), "--allow-incomplete", "--key", str(key_file))
    assert result.exit_code == 1
    assert LONG_NAME in result.output
    assert dutch.count(1, "error") in result.output
    _no_tool_speak(result.output)
