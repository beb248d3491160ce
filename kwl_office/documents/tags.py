"""Where the tags of a template go wrong, in Dutch, for a person looking at it in Word.

Jinja names the line of its source where it gave up, which is seldom where the mistake is: a
tag left open reads on into the next paragraph, a block without its end tag is noticed only at
the end of the document. :func:`locate_syntax_error` reads the template's text one paragraph
(or table row) at a time and names the paragraph and the tag itself; a tag or paragraph that
is in the template more than once is told apart by which of them it is and the text before
it. :func:`syntax_detail` is the message ``kwl templates check``, ``kwl report`` and a round
give.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from jinja2 import TemplateSyntaxError

from kwl_office import texts_nl as T
from kwl_office.documents.render import explain_template_error, template_environment
from kwl_office.documents.text import document_lines

#: docxtpl's own tag forms ({%p …%}, {%tr …%}, {{r …}}) and its cellbg tag, as plain Jinja
_DOCXTPL_TAG = re.compile(r"\{([{%])(?:p|tr|tc|r)\s")
_CELLBG = re.compile(r"\{%\s*cellbg\s+(.*?)%\}")


class SyntaxPlace(NamedTuple):
    """Where the tags of a template go wrong: the Dutch message, the paragraph to quote
    ("" when the message quotes all of it already), where in it the broken tag starts, which
    paragraph it is (an index of :func:`~kwl_office.documents.text.document_lines`; -1:
    unknown) and, when the quoted text is in the template more than once, which of them it
    is (``where``: "de 2e van de 3 keer…, na de tekst «…»")."""

    message: str
    line: str
    at: int = 0
    paragraph: int = -1
    where: str = ""


#: the block tags that need an end tag ({% set x %}…{% endset %} only: not with "=")
_BLOCKS = frozenset({"for", "if", "macro", "call", "filter", "with", "autoescape", "block",
                     "set"})
#: Jinja's words for a block tag left open ("Unexpected end of template", "unknown tag")
_INNERMOST = re.compile(r"innermost block that needs to be closed is '\w+'")
#: the start of a tag in a paragraph, and a block tag as it is typed ({%p for … %})
_TAG_START = re.compile(r"\{[{%#]")
_BLOCK_TAG = re.compile(r"\{%.*?%\}")
_DOCXTPL_PREFIX = re.compile(r"\{%(p|tr|tc|r)?")
#: how a tag begins and ends, by Jinja's token
_TAG_OPENS = {"variable_begin": ("{{", "}}"), "block_begin": ("{%", "%}")}
_TAG_CLOSES = frozenset({"variable_end", "block_end"})
#: the longest quote of a paragraph in a message
_QUOTE = 80


def syntax_detail(err: BaseException, path: str | Path) -> str:
    """Jinja's error in Dutch, with the paragraph of the document where the broken tag is
    (:func:`locate_syntax_error`); Jinja's message alone when the text parses."""
    place = locate_syntax_error(path)
    if place is None:
        return explain_template_error(err)
    if not place.line:
        return place.message + place.where
    return T.TEMPLATE_ERROR_AT.format(message=place.message,
                                      line=_quote(place.line, place.at)) + place.where


def locate_syntax_error(path: str | Path) -> SyntaxPlace | None:
    """Where the tags of the template at ``path`` go wrong, read from its text (one paragraph
    or table row per line, docxtpl's tags as plain Jinja):

    - the first paragraph with a tag that does not lex or does not close within it (Jinja
      itself reads on into the next paragraph and complains there);
    - a block tag without its end tag: that tag, its end tag and its paragraph (Jinja only
      notices at the end of the document, or at the end tag of another block);
    - else the paragraph of Jinja's own error.

    A tag or paragraph that is in the template more than once (two ``{%p if x %}``, one of
    them not closed) is told apart by which of them it is and the text before it (``where``).
    None when the text parses: then what is wrong is in the document's XML only."""
    lines = document_lines(path)
    for index, line in enumerate(lines):
        broken = _broken_tag(line)
        if broken is not None:
            message, at = broken
            return _told_apart(SyntaxPlace(message, line, at, index), lines)
    source = "\n".join(_as_jinja(line) for line in lines)
    try:
        template_environment().parse(source)
    except TemplateSyntaxError as err:
        if _INNERMOST.search(err.message or ""):
            found = _open_block(source, lines)
            if found is not None:
                return _told_apart(found, lines)
        if err.lineno and 0 < err.lineno <= len(lines):
            line = lines[err.lineno - 1]
            return _told_apart(SyntaxPlace(explain_template_error(err), line,
                                           _failing_print(line), err.lineno - 1), lines)
    return None


