"""Alerts and SIEM export of incidents: webhooks (Slack-compatible), syslog in CEF or JSON lines.

`AlertSink` is an incident sink like the JSONL log and the store (``write(incident)``); `FanOut`
writes one incident to several sinks. Delivery never holds up a request: messages go to a bounded
queue that one background thread sends. Webhooks are retried with exponential backoff; a message
that still fails lands in a dead-letter JSONL file (nothing lost). A storm is rate limited per
channel (token bucket); what the limit holds back is counted and reported in the next message that
goes out ("+N more incidents").

Messages carry the incident id, action, reason, destination (scheme://host:port), client and label
counts: never a value, not even a masked preview.
"""

from __future__ import annotations

import json
import logging
import queue
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from serving.inspect.incidents import Incident, IncidentSink

__all__ = ["AlertConfig", "AlertSink", "FanOut", "cef_line"]

log = logging.getLogger("guard.alerts")

_SEVERITY = {"block": 7, "fail_open": 8, "override": 6, "redact": 4, "coach_confirm": 5}


@dataclass(frozen=True, slots=True)
class AlertConfig:
    """Where alerts go and how fast.

    Attributes:
        webhooks: URLs that get a Slack-compatible JSON POST per incident.
        syslog: ``udp://host:port`` or ``tcp://host:port`` of a syslog collector (RFC 5424 framing).
        syslog_format: ``cef`` (ArcSight Common Event Format) or ``json`` (one JSON object).
        actions: incident actions that alert (by default blocks and fail-open passes).
        rate_per_minute: messages per channel and minute; more are counted, not sent.
        retries: webhook attempts after the first (exponential backoff from ``backoff_s``).
        backoff_s: first retry delay.
        timeout_s: one webhook request.
        dead_letter: JSONL file for messages that could not be delivered.
        queue_size: messages waiting to be sent; a full queue goes to the dead-letter file.
    """

    webhooks: tuple[str, ...] = ()
    syslog: str | None = None
    syslog_format: str = "cef"
    actions: frozenset[str] = frozenset({"block", "fail_open"})
    rate_per_minute: int = 30
    retries: int = 3
    backoff_s: float = 1.0
    timeout_s: float = 5.0
    dead_letter: Path | None = None
    queue_size: int = 1000
    version: str = "guard"

    def __post_init__(self) -> None:
        for url in self.webhooks:
            if urlsplit(url).scheme not in ("http", "https"):
                raise ValueError("alert webhooks must be http:// or https:// URLs")
        if self.syslog is not None and urlsplit(self.syslog).scheme not in ("udp", "tcp"):
            raise ValueError("syslog must be udp://host:port or tcp://host:port")
        if self.syslog_format not in ("cef", "json"):
            raise ValueError("syslog_format must be cef or json")
        if self.rate_per_minute < 1 or self.retries < 0 or self.backoff_s < 0:
            raise ValueError("rate_per_minute >= 1, retries >= 0, backoff_s >= 0")


def _summary(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.id, "time": incident.time, "action": incident.action, "reason": incident.reason,
        "destination": incident.destination, "client": incident.client, "method": incident.method,
        "labels": incident.labels,
    }  # fmt: skip


def _cef_escape(value: object, header: bool = False) -> str:
    text = str(value).replace("\\", "\\\\").replace("\n", " ").replace("\r", " ")
    return text.replace("|", "\\|") if header else text.replace("=", "\\=")


def cef_line(incident: Incident, version: str = "guard") -> str:
    """One incident as an ArcSight CEF event (no value, no preview)."""
    labels = ",".join(f"{k}:{v}" for k, v in incident.labels.items()) or "none"
    severity = _SEVERITY.get(incident.action, 5)
    ext = {
        "externalId": incident.id, "act": incident.action, "reason": incident.reason,
        "request": incident.destination, "requestMethod": incident.method, "src": incident.client or "",
        "cs1Label": "labels", "cs1": labels,
    }  # fmt: skip
    extension = " ".join(f"{k}={_cef_escape(v)}" for k, v in ext.items())
    head = [
        "CEF:0", "guard", "guard", _cef_escape(version, True), _cef_escape(incident.action, True),
        _cef_escape(f"guard {incident.action}: {incident.reason}", True), str(severity),
    ]  # fmt: skip
    return "|".join(head) + "|" + extension


class _Bucket:
    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.tokens = float(per_minute)
        self.rate = per_minute / 60.0
        self.stamp = time.monotonic()
        self.held = 0

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        self.held += 1
        return False


