"""Dynamic micro-batching of model work across concurrent requests.

Requests put *jobs* (one per text) on a bounded queue and await their futures. One consumer
task gathers jobs into a batch: it waits at most ``max_wait_s`` after the oldest job arrived,
or less when the batch is already full (``max_texts`` texts or ``max_tokens`` estimated
tokens). The batch is split into length buckets (similar padded lengths, so short texts are
not padded to the longest one) and each bucket goes to ``process`` in a dedicated worker
thread, so the event loop keeps accepting and answering requests while the model runs.

With ``batching=False`` every job is processed alone (the baseline the benchmark compares
against); queueing, shedding and draining behave the same.

Load shedding: when accepting a request would put more than ``max_queue`` jobs in the queue,
`submit` raises `Overloaded` at once (the server answers 503 + Retry-After) instead of letting
the request wait and time out. `close` stops accepting jobs and drains those already queued.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal

from serving.api.metrics import ServerMetrics

__all__ = [
    "Job",
    "JobKind",
    "MicroBatcher",
    "Overloaded",
    "ShuttingDown",
    "Process",
    "estimate_tokens",
    "length_buckets",
]

log = logging.getLogger("guard.serving.batcher")

JobKind = Literal["scan", "redact"]


def estimate_tokens(text: str) -> int:
    """Cheap token estimate: ~3 UTF-8 bytes per sub-word token, plus 2 special tokens.

    Latin text averages 3–4 bytes per XLM-R token and CJK one 3-byte character per token, so
    bytes/3 is a fair upper-leaning estimate without running the tokenizer twice.
    """
    return len(text.encode("utf-8", "surrogatepass")) // 3 + 2


@dataclass(slots=True, eq=False)
class Job:
    """One text waiting for the model. ``future`` resolves to the engine's result."""

    kind: JobKind
    text: str
    destination: str | None
    cost: int
    future: asyncio.Future[object]
    enqueued: float = field(default_factory=time.monotonic)


#: Scores jobs in the worker thread; returns one result (or exception instance) per job, in order.
Process = Callable[[Sequence[Job]], list[object]]