def _told_apart(place: SyntaxPlace, lines: list[str]) -> SyntaxPlace:
    """``place`` with ``where`` filled in when what the message quotes (the paragraph, or the
    tag when the paragraph is just that tag) is in the template more than once: which of
    them it is, in the order of the text (what Word's Find goes through), and the nearest
    text without tags before it (after it, when there is none)."""
    if place.paragraph < 0:
        return place
    text = place.line or lines[place.paragraph].strip()
    count = sum(line.count(text) for line in lines)
    if not text or count < 2:
        return place
    before = lines[place.paragraph][:place.at] if not place.line else ""
    nth = sum(line.count(text) for line in lines[:place.paragraph]) + before.count(text) + 1
    plain = [(i, line) for i, line in enumerate(lines) if not _TAG_START.search(line)]
    earlier = [line for i, line in plain if i < place.paragraph]
    later = [line for i, line in plain if i > place.paragraph]
    if earlier:
        anchor = T.TEMPLATE_OCCURRENCE_AFTER.format(text=_quote(earlier[-1], 0))
    elif later:
        anchor = T.TEMPLATE_OCCURRENCE_BEFORE.format(text=_quote(later[0], 0))
    else:
        anchor = ""
    what = T.TEMPLATE_OCCURRENCE_WHAT[0 if place.line else 1]
    return place._replace(where=T.TEMPLATE_OCCURRENCE.format(
        nth=nth, count=count, what=what, anchor=anchor))


#: inside a tag docxtpl reads Word's curly quotes as straight ones
_INSIDE_TAG = re.compile(r"(?<=\{[{%])(.*?)(?=[}%]\})")
_STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def _as_jinja(text: str) -> str:
    """A paragraph's text as Jinja reads it after docxtpl: its ``{%p``, ``{%tr``… and
    ``{% cellbg … %}`` as plain Jinja, curly quotes in tags straight."""
    text = _INSIDE_TAG.sub(lambda found: found.group(0).translate(_STRAIGHT), text)
    return _CELLBG.sub(r"{{ \1}}", _DOCXTPL_TAG.sub(r"{\1 ", text))


def _pieces(line: str) -> Iterator[tuple[int, str]]:
    """Each tag of a paragraph with the text up to the next one, and where it starts."""
    starts = [found.start() for found in _TAG_START.finditer(line)]
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(line)
        yield start, line[start:end]


def _broken_tag(line: str) -> tuple[str, int] | None:
    """The Dutch message for a paragraph whose tags Jinja cannot read, or with a tag that
    does not close in it, and where the first such tag starts (each tag read on its own, with
    the text after it up to the next tag); None for a paragraph whose tags are whole."""
    problem = _lex_problem(line)
    if problem is None:
        return None
    # the tag's own problem: read with the rest of the line, an unclosed tag runs into the
    # text after it and Jinja complains about an apostrophe there
    for start, piece in _pieces(line):
        found = _lex_problem(piece)
        if found is not None:
            return found, start
    return problem, 0


def _lex_problem(text: str) -> str | None:
    try:
        tokens = list(template_environment().lex(_as_jinja(text)))
    except TemplateSyntaxError as err:
        return explain_template_error(err)
    opened: tuple[str, str] | None = None
    for _, kind, _ in tokens:
        if kind in _TAG_OPENS:
            opened = _TAG_OPENS[kind]
        elif kind in _TAG_CLOSES:
            opened = None
    if opened is None:
        return None
    return T.TEMPLATE_TAG_UNCLOSED.format(start=opened[0], end=opened[1])


