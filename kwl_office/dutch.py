"""Dutch the way people write it: numbers, counted nouns, lists and the one word per concept.

Every text a person reads goes through these helpers instead of "werkmap(pen)", "1 stuks" or a
list without "en". The words themselves live in :data:`GLOSSARY`: one Dutch word (and its
plural) per concept, so the same thing is never called two names in two places.
"""

from __future__ import annotations

import re
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
    # one of several returned versions of the same shared team workbook
    "copy": Word("kopie", "kopieën"),
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


# --- the salutation of a letter ---------------------------------------------------------------

#: how a contact's title is written → the word the salutation uses
_TITLES = {"mevrouw": "mevrouw", "mevr.": "mevrouw", "mevr": "mevrouw", "mw.": "mevrouw",
           "mw": "mevrouw", "heer": "heer", "de heer": "heer", "dhr.": "heer", "dhr": "heer"}
#: academic titles before and after a name; a Dutch salutation leaves them out
_DEGREES = {"dr.", "dr", "drs.", "drs", "mr.", "mr", "ir.", "ir", "ing.", "ing", "prof.",
            "prof", "ds.", "bc.", "msc", "ma", "bsc", "ba", "mba", "phd", "llm"}
#: tussenvoegsels: lower-case parts of a surname that belong to it
_PARTICLES = {"de", "der", "den", "van", "von", "ter", "ten", "te", "in", "op", "het", "'t",
              "’t", "'s", "d'", "la", "le", "du", "da", "dos", "del", "el", "aan", "uit",
              "bij", "onder", "over", "voor", "vander", "vanden"}
_INITIALS = re.compile(r"^(?:[A-Z][a-z]{0,2}\.)+$|^[A-Z]$")
#: the salutation when no person is named: the letter goes to the organisation
NO_CONTACT_SALUTATION = "Geachte directie,"


def salutation(contact: str) -> str:
    """The salutation of a letter to ``contact``, by the Dutch business-letter convention.

    With a title (``mevrouw``/``mevr.``/``mw.``, ``heer``/``de heer``/``dhr.``): the surname
    alone, its first tussenvoegsel capitalised, without initials, first names or academic
    titles: ``mevrouw J. de Vries`` → ``Geachte mevrouw De Vries,``, ``dhr. P. van den Berg``
    → ``Geachte heer Van den Berg,``. Without a title the name as written (``Geachte Kim de
    Vries,``), without academic titles; without a contact ``Geachte directie,``.
    """
    words = contact.split()  # also collapses extra and non-breaking spaces
    if words and words[0].lower() in ("t.a.v.", "tav"):
        words = words[1:]
    title = ""
    for length in (2, 1):
        key = " ".join(words[:length]).lower()
        if len(words) >= length and key in _TITLES:
            title, words = _TITLES[key], words[length:]
            break
    words = [w for w in words if w.lower() not in _DEGREES]
    if not words:
        return f"Geachte {title}," if title else NO_CONTACT_SALUTATION
    if not title:
        return f"Geachte {' '.join(words)},"
    return f"Geachte {title} {surname(words)},"


def surname(words: list[str]) -> str:
    """The surname in ``words`` (a name without title), first letter capitalised: the last
    word with the tussenvoegsels and hyphenated parts before it (``J. de Vries`` → ``De
    Vries``, ``A. Jansen-van der Berg`` → ``Jansen-van der Berg``, ``T. in 't Veld`` → ``In
    't Veld``); initials and first names are left out."""
    start = len(words) - 1
    while start > 0 and not _INITIALS.match(words[start - 1]) and (
            words[start - 1].lower() in _PARTICLES
            or words[start - 1].lower().rsplit("-", 1)[-1] in _PARTICLES
            and "-" in words[start - 1]):
        start -= 1
    name = " ".join(words[start:])
    # "'t Hart" keeps its apostrophe word as it is; everything else starts with a capital
    return name if name[0] in "'\u2019" else name[0].upper() + name[1:]


__all__ = ["AVOIDED", "GLOSSARY", "NO_CONTACT_SALUTATION", "Word", "count", "decimal", "join",
           "noun", "number", "salutation", "surname"]
