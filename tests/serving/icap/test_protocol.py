"""ICAP wire-format helpers (RFC 3507)."""

from __future__ import annotations

import asyncio

import pytest

from serving.icap.protocol import (
    IcapError,
    chunked,
    parse_encapsulated,
    parse_http_request,
    parse_icap_head,
    read_chunked,
    serialize_http_request,
)


def test_parse_head_merges_repeated_headers() -> None:
    req = parse_icap_head(
        b"REQMOD icap://h:1344/reqmod ICAP/1.0\r\nAllow: 204\r\nAllow: trailers\r\nPreview: 0\r\n\r\n"
    )
    assert (req.method, req.service, req.allow_204, req.preview) == ("REQMOD", "reqmod", True, 0)


@pytest.mark.parametrize(
    ("head", "status"),
    [
        (b"REQMOD x\r\n\r\n", 400),
        (b"REQMOD icap://h/ ICAP/1.1\r\n\r\n", 505),
        (b"REQMOD icap://h/ ICAP/1.0\r\nbad\r\n\r\n", 400),
    ],
)
def test_parse_head_errors(head: bytes, status: int) -> None:
    with pytest.raises(IcapError) as info:
        parse_icap_head(head)
    assert info.value.status == status


def test_bad_preview_value() -> None:
    with pytest.raises(IcapError):
        _ = parse_icap_head(b"REQMOD icap://h/ ICAP/1.0\r\nPreview: -1\r\n\r\n").preview


@pytest.mark.parametrize(
    ("value", "ok"),
    [("req-hdr=0, req-body=120", True), ("req-hdr=0, null-body=77", True), ("req-hdr=9, req-body=1", False),
     ("req-hdr=x", False), ("foo=0", False), (None, False)],
)  # fmt: skip
def test_parse_encapsulated(value: str | None, ok: bool) -> None:
    if ok:
        assert parse_encapsulated(value)[0] == ("req-hdr", 0)
    else:
        with pytest.raises(IcapError):
            parse_encapsulated(value)


def _read(data: bytes, keep: int = 100) -> tuple[bytes, bool, int]:
    async def run() -> tuple[bytes, bool, int]:
        reader = asyncio.StreamReader()
        reader.feed_data(data)
        reader.feed_eof()
        return await read_chunked(reader, keep)

    return asyncio.run(run())


def test_read_chunked_with_ieof_and_keep_limit() -> None:
    assert _read(b"5\r\nhello\r\n6\r\n world\r\n0; ieof\r\n\r\n") == (b"hello world", True, 11)
    assert _read(b"5\r\nhello\r\n0\r\n\r\n", keep=3) == (b"hel", False, 5)
    assert _read(chunked(b"")) == (b"", False, 0)
    with pytest.raises(IcapError):
        _read(b"zz\r\n")


def test_http_request_round_trip_keeps_target_form() -> None:
    head = b"POST /submit?a=1 HTTP/1.1\r\nHost: example.com:8080\r\nX-A: b\r\n\r\n"
    req, target = parse_http_request(head, b"body", "10.0.0.1")
    assert req.url == "http://example.com:8080/submit?a=1" and req.client == "10.0.0.1"
    assert serialize_http_request(req, target) == head
    absolute, target2 = parse_http_request(
        b"GET https://h.example/x HTTP/1.1\r\nHost: h.example\r\n\r\n", b"", None
    )
    assert serialize_http_request(absolute, target2).startswith(b"GET https://h.example/x HTTP/1.1\r\n")
    connect, _ = parse_http_request(
        b"CONNECT h.example:443 HTTP/1.1\r\nHost: h.example:443\r\n\r\n", b"", None
    )
    assert connect.method == "CONNECT" and connect.host == "h.example"
