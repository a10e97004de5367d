"""The server's only door into `guard`: load, warm up, and score batches of jobs.

`Engine.process` runs in the inference thread (see `serving.api.batcher`). All jobs with the
same destination, scan and redact alike, go through one `Guard.scan_many` call, so the model
scores them as one batch; a redact job then replaces its findings exactly as `Guard.redact`
does (findings whose action is ``redact`` or ``block``, the policy's operator and HMAC key).
A `GuardError` for one group becomes that group's result rather than failing the whole batch.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from guard import Guard
from guard.api import RedactResult, ScanResult
from guard.errors import GuardError
from guard.redact import redact
from serving.api.batcher import Job
from serving.api.settings import ServeSettings

__all__ = ["Engine"]

#: Texts scored once at startup so the first real request does not pay for lazy init.
_WARMUP_TEXTS = (
    "warm-up",
    "Warm-up text for the guard inference server. " * 4,
    "Longer warm-up text that spans more than one model window. " * 60,
)


class Engine:
    """A loaded `guard.Guard` plus the batch entry point the batcher calls.

    Attributes:
        guard: the facade (thread-safe; used from the inference thread only).
        window_tokens: the model's window length, for the batcher's length buckets.
    """

    def __init__(self, guard: Guard) -> None:
        self.guard = guard
        self.window_tokens = guard.model.manifest.max_length if guard.model is not None else 256

    @classmethod
    def load(cls, settings: ServeSettings) -> Engine:
        """Load the model, policy and domain packs named by ``settings``.

        ``intra_op_threads > 0`` loads the model with that many inference threads (on CPU, windows
        scored at once; one batch runs at a time, so threads = cores is right for a dedicated host).

        Raises:
            guard.errors.GuardError: missing or invalid model, policy or domain pack.
        """
        threads = settings.intra_op_threads or None
        guard = Guard.load(
            model=False if threads else settings.model,
            policy=settings.policy,
            domains=list(settings.domains),
            provider=settings.provider,
            cascade=settings.cascade,
        )
        if threads:
            from guard.model import OnnxTokenClassifier

            model = OnnxTokenClassifier.load(
                settings.model, provider=settings.provider, intra_op_threads=threads
            )
            model.cascade = settings.cascade
            guard = dataclasses.replace(guard, model=model)
        return cls(guard)

    @property
    def model_version(self) -> str:
        return self.guard.model_version

    @property
    def providers(self) -> list[str]:
        """onnxruntime execution providers in use (empty without a model)."""
        return self.guard.model.providers if self.guard.model is not None else []

    def warm_up(self) -> None:
        """Score a few texts of different lengths (allocates onnxruntime buffers)."""
        self.guard.scan_many(list(_WARMUP_TEXTS))

    def process(self, jobs: Sequence[Job]) -> list[object]:
        """Score ``jobs``: one `ScanResult`, `RedactResult` or `GuardError` per job, in order."""
        results: list[object] = [None] * len(jobs)
        groups: dict[str | None, list[int]] = {}
        for index, job in enumerate(jobs):
            groups.setdefault(job.destination, []).append(index)
        for destination, indexes in groups.items():
            try:
                scanned: list[object] = list(
                    self.guard.scan_many([jobs[i].text for i in indexes], destination)
                )
            except GuardError as exc:
                # One bad text must not fail the other requests batched with it: retry alone.
                scanned = (
                    [self._scan_alone(jobs[i].text, destination) for i in indexes]
                    if len(indexes) > 1
                    else [exc]
                )
            for i, result in zip(indexes, scanned, strict=True):
                if jobs[i].kind == "redact" and isinstance(result, ScanResult):
                    result = self._redacted(jobs[i].text, result)
                results[i] = result
        return results

    def _scan_alone(self, text: str, destination: str | None) -> object:
        try:
            return self.guard.scan(text, destination)
        except GuardError as exc:
            return exc

    def _redacted(self, text: str, result: ScanResult) -> RedactResult:
        # Same selection (ScanResult.redaction_targets) and operator as Guard.redact.
        operator = self.guard.policy.redaction.operator
        return RedactResult(
            redact(text, list(result.redaction_targets), operator, self.guard.hmac_key), result
        )
