"""Headless Chromium through ``mitmdump`` + guard submits local forms (heavy).

A form holding a secret must end on guard's block page (screenshot kept in tests/artifacts/); a
clean form must submit normally. Loopback only; ``<-loopback>`` makes Chromium proxy 127.0.0.1 too.
"""

from __future__ import annotations

import html
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serving.inspect.netfixtures import TestCA, Upstream
from tests.serving.inspect.proxyprocs import ROOT, Mitmdump, install_system_deps

AWS_KEY = "AKIA" + "QYLPMN5HHHFPZAM2"  # gitleaks:allow (fake, real format)

pytestmark = pytest.mark.heavy

ARTIFACTS = ROOT / "tests" / "artifacts"

FORM = """<!DOCTYPE html><html><body onload="document.forms[0].submit()">
<form method="post" action="/submit"><textarea name="message">{value}</textarea>
<input type="submit" value="Send"></form></body></html>"""


def _chromium() -> str:
    install_system_deps()
    path = shutil.which("chromium")
    assert path is not None, "chromium missing after scripts/install-system-deps.sh"
    return path


def _browse(url: str, proxy_port: int, profile: Path, *extra: str) -> str:
    cmd = [
        _chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={profile}", f"--proxy-server=http://127.0.0.1:{proxy_port}",
        "--proxy-bypass-list=<-loopback>", "--virtual-time-budget=15000", "--window-size=1000,900",
        *extra, url,
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done.stdout.decode(errors="replace")


@pytest.fixture(scope="module")
def setup(
    tmp_path_factory: pytest.TempPathFactory, proxy_model_dir: Path
) -> Iterator[tuple[Mitmdump, Upstream]]:
    ca = TestCA(tmp_path_factory.mktemp("ca"))
    upstream = Upstream()
    upstream.pages["/secret-form"] = FORM.format(value=html.escape(f"deploy key {AWS_KEY} please"))
    upstream.pages["/clean-form"] = FORM.format(value="See you at the offsite on Friday")
    upstream.pages["/submit"] = (
        "<!DOCTYPE html><html><body><h1 id='ok'>Thanks, message received</h1></body></html>"
    )
    mitm = Mitmdump(tmp_path_factory.mktemp("mitm"), {"guard_model": str(proxy_model_dir)}, ca)
    yield mitm, upstream
    mitm.close()
    upstream.close()


def test_secret_form_shows_block_page(setup: tuple[Mitmdump, Upstream], tmp_path: Path) -> None:
    mitm, upstream = setup
    url = upstream.url("/secret-form")
    dom = _browse(url, mitm.port, tmp_path / "p1", "--dump-dom")
    assert 'id="guard-blocked"' in dom and "G-" in dom
    assert AWS_KEY not in dom  # the DOM is now our page, not the form
    assert "credential" in dom and f"127.0.0.1:{upstream.port}" in dom
    assert [r.target for r in upstream.received if r.method == "POST"] == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "chromium-block-page.png"
    _browse(url, mitm.port, tmp_path / "p2", f"--screenshot={shot}")
    assert shot.stat().st_size > 1000


def test_clean_form_submits_normally(setup: tuple[Mitmdump, Upstream], tmp_path: Path) -> None:
    mitm, upstream = setup
    dom = _browse(upstream.url("/clean-form"), mitm.port, tmp_path / "p", "--dump-dom")
    assert "Thanks, message received" in dom and "guard-blocked" not in dom
    posts = [r for r in upstream.received if r.method == "POST"]
    assert posts and posts[-1].body == b"message=See+you+at+the+offsite+on+Friday"
