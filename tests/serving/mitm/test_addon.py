"""End to end: a real ``mitmdump`` with the guard addon between httpx and a recording upstream.

Loopback only. The upstream records what it receives, so each case asserts both what the client got
(403 + incident id, or the upstream's answer) and that the upstream never saw the secret.
"""

from __future__ import annotations

import base64
import gzip
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from serving.inspect.blockpage import COACH_URL
from tests.serving.inspect import evasion
from tests.serving.inspect.netfixtures import TestCA, Upstream, free_port
from tests.serving.inspect.proxyprocs import Mitmdump

AWS_KEY = "AKIA" + "QYLPMN5HHHFPZAM2"  # gitleaks:allow (fake, real format)
CARD = "4111 1111 1111 1111"  # gitleaks:allow (test card, Luhn-valid)
EMAIL = "jane.roe@corp-mail.de"
SECRETS = (AWS_KEY, AWS_KEY[4:], CARD, EMAIL)


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
def proxy(tmp_path_factory: pytest.TempPathFactory, proxy_model_dir: Path, ca: TestCA) -> Iterator[Mitmdump]:
    # lazy: mitmproxy answers the client's TLS (and ALPN h2) before connecting upstream (HTTP/1.1 here).
    options = {
        "guard_model": str(proxy_model_dir), "guard_max_body": "65536", "guard_coach": "true",
        "connection_strategy": "lazy",
    }  # fmt: skip
    mitm = Mitmdump(tmp_path_factory.mktemp("mitm"), options, ca)
    yield mitm
    mitm.close()


@pytest.fixture()
def client(proxy: Mitmdump, ca: TestCA) -> Iterator[httpx.Client]:
    with proxy.client(ca) as c:
        yield c


def _url(upstreams: dict[str, Upstream], scheme: str, path: str) -> str:
    return upstreams[scheme].url(path, host="localhost")


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_clean_request_arrives_byte_identical(
    client: httpx.Client, upstreams: dict[str, Upstream], scheme: str
) -> None:
    body = json.dumps({"title": "Quarterly offsite", "notes": "Bring a jacket, the room is cold."}).encode()
    before = len(upstreams[scheme].received)
    resp = client.post(
        _url(upstreams, scheme, "/clean?x=1"), content=body, headers={"Content-Type": "application/json"}
    )
    assert resp.status_code == 200, resp.text
    got = upstreams[scheme].received[before:]
    assert len(got) == 1
    assert got[0].body == body
    assert got[0].target == "/clean?x=1"


def _gzip_json(obj: object) -> dict[str, object]:
    return {"content": gzip.compress(json.dumps(obj).encode()),
            "headers": {"Content-Type": "application/json", "Content-Encoding": "gzip"}}  # fmt: skip


