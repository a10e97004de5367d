"""Money, percent, salary and price formats per language."""

from __future__ import annotations

import random
import re

import pytest

from training.data import figures

SHAPES = {
    "en": r"[$€£]|USD|RSUs|million",
    "de": r"€|EUR|Euro",
    "fr": r"€|euros",
    "ja": r"円|¥",
    "zh": r"元|¥|万|RMB|人民币",
}


@pytest.mark.parametrize("lang", sorted(SHAPES))
def test_money_has_digits_and_a_unit(lang: str) -> None:
    rng = random.Random(lang)
    for fn in (figures.money, figures.salary, figures.price):
        for _ in range(200):
            value = fn(rng, lang)
            assert value == value.strip() and re.search(r"\d", value), value
            assert re.search(SHAPES[lang], value), (fn.__name__, value)


PERCENT = [
    ("de", r"^\d+(,\d)?[ \u202f]?%$"),
    ("fr", r"^\d+(,\d)?[ \u202f]?%$"),
    ("en", r"^\d+(\.\d)?( percent|%)$"),
    ("ja", r"^\d+(\.\d)?[%％]$"),
]


@pytest.mark.parametrize(("lang", "pattern"), PERCENT)
def test_percent_formats(lang: str, pattern: str) -> None:
    rng = random.Random(lang)
    for _ in range(100):
        assert re.fullmatch(pattern, figures.percent(rng, lang))
