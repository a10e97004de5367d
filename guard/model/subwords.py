"""Which tokens start a word: the rule shared by training (loss mask) and inference (decoding).

The classifier is trained on word-start tokens only; continuation sub-tokens get the
ignore index (-100) in the loss, as in transformers' run_ner example. At inference a
continuation token takes the prediction of the word-start token before it. Both sides
must agree on what a continuation is, so the rule lives here, in pure Python.

A token is a *continuation* when it touches the previous token (no gap between their
character spans) and the characters on both sides of the seam are word characters of
a script that separates words with spaces (Latin, Cyrillic, digits...). CJK ideographs,
kana and hangul are never continuations: those scripts do not mark words, so every
token there is classified on its own.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

__all__ = ["is_spaced_word_char", "strip_offsets", "word_starts"]


def is_spaced_word_char(char: str) -> bool:
    """True for letters, digits and combining marks of scripts that put spaces between words."""
    if not (char.isalnum() or unicodedata.category(char).startswith("M")):
        return False
    code = ord(char)
    cjk = (
        0x2E80 <= code <= 0x9FFF  # CJK radicals, kana, ideographs
        or 0xAC00 <= code <= 0xD7AF  # hangul
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x20000 <= code <= 0x3FFFF
    )
    return not cjk


def strip_offsets(text: str, offsets: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Shrink each (start, end) so it covers no leading/trailing whitespace.

    Sentencepiece tokenizers report the ``▁`` space marker as part of a token; the
    spans guard reports never start or end with whitespace. A bare ``▁`` token (before
    CJK text) is reported with the same span as the token after it: it becomes empty,
    like special tokens, so each character belongs to one token only.
    """
    out: list[tuple[int, int]] = []
    for i, (start, end) in enumerate(offsets):
        if i + 1 < len(offsets) and tuple(offsets[i + 1]) == (start, end) and start < end:
            out.append((start, start))
            continue
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        out.append((start, end))
    return out


def word_starts(text: str, offsets: Sequence[tuple[int, int]]) -> list[bool]:
    """Return, per token, whether it starts a word (False for continuations and empty tokens).

    Args:
        text: the text the offsets index into.
        offsets: character (start, end) per token, already stripped with `strip_offsets`;
            special tokens have start == end.
    """
    starts: list[bool] = []
    prev_end = -1
    for start, end in offsets:
        if start >= end:
            starts.append(False)
            continue
        continuation = (
            start == prev_end
            and start > 0
            and is_spaced_word_char(text[start - 1])
            and is_spaced_word_char(text[start])
        )
        starts.append(not continuation)
        prev_end = end
    return starts
