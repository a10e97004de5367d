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
