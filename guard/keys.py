"""Keys of the value hashes in incidents, reports and redaction tokens.

A keyed hash (HMAC-SHA256) lets a security team match the same value across incidents without
storing it. The key must be secret: with a public key, a masked preview plus its hash gives a card
number back in seconds (the preview fixes most digits and the Luhn check the rest). So there is no
default key: each installation generates its own on first start (`load_or_create`) and keeps it in
a file only its user can read, or the operator passes one.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from guard.errors import ConfigError

__all__ = ["MIN_KEY_BYTES", "checked", "load_or_create", "state_dir"]

#: Shortest key accepted from an operator.
MIN_KEY_BYTES = 16


def state_dir() -> Path:
    """Where guard keeps its state on this host: ``$XDG_STATE_HOME/guard`` (``~/.local/state/guard``)."""
    return Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "guard"


def checked(key: bytes, origin: str = "hash key") -> bytes:
    """Return ``key`` if it is long enough to keep hashes from being reversed.

    Raises:
        ConfigError: shorter than `MIN_KEY_BYTES`.
    """
    if len(key) < MIN_KEY_BYTES:
        raise ConfigError(
            f"{origin} is {len(key)} bytes; at least {MIN_KEY_BYTES} random bytes are needed "
            "(leave it unset to generate one per installation)"
        )
    return key


def load_or_create(path: Path) -> bytes:
    """The key kept in ``path`` (hex), generated with 32 random bytes and mode 0600 if missing.

    Raises:
        ConfigError: the file cannot be read or written, is not hex, or holds a short key.
    """
    try:
        if path.exists():
            try:
                key = bytes.fromhex(path.read_text(encoding="ascii").strip())
            except (UnicodeDecodeError, ValueError) as exc:
                raise ConfigError(f"{path}: not a hex key") from exc
            return checked(key, str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(key.hex() + "\n")
        return key
    except FileExistsError:  # another process created it first: use theirs
        return load_or_create(path)
    except OSError as exc:
        raise ConfigError(f"cannot keep the hash key in {path}: {exc.strerror or exc}") from exc