def _failing_print(line: str) -> int:
    """Where the first ``{{ … }}`` of a paragraph starts that Jinja cannot parse on its own
    (0 when none: the error is in a block tag, which cannot be parsed alone)."""
    environment = template_environment()
    for start, piece in _pieces(line):
        if piece.startswith("{{"):
            try:
                environment.parse(_as_jinja(piece))
            except TemplateSyntaxError:
                return start
    return 0


def _open_block(source: str, lines: list[str]) -> SyntaxPlace | None:
    """The block tag Jinja found open, matched as Jinja matches end tags: at the end of
    the document, or at an end tag of another block."""
    tokens = list(template_environment().lex(source))
    stack: list[tuple[str, int, int]] = []  # name, line number, n-th block tag on the line
    seen: dict[int, int] = {}
    for index, (lineno, kind, _) in enumerate(tokens):
        if kind != "block_begin":
            continue
        nth = seen.get(lineno, 0)
        seen[lineno] = nth + 1
        words = _tag_words(tokens, index)
        if not words or words[0][0] != "name":
            continue
        name = words[0][1]
        if name in _BLOCKS and not (name == "set" and ("assign", "=") in words):
            stack.append((name, lineno, nth))
        elif name.startswith("end") and name[3:] in _BLOCKS and stack:
            if stack[-1][0] == name[3:]:
                stack.pop()
            else:
                found = _typed_tag(lines, lineno, nth) or name
                return _block_place(T.TEMPLATE_BLOCK_WRONG_END, stack[-1], lines, found)
    return _block_place(T.TEMPLATE_BLOCK_UNCLOSED, stack[-1], lines) if stack else None


def _tag_words(tokens: list[tuple[int, str, str]], begin: int) -> list[tuple[str, str]]:
    """The tokens of the block tag starting at ``begin``, without whitespace."""
    words = []
    for _, kind, value in tokens[begin + 1:]:
        if kind == "block_end":
            break
        if kind != "whitespace":
            words.append(("assign" if value == "=" else kind, value))
    return words


def _typed_tag(lines: list[str], lineno: int, nth: int) -> str:
    """The n-th block tag of a line as it is typed in the document ({%p for … %})."""
    return _typed_tag_at(lines, lineno, nth)[0]


def _typed_tag_at(lines: list[str], lineno: int, nth: int) -> tuple[str, int]:
    """The n-th block tag of a line as it is typed, and where in the line it starts
    ("", -1 when the line has no such tag)."""
    tags = [found for found in _BLOCK_TAG.finditer(lines[lineno - 1])
            if not _CELLBG.match(found.group(0))]
    return (tags[nth].group(0), tags[nth].start()) if nth < len(tags) else ("", -1)


def _block_place(template: str, opened: tuple[str, int, int], lines: list[str],
                 found: str = "") -> SyntaxPlace:
    name, lineno, nth = opened
    tag, at = _typed_tag_at(lines, lineno, nth)
    tag = tag or f"{{% {name} %}}"
    # the end tag of a paragraph's or a row's tag is one too: {%p endfor %}
    prefix = _DOCXTPL_PREFIX.match(tag)
    end = f"{{%{(prefix.group(1) if prefix else None) or ''} end{name} %}}"
    line = lines[lineno - 1]
    message = template.format(tag=tag, end=end, found=found)
    # a paragraph that is just the tag is quoted by the message already
    return SyntaxPlace(message, "" if line.strip() == tag else line,
                       at if at >= 0 else line.find(tag), lineno - 1)


def _quote(line: str, at: int) -> str:
    """The paragraph, or the part of a long one around ``at`` (where the broken tag is)."""
    text = line.lstrip()
    if len(text) <= _QUOTE:
        return text
    at -= len(line) - len(text)
    begin = max(0, min(at - 20, len(text) - _QUOTE + 1))
    space = text.find(" ", begin, at) if begin else -1
    begin = space + 1 if space != -1 else begin  # from the start of a word
    end = min(len(text), begin + _QUOTE - 2)
    return ("…" if begin else "") + text[begin:end] + ("…" if end < len(text) else "")
