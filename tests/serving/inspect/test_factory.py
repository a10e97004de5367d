"""Building an inspector from flat settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from guard.errors import ConfigError, ModelError
from serving.inspect.factory import ProxySettings, build_inspector
from serving.inspect.scanner import LocalScanner, RemoteScanner


def test_local_inspector_takes_fail_mode_from_policy(proxy_model_dir: Path, tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("version: 1\nfail_mode: open\n")
    insp = build_inspector(
        ProxySettings(model=str(proxy_model_dir), policy=str(policy), incidents=str(tmp_path / "i"))
    )
    assert isinstance(insp.scanner, LocalScanner) and insp.config.fail_mode == "open"
    assert insp.incidents is not None
    explicit = build_inspector(
        ProxySettings(model=str(proxy_model_dir), policy=str(policy), fail_mode="closed")
    )
    assert explicit.config.fail_mode == "closed"


def test_remote_inspector_defaults_to_closed() -> None:
    insp = build_inspector(ProxySettings(server="http://127.0.0.1:9", allow=["corp.internal"], incidents=""))
    assert isinstance(insp.scanner, RemoteScanner) and insp.config.fail_mode == "closed"
    assert insp.config.destinations.classify("a.corp.internal") == "allow"


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"server": "ftp://x"}, "server"),
        ({"max_body": 0}, "max_body"),
        ({"server_timeout": 0}, "server_timeout"),
        ({"deadline": -1}, "deadline"),
        ({"fail_mode": "maybe"}, "fail_mode"),
        ({"metrics_port": 70000}, "metrics_port"),
        ({"max_bodies": 1}, "max_bodies"),
    ],
)
def test_bad_settings_are_config_errors_that_name_the_setting(values: dict[str, object], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        ProxySettings.resolve(values)


def test_missing_model_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError):
        build_inspector(ProxySettings(model=str(tmp_path / "nothing")))


def test_the_incident_hash_key_is_generated_per_installation(tmp_path: Path) -> None:
    incidents = tmp_path / "log" / "incidents.jsonl"
    first = build_inspector(ProxySettings(server="http://127.0.0.1:9", incidents=str(incidents)))
    key_file = incidents.with_name("incident-hash.key")
    assert key_file.stat().st_mode & 0o777 == 0o600
    again = build_inspector(ProxySettings(server="http://127.0.0.1:9", incidents=str(incidents)))
    assert first.config.hash_key == again.config.hash_key == bytes.fromhex(key_file.read_text())
    other = build_inspector(ProxySettings(server="http://127.0.0.1:9", incidents=str(tmp_path / "b.jsonl")))
    assert other.config.hash_key != first.config.hash_key
    # the old public default is refused, not used
    with pytest.raises(ConfigError, match="at least 16"):
        build_inspector(ProxySettings.resolve(server="http://127.0.0.1:9", hash_key="guard-incidents"))
