"""ICAP/1.0 wire format (RFC 3507) for a REQMOD service: parsing and building messages.

An ICAP message is a header block (like HTTP's) followed by encapsulated HTTP sections whose byte
offsets the ``Encapsulated`` header lists (``req-hdr=0, req-body=412`` / ``null-body=...``). Bodies are
always chunked; in a preview the last chunk ``0; ieof`` says the whole body was sent.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from serving.inspect.http import HttpRequest

__all__ = [
    "IcapError",
    "IcapRequest",
    "parse_icap_head",
    "parse_encapsulated",
    "read_chunked",
    "parse_http_request",
    "serialize_http_request",
    "serialize_http_response",
    "chunked",
    "icap_response",
    "REASONS",
]

REASONS = {
    100: "Continue", 200: "OK", 204: "No Content", 400: "Bad Request", 404: "ICAP Service Not Found",
    405: "Method Not Allowed", 408: "Request Timeout", 413: "Request Entity Too Large", 500: "Server Error",
    501: "Method Not Implemented", 505: "ICAP Version Not Supported",
}  # fmt: skip
_HTTP_REASONS = {
    200: "OK",
    403: "Forbidden",
    404: "Not Found",
    413: "Payload Too Large",
    503: "Service Unavailable",
}


class IcapError(ValueError):
    """A malformed ICAP message; ``status`` is the ICAP error code to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class IcapRequest:
    """An ICAP request head: method, service URI and headers (names lower-cased)."""

    method: str
    uri: str
    headers: dict[str, str]

    @property
    def service(self) -> str:
        try:
            return urlsplit(self.uri).path.strip("/")
        except ValueError as exc:  # a malformed IPv6 host in the ICAP URI
            raise IcapError(400, "bad ICAP URI") from exc

    @property
    def allow_204(self) -> bool:
        return "204" in [v.strip() for v in self.headers.get("allow", "").split(",")]

    @property
    def preview(self) -> int | None:
        value = self.headers.get("preview")
        if value is None:
            return None
        try:
            size = int(value)
        except ValueError as exc:
            raise IcapError(400, "bad Preview header") from exc
        if size < 0:
            raise IcapError(400, "bad Preview header")
        return size


def parse_icap_head(head: bytes) -> IcapRequest:
    """Parse the ICAP request line and headers (``head`` ends with CRLFCRLF)."""
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3:
        raise IcapError(400, "bad ICAP request line")
    method, uri, version = parts
    if version != "ICAP/1.0":
        raise IcapError(505, "unsupported ICAP version")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise IcapError(400, "bad ICAP header line")
        key = name.strip().lower()
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    return IcapRequest(method.upper(), uri, headers)


def parse_encapsulated(value: str | None) -> list[tuple[str, int]]:
    """``req-hdr=0, req-body=412`` → ``[("req-hdr", 0), ("req-body", 412)]`` (offsets must increase)."""
    if not value:
        raise IcapError(400, "missing Encapsulated header")
    out: list[tuple[str, int]] = []
    for item in value.split(","):
        name, sep, offset = item.strip().partition("=")
        if not sep or name not in ("req-hdr", "res-hdr", "req-body", "res-body", "null-body", "opt-body"):
            raise IcapError(400, "bad Encapsulated header")
        try:
            pos = int(offset)
        except ValueError as exc:
            raise IcapError(400, "bad Encapsulated offset") from exc
        if out and pos < out[-1][1]:
            raise IcapError(400, "Encapsulated offsets must not decrease")
        out.append((name, pos))
    return out


_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,15}")
#: Bytes read from the socket at a time inside a chunk: a 100 MB chunk is streamed, not buffered.
_READ = 65_536


async def _line(reader: asyncio.StreamReader) -> bytes:
    try:
        return await reader.readuntil(b"\r\n")
    except asyncio.LimitOverrunError as exc:
        raise IcapError(400, "line too long") from exc


async def read_chunked(reader: asyncio.StreamReader, keep: int) -> tuple[bytes, bool, int]:
    """Read a chunked body up to its last chunk, in constant memory beyond ``keep``.

    Args:
        reader: positioned at the first chunk-size line.
        keep: keep at most this many bytes (the rest is read and counted, not stored).

    Returns:
        ``(data, ieof, total)``: the kept bytes, whether the last chunk carried ``ieof``, and the
        full size read.

    Raises:
        IcapError: a chunk size that is not hex (negative, signed, too long), a chunk not followed
            by CRLF, or a line longer than the reader's limit.
    """
    data = bytearray()
    total = 0
    while True:
        line = await _line(reader)
        size_text, _, ext = line[:-2].partition(b";")
        if not _CHUNK_SIZE.fullmatch(size_text.strip()):
            raise IcapError(400, "bad chunk size")
        size = int(size_text.strip(), 16)
        if size == 0:
            # ICAP bodies carry no trailers: the zero chunk is followed by one empty line.
            await _line(reader)
            return bytes(data), ext.strip() == b"ieof", total
        left = size
        while left:
            part = await reader.readexactly(min(left, _READ))
            left -= len(part)
            if len(data) < keep:
                data += part[: keep - len(data)]
        if await reader.readexactly(2) != b"\r\n":
            raise IcapError(400, "chunk not followed by CRLF")
        total += size


def parse_http_request(head: bytes, body: bytes, client: str | None) -> tuple[HttpRequest, str]:
    """Parse an encapsulated HTTP request head; returns the request and the original request-target."""
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3:
        raise IcapError(400, "bad encapsulated HTTP request line")
    method, target, _version = parts
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if line:
            name, sep, value = line.partition(":")
            if not sep:
                raise IcapError(400, "bad encapsulated HTTP header")
            headers.append((name.strip(), value.strip()))
    if "://" in target:
        url = target
    else:
        host = next((v for k, v in headers if k.lower() == "host"), "")
        url = f"https://{target}/" if method.upper() == "CONNECT" else f"http://{host}{target}"
    try:
        urlsplit(url).port  # noqa: B018 - raises on a malformed host or port
    except ValueError as exc:
        raise IcapError(400, "bad encapsulated HTTP request target") from exc
    return HttpRequest(method.upper(), url, tuple(headers), body, client), target


def serialize_http_request(request: HttpRequest, original_target: str) -> bytes:
    """The HTTP request head (request line + headers + CRLFCRLF), keeping the target's form."""
    if "://" in original_target or request.method == "CONNECT":
        target = request.url if "://" in original_target else original_target
    else:
        parts = urlsplit(request.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    lines = [f"{request.method} {target} HTTP/1.1"] + [f"{k}: {v}" for k, v in request.headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", errors="replace")


def serialize_http_response(status: int, headers: tuple[tuple[str, str], ...]) -> bytes:
    """An HTTP/1.1 response head."""
    lines = [f"HTTP/1.1 {status} {_HTTP_REASONS.get(status, 'Status')}"] + [f"{k}: {v}" for k, v in headers]
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", errors="replace")


def chunked(body: bytes) -> bytes:
    """``body`` as one chunk plus the last chunk (an empty body is just the last chunk)."""
    return (f"{len(body):x}\r\n".encode() + body + b"\r\n" if body else b"") + b"0\r\n\r\n"


def icap_response(status: int, headers: list[tuple[str, str]], payload: bytes = b"") -> bytes:
    """An ICAP response: status line, headers, blank line, then the encapsulated ``payload``."""
    lines = [f"ICAP/1.0 {status} {REASONS.get(status, 'Status')}"] + [f"{k}: {v}" for k, v in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload
