"""Turn per-token tag probabilities into character spans (BIO decoding).

Inputs are the tokens of one text (special tokens excluded), their character offsets
as returned by ``tokenizers`` (Python ``str`` indices; the XLM-R Metaspace
pre-tokenizer includes the leading ``▁`` space in a token's offsets) and the
temperature-scaled tag probabilities of each token.

Decoding contract:

1. Offsets are stripped of surrounding whitespace (`guard.model.subwords.strip_offsets`);
   tokens left empty (a lone ``▁``) carry no characters and are ignored. A token whose
   characters overlap the next token's (a lone ``▁`` at the very start of a text is
   reported over the first character) is emptied too, so each character has one token.
2. Words: a token that continues a word of a space-separated script is a
   *continuation* (`guard.model.subwords.word_starts`, the rule training uses for its
   loss mask). A continuation takes the probabilities of its word-start token, so a span
   always covers whole words in Latin-like scripts. CJK tokens are words of their own,
   so spans there are never widened.
3. Tolerant BIO over words, by the arg-max tag: ``B-X`` opens a span, ``I-X`` continues
   an open ``X`` span and otherwise opens one, ``O`` closes.
4. A span that ends right before combining marks, variation selectors or emoji modifiers
   (``e`` + U+0301 that NFKC folded into the token before, a skin tone) is extended over
   them, so a span never splits a grapheme.
5. Score of a span: mean over its tokens of ``P(B-X) + P(I-X)``, i.e. the same quantity
   as `TokenAnalysis.span_score` over the span. Spans under the floor are dropped;
   policy thresholds apply later, outside the runtime.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from guard.findings import LABELS, Finding
from guard.model.subwords import strip_offsets, word_starts

__all__ = ["TokenAnalysis", "decode", "softmax"]

DETECTOR = "model"


def softmax(logits: npt.NDArray[np.float32], temperature: float) -> npt.NDArray[np.float32]:
    """Temperature-scaled softmax over the last axis (numerically stable, float32)."""
    scaled = logits.astype(np.float32) / np.float32(temperature)
    scaled -= scaled.max(axis=-1, keepdims=True)
    np.exp(scaled, out=scaled)
    scaled /= scaled.sum(axis=-1, keepdims=True)
    return scaled


@dataclass(frozen=True, eq=False)
class TokenAnalysis:
    """The model's view of one text.

    Attributes:
        findings: decoded spans (detector ``model``), score at or above the runtime floor,
            in text order, non-overlapping.
        offsets: ``int64 [n_tokens, 2]`` whitespace-stripped character offsets per token
            (``start == end`` for tokens without characters). Read-only.
        probs: ``float32 [n_tokens, n_tags]`` tag probabilities per token after
            temperature scaling, continuations already given their word's row. Read-only.
        tags: the manifest tags (column order of ``probs``).
        num_windows: model windows the text needed.
        text_length: ``len(text)`` of the analysed text.
    """

    findings: list[Finding]
    offsets: npt.NDArray[np.int64]
    probs: npt.NDArray[np.float32]
    tags: tuple[str, ...]
    num_windows: int
    text_length: int

    @property
    def num_tokens(self) -> int:
        """Number of content tokens (special tokens excluded)."""
        return int(self.offsets.shape[0])

    def span_score(self, start: int, end: int, label: str) -> float:
        """Probability that characters ``[start, end)`` are ``label``.

        The mean, over the tokens whose (stripped) characters overlap the range, of
        ``P(B-label) + P(I-label)``. 0.0 when no token overlaps or the model does not
        emit ``label``. Used by fusion to ask the model about spans other detectors found.

        Raises:
            ValueError: ``label`` is not one of `LABELS`, or the range is empty or
                outside the text.
        """
        if label not in LABELS:
            raise ValueError(f"unknown label {label!r}")
        if not 0 <= start < end <= self.text_length:
            raise ValueError(f"bad range [{start}, {end}) for a text of length {self.text_length}")
        b_tag, i_tag = f"B-{label}", f"I-{label}"
        if b_tag not in self.tags or i_tag not in self.tags or self.num_tokens == 0:
            return 0.0
        tok_start, tok_end = self.offsets[:, 0], self.offsets[:, 1]
        hit = (tok_start < end) & (tok_end > start) & (tok_end > tok_start)
        if not hit.any():
            return 0.0
        mass = self.probs[hit, self.tags.index(b_tag)] + self.probs[hit, self.tags.index(i_tag)]
        return min(1.0, float(mass.mean()))


def decode(
    text: str,
    offsets: Sequence[tuple[int, int]],
    probs: npt.NDArray[np.float32],
    tags: tuple[str, ...],
    *,
    num_windows: int,
    floor: float,
) -> TokenAnalysis:
    """Decode one text's token probabilities into a `TokenAnalysis`.

    Args:
        text: the text the offsets index into.
        offsets: raw tokenizer character offsets, one per token.
        probs: ``[len(offsets), len(tags)]`` temperature-scaled probabilities.
        tags: BIO tags in column order.
        num_windows: windows used (reported as is).
        floor: spans scoring below it are dropped.
    """
    n = len(offsets)
    if probs.shape != (n, len(tags)):
        raise ValueError(f"probs shape {probs.shape} != ({n}, {len(tags)})")
    stripped = strip_offsets(text, offsets)
    for i in range(len(stripped) - 1):
        start, end = stripped[i]
        if start < end and stripped[i + 1][0] < end:
            stripped[i] = (start, start)
    starts = np.asarray(word_starts(text, stripped), dtype=bool)
    spans = np.asarray(stripped, dtype=np.int64).reshape(n, 2)
    filled = (spans[:, 1] > spans[:, 0]) if n else np.zeros(0, dtype=bool)
    # a continuation takes the row of the word-start token before it (training labels
    # word starts only); rows of empty tokens are left as they are and never decoded
    leader = np.maximum.accumulate(np.where(starts, np.arange(n), -1)) if n else np.zeros(0, int)
    eff = probs.copy()
    cont = filled & ~starts & (leader >= 0)
    eff[cont] = probs[leader[cont]]
    _bridge_punctuation(text, spans, starts, filled, eff, tags)
    findings = [
        _extend_marks(text, f)
        for f in _bio_spans(spans, starts, filled, eff, tags, floor)
        # a span of punctuation alone ("/", "-") is never a value worth reporting
        if not all(unicodedata.category(ch)[0] in "PZ" or ch.isspace() for ch in text[f.start : f.end])
    ]
    spans.setflags(write=False)
    eff.setflags(write=False)
    return TokenAnalysis(findings, spans, eff, tags, num_windows, len(text))


def _bridge_punctuation(
    text: str,
    spans: npt.NDArray[np.int64],
    starts: npt.NDArray[np.bool_],
    filled: npt.NDArray[np.bool_],
    probs: npt.NDArray[np.float32],
    tags: tuple[str, ...],
) -> None:
    """Give a punctuation-only token between two tokens of one label that label's I- tag.

    ``410 Wh/kg`` or ``+49-30-1234`` split into tokens at the punctuation; when the words
    on both sides carry the same entity label, a different arg-max on the separator alone
    would cut one value into three spans. Modifies ``probs`` rows in place.
    """
    idx = np.flatnonzero(filled & starts).tolist()
    if len(idx) < 3:
        return
    best = probs.argmax(axis=1)
    label_of = [tag.partition("-")[2] for tag in tags]
    for k in range(1, len(idx) - 1):
        i, prev, nxt = idx[k], idx[k - 1], idx[k + 1]
        piece = text[spans[i, 0] : spans[i, 1]]
        if any(ch.isalnum() for ch in piece):
            continue
        left, right, own = label_of[best[prev]], label_of[best[nxt]], label_of[best[i]]
        a, b = int(spans[i, 0]), int(spans[i, 1])
        touching = a > 0 and b < len(text) and not text[a - 1].isspace() and not text[b].isspace()
        if left and left == right and own != left and touching:
            b_col, i_col = tags.index(f"B-{left}"), tags.index(f"I-{left}")
            mass = float(probs[[prev, nxt]][:, [b_col, i_col]].sum(axis=1).mean())
            probs[i] = 0.0
            probs[i, i_col] = mass
            probs[i, tags.index("O")] = 1.0 - mass


def _is_mark(char: str) -> bool:
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0x1F3FB <= code <= 0x1F3FF  # emoji skin tones
    )


def _extend_marks(text: str, finding: Finding) -> Finding:
    end = finding.end
    while end < len(text) and _is_mark(text[end]):
        end += 1
    return (
        finding
        if end == finding.end
        else Finding(finding.label, finding.start, end, finding.score, finding.detector)
    )


def _bio_spans(
    spans: npt.NDArray[np.int64],
    starts: npt.NDArray[np.bool_],
    filled: npt.NDArray[np.bool_],
    probs: npt.NDArray[np.float32],
    tags: tuple[str, ...],
    floor: float,
) -> list[Finding]:
    """Tolerant BIO decoding over words; see the module docstring."""
    if not filled.any():
        return []
    best = probs.argmax(axis=1).tolist()
    is_start = starts.tolist()
    kinds = [tag.partition("-") for tag in tags]  # ("B", "-", "PERSON") / ("O", "", "")
    # (label, first token, last token) of each span; tokens are filled ones only
    found: list[tuple[str, int, int]] = []
    open_label: str | None = None
    first = last = 0
    for i in np.flatnonzero(filled).tolist():
        if not is_start[i]:
            last = i  # a continuation belongs to whatever its word belongs to
            continue
        prefix, _, label = kinds[best[i]]
        if prefix == "I" and label == open_label:
            last = i
            continue
        if open_label is not None:
            found.append((open_label, first, last))
        open_label = None if prefix == "O" else label
        first = last = i
    if open_label is not None:
        found.append((open_label, first, last))
    if not found:
        return []
    # span score = mean over its filled tokens of P(B-X) + P(I-X): prefix sums per label
    labels = sorted({label for label, _, _ in found})
    column = {label: k for k, label in enumerate(labels)}
    b_cols = [tags.index(f"B-{label}") for label in labels]
    i_cols = [tags.index(f"I-{label}") for label in labels]
    mass = (probs[:, b_cols] + probs[:, i_cols]).astype(np.float64) * filled[:, None]
    sums = np.vstack([np.zeros((1, len(labels))), np.cumsum(mass, axis=0)])
    counts = np.concatenate([[0], np.cumsum(filled)])
    findings = []
    for label, first, last in found:
        total = sums[last + 1, column[label]] - sums[first, column[label]]
        score = min(1.0, max(0.0, float(total / (counts[last + 1] - counts[first]))))
        if score >= floor:
            findings.append(Finding(label, int(spans[first, 0]), int(spans[last, 1]), score, DETECTOR))
    return findings
