"""Prometheus metrics of the proxies' incidents, and a store that survives its database going away.

`MetricsSink` counts incidents by action, label and destination host; `serve_metrics` exposes them
(``guard icap --metrics-port``, ``guard proxy --metrics-port``) on ``/metrics``.

`SpoolingStore` wraps the incident store: when the database cannot be written, the proxy keeps
enforcing and the incident goes to a bounded spool file on disk (JSON lines, the same fields as the
JSONL log); the next successful write sends the spool to the database first. The spool's size and
what could not be kept are in the metrics and the log, never silently dropped.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from prometheus_client import CollectorRegistry, Counter, Gauge, start_http_server

from serving.inspect.incidents import FindingRecord, Incident, IncidentSink

__all__ = ["IncidentMetrics", "MetricsSink", "SpoolingStore", "serve_metrics"]

log = logging.getLogger("guard.incidents")


class IncidentMetrics:
    """The counters, in their own registry (one per process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.incidents = Counter(
            "guard_incidents", "Incidents by action, label and destination host",
            ["action", "label", "destination"], registry=self.registry,
        )  # fmt: skip
        self.spooled = Gauge(
            "guard_incident_spool",
            "Incidents waiting on disk for the store to come back",
            registry=self.registry,
        )
        self.lost = Counter(
            "guard_incidents_lost",
            "Incidents neither stored nor spooled (spool full)",
            registry=self.registry,
        )


class MetricsSink:
    """Counts every incident it is given (an incident sink)."""

    def __init__(self, metrics: IncidentMetrics) -> None:
        self.metrics = metrics

    def write(self, incident: Incident) -> None:
        host = urlsplit(incident.destination).hostname or "unknown"
        labels = incident.labels or {"none": 1}
        for label, count in labels.items():
            self.metrics.incidents.labels(incident.action, label, host).inc(count)


def serve_metrics(metrics: IncidentMetrics, port: int, host: str = "127.0.0.1") -> None:
    """Expose ``/metrics`` on ``host:port`` (a daemon thread)."""
    start_http_server(port, addr=host, registry=metrics.registry)


class SpoolingStore:
    """An incident sink that spools to disk while its store cannot be written.

    Args:
        open_store: opens the `serving.store.IncidentStore` (called again until it succeeds, so a
            proxy starts and enforces while its database is away).
        spool: the spool file (JSON lines).
        max_bytes: the spool's bound; past it an incident is counted as lost and logged.
        metrics: where the spool size and losses are counted.
    """

    def __init__(
        self,
        open_store: Callable[[], IncidentSink],
        spool: Path,
        *,
        max_bytes: int = 50_000_000,
        metrics: IncidentMetrics | None = None,
    ) -> None:
        self._open = open_store
        self.store: IncidentSink | None = None
        self.spool = spool
        self.max_bytes = max_bytes
        self.metrics = metrics
        self._lock = threading.Lock()
        spool.parent.mkdir(parents=True, exist_ok=True)

    def write(self, incident: Incident) -> None:
        from serving.store.store import StoreError

        with self._lock:
            try:
                if self.store is None:
                    self.store = self._open()
                self._flush()
                self.store.write(incident)
                return
            except StoreError as exc:
                log.error("incident store unavailable (%s); incident %s spooled to disk", exc, incident.id)
            self._append(incident)

    def _append(self, incident: Incident) -> None:
        line = json.dumps(incident.to_dict(), ensure_ascii=False) + "\n"
        size = self.spool.stat().st_size if self.spool.exists() else 0
        if size + len(line) > self.max_bytes:
            log.error("incident spool full (%d bytes): incident %s kept in the log only", size, incident.id)
            if self.metrics is not None:
                self.metrics.lost.inc()
            return
        with self.spool.open("a", encoding="utf-8") as fh:
            fh.write(line)
        self._count()

    def _flush(self) -> None:
        """Send the spooled incidents to the store (raises StoreError while it is still away)."""
        if not self.spool.exists() or self.spool.stat().st_size == 0:
            return
        rows = [json.loads(line) for line in self.spool.read_text(encoding="utf-8").splitlines() if line]
        assert self.store is not None
        for i, row in enumerate(rows):
            try:
                self.store.write(_incident(row))
            except Exception:
                remaining = rows[i:]
                self.spool.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in remaining))
                self._count()
                raise
        self.spool.unlink()
        self._count()
        log.info("incident store back: %d spooled incidents stored", len(rows))

    def _count(self) -> None:
        if self.metrics is not None:
            n = len(self.spool.read_text(encoding="utf-8").splitlines()) if self.spool.exists() else 0
            self.metrics.spooled.set(n)


def _incident(row: dict[str, Any]) -> Incident:
    findings = [FindingRecord(**f) for f in row.get("findings", [])]
    keep = {
        k: row[k]
        for k in ("id", "action", "reason", "client", "method", "destination", "justification", "time")
    }
    return Incident(findings=findings, **keep)
