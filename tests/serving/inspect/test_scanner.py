"""Scanners: in process, and remote against a real guard server (``python -m serving.api serve``)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from guard.errors import ModelError
from serving.inspect.http import HttpRequest
from serving.inspect.inspector import InspectConfig, Inspector
from serving.inspect.scanner import LocalScanner, RemoteScanner
from tests.serving.inspect.netfixtures import MODEL_CODENAME, Upstream, free_port
from tests.serving.inspect.proxyprocs import ROOT

AWS_KEY = "AKIA" + "QYLPMN5HHHFPZAM2"  # gitleaks:allow (fake, real format)
EMAIL = "jane.roe@corp-mail.de"


@pytest.fixture(scope="module")
def server(proxy_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = (tmp_path_factory.mktemp("api") / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "serving.api", "serve", "--port", str(port), "--model", str(proxy_model_dir)],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        assert proc.poll() is None, "guard server exited"
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "guard server not ready"
        time.sleep(0.3)
    yield url
    proc.terminate()
    proc.wait(10)
    log.close()


@pytest.mark.heavy  # starts the FastAPI server (slow on a loaded 2-core machine)
def test_remote_matches_local(server: str, proxy_model_dir: Path) -> None:
    from guard import Guard

    texts = [f"key {AWS_KEY}", f"mail {EMAIL}", f"Project {MODEL_CODENAME} ships", "nothing here"]
    remote = RemoteScanner(server, timeout=30)
    local = LocalScanner(Guard.load(model=proxy_model_dir))
    try:
        got = remote.scan_many(texts, "api.example.com")
    finally:
        remote.close()
    want = local.scan_many(texts, "api.example.com")
    assert [r.verdict for r in got] == [r.verdict for r in want] == ["block", "redact", "block", "pass"]

    def spans(results: list) -> list:  # type: ignore[type-arg]
        return [
            [(f.label, f.start, f.end, f.detector, round(f.score, 3)) for f in r.findings] for r in results
        ]

    assert spans(got) == spans(want)
    assert [r.actions for r in got] == [r.actions for r in want]


@pytest.mark.heavy
def test_inspector_over_remote_scanner(server: str) -> None:
    insp = Inspector(RemoteScanner(server, timeout=30), InspectConfig())
    req = HttpRequest(
        "POST",
        "http://x.example.com/a",
        (("Content-Type", "application/json"),),
        b'{"to": "%s"}' % EMAIL.encode(),
    )
    out = insp.inspect(req)
    assert out.action == "redact" and out.request.body == b'{"to": "[EMAIL]"}'


def test_malformed_answer_is_a_model_error() -> None:
    upstream = Upstream()  # answers 200 "upstream ok", not JSON
    try:
        with pytest.raises(ModelError, match="malformed"):
            RemoteScanner(upstream.url("/"), timeout=5).scan_many(["x"], None)
    finally:
        upstream.close()


@pytest.mark.heavy
def test_http_error_status_is_a_model_error(server: str) -> None:
    with pytest.raises(ModelError, match="HTTP 4"):
        RemoteScanner(server + "/nope", timeout=5).scan_many(["x"], None)


def test_local_cache_returns_the_same_result_and_is_bounded(proxy_model_dir: Path) -> None:
    from guard import Guard

    scanner = LocalScanner(Guard.load(model=proxy_model_dir), cache_size=2)
    first = scanner.scan_many(["a", f"key {AWS_KEY}"], None)
    again = scanner.scan_many([f"key {AWS_KEY}", "a"], None)
    assert again[0] is first[1] and again[1] is first[0]
    assert scanner.scan_many([f"key {AWS_KEY}"], "other.example")[0] is not first[1]  # per destination
    scanner.scan_many(["b", "c"], None)
    assert scanner.scan_many(["a"], None)[0] is not first[0]  # evicted
    uncached = LocalScanner(scanner.guard, cache_size=0)
    assert uncached.scan_many(["a"], None)[0] is not uncached.scan_many(["a"], None)[0]


def test_shallow_texts_skip_the_model_but_not_the_detectors(proxy_model_dir: Path) -> None:
    from guard import Guard

    scanner = LocalScanner(Guard.load(model=proxy_model_dir))
    text = f"Project {MODEL_CODENAME} ships with key {AWS_KEY}"
    deep, shallow = scanner.scan_many([text, text], None, shallow=[False, True])
    assert {f.label for f in deep.findings} == {"CODENAME", "SECRET"}
    assert {f.label for f in shallow.findings} == {"SECRET"}
