"""The Guard facade on a real ONNX model (guard_model_dir): verdicts, JSON shape, input checks, threads.

The test model may be the tiny random one: assertions on the model's own findings are structural;
known answers come from the deterministic detectors.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import Counter
from pathlib import Path

import pytest

from guard import Guard, InputError, ModelError
from guard.api import ScanResult, check_text
from guard.errors import ConfigError
from guard.findings import LABELS

AWS = "AKIAQYLPMN5HHHFPZAM2"  # gitleaks:allow
GHP = "ghp_8xK2mQ9vR4tY7uW1zA3bC5dE6fG0hJ2kL4nP"  # gitleaks:allow
KESTREL = Path(__file__).resolve().parents[2] / "deploy" / "domains" / "example-kestrel.yaml"


@pytest.fixture(scope="module")
def guard(guard_model_dir: Path) -> Guard:
    return Guard.load(model=guard_model_dir, domains=[KESTREL], provider="cpu")


def test_model_loaded_once_with_version(guard: Guard) -> None:
    assert guard.model is not None and "@" in guard.model_version


def test_secret_blocks_with_exact_offsets(guard: Guard) -> None:
    text = f"配置 😀 e\u0301\r\nmy AWS key is {AWS}\r\n"
    result = guard.scan(text)
    assert result.verdict == "block"
    secret = [f for f in result.findings if f.label == "SECRET" and "regex" in f.metadata["detectors"]]
    assert [(text[f.start : f.end]) for f in secret] == [AWS]
    assert result.actions[result.findings.index(secret[0])] == "block"


def test_findings_are_fused_thresholded_and_well_formed(guard: Guard) -> None:
    text = f"Jane Doe, jane.doe@acme.de, +49 89 1234567, token {GHP}, IBAN DE89 3704 0044 0532 0130 00"
    result = guard.scan(text)
    assert len(result.findings) == len(result.actions)
    for a, b in zip(result.findings, result.findings[1:], strict=False):
        assert a.end <= b.start
    for f in result.findings:
        assert f.label in LABELS and 0 <= f.start < f.end <= len(text)
        assert f.score >= guard.policy.rule(f.label).threshold
    labels = {f.label for f in result.findings}
    assert {"EMAIL", "SECRET", "BANK_ACCOUNT"} <= labels


def test_to_dict_is_json_and_carries_no_value(guard: Guard) -> None:
    text = f"password=Sup3rS3cret! and {GHP}"
    data = guard.scan(text).to_dict()
    dumped = json.dumps(data)
    assert set(data) == {"verdict", "findings"}
    for f in data["findings"]:
        assert {"label", "start", "end", "score", "detector", "action", "metadata"} <= set(f)
    assert "Sup3rS3cret!" not in dumped and GHP not in dumped


def test_empty_text_passes(guard: Guard) -> None:
    result = guard.scan("")
    assert (result.verdict, result.findings, result.actions) == ("pass", (), ())


def test_scan_many_matches_scan(guard: Guard) -> None:
    texts = [f"key {AWS}", "", "nothing here at all", f"mail jane.doe@acme.de {GHP}"]

    def shape(r: ScanResult) -> tuple[object, ...]:
        return (r.verdict, r.actions, [(f.label, f.start, f.end, f.detector) for f in r.findings])

    batched, single = guard.scan_many(texts), [guard.scan(t) for t in texts]
    assert [shape(r) for r in batched] == [shape(r) for r in single]
    # batching pads windows, which moves model scores in the 4th-5th decimal
    for b, s in zip(batched, single, strict=True):
        assert [f.score for f in b.findings] == pytest.approx([f.score for f in s.findings], abs=2e-3)


def test_redact_replaces_blocking_and_redacting_findings(guard: Guard) -> None:
    text = f"mail jane.doe@acme.de twice jane.doe@acme.de and {GHP}"
    red = guard.redact(text, operator="pseudonym")
    assert GHP not in red.text and "jane.doe@acme.de" not in red.text
    # the same value gets the same pseudonym (numbering may shift if the model flags words before it)
    assert 2 in Counter(re.findall(r"\[EMAIL_\d+\]", red.text)).values()
    assert re.search(r"\[SECRET_\d+\]", red.text)
    assert red.result.verdict == "block"
    with pytest.raises(ValueError, match="unknown redaction operator"):
        guard.redact(text, operator="shred")


def test_codename_in_project_sense(guard: Guard) -> None:
    text = "Projet Okapi : le prototype atteint 410 Wh/kg."
    found = [f for f in guard.scan(text).findings if f.label == "CODENAME"]
    assert found and text[found[0].start : found[0].end] == "Projet Okapi"


def test_destination_rules(guard: Guard) -> None:
    text = "write to jane.doe@acme.de"
    assert guard.scan(text).verdict in ("redact", "block")
    chat = guard.scan(text, "chatgpt.com")
    email = [a for f, a in zip(chat.findings, chat.actions, strict=True) if f.label == "EMAIL"]
    assert email == ["block"]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (b"\xff\xfe binary", "not valid UTF-8 (invalid byte at offset 0)"),
        ("abc\x00def", "NUL character at offset 3"),
        ("\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11", "looks binary"),
        ("ok \ud800 surrogate", "unpaired surrogate at offset 3"),
    ],
)
def test_bad_input_is_a_clear_input_error(guard: Guard, bad: str | bytes, message: str) -> None:
    with pytest.raises(InputError) as err:
        guard.scan(bad)
    assert message in str(err.value)


def test_bytes_utf8_is_accepted(guard: Guard) -> None:
    assert guard.scan(f"key {AWS}".encode()).verdict == "block"


def test_size_limit_is_an_error_not_a_truncation() -> None:
    with pytest.raises(InputError, match="exceeds the limit of 10 characters"):
        check_text("x" * 11, max_chars=10)
    with pytest.raises(TypeError):
        check_text(42)


def test_scan_many_names_the_bad_text(guard: Guard) -> None:
    with pytest.raises(InputError, match="text 1: "):
        guard.scan_many(["fine", "bad\x00"])
    with pytest.raises(TypeError):
        guard.scan_many("not a list")  # type: ignore[arg-type]


def test_missing_and_corrupt_model_dirs(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        Guard.load(model=tmp_path / "absent")
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "guard_model.json").write_text("{not json", encoding="utf-8")
    (corrupt / "model.onnx").write_bytes(b"\x00garbage")
    with pytest.raises(ModelError):
        Guard.load(model=corrupt)


def test_bad_policy_and_domain_are_config_errors(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("labels: {FOO: {action: block}}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown label 'FOO'"):
        Guard.load(model=False, policy=bad)
    with pytest.raises(ConfigError, match="not found"):
        Guard.load(model=False, domains=[tmp_path / "nope.yaml"])


def test_thread_safety_same_results(guard: Guard) -> None:
    texts = [f"key {AWS} mail jane.doe@acme.de n°{i}" for i in range(12)]
    expected = [guard.scan(t) for t in texts]
    results: dict[int, object] = {}

    def work(i: int) -> None:
        results[i] = guard.scan(texts[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [results[i] for i in range(len(texts))] == expected


def test_log_hygiene(
    guard: Guard, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    secret_text = f"password=Sup3rS3cret! {GHP} jane.doe@acme.de"
    guard.scan(secret_text)
    guard.redact(secret_text)
    with pytest.raises(InputError) as err:
        guard.scan(secret_text + "\x00")
    captured = capsys.readouterr()
    for needle in ("Sup3rS3cret!", GHP, "jane.doe@acme.de"):
        assert needle not in caplog.text
        assert needle not in captured.out + captured.err
        assert needle not in str(err.value)


def test_detector_failure_is_a_detector_error_without_text(guard: Guard) -> None:
    from guard.errors import DetectorError

    class Broken:
        name = "broken"

        def detect(self, text: str, context: object = None) -> list:  # type: ignore[type-arg]
            raise RuntimeError(f"boom on {text}")

    g = Guard(guard.policy, None, (Broken(),))
    with pytest.raises(DetectorError) as err:
        g.scan(f"secret {GHP}")
    assert GHP not in str(err.value) and "broken" in str(err.value)


@pytest.mark.heavy
def test_ten_megabytes_through_the_model(guard: Guard) -> None:
    body = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 180_000)[:10_000_000]
    result = guard.scan(f"{body} key {AWS}")
    starts = [f.start for f in result.findings if f.label == "SECRET" and "regex" in f.metadata["detectors"]]
    assert result.verdict == "block" and starts == [len(body) + 5]


def test_ambiguous_codename_is_decided_by_the_model_span_score(guard: Guard) -> None:
    assert guard.model is not None
    text = "Okapi is doing well."
    model_score = guard.model.analyze(text).span_score(0, 5, "CODENAME")
    found = [f for f in guard.scan(text).findings if f.label == "CODENAME"]
    if model_score >= guard.policy.rule("CODENAME").threshold:
        assert [(f.start, f.end) for f in found] == [(0, 5)]
    else:
        assert all(f.detector != "domain" for f in found)


def test_a_scan_result_round_trips_through_its_json_shape(guard: Guard) -> None:
    from guard.api import ScanResult

    result = guard.scan("Mail jane.roe@corp-mail.de the key AKIA" + "QYLPMN5HHHFPZAM2")  # gitleaks:allow
    again = ScanResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert again.to_dict() == result.to_dict()
    assert [f.label for f in again.redaction_targets] == [f.label for f in result.redaction_targets]
    with pytest.raises(ValueError):
        ScanResult.from_dict({"verdict": "maybe", "findings": []})


def test_close_releases_the_model(guard_model_dir: Path) -> None:
    with Guard.load(model=guard_model_dir, provider="cpu") as g:
        assert g.scan("hello").verdict == "pass"
        model = g.model
    assert model is not None and model.session is None and model._pool is None


def test_a_certificate_or_public_key_block_holds_no_secret(guard: Guard) -> None:
    import random
    import string

    rng = random.Random(22)
    b64 = string.ascii_letters + string.digits + "+/"
    body = "\n".join("".join(rng.choice(b64) for _ in range(64)) for _ in range(8))
    for kind in ("CERTIFICATE", "PGP PUBLIC KEY BLOCK", "PUBLIC KEY"):
        text = f"-----BEGIN {kind}-----\nMIIDMjCCAhqgAwIBAgIU{body}\n-----END {kind}-----\n"
        assert [f for f in guard.scan(text).findings if f.label == "SECRET"] == [], kind


def test_digests_of_public_files_are_no_secrets(guard: Guard) -> None:
    text = (
        "pyarrow/flight.py,sha256=HLB04A0SZ35MZJumPIuBu5I2dpetjEc-CGMEdjQeQRQ,2177\n"
        "pyarrow/fs.py,sha256=qL7lXu2QSbD3JbOwJEQwf642Y5Nne56tpW5nQ8O9t5A,1432\n"
        "websockets/extensions/base.py,sha256=JNfyk543C7VuPH0QOobiqKoGrzjJILje6sz5ILvOPl4,2903\n"
    )
    assert [f for f in guard.scan(text).findings if f.label == "SECRET"] == []


def test_prose_wrapped_in_certificate_armor_is_still_read(guard: Guard) -> None:
    # only the base64 and armor lines of a public block are public; a line of prose inside is not
    text = (
        "-----BEGIN CERTIFICATE-----\nMIIDMjCCAhqgAwIBAgIUZSW8dB1CV2BwiYpOFLDGrYrEXIowDQYJKoZIhvcNAQEL\n"
        "Comment: the prod database password is Kx9#mQ2vL7pR\n-----END CERTIFICATE-----\n"
    )
    secrets = [text[f.start : f.end] for f in guard.scan(text).findings if f.label == "SECRET"]
    assert any("Kx9#mQ2vL7pR" in s for s in secrets)
