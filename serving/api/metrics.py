"""Prometheus metrics of one app instance, on its own `CollectorRegistry`.

A per-app registry (not the global default) lets tests and benchmarks build many apps in one
process. Label values are bounded sets (endpoint, status, verdict, the 12 labels): never text,
never key material.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["ServerMetrics", "CONTENT_TYPE_LATEST"]

_LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128)
_TOKEN_BUCKETS = (64, 256, 1024, 2048, 4096, 8192, 16384, 32768)


class ServerMetrics:
    """All collectors of the server. Names start with ``guard_``."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter(
            "guard_http_requests",
            "HTTP requests by endpoint and status code",
            ["endpoint", "status"],
            registry=r,
        )
        self.latency = Histogram(
            "guard_http_request_duration_seconds",
            "Request latency from first byte to response, by endpoint",
            ["endpoint"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.verdicts = Counter(
            "guard_scan_verdicts",
            "Scanned texts by endpoint and verdict",
            ["endpoint", "verdict"],
            registry=r,
        )
        self.findings = Counter("guard_findings", "Findings by label", ["label"], registry=r)
        self.texts = Counter("guard_texts_scanned", "Texts scored by the model", registry=r)
        self.batch_size = Histogram(
            "guard_batch_size", "Texts per model call", buckets=_BATCH_BUCKETS, registry=r
        )
        self.batch_tokens = Histogram(
            "guard_batch_tokens", "Estimated tokens per batch", buckets=_TOKEN_BUCKETS, registry=r
        )
        self.inference = Histogram(
            "guard_inference_duration_seconds",
            "Wall time of one model call (one batch)",
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.queue_wait = Histogram(
            "guard_queue_wait_seconds",
            "Time a text waited before its batch started",
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.queue_depth = Gauge("guard_queue_depth", "Texts waiting for the model", registry=r)
        self.inflight = Gauge("guard_inflight_requests", "HTTP requests being handled", registry=r)
        self.shed = Counter(
            "guard_shed_requests", "Requests refused with 503/429, by reason", ["reason"], registry=r
        )
        self.ready = Gauge("guard_ready", "1 when the model is loaded and warmed up", registry=r)
        self.model_info = Gauge(
            "guard_model_info", "Loaded model (value is always 1)", ["version", "provider"], registry=r
        )

    def render(self) -> bytes:
        """The text exposition format of every collector."""
        return generate_latest(self.registry)
