"""Every endpoint of the real app (in process, real model): scan, redact, batch, health, metrics."""

from __future__ import annotations

import asyncio
from typing import Any

from serving.api.inference import Engine
from tests.serving.api.apifixtures import AWS_KEY, CARD, SECRET_TEXT, AppFactory


def run(coro: object) -> None:
    asyncio.run(coro)  # type: ignore[arg-type]


def metric_value(exposition: str, name: str) -> float:
    """Value of the sample whose name-and-labels part is exactly ``name``."""
    for line in exposition.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} not exposed")


def test_scan_blocks_secret_with_offsets(serve: AppFactory) -> None:
    async def main() -> None:
        async with serve() as (_, client):
            response = await client.post(
                "/v1/scan", json={"text": SECRET_TEXT, "destination": "api.openai.com"}
            )
            assert response.status_code == 200
            body = response.json()
            assert body["verdict"] == "block"
            assert body["request_id"] == response.headers["x-request-id"]
            assert body["model_version"]
            spans = {(f["label"], SECRET_TEXT[f["start"] : f["end"]]) for f in body["findings"]}
            assert ("SECRET", AWS_KEY) in spans
            assert ("CREDIT_CARD", CARD) in spans
            assert AWS_KEY not in response.text and CARD not in response.text  # offsets, never values

    run(main())


def test_scan_matches_the_library(serve: AppFactory, engine: Engine) -> None:
    """The HTTP answer is exactly what `Guard.scan` says, for any text (model findings included)."""

    async def main() -> None:
        async with serve() as (_, client):
            for text in ("The weather is nice today.", SECRET_TEXT, "東京の会議は10時から。"):
                response = await client.post("/v1/scan", json={"text": text, "channel": "chat"})
                assert response.status_code == 200
                expected = engine.guard.scan(text).to_dict()
                assert {k: response.json()[k] for k in ("verdict", "findings")} == expected
            empty = await client.post("/v1/scan", json={"text": ""})
            assert empty.status_code == 200
            assert empty.json()["verdict"] == "pass" and empty.json()["findings"] == []

    run(main())


def test_redact_removes_secret(serve: AppFactory, engine: Engine) -> None:
    async def main() -> None:
        async with serve() as (_, client):
            response = await client.post("/v1/redact", json={"text": SECRET_TEXT})
            assert response.status_code == 200
            body = response.json()
            assert AWS_KEY not in body["text"] and CARD not in body["text"]
            assert body["text"] == engine.guard.redact(SECRET_TEXT).text  # batched redact == library redact
            assert {f["label"] for f in body["findings"]} >= {"SECRET", "CREDIT_CARD"}

    run(main())


def test_batch_keeps_order(serve: AppFactory) -> None:
    async def main() -> None:
        async with serve() as (_, client):
            texts = ["nothing to see", SECRET_TEXT, "still nothing", f"key={AWS_KEY}"]
            response = await client.post("/v1/scan/batch", json={"texts": texts})
            assert response.status_code == 200
            results = response.json()["results"]
            assert [r["verdict"] for r in results][1] == "block" and results[3]["verdict"] == "block"
            assert len(results) == 4
            single = await client.post("/v1/scan", json={"text": texts[3]})

            # batching does not change results (int8 activations are quantized per batch,
            # so scores are compared to 2 decimals)
            def shape(findings: list[dict[str, Any]]) -> list[tuple[object, ...]]:
                return [
                    (f["label"], f["start"], f["end"], round(f["score"], 2), f["action"]) for f in findings
                ]

            assert shape(single.json()["findings"]) == shape(results[3]["findings"])

    run(main())


def test_batch_limits(serve: AppFactory) -> None:
    async def main() -> None:
        async with serve(max_batch_texts=3) as (_, client):
            too_many = await client.post("/v1/scan/batch", json={"texts": ["a"] * 4})
            assert too_many.status_code == 422 and too_many.json()["error"]["code"] == "too_many_texts"
            empty = await client.post("/v1/scan/batch", json={"texts": []})
            assert empty.status_code == 422 and empty.json()["error"]["code"] == "invalid_request"

    run(main())


def test_health_and_readiness(serve: AppFactory) -> None:
    async def main() -> None:
        async with serve(auth=False) as (_, client):  # probes need no key
            health = await client.get("/healthz")
            assert health.status_code == 200 and health.json()["status"] == "ok"
            ready = await client.get("/readyz")
            assert ready.status_code == 200
            assert ready.json()["status"] == "ready" and ready.json()["model_version"]

    run(main())


def test_readiness_fails_when_model_cannot_load(serve: AppFactory, tmp_path: object) -> None:
    async def main() -> None:
        async with serve(use_engine=False, model=f"{tmp_path}/no-model-here") as (app, client):
            for _ in range(500):
                if app.state.service.status != "loading":
                    break
                await asyncio.sleep(0.01)
            ready = await client.get("/readyz")
            assert ready.status_code == 503 and ready.json()["status"] == "failed"
            assert (await client.get("/healthz")).status_code == 503
            scan = await client.post("/v1/scan", json={"text": "hello"})
            assert scan.status_code == 503 and scan.json()["error"]["code"] == "model_failed"
            assert "retry-after" in scan.headers

    run(main())


def test_metrics_exposition(serve: AppFactory) -> None:
    async def main() -> None:
        async with serve() as (_, client):
            await client.post("/v1/scan", json={"text": SECRET_TEXT})
            await client.post("/v1/scan", json={"text": ""})  # empty text always passes
            await client.post("/v1/redact", json={"text": SECRET_TEXT})
            response = await client.get("/metrics")
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/plain")
            text = response.text
            for line in (
                'guard_scan_verdicts_total{endpoint="/v1/scan",verdict="block"} 1.0',
                'guard_scan_verdicts_total{endpoint="/v1/scan",verdict="pass"} 1.0',
                'guard_scan_verdicts_total{endpoint="/v1/redact",verdict="block"} 1.0',
                'guard_http_requests_total{endpoint="/v1/scan",status="200"} 2.0',
                "guard_ready 1.0",
                "guard_queue_depth 0.0",
            ):
                assert line in text, line
            assert metric_value(text, 'guard_findings_total{label="SECRET"}') >= 2
            assert metric_value(text, "guard_batch_size_count") >= 3
            assert "guard_batch_size_bucket" in text and "guard_http_request_duration_seconds_bucket" in text
            assert 'guard_model_info{provider="CPUExecutionProvider",version="' in text
            assert AWS_KEY not in text

    run(main())


def test_openapi_documents_endpoints_with_examples(serve: AppFactory) -> None:
    async def main() -> None:
        async with serve(auth=False) as (_, client):
            spec = (await client.get("/openapi.json")).json()
            assert {"/v1/scan", "/v1/redact", "/v1/scan/batch", "/healthz", "/readyz", "/metrics"} <= set(
                spec["paths"]
            )
            schemas = spec["components"]["schemas"]
            assert schemas["ScanRequest"]["examples"] and schemas["ScanResponse"]["examples"]
            assert {"401", "413", "429", "503"} <= set(spec["paths"]["/v1/scan"]["post"]["responses"])

    run(main())
