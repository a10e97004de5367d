"""The micro-batcher on the real engine: grouping, bucketing, bounds, shedding, draining."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from typing import Any

import pytest

from guard.api import RedactResult, ScanResult
from guard.errors import InputError
from serving.api.batcher import Job, MicroBatcher, Overloaded, ShuttingDown, estimate_tokens, length_buckets
from serving.api.inference import Engine
from serving.api.metrics import ServerMetrics
from tests.serving.api.apifixtures import AWS_KEY, SECRET_TEXT


class Recorder:
    """Wraps the real engine's ``process`` to record batch sizes and the calling thread."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sizes: list[int] = []
        self.threads: set[str] = set()

    def __call__(self, jobs: Sequence[Job]) -> list[object]:
        self.sizes.append(len(jobs))
        self.threads.add(threading.current_thread().name)
        return self.engine.process(jobs)


def make(recorder: Recorder, **kwargs: object) -> MicroBatcher:
    options: dict[str, object] = {
        "batching": True,
        "max_wait_s": 0.05,
        "max_tokens": 100_000,
        "max_texts": 64,
        "max_queue": 256,
        "window_tokens": recorder.engine.window_tokens,
    }
    options.update(kwargs)
    return MicroBatcher(recorder, **options)  # type: ignore[arg-type]


def test_estimate_tokens() -> None:
    assert estimate_tokens("") == 2
    assert estimate_tokens("a" * 300) == 102
    assert estimate_tokens("会" * 100) == 102  # 3 bytes per CJK character


def test_length_buckets_group_similar_lengths() -> None:
    loop = asyncio.new_event_loop()
    try:
        jobs = [
            Job("scan", "x" * n, None, estimate_tokens("x" * n), loop.create_future())
            for n in (10, 3000, 60, 150, 5000)
        ]
        buckets = length_buckets(jobs, window_tokens=256)
        assert [[len(j.text) for j in b] for b in buckets] == [[10, 60], [150], [3000, 5000]]
    finally:
        loop.close()


def test_concurrent_requests_share_a_model_call(engine: Engine) -> None:
    recorder = Recorder(engine)

    async def main() -> list[list[object]]:
        batcher = make(recorder)
        batcher.start()
        texts = [f"{SECRET_TEXT} {i}" for i in range(16)]
        results = await asyncio.gather(*(batcher.submit("scan", [t], None) for t in texts))
        await batcher.close(5)
        return results

    results = asyncio.run(main())
    assert recorder.sizes == [16]  # one model call for sixteen requests
    assert recorder.threads == {n for n in recorder.threads if n.startswith("guard-inference")}
    for (result,) in results:
        assert isinstance(result, ScanResult) and result.verdict == "block"


def test_batches_respect_text_and_token_bounds(engine: Engine) -> None:
    recorder = Recorder(engine)
    long_text = "word " * 600  # ~1000 estimated tokens

    async def main() -> None:
        batcher = make(recorder, max_texts=4, max_tokens=2500)
        batcher.start()
        await asyncio.gather(*(batcher.submit("scan", ["short text"], None) for _ in range(10)))
        await asyncio.gather(*(batcher.submit("scan", [long_text], None) for _ in range(5)))
        await batcher.close(5)

    asyncio.run(main())
    assert recorder.sizes[:3] == [4, 4, 2]
    assert recorder.sizes[3:] == [2, 2, 1]  # 2 × 1002 tokens fit in 2500, three do not


def test_unbatched_scores_one_at_a_time_with_same_results(engine: Engine) -> None:
    recorder = Recorder(engine)
    texts = [SECRET_TEXT, "hello", f"key {AWS_KEY}", "東京"]

    async def main() -> list[list[object]]:
        batcher = make(recorder, batching=False)
        batcher.start()
        out = await asyncio.gather(*(batcher.submit("scan", [t], None) for t in texts))
        await batcher.close(5)
        return out

    results = asyncio.run(main())
    assert recorder.sizes == [1, 1, 1, 1]

    # int8 activations are quantized per batch, so scores differ in the 4th decimal: compare rounded
    def shape(r: Any) -> tuple[object, ...]:
        return (r.verdict, r.actions, [(f.label, f.start, f.end, round(f.score, 2)) for f in r.findings])

    assert [shape(r[0]) for r in results] == [shape(r) for r in engine.guard.scan_many(texts)]


