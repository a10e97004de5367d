"""Scoring service: auth, per-key rate limits, 503 load shedding, graceful drain, fail modes."""

from __future__ import annotations

import asyncio

from serving.api import hash_api_key
from tests.serving.api.apifixtures import API_KEY, SECRET_TEXT, AppFactory


def run(coro: object) -> None:
    asyncio.run(coro)  # type: ignore[arg-type]


def test_api_keys(serve: AppFactory) -> None:
    other = "second-api-key-" + "fedcba9876543210"  # gitleaks:allow

    async def main() -> None:
        hashes = [hash_api_key(API_KEY), hash_api_key(other)]
        async with serve(auth=False, api_key_hashes=hashes) as (_, client):
            body = {"json": {"text": "hello"}}
            missing = await client.post("/v1/scan", **body)
            assert missing.status_code == 401 and missing.json()["error"]["code"] == "unauthorized"
            assert missing.headers["www-authenticate"].startswith("Bearer")
            wrong = await client.post(
                "/v1/scan", headers={"Authorization": "Bearer " + API_KEY[:-1] + "X"}, **body
            )
            assert wrong.status_code == 401
            basic = await client.post("/v1/scan", headers={"Authorization": "Basic " + API_KEY}, **body)
            assert basic.status_code == 401
            assert (
                await client.post("/v1/scan", headers={"Authorization": f"Bearer {API_KEY}"}, **body)
            ).status_code == 200
            assert (await client.post("/v1/scan", headers={"X-API-Key": other}, **body)).status_code == 200
            # Probes and metrics stay open for kubelet and Prometheus; metrics can be locked too.
            for path in ("/healthz", "/readyz", "/metrics", "/openapi.json"):
                assert (await client.get(path)).status_code == 200, path
            # Unauthenticated bodies are refused before they are read: no 413/422 leak of limits.
            big = await client.post(
                "/v1/scan", content=b"x" * 10, headers={"content-type": "application/json"}
            )
            assert big.status_code == 401
        async with serve(auth=False, metrics_require_auth=True) as (_, client):
            assert (await client.get("/metrics")).status_code == 401
            assert (await client.get("/metrics", headers={"X-API-Key": API_KEY})).status_code == 200

    run(main())


def test_no_keys_on_loopback_is_allowed(serve: AppFactory) -> None:
    async def main() -> None:
        async with serve(auth=False, api_key_hashes=[]) as (_, client):
            assert (await client.post("/v1/scan", json={"text": "hi"})).status_code == 200

    run(main())


def test_rate_limit_per_key(serve: AppFactory) -> None:
    async def main() -> None:
        async with serve(rate_limit_per_s=0.5, rate_limit_burst=3) as (_, client):
            codes = [(await client.post("/v1/scan", json={"text": "hi"})).status_code for _ in range(3)]
            assert codes == [200, 200, 200]
            limited = await client.post("/v1/scan", json={"text": "hi"})
            assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limited"
            assert int(limited.headers["retry-after"]) >= 1
            # A batch costs one token per text.
            batch = await client.post("/v1/scan/batch", json={"texts": ["a", "b"]})
            assert batch.status_code == 429
            metrics = (await client.get("/metrics")).text
            assert 'guard_shed_requests_total{reason="rate_limited"} 2.0' in metrics

    run(main())


def test_overload_sheds_with_503_and_retry_after(serve: AppFactory) -> None:
    """A tiny queue and a long batching wait: excess concurrent requests get 503 at once."""

    async def main() -> None:
        settings = {"max_queue": 2, "max_batch_texts": 2, "batch_max_wait_ms": 300.0, "batch_max_texts": 64}
        async with serve(**settings) as (_, client):
            responses = await asyncio.gather(
                *(client.post("/v1/scan", json={"text": f"{SECRET_TEXT} #{i}"}) for i in range(24))
            )
            codes = sorted(r.status_code for r in responses)
            assert 200 in codes and 503 in codes and set(codes) == {200, 503}
            for shed in (r for r in responses if r.status_code == 503):
                assert shed.json()["error"]["code"] == "overloaded"
                assert shed.headers["retry-after"] == "1"
            ok = await client.post("/v1/scan", json={"text": SECRET_TEXT})
            assert ok.status_code == 200  # the server recovered
            metrics = (await client.get("/metrics")).text
            assert f'guard_shed_requests_total{{reason="overloaded"}} {float(codes.count(503))}' in metrics

    run(main())


def test_shutdown_drains_queued_requests(serve: AppFactory) -> None:
    """Requests queued when shutdown starts still complete; new ones get 503 draining."""

    async def main() -> None:
        async with serve(batch_max_wait_ms=400.0, batch_max_texts=64) as (app, client):
            service = app.state.service
            pending = [
                asyncio.create_task(client.post("/v1/scan", json={"text": f"{SECRET_TEXT} {i}"}))
                for i in range(6)
            ]
            while service.batcher.depth < 6:  # all six are waiting in the batcher
                await asyncio.sleep(0.005)
            stop = asyncio.create_task(service.stop())
            await asyncio.sleep(0)
            late = await client.post("/v1/scan", json={"text": "too late"})
            assert late.status_code == 503 and late.json()["error"]["code"] == "draining"
            assert (await client.get("/readyz")).status_code == 503
            await stop
            responses = await asyncio.gather(*pending)
            assert [r.status_code for r in responses] == [200] * 6
            assert all(r.json()["verdict"] == "block" for r in responses)

    run(main())


def test_unbatched_mode_scores_alone(serve: AppFactory) -> None:
    async def main() -> None:
        async with serve(batching=False) as (_, client):
            responses = await asyncio.gather(
                *(client.post("/v1/scan", json={"text": SECRET_TEXT}) for _ in range(8))
            )
            assert {r.status_code for r in responses} == {200}
            metrics = (await client.get("/metrics")).text
            assert "guard_batch_size_sum 8.0" in metrics and "guard_batch_size_count 8.0" in metrics

    run(main())
