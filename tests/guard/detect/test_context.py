"""Latin word boundaries that still match next to CJK text."""

from __future__ import annotations

import re

import pytest

from guard.detect.context import bounded, context_window


@pytest.mark.parametrize(
    ("literal", "text", "hit"),
    [
        ("Okapi", "Okapi项目", True),
        ("Okapi", "xOkapi", False),
        ("Okapi", "Okapis", False),
        ("月光", "月光計画", True),
    ],
)
def test_bounded(literal: str, text: str, hit: bool) -> None:
    assert (re.search(bounded(re.escape(literal), literal), text) is not None) is hit


def test_context_window() -> None:
    assert context_window("0123456789", 4, 6, width=2) == ("23", "67")
