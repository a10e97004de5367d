"""The server's only door into `guard`: load, warm up, and score batches of jobs.

`Engine.process` runs in the inference thread (see `serving.api.batcher`). Scan jobs with the
same destination go through one `Guard.scan_many` call, so the model scores them as one batch;
redact jobs go through `Guard.redact`. A `GuardError` for one group becomes that group's
result (an exception instance) rather than failing the whole batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from guard.errors import GuardError
from serving.api.batcher import Job
from serving.api.settings import ServeSettings

__all__ = ["Engine", "GuardLike"]

#: Texts scored once at startup so the first real request does not pay for lazy init.
_WARMUP_TEXTS = (
    "warm-up",
    "Warm-up text for the guard inference server. " * 4,
    "Longer warm-up text that spans more than one model window. " * 60,
)


class GuardLike(Protocol):
    """The part of the `guard.Guard` facade the server uses (docs/architecture.md)."""

    @property
    def model_version(self) -> str: ...

    def scan_many(self, texts: Sequence[str], destination: str | None = None) -> Sequence[Any]: ...

    def redact(self, text: str, destination: str | None = None) -> Any: ...


class Engine:
    """A loaded `guard.Guard` plus the batch entry point the batcher calls."""

    def __init__(self, guard: GuardLike, *, window_tokens: int = 256) -> None:
        self.guard = guard
        self.window_tokens = window_tokens

    @classmethod
    def load(cls, settings: ServeSettings) -> Engine:
        """Load the model, policy and domain packs named by ``settings``.

        Raises:
            guard.errors.GuardError: missing or invalid model, policy or domain pack.
        """
        from guard import Guard  # the core stays importable without the server extra

        guard = Guard.load(
            model=settings.model,
            policy=settings.policy,
            domains=list(settings.domains),
            provider=settings.provider,
        )
        return cls(guard)

    @property
    def model_version(self) -> str:
        return str(self.guard.model_version)

    def warm_up(self) -> None:
        """Score a few texts of different lengths (allocates onnxruntime buffers)."""
        self.guard.scan_many(list(_WARMUP_TEXTS))

    def process(self, jobs: Sequence[Job]) -> list[object]:
        """Score ``jobs``; one result per job in order (`ScanResult`, `RedactResult` or a GuardError)."""
        results: list[object] = [None] * len(jobs)
        groups: dict[str | None, list[int]] = {}
        for index, job in enumerate(jobs):
            if job.kind == "redact":
                results[index] = self._redact_one(job)
            else:
                groups.setdefault(job.destination, []).append(index)
        for destination, indexes in groups.items():
            try:
                scanned = self.guard.scan_many([jobs[i].text for i in indexes], destination=destination)
            except GuardError as exc:
                scanned = [exc] * len(indexes)
            for index, result in zip(indexes, scanned, strict=True):
                results[index] = result
        return results

    def _redact_one(self, job: Job) -> object:
        try:
            return self.guard.redact(job.text, destination=job.destination)
        except GuardError as exc:
            return exc
