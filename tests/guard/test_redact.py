"""Redaction operators with exact offsets, previews that reveal little, keyed hashes."""

from __future__ import annotations

import pytest

from guard.findings import Finding
from guard.redact import OPERATORS, Redactor, mask_preview, redact, value_hash

TEXT = "mail 李雷@acme.cn or 😀 bob@acme.de, again 李雷@acme.cn\r\nend"


def spans(text: str, *values: str) -> list[Finding]:
    out = []
    pos = 0
    for v in values:
        i = text.index(v, pos)
        out.append(Finding("EMAIL", i, i + len(v), 0.9, "regex"))
        pos = i + len(v)
    return out


FINDINGS = spans(TEXT, "李雷@acme.cn", "bob@acme.de", "李雷@acme.cn")


def test_placeholder() -> None:
    assert redact(TEXT, FINDINGS) == "mail [EMAIL] or 😀 [EMAIL], again [EMAIL]\r\nend"


def test_pseudonyms_are_consistent_within_a_text() -> None:
    assert redact(TEXT, FINDINGS, "pseudonym") == "mail [EMAIL_1] or 😀 [EMAIL_2], again [EMAIL_1]\r\nend"


def test_mask_keeps_length_and_line_breaks() -> None:
    text = "pw: ab\r\ncd!"
    out = redact(text, [Finding("SECRET", 4, 10, 0.9, "regex")], "mask")
    assert out == "pw: **\r\n**!" and len(out) == len(text)


def test_hash_is_keyed_and_stable() -> None:
    a = redact(TEXT, FINDINGS, "hash", key=b"k" * 32)
    b = redact(TEXT, FINDINGS, "hash", key=b"k" * 32)
    c = redact(TEXT, FINDINGS, "hash", key=b"x" * 32)
    assert a == b != c
    assert "李雷" not in a and "bob" not in a
    first = a.split()[1]
    assert first.startswith("[EMAIL:") and first == a.split()[-2].split("\r\n")[0]


def test_errors() -> None:
    with pytest.raises(ValueError, match="unknown redaction operator"):
        redact(TEXT, FINDINGS, "shred")
    with pytest.raises(ValueError, match="HMAC key"):
        redact(TEXT, FINDINGS, "hash")
    with pytest.raises(ValueError, match="overlapping"):
        redact("abcdef", [Finding("SECRET", 0, 3, 1, "r"), Finding("SECRET", 2, 5, 1, "r")])
    with pytest.raises(ValueError, match="outside"):
        redact("abc", [Finding("SECRET", 1, 9, 1, "r")])
    with pytest.raises(ValueError):
        Redactor("hash")


def test_redactor_binds_operator_and_key() -> None:
    assert Redactor("pseudonym").redact(TEXT, FINDINGS) == redact(TEXT, FINDINGS, "pseudonym")
    assert set(OPERATORS) == {"mask", "placeholder", "hash", "pseudonym"}


@pytest.mark.parametrize(
    ("value", "preview"),
    [("AKIAQYLPMN5HHHFPZAM2", "AK****M2"), ("hunter2", "****"), ("12345678", "1****8"), ("", "****")],
)
def test_mask_preview(value: str, preview: str) -> None:
    assert mask_preview(value) == preview


@pytest.mark.parametrize("n", range(0, 60))
def test_mask_preview_reveals_at_most_a_quarter(n: int) -> None:
    value = "".join(chr(0x4E00 + i) for i in range(n))
    shown = len(mask_preview(value)) - 4
    assert shown <= 4 and shown <= n * 0.25


def test_value_hash() -> None:
    assert value_hash("x") == value_hash("x") != value_hash("y")
    assert value_hash("x", b"key") != value_hash("x")
    assert len(value_hash("x")) == 64
    with pytest.raises(ValueError):
        value_hash("x", b"")
