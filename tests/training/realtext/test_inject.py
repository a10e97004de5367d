"""Generated values in real text keep valid, exact spans."""

from __future__ import annotations

import random

from training.data.record import validate_example
from training.realtext.inject import PassagePool, replace_persons, splice


def test_replaced_names_are_labelled_where_they_now_stand() -> None:
    text = "Hi Robert, ask Anna about the release."
    out, spans = replace_persons(text, [(3, 9), (15, 19)], ["Li Wei", "Jean-Paul Martin"])
    assert out == "Hi Li Wei, ask Jean-Paul Martin about the release."
    assert [(out[s["start"] : s["end"]], s["label"]) for s in spans] == [
        ("Li Wei", "PERSON"),
        ("Jean-Paul Martin", "PERSON"),
    ]


def test_spliced_passages_keep_every_span_on_its_value() -> None:
    rng = random.Random(3)
    pool = PassagePool("train", seed=5)
    host = "Edit /etc/apt/sources.list first. Then run apt update.\nThe mirror is slow today."
    for lang in ("en", "de", "fr", "ja", "zh"):
        for _ in range(20):
            passage = pool.draw(lang)
            text, spans = splice(host, passage, rng)
            record = {"text": text, "spans": spans, "lang": lang, "channel": "manual", "template": "t"}
            validate_example(record, "test")
            values = [passage["text"][s["start"] : s["end"]] for s in passage["spans"]]
            assert [text[s["start"] : s["end"]] for s in spans] == values
            assert host.split()[0] in text  # the real text is still there