class Overloaded(Exception):
    """The queue is full; retry after ``retry_after_s`` seconds."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"inference queue full; retry after {retry_after_s}s")
        self.retry_after_s = retry_after_s


class ShuttingDown(Exception):
    """The server is draining and accepts no new work."""


def length_buckets(jobs: Sequence[Job], window_tokens: int) -> list[list[Job]]:
    """Group jobs by padded length: powers of two up to one model window.

    Texts longer than a window are split into full windows by the model anyway, so they all
    share the last bucket. Buckets come out shortest first; order within a bucket is kept.
    """
    groups: dict[int, list[Job]] = {}
    for job in jobs:
        padded = min(job.cost, window_tokens)
        key = 32
        while key < padded:
            key *= 2
        groups.setdefault(min(key, window_tokens), []).append(job)
    return [groups[key] for key in sorted(groups)]


class MicroBatcher:
    """Bounded queue + one consumer task + one inference thread. See the module docstring."""

    def __init__(
        self,
        process: Process,
        *,
        batching: bool,
        max_wait_s: float,
        max_tokens: int,
        max_texts: int,
        max_queue: int,
        retry_after_s: int = 1,
        window_tokens: int = 256,
        metrics: ServerMetrics | None = None,
        executor: ThreadPoolExecutor | None = None,
    ) -> None:
        self._process = process
        self._batching = batching
        self._max_wait_s = max_wait_s
        self._max_tokens = max_tokens
        self._max_texts = max_texts if batching else 1
        self._max_queue = max_queue
        self._retry_after_s = retry_after_s
        self._window_tokens = window_tokens
        self._metrics = metrics
        self._executor = executor or ThreadPoolExecutor(max_workers=1, thread_name_prefix="guard-inference")
        self._pending: collections.deque[Job] = collections.deque()
        self._arrived = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._busy = False
        self._closing = False
        self._task: asyncio.Task[None] | None = None

    @property
    def executor(self) -> ThreadPoolExecutor:
        """The single inference thread (model loading and warm-up run there too)."""
        return self._executor

    @property
    def depth(self) -> int:
        """Jobs queued and not yet handed to the model."""
        return len(self._pending)

    @property
    def closing(self) -> bool:
        return self._closing

    def start(self) -> None:
        """Start the consumer task on the running event loop (idempotent)."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._consume(), name="guard-batcher")

    async def submit(self, kind: JobKind, texts: Sequence[str], destination: str | None) -> list[object]:
        """Queue ``texts`` and wait for their results (in order).

        Raises:
            Overloaded: the queue cannot take ``len(texts)`` more jobs right now.
            ShuttingDown: `close` was called.
            Exception: whatever ``process`` returned or raised for one of these jobs.
        """
        if self._closing or self._task is None:
            raise ShuttingDown("server is shutting down")
        if len(self._pending) + len(texts) > self._max_queue:
            raise Overloaded(self._retry_after_s)
        loop = asyncio.get_running_loop()
        jobs = [Job(kind, text, destination, estimate_tokens(text), loop.create_future()) for text in texts]
        self._pending.extend(jobs)
        self._idle.clear()
        self._set_depth()
        self._arrived.set()
        return list(await asyncio.gather(*(job.future for job in jobs)))

    async def close(self, timeout_s: float) -> None:
        """Stop accepting jobs, let queued and running ones finish, then stop the thread.

        Jobs still queued after ``timeout_s`` fail with `ShuttingDown`.
        """
        self._closing = True
        try:
            await asyncio.wait_for(self._idle.wait(), timeout_s)
        except TimeoutError:
            log.warning("drain timed out", extra={"guard": {"event": "drain_timeout", "left": self.depth}})
        while self._pending:
            job = self._pending.popleft()
            if not job.future.done():
                job.future.set_exception(ShuttingDown("server shut down before this text was scored"))
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        self._set_depth()
        await asyncio.to_thread(self._executor.shutdown, True)

    async def _consume(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            if not self._pending:
                if not self._busy:
                    self._idle.set()
                self._arrived.clear()
                await self._arrived.wait()
                continue
            if self._batching and self._max_wait_s > 0:
                await self._gather_more(loop)
            batch = self._take()
            if not batch:
                continue
            self._busy = True
            try:
                results = await loop.run_in_executor(self._executor, self._run_buckets, batch)
            except Exception as exc:  # the executor itself failed; fail these jobs, keep serving
                results = [exc] * len(batch)
            finally:
                self._busy = False
            for job, result in zip(batch, results, strict=True):
                if job.future.done():  # the client went away
                    continue
                if isinstance(result, BaseException):
                    job.future.set_exception(result)
                else:
                    job.future.set_result(result)

    async def _gather_more(self, loop: asyncio.AbstractEventLoop) -> None:
        """Wait until the oldest job is ``max_wait_s`` old or the batch budget is full."""
        deadline = self._pending[0].enqueued + self._max_wait_s
        while not self._budget_full():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            except TimeoutError:
                return

    def _budget_full(self) -> bool:
        texts = tokens = 0
        for job in self._pending:
            texts += 1
            tokens += job.cost
            if texts >= self._max_texts or tokens >= self._max_tokens:
                return True
        return False

    def _take(self) -> list[Job]:
        batch: list[Job] = []
        tokens = 0
        now = time.monotonic()
        while self._pending and len(batch) < self._max_texts:
            job = self._pending[0]
            if job.future.done():  # cancelled while queued: skip the work
                self._pending.popleft()
                continue
            if batch and tokens + job.cost > self._max_tokens:
                break
            self._pending.popleft()
            batch.append(job)
            tokens += job.cost
            if self._metrics is not None:
                self._metrics.queue_wait.observe(now - job.enqueued)
        self._set_depth()
        return batch

    def _run_buckets(self, batch: list[Job]) -> list[object]:
        """Worker thread: one ``process`` call per length bucket; results in batch order."""
        results: dict[int, object] = {}
        buckets = length_buckets(batch, self._window_tokens) if self._batching else [batch]
        for bucket in buckets:
            started = time.perf_counter()
            try:
                outputs = self._process(bucket)
                if len(outputs) != len(bucket):
                    raise RuntimeError(f"engine returned {len(outputs)} results for {len(bucket)} jobs")
            except Exception as exc:
                outputs = [exc] * len(bucket)
            if self._metrics is not None:
                self._metrics.inference.observe(time.perf_counter() - started)
                self._metrics.batch_size.observe(len(bucket))
                self._metrics.batch_tokens.observe(sum(job.cost for job in bucket))
                self._metrics.texts.inc(len(bucket))
            for job, output in zip(bucket, outputs, strict=True):
                results[id(job)] = output
        return [results[id(job)] for job in batch]

    def _set_depth(self) -> None:
        if self._metrics is not None:
            self._metrics.queue_depth.set(len(self._pending))
