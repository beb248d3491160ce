"""Dutch the way people write it: numbers, counted nouns, lists and the one word per concept.

Every text a person reads goes through these helpers instead of "werkmap(pen)", "1 stuks" or a
list without "en". The words themselves live in :data:`GLOSSARY`: one Dutch word (and its
plural) per concept, so the same thing is never called two names in two places.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class Word(NamedTuple):
    """A noun with its plural, as :func:`count` needs it."""

    one: str
    many: str


#: one Dutch word per concept, used by texts_nl, the workbooks, the templates and the CLI.
#: Words a test keeps out of user texts are in :data:`AVOIDED`.
GLOSSARY: dict[str, Word] = {
    "assessment": Word("toetsing", "toetsingen"),
    "workbook": Word("werkmap", "werkmappen"),
    "self_evaluation": Word("zelfevaluatie", "zelfevaluaties"),
    "reviewer": Word("beoordelaar", "beoordelaars"),
    "host": Word("organisatie", "organisaties"),
    "certifier": Word("certificerende instelling", "certificerende instellingen"),
    "norm": Word("norm", "normen"),
    "quality_value": Word("kwaliteitswaarde", "kwaliteitswaarden"),
    "domain": Word("domein", "domeinen"),
    "rating": Word("oordeel", "oordelen"),
    "final_rating": Word("eindoordeel", "eindoordelen"),
    # reviewers who do not agree on a norm (never "afwijking": that word is not used)
    "disagreement": Word("verschil van inzicht", "verschillen van inzicht"),
    # a reviewer's rating against the organisation's own rating of a norm
    "self_gap": Word("verschil met de zelfevaluatie", "verschillen met de zelfevaluatie"),
    "consensus_meeting": Word("consensusbespreking", "consensusbesprekingen"),
    "scope": Word("scope", "scopes"),
    "deadline": Word("inleverdatum", "inleverdata"),
    "finding": Word("bevinding", "bevindingen"),
    "error": Word("fout", "fouten"),
    "warning": Word("waarschuwing", "waarschuwingen"),
    "entry": Word("inschrijving", "inschrijvingen"),
    "document": Word("document", "documenten"),
    "file": Word("bestand", "bestanden"),
    "day": Word("dag", "dagen"),
}

#: spellings that say a concept in a second way or sound like a tool; kept out of user texts
AVOIDED = ("(s)", "(en)", "(pen)", " stuks", "Reikwijdte", "reikwijdte", "Afwijkingen",
           "met afwijking", "consensusoverleg", "Inleveren vóór", "eindoordeeloordelen")


def number(value: int) -> str:
    """An integer as Dutch prints it: ``1.250``, ``-3``."""
    return f"{value:,}".replace(",", ".")


def decimal(value: float, digits: int = 1) -> str:
    """A decimal number as Dutch prints it: ``2,5`` (point for thousands: ``1.234,5``)."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def count(n: int, word: Word | str, plural: str | None = None) -> str:
    """``1 werkmap``, ``3 werkmappen``, ``0 werkmappen``: a number with its noun in the right
    form. ``word`` is a :class:`Word`, a :data:`GLOSSARY` key, or a singular with ``plural``."""
    if isinstance(word, str):
        word = GLOSSARY[word] if plural is None else Word(word, plural)
    return f"{number(n)} {word.one if n == 1 else word.many}"


def noun(n: int, word: Word | str) -> str:
    """The noun alone in the form that fits ``n`` (``werkmap``/``werkmappen``)."""
    found = GLOSSARY[word] if isinstance(word, str) else word
    return found.one if n == 1 else found.many


def join(items: Iterable[object], last: str = "en") -> str:
    """``a``, ``a en b``, ``a, b en c`` (``last`` may be ``of``); empty gives ``''``."""
    texts = [str(item) for item in items]
    if len(texts) <= 1:
        return "".join(texts)
    return f"{', '.join(texts[:-1])} {last} {texts[-1]}"


__all__ = ["AVOIDED", "GLOSSARY", "Word", "count", "decimal", "join", "noun", "number"]
