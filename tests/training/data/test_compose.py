"""The template language, and every shipped template renders with valid spans."""

from __future__ import annotations

import random

import pytest

from training.data.compose import Noise, parse, render, template_labels
from training.data.documents import TemplateBank
from training.data.domain_text import DOMAIN_PROSE
from training.data.record import TextBuilder, validate_example
from training.data.values import Ctx, make_fakers


@pytest.fixture(scope="module")
def fakers() -> dict[str, object]:
    return make_fakers(0)


def _render(
    template: str, fakers: dict[str, object], lang: str = "en", seed: int = 0, negative: bool = False
) -> TextBuilder:
    out = TextBuilder()
    render(template, Ctx(random.Random(seed), lang, "train", fakers, negative=negative), out)  # type: ignore[arg-type]
    return out


def test_slots_alternatives_and_braces(fakers: dict[str, object]) -> None:
    seen = set()
    for seed in range(40):
        out = _render("{Hi|Hello|} {FIRST}: {{json}} {uuid} pw={PASSWORD}", fakers, seed=seed)
        seen.add(out.text.split(" ")[0])
        assert "{json}" in out.text
        assert [s["label"] for s in out.spans] == ["PERSON", "SECRET"]
    assert {"Hi", "Hello"} <= seen


def test_switchable_slot_is_a_placeholder_in_negatives(fakers: dict[str, object]) -> None:
    pos = _render("key={?TOKEN} host={?HOST}", fakers)
    neg = _render("key={?TOKEN} host={?HOST}", fakers, negative=True)
    assert [s["label"] for s in pos.spans] == ["SECRET", "INTERNAL_HOST"]
    assert neg.spans == []


def test_template_labels_and_parse_errors() -> None:
    assert template_labels("{Hi|Dear {PERSON}} {uuid} {?TOKEN}") == {"PERSON", "?TOKEN"}
    for bad in ("{unclosed", "a {b|c", "{a|{b}"):
        with pytest.raises(ValueError):
            parse(bad)


def test_unknown_slot_is_a_key_error(fakers: dict[str, object]) -> None:
    with pytest.raises(KeyError):
        _render("{NOPE}", fakers)


def test_noise_keeps_spans_exact(fakers: dict[str, object]) -> None:
    out = TextBuilder()
    ctx = Ctx(random.Random(1), "en", "train", fakers)  # type: ignore[arg-type]
    render("Please send the invoice to {EMAIL} and call {PERSON} today, thanks a lot", ctx, out,
           Noise(lower=True, typo_rate=1.0, double_space=1.0))  # fmt: skip
    assert out.text.startswith("please")
    validate_example({"text": out.text, "spans": out.spans}, "noise")


@pytest.mark.parametrize("split", ["train", "heldout"])
def test_every_template_renders(split: str, fakers: dict[str, object]) -> None:
    bank = TemplateBank.build(split, extra_prose=DOMAIN_PROSE)
    groups = [(lang, items) for lang, themes in bank.prose.items() for items in themes.values()]
    groups += [(lang, items) for lang, kinds in bank.frame.items() for items in kinds.values()]
    groups += [("en", items) for items in bank.struct.values()]
    count = 0
    for lang, items in groups:
        for tid, template in items:
            for negative in (False, True):
                out = _render(template, fakers, lang=lang, seed=count, negative=negative)
                validate_example({"text": out.text, "spans": out.spans}, tid)
                assert "{" + "?" not in out.text, tid
                count += 1
    assert count > 400


def test_negative_machine_text_carries_no_sensitive_value(fakers: dict[str, object]) -> None:
    """In a hard negative every switchable slot renders a placeholder, never an internal value."""
    import re

    from training.data.structured import STRUCTURED

    internal = re.compile(
        r"\b(?:10\.\d+|192\.168|172\.(?:1[6-9]|2\d|3[01]))\.\d+\.\d+\b|\.internal\b|\.local\b|\.lan\b|\.intra\b"
    )
    for channel, templates in STRUCTURED.items():
        for i, template in enumerate(templates):
            for seed in range(5):
                out = _render(template, fakers, seed=seed, negative=True)
                assert out.spans == [], (channel, i)
                assert not internal.search(out.text), (channel, i, seed)