@dataclass
class _Message:
    channel: str
    payload: dict[str, Any]
    attempts: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class AlertSink:
    """Sends alerts for incidents in the background (see the module docstring)."""

    def __init__(self, config: AlertConfig) -> None:
        self.config = config
        self._buckets: dict[str, _Bucket] = {}
        self._queue: queue.Queue[_Message | None] = queue.Queue(config.queue_size)
        self._lock = threading.Lock()
        self.sent = 0
        self.dead = 0
        self._thread = threading.Thread(target=self._run, name="guard-alerts", daemon=True)
        self._thread.start()

    def channels(self) -> list[str]:
        return [*self.config.webhooks, *([self.config.syslog] if self.config.syslog else [])]

    def write(self, incident: Incident) -> None:
        if incident.action not in self.config.actions:
            return
        payload = _summary(incident)
        with self._lock:
            for channel in self.channels():
                bucket = self._buckets.setdefault(channel, _Bucket(self.config.rate_per_minute))
                if not bucket.take():
                    continue
                held, bucket.held = bucket.held, 0
                message = _Message(channel, {**payload, "held_back": held})
                message.extra["cef"] = cef_line(incident, self.config.version)
                try:
                    self._queue.put_nowait(message)
                except queue.Full:
                    self._dead_letter(message, "queue full")

    def close(self, timeout: float = 10.0) -> None:
        """Send what is queued (up to ``timeout``), then stop."""
        self._queue.put(None)
        self._thread.join(timeout)

    # -- delivery --------------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            message = self._queue.get()
            if message is None:
                return
            self._deliver(message)

    def _deliver(self, message: _Message) -> None:
        delay = self.config.backoff_s
        for attempt in range(self.config.retries + 1):
            message.attempts = attempt + 1
            try:
                if message.channel.startswith(("udp://", "tcp://")):
                    self._syslog(message)
                else:
                    self._webhook(message)
                self.sent += 1
                return
            except OSError as exc:
                where = _where(message.channel)
                log.warning("alert to %s failed (%s), attempt %d", where, type(exc).__name__, attempt + 1)
                if attempt < self.config.retries:
                    time.sleep(delay)
                    delay *= 2
        self._dead_letter(message, "undeliverable")

    def _webhook(self, message: _Message) -> None:
        import urllib.error
        import urllib.request

        p = message.payload
        labels = ", ".join(f"{k} ×{v}" for k, v in p["labels"].items()) or "no label"
        more = f" (+{p['held_back']} more incidents held back by the rate limit)" if p["held_back"] else ""
        body = {
            "text": f"guard {p['action']} ({p['reason']}): {labels} to {p['destination']}, "
            f"incident {p['id']}{more}",
            "guard": p,
        }
        request = urllib.request.Request(
            message.channel, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout_s) as resp:  # noqa: S310 - http(s) checked
                if resp.status >= 300:
                    raise OSError(f"HTTP {resp.status}")
        except urllib.error.HTTPError as exc:
            raise OSError(f"HTTP {exc.code}") from None

    def _syslog(self, message: _Message) -> None:
        parts = urlsplit(message.channel)
        host, port = parts.hostname or "127.0.0.1", parts.port or 514
        content = message.extra["cef"] if self.config.syslog_format == "cef" else json.dumps(message.payload)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        line = f"<{8 * 13 + 4}>1 {stamp} {socket.gethostname()} guard - incident - {content}".encode()
        if parts.scheme == "udp":
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.sendto(line, (host, port))
        else:
            with socket.create_connection((host, port), timeout=self.config.timeout_s) as sock:
                sock.sendall(f"{len(line)} ".encode() + line)  # RFC 6587 octet counting

    def _dead_letter(self, message: _Message, why: str) -> None:
        self.dead += 1
        if self.config.dead_letter is None:
            log.error(
                "alert to %s dropped (%s); no dead-letter file configured", _where(message.channel), why
            )
            return
        row = {
            "channel": _where(message.channel),
            "why": why,
            "attempts": message.attempts,
            **message.payload,
        }
        self.config.dead_letter.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.config.dead_letter.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _where(channel: str) -> str:
    """A channel for logs: scheme://host:port only (webhook paths carry tokens)."""
    parts = urlsplit(channel)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or ''}"


class FanOut:
    """Writes each incident to several sinks; one failing sink does not stop the others."""

    def __init__(self, sinks: Sequence[IncidentSink]) -> None:
        self.sinks = tuple(sinks)

    def write(self, incident: Incident) -> None:
        failed: Exception | None = None
        for sink in self.sinks:
            try:
                sink.write(incident)
            except Exception as exc:  # noqa: BLE001 - the others still get the incident
                log.error("incident sink %s failed: %s", type(sink).__name__, type(exc).__name__)
                failed = exc
        if failed is not None and len(self.sinks) == 1:
            raise failed
