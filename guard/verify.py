"""Opt-in live verification of found credentials: is this key valid right now?

``guard scan --verify`` and ``guard audit --verify`` ask the provider of each SECRET finding whose
format names one, with a harmless read-only call (GitHub ``GET /user``, Slack ``auth.test``, Stripe
``GET /v1/balance``, AWS STS ``GetCallerIdentity``...), and report per finding:

- ``verified``: the provider accepted the credential (a live secret: rotate it now);
- ``invalid``: the provider rejected it (revoked, expired, or never real);
- ``unknown``: no check exists for the provider, the call timed out or failed, the provider
  answered something else (rate limit, 403, 5xx), or the run's budget of checks is spent.

An AWS access key is checked only as a pair: the access key id with the secret access key found in
the same text (the nearest one), signed with Signature Version 4 (`sigv4_authorization`); a key id
alone, or a temporary ``ASIA`` key (it needs its session token too), stays ``unknown``.

Off by default, and never in the proxy path: verification sends the credential to its own
provider, which only the person running an audit decides. Calls go only to the provider's API
(or to an endpoint given for that provider, e.g. a GitHub Enterprise or self-managed GitLab host);
HTTPS unless the endpoint is on the loopback interface. Each provider is called at most
``rate_per_s`` times per second, each call has ``timeout_s``, a run makes at most ``max_checks``
calls, and a value is checked once per run (results are cached by a hash of the value). Nothing is
logged but the provider and the status; the value never leaves this module except in the request
to its provider.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl, quote, urlsplit

__all__ = ["CHECKS", "Check", "Status", "Verifier", "aws_pair", "parse_endpoints", "sigv4_authorization"]

log = logging.getLogger(__name__)

Status = Literal["verified", "invalid", "unknown"]


@dataclass(frozen=True, slots=True)
class Check:
    """A read-only call that succeeds only with a valid credential."""

    base: str
    path: str
    auth: Literal["bearer", "token", "basic_user", "header", "aws_sigv4"]
    method: Literal["GET", "POST"] = "GET"
    header: str = "Authorization"
    extra_headers: Mapping[str, str] = field(default_factory=dict)
    #: a JSON body field that must be true for success (Slack answers 200 with {"ok": false})
    ok_field: str | None = None
    #: values of the JSON ``error`` field that mean the credential is rejected
    rejected_errors: frozenset[str] = frozenset()
    #: error ``<Code>`` values of a 403 answer that mean the credential is rejected (AWS)
    rejected_codes: frozenset[str] = frozenset()


#: Provider (the pattern table's ``provider``) → its check. Documented read-only endpoints.
CHECKS: Mapping[str, Check] = {
    "github": Check("https://api.github.com", "/user", "token"),
    "gitlab": Check("https://gitlab.com", "/api/v4/user", "header", header="PRIVATE-TOKEN"),
    "slack": Check(
        "https://slack.com",
        "/api/auth.test",
        "bearer",
        method="POST",
        ok_field="ok",
        rejected_errors=frozenset(
            {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"}
        ),
    ),  # fmt: skip
    "stripe": Check("https://api.stripe.com", "/v1/balance", "basic_user"),
    "openai": Check("https://api.openai.com", "/v1/models", "bearer"),
    "anthropic": Check(
        "https://api.anthropic.com",
        "/v1/models",
        "header",
        header="x-api-key",
        extra_headers={"anthropic-version": "2023-06-01"},
    ),  # fmt: skip
    "groq": Check("https://api.groq.com", "/openai/v1/models", "bearer"),
    "hugging_face": Check("https://huggingface.co", "/api/whoami-v2", "bearer"),
    "npm": Check("https://registry.npmjs.org", "/-/whoami", "bearer"),
    "sendgrid": Check("https://api.sendgrid.com", "/v3/scopes", "bearer"),
    "digitalocean": Check("https://api.digitalocean.com", "/v2/account", "bearer"),
    "aws": Check(
        "https://sts.amazonaws.com",
        "/?Action=GetCallerIdentity&Version=2011-06-15",
        "aws_sigv4",
        rejected_codes=frozenset({"InvalidClientTokenId", "SignatureDoesNotMatch"}),
    ),  # fmt: skip
}

_AWS_KEY_ID = re.compile(r"(?<![A-Z0-9])(?:AKIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Z0-9])")
_AWS_SECRET = re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")


def aws_pair(value: str, context: str) -> tuple[str, str] | None:
    """``(access key id, secret access key)`` for an AWS finding: ``value`` is one of the two, the
    other is the nearest of its kind in ``context`` (the text the finding was in); None without one."""
    at = max(0, context.find(value))
    if _AWS_KEY_ID.fullmatch(value):
        others = [m for m in _AWS_SECRET.finditer(context) if any(c.islower() for c in m.group())]
        pick = min(others, key=lambda m: abs(m.start() - at), default=None)
        return None if pick is None else (value, pick.group())
    if _AWS_SECRET.fullmatch(value):
        ids = list(_AWS_KEY_ID.finditer(context))
        pick = min(ids, key=lambda m: abs(m.start() - at), default=None)
        return None if pick is None else (pick.group(), value)
    return None


def sigv4_authorization(
    method: str, url: str, headers: Mapping[str, str], key_id: str, secret: str, *,
    region: str, service: str, amz_date: str, payload: bytes = b"",
) -> str:  # fmt: skip
    """The AWS Signature Version 4 ``Authorization`` header of a request.

    ``headers`` are the headers sent besides ``Host`` and ``X-Amz-Date`` (both signed here; the
    caller sends ``X-Amz-Date: amz_date``). Written here rather than taken from botocore, whose
    pins (python-dateutil < 3) conflict with this project's constraints; the published example of
    the AWS documentation is its test.
    """
    parts = urlsplit(url)
    signed_headers = {k.lower(): " ".join(v.split()) for k, v in headers.items()}
    signed_headers |= {"host": parts.netloc, "x-amz-date": amz_date}
    names = sorted(signed_headers)
    query = "&".join(sorted(
        f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in parse_qsl(parts.query, True)
    ))  # fmt: skip
    canonical = "\n".join([
        method, quote(parts.path or "/", safe="/-_.~"), query,
        "".join(f"{k}:{signed_headers[k]}\n" for k in names), ";".join(names),
        hashlib.sha256(payload).hexdigest(),
    ])  # fmt: skip
    scope = f"{amz_date[:8]}/{region}/{service}/aws4_request"
    to_sign = f"AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    key = f"AWS4{secret}".encode()
    for part in (amz_date[:8], region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    credential = f"Credential={key_id}/{scope}"
    return f"AWS4-HMAC-SHA256 {credential}, SignedHeaders={';'.join(names)}, Signature={signature}"


def parse_endpoints(items: list[str] | None) -> dict[str, str]:
    """``PROVIDER=URL`` items (``--verify-endpoint``) as a mapping.

    Raises:
        ValueError: an item without ``=``, an unknown provider, or a URL that is not http(s).
    """
    out: dict[str, str] = {}
    for item in items or []:
        provider, sep, url = item.partition("=")
        if not sep or not provider or not url:
            raise ValueError(f"--verify-endpoint {item!r}: expected PROVIDER=URL")
        if provider not in CHECKS:
            raise ValueError(
                f"--verify-endpoint: no check for provider {provider!r} (known: {', '.join(CHECKS)})"
            )
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
            raise ValueError(f"--verify-endpoint {provider}: {url!r} is not an http(s) URL")
        out[provider] = url.rstrip("/")
    return out


class Verifier:
    """Checks credentials with their providers; thread-safe, rate-limited, bounded, cached."""

    def __init__(
        self,
        endpoints: Mapping[str, str] | None = None,
        *,
        timeout_s: float = 5.0,
        rate_per_s: float = 2.0,
        max_checks: int = 200,
    ) -> None:
        if timeout_s <= 0 or rate_per_s <= 0 or max_checks < 0:
            raise ValueError("timeout_s and rate_per_s must be positive, max_checks not negative")
        self._endpoints = dict(endpoints or {})
        for provider, url in self._endpoints.items():
            if provider not in CHECKS:
                raise ValueError(f"no check for provider {provider!r}")
            parts = urlsplit(url)
            if parts.scheme != "https" and parts.hostname not in ("127.0.0.1", "::1", "localhost"):
                raise ValueError(f"{provider}: an endpoint off this machine must use https, not {url!r}")
        self.timeout_s = timeout_s
        self._interval = 1.0 / rate_per_s
        self._budget = max_checks
        self._lock = threading.Lock()
        self._next_call: dict[str, float] = {}
        self._cache: dict[str, Status] = {}
        #: calls made per provider (for reports and tests)
        self.calls: dict[str, int] = {}
        self._formats: Any = None

    @staticmethod
    def supports(provider: str | None) -> bool:
        """Whether a check exists for ``provider``."""
        return provider in CHECKS

    def verify(self, provider: str | None, value: str, context: str = "") -> Status:
        """The status of ``value`` as a credential of ``provider`` (see the module docstring).

        A finding whose detector named no checkable provider (a generic ``TOKEN=…`` assignment
        that holds a GitHub token) is checked with the provider whose format the value has.
        ``context`` is the text the finding was in: an AWS key is checked with its other half from it.
        """
        if provider not in CHECKS:
            provider = self._provider_of(value)
        if provider is None or not value:
            return "unknown"
        if CHECKS[provider].auth == "aws_sigv4":
            pair = aws_pair(value, context or value)
            if pair is None:
                return "unknown"
            value = "\0".join(pair)
        key = hashlib.sha256(f"{provider}\0{value}".encode()).hexdigest()
        with self._lock:
            if key in self._cache:
                return self._cache[key]
            if self._budget <= 0:
                return "unknown"
            self._budget -= 1
            now = time.monotonic()
            at = max(now, self._next_call.get(provider, now))
            self._next_call[provider] = at + self._interval
        if at > now:
            time.sleep(at - now)
        status = self._call(provider, CHECKS[provider], value)
        with self._lock:
            self._cache[key] = status
            self.calls[provider] = self.calls.get(provider, 0) + 1
        log.info("verified a %s credential: %s", provider, status)
        return status

    def _provider_of(self, value: str) -> str | None:
        """The checkable provider whose format covers all of ``value`` (pattern table), if any."""
        with self._lock:
            if self._formats is None:
                from guard.detect.patterns import PatternDetector, default_patterns

                table = default_patterns()
                names = [p.name for p in table.patterns if p.provider in CHECKS]
                self._formats = PatternDetector(table, only=names)
        for f in self._formats.detect(value):
            if f.start == 0 and f.end == len(value):
                return str(f.metadata["provider"])
        return None

    def _call(self, provider: str, check: Check, value: str) -> Status:
        base = self._endpoints.get(provider, check.base)
        headers = {"User-Agent": "guard-verify", "Accept": "application/json", **check.extra_headers}
        if check.auth == "bearer":
            headers[check.header] = f"Bearer {value}"
        elif check.auth == "token":
            headers[check.header] = f"token {value}"
        elif check.auth == "basic_user":
            headers[check.header] = "Basic " + base64.b64encode(f"{value}:".encode()).decode()
        elif check.auth == "aws_sigv4":
            key_id, secret = value.split("\0")
            amz_date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
            headers["X-Amz-Date"] = amz_date
            headers[check.header] = sigv4_authorization(
                check.method, base + check.path, {}, key_id, secret,
                region="us-east-1", service="sts", amz_date=amz_date,
            )  # fmt: skip
        else:
            headers[check.header] = value
        request = urllib.request.Request(
            base + check.path,
            method=check.method,
            headers=headers,
            data=b"" if check.method == "POST" else None,
        )
        try:
            with _OPENER.open(request, timeout=self.timeout_s) as response:
                status, body = response.status, response.read(65536)
        except urllib.error.HTTPError as exc:
            status, body = exc.code, exc.read(65536)
        except (OSError, ValueError):  # timeouts, refused connections, TLS errors, bad URLs
            return "unknown"
        if status == 401:
            return "invalid"
        if status == 403 and check.rejected_codes:
            code = re.search(rb"<Code>([A-Za-z]+)</Code>", body or b"")
            return "invalid" if code and code.group(1).decode() in check.rejected_codes else "unknown"
        if status != 200:
            return "unknown"
        if check.ok_field is None:
            return "verified"
        try:
            doc = json.loads(body)
        except ValueError:
            return "unknown"
        if not isinstance(doc, dict):
            return "unknown"
        if doc.get(check.ok_field) is True:
            return "verified"
        return "invalid" if doc.get("error") in check.rejected_errors else "unknown"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A credential is sent to its provider only: a redirect elsewhere is not followed."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


#: Proxies come from the environment (``https_proxy``, ``no_proxy``) as for any client.
_OPENER = urllib.request.build_opener(_NoRedirect)
