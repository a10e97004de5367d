"""Disguised values: normalization finds them and places findings on the disguised text itself."""

from __future__ import annotations

import base64
from dataclasses import replace

import pytest

from guard import Guard
from guard.normalize import MAX_DECODES, normalize

AWS_KEY = "AKIA" + "QYLPMN5HHHFPZAM2"  # gitleaks:allow (fake, real format)


@pytest.fixture(scope="module")
def detectors_only() -> Guard:
    return replace(Guard.load(model=False), model=None)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        (f"key {AWS_KEY[:4]}\u200b{AWS_KEY[4:11]}\u200d{AWS_KEY[11:]} ok", "SECRET"),
        (f"key {AWS_KEY[:8]}\u00ad{AWS_KEY[8:]}", "SECRET"),
        ("card ４１１１ １１１１ １１１１ １１１１ thanks", "CREDIT_CARD"),
        ("key \\u0041\\u004B" + AWS_KEY[2:], "SECRET"),
        ("key \\x41\\x4b" + AWS_KEY[2:], "SECRET"),
        ("key &#65;&#x4B;" + AWS_KEY[2:], "SECRET"),
        ("blob " + f"aws_key={AWS_KEY}".encode().hex(), "SECRET"),
        ("blob " + base64.b64encode(f"aws_key={AWS_KEY}".encode()).decode(), "SECRET"),
    ],
    ids=["zero-width", "soft-hyphen", "fullwidth", "u-escape", "x-escape", "html-entity", "hex", "base64"],
)
def test_disguised_values_are_found_on_their_original_span(
    detectors_only: Guard, text: str, label: str
) -> None:
    result = detectors_only.scan(text)
    hits = [f for f in result.findings if f.label == label]
    assert hits, result.findings
    disguised = (
        text.split(" ", 1)[1].rsplit(" ", 1)[0] if text.endswith(("ok", "thanks")) else text.split(" ", 1)[1]
    )
    assert any(text[f.start : f.end] == disguised for f in hits)
    # redaction removes the disguised value whole
    assert AWS_KEY[6:] not in detectors_only.redact(text).text.replace("\u200b", "").replace("\u200d", "")


def test_text_without_disguises_is_returned_as_is() -> None:
    text = "commit 3f786850e387550fdab836ed7e6dc881de23001b fixed the parser; ＦｒｉｔｚＢｏｘ works"
    norm = normalize(text)
    assert norm.text == "commit 3f786850e387550fdab836ed7e6dc881de23001b fixed the parser; FritzBox works"
    start = norm.text.index("FritzBox")
    assert text[slice(*norm.span(start, start + 8))] == "ＦｒｉｔｚＢｏｘ"  # fullwidth maps 1:1
    assert normalize("plain words").changed is False


def test_git_hashes_and_random_ids_stay_as_they_are() -> None:
    text = "sha 3f786850e387550fdab836ed7e6dc881de23001b id 5f3c2a1b9d8e7f6a5b4c3d2e1f0a9b8c"
    assert normalize(text).changed is False


@pytest.mark.parametrize(
    "text",
    [
        ("A" * 30 + " ") * 30_000,  # base64-looking runs that decode to nothing
        "\\u00" * 250_000,  # broken escapes
        "\u200b" * 1_000_000,
        "ａ" * 1_000_000,
        ("6a" * 40 + " ") * 12_000,  # hex runs that decode to text: only MAX_DECODES are decoded
    ],
    ids=["base64-like", "broken-escapes", "zero-width", "fullwidth", "hex-runs"],
)
@pytest.mark.timeout(120)  # a hang guard, not a speed figure: quadratic work on 1 MB takes hours
def test_adversarial_input_at_the_body_limit_ends_with_bounded_decoding(text: str) -> None:
    norm = normalize(text)
    decoded = [s for s in norm.segments if not s[3] and s[2] - s[1] > 8]  # hex/base64 runs
    assert len(decoded) <= MAX_DECODES
    assert len(norm.text) <= len(text)
