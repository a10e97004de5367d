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


def test_the_proxy_and_the_library_share_one_list_of_paste_and_ai_hosts() -> None:
    from guard.policy import load_policy
    from serving.inspect.destinations import DEFAULT_STRICT

    policy = load_policy(None)
    rules = DestinationRules()
    for host in DEFAULT_STRICT:
        for name in (host, f"www.{host}"):
            assert rules.classify(name) == "strict"
            assert policy.rule("EMAIL", name).action == "block", name
    assert (
        rules.classify("example.com") == "default" and policy.rule("EMAIL", "example.com").action == "redact"
    )
