"""Generated values in real text keep valid, exact spans."""

from __future__ import annotations

import random

import pytest

from training.data.record import validate_example
from training.realtext.inject import PassagePool, pronoun_channel, pronoun_slots, replace_persons, splice


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


@pytest.mark.parametrize(
    ("text", "lang", "pronouns"),
    [
        ("Why is she so impulsive? He said no.", "en", ["she", "He"]),
        ("The shell is theirs; these help.", "en", []),
        ("Dann ging er nach Hause. Er lacht, sie nicht.", "de", ["er", "Er"]),
        ("Il faut partir. Il y a un bug. Elle dort. Il mange.", "fr", ["Elle", "Il"]),
        ("他说他们不来。她很好", "zh", ["他", "她"]),
        ("其他设备和吉他都归他人。他笑了", "zh", ["他"]),
        ("彼女は来た。彼らは帰った。彼は笑った。", "ja", ["彼女", "彼"]),
    ],
)
def test_person_pronouns_are_found_and_impersonal_ones_are_not(
    text: str, lang: str, pronouns: list[str]
) -> None:
    assert [text[s:e] for s, e in pronoun_slots(text, lang)] == pronouns


def test_a_pronoun_replaced_by_a_name_is_labelled_on_the_name() -> None:
    text = "Why is she so impulsive?"
    out, spans = replace_persons(text, pronoun_slots(text, "en"), ["Katrine"])
    assert out == "Why is Katrine so impulsive?"
    assert [(out[s["start"] : s["end"]], s["label"]) for s in spans] == [("Katrine", "PERSON")]


@pytest.mark.parametrize(
    ("channel", "lang", "copies"),
    [
        ("email", "en", True),
        ("quote", "de", True),
        ("manual", "en", True),  # "he" is a person in any English prose
        ("book", "ja", True),
        ("help", "zh", True),
        ("manual", "de", False),  # "er" is also the server, the file ...
        ("book", "fr", False),  # "il"/"elle" too
        ("code", "en", False),
        ("ui", "en", False),
    ],
)
def test_prose_gives_pronoun_copies_only_where_the_pronoun_is_a_person(
    channel: str, lang: str, copies: bool
) -> None:
    assert pronoun_channel(channel, lang) is copies
