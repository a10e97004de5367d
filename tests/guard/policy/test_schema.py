"""Policy loading: the default is the taxonomy; each mistake is a ConfigError naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from guard.errors import ConfigError
from guard.findings import LABELS
from guard.policy import DEFAULT_ACTIONS, Policy, load_policy

BLOCKING = {
    "SECRET",
    "CREDIT_CARD",
    "BANK_ACCOUNT",
    "NATIONAL_ID",
    "INTERNAL_HOST",
    "CODENAME",
    "CUSTOMER",
    "FINANCIAL",
}


def test_default_policy_is_the_taxonomy() -> None:
    policy = load_policy()
    for label in LABELS:
        expected = "block" if label in BLOCKING else "redact"
        assert policy.rule(label).action == expected == DEFAULT_ACTIONS[label]
    assert policy.fail_mode == "closed"
    assert Policy().labels == policy.labels


def test_default_is_stricter_for_ai_chat() -> None:
    policy = load_policy()
    assert policy.rule("PERSON", "https://chatgpt.com/c/1").action == "block"
    assert policy.rule("PERSON", "api.openai.com:443").action == "block"
    assert policy.rule("PERSON", "intranet.example.org").action == "redact"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("labels: {PASSWORD: {action: block}}\n", "labels: unknown label 'PASSWORD'"),
        (
            "labels: {SECRET: {action: shred}}\n",
            "labels.SECRET.action: Input should be 'allow', 'redact', 'block' or 'alert'",
        ),
        (
            "labels: {SECRET: {action: block, threshold: 1.5}}\n",
            "labels.SECRET.threshold: Input should be less than or equal to 1",
        ),
        (
            "labels: {SECRET: {action: block, treshold: 0.5}}\n",
            "labels.SECRET.treshold: Extra inputs are not permitted",
        ),
        ("fail_mode: maybe\n", "fail_mode: Input should be 'closed' or 'open'"),
        ("colour: red\n", "colour: Extra inputs are not permitted"),
        ("allowlist: {regexes: ['(']}\n", "allowlist.regexes[0]: invalid regex"),
        ("allowlist: {regexes: ['(a)\\1']}\n", "rewrite it without backreferences or lookaround"),
        ("allowlist: {value_hashes: [abc]}\n", "allowlist.value_hashes[0]"),
        ("destinations: [{match: [], labels: {}}]\n", "destinations[0].match"),
        (
            "destinations: [{match: [a.com], labels: {FOO: {action: block}}}]\n",
            "destinations[0].labels: unknown label 'FOO'",
        ),
        ("redaction: {operator: shred}\n", "redaction.operator"),
        ("version: 2\n", "version"),
        ("labels: [\n", "invalid YAML at line"),
        ("- a\n", "must be a mapping"),
        ("", "policy file is empty"),
    ],
)
def test_bad_policy(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(ConfigError) as err:
        load_policy(path)
    assert str(err.value).startswith(f"{path}: ")
    assert message in str(err.value)


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_policy(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match="directory"):
        load_policy(tmp_path)


def test_partial_policy_keeps_defaults_and_resolves_key_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "labels: {PERSON: {action: allow, threshold: 0.9}}\nredaction: {operator: hash, key_file: k.key}\n",
    )
    policy = load_policy(path)
    assert policy.rule("PERSON").action == "allow" and policy.rule("PERSON").threshold == 0.9
    assert policy.rule("SECRET").action == "block"
    assert policy.redaction.key_file == tmp_path / "k.key"


def test_allowlists(tmp_path: Path) -> None:
    import hashlib

    digest = hashlib.sha256(b"ops@acme.de").hexdigest()
    path = write(
        tmp_path,
        f"allowlist: {{values: [noreply@acme.de], value_hashes: ['{digest}'], regexes: ['(?i)^test-\\d+$'],"
        " destinations: ['*.acme.internal']}\n",
    )
    policy = load_policy(path)
    assert policy.value_allowed("noreply@acme.de") and policy.value_allowed("ops@acme.de")
    assert policy.value_allowed("TEST-42") and not policy.value_allowed("test-42x")
    assert not policy.value_allowed("jane@acme.de")
    assert policy.destination_allowed("https://wiki.acme.internal/page")
    assert policy.destination_allowed("acme.internal") and not policy.destination_allowed(
        "acme.internal.evil.com"
    )
    assert not policy.destination_allowed(None)


def test_policy_is_frozen() -> None:
    with pytest.raises(ValueError):
        Policy().fail_mode = "open"  # type: ignore[misc]


def test_a_policy_that_only_adds_an_allowlist_keeps_the_default_rules(tmp_path: Path) -> None:
    # issue 20: such a policy used to replace the default and drop its strict AI-chat destinations
    policy = load_policy(write(tmp_path, "allowlist: {values: [support@acme.de]}\n"))
    assert policy.value_allowed("support@acme.de")
    assert policy.rule("EMAIL", "https://chatgpt.com/").action == "block"
    assert policy.rule("EMAIL", "intranet.example.org").action == "redact"


def test_extending_merges_labels_allowlists_and_destinations(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(
        "labels: {PERSON: {action: allow}}\n"
        "allowlist: {values: [a@acme.de], destinations: ['*.acme.internal']}\n"
        "redaction: {operator: hash, key_file: keys/base.key}\n",
        encoding="utf-8",
    )
    sub = tmp_path / "team"
    sub.mkdir()
    path = sub / "policy.yaml"
    path.write_text(
        "extends: ../base.yaml\n"
        "labels: {FINANCIAL: {action: redact, threshold: 0.8}}\n"
        "allowlist: {values: [b@acme.de]}\n"
        "destinations: [{match: [chatgpt.com], labels: {PERSON: {action: redact}}}]\n",
        encoding="utf-8",
    )
    policy = load_policy(path)
    assert policy.rule("PERSON").action == "allow"  # from base.yaml
    assert policy.rule("FINANCIAL").action == "redact" and policy.rule("FINANCIAL").threshold == 0.8
    assert policy.rule("SECRET").action == "block"  # from the packaged default under base.yaml
    assert policy.value_allowed("a@acme.de") and policy.value_allowed("b@acme.de")
    assert policy.destination_allowed("wiki.acme.internal")
    assert policy.rule("PERSON", "chatgpt.com").action == "redact"  # this file's rule comes first
    assert policy.rule("EMAIL", "chatgpt.com").action == "redact"  # the first matching rule wins
    assert policy.rule("EMAIL", "claude.ai").action == "block"  # the default's rule still applies
    assert policy.redaction.key_file == tmp_path / "keys" / "base.key"  # relative to base.yaml


def test_extends_none_stands_alone(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, "extends: none\nallowlist: {values: [x@acme.de]}\n"))
    assert policy.rule("EMAIL", "https://chatgpt.com/").action == "redact"
    assert policy.destinations == ()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("extends: missing.yaml\n", "extends missing.yaml: "),
        ("extends: policy.yaml\n", "extends: circular"),
        ("extends: [default]\n", "extends: expected 'default', 'none' or a policy file path"),
    ],
)
def test_bad_extends(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        load_policy(write(tmp_path, body))
