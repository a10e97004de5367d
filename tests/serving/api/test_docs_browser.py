"""``/docs`` of a real ``guard serve`` renders in headless Chromium with no network (heavy).

Chromium reaches 127.0.0.1 directly and everything else through a proxy that is not there, so a page
that needs a CDN stays blank. The screenshot is kept in tests/artifacts/.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serving.api.test_server_process import Server
from tests.serving.inspect.netfixtures import free_port
from tests.serving.inspect.proxyprocs import ROOT, install_system_deps

pytestmark = pytest.mark.heavy
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def server(guard_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(guard_model_dir, tmp_path_factory.mktemp("docs") / "stderr.log")
    yield srv
    srv.stop()


def _chromium(url: str, profile: Path, *extra: str) -> str:
    install_system_deps()
    chromium = shutil.which("chromium")
    assert chromium is not None
    cmd = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
        "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage",
        f"--user-data-dir={profile}", f"--proxy-server=http://127.0.0.1:{free_port()}",  # nothing listens
        "--virtual-time-budget=15000", "--window-size=1200,1000", *extra, url,
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done.stdout.decode(errors="replace")


def test_docs_render_offline(server: Server, tmp_path: Path) -> None:
    dom = _chromium(server.url + "/docs", tmp_path / "p1", "--dump-dom")
    assert 'class="swagger-ui"' in dom and "/v1/scan/batch" in dom  # Swagger UI ran and read the spec
    assert "Authorize" in dom  # the bearer scheme is declared
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "serve-docs.png"
    _chromium(server.url + "/docs", tmp_path / "p2", f"--screenshot={shot}")
    assert shot.stat().st_size > 10_000
