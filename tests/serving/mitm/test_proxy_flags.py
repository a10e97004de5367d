"""``guard proxy`` as a real process: its flags win over <confdir>/config.yaml, what the file sets
alone still applies, and it says what it listens on and what it loaded."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.serving.inspect.netfixtures import Upstream, free_port, wait_port

ROOT = Path(__file__).resolve().parents[3]
AWS_KEY = "AKIA" + "QYLPMN5HHHFPZAM2"  # gitleaks:allow (fake, real format)


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    server = Upstream()
    yield server
    server.close()


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path, Path]]:
    tmp = tmp_path_factory.mktemp("proxyflags")
    confdir = tmp / "conf"
    confdir.mkdir()
    (confdir / "config.yaml").write_text(
        'guard_help: "help from the file"\n'
        "guard_max_body: 2000\n"  # set by the file only: applies
        f"guard_incidents: {tmp / 'file-incidents.jsonl'}\n"
    )
    port = free_port()
    log = tmp / "proxy.log"
    incidents = tmp / "flag-incidents.jsonl"
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "guard", "proxy", "--host", "127.0.0.1", "--port", str(port),
             "--confdir", str(confdir), "--no-model", "--help-text", "help from the flag",
             "--incidents", str(incidents)],
            cwd=tmp, stdout=fh, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        try:
            wait_port(port, timeout=120, proc=proc)
            yield port, log, incidents
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def test_flags_win_over_the_config_file_and_the_file_still_applies(
    proxy: tuple[int, Path, Path], upstream: Upstream
) -> None:
    port, log, incidents = proxy
    with httpx.Client(proxy=f"http://127.0.0.1:{port}", timeout=30) as client:
        leak = client.post(upstream.url("/x"), content=f"key {AWS_KEY}", headers={"Accept": "text/html"})
        assert leak.status_code == 403 and "help from the flag" in leak.text
        assert "help from the file" not in leak.text
        big = client.post(upstream.url("/y"), content=b"a" * 3000, headers={"Content-Type": "text/plain"})
        assert big.status_code == 403  # the file's guard_max_body (2000) applies: no flag set it
    assert incidents.exists() and not (log.parent / "file-incidents.jsonl").exists()
    deadline = time.monotonic() + 10
    while "guard proxy listening on" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    started = log.read_text()
    assert f"guard proxy listening on 127.0.0.1:{port}" in started
    assert "policy packaged default" in started and "fail mode closed" in started
    assert AWS_KEY not in started
