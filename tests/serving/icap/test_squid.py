"""End to end with a real Squid (Debian squid-openssl) calling ``guard icap`` over ICAP (heavy).

The Squid config is deploy/squid/squid.conf with only ports and paths rewritten, so the sample's
ICAP, bypass=0 and ssl-bump directives are what is tested. Loopback only.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serving.inspect import evasion
from tests.serving.inspect.netfixtures import TestCA, Upstream, free_port
from tests.serving.inspect.proxyprocs import GuardIcap, Squid

pytestmark = pytest.mark.heavy

AWS_KEY = "AKIA" + "QYLPMN5HHHFPZAM2"  # gitleaks:allow (fake, real format)
CARD = "4111 1111 1111 1111"  # gitleaks:allow (test card, Luhn-valid)
EMAIL = "jane.roe@corp-mail.de"


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
    server = GuardIcap(tmp_path_factory.mktemp("icap"), proxy_model_dir, "--max-body", "65536")
    yield server.port, server.incidents
    server.close()
    log = server.log.read_text(errors="replace")
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
def test_clean_request_arrives_byte_identical(
    squid: Squid, ca: TestCA, upstreams: dict[str, Upstream], scheme: str
) -> None:
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


def test_redaction_reaches_upstream_as_valid_json(
    squid: Squid, ca: TestCA, upstreams: dict[str, Upstream]
) -> None:
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


@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize("case", evasion.cases(), ids=lambda c: c.id)
def test_the_evasion_suite_leaks_nothing_through_squid(
    squid: Squid, ca: TestCA, upstreams: dict[str, Upstream], scheme: str, case: evasion.Case
) -> None:
    before = len(upstreams[scheme].received)
    with squid.client(ca) as c:
        resp = evasion.send(c, case, upstreams[scheme].url("", "localhost"))
    assert resp.status_code in (200, 403), resp.status_code
    assert not evasion.leaked(case, upstreams[scheme].received[before:])
