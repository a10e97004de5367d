"""Log hygiene: structured JSON access logs with ids, verdicts, labels and timings, never text."""

from __future__ import annotations

import asyncio
import json
import logging
import sys

import pytest

from serving.api.logs import ACCESS_LOGGER, JsonFormatter, hash_identifier
from tests.serving.api.apifixtures import AWS_KEY, CARD, SECRET_TEXT, AppFactory

USER = "jane.doe@example-corp.com"


def rendered(record: logging.LogRecord) -> str:
    return (
        JsonFormatter().format(record)
        + record.getMessage()
        + json.dumps(getattr(record, "guard", {}), default=str)
    )


def test_no_guarded_text_in_logs(serve: AppFactory, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)

    async def main() -> None:
        async with serve() as (_, client):
            ctx = {"user": USER, "channel": "chat", "destination": "api.openai.com"}
            await client.post(
                "/v1/scan", json={"text": SECRET_TEXT, **ctx}, headers={"X-Request-ID": "hygiene-1"}
            )
            await client.post("/v1/redact", json={"text": SECRET_TEXT, **ctx})
            await client.post("/v1/scan/batch", json={"texts": [SECRET_TEXT, "x"], **ctx})
            secret = AWS_KEY.encode()
            for content in (
                b'{"text": "' + secret + b'"',  # invalid JSON
                b'{"text": "\xff' + secret + b'"}',  # not UTF-8
                b'{"text": ["' + secret + b'"]}',  # wrong type
                b'{"text": "' + secret + b'", "extra": "' + secret + b'"}',  # unknown field
                b'{"text": "' + secret + b'\\u0000"}',  # unscannable
            ):
                await client.post("/v1/scan", content=content, headers={"content-type": "application/json"})

    asyncio.run(main())
    access = [r for r in caplog.records if r.name == ACCESS_LOGGER]
    assert len(access) == 8
    first = next(r for r in access if r.guard["request_id"] == "hygiene-1")  # type: ignore[attr-defined]
    fields = first.guard  # type: ignore[attr-defined]
    assert fields["status"] == 200 and fields["endpoint"] == "/v1/scan" and fields["verdicts"] == {"block": 1}
    assert fields["labels"]["SECRET"] >= 1 and fields["labels"]["CREDIT_CARD"] >= 1
    assert fields["user_hash"] == hash_identifier(USER) and fields["channel"] == "chat"
    assert fields["key_id"] and fields["duration_ms"] >= 0 and fields["text_bytes"] == len(SECRET_TEXT)
    for record in caplog.records:
        text = rendered(record)
        for needle in (AWS_KEY, CARD, USER, "deploy with"):
            assert needle not in text, f"{record.name} logged guarded text"


def test_json_formatter_shape_and_exception_type_only() -> None:
    try:
        raise ValueError(f"bad value {AWS_KEY}")
    except ValueError:
        record = logging.LogRecord(
            "guard.serving.x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info()
        )
    record.guard = {"event": "error", "request_id": "r1"}
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "error" and line["logger"] == "guard.serving.x" and line["msg"] == "failed"
    assert line["event"] == "error" and line["request_id"] == "r1" and line["exc_type"] == "ValueError"
    assert line["ts"].endswith("Z")
    assert AWS_KEY not in json.dumps(line)  # the exception message is never rendered


def test_hash_identifier_is_stable_and_short() -> None:
    assert hash_identifier(USER) == hash_identifier(USER) != hash_identifier(USER + "x")
    assert len(hash_identifier(USER)) == 16 and USER not in hash_identifier(USER)
