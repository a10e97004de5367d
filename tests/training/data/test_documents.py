"""Document assembly per channel."""

from __future__ import annotations

import random

import pytest

from training.data.documents import CHANNELS, TemplateBank, assemble
from training.data.record import validate_example
from training.data.values import Ctx, make_fakers


@pytest.fixture(scope="module")
def bank() -> TemplateBank:
    return TemplateBank.build("train")


@pytest.mark.parametrize("channel", CHANNELS)
def test_every_channel_in_every_language(channel: str, bank: TemplateBank) -> None:
    fakers = make_fakers(2)
    for lang in ("en", "de", "fr", "ja", "zh", "mixed"):
        for negative in (False, True):
            rng = random.Random(f"{channel}{lang}{negative}")
            out, used = assemble(channel, lang, Ctx(rng, lang, "train", fakers), bank, negative)
            validate_example({"text": out.text, "spans": out.spans}, f"{channel}/{lang}")
            assert out.text.strip() and used
            if negative:
                assert out.spans == [], (channel, lang)


def test_unknown_channel(bank: TemplateBank) -> None:
    with pytest.raises(ValueError, match="unknown channel"):
        assemble("fax", "en", Ctx(random.Random(0), "en", "train", make_fakers(0)), bank, False)


def test_public_names_theme_is_a_hard_negative_in_every_language(bank: TemplateBank) -> None:
    from training.data.compose import template_labels

    for lang in ("en", "de", "fr", "ja", "zh"):
        items = bank.prose[lang]["neg_public"]
        assert items, lang
        assert all(not template_labels(t) for _, t in items), lang


def test_fields_channel_reads_like_the_proxy_view(bank: TemplateBank) -> None:
    """The ``fields`` channel is the proxy's one-piece-per-line view: no prose intro, no fences."""
    fakers = make_fakers(3)
    for seed in range(40):
        rng = random.Random(seed)
        out, used = assemble("fields", "en", Ctx(rng, "en", "train", fakers), bank, seed % 2 == 0)
        assert all(u.startswith("struct:fields:") for u in used)
        assert "```" not in out.text
        assert any(line.startswith("/") for line in out.text.split("\n")[:2])
