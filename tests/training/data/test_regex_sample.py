"""Sampling strings from secret-format regexes."""

from __future__ import annotations

import random
import re

import pytest

from training.data.regex_sample import sample_regex


@pytest.mark.parametrize(
    "pattern",
    [
        r"kst_(live|test)_[A-Za-z0-9]{32}",
        r"kdsvc\.[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{10,}",
        r"(HW|FW|FIN)-[0-9]{3,5}",
        r"tok-[^\s]{8}\d+",
        r"^x\w{4}.?$",
        r"[A-F0-9]{8}(?:-[A-F0-9]{4}){3}",
    ],  # fmt: skip
)
def test_samples_match(pattern: str) -> None:
    rng = random.Random(pattern)
    values = {sample_regex(pattern, rng) for _ in range(30)}
    assert all(re.fullmatch(pattern, v) for v in values)
    assert len(values) > 1


@pytest.mark.parametrize("pattern", [r"(a)\1", r"(?<=a)b", r"[unclosed"])
def test_unsupported_or_invalid_patterns(pattern: str) -> None:
    with pytest.raises(ValueError):
        sample_regex(pattern, random.Random(0))
