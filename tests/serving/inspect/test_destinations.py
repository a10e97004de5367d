"""Destination rules: approved hosts skip inspection, paste/AI-chat hosts are strict."""

from __future__ import annotations

import pytest

from serving.inspect.destinations import DestinationRules


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("git.corp.internal", "allow"),
        ("corp.internal", "allow"),
        ("notcorp.internal", "default"),
        ("x.svc.example", "allow"),
        ("svc.example", "default"),
        ("pastebin.com", "strict"),
        ("www.pastebin.com", "strict"),
        ("CHATGPT.COM.", "strict"),
        ("example.org", "default"),
    ],
)
def test_classify(host: str, expected: str) -> None:
    rules = DestinationRules(allow=("corp.internal", "*.svc.example"))
    assert rules.classify(host) == expected


def test_allow_wins_over_strict() -> None:
    assert DestinationRules(allow=("pastebin.com",)).classify("pastebin.com") == "allow"
