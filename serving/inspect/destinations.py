"""Destination awareness: approved destinations skip inspection, risky ones get stricter rules.

``allow``: internal or approved destinations (the company's own services, sanctioned SaaS): requests to
them are forwarded unchanged. ``strict``: paste sites and AI chat sites, where anything the policy would
redact is blocked instead. A pattern ``example.com`` matches the host and its subdomains;
``*.example.com`` only subdomains; shell wildcards are allowed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


class _Patterns:
    """Host patterns compiled for matching: exact names, dotted suffixes, and shell wildcards."""

    __slots__ = ("exact", "suffixes", "wildcards")

    def __init__(self, patterns: tuple[str, ...]) -> None:
        cleaned = [p.strip().lower().rstrip(".") for p in patterns]
        plain = [p for p in cleaned if p and not any(c in p for c in "*?[")]
        self.exact = frozenset(plain)
        self.suffixes = tuple("." + p for p in plain)
        self.wildcards = tuple(p for p in cleaned if p and p not in self.exact)

    def match(self, host: str) -> bool:
        return (
            host in self.exact
            or host.endswith(self.suffixes)
            or any(fnmatchcase(host, p) for p in self.wildcards)
        )


@dataclass(frozen=True, slots=True)
class DestinationRules:
    """Host patterns that are approved (``allow``) or risky (``strict``); ``allow`` wins."""

    allow: tuple[str, ...] = ()
    strict: tuple[str, ...] = DEFAULT_STRICT
    _compiled: tuple[_Patterns, _Patterns] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # compiled once: every request is classified (a GET's budget is a few milliseconds)
        object.__setattr__(self, "_compiled", (_Patterns(self.allow), _Patterns(self.strict)))

    def classify(self, host: str) -> DestinationClass:
        """Return ``allow``, ``strict`` or ``default`` for a host name."""
        host = host.lower().rstrip(".")
        allow, strict = self._compiled
        if allow.match(host):
            return "allow"
        if strict.match(host):
            return "strict"
        return "default"