def test_mixed_kinds_and_destinations_in_one_batch(engine: Engine) -> None:
    recorder = Recorder(engine)

    async def main() -> list[list[object]]:
        batcher = make(recorder)
        batcher.start()
        out = await asyncio.gather(
            batcher.submit("scan", [SECRET_TEXT], "a.example"),
            batcher.submit("redact", [SECRET_TEXT], "b.example"),
            batcher.submit("scan", ["hello", SECRET_TEXT], None),
        )
        await batcher.close(5)
        return out

    scan_a, (redacted,), scan_c = asyncio.run(main())
    assert recorder.sizes == [4]
    assert scan_a == [engine.guard.scan(SECRET_TEXT, "a.example")]
    assert isinstance(redacted, RedactResult) and redacted == engine.guard.redact(SECRET_TEXT, "b.example")
    assert scan_c == engine.guard.scan_many(["hello", SECRET_TEXT])


def test_one_bad_text_fails_only_its_own_request(engine: Engine) -> None:
    async def main() -> tuple[object, object]:
        batcher = make(Recorder(engine))
        batcher.start()
        good, bad = await asyncio.gather(
            batcher.submit("scan", [SECRET_TEXT], None),
            batcher.submit("scan", ["nul\x00"], None),
            return_exceptions=True,
        )
        await batcher.close(5)
        return good, bad

    good, bad = asyncio.run(main())
    assert isinstance(bad, InputError)
    assert isinstance(good, list) and good[0].verdict == "block"


def test_queue_bound_raises_overloaded_at_once(engine: Engine) -> None:
    async def main() -> None:
        batcher = make(Recorder(engine), max_queue=3, max_wait_s=0.2, retry_after_s=2)
        batcher.start()
        first = asyncio.create_task(batcher.submit("scan", ["a", "b"], None))
        await asyncio.sleep(0)
        with pytest.raises(Overloaded) as excinfo:
            await batcher.submit("scan", ["c", "d"], None)
        assert excinfo.value.retry_after_s == 2
        assert len(await batcher.submit("scan", ["e"], None)) == 1  # still fits
        assert len(await first) == 2
        await batcher.close(5)

    asyncio.run(main())


def test_close_drains_then_refuses(engine: Engine) -> None:
    metrics = ServerMetrics()

    async def main() -> None:
        batcher = make(Recorder(engine), max_wait_s=0.3, metrics=metrics)
        batcher.start()
        queued = [asyncio.create_task(batcher.submit("scan", [SECRET_TEXT], None)) for _ in range(5)]
        await asyncio.sleep(0.01)
        assert batcher.depth == 5
        await batcher.close(10)
        assert all(len(task.result()) == 1 for task in queued)  # drained, not dropped
        with pytest.raises(ShuttingDown):
            await batcher.submit("scan", ["late"], None)

    asyncio.run(main())
    text = metrics.render().decode()
    assert "guard_queue_depth 0.0" in text and "guard_batch_size_sum 5.0" in text


def test_cancelled_request_is_skipped(engine: Engine) -> None:
    recorder = Recorder(engine)

    async def main() -> None:
        batcher = make(recorder, max_wait_s=0.1)
        batcher.start()
        gone = asyncio.create_task(batcher.submit("scan", ["client went away"], None))
        kept = asyncio.create_task(batcher.submit("scan", ["still here"], None))
        await asyncio.sleep(0.01)
        gone.cancel()
        assert len(await kept) == 1
        await batcher.close(5)

    asyncio.run(main())
    assert recorder.sizes == [1]
