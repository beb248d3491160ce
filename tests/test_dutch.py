"""The Dutch helpers: counted nouns, lists, numbers, the glossary."""

from __future__ import annotations

import pytest

from kwl_office import dutch


@pytest.mark.parametrize(("n", "expected"), [(0, "0 werkmappen"), (1, "1 werkmap"),
                                             (2, "2 werkmappen"), (1250, "1.250 werkmappen")])
def test_count_uses_the_right_form(n: int, expected: str) -> None:
    assert dutch.count(n, "workbook") == expected


def test_count_with_an_ad_hoc_word() -> None:
    assert dutch.count(1, "document", "documenten") == "1 document"
    assert dutch.count(4, dutch.Word("kopie", "kopieën")) == "4 kopieën"


@pytest.mark.parametrize(("items", "expected"), [([], ""), (["a"], "a"), (["a", "b"], "a en b"),
                                                 (["a", "b", "c"], "a, b en c")])
def test_join_says_en_before_the_last(items: list[str], expected: str) -> None:
    assert dutch.join(items) == expected


def test_numbers_as_dutch_prints_them() -> None:
    assert dutch.decimal(1234.56) == "1.234,6"
    assert dutch.decimal(0.5, 2) == "0,50"
    assert dutch.number(-1500) == "-1.500"


def test_the_glossary_has_no_avoided_word() -> None:
    words = " ".join(w.one + " " + w.many for w in dutch.GLOSSARY.values())
    assert not [a for a in dutch.AVOIDED if a.strip() in words]
