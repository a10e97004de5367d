"""Analysts, their sessions and their allowlist, in the incident store's database.

- **Accounts**: a username, a role (``analyst`` decides about incidents; ``admin`` also allowlists
  value hashes) and a scrypt password hash (salted, n=2^15), or no password for accounts that log
  in through a reverse proxy's authenticated-user header.
- **Sessions** live server-side: the cookie holds a random token, the table only its SHA-256 with
  the user, an expiry and the session's CSRF token. Any console replica on the same database
  accepts the session; logging out deletes it.
- **Allowlist**: an admin's "this value is fine for this destination" is a keyed value hash (the
  incidents' ``hash``) with a destination host or ``*``, who decided it, when and why. The
  inspector drops findings whose hash is allowlisted for the request's host
  (`HashAllowlist`), so the decision takes effect without restarting anything.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from serving.store.schema import allowlist, analysts, sessions
from serving.store.store import IncidentStore

__all__ = ["ROLES", "Accounts", "Analyst", "HashAllowlist", "hash_password", "verify_password"]

ROLES = ("analyst", "admin")
_SCRYPT = {"n": 2**15, "r": 8, "p": 1, "maxmem": 64 * 1024 * 1024}


def hash_password(password: str) -> str:
    """``scrypt$<salt>$<hash>`` (base64) of ``password`` with a random 16-byte salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def verify_password(password: str, stored: str | None) -> bool:
    """Whether ``password`` matches a `hash_password` result (constant-time compare)."""
    if not stored or not stored.startswith("scrypt$"):
        return False
    try:
        _, salt_b64, digest_b64 = stored.split("$")
        salt, digest = base64.b64decode(salt_b64), base64.b64decode(digest_b64)
    except ValueError:
        return False
    computed = hashlib.scrypt(password.encode(), salt=salt, dklen=len(digest), **_SCRYPT)
    return hmac.compare_digest(computed, digest)


@dataclass(frozen=True, slots=True)
class Analyst:
    """A logged-in analyst."""

    username: str
    role: str
    csrf: str = ""

    @property
    def admin(self) -> bool:
        return self.role == "admin"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    """Accounts, sessions and the allowlist on an `IncidentStore`'s engine."""

    def __init__(self, store: IncidentStore, *, session_hours: float = 8.0) -> None:
        self.engine = store.engine
        self.session_ttl = timedelta(hours=session_hours)

    # -- accounts --------------------------------------------------------------------------------

    def add(self, username: str, role: str, password: str | None) -> None:
        """Create or update an account (a None password: header login only).

        Raises:
            ValueError: an unknown role, an empty name, or a password under 12 characters.
        """
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if not username or len(username) > 255 or not username.isprintable():
            raise ValueError("a username is 1 to 255 printable characters")
        if password is not None and len(password) < 12:
            raise ValueError("a password has at least 12 characters")
        stored = hash_password(password) if password else None
        row = {"role": role, "password_hash": stored, "disabled": False}
        with self.engine.begin() as conn:
            done = conn.execute(update(analysts).where(analysts.c.username == username).values(**row))
            if done.rowcount == 0:
                conn.execute(insert(analysts), [{"username": username, "created": datetime.now(UTC), **row}])

    def disable(self, username: str) -> None:
        """Disable an account and end its sessions."""
        with self.engine.begin() as conn:
            conn.execute(update(analysts).where(analysts.c.username == username).values(disabled=True))
            conn.execute(delete(sessions).where(sessions.c.username == username))

    def role_of(self, username: str) -> str | None:
        """The role of an enabled account, None when there is none."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(analysts.c.role).where(analysts.c.username == username, analysts.c.disabled.is_(False))
            ).first()
        return None if row is None else str(row[0])

    def check(self, username: str, password: str) -> bool:
        """Whether the password is right for an enabled account (same cost when the user is unknown)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(analysts.c.password_hash).where(
                    analysts.c.username == username, analysts.c.disabled.is_(False)
                )
            ).first()
        stored = row[0] if row is not None else None
        if stored is None:
            verify_password(password, hash_password("timing equaliser"))
            return False
        return verify_password(password, stored)

    # -- sessions --------------------------------------------------------------------------------

    def open_session(self, username: str) -> str:
        """A new session for ``username``; returns the cookie token."""
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.expires < datetime.now(UTC)))
            conn.execute(
                insert(sessions),
                [{"token_hash": _token_hash(token), "username": username, "csrf": secrets.token_urlsafe(24),
                  "expires": datetime.now(UTC) + self.session_ttl}],
            )  # fmt: skip
        return token

    def session(self, token: str | None) -> Analyst | None:
        """The analyst of a live session (enabled account), None otherwise."""
        if not token:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(
                select(sessions.c.username, sessions.c.csrf, sessions.c.expires, analysts.c.role)
                .join(analysts, analysts.c.username == sessions.c.username)
                .where(sessions.c.token_hash == _token_hash(token), analysts.c.disabled.is_(False))
            ).first()
        if row is None:
            return None
        expires = row.expires if row.expires.tzinfo else row.expires.replace(tzinfo=UTC)
        if expires < datetime.now(UTC):
            return None
        return Analyst(row.username, row.role, row.csrf)

    def close_session(self, token: str | None) -> None:
        if token:
            with self.engine.begin() as conn:
                conn.execute(delete(sessions).where(sessions.c.token_hash == _token_hash(token)))

    # -- allowlist -------------------------------------------------------------------------------

    def allow(
        self, value_hash: str, destination: str, analyst: str, reason: str | None, incident_id: str | None
    ) -> None:
        """Allowlist a keyed value hash for a destination host (``*``: everywhere)."""
        if not value_hash or not destination:
            raise ValueError("a hash and a destination are required")
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(allowlist),
                    [{"hash": value_hash, "destination": destination.lower(), "analyst": analyst,
                      "time": datetime.now(UTC), "reason": reason, "incident_id": incident_id}],
                )  # fmt: skip
        except IntegrityError as exc:  # pragma: no cover - no unique constraint today
            raise ValueError("cannot allowlist") from exc

    def allowlisted(self) -> list[dict[str, Any]]:
        """Every allowlist entry, newest first (the console's list; no value, only hashes)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(allowlist).order_by(allowlist.c.id.desc())).mappings()
            return [dict(r) for r in rows]

    def hashes_for(self, host: str) -> frozenset[str]:
        """Hashes allowlisted for ``host`` or for every destination."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(allowlist.c.hash).where(allowlist.c.destination.in_([host.lower(), "*"]))
            ).all()
        return frozenset(r[0] for r in rows)


class HashAllowlist:
    """The inspector's view of the allowlist: hashes per host, re-read at most every ``ttl_s``.

    A store that cannot be read keeps the last answer (enforcement never waits for the console's
    database; the inspector's fail mode is not involved because an allowlist only removes findings).
    """

    def __init__(self, lookup: Callable[[str], frozenset[str]], ttl_s: float = 5.0) -> None:
        self._lookup = lookup
        self._ttl = ttl_s
        self._cache: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def __call__(self, host: str) -> frozenset[str]:
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(host)
        if hit is not None and now - hit[0] < self._ttl:
            return hit[1]
        try:
            hashes = self._lookup(host)
        except Exception:  # noqa: BLE001 - an unreadable store must not stop enforcement
            return hit[1] if hit is not None else frozenset()
        with self._lock:
            self._cache[host] = (now, hashes)
        return hashes
