"""Destination awareness: approved destinations skip inspection, risky ones get stricter rules.

``allow``: internal or approved destinations (the company's own services, sanctioned SaaS): requests to
them are forwarded unchanged. ``strict``: paste sites and AI chat sites, where anything the policy would
redact is blocked instead. A pattern ``example.com`` matches the host and its subdomains;
``*.example.com`` only subdomains; shell wildcards are allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Literal

__all__ = ["DestinationRules", "DEFAULT_STRICT", "DestinationClass"]

DestinationClass = Literal["allow", "strict", "default"]

#: Paste sites and AI chat assistants: text sent there is published or retained by a third party.
DEFAULT_STRICT: tuple[str, ...] = (
    "pastebin.com", "paste.ee", "hastebin.com", "ghostbin.com", "dpaste.org", "dpaste.com", "rentry.co",
    "privatebin.net", "controlc.com", "justpaste.it", "gist.github.com", "paste.mozilla.org",
    "chat.openai.com", "chatgpt.com", "api.openai.com", "claude.ai", "api.anthropic.com",
    "gemini.google.com", "bard.google.com", "copilot.microsoft.com", "perplexity.ai", "poe.com",
    "chat.mistral.ai", "chat.deepseek.com", "huggingface.co",
)  # fmt: skip


def _matches(host: str, pattern: str) -> bool:
    pattern = pattern.strip().lower().rstrip(".")
    if not pattern:
        return False
    if any(c in pattern for c in "*?["):
        return fnmatchcase(host, pattern)
    return host == pattern or host.endswith("." + pattern)


@dataclass(frozen=True, slots=True)
class DestinationRules:
    """Host patterns that are approved (``allow``) or risky (``strict``); ``allow`` wins."""

    allow: tuple[str, ...] = ()
    strict: tuple[str, ...] = DEFAULT_STRICT

    def classify(self, host: str) -> DestinationClass:
        """Return ``allow``, ``strict`` or ``default`` for a host name."""
        host = host.lower().rstrip(".")
        if any(_matches(host, p) for p in self.allow):
            return "allow"
        if any(_matches(host, p) for p in self.strict):
            return "strict"
        return "default"
