"""The README's proxy walkthrough, word for word: Squid + ICAP, then mitmproxy, each ends in a 403
(heavy; as root on Debian, like the README says; loopback ports 1344, 3128 and 8080)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.heavy
ROOT = Path(__file__).resolve().parents[1]
KEY = "AKIA" + "QYLPMN5HHHFPZAM2"  # gitleaks:allow (fake, real format)


def _block(name: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"<!-- walkthrough:{name} -->\n```sh\n(.*?)```\n<!-- /walkthrough -->", readme, re.S)
    assert found is not None, f"README lost its {name} walkthrough"
    return found.group(1)


def _run(script: str) -> tuple[subprocess.Popen[bytes], str]:
    """Run ``script`` with bash in a new session; its output goes to a file, not a pipe, so a
    background job the script leaves running (``guard serve &``) cannot keep the read open."""
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            ["bash", "-e", "-c", script], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # the walkthrough's background jobs stay in this group: killed after
        )  # fmt: skip
        proc.wait(timeout=600)
        log.seek(0)
        return proc, log.read().decode("utf-8", "replace")


def _stop_squid() -> None:
    """``squid -k shutdown`` and wait until its PID file is gone (at most 60 s)."""
    conf = ["-f", "deploy/squid/squid.conf"]
    subprocess.run(["squid", "-k", "shutdown", *conf], cwd=ROOT, check=False, capture_output=True)
    pid = Path("/run/squid.pid")
    for _ in range(120):
        if not pid.exists():
            return
        time.sleep(0.5)
    subprocess.run(["squid", "-k", "kill", *conf], cwd=ROOT, check=False, capture_output=True)


@pytest.mark.parametrize("name", ["squid", "mitmproxy"])
def test_the_readme_walkthrough_ends_in_a_403(name: str) -> None:
    if os.geteuid() != 0:
        pytest.fail("the README walkthrough runs as root (CI does)")
    proc, out = _run(_block(name))
    try:
        assert proc.returncode == 0, out[-3000:]
        assert out.strip().splitlines()[-1] == "403", out[-3000:]
        log = Path("/var/log/guard/incidents.jsonl").read_text(encoding="utf-8")
        assert '"SECRET"' in log and KEY not in log
    finally:
        if name == "squid":
            _stop_squid()
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass


def test_the_readme_http_api_example_blocks() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## HTTP API (`guard serve`)") :]
    found = re.search(r"```sh\n(.*?)```", section, re.S)
    assert found is not None
    proc, out = _run(found.group(1))
    try:
        assert proc.returncode == 0, out[-3000:]
        assert '"verdict":"block"' in out and '"label":"SECRET"' in out, out[-3000:]
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
