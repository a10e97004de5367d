"""People values per language: names, e-mails, phones, addresses."""

from __future__ import annotations

import random
import re

import pytest

from training.data import people
from training.data.values import Ctx, make_fakers


@pytest.fixture(scope="module")
def fakers() -> dict[str, object]:
    return make_fakers(3)


@pytest.mark.parametrize("lang", ["en", "de", "fr", "ja", "zh"])
def test_values_are_clean(lang: str, fakers: dict[str, object]) -> None:
    ctx = Ctx(random.Random(lang), lang, "train", fakers)  # type: ignore[arg-type]
    for _ in range(150):
        for value in (people.person(ctx), people.first_name(ctx), people.last_name(ctx), people.phone(ctx),
                      people.address(ctx)):  # fmt: skip
            assert value and value == value.strip(), value
        assert "\n" not in people.address(ctx)
        assert re.fullmatch(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}", people.email(ctx))
        assert sum(c.isdigit() for c in people.phone(ctx)) >= 7


def test_cjk_names_have_no_latin_unless_romanized(fakers: dict[str, object]) -> None:
    ctx = Ctx(random.Random(0), "zh", "train", fakers)  # type: ignore[arg-type]
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", people.person(ctx)) for _ in range(100))


def test_casual_lowercases_some_names(fakers: dict[str, object]) -> None:
    ctx = Ctx(random.Random(0), "en", "train", fakers, casual=True)  # type: ignore[arg-type]
    names = [people.person(ctx) for _ in range(100)]
    assert any(n.islower() for n in names) and any(not n.islower() for n in names)


def test_addresses_take_the_forms_people_write(fakers: dict[str, object]) -> None:
    ctx = Ctx(random.Random(5), "en", "train", fakers)  # type: ignore[arg-type]
    addrs = [people.address(ctx) for _ in range(400)]
    street_only = [a for a in addrs if "," not in a]
    # a city or a street name alone is no address: the short forms keep the house number
    assert all(re.search(r"\d", a) for a in street_only)
    assert 40 < len(street_only) < 160
    assert any(re.search(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b", a) for a in addrs)  # a UK postcode
    assert any(re.search(r"\b[A-Z]\d[A-Z] ?\d[A-Z]\d\b", a) for a in addrs)  # a Canadian one
    assert any(a.endswith(("USA", "United States", "United Kingdom", "Canada", "Australia")) for a in addrs)
    lines = [people.address(ctx, multiline=True) for _ in range(50)]
    assert sum("\n" in a for a in lines) > 40  # Faker's Irish format is one line


def test_german_and_french_streets_carry_a_number(fakers: dict[str, object]) -> None:
    for lang in ("de", "fr"):
        ctx = Ctx(random.Random(lang), lang, "train", fakers)  # type: ignore[arg-type]
        short = [a for a in (people.address(ctx) for _ in range(300)) if "," not in a or a.count(",") == 1]
        assert short and all(re.search(r"\d", a) for a in short)
