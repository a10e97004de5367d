"""API-key hashing, constant-time key ring, and the per-key token bucket."""

from __future__ import annotations

import hashlib

import pytest

from serving.api.auth import KeyRing, TokenBucketLimiter, generate_api_key, hash_api_key

KEY = "gk_" + "a" * 40  # gitleaks:allow


def test_hash_format_and_short_keys() -> None:
    digest = hash_api_key(KEY)
    assert digest == "sha256:" + hashlib.sha256(KEY.encode()).hexdigest()
    with pytest.raises(ValueError, match="at least 16"):
        hash_api_key("short")


def test_generated_keys_are_long_and_distinct() -> None:
    keys = {generate_api_key() for _ in range(20)}
    assert len(keys) == 20 and all(len(k) >= 40 for k in keys)


@pytest.mark.parametrize(
    ("presented", "expected"),
    [(KEY, True), (KEY + "x", False), (KEY[:-1], False), ("", False), (None, False), ("\udcff" * 20, False)],
    ids=["match", "longer", "shorter", "empty", "missing", "undecodable"],
)
def test_keyring(presented: str | None, expected: bool) -> None:
    other = generate_api_key()
    ring = KeyRing([hash_api_key(other), hash_api_key(KEY)])
    principal = ring.authenticate(presented)
    assert (principal is not None) is expected
    if principal is not None:
        assert principal.authenticated and principal.key_id == hash_api_key(KEY)[7:19]
        assert KEY not in principal.key_id


def test_empty_keyring_is_falsy() -> None:
    assert not KeyRing([]) and KeyRing([hash_api_key(KEY)])


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_token_bucket_burst_refill_and_retry_after() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(rate=2.0, burst=4, clock=clock)
    assert [limiter.acquire("a") for _ in range(4)] == [0.0] * 4
    wait = limiter.acquire("a")
    assert wait == pytest.approx(0.5)  # one token at 2/s
    assert TokenBucketLimiter.retry_after_header(wait) == "1"
    assert limiter.acquire("b") == 0.0  # buckets are per key
    clock.now += 1.0  # two tokens back
    assert limiter.acquire("a", cost=2) == 0.0
    assert limiter.acquire("a") > 0
    clock.now += 100.0  # refill is capped at the burst
    assert limiter.acquire("a", cost=4) == 0.0 and limiter.acquire("a") > 0


def test_cost_above_burst_needs_a_full_bucket() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(rate=10.0, burst=5, clock=clock)
    assert limiter.acquire("a", cost=6) == 0.0  # charged as 5: a full bucket
    assert limiter.acquire("a", cost=6) == pytest.approx(0.5)
    clock.now += 0.5
    assert limiter.acquire("a", cost=6) == 0.0


def test_zero_rate_disables_limiting() -> None:
    limiter = TokenBucketLimiter(rate=0.0, burst=1, clock=Clock())
    assert all(limiter.acquire("a", cost=100) == 0.0 for _ in range(10))
