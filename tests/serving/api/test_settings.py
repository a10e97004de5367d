"""Server settings: env parsing, insecure defaults refused, errors that never echo key material."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from guard.errors import ConfigError
from serving.api import ServeSettings, hash_api_key, load_settings

RAW_KEY = "gk_" + "Z" * 40  # gitleaks:allow


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith("GUARD_") and name != "GUARD_TEST_HEAVY":
            monkeypatch.delenv(name)
    yield


def test_defaults_are_loopback_and_batched() -> None:
    settings = ServeSettings()
    assert settings.host == "127.0.0.1" and settings.batching and not settings.auth_enabled
    assert settings.cascade


def test_env_with_comma_separated_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = hash_api_key(RAW_KEY), hash_api_key(RAW_KEY + "2")
    monkeypatch.setenv("GUARD_API_KEY_HASHES", f"{first}, {second}")
    monkeypatch.setenv("GUARD_DOMAINS", "/etc/a.yaml,/etc/b.yaml")
    monkeypatch.setenv("GUARD_BATCHING", "false")
    monkeypatch.setenv("GUARD_CASCADE", "false")
    monkeypatch.setenv("GUARD_HOST", "0.0.0.0")
    settings = load_settings()
    assert settings.cascade is False
    assert settings.api_key_hashes == [first, second] and settings.auth_enabled
    assert [str(p) for p in settings.domains] == ["/etc/a.yaml", "/etc/b.yaml"]
    assert settings.batching is False


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.1.2.3", "guard.internal"])
def test_public_bind_without_auth_is_refused(host: str) -> None:
    with pytest.raises(ConfigError, match="refusing to bind"):
        load_settings(host=host)
    assert load_settings(host=host, allow_unauthenticated=True).host == host
    assert load_settings(host=host, api_key_hashes=[hash_api_key(RAW_KEY)]).auth_enabled


def test_mtls_counts_as_authentication(tmp_path: object) -> None:
    settings = load_settings(
        host="0.0.0.0", tls_certfile="c.pem", tls_keyfile="k.pem", tls_client_ca="ca.pem"
    )
    assert settings.tls_client_ca is not None
    with pytest.raises(ConfigError, match="tls_client_ca"):
        load_settings(tls_client_ca="ca.pem")
    with pytest.raises(ConfigError, match="set together"):
        load_settings(tls_certfile="c.pem")


def test_raw_key_instead_of_hash_is_refused_without_echo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUARD_API_KEY_HASHES", RAW_KEY)
    with pytest.raises(ConfigError) as excinfo:
        load_settings()
    assert "api_key_hashes[0]" in str(excinfo.value)
    assert RAW_KEY not in str(excinfo.value) and RAW_KEY not in repr(excinfo.value)
    assert excinfo.value.__cause__ is None and excinfo.value.__suppress_context__


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"max_batch_texts": 10, "max_queue": 5}, "max_batch_texts"),
        ({"port": 70000}, "port"),
        ({"provider": "tpu"}, "provider"),
        ({"max_body_bytes": 10}, "max_body_bytes"),
        ({"unknown_option": 1}, "unknown_option"),
    ],
)
def test_invalid_values(overrides: dict[str, object], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        load_settings(**overrides)


def test_settings_are_frozen() -> None:
    settings = ServeSettings()
    with pytest.raises(Exception, match="frozen"):
        settings.port = 1  # type: ignore[misc]
