"""Policy evaluation as pure functions: :func:`apply_policy` filters, :func:`decide` gives the verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from guard.findings import Finding
from guard.policy.schema import Action, Policy

__all__ = ["Decision", "Verdict", "apply_policy", "decide"]

Verdict = Literal["pass", "redact", "block"]


@dataclass(frozen=True, slots=True)
class Decision:
    """The document verdict and one action per finding (parallel to the findings passed to :func:`decide`).

    Attributes:
        verdict: ``block`` if any finding's action is ``block``; else ``redact`` if any is ``redact``;
            else ``pass`` (``allow`` and ``alert`` never change the verdict).
        actions: the action of each finding, in order.
        alerts: one line per ``alert`` finding — label and offsets, never the value.
    """

    verdict: Verdict
    actions: tuple[Action, ...]
    alerts: tuple[str, ...]


def apply_policy(
    findings: Sequence[Finding],
    policy: Policy,
    text: str,
    destination: str | None = None,
) -> list[Finding]:
    """Drop findings below their label's threshold and allowlisted ones.

    Args:
        findings: raw detector findings (before fusion).
        policy: the policy.
        text: the scanned text, to compare values with the allowlist; never stored.
        destination: host or URL the text is sent to, for per-destination thresholds and allowlists.

    Returns:
        The kept findings, in the same order. Empty when the destination is allowlisted.
    """
    if policy.destination_allowed(destination):
        return []
    out: list[Finding] = []
    for f in findings:
        if f.score < policy.rule(f.label, destination).threshold:
            continue
        if policy.value_allowed(text[f.start : f.end]):
            continue
        out.append(f)
    return out


def decide(findings: Sequence[Finding], policy: Policy, destination: str | None = None) -> Decision:
    """Map each (fused) finding to its action and the whole text to a verdict. Pure."""
    actions = tuple(policy.rule(f.label, destination).action for f in findings)
    alerts = tuple(
        f"{f.label} at [{f.start}, {f.end}) score {f.score:.2f} ({f.detector})"
        for f, a in zip(findings, actions, strict=True)
        if a == "alert"
    )
    verdict: Verdict = "block" if "block" in actions else "redact" if "redact" in actions else "pass"
    return Decision(verdict, actions, alerts)
