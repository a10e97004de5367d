"""Neutral identifiers: versions, order numbers, ticket keys, hashes, UUIDs (never sensitive)."""

# Value tables: one format per line reads better than wrapped strings.
# ruff: noqa: E501

from __future__ import annotations

import random
import string

__all__ = [
    "alnum",
    "hex_id",
    "object_id",
    "order_number",
    "pod_name",
    "slug_id",
    "ticket_key",
    "uuid4",
    "version",
]


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


_SLUG_WORDS = ("offsite", "build", "deploy", "release", "sprint", "retro", "standup", "review", "launch",
               "planning", "onboarding", "hotfix", "meetup", "workshop", "thread", "run", "job", "batch")  # fmt: skip


def slug_id(rng: random.Random) -> str:
    """A word-and-number identifier (``offsite-10018``, ``sprint_42``, ``build-7731``)."""
    word = rng.choice(_SLUG_WORDS)
    return f"{word}{rng.choice(['-', '_', '-', ''])}{rng.randint(1, 99999)}"


def pod_name(rng: random.Random) -> str:
    """A Kubernetes pod name (``api-7d9f8b6c4-x2k9p``)."""
    app = rng.choice(["api", "web", "worker", "billing", "auth", "frontend", "scheduler", "ingest"])
    chars = "bcdfghjklmnpqrstvwxz2456789"  # Kubernetes' safe alphabet for generated names
    rs = "".join(rng.choice(chars) for _ in range(rng.choice([8, 9, 10])))
    return f"{app}-{rs}-{''.join(rng.choice(chars) for _ in range(5))}"


def object_id(rng: random.Random) -> str:
    """A public API object id that grants nothing: Stripe ``evt_``/``ch_``/``pi_``, Slack channel ids, Sentry ids."""
    body = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(rng.choice([14, 24])))
    return rng.choice([
        f"{rng.choice(['evt', 'ch', 'pi', 'cus', 'sub', 'in', 'pm', 'prod', 'price', 'txn', 'po'])}_{body}",
        f"C0{alnum(rng, 9)}", f"U0{alnum(rng, 9)}", hex_id(rng, 32), f"req_{body}",
        f"sha256:{hex_id(rng, 64)}", f"i-0{hex_id(rng, 16)}", f"sg-0{hex_id(rng, 16)}",
    ])  # fmt: skip
