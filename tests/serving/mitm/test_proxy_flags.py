"""``guard proxy`` as a real process: flags > environment > settings file (``--config``) >
<confdir>/config.yaml > defaults, each layer applying what the higher ones leave unset, and it says
what it listens on and what it loaded."""

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
        'guard_help: "help from the mitmproxy file"\n'
        "guard_max_body: 2000\n"
        f"guard_incidents: {tmp / 'file-incidents.jsonl'}\n"
    )
    settings_file = tmp / "guard.yaml"
    settings_file.write_text('help_text: "help from the settings file"\nmax_body: 4000\n')
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GUARD_MAX_BODY": "4500",
           "GUARD_INCIDENTS": str(tmp / "env-incidents.jsonl")}  # fmt: skip
    port = free_port()
    log = tmp / "proxy.log"
    incidents = tmp / "flag-incidents.jsonl"
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "guard", "proxy", "--host", "127.0.0.1", "--port", str(port),
             "--confdir", str(confdir), "--no-model", "--config", str(settings_file),
             "--incidents", str(incidents)],
            cwd=tmp, stdout=fh, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
        try:
            wait_port(port, timeout=120, proc=proc)
            yield port, log, incidents
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def test_each_layer_applies_what_the_higher_ones_leave_unset(
    proxy: tuple[int, Path, Path], upstream: Upstream
) -> None:
    port, log, incidents = proxy
    plain = {"Content-Type": "text/plain"}
    with httpx.Client(proxy=f"http://127.0.0.1:{port}", timeout=30) as client:
        leak = client.post(upstream.url("/x"), content=f"key {AWS_KEY}", headers={"Accept": "text/html"})
        assert leak.status_code == 403 and "help from the settings file" in leak.text  # over mitmproxy's
        assert "help from the mitmproxy file" not in leak.text
        # max_body: the environment's 4500 over the settings file's 4000 over mitmproxy's 2000
        assert client.post(upstream.url("/y"), content=b"a" * 4200, headers=plain).status_code == 200
        assert client.post(upstream.url("/z"), content=b"a" * 5000, headers=plain).status_code == 403
    assert incidents.exists()  # the flag over the environment over mitmproxy's file
    assert not (log.parent / "file-incidents.jsonl").exists()
    assert not (log.parent / "env-incidents.jsonl").exists()
    deadline = time.monotonic() + 10
    while "guard proxy listening on" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    started = log.read_text()
    assert f"guard proxy listening on 127.0.0.1:{port}" in started
    assert "policy packaged default" in started and "fail mode closed" in started
    assert AWS_KEY not in started
