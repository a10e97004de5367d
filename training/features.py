"""Turn character-span examples into token windows with BIO labels.

Only word-start tokens carry a label; continuation sub-tokens and special tokens get
-100 so the loss ignores them (`guard.model.subwords` defines what a continuation is,
and inference uses the same rule). Long texts are cut into overlapping windows, so
nothing is truncated away from the training signal.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from guard.findings import LABELS
from guard.model.subwords import strip_offsets, word_starts

__all__ = ["IGNORE_INDEX", "TAGS", "TokenWindow", "encode_example", "tag_tokens"]

IGNORE_INDEX = -100
#: BIO tags; the index is the logit column of every guard model.
TAGS: tuple[str, ...] = ("O",) + tuple(f"{p}-{label}" for label in LABELS for p in ("B", "I"))


@dataclass(frozen=True, slots=True)
class TokenWindow:
    """One model input: token ids and labels of a window (specials included)."""

    input_ids: list[int]
    labels: list[int]


def tag_tokens(
    text: str,
    offsets: Sequence[tuple[int, int]],
    spans: Sequence[Mapping[str, Any]],
    tag2id: Mapping[str, int],
) -> list[int]:
    """Label every token of one text: a BIO tag id on word starts, -100 elsewhere.

    A word-start token inside a span gets B- when the span starts within it, I- otherwise.
    Continuations take no label (they follow their word start at inference).
    """
    stripped = strip_offsets(text, offsets)
    starts = word_starts(text, stripped)
    ordered = sorted(spans, key=lambda s: int(s["start"]))
    labels: list[int] = []
    j = 0
    for (start, end), is_start in zip(stripped, starts, strict=True):
        if not is_start:
            labels.append(IGNORE_INDEX)
            continue
        while j < len(ordered) and int(ordered[j]["end"]) <= start:
            j += 1
        tag = "O"
        if j < len(ordered):
            span = ordered[j]
            s_start, s_end = int(span["start"]), int(span["end"])
            if s_start < end and start < s_end:
                prefix = "B" if s_start >= start else "I"
                tag = f"{prefix}-{span['label']}"
        labels.append(tag2id[tag])
    return labels


def _windows(n: int, size: int, stride: int) -> Iterator[tuple[int, int]]:
    """Yield [lo, hi) token ranges of at most ``size`` covering [0, n) with ``stride`` overlap."""
    if n <= size:
        yield 0, n
        return
    step = max(1, size - stride)
    lo = 0
    while True:
        hi = min(lo + size, n)
        yield lo, hi
        if hi == n:
            return
        lo += step


def encode_example(
    tokenizer: Any,
    text: str,
    spans: Sequence[Mapping[str, Any]],
    *,
    tag2id: Mapping[str, int],
    max_length: int,
    stride: int,
) -> list[TokenWindow]:
    """Tokenize one example and cut it into labelled windows of at most ``max_length`` tokens.

    Args:
        tokenizer: a transformers fast tokenizer (offsets mapping support).
        text: the example text.
        spans: dicts with ``start``, ``end``, ``label`` (character offsets).
        tag2id: BIO tag to logit column.
        max_length: window length including the two special tokens.
        stride: tokens shared by consecutive windows.
    """
    # The Rust backend directly: ids and offsets come from one encoding, without special
    # tokens, whatever a transformers version does with `add_special_tokens`/offsets.
    enc = tokenizer.backend_tokenizer.encode(text, add_special_tokens=False)
    ids: list[int] = enc.ids
    labels = tag_tokens(text, enc.offsets, spans, tag2id)
    if len(ids) != len(labels):
        raise ValueError(f"tokenizer gave {len(ids)} ids but {len(labels)} offsets")
    cls_id, sep_id = tokenizer.cls_token_id, tokenizer.sep_token_id
    windows: list[TokenWindow] = []
    for lo, hi in _windows(len(ids), max_length - 2, stride):
        windows.append(
            TokenWindow(
                input_ids=[cls_id, *ids[lo:hi], sep_id],
                labels=[IGNORE_INDEX, *labels[lo:hi], IGNORE_INDEX],
            )
        )
    return windows
