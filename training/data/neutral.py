"""Neutral identifiers: versions, order numbers, ticket keys, hashes, UUIDs (never sensitive)."""

# Value tables: one format per line reads better than wrapped strings.
# ruff: noqa: E501

from __future__ import annotations

import random
import string

__all__ = ["alnum", "hex_id", "order_number", "ticket_key", "uuid4", "version"]


def version(rng: random.Random) -> str:
    """A version string (``v2.14.3``, ``1.0.0-rc.1``)."""
    v = f"{rng.randint(0, 12)}.{rng.randint(0, 30)}.{rng.randint(0, 40)}"
    return rng.choice([v, "v" + v, v + "-rc." + str(rng.randint(1, 4)), v + "-beta"])


def order_number(rng: random.Random) -> str:
    """An order / invoice / case number (not sensitive)."""
    return rng.choice([f"#{rng.randint(10000, 9999999)}", f"ORD-{rng.randint(100000, 999999)}",
                       f"INV-{rng.randint(2020, 2026)}-{rng.randint(1000, 99999)}", f"{rng.randint(10**9, 10**10 - 1)}",
                       f"A{rng.randint(10**6, 10**7)}", f"RMA{rng.randint(10000, 99999)}"])  # fmt: skip


def ticket_key(rng: random.Random) -> str:
    """An issue tracker key (``OPS-1234``, ``#4821``)."""
    return rng.choice([f"{rng.choice(['OPS', 'INFRA', 'SEC', 'DEV', 'BUG', 'HR', 'FIN', 'CORE'])}-{rng.randint(10, 9999)}",
                       f"#{rng.randint(10, 30000)}"])  # fmt: skip


def hex_id(rng: random.Random, n: int) -> str:
    """A lowercase hex string of length ``n`` (git SHA, sha256 digest)."""
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def uuid4(rng: random.Random) -> str:
    """A random UUID-shaped string."""
    h = hex_id(rng, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{rng.choice('89ab')}{h[17:20]}-{h[20:]}"


def alnum(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(n))
