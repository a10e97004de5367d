"""Tests for training/sample_texts.py: deterministic multilingual sample strings."""

from __future__ import annotations

import random
import re

from training.sample_texts import CATEGORIES, code_like_strings, labelled_sample_texts, sample_texts

SCRIPTS = {
    "ja_JP": re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]"),
    "zh_CN": re.compile(r"[\u4e00-\u9fff]"),
    "de_DE": re.compile(r"[A-Za-zÄÖÜäöüß]"),
}


def test_same_seed_same_strings_other_seed_other_strings() -> None:
    assert sample_texts(60, seed=3) == sample_texts(60, seed=3)
    assert sample_texts(60, seed=3) != sample_texts(60, seed=4)


def test_every_category_is_present_in_its_script() -> None:
    labelled = labelled_sample_texts(120, seed=0)
    assert len(labelled) == 120
    assert {c for c, _ in labelled} == set(CATEGORIES)
    for category, pattern in SCRIPTS.items():
        texts = [t for c, t in labelled if c == category]
        assert len(texts) == 20 and all(pattern.search(t) for t in texts), category
    assert all(t for _, t in labelled)


def test_code_strings_cover_code_logs_urls() -> None:
    texts = code_like_strings(random.Random(1), 200)
    assert any(t.startswith("def ") for t in texts)
    assert any("https://" in t for t in texts)
    assert any(re.match(r"2026-11-\d\dT", t) for t in texts)
