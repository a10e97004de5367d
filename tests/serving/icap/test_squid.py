"""End to end with a real Squid (Debian squid-openssl) calling ``guard icap`` over ICAP (heavy).

The Squid config is deploy/squid/squid.conf with only ports and paths rewritten, so the sample's
ICAP, bypass=0 and ssl-bump directives are what is tested. Loopback only.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import pwd
import shutil
import ssl
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.serving.inspect.netfixtures import (  # noqa: F401 (fixture)
    TestCA,
    Upstream,
    free_port,
    proxy_model_dir,
    wait_port,
)

pytestmark = pytest.mark.heavy

ROOT = Path(__file__).resolve().parents[3]
AWS_KEY = "AKIA" + "QYLPMN5HHHFPZAM2"  # gitleaks:allow (fake, real format)
CARD = "4111 1111 1111 1111"  # gitleaks:allow (test card, Luhn-valid)
EMAIL = "jane.roe@corp-mail.de"
CERTGEN = "/usr/lib/squid/security_file_certgen"


def _install_system_deps() -> None:
    if shutil.which("squid") is None:
        subprocess.run(["bash", str(ROOT / "scripts" / "install-system-deps.sh")], check=True)


def _render(sample: str, subs: dict[str, str]) -> str:
    """Replace whole directive lines of the sample (``directive ...``) by ``subs[directive]``."""
    out = []
    for line in sample.splitlines():
        key = line.split(" ", 1)[0]
        out.append(subs.get(key, line) if not line.startswith("#") else line)
    return "\n".join(out) + "\n"


class Squid:
    def __init__(self, icap_port: int, ca: TestCA) -> None:
        _install_system_deps()
        self.dir = Path(tempfile.mkdtemp(prefix="guard-squid-"))
        self.dir.chmod(0o755)
        self.port = free_port()
        for name in ("ca-cert.pem", "ca-key.pem"):
            shutil.copy(ca.directory / name, self.dir / name)
        db = self.dir / "ssl_db"
        subprocess.run([CERTGEN, "-c", "-s", str(db), "-M", "4MB"], check=True, capture_output=True)
        d = self.dir
        conf = _render((ROOT / "deploy" / "squid" / "squid.conf").read_text(), {
            "http_port": f"http_port 127.0.0.1:{self.port} ssl-bump generate-host-certificates=on "
                         f"dynamic_cert_mem_cache_size=4MB tls-cert={d}/ca-cert.pem tls-key={d}/ca-key.pem",
            "sslcrtd_program": f"sslcrtd_program {CERTGEN} -s {db} -M 4MB",
            "sslcrtd_children": "sslcrtd_children 2 startup=1 idle=1",
            "tls_outgoing_options": f"tls_outgoing_options cafile={d}/ca-cert.pem",
            "icap_service": f"icap_service guard_req reqmod_precache icap://127.0.0.1:{icap_port}/reqmod bypass=0",
            "access_log": f"access_log stdio:{d}/access.log guard",
            "cache_log": f"cache_log {d}/cache.log",
            "pid_filename": f"pid_filename {d}/squid.pid",
            "coredump_dir": f"coredump_dir {d}",
        })  # fmt: skip
        conf += f"visible_hostname guard-test\nshutdown_lifetime 0 seconds\nnetdb_filename none\n"
        if os.geteuid() == 0:  # Squid drops root privileges to cache_effective_user
            conf += "cache_effective_user proxy\n"
            user = pwd.getpwnam("proxy")
            for path in [d, *d.rglob("*")]:
                os.chown(path, user.pw_uid, user.pw_gid)
        (d / "squid.conf").write_text(conf)
        self.log = (d / "squid.out").open("wb")
        self.proc = subprocess.Popen(["squid", "-N", "-f", str(d / "squid.conf")], stdout=self.log, stderr=subprocess.STDOUT)
        wait_port(self.port, timeout=60, proc=self.proc)

    def client(self, ca: TestCA) -> httpx.Client:
        ctx = ssl.create_default_context(cafile=str(ca.cert_path))
        return httpx.Client(proxy=f"http://127.0.0.1:{self.port}", verify=ctx, trust_env=False, timeout=60)

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> TestCA:
    return TestCA(tmp_path_factory.mktemp("ca"))


@pytest.fixture(scope="module")
def upstreams(ca: TestCA) -> Iterator[dict[str, Upstream]]:
    servers = {"http": Upstream(), "https": Upstream(tls=ca.leaf("localhost"))}
    yield servers
    for server in servers.values():
        server.close()


@pytest.fixture(scope="module")
def icap(proxy_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    """``guard icap`` as a real process (python -m serving.icap)."""
    port = free_port()
    tmp = tmp_path_factory.mktemp("icap")
    incidents = tmp / "incidents.jsonl"
    out = (tmp / "icap.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "serving.icap", "--port", str(port), "--model", str(proxy_model_dir),
         "--incidents", str(incidents), "--max-body", "65536"],
        stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=tmp,
    )  # fmt: skip
    wait_port(port, timeout=120, proc=proc)
    yield port, incidents
    proc.terminate()
    proc.wait(10)
    out.close()
    log = (tmp / "icap.log").read_text(errors="replace")
    assert all(s not in log for s in (AWS_KEY, CARD, EMAIL)), "guarded text in the ICAP server log"


@pytest.fixture(scope="module")
def squid(icap: tuple[int, Path], ca: TestCA) -> Iterator[Squid]:
    proxy = Squid(icap[0], ca)
    yield proxy
    proxy.close()


def _gzip_json(obj: object) -> dict[str, object]:
    return {"content": gzip.compress(json.dumps(obj).encode()),
            "headers": {"Content-Type": "application/json", "Content-Encoding": "gzip"}}  # fmt: skip


CASES: dict[str, tuple[str, dict[str, object]]] = {
    "json": ("/api", {"json": {"config": {"aws": f"key={AWS_KEY}"}}}),
    "form": ("/form", {"data": {"comment": f"my key {AWS_KEY}"}}),
    "form-field-name": ("/form", {"content": f"{AWS_KEY}=1".encode(),
                                  "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
    "multipart-file": ("/upload", {"files": {"file": ("creds.txt", f"aws_access_key_id = {AWS_KEY}\n")}}),
    "query": (f"/search?q={AWS_KEY}", {}),
    "gzip": ("/api", _gzip_json({"card": CARD})),
    "split-json": ("/api", {"json": {"part1": AWS_KEY[:10], "part2": AWS_KEY[10:]}}),
    "base64": ("/api", {"json": {"blob": base64.b64encode(f"aws key {AWS_KEY}".encode()).decode()}}),
    "oversize": ("/big", {"content": b"a" * 70_000, "headers": {"Content-Type": "text/plain"}}),
}  # fmt: skip


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_clean_request_arrives_byte_identical(squid: Squid, ca: TestCA, upstreams: dict[str, Upstream], scheme: str) -> None:
    body = json.dumps({"title": "Quarterly offsite", "notes": "Bring a jacket."}).encode()
    before = len(upstreams[scheme].received)
    with squid.client(ca) as c:
        resp = c.post(upstreams[scheme].url("/clean?x=1", "localhost"), content=body,
                      headers={"Content-Type": "application/json"})  # fmt: skip
    assert resp.status_code == 200, resp.text
    (got,) = upstreams[scheme].received[before:]
    assert got.body == body and got.target == "/clean?x=1"


@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_leak_is_blocked(
    squid: Squid, ca: TestCA, upstreams: dict[str, Upstream], icap: tuple[int, Path], scheme: str, case: str
) -> None:
    path, kwargs = CASES[case]
    before = len(upstreams[scheme].received)
    with squid.client(ca) as c:
        resp = c.post(upstreams[scheme].url(path, "localhost"), **kwargs)  # type: ignore[arg-type]
    assert resp.status_code == 403, resp.text
    doc = resp.json()
    assert doc["error"] == "blocked_by_guard" and doc["incident_id"].startswith("G-")
    assert upstreams[scheme].received[before:] == []
    lines = [json.loads(line) for line in icap[1].read_text().splitlines()]
    assert [i["action"] for i in lines if i["id"] == doc["incident_id"]] == ["block"]


def test_redaction_reaches_upstream_as_valid_json(squid: Squid, ca: TestCA, upstreams: dict[str, Upstream]) -> None:
    before = len(upstreams["http"].received)
    with squid.client(ca) as c:
        resp = c.post(upstreams["http"].url("/mail", "localhost"), json={"to": EMAIL, "subject": "Lunch"})
    assert resp.status_code == 200
    (got,) = upstreams["http"].received[before:]
    assert json.loads(got.body) == {"to": "[EMAIL]", "subject": "Lunch"}
    assert int(got.headers["Content-Length"]) == len(got.body)


def test_squid_fails_closed_when_guard_is_down(ca: TestCA, upstreams: dict[str, Upstream]) -> None:
    proxy = Squid(free_port(), ca)  # nothing listens on this ICAP port
    try:
        before = len(upstreams["http"].received)
        with proxy.client(ca) as c:
            resp = c.post(upstreams["http"].url("/x", "localhost"), json={"hello": "world"})
        assert resp.status_code >= 500
        assert upstreams["http"].received[before:] == []
    finally:
        proxy.close()


def test_access_log_has_no_paths_or_queries(squid: Squid, ca: TestCA, upstreams: dict[str, Upstream]) -> None:
    with squid.client(ca) as c:
        c.get(upstreams["http"].url(f"/p/{AWS_KEY}?q={CARD}", "localhost"))
    log = (squid.dir / "access.log").read_text(errors="replace")
    assert log and AWS_KEY not in log and "/p/" not in log and "q=" not in log
