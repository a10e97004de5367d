"""BIO decoding of token probabilities into character spans (hand-made offsets and rows)."""

from __future__ import annotations

import numpy as np
import pytest

from guard.model.decode import decode, softmax
from tests.fixtures.tiny_model import TAGS

TAG_TUPLE = tuple(TAGS)


def _rows(tags: list[str], p: float = 0.9) -> np.ndarray:
    """One probability row per token: ``p`` on its tag, the rest spread evenly."""
    rows = np.full((len(tags), len(TAGS)), (1 - p) / (len(TAGS) - 1), dtype=np.float32)
    for i, tag in enumerate(tags):
        rows[i, TAGS.index(tag)] = p
    return rows


def _spans(
    text: str, offsets: list[tuple[int, int]], tags: list[str], floor: float = 0.05
) -> list[tuple[str, str]]:
    analysis = decode(text, offsets, _rows(tags), TAG_TUPLE, num_windows=1, floor=floor)
    return [(f.label, text[f.start : f.end]) for f in analysis.findings]


# "Anna Berg pays Bob" tokenized as sentencepiece would: leading ▁ inside the offsets
WORDS = "Anna Berg pays Bob"
WORD_OFFSETS = [(0, 4), (4, 9), (9, 14), (14, 18)]


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["B-PERSON", "I-PERSON", "O", "B-PERSON"], [("PERSON", "Anna Berg"), ("PERSON", "Bob")]),
        (["I-PERSON", "I-PERSON", "O", "O"], [("PERSON", "Anna Berg")]),  # I- after O opens a span
        (["B-PERSON", "B-PERSON", "O", "O"], [("PERSON", "Anna"), ("PERSON", "Berg")]),
        (["B-PERSON", "I-CUSTOMER", "I-CUSTOMER", "O"], [("PERSON", "Anna"), ("CUSTOMER", "Berg pays")]),
        (["O", "O", "O", "I-SECRET"], [("SECRET", "Bob")]),
        (["O", "O", "O", "O"], []),
    ],
)
def test_tolerant_bio(tags: list[str], expected: list[tuple[str, str]]) -> None:
    assert _spans(WORDS, WORD_OFFSETS, tags) == expected


def test_continuations_follow_their_word_start() -> None:
    text = "Herr Müllerstein zahlt"
    offsets = [(0, 4), (4, 8), (8, 12), (12, 16), (16, 22)]  # ▁Herr ▁Mül ler stein ▁zahlt
    # the continuation rows say O / SECRET: ignored, they take the word start's row
    assert _spans(text, offsets, ["O", "B-PERSON", "O", "B-SECRET", "O"]) == [("PERSON", "Müllerstein")]
    assert _spans(text, offsets, ["O", "O", "B-PERSON", "B-PERSON", "O"]) == []


def test_cjk_tokens_are_words_and_bare_space_markers_are_skipped() -> None:
    text = "担当 田中太郎です"
    # ▁ 担当 ▁ 田 中 太郎 です  (the first ▁ is reported over the first character)
    offsets = [(0, 1), (0, 2), (2, 3), (3, 4), (4, 5), (5, 7), (7, 9)]
    tags = ["B-PERSON", "O", "B-SECRET", "B-PERSON", "I-PERSON", "I-PERSON", "O"]
    assert _spans(text, offsets, tags) == [("PERSON", "田中太郎")]
    # a CJK span is never widened to its neighbours
    tags = ["O", "O", "O", "O", "B-PERSON", "O", "O"]
    assert _spans(text, offsets, tags) == [("PERSON", "中")]


def test_span_end_keeps_combining_marks_and_skin_tones() -> None:
    text = "Zoe\u0308 👍🏽 ok"
    offsets = [(0, 3), (4, 6), (6, 7), (7, 10)]  # NFKC folds e+U+0308; 🏽 separate token
    assert _spans(text, offsets, ["B-PERSON", "O", "O", "O"]) == [("PERSON", "Zoe\u0308")]
    assert _spans(text, offsets, ["O", "B-CODENAME", "O", "O"]) == [("CODENAME", "👍🏽")]


def test_score_is_the_mean_label_mass_and_the_floor_applies() -> None:
    probs = _rows(["B-PERSON", "I-PERSON", "O", "O"])
    probs[1] = probs[0] * 0  # second word: 0.5 on I-PERSON, 0.5 on O
    probs[1, TAGS.index("I-PERSON")] = 0.6
    probs[1, TAGS.index("O")] = 0.4
    analysis = decode(WORDS, WORD_OFFSETS, probs, TAG_TUPLE, num_windows=1, floor=0.05)
    (finding,) = analysis.findings
    other = 0.1 / (len(TAGS) - 1)
    assert finding.score == pytest.approx(((0.9 + other) + 0.6) / 2, abs=1e-6)
    assert analysis.span_score(finding.start, finding.end, "PERSON") == pytest.approx(finding.score)
    assert decode(WORDS, WORD_OFFSETS, probs, TAG_TUPLE, num_windows=1, floor=0.8).findings == []


def test_shape_mismatch_is_a_programmer_error() -> None:
    with pytest.raises(ValueError, match="probs shape"):
        decode(WORDS, WORD_OFFSETS, _rows(["O"]), TAG_TUPLE, num_windows=1, floor=0.05)


def test_softmax_with_temperature() -> None:
    logits = np.array([[2.0, 0.0, 0.0]], dtype=np.float32)
    assert softmax(logits, 1.0)[0, 0] == pytest.approx(np.e**2 / (np.e**2 + 2))
    assert softmax(logits, 2.0)[0, 0] == pytest.approx(np.e / (np.e + 2))
    big = softmax(np.array([[1000.0, 0.0]], dtype=np.float32), 1.0)
    assert np.isfinite(big).all() and big[0, 0] == pytest.approx(1.0)


def _onehot_rows(tags: tuple[str, ...], chosen: list[str]) -> np.ndarray:
    probs = np.full((len(chosen), len(tags)), 0.01, dtype=np.float32)
    for i, tag in enumerate(chosen):
        probs[i, tags.index(tag)] = 1.0 - 0.01 * (len(tags) - 1)
    return probs


def test_punctuation_between_two_words_of_one_label_joins_them() -> None:
    from guard.model.decode import decode
    from tests.fixtures.tiny_model import TAGS

    text = "is 410 Wh/kg ok"
    offsets = [(0, 2), (2, 6), (6, 9), (9, 10), (10, 12), (12, 15)]
    probs = _onehot_rows(TAGS, ["O", "B-FINANCIAL", "I-FINANCIAL", "B-SECRET", "I-FINANCIAL", "O"])
    analysis = decode(text, offsets, probs, TAGS, num_windows=1, floor=0.05)
    assert [(f.label, text[f.start : f.end]) for f in analysis.findings] == [("FINANCIAL", "410 Wh/kg")]


def test_a_span_of_punctuation_alone_is_dropped() -> None:
    from guard.model.decode import decode
    from tests.fixtures.tiny_model import TAGS

    text = "a / b"
    offsets = [(0, 1), (1, 3), (3, 5)]
    probs = _onehot_rows(TAGS, ["O", "B-SECRET", "O"])
    assert decode(text, offsets, probs, TAGS, num_windows=1, floor=0.05).findings == []
