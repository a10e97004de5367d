"""Pure policy evaluation: thresholds, allowlists, destinations, actions and the document verdict."""

from __future__ import annotations

import pytest

from guard.findings import Finding
from guard.policy import Decision, LabelRule, Policy, apply_policy, decide
from guard.policy.schema import Allowlist, DestinationRule, LabelOverride

TEXT = "jane@acme.de 4111111111111111 Alice"
EMAIL = Finding("EMAIL", 0, 12, 0.9, "regex")
CARD = Finding("CREDIT_CARD", 13, 29, 0.95, "regex")
PERSON = Finding("PERSON", 30, 35, 0.4, "model")


def test_thresholds_drop_low_scores() -> None:
    assert apply_policy([EMAIL, CARD, PERSON], Policy(), TEXT) == [EMAIL, CARD]
    lenient = Policy(labels={"PERSON": LabelRule(action="redact", threshold=0.3)})
    assert apply_policy([PERSON], lenient, TEXT) == [PERSON]


def test_allowlisted_values_and_destinations() -> None:
    policy = Policy(allowlist=Allowlist(values=("jane@acme.de",), destinations=("*.acme.de",)))
    assert apply_policy([EMAIL, CARD], policy, TEXT) == [CARD]
    assert apply_policy([EMAIL, CARD], policy, TEXT, destination="https://mail.acme.de/send") == []


@pytest.mark.parametrize(
    ("findings", "verdict", "actions"),
    [
        ([], "pass", ()),
        ([EMAIL], "redact", ("redact",)),
        ([EMAIL, CARD], "block", ("redact", "block")),
    ],
)
def test_verdict(findings: list[Finding], verdict: str, actions: tuple[str, ...]) -> None:
    assert decide(findings, Policy()) == Decision(verdict, actions, ())  # type: ignore[arg-type]


def test_alert_and_allow_do_not_change_the_verdict() -> None:
    policy = Policy(labels={"EMAIL": LabelRule(action="alert"), "CREDIT_CARD": LabelRule(action="allow")})
    decision = decide([EMAIL, CARD], policy)
    assert decision.verdict == "pass" and decision.actions == ("alert", "allow")
    assert decision.alerts == ("EMAIL at [0, 12) score 0.90 (regex)",)
    assert "jane" not in decision.alerts[0]


def test_destination_override() -> None:
    policy = Policy(
        destinations=(DestinationRule(match=("paste.io",), labels={"EMAIL": LabelOverride(action="block")}),)
    )
    assert decide([EMAIL], policy, "https://paste.io/new").verdict == "block"
    assert decide([EMAIL], policy, "other.io").verdict == "redact"
    assert policy.rule("EMAIL", "paste.io").threshold == policy.rule("EMAIL").threshold
