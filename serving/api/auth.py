"""API-key authentication and per-key rate limiting.

Keys are never stored: the settings hold ``sha256:<hex>`` digests and a presented key is
hashed and compared against every digest with `hmac.compare_digest`, so the time taken does
not depend on which digest (if any) matched. A key is identified in logs and metrics by a
short prefix of its digest (`Principal.key_id`), never by the key.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = [
    "Principal",
    "KeyRing",
    "TokenBucketLimiter",
    "hash_api_key",
    "generate_api_key",
    "ANONYMOUS",
]


@dataclass(frozen=True, slots=True)
class Principal:
    """Who made a request: ``key_id`` is a digest prefix (or ``anonymous``/``ip:...``)."""

    key_id: str
    authenticated: bool


ANONYMOUS = Principal(key_id="anonymous", authenticated=False)


def hash_api_key(key: str) -> str:
    """Return the ``sha256:<hex>`` digest to put in ``GUARD_API_KEY_HASHES``.

    Raises:
        ValueError: the key is shorter than 16 characters (too easy to guess).
    """
    if len(key) < 16:
        raise ValueError("API keys must be at least 16 characters")
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def generate_api_key() -> str:
    """A new random API key (256 bits, URL-safe)."""
    return "gk_" + secrets.token_urlsafe(32)


class KeyRing:
    """The configured key digests; `authenticate` maps a presented key to a `Principal`."""

    def __init__(self, digests: Sequence[str]) -> None:
        self._digests = [bytes.fromhex(d.removeprefix("sha256:")) for d in digests]
        self._ids = [d.removeprefix("sha256:")[:12] for d in digests]

    def __bool__(self) -> bool:
        return bool(self._digests)

    def authenticate(self, presented: str | None) -> Principal | None:
        """Return the matching principal, or None when the key is missing or unknown."""
        if not presented:
            return None
        candidate = hashlib.sha256(presented.encode("utf-8", "surrogateescape")).digest()
        match: int | None = None
        # Compare against every digest (no early exit) so timing reveals nothing.
        for index, digest in enumerate(self._digests):
            if hmac.compare_digest(candidate, digest):
                match = index
        if match is None:
            return None
        return Principal(key_id=self._ids[match], authenticated=True)


class TokenBucketLimiter:
    """Per-principal token buckets: ``rate`` tokens per second, at most ``burst`` saved up.

    Thread-safe; ``clock`` is injectable for tests. ``rate == 0`` disables limiting.
    """

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._rate = rate
        self._burst = float(burst)
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def acquire(self, key_id: str, cost: int = 1) -> float:
        """Take ``cost`` tokens; return 0.0 on success, else seconds to wait before retrying.

        A cost above the burst size is charged as the burst size (it needs a full bucket), so a
        large batch is slowed down, never refused forever.
        """
        if self._rate <= 0:
            return 0.0
        cost = min(cost, int(self._burst))
        now = self._clock()
        with self._lock:
            tokens, stamp = self._buckets.get(key_id, (self._burst, now))
            tokens = min(self._burst, tokens + (now - stamp) * self._rate)
            if cost <= tokens:
                self._buckets[key_id] = (tokens - cost, now)
                return 0.0
            self._buckets[key_id] = (tokens, now)
            return (cost - tokens) / self._rate

    @staticmethod
    def retry_after_header(wait_s: float) -> str:
        """Seconds for a ``Retry-After`` header (whole seconds, at least 1)."""
        return str(max(1, math.ceil(wait_s)))
