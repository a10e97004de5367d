"""Record validation and the span-recording text builder."""

from __future__ import annotations

import pytest

from training.data.errors import DataError
from training.data.record import TextBuilder, validate_example


def test_builder_trims_labeled_whitespace_and_extends() -> None:
    inner = TextBuilder()
    inner.add("key ")
    inner.add(" abc123 ", "SECRET")
    outer = TextBuilder()
    outer.add("> ")
    outer.extend(inner)
    outer.add("Anna", "PERSON")
    assert outer.text == "> key  abc123 Anna"
    assert [(outer.text[s["start"] : s["end"]], s["label"]) for s in outer.spans] == [
        ("abc123", "SECRET"),
        ("Anna", "PERSON"),
    ]
    assert len(outer) == len(outer.text)
    with pytest.raises(ValueError):
        outer.add("x", "NAME")


def test_validate_sorts_and_fills_defaults() -> None:
    rec = {"text": "Anna at 10.0.0.1", "spans": [{"start": 8, "end": 16, "label": "INTERNAL_HOST"},
                                                 {"start": 0, "end": 4, "label": "PERSON"}]}  # fmt: skip
    ex = validate_example(rec, "t:1")
    assert [s["label"] for s in ex["spans"]] == ["PERSON", "INTERNAL_HOST"]
    assert ex["lang"] == "und" and ex["channel"] == "unknown"


@pytest.mark.parametrize(
    ("rec", "message"),
    [
        ({"text": 3}, "'text'"),
        ({"text": "abc", "spans": {}}, "not a list"),
        ({"text": "abc", "spans": [{"start": "0", "end": 1, "label": "PERSON"}]}, "integers"),
        ({"text": "abc", "spans": [{"start": 1, "end": 1, "label": "PERSON"}]}, "out of range"),
        ({"text": "abc", "spans": [{"start": 0, "end": 2, "label": "person"}]}, "unknown label"),
        ({"text": "abc", "spans": [{"start": 0, "end": 2, "label": "PERSON"}], "lang": ""}, "bad lang"),
    ],
)
def test_validate_errors(rec: dict[str, object], message: str) -> None:
    with pytest.raises(DataError, match=message) as info:
        validate_example(rec, "file.jsonl:7")
    assert str(info.value).startswith("file.jsonl:7: ")
    assert info.value.where == "file.jsonl:7"
