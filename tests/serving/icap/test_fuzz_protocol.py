"""Fuzzing the ICAP parser (hypothesis): any bytes give a message or an `IcapError`, never a crash.

Bounded by default (``GUARD_FUZZ_EXAMPLES``, 150 examples per property); CI raises the bound.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from serving.icap.protocol import (
    IcapError,
    parse_encapsulated,
    parse_http_request,
    parse_icap_head,
    read_chunked,
)
from tests.serving.icap.icapfixtures import serving_icap

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("GUARD_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_LINE = st.one_of(
    st.binary(max_size=80),
    st.sampled_from([b"REQMOD icap://127.0.0.1/reqmod ICAP/1.0", b"OPTIONS icap://[::1/reqmod ICAP/1.0",
                     b"Encapsulated: req-hdr=0, req-body=-1", b"Preview: -4", b"Allow: 204", b"Host: x"]),
)  # fmt: skip
_HEAD = st.lists(_LINE, max_size=8).map(lambda lines: b"\r\n".join(lines) + b"\r\n\r\n")


@FUZZ
@given(_HEAD)
def test_any_icap_head_parses_or_is_an_icap_error(head: bytes) -> None:
    try:
        req = parse_icap_head(head)
    except IcapError as exc:
        assert 400 <= exc.status < 600
        return
    try:
        _ = (req.service, req.allow_204, req.preview)
        parse_encapsulated(req.headers.get("encapsulated"))
    except IcapError as exc:
        assert 400 <= exc.status < 600


@FUZZ
@given(st.binary(max_size=300), st.binary(max_size=64))
def test_any_encapsulated_http_head_parses_or_is_an_icap_error(head: bytes, body: bytes) -> None:
    try:
        request, target = parse_http_request(head, body, "10.0.0.1")
    except IcapError:
        return
    assert request.body == body and isinstance(target, str)
    _ = request.host  # a parsed request's host is always readable


_CHUNKS = st.lists(
    st.one_of(
        st.binary(max_size=40),
        st.integers(-5, 300).map(lambda n: f"{n:x}\r\n".encode() if n >= 0 else f"-{-n:x}\r\n".encode()),
        st.sampled_from(
            [b"0; ieof\r\n\r\n", b"0\r\n\r\n", b"+5\r\n", b"0x10\r\n", b"\r\n", b"5\r\nhello\r\n"]
        ),
    ),
    max_size=12,
).map(b"".join)


@FUZZ
@given(_CHUNKS, st.integers(0, 64))
def test_any_chunked_body_reads_or_is_an_icap_error(data: bytes, keep: int) -> None:
    async def read() -> None:
        reader = asyncio.StreamReader(limit=1024)
        reader.feed_data(data)
        reader.feed_eof()
        try:
            body, _, total = await read_chunked(reader, keep)
        except (IcapError, asyncio.IncompleteReadError):
            return
        assert len(body) <= keep and total >= len(body)

    asyncio.run(read())


@pytest.fixture(scope="module")
def icap_port(proxy_model_dir: Path) -> Iterator[int]:
    from guard import Guard
    from serving.icap.server import IcapServer
    from serving.inspect.inspector import InspectConfig, Inspector
    from serving.inspect.scanner import LocalScanner

    inspector = Inspector(LocalScanner(Guard.load(model=proxy_model_dir)), InspectConfig(max_body=4096))
    server = IcapServer(inspector, istag="guard-fuzz", idle_timeout_s=2, message_timeout_s=2)
    with serving_icap(server) as (port, errors):
        yield port
    assert errors == [], "unhandled exceptions in the ICAP server"


@settings(max_examples=max(20, EXAMPLES // 5), deadline=None, suppress_health_check=list(HealthCheck))
@given(_HEAD, _CHUNKS)
def test_the_server_answers_any_message_and_keeps_serving(icap_port: int, head: bytes, body: bytes) -> None:
    with socket.create_connection(("127.0.0.1", icap_port), timeout=10) as sock:
        sock.sendall(head + body)
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer == b"" or answer.startswith(b"ICAP/1.0 ")
    with socket.create_connection(("127.0.0.1", icap_port), timeout=10) as sock:  # still serving
        sock.sendall(b"OPTIONS icap://127.0.0.1/reqmod ICAP/1.0\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert sock.recv(64).startswith(b"ICAP/1.0 200")
