"""Building an inspector from flat settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from guard.errors import ConfigError, ModelError
from serving.inspect.factory import InspectorSettings, build_inspector
from serving.inspect.scanner import LocalScanner, RemoteScanner


def test_local_inspector_takes_fail_mode_from_policy(proxy_model_dir: Path, tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("version: 1\nfail_mode: open\n")
    insp = build_inspector(
        InspectorSettings(model=str(proxy_model_dir), policy=str(policy), incidents=str(tmp_path / "i"))
    )
    assert isinstance(insp.scanner, LocalScanner) and insp.config.fail_mode == "open"
    assert insp.incidents is not None
    explicit = build_inspector(
        InspectorSettings(model=str(proxy_model_dir), policy=str(policy), fail_mode="closed")
    )
    assert explicit.config.fail_mode == "closed"


def test_remote_inspector_defaults_to_closed() -> None:
    insp = build_inspector(InspectorSettings(server="http://127.0.0.1:9", allow=("corp.internal",)))
    assert isinstance(insp.scanner, RemoteScanner) and insp.config.fail_mode == "closed"
    assert insp.config.destinations.classify("a.corp.internal") == "allow"


@pytest.mark.parametrize(
    "settings",
    [
        InspectorSettings(server="ftp://x"),
        InspectorSettings(server="http://x", max_body=0),
        InspectorSettings(server="http://x", server_timeout=0),
        InspectorSettings(server="http://x", fail_mode="maybe"),  # type: ignore[arg-type]
    ],
)
def test_bad_settings_are_config_errors(settings: InspectorSettings) -> None:
    with pytest.raises(ConfigError):
        build_inspector(settings)


def test_missing_model_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError):
        build_inspector(InspectorSettings(model=str(tmp_path / "nothing")))


def test_the_incident_hash_key_is_generated_per_installation(tmp_path: Path) -> None:
    incidents = tmp_path / "log" / "incidents.jsonl"
    first = build_inspector(InspectorSettings(server="http://127.0.0.1:9", incidents=str(incidents)))
    key_file = incidents.with_name("incident-hash.key")
    assert key_file.stat().st_mode & 0o777 == 0o600
    again = build_inspector(InspectorSettings(server="http://127.0.0.1:9", incidents=str(incidents)))
    assert first.config.hash_key == again.config.hash_key == bytes.fromhex(key_file.read_text())
    other = build_inspector(
        InspectorSettings(server="http://127.0.0.1:9", incidents=str(tmp_path / "b.jsonl"))
    )
    assert other.config.hash_key != first.config.hash_key
    # the old public default is refused, not used
    with pytest.raises(ConfigError, match="at least 16"):
        build_inspector(InspectorSettings(server="http://127.0.0.1:9", hash_key="guard-incidents"))
