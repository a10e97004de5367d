"""The ICAP server over a real loopback socket, speaking raw RFC 3507 like Squid does."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from serving.icap.server import IcapServer
from serving.inspect.incidents import IncidentLog
from serving.inspect.inspector import InspectConfig, Inspector
from serving.inspect.scanner import LocalScanner
from tests.serving.icap.icapfixtures import serving_icap

AWS_KEY = "AKIA" + "QYLPMN5HHHFPZAM2"  # gitleaks:allow (fake, real format)
EMAIL = "jane.roe@corp-mail.de"


@pytest.fixture(scope="module")
def icap_port(proxy_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    from guard import Guard

    log = IncidentLog(tmp_path_factory.mktemp("icap") / "inc.jsonl")
    inspector = Inspector(LocalScanner(Guard.load(model=proxy_model_dir)), InspectConfig(max_body=4096), log)
    server = IcapServer(inspector, istag="guard-test", preview=16, idle_timeout_s=2, message_timeout_s=2)
    with serving_icap(server) as (port, _):
        yield port


class Conn:
    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.buf = b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError
        self.buf += chunk

    def head(self) -> tuple[int, dict[str, str]]:
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        return int(lines[0].split()[1]), headers

    def exact(self, n: int) -> bytes:
        while len(self.buf) < n:
            self._fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def chunked(self) -> bytes:
        out = b""
        while True:
            while b"\r\n" not in self.buf:
                self._fill()
            line, _, self.buf = self.buf.partition(b"\r\n")
            size = int(line.split(b";")[0], 16)
            if size == 0:
                self.exact(2)
                return out
            out += self.exact(size)
            self.exact(2)

    def close(self) -> None:
        self.sock.close()


def _reqmod(
    http_head: bytes, body: bytes | None, *, allow204: bool = True, preview: int | None = None
) -> tuple[bytes, bytes]:
    """(ICAP head + HTTP head + preview part, remainder after 100 Continue)."""
    hdrs = ["REQMOD icap://127.0.0.1/reqmod ICAP/1.0", "Host: 127.0.0.1", "X-Client-IP: 10.1.2.3"]
    if allow204:
        hdrs.append("Allow: 204")
    if body is None:
        hdrs.append(f"Encapsulated: req-hdr=0, null-body={len(http_head)}")
        return ("\r\n".join(hdrs) + "\r\n\r\n").encode() + http_head, b""
    hdrs.append(f"Encapsulated: req-hdr=0, req-body={len(http_head)}")
    if preview is not None:
        hdrs.append(f"Preview: {preview}")
        first, rest = body[:preview], body[preview:]
        pre = f"{len(first):x}\r\n".encode() + first + b"\r\n" if first else b""
        pre += b"0; ieof\r\n\r\n" if not rest else b"0\r\n\r\n"
        tail = f"{len(rest):x}\r\n".encode() + rest + b"\r\n0\r\n\r\n" if rest else b""
        return ("\r\n".join(hdrs) + "\r\n\r\n").encode() + http_head + pre, tail
    data = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n" if body else b"0\r\n\r\n"
    return ("\r\n".join(hdrs) + "\r\n\r\n").encode() + http_head + data, b""


def _post(body: bytes, ctype: str = "application/json", accept: str = "*/*") -> bytes:
    return (f"POST http://api.example.com/v1/x HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: {ctype}\r\n"
            f"Accept: {accept}\r\nContent-Length: {len(body)}\r\n\r\n").encode()  # fmt: skip


def test_options(icap_port: int) -> None:
    c = Conn(icap_port)
    c.send(b"OPTIONS icap://127.0.0.1/reqmod ICAP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
    status, headers = c.head()
    assert status == 200
    assert headers["methods"] == "REQMOD" and headers["allow"] == "204" and headers["istag"] == '"guard-test"'
    assert headers["preview"] == "16" and headers["encapsulated"] == "null-body=0"
    c.close()


def test_clean_request_gets_204_and_connection_is_reused(icap_port: int) -> None:
    c = Conn(icap_port)
    body = json.dumps({"title": "lunch"}).encode()
    for _ in range(2):
        msg, _ = _reqmod(_post(body), body)
        c.send(msg)
        status, headers = c.head()
        assert status == 204 and headers["istag"] == '"guard-test"'
    c.close()


def test_clean_request_without_allow_204_is_echoed(icap_port: int) -> None:
    c = Conn(icap_port)
    body = json.dumps({"title": "lunch"}).encode()
    msg, _ = _reqmod(_post(body), body, allow204=False)
    c.send(msg)
    status, headers = c.head()
    assert status == 200
    offset = int(headers["encapsulated"].split("req-body=")[1])
    assert c.exact(offset) == _post(body) and c.chunked() == body
    c.close()


def test_preview_then_continue_then_block(icap_port: int) -> None:
    c = Conn(icap_port)
    body = json.dumps({"note": "padding " * 4, "k": AWS_KEY}).encode()
    first, rest = _reqmod(_post(body), body, preview=16)
    c.send(first)
    assert c.head()[0] == 100
    c.send(rest)
    status, headers = c.head()
    assert status == 200 and headers["encapsulated"].startswith("res-hdr=0, res-body=")
    offset = int(headers["encapsulated"].split("res-body=")[1])
    http_head = c.exact(offset).decode()
    assert http_head.startswith("HTTP/1.1 403")
    page = json.loads(c.chunked())
    assert page["incident_id"] in http_head and AWS_KEY not in json.dumps(page)
    c.close()


def test_small_body_in_preview_with_ieof_gets_204_even_without_allow(icap_port: int) -> None:
    c = Conn(icap_port)
    body = b'{"a":"b"}'
    msg, rest = _reqmod(_post(body), body, preview=16, allow204=False)
    assert rest == b""
    c.send(msg)
    assert c.head()[0] == 204
    c.close()


def test_redaction_returns_modified_request_with_new_length(icap_port: int) -> None:
    c = Conn(icap_port)
    body = json.dumps({"to": EMAIL, "n": 1}).encode()
    msg, _ = _reqmod(_post(body), body)
    c.send(msg)
    status, headers = c.head()
    assert status == 200
    offset = int(headers["encapsulated"].split("req-body=")[1])
    head = c.exact(offset).decode()
    new_body = c.chunked()
    assert json.loads(new_body) == {"to": "[EMAIL]", "n": 1}
    assert f"Content-Length: {len(new_body)}" in head and head.startswith(
        "POST http://api.example.com/v1/x HTTP/1.1"
    )
    c.close()


def test_get_with_secret_in_query_and_null_body(icap_port: int) -> None:
    c = Conn(icap_port)
    head = (
        f"GET http://x.example.com/?q={AWS_KEY} HTTP/1.1\r\nHost: x.example.com\r\nAccept: text/html\r\n\r\n"
    ).encode()
    msg, _ = _reqmod(head, None)
    c.send(msg)
    status, headers = c.head()
    assert status == 200 and "res-hdr=0" in headers["encapsulated"]
    offset = int(headers["encapsulated"].split("res-body=")[1])
    assert b"text/html" in c.exact(offset)
    assert AWS_KEY.encode() not in c.chunked()
    c.close()


@pytest.mark.parametrize(("body", "status"), [(None, 204), (f"key {AWS_KEY}".encode(), 200)])
def test_connect_is_a_tunnel_unless_it_carries_a_body(
    icap_port: int, body: bytes | None, status: int
) -> None:
    c = Conn(icap_port)
    head = b"CONNECT files.example:443 HTTP/1.1\r\nHost: files.example:443\r\n\r\n"
    msg, _ = _reqmod(head, body)
    c.send(msg)
    got, headers = c.head()
    assert got == status
    if status == 200:  # the body was inspected: the answer is the block page, not the tunnel
        assert "res-hdr=0" in headers["encapsulated"]
    c.close()


@pytest.mark.parametrize("size", [10_000, 5_000_000], ids=["oversize", "huge-chunk-streamed"])
def test_oversize_body_is_blocked(icap_port: int, size: int) -> None:
    c = Conn(icap_port)
    body = b"x" * size
    msg, _ = _reqmod(_post(body, "text/plain"), body)
    c.send(msg)
    status, headers = c.head()
    assert status == 200 and "res-hdr" in headers["encapsulated"]  # the block page (over max_body)
    c.close()


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"REQMOD icap://127.0.0.1/reqmod ICAP/2.0\r\n\r\n", 505),
        (b"REQMOD icap://127.0.0.1/other ICAP/1.0\r\nEncapsulated: null-body=0\r\n\r\n", 404),
        (b"REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nHost: x\r\n\r\n", 400),
        (b"RESPMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nEncapsulated: null-body=0\r\n\r\n", 501),
        (b"REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nEncapsulated: req-hdr=5, req-body=2\r\n\r\n", 400),
        (b"REQMOD icap://[::1/reqmod ICAP/1.0\r\nEncapsulated: null-body=0\r\n\r\n", 400),
        (_reqmod(b"GET http://[::1/ HTTP/1.1\r\nHost: x\r\n\r\n", None)[0], 400),
        (_reqmod(_post(b"x", "text/plain"), b"x")[0].replace(b"1\r\nx\r\n", b"-5\r\nx\r\n"), 400),
        (_reqmod(_post(b"x", "text/plain"), b"x")[0].replace(b"1\r\nx\r\n", b"+1\r\nx\r\n"), 400),
        (b"REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n", 400),
        (b"REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\n"
         b"Encapsulated: req-hdr=0, req-body=1000000000000\r\n\r\n", 400),
    ],
    ids=["version", "service", "no-encapsulated", "respmod", "offsets", "ipv6-uri", "ipv6-target",
         "negative-chunk", "signed-chunk", "long-line", "huge-head"],
)  # fmt: skip
def test_malformed_requests_get_icap_errors(icap_port: int, raw: bytes, status: int) -> None:
    c = Conn(icap_port)
    c.send(raw)
    assert c.head()[0] == status
    c.close()


def test_idle_and_slow_connections_are_closed(icap_port: int) -> None:
    idle = Conn(icap_port)
    assert idle.sock.recv(1) == b""  # closed by the server after its idle timeout (2 s here)
    slow = Conn(icap_port)
    msg, _ = _reqmod(_post(b"hello", "text/plain"), b"hello")
    slow.send(msg[:40])  # a request that starts and never finishes
    assert slow.sock.recv(1) == b""
    body = Conn(icap_port)
    body.send(msg[: msg.index(b"hello")])  # head whole, body never comes: an ICAP error, then close
    assert body.head()[0] == 408
    for c in (idle, slow, body):
        c.close()
