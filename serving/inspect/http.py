"""A proxy-agnostic HTTP request and the content-coding helpers around it.

The ICAP server and the mitmproxy addon both convert their native request into
`HttpRequest`, hand it to the inspector, and convert the (possibly rewritten)
result back. Bodies here are always the *wire* bytes (still content-coded).
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import brotli

__all__ = [
    "HttpRequest",
    "UnsupportedEncoding",
    "DecodedTooLarge",
    "decode_body",
    "encode_body",
    "content_codings",
]


class UnsupportedEncoding(ValueError):
    """The body uses a content coding we cannot decode (so it cannot be inspected)."""


class DecodedTooLarge(ValueError):
    """The decoded body exceeds the inspection limit (e.g. a compression bomb)."""


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """An outbound HTTP request as the proxies see it.

    Attributes:
        method: request method, upper case.
        url: absolute URL (``scheme://host[:port]/path?query``).
        headers: header fields in wire order; names keep their case.
        body: the body bytes as sent (content-coded if ``Content-Encoding`` says so).
        client: client address or user name when the proxy knows it.
    """

    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    client: str | None = field(default=None, compare=False)

    def header(self, name: str) -> str | None:
        """Return the first value of header ``name`` (case-insensitive), or None."""
        low = name.lower()
        for key, value in self.headers:
            if key.lower() == low:
                return value
        return None

    @property
    def host(self) -> str:
        """The destination host name, lower case, without port; ``""`` when the URL has none or
        cannot be parsed (a malformed IPv6 host): `url_valid` tells which."""
        try:
            return (urlsplit(self.url).hostname or "").lower()
        except ValueError:
            return ""

    @property
    def url_valid(self) -> bool:
        """Whether the URL parses, host and port included."""
        try:
            urlsplit(self.url).port  # noqa: B018 - raises on a malformed host or port
        except ValueError:
            return False
        return True

    @property
    def destination(self) -> str:
        """``scheme://host[:port]``: where the request goes, without path or query (which may leak).

        A URL that cannot be parsed gives ``"(malformed URL)"``: never the URL itself.
        """
        try:
            parts = urlsplit(self.url)
        except ValueError:
            return "(malformed URL)"
        return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"

    def with_headers(self, headers: Iterable[tuple[str, str]]) -> HttpRequest:
        return replace(self, headers=tuple(headers))

    def with_body(self, body: bytes) -> HttpRequest:
        """Return a copy with ``body`` and a matching ``Content-Length`` (chunked framing is dropped)."""
        headers = [
            (k, v) for k, v in self.headers if k.lower() not in ("content-length", "transfer-encoding")
        ]
        if body or self.header("content-length") is not None or self.method not in ("GET", "HEAD"):
            headers.append(("Content-Length", str(len(body))))
        return replace(self, body=body, headers=tuple(headers))


def content_codings(request: HttpRequest) -> list[str]:
    """The content codings of the body in the order they were applied (``identity`` removed)."""
    raw = request.header("content-encoding") or ""
    return [c.strip().lower() for c in raw.split(",") if c.strip() and c.strip().lower() != "identity"]


def _decompress_limited(data: bytes, wbits: int, limit: int) -> bytes:
    obj = zlib.decompressobj(wbits)
    out = obj.decompress(data, limit + 1)
    if len(out) > limit or obj.unconsumed_tail:
        raise DecodedTooLarge(f"decoded body larger than {limit} bytes")
    out += obj.flush()
    if not obj.eof:  # a truncated stream decodes silently to a prefix
        raise UnsupportedEncoding("truncated compressed body")
    return out


#: Compressed bytes fed to the brotli and zstd decoders at a time (see `_sliced`).
_SLICE = 64


def _sliced(feed: Callable[[bytes], bytes], data: bytes, limit: int) -> bytes:
    """Decode ``data`` through a streaming decoder without an output limit, in small input slices,
    stopping as soon as the output passes ``limit``: a bomb never decodes in full.

    Raises:
        DecodedTooLarge: more than ``limit`` bytes of output.
    """
    parts: list[bytes] = []
    size = 0
    for i in range(0, len(data), _SLICE):
        part = feed(data[i : i + _SLICE])
        size += len(part)
        if size > limit:
            raise DecodedTooLarge(f"decoded body larger than {limit} bytes")
        parts.append(part)
    return b"".join(parts)


def _decode_one(coding: str, data: bytes, limit: int) -> bytes:
    try:
        if coding in ("gzip", "x-gzip"):
            return _decompress_limited(data, 16 + zlib.MAX_WBITS, limit)
        if coding == "deflate":
            try:
                return _decompress_limited(data, zlib.MAX_WBITS, limit)
            except zlib.error:  # some clients send raw deflate without the zlib header
                return _decompress_limited(data, -zlib.MAX_WBITS, limit)
        if coding == "br":
            # Brotli 1.1 (mitmproxy's pin) has no output limit
            dec = brotli.Decompressor()
            out = _sliced(dec.process, data, limit)
            if not dec.is_finished():  # a truncated stream decodes silently to a prefix
                raise UnsupportedEncoding("truncated br body")
            return out
        if coding == "zstd":
            import zstandard

            zobj = zstandard.ZstdDecompressor().decompressobj()  # a block of a few bytes can be 128 KB
            try:
                out = _sliced(zobj.decompress, data, limit)
            except zstandard.ZstdError as exc:
                raise UnsupportedEncoding("corrupt zstd body") from exc
            if not zobj.eof:  # a truncated stream decodes silently to a prefix
                raise UnsupportedEncoding("truncated zstd body")
            return out
    except (zlib.error, brotli.error, ValueError) as exc:
        if isinstance(exc, DecodedTooLarge | UnsupportedEncoding):
            raise
        raise UnsupportedEncoding(f"corrupt {coding} body") from exc
    raise UnsupportedEncoding(f"unsupported content coding {coding!r}")


def decode_body(body: bytes, codings: list[str], limit: int) -> bytes:
    """Undo ``codings`` (applied left to right) and return the plain body.

    Raises:
        UnsupportedEncoding: unknown or corrupt coding.
        DecodedTooLarge: the plain body would exceed ``limit`` bytes.
    """
    for coding in reversed(codings):
        body = _decode_one(coding, body, limit)
    if len(body) > limit:
        raise DecodedTooLarge(f"decoded body larger than {limit} bytes")
    return body


def encode_body(body: bytes, codings: list[str]) -> bytes:
    """Apply ``codings`` left to right (inverse of `decode_body`)."""
    for coding in codings:
        if coding in ("gzip", "x-gzip"):
            body = gzip.compress(body, mtime=0)
        elif coding == "deflate":
            body = zlib.compress(body)
        elif coding == "br":
            body = brotli.compress(body)
        elif coding == "zstd":
            import zstandard

            body = zstandard.ZstdCompressor().compress(body)
        else:
            raise UnsupportedEncoding(f"unsupported content coding {coding!r}")
    return body
