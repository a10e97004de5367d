"""The real server process: ``python -m serving.api serve`` (the ``guard serve`` command) under uvicorn.

Health, scan, a 50 MB body, a slow client next to a normal one, stderr hygiene, and a graceful
SIGTERM that lets an in-flight request finish.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from serving.api import hash_api_key
from tests.serving.api.apifixtures import API_KEY, AWS_KEY, CARD, SECRET_TEXT

ROOT = Path(__file__).resolve().parents[3]
AUTH = {"Authorization": f"Bearer {API_KEY}"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, model_dir: Path, log_file: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_file = log_file
        env = {k: v for k, v in os.environ.items() if not k.startswith("GUARD_")}
        env.update(PYTHONPATH=str(ROOT), GUARD_BODY_TIMEOUT_S="1", GUARD_HEAD_TIMEOUT_S="1",
                   GUARD_INTRA_OP_THREADS="1")  # fmt: skip
        command = [
            sys.executable,
            "-m",
            "serving.api",
            "serve",
            "--port",
            str(self.port),
            "--model",
            str(model_dir),
            "--api-key-hash",
            hash_api_key(API_KEY),
            "--provider",
            "cpu",
        ]
        self._stderr = log_file.open("wb")
        self.proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self._stderr
        )
        deadline = time.monotonic() + 120
        while True:
            assert self.proc.poll() is None, f"server exited: {self.log_file.read_text()[-2000:]}"
            try:
                if httpx.get(self.url + "/readyz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not become ready"
            time.sleep(0.2)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=60)
        self._stderr.close()
        return code

    def log_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.log_file.read_text().splitlines() if line.strip()]

    def raw(self, head: bytes, body: bytes = b"") -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        sock.sendall(head + body)
        return sock


def read_response(sock: socket.socket) -> tuple[int, bytes]:
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, TimeoutError):
            break
        if not chunk:
            break
        data += chunk
        if b"\r\n\r\n" in data:
            head, _, rest = data.partition(b"\r\n\r\n")
            length = [
                int(h.split(b":")[1]) for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")
            ]
            if length and len(rest) >= length[0]:
                break
    sock.close()
    status = int(data.split(b" ", 2)[1]) if data else 0
    return status, data.partition(b"\r\n\r\n")[2]


def post_head(length: int, path: str = "/v1/scan") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {API_KEY}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


@pytest.fixture(scope="module")
def server(guard_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(guard_model_dir, tmp_path_factory.mktemp("serve") / "stderr.log")
    yield srv
    srv.stop()


def test_health_and_scan(server: Server) -> None:
    assert httpx.get(server.url + "/healthz").json() == {"status": "ok", "model_version": None}
    response = httpx.post(server.url + "/v1/scan", json={"text": SECRET_TEXT}, headers=AUTH)
    assert response.status_code == 200 and response.json()["verdict"] == "block"
    assert httpx.post(server.url + "/v1/scan", json={"text": SECRET_TEXT}).status_code == 401


def test_50_mb_body_and_non_utf8(server: Server) -> None:
    status, body = read_response(server.raw(post_head(50 * 1024 * 1024), b'{"text": "' + b"a" * 65536))
    assert status == 413 and json.loads(body)["error"]["code"] == "payload_too_large"
    bad = b'{"text": "\xff\xfe"}'
    status, body = read_response(server.raw(post_head(len(bad)), bad))
    assert status == 400 and json.loads(body)["error"]["code"] == "invalid_encoding"
    assert httpx.post(server.url + "/v1/scan", json={"text": "ok"}, headers=AUTH).status_code == 200


def test_slow_client_does_not_block_others(server: Server) -> None:
    body = json.dumps({"text": SECRET_TEXT}).encode()
    slow = server.raw(post_head(len(body)), body[:5])  # then nothing: a stalled upload
    response = httpx.post(server.url + "/v1/scan", json={"text": SECRET_TEXT}, headers=AUTH)
    assert response.status_code == 200  # served while the slow client stalls
    status, answer = read_response(slow)  # GUARD_BODY_TIMEOUT_S=1
    assert status == 408 and json.loads(answer)["error"]["code"] == "request_timeout"
    assert httpx.get(server.url + "/healthz").status_code == 200


def test_a_trickling_body_times_out_as_a_whole(server: Server) -> None:
    # each byte arrives well inside GUARD_BODY_TIMEOUT_S=1, the whole body takes ~7 s: a deadline
    # per chunk would let it through, the deadline for the whole body does not
    body = json.dumps({"text": "hello there"}).encode()
    sock = server.raw(post_head(len(body)), body[:1])
    for byte in body[1:]:
        time.sleep(0.3)
        try:
            sock.sendall(bytes([byte]))
        except OSError:
            break  # the server already answered and closed
    status, answer = read_response(sock)
    assert status == 408 and json.loads(answer)["error"]["code"] == "request_timeout"


def test_request_heads_are_bounded_in_time_and_size(server: Server) -> None:
    slow = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    slow.sendall(b"POST /v1/scan HTTP/1.1\r\nHost: x\r\n")  # and the rest of the head never comes
    assert slow.recv(1024) == b""  # closed after GUARD_HEAD_TIMEOUT_S=1
    slow.close()
    big = f"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {'a' * 100_000}\r\n\r\n".encode()
    huge = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    huge.sendall(big)
    assert huge.recv(1024).startswith((b"HTTP/1.1 400", b"HTTP/1.1 431"))
    huge.close()
    # a keep-alive connection serves the next request after its deadline reset
    assert httpx.get(server.url + "/healthz").status_code == 200


def test_a_repeated_json_key_is_refused(server: Server) -> None:
    body = b'{"text": "' + SECRET_TEXT.encode() + b'", "text": "hello"}'
    status, answer = read_response(server.raw(post_head(len(body)), body))
    error = json.loads(answer)["error"]
    assert status == 400 and error["code"] == "duplicate_key"
    assert SECRET_TEXT not in answer.decode() and "text" not in error["message"]


def test_sigterm_drains_in_flight_request(server: Server) -> None:
    """Runs last (file order): SIGTERM closes the listener but lets the in-flight request finish."""
    body = json.dumps({"text": SECRET_TEXT, "user": "jane@example-corp.com"}).encode()
    sock = server.raw(post_head(len(body)), body[:10])  # in flight: headers and part of the body sent
    deadline = time.monotonic() + 30
    while "guard_inflight_requests 2.0" not in httpx.get(server.url + "/metrics").text:  # ours + this one
        assert time.monotonic() < deadline
        time.sleep(0.05)
    server.proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 30
    while True:  # wait until shutdown has begun: the listener is closed
        try:
            httpx.get(server.url + "/healthz", timeout=2)
        except (httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError):
            # refused, or accepted in the instant the listener closed and then reset: shutdown began
            break
        assert time.monotonic() < deadline
        time.sleep(0.05)
    sock.sendall(body[10:])
    status, answer = read_response(sock)
    assert status == 200 and json.loads(answer)["verdict"] == "block"
    code = server.proc.wait(timeout=60)
    assert code in (0, -signal.SIGTERM)  # uvicorn re-raises the signal it handled once it is done
    lines = server.log_lines()  # every stderr line is a JSON object
    events = [line.get("event") for line in lines]
    assert "ready" in events and "drained" in events
    drained_request = max(
        i for i, line in enumerate(lines) if line.get("status") == 200 and "user_hash" in line
    )
    assert drained_request < events.index("drained")  # the request finished before the drain ended
    assert any(line.get("event") == "request" and line.get("status") == 408 for line in lines)
    raw = server.log_file.read_text()
    for needle in (AWS_KEY, CARD, "jane@example-corp.com", "deploy with"):
        assert needle not in raw
