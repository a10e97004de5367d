"""Hash keys: generated per installation, private, never a public default."""

from __future__ import annotations

from pathlib import Path

import pytest

from guard import keys
from guard.errors import ConfigError


def test_a_key_is_created_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "state" / "hash.key"
    key = keys.load_or_create(path)
    assert len(key) == 32 and path.stat().st_mode & 0o777 == 0o600
    assert keys.load_or_create(path) == key
    assert keys.load_or_create(tmp_path / "other.key") != key


@pytest.mark.parametrize(("content", "message"), [("not hex", "not a hex key"), ("abcd", "at least 16")])
def test_a_bad_key_file_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "hash.key"
    path.write_text(content)
    with pytest.raises(ConfigError, match=message):
        keys.load_or_create(path)


def test_short_operator_keys_are_refused() -> None:
    with pytest.raises(ConfigError, match="at least 16"):
        keys.checked(b"guard-incidents")
    assert keys.checked(b"x" * 16) == b"x" * 16
