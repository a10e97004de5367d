"""Codename/customer dictionary matching: variants, boundaries in mixed scripts, scoring tiers."""

from __future__ import annotations

import pytest

from guard.detect.dictionary import CANDIDATE_SCORE, STRONG_SCORE, DictionaryMatcher, customer_variants
from guard.detect.domain import Codename


@pytest.mark.parametrize(
    ("name", "variants"),
    [
        ("Halvorsen Shipping AS", {"Halvorsen Shipping AS", "Halvorsen Shipping"}),
        ("Mitsuya Trading Co., Ltd.", {"Mitsuya Trading Co., Ltd.", "Mitsuya Trading"}),
        (
            "Banque Lefèvre & Cie",
            {"Banque Lefèvre & Cie", "Banque Lefèvre", "Banque Lefevre & Cie", "Banque Lefevre"},
        ),
        ("三ツ矢商事株式会社", {"三ツ矢商事株式会社", "三ツ矢商事"}),
        ("Brightwater Health", {"Brightwater Health"}),
    ],
)
def test_customer_variants(name: str, variants: set[str]) -> None:
    assert set(customer_variants(name)) == variants


@pytest.fixture(scope="module")
def matcher() -> DictionaryMatcher:
    codenames = [
        Codename(name="Tamarind", aliases=("Project Tamarind", "TAMARIND")),
        Codename(name="Qingniao", aliases=("青鸟",)),
        Codename(name="Nimbus-7", aliases=("Nimbus 7",)),
    ]
    return DictionaryMatcher(codenames, ["Ostwald Energie GmbH"])


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("青鸟项目的供应商名单", "青鸟"),
        ("Tamarind项目", "Tamarind"),
        ("Project  Tamarind", "Project  Tamarind"),  # whitespace inside an alias is flexible
        ("about Nimbus 7.", "Nimbus 7"),
        ("about nimbus-7!", "nimbus-7"),
    ],
)
def test_boundaries_and_spellings(matcher: DictionaryMatcher, text: str, span: str) -> None:
    (f,) = matcher.detect(text)
    assert text[f.start : f.end] == span


@pytest.mark.parametrize("text", ["Tamarinds are sour", "xTamarind", "Tamarind_v2"])
def test_no_match_inside_latin_words(matcher: DictionaryMatcher, text: str) -> None:
    assert matcher.detect(text) == []


def test_score_tiers(matcher: DictionaryMatcher) -> None:
    assert matcher.detect("TAMARIND")[0].score == STRONG_SCORE
    assert matcher.detect("tamarind chutney")[0].score == CANDIDATE_SCORE
    (f,) = matcher.detect("Die Marge bei Ostwald Energie liegt bei 31 %")
    assert f.label == "CUSTOMER" and CANDIDATE_SCORE < f.score < STRONG_SCORE


def test_empty_dictionary() -> None:
    assert DictionaryMatcher([], []).detect("anything") == []
