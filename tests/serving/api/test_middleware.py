"""Bad input gets a clean machine-readable 4xx and the app keeps serving: limits, encoding, ids."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from tests.serving.api.apifixtures import AWS_KEY, SECRET_TEXT, AppFactory

JSON = {"content-type": "application/json"}


def run(coro: object) -> None:
    asyncio.run(coro)  # type: ignore[arg-type]


async def assert_still_serving(client: object) -> None:
    response = await client.post("/v1/scan", json={"text": SECRET_TEXT})  # type: ignore[attr-defined]
    assert response.status_code == 200 and response.json()["verdict"] == "block"


def assert_error(response: object, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["error"]["code"] == code
    assert body["error"]["request_id"] == response.headers["x-request-id"]  # type: ignore[attr-defined]
    assert AWS_KEY not in response.text  # type: ignore[attr-defined]
    return body  # type: ignore[no-any-return]


def test_50_mb_body_is_refused_before_reading(serve: AppFactory) -> None:
    async def main() -> None:
        async with serve() as (_, client):
            body = b'{"text": "' + b"a" * (50 * 1024 * 1024) + b'"}'
            assert_error(await client.post("/v1/scan", content=body, headers=JSON), 413, "payload_too_large")
            await assert_still_serving(client)

    run(main())


def test_streamed_body_over_limit_is_cut_off(serve: AppFactory) -> None:
    sent = []

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"text": "'
        for _ in range(64):  # 64 × 64 KiB = 4 MiB, no Content-Length
            sent.append(1)
            yield b"x" * 65536
        yield b'"}'

    async def main() -> None:
        async with serve(max_body_bytes=256 * 1024) as (_, client):
            assert_error(
                await client.post("/v1/scan", content=chunks(), headers=JSON), 413, "payload_too_large"
            )
            await assert_still_serving(client)

    run(main())
    assert len(sent) < 64  # the server stopped reading early


@pytest.mark.parametrize(
    ("content", "headers", "status", "code"),
    [
        (
            b'{"text": "caf\xe9 ' + AWS_KEY.encode() + b'"}',
            JSON,
            400,
            "invalid_encoding",
        ),  # latin-1, not UTF-8
        (b'{"text": "' + AWS_KEY.encode() + b'"', JSON, 400, "invalid_json"),
        (b"[1, 2", JSON, 400, "invalid_json"),
        (b'{"text": 42}', JSON, 422, "invalid_request"),
        (
            b'{"txt": "' + AWS_KEY.encode() + b'"}',
            JSON,
            422,
            "invalid_request",
        ),  # missing text, unknown field
        (b'{"text": "a", "destination": ["x"]}', JSON, 422, "invalid_request"),
        (b'{"texts": "not a list"}', JSON, 422, "invalid_request"),
        (b'"' + AWS_KEY.encode() + b'"', JSON, 422, "invalid_request"),
        (b'{"text": "\\ud800 lone surrogate"}', JSON, 400, "invalid_input"),
        (b'{"text": "nul \\u0000 byte"}', JSON, 400, "invalid_input"),
        (b'{"text": "a"}', {"content-type": "text/plain"}, 415, "unsupported_media_type"),
        (b'{"text": "a"}', {}, 415, "unsupported_media_type"),
        (
            b'{"text": "a"}',
            {"content-type": "application/json; charset=latin-1"},
            415,
            "unsupported_media_type",
        ),
    ],
    ids=[
        "non-utf8",
        "truncated-json",
        "broken-json",
        "wrong-type",
        "missing-field",
        "wrong-nested-type",
        "batch-wrong-type",
        "not-an-object",
        "lone-surrogate",
        "nul-char",
        "text-plain",
        "no-content-type",
        "latin1-charset",
    ],
)
def test_bad_input_gets_clean_error(
    serve: AppFactory, content: bytes, headers: dict[str, str], status: int, code: str
) -> None:
    path = "/v1/scan/batch" if b"texts" in content else "/v1/scan"

    async def main() -> None:
        async with serve() as (_, client):
            body = assert_error(await client.post(path, content=content, headers=headers), status, code)
            if code == "invalid_request":
                details = body["error"]["details"]  # type: ignore[index]
                assert details and all(set(d) == {"loc", "msg", "type"} for d in details)
            await assert_still_serving(client)

    run(main())


def test_batch_with_one_bad_text_names_its_index(serve: AppFactory) -> None:
    async def main() -> None:
        async with serve() as (_, client):
            response = await client.post("/v1/scan/batch", json={"texts": ["fine", "nul \x00 here"]})
            body = assert_error(response, 400, "invalid_input")
            assert body["error"]["message"].startswith("text 1: ")  # type: ignore[index]

    run(main())


def test_unknown_route_and_method(serve: AppFactory) -> None:
    async def main() -> None:
        async with serve() as (_, client):
            assert_error(await client.get("/v1/nope"), 404, "not_found")
            assert_error(await client.get("/v1/scan"), 405, "method_not_allowed")

    run(main())


def test_request_id_is_echoed_or_generated(serve: AppFactory) -> None:
    async def main() -> None:
        async with serve() as (_, client):
            mine = await client.post("/v1/scan", json={"text": "x"}, headers={"X-Request-ID": "req-42.a"})
            assert mine.headers["x-request-id"] == "req-42.a" and mine.json()["request_id"] == "req-42.a"
            # An id that could carry junk into logs is replaced, not echoed.
            odd = await client.post("/v1/scan", json={"text": "x"}, headers={"X-Request-ID": "a b\tc" * 30})
            assert odd.headers["x-request-id"] != "a b\tc" * 30 and len(odd.headers["x-request-id"]) == 16
            fresh = await client.get("/healthz")
            assert len(fresh.headers["x-request-id"]) == 16

    run(main())
