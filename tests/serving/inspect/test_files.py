"""Text inside uploaded files: read whole, bounded, and what cannot be read is reported."""

from __future__ import annotations

import pytest

from serving.inspect.files import FileLimits, file_texts
from tests.serving.inspect import filemakers as mk

KEY = "AKIA" + "QYLPMN5HHHFPZAM2"  # gitleaks:allow (fake, real format)


@pytest.mark.parametrize(
    "data",
    [
        mk.zip_of({"notes/keys.txt": f"aws key {KEY}\n".encode()}),
        mk.docx(f"deploy key {KEY} today"),
        mk.xlsx(["name", f"key {KEY}"]),
        mk.pptx(f"slide with {KEY}"),
        mk.pdf(f"key {KEY} on page one"),
        mk.gz(f"key {KEY}".encode()),
        mk.zip_of({"inner.zip": mk.zip_of({"deep.docx": mk.docx(f"deep {KEY}")})}),
    ],
    ids=["zip", "docx", "xlsx", "pptx", "pdf", "gzip", "nested"],
)
def test_the_text_inside_is_read(data: bytes) -> None:
    texts, problems = file_texts(data)
    assert problems == []
    assert any(KEY in t.text for t in texts), [t.text[:80] for t in texts]


def test_word_runs_are_joined_and_styles_skipped() -> None:
    texts, _ = file_texts(mk.docx("Quarterly plan for Okapi"))
    assert [t.text for t in texts] == ["Quarterly plan for Okapi"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (mk.zip_bomb(), "compression ratio over"),
        (mk.encrypted_zip(KEY.encode()), "encrypted zip member"),
        (b"7z\xbc\xaf\x27\x1c" + b"\0" * 64, "7z archive cannot be opened"),
        (b"PK\x03\x04 not really a zip", "file cannot be opened"),
        (mk.gz(f"key {KEY}".encode())[:-8], "file cannot be opened"),
    ],
    ids=["zip-bomb", "encrypted", "7z", "corrupt-zip", "truncated-gzip"],
)
def test_what_cannot_be_read_is_reported_without_names(data: bytes, reason: str) -> None:
    texts, problems = file_texts(data)
    assert any(reason in p for p in problems), problems
    assert all(KEY not in p and "secret.txt" not in p and "zeros" not in p for p in problems)


def test_bounds_on_members_depth_and_text() -> None:
    many = mk.zip_of({f"f{i}.txt": b"hello" for i in range(20)})
    _, problems = file_texts(many, limits=FileLimits(max_members=5))
    assert any("more than 5 members" in p for p in problems)
    nested = mk.zip_of({"a.zip": mk.zip_of({"b.zip": mk.zip_of({"c.txt": b"hi"})})})
    _, problems = file_texts(nested, limits=FileLimits(max_depth=1))
    assert any("nested deeper" in p for p in problems)
    import random

    words = " ".join(random.Random(1).choice(["alpha", "beta", "gamma", "delta"]) for _ in range(1000))
    texts, problems = file_texts(mk.zip_of({"a.txt": words.encode()}), limits=FileLimits(max_text=1000))
    assert sum(len(t.text) for t in texts) == 1000 and any("file text over" in p for p in problems)