BLOCK_CASES: dict[str, tuple[str, dict[str, object]]] = {
    "json": ("/api", {"json": {"config": {"aws": f"key={AWS_KEY}"}}}),
    "form": ("/form", {"data": {"comment": f"my key {AWS_KEY}"}}),
    "form-field-name": ("/form", {"content": f"{AWS_KEY}=1".encode(),
                                  "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
    "multipart-file": ("/upload", {"files": {"file": ("creds.txt", f"aws_access_key_id = {AWS_KEY}\n")}}),
    "query": (f"/search?q={AWS_KEY}", {}),
    "gzip": ("/api", _gzip_json({"card": CARD})),
    "split-json": ("/api", {"json": {"part1": AWS_KEY[:10], "part2": AWS_KEY[10:]}}),
    "base64": ("/api", {"json": {"blob": base64.b64encode(f"aws key {AWS_KEY}".encode()).decode()}}),
    "header": ("/api", {"headers": {"X-Debug-Note": f"key {AWS_KEY}"}}),
    "oversize": ("/big", {"content": b"a" * 70_000, "headers": {"Content-Type": "text/plain"}}),
}  # fmt: skip


@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize("case", sorted(BLOCK_CASES))
def test_leak_is_blocked_and_never_reaches_upstream(
    client: httpx.Client, upstreams: dict[str, Upstream], proxy: Mitmdump, scheme: str, case: str
) -> None:
    path, kwargs = BLOCK_CASES[case]
    before = len(upstreams[scheme].received)
    resp = client.post(_url(upstreams, scheme, path), **kwargs)  # type: ignore[arg-type]
    assert resp.status_code == 403, resp.text
    doc = resp.json()
    assert doc["error"] == "blocked_by_guard"
    assert doc["incident_id"].startswith("G-") and resp.headers["X-Guard-Incident"] == doc["incident_id"]
    assert upstreams[scheme].received[before:] == []
    assert all(s not in resp.text for s in SECRETS)
    incidents = [json.loads(line) for line in proxy.incidents.read_text().splitlines()]
    (incident,) = [i for i in incidents if i["id"] == doc["incident_id"]]
    assert incident["action"] == "block"
    assert incident["destination"].endswith(f"localhost:{upstreams[scheme].port}")
    assert case == "oversize" or incident["labels"]


def test_redacts_email_in_gzip_json_and_keeps_it_valid(
    client: httpx.Client, upstreams: dict[str, Upstream]
) -> None:
    before = len(upstreams["http"].received)
    obj = {"to": EMAIL, "subject": "Lunch", "n": 3}
    resp = client.post(_url(upstreams, "http", "/mail"), **_gzip_json(obj))  # type: ignore[arg-type]
    assert resp.status_code == 200, resp.text
    (got,) = upstreams["http"].received[before:]
    assert int(got.headers["Content-Length"]) == len(got.body)
    forwarded = json.loads(gzip.decompress(got.body))
    assert forwarded["subject"] == "Lunch" and forwarded["n"] == 3
    assert EMAIL not in json.dumps(forwarded) and "EMAIL" in forwarded["to"]


def test_browser_gets_html_block_page(client: httpx.Client, upstreams: dict[str, Upstream]) -> None:
    resp = client.post(
        _url(upstreams, "http", "/form"), data={"comment": AWS_KEY}, headers={"Accept": "text/html"}
    )
    assert resp.status_code == 403
    assert resp.headers["content-type"].startswith("text/html")
    assert resp.headers["X-Guard-Incident"] in resp.text
    assert "credential" in resp.text and AWS_KEY not in resp.text and AWS_KEY[4:] not in resp.text


def test_secrets_never_logged(client: httpx.Client, upstreams: dict[str, Upstream], proxy: Mitmdump) -> None:
    client.post(_url(upstreams, "http", "/api"), json={"k": AWS_KEY, "card": CARD})
    text = proxy.log.read_text(errors="replace") + proxy.incidents.read_text()
    assert all(s not in text for s in SECRETS)


@pytest.mark.parametrize(("mode", "status"), [("closed", 403), ("open", 200)])
def test_fail_mode_when_guard_server_is_down(
    tmp_path: Path, ca: TestCA, upstreams: dict[str, Upstream], mode: str, status: int
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    mitm = Mitmdump(
        tmp_path, {"guard_server": dead, "guard_server_timeout": "1", "guard_fail_mode": mode}, ca
    )
    try:
        with mitm.client(ca) as c:
            resp = c.post(_url(upstreams, "http", "/x"), json={"hello": "world"})
        assert resp.status_code == status
        (incident,) = [json.loads(line) for line in mitm.incidents.read_text().splitlines()]
        assert incident["reason"] == "scanner_error"
        assert incident["action"] == ("block" if mode == "closed" else "fail_open")
    finally:
        mitm.close()


def test_websocket_drops_only_the_leaking_message(proxy: Mitmdump) -> None:
    from websockets.sync.client import connect
    from websockets.sync.server import ServerConnection, serve

    seen: list[str] = []

    def echo(conn: ServerConnection) -> None:
        for message in conn:
            seen.append(str(message))
            conn.send(f"echo {message}")

    with serve(echo, "127.0.0.1", 0) as server:
        port = server.socket.getsockname()[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        with connect(
            f"ws://localhost:{port}/chat", proxy=f"http://127.0.0.1:{proxy.port}", open_timeout=30
        ) as ws:
            ws.send("hello")
            assert ws.recv(timeout=30) == "echo hello"
            ws.send(f"my key is {AWS_KEY}")
            ws.send(b"\x00my key is " + AWS_KEY.encode())  # a binary frame: read from its bytes
            ws.send(f"my key is {AWS_KEY}".encode("utf-16-le"))
            ws.send("still there?")
            assert ws.recv(timeout=30) == "echo still there?"
        server.shutdown()
    assert seen == ["hello", "still there?"]


def test_coach_mode_confirmation_lets_the_request_through(
    client: httpx.Client, upstreams: dict[str, Upstream], proxy: Mitmdump
) -> None:
    url = _url(upstreams, "http", "/coach")
    blocked = client.post(url, json={"k": AWS_KEY}, headers={"Accept": "text/html"})
    assert blocked.status_code == 403 and 'id="guard-coach"' in blocked.text
    incident = blocked.headers["X-Guard-Incident"]
    confirm = client.post(
        COACH_URL, data={"incident": incident, "justification": "ticket SUP-1234 with the vendor"}
    )
    assert confirm.status_code == 200 and incident in confirm.text
    before = len(upstreams["http"].received)
    again = client.post(url, json={"k": AWS_KEY})
    assert again.status_code == 200 and len(upstreams["http"].received) == before + 1
    lines = [json.loads(line) for line in proxy.incidents.read_text().splitlines()]
    (confirmed,) = [line for line in lines if line["action"] == "coach_confirm"]
    assert confirmed["id"] == incident and confirmed["justification"] == "ticket SUP-1234 with the vendor"
    assert lines[-1]["action"] == "override" and lines[-1]["reason"] == "coach_override"


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl (HTTP/2 client) not installed")
def test_http2_requests_are_inspected(proxy: Mitmdump, ca: TestCA, upstreams: dict[str, Upstream]) -> None:
    def curl(data: str) -> tuple[str, str]:
        done = subprocess.run(
            ["curl", "-s", "-o", "/dev/null", "-w", "%{http_version} %{http_code}", "--http2",
             "--proxy", f"http://127.0.0.1:{proxy.port}", "--cacert", str(ca.cert_path),
             "-H", "Content-Type: application/json", "--data", data, _url(upstreams, "https", "/h2")],
            capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        version, status = done.stdout.split()
        return version, status

    before = len(upstreams["https"].received)
    assert curl('{"a": "hello"}') == ("2", "200")
    assert curl(json.dumps({"a": CARD})) == ("2", "403")  # not AWS_KEY: the coach test approved that one
    assert curl('{"a": "' + CARD + '", "a": "hello"}') == ("2", "403")  # duplicate key, HTTP/2
    assert [r.body for r in upstreams["https"].received[before:]] == [b'{"a": "hello"}']


@pytest.fixture(scope="module")
def strict_client(
    tmp_path_factory: pytest.TempPathFactory, proxy_model_dir: Path, ca: TestCA
) -> Iterator[httpx.Client]:
    """A proxy without coach mode: the module's proxy lets a value through that a user confirmed
    (`test_coach_mode_confirmation_lets_the_request_through` confirms the AWS key), as designed."""
    options = {"guard_model": str(proxy_model_dir), "guard_max_body": "65536", "connection_strategy": "lazy"}
    mitm = Mitmdump(tmp_path_factory.mktemp("mitm-strict"), options, ca)
    with mitm.client(ca) as c:
        yield c
    mitm.close()


@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize("case", evasion.cases(), ids=lambda c: c.id)
def test_the_evasion_suite_leaks_nothing_through_mitmproxy(
    strict_client: httpx.Client, upstreams: dict[str, Upstream], scheme: str, case: evasion.Case
) -> None:
    before = len(upstreams[scheme].received)
    resp = evasion.send(strict_client, case, _url(upstreams, scheme, ""))
    assert resp.status_code in (200, 403), resp.status_code
    assert not evasion.leaked(case, upstreams[scheme].received[before:])
