"""Destination awareness: approved destinations skip inspection, risky ones get stricter rules.

``allow``: internal or approved destinations (the company's own services, sanctioned SaaS): requests to
them are forwarded unchanged. ``strict``: paste sites and AI chat sites, where anything the policy would
redact is blocked instead. A pattern ``example.com`` matches the host and its subdomains;
``*.example.com`` only subdomains; shell wildcards are allowed.

Credential headers (``Authorization``, ``Proxy-Authorization``, ``Cookie``) carry credentials by
design. ``credentials``: destinations trusted with them (the company's own SSO hosts): not read at
all. Elsewhere they are read, and a provider's key sent to that provider's own API (`ISSUER_HOSTS`:
a GitHub token to ``api.github.com``) is its intended use, not a leak.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Literal

__all__ = ["DestinationRules", "DEFAULT_STRICT", "DestinationClass", "ISSUER_HOSTS"]

DestinationClass = Literal["allow", "strict", "default"]


def _policy_strict_hosts() -> tuple[str, ...]:
    """The paste and AI hosts of the packaged default policy: guard's one list of them."""
    from guard.policy import load_policy

    hosts: list[str] = []
    for rule in load_policy(None).destinations:
        if any(change.action == "block" for change in rule.labels.values()):
            hosts.extend(p.removeprefix("*.") for p in rule.match if p not in hosts)
    return tuple(dict.fromkeys(hosts))


#: Paste sites and AI chat assistants: text sent there is published or retained by a third party.
#: Derived from the packaged default policy's destination rules, so the library and the proxies agree.
DEFAULT_STRICT: tuple[str, ...] = _policy_strict_hosts()


#: Hosts of the providers whose credential formats guard knows (``provider`` of `guard.detect.patterns`).
ISSUER_HOSTS: dict[str, tuple[str, ...]] = {
    "github": ("github.com", "githubusercontent.com"),
    "gitlab": ("gitlab.com",),
    "bitbucket": ("bitbucket.org",),
    "atlassian": ("atlassian.net", "atlassian.com"),
    "npm": ("registry.npmjs.org", "npmjs.com"),
    "pypi": ("upload.pypi.org", "pypi.org"),
    "docker_hub": ("docker.io", "hub.docker.com"),
    "aws": ("amazonaws.com", "aws.amazon.com"),
    "google_cloud": ("googleapis.com",),
    "google_oauth": ("googleapis.com", "accounts.google.com"),
    "azure": ("windows.net", "azure.com", "microsoftonline.com"),
    "slack": ("slack.com", "hooks.slack.com"),
    "stripe": ("api.stripe.com",),
    "openai": ("api.openai.com",),
    "anthropic": ("api.anthropic.com",),
    "hugging_face": ("huggingface.co",),
    "digitalocean": ("api.digitalocean.com",),
    "heroku": ("api.heroku.com",),
    "sendgrid": ("api.sendgrid.com",),
    "twilio": ("api.twilio.com",),
    "datadog": ("datadoghq.com", "datadoghq.eu"),
    "sentry": ("sentry.io",),
    "notion": ("api.notion.com",),
    "linear": ("api.linear.app",),
    "shopify": ("myshopify.com",),
    "terraform_cloud": ("app.terraform.io",),
    "postman": ("api.getpostman.com",),
    "okta": ("okta.com",),
}


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
    credentials: tuple[str, ...] = ()
    _compiled: tuple[_Patterns, _Patterns, _Patterns] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # compiled once: every request is classified (a GET's budget is a few milliseconds)
        compiled = (_Patterns(self.allow), _Patterns(self.strict), _Patterns(self.credentials))
        object.__setattr__(self, "_compiled", compiled)

    def trusts_credentials(self, host: str) -> bool:
        """Whether credential headers to ``host`` are not read at all (``credentials`` patterns)."""
        return self._compiled[2].match(host.lower().rstrip("."))

    @staticmethod
    def issued_by(provider: str, host: str) -> bool:
        """Whether ``host`` is the API of ``provider`` (`ISSUER_HOSTS`), where its keys are used."""
        return _issuers(provider).match(host.lower().rstrip("."))

    def classify(self, host: str) -> DestinationClass:
        """Return ``allow``, ``strict`` or ``default`` for a host name."""
        host = host.lower().rstrip(".")
        allow, strict, _ = self._compiled
        if allow.match(host):
            return "allow"
        if strict.match(host):
            return "strict"
        return "default"


@functools.lru_cache(maxsize=64)
def _issuers(provider: str) -> _Patterns:
    return _Patterns(ISSUER_HOSTS.get(provider, ()))
