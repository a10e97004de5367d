"""Per-app scoring service: engine lifecycle, batcher, limits, and the one `score` call routes use.

`ScoringService.score` is the shared path of every scoring route: readiness check, per-key rate limit,
queueing through the micro-batcher, translation of failures to `ApiError`, metrics, and the
access-log fields (verdicts, labels, counts; never text).
"""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import Callable, Sequence
from typing import Any, Literal

from guard.api import check_text
from guard.errors import GuardError, InputError
from serving.api.auth import KeyRing, Principal, TokenBucketLimiter
from serving.api.batcher import JobKind, MicroBatcher, Overloaded, ShuttingDown
from serving.api.inference import Engine
from serving.api.logs import hash_identifier
from serving.api.metrics import ServerMetrics
from serving.api.middleware import LOG_STATE_KEY
from serving.api.schemas import Context
from serving.api.settings import ServeSettings

__all__ = ["ApiError", "ScoringService", "Status"]

log = logging.getLogger("guard.serving.scoring")

Status = Literal["loading", "ready", "draining", "failed"]


class ApiError(Exception):
    """An error answer: HTTP status, machine-readable code, safe message, extra headers."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}


class ScoringService:
    """Everything one app instance owns. Built by `create_app`, stored on ``app.state.service``."""

    def __init__(self, settings: ServeSettings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.metrics = ServerMetrics()
        self.keyring = KeyRing(settings.api_key_hashes)
        self.limiter = TokenBucketLimiter(settings.rate_limit_per_s, settings.rate_limit_burst)
        self.engine = engine
        self.status: Status = "loading"
        self.incidents = _incidents(
            settings, lambda: getattr(getattr(self.engine, "guard", None), "model_version", None)
        )
        self.batcher = MicroBatcher(
            self._process,
            batching=settings.batching,
            max_wait_s=settings.batch_max_wait_ms / 1000.0,
            max_tokens=settings.batch_max_tokens,
            max_texts=settings.batch_max_texts,
            max_queue=settings.max_queue,
            retry_after_s=settings.retry_after_s,
            window_tokens=engine.window_tokens if engine is not None else 256,
            metrics=self.metrics,
        )

    def _process(self, jobs: Sequence[Any]) -> list[object]:
        if self.engine is None:  # cannot happen: score() checks readiness first
            raise RuntimeError("engine not loaded")
        return self.engine.process(jobs)

    async def start(self) -> None:
        """Start the batcher, then load (unless injected) and warm up the engine in the inference thread."""
        self.batcher.start()
        loop = asyncio.get_running_loop()
        try:
            if self.engine is None:
                self.engine = await loop.run_in_executor(self.batcher.executor, Engine.load, self.settings)
            await loop.run_in_executor(self.batcher.executor, self.engine.warm_up)
        except GuardError as exc:
            self.status = "failed"
            log.error("model load failed", extra={"guard": {"event": "load_failed", "error": str(exc)}})
            return
        except Exception as exc:  # third-party failure: log its type only
            self.status = "failed"
            log.error(
                "model load failed", extra={"guard": {"event": "load_failed", "exc_type": type(exc).__name__}}
            )
            return
        if self.status == "loading":
            self.status = "ready"
            self.metrics.ready.set(1)
            providers = ",".join(self.engine.providers) or "none"
            self.metrics.model_info.labels(self.engine.model_version, providers).set(1)
            log.info("ready", extra={"guard": {"event": "ready", "model_version": self.engine.model_version}})

    async def stop(self) -> None:
        """Refuse new work (503), finish queued and running batches, stop the inference thread."""
        self.status = "draining"
        self.metrics.ready.set(0)
        await self.batcher.close(self.settings.drain_timeout_s)
        log.info("drained", extra={"guard": {"event": "drained"}})

    async def score(
        self, state: Any, endpoint: str, kind: JobKind, texts: Sequence[str], context: Context
    ) -> list[Any]:
        """Score ``texts`` for one request; one guard result per text, in order.

        Raises:
            ApiError: 503 not ready / overloaded / draining, 429 rate limited, 400 or 500 on
                scan failures (messages carry no text).
        """
        fields: dict[str, Any] = getattr(state, LOG_STATE_KEY, {})
        fields.update(
            kind=kind,
            texts=len(texts),
            text_bytes=sum(len(t.encode("utf-8", "surrogatepass")) for t in texts),
        )
        if context.user:
            fields["user_hash"] = hash_identifier(context.user)
        if context.channel:
            fields["channel"] = context.channel
        if self.status != "ready" or self.engine is None:
            retry = str(self.settings.retry_after_s)
            code = {"loading": "not_ready", "failed": "model_failed"}.get(self.status, self.status)
            raise ApiError(503, code, f"server is {self.status}", {"Retry-After": retry})
        for index, text in enumerate(texts):  # reject unscannable input before it can share a batch
            try:
                check_text(text, self.engine.guard.max_chars)
            except InputError as exc:
                where = f"text {index}: " if len(texts) > 1 else ""
                raise ApiError(400, "invalid_input", f"{where}{exc}") from None
        principal: Principal = state.principal
        wait_s = self.limiter.acquire(principal.key_id, cost=len(texts))
        if wait_s > 0:
            self.metrics.shed.labels("rate_limited").inc()
            raise ApiError(
                429,
                "rate_limited",
                "rate limit exceeded for this API key",
                {"Retry-After": self.limiter.retry_after_header(wait_s)},
            )
        try:
            results: list[Any] = await self.batcher.submit(kind, texts, context.destination)
        except Overloaded as exc:
            self.metrics.shed.labels("overloaded").inc()
            raise ApiError(503, "overloaded", str(exc), {"Retry-After": str(exc.retry_after_s)}) from None
        except ShuttingDown:
            self.metrics.shed.labels("draining").inc()
            raise ApiError(503, "draining", "server is shutting down", {"Retry-After": "1"}) from None
        except InputError as exc:
            raise ApiError(400, "invalid_input", str(exc)) from None
        except GuardError as exc:
            fields["error"] = type(exc).__name__
            raise ApiError(500, "scan_failed", f"scan failed ({type(exc).__name__})") from None
        scans = [r.result if kind == "redact" else r for r in results]  # a redaction carries its scan
        self._account(endpoint, scans, fields)
        if self.incidents is not None:
            loop = asyncio.get_running_loop()
            ids = await loop.run_in_executor(
                None, self.incidents.record, endpoint, texts, scans, context.user, context.destination
            )
            if ids:
                fields["incidents"] = ids
        return results

    def _account(self, endpoint: str, scans: Sequence[Any], fields: dict[str, Any]) -> None:
        verdicts: collections.Counter[str] = collections.Counter()
        labels: collections.Counter[str] = collections.Counter()
        for scan in scans:
            verdicts[scan.verdict] += 1
            for finding in scan.findings:
                labels[finding.label] += 1
        for verdict, count in verdicts.items():
            self.metrics.verdicts.labels(endpoint, verdict).inc(count)
        for label, count in labels.items():
            self.metrics.findings.labels(label).inc(count)
        fields["verdicts"] = dict(verdicts)
        fields["labels"] = dict(labels)


def _incidents(settings: ServeSettings, model_version: Callable[[], str | None]) -> Any:
    """`ServerIncidents` on the configured store (spooled to disk while it is away), or None."""
    if not settings.incidents_url:
        return None
    from guard.keys import load_or_create, state_dir
    from serving.api.incidents import ServerIncidents
    from serving.incident_metrics import SpoolingStore
    from serving.store import IncidentStore

    url = settings.incidents_url
    sink = SpoolingStore(
        lambda: IncidentStore(url, source="server", model_version=model_version()),
        state_dir() / "incident-spool-server.jsonl",
    )
    return ServerIncidents(sink, load_or_create(state_dir() / "incident-hash.key"))
