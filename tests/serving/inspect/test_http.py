"""HttpRequest helpers and content codings."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest
import zstandard

from serving.inspect.http import (
    DecodedTooLarge,
    HttpRequest,
    UnsupportedEncoding,
    content_codings,
    decode_body,
    encode_body,
)

DATA = b'{"message": "hello world"}' * 20


@pytest.mark.parametrize("codings", [["gzip"], ["deflate"], ["br"], ["zstd"], ["gzip", "br"], []])
def test_codings_round_trip(codings: list[str]) -> None:
    assert decode_body(encode_body(DATA, codings), codings, 10_000) == DATA


def test_raw_deflate_and_x_gzip_are_accepted() -> None:
    raw = zlib.compressobj(wbits=-15)
    assert decode_body(raw.compress(DATA) + raw.flush(), ["deflate"], 10_000) == DATA
    assert decode_body(gzip.compress(DATA), ["x-gzip"], 10_000) == DATA


@pytest.mark.parametrize(
    "body",
    [gzip.compress(b"a" * 100_000), brotli.compress(b"a" * 100_000), zstandard.compress(b"a" * 100_000)],
)
def test_compression_bombs_are_refused(body: bytes) -> None:
    codings = (
        ["gzip"] if body[:2] == b"\x1f\x8b" else (["zstd"] if body[:4] == b"\x28\xb5\x2f\xfd" else ["br"])
    )
    with pytest.raises(DecodedTooLarge):
        decode_body(body, codings, 1000)


@pytest.mark.parametrize(
    ("body", "codings"),
    [
        (b"junk", ["gzip"]),
        (b"junk", ["compress"]),
        (b"junk", ["br"]),
        (brotli.compress(DATA)[:-3], ["br"]),
        (zstandard.compress(DATA)[:-3], ["zstd"]),
        (gzip.compress(DATA)[:-5], ["gzip"]),
    ],
    ids=["junk-gzip", "compress", "junk-br", "truncated-br", "truncated-zstd", "truncated-gzip"],
)
def test_corrupt_or_unknown_codings(body: bytes, codings: list[str]) -> None:
    with pytest.raises(UnsupportedEncoding):
        decode_body(body, codings, 1000)


def test_request_helpers() -> None:
    req = HttpRequest(
        "POST",
        "https://user:pw@Api.Example.com:8443/p?q=1",
        (("Content-Encoding", "gzip, identity"), ("Transfer-Encoding", "chunked")),
        b"x",
    )
    assert req.host == "api.example.com"
    assert req.destination == "https://Api.Example.com:8443"
    assert content_codings(req) == ["gzip"]
    out = req.with_body(b"hello")
    assert out.header("content-length") == "5" and out.header("transfer-encoding") is None
    assert HttpRequest("GET", "http://x/").with_body(b"").header("content-length") is None
