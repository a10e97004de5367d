"""Slot rendering rules: UPPER labeled, lower unlabeled, Capitalised, #k reuse, ?switchable."""

from __future__ import annotations

import random

import pytest

from guard.findings import LABELS
from training.data.placeholders import NEG_SWITCH
from training.data.values import SLOTS, Ctx, make_fakers, slot_value


@pytest.fixture(scope="module")
def ctx() -> Ctx:
    return Ctx(random.Random(0), "en", "train", make_fakers(0))


def test_every_slot_renders_in_every_language() -> None:
    fakers = make_fakers(1)
    for lang in ("en", "de", "fr", "ja", "zh"):
        c = Ctx(random.Random(lang), lang, "train", fakers)
        for name, (label, _) in SLOTS.items():
            assert label is None or label in LABELS
            value, got = slot_value(c, name.upper())
            assert value and got == label, name


def test_case_rules(ctx: Ctx) -> None:
    assert slot_value(ctx, "EMAIL")[1] == "EMAIL"
    assert slot_value(ctx, "email")[1] is None
    assert slot_value(ctx, "Bird")[0][0].isupper()
    first, _ = slot_value(ctx, "PERSON#1")
    assert slot_value(ctx, "PERSON#1")[0] == first


def test_switchable_slots(ctx: Ctx) -> None:
    ctx.negative = False
    assert slot_value(ctx, "?TOKEN")[1] == "SECRET"
    ctx.negative = True
    for key in NEG_SWITCH:
        value, label = slot_value(ctx, "?" + key.upper())
        assert label is None and value in NEG_SWITCH[key]
    ctx.negative = False


def test_unknown_slot(ctx: Ctx) -> None:
    with pytest.raises(KeyError):
        slot_value(ctx, "NOPE")
