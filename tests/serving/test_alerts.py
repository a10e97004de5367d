"""Alerts to real local receivers: a webhook server, a failing one, a UDP and a TCP syslog listener."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from serving.alerts import AlertConfig, AlertSink, FanOut, cef_line
from serving.inspect.incidents import FindingRecord, Incident, IncidentLog, new_incident_id

KEY = "AKIA" + "QYLPMN5HHHFPZAM2"  # gitleaks:allow (fake, real format)


class _Hook(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.calls.append(json.loads(body))  # type: ignore[attr-defined]
        status = self.server.status  # type: ignore[attr-defined]
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture()
def hook() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    server.calls = []  # type: ignore[attr-defined]
    server.status = 200  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def _url(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/hooks/T000/secret-token"


def _incident(action: str = "block") -> Incident:
    finding = FindingRecord("SECRET", "piece[1]", "fields", "regex", 0.99, "block", "AK****M2", "hmac:1")
    return Incident(
        new_incident_id(), action, "findings", "10.0.0.7", "POST", "https://pastebin.com:443", [finding]
    )


def _wait(cond: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.02)


def test_a_block_reaches_the_webhook_without_any_value(hook: ThreadingHTTPServer) -> None:
    sink = AlertSink(AlertConfig(webhooks=(_url(hook),)))
    incident = _incident()
    sink.write(incident)
    sink.write(_incident("redact"))  # not an alerting action by default
    sink.close()
    (call,) = hook.calls  # type: ignore[attr-defined]
    assert incident.id in call["text"] and "SECRET" in call["text"] and "pastebin.com" in call["text"]
    assert call["guard"]["labels"] == {"SECRET": 1}
    assert KEY not in json.dumps(call) and "AK****" not in json.dumps(call)  # not even the preview


def test_a_failing_webhook_is_retried_then_dead_lettered(hook: ThreadingHTTPServer, tmp_path: Path) -> None:
    hook.status = 500  # type: ignore[attr-defined]
    dead = tmp_path / "dead.jsonl"
    sink = AlertSink(AlertConfig(webhooks=(_url(hook),), retries=2, backoff_s=0.01, dead_letter=dead))
    incident = _incident()
    sink.write(incident)
    sink.close()
    assert len(hook.calls) == 3  # type: ignore[attr-defined]
    (row,) = [json.loads(line) for line in dead.read_text().splitlines()]
    assert row["id"] == incident.id and row["attempts"] == 3 and row["why"] == "undeliverable"
    assert "secret-token" not in dead.read_text()  # the webhook path (a token) is not written


def test_a_storm_is_rate_limited_and_the_rest_counted(hook: ThreadingHTTPServer) -> None:
    sink = AlertSink(AlertConfig(webhooks=(_url(hook),), rate_per_minute=3))
    for _ in range(10):
        sink.write(_incident())
    sink.close()
    assert len(hook.calls) == 3  # type: ignore[attr-defined]
    sink._buckets[_url(hook)].tokens = 1  # a minute later: one token back
    again = AlertSink(sink.config)
    again._buckets = sink._buckets
    again.write(_incident())
    again.close()
    assert hook.calls[-1]["guard"]["held_back"] == 7  # type: ignore[attr-defined]
    assert "+7 more incidents" in hook.calls[-1]["text"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("scheme", ["udp", "tcp"])
def test_syslog_cef(scheme: str) -> None:
    kind = socket.SOCK_DGRAM if scheme == "udp" else socket.SOCK_STREAM
    server = socket.socket(socket.AF_INET, kind)
    server.bind(("127.0.0.1", 0))
    if scheme == "tcp":
        server.listen(1)
    server.settimeout(10)
    port = server.getsockname()[1]
    sink = AlertSink(AlertConfig(syslog=f"{scheme}://127.0.0.1:{port}"))
    incident = _incident()
    sink.write(incident)
    if scheme == "udp":
        data = server.recv(65536)
    else:
        conn, _ = server.accept()
        data = conn.recv(65536)
        conn.close()
    sink.close()
    server.close()
    line = data.decode()
    assert "CEF:0|guard|guard|" in line and f"externalId={incident.id}" in line and "cs1=SECRET:1" in line
    assert KEY not in line


def test_cef_escapes_its_separators() -> None:
    incident = _incident()
    incident.reason = "a|b=c"
    line = cef_line(incident)
    assert "guard block: a\\|b=c|" in line  # header fields escape the pipe
    assert "reason=a|b\\=c" in line  # extension values escape the equals sign


def test_fan_out_keeps_writing_when_one_sink_fails(tmp_path: Path) -> None:
    class Broken:
        def write(self, incident: Incident) -> None:
            raise OSError("disk full")

    jsonl = IncidentLog(tmp_path / "inc.jsonl")
    FanOut([Broken(), jsonl]).write(_incident())
    assert len((tmp_path / "inc.jsonl").read_text().splitlines()) == 1


def test_the_proxies_alert_through_their_settings(hook: ThreadingHTTPServer, tmp_path: Path) -> None:
    from serving.inspect.factory import ProxySettings, build_inspector
    from serving.inspect.http import HttpRequest

    settings = ProxySettings(
        no_model=True, incidents=str(tmp_path / "inc.jsonl"), alert_webhooks=(_url(hook),)
    )
    inspector = build_inspector(settings)
    out = inspector.inspect(HttpRequest("POST", "https://paste.example/new", (), f"key {KEY}".encode()))
    assert out.action == "block"
    _wait(lambda: hook.calls)  # type: ignore[attr-defined]
    assert hook.calls[0]["guard"]["id"] == out.incident.id  # type: ignore[attr-defined, union-attr]
    assert (tmp_path / "inc.jsonl").read_text().count(out.incident.id) == 1  # type: ignore[union-attr]
