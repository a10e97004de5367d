"""Policy: which labels block, redact, alert or pass, from which score, for which destination.

Policy is data (``default.yaml``, validated loudly by :func:`load_policy`) and evaluation is pure
(:func:`apply_policy`, :func:`decide`).
"""

from __future__ import annotations

from guard.policy.decide import Decision, Verdict, apply_policy, decide
from guard.policy.schema import (
    DEFAULT_ACTIONS,
    Action,
    Allowlist,
    DestinationRule,
    LabelRule,
    Operator,
    Policy,
    Redaction,
    default_policy_path,
    load_policy,
)

__all__ = [
    "DEFAULT_ACTIONS",
    "Action",
    "Allowlist",
    "Decision",
    "DestinationRule",
    "LabelRule",
    "Operator",
    "Policy",
    "Redaction",
    "Verdict",
    "apply_policy",
    "decide",
    "default_policy_path",
    "load_policy",
]
