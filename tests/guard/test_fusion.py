"""Fusion: non-overlapping output, deterministic priority, same-label merge, trimming, provenance."""

from __future__ import annotations

import itertools
import random

import pytest

from guard.findings import LABELS, Finding
from guard.fusion import fuse


def F(label: str, start: int, end: int, score: float, detector: str, **meta: object) -> Finding:
    return Finding(label, start, end, score, detector).with_metadata(**meta)


def test_empty() -> None:
    assert fuse([]) == []
    assert fuse({}) == []


def test_same_label_merge_prefers_exact_deterministic_span() -> None:
    model = F("SECRET", 10, 40, 0.7, "model")  # word-extended, sloppy
    regex = F("SECRET", 14, 34, 0.95, "regex", validator=None, pattern="aws_access_key_id")
    (out,) = fuse({"model": [model], "regex": [regex]})
    assert (out.start, out.end, out.score) == (14, 34, 0.95)
    assert out.metadata["detectors"] == ("model", "regex")
    assert out.metadata["pattern"] == "aws_access_key_id"


def test_model_only_merge_is_the_union() -> None:
    (out,) = fuse([F("PERSON", 0, 4, 0.6, "model"), F("PERSON", 3, 9, 0.8, "model")])
    assert (out.start, out.end, out.score) == (0, 9, 0.8)


def test_validated_strong_label_beats_longer_model_span() -> None:
    card = F("CREDIT_CARD", 5, 24, 0.95, "regex", validator="luhn")
    phone = F("PHONE", 0, 30, 0.99, "model")
    text = "call 4111 1111 1111 1111 or now"
    out = fuse([phone, card], text=text)
    assert [(f.label, text[f.start : f.end]) for f in out] == [
        ("PHONE", "call"),
        ("CREDIT_CARD", "4111 1111 1111 1111"),
        ("PHONE", "or no"),
    ]
    assert out[0].metadata["trimmed"] is True and "trimmed" not in out[1].metadata


def test_trimmed_remainders_skip_punctuation() -> None:
    text = "Hauptstr. 5, Tel 089 1234567, 80331 München"
    addr = F("ADDRESS", 0, len(text), 0.8, "model")
    phone = F("PHONE", 17, 28, 0.7, "regex")
    out = fuse([addr, phone], text=text)
    pieces = [text[f.start : f.end] for f in out]
    assert pieces == ["Hauptstr. 5, Tel", "089 1234567", "80331 München"]


def test_longer_then_higher_score_among_equals() -> None:
    a = F("PERSON", 0, 10, 0.6, "model")
    b = F("ADDRESS", 2, 6, 0.99, "model")
    assert [f.label for f in fuse([a, b])] == ["PERSON"]


@pytest.mark.parametrize("seed", range(25))
def test_random_inputs_give_disjoint_sorted_output_independent_of_order(seed: int) -> None:
    rng = random.Random(seed)
    dets = ["model", "regex", "domain", "entropy"]
    findings = []
    for _ in range(rng.randint(1, 25)):
        start = rng.randint(0, 80)
        findings.append(
            F(rng.choice(LABELS), start, start + rng.randint(1, 20), round(rng.random(), 3), rng.choice(dets))
        )
    text = "".join(rng.choice("ab c,") for _ in range(120))
    out = fuse(findings, text=text)
    for a, b in itertools.pairwise(out):
        assert a.end <= b.start
    shuffled = findings[:]
    rng.shuffle(shuffled)
    assert fuse(shuffled, text=text) == out
    for f in out:
        assert "detectors" in f.metadata
