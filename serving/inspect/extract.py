"""Extract every text a request can leak through, as scannable views mapped back to their pieces.

Pieces: the URL path (percent-decoded), query names and values, content-carrying headers, and the
pieces of the body (see `serving.inspect.codecs`) after undoing gzip/deflate/br/zstd.

Views (what is actually scanned, batched):
    fields   all pieces joined by newlines (one pass gives the model context across fields)
    joined   short body/query *values* glued with nothing in between (adjacent pairs, then all), so a
             secret split across JSON fields (``{"a": "AKIA...", "b": "...rest"}``) is seen whole
    decoded  a base64-looking blob or a still-percent-encoded piece, decoded
    raw      the body's bytes (after content codings) decoded as UTF-8, and as UTF-16 or
             Latin-1 where the bytes suggest it: what a parser did not see (duplicate JSON keys, a
             multipart preamble, a body that looks binary because of one NUL byte, a wrong charset)
    meta     the URL's host, port and userinfo, every header name, and the values of the headers
             not scanned as pieces (credentials by design, protocol headers)

    file     the text inside an uploaded file, the body or a multipart part: zip members, Word,
             Excel and PowerPoint text, PDF page text, gzip/bzip2/xz contents
             (`serving.inspect.files`, bounded against zip bombs)

``raw``, ``meta`` and ``file`` views map to no piece: they cannot be rewritten, so what must be
redacted in them blocks the request (`serving.inspect.inspector`). What cannot be opened (an
encrypted or corrupt file, a 7z or rar archive, a file over a bound) is listed in
`Extraction.unscanned`, and the inspector applies the fail mode.

The model reads the ``fields`` view; the derived views (``joined``, ``decoded``) go through the
deterministic detectors only (see `serving.inspect.scanner.LocalScanner`). Each view keeps
`Segment` s: view offsets → piece offsets (``exact``) or "somewhere in this piece" (decoded views),
so a redaction lands in the same field it came from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from guard.normalize import decode_base64
from serving.inspect.codecs import (
    Document,
    FormDocument,
    Location,
    MultipartDocument,
    Piece,
    decode_text,
    parse_body,
)
from serving.inspect.files import file_texts, is_file_container
from serving.inspect.http import HttpRequest, content_codings, decode_body, encode_body

__all__ = ["Segment", "View", "Extraction", "extract", "DEFAULT_SKIP_HEADERS"]

#: Headers that carry protocol data or credentials meant for the destination, not user content.
DEFAULT_SKIP_HEADERS: frozenset[str] = frozenset(
    {
        "host", "content-length", "content-type", "content-encoding", "transfer-encoding", "connection",
        "keep-alive", "proxy-connection", "proxy-authorization", "authorization", "cookie", "accept",
        "accept-encoding", "accept-language", "accept-charset", "user-agent", "cache-control", "pragma",
        "te", "trailer", "upgrade", "origin", "referer", "via", "x-forwarded-for", "x-forwarded-proto",
        "dnt", "priority", "range", "expect", "if-match", "if-none-match", "if-modified-since",
        "if-unmodified-since", "if-range", "upgrade-insecure-requests", "sec-websocket-key",
        "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol",
    }
)  # fmt: skip

_B64_BLOB = re.compile(r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{20,}={0,2}")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_MAX_DECODED_VIEWS = 64
_MAX_JOINED_PIECE = 128
#: Credential headers: scanned like any header unless the destination is trusted with them.
CREDENTIAL_HEADERS: frozenset[str] = frozenset({"authorization", "proxy-authorization", "cookie"})


@dataclass(frozen=True, slots=True)
class Segment:
    """``view.text[start:end]`` comes from piece ``piece`` (at the same offsets if ``exact``)."""

    piece: int
    start: int
    end: int
    exact: bool
    piece_offset: int = 0


@dataclass(frozen=True, slots=True)
class View:
    """A scanned text and the pieces it maps back to."""

    kind: Literal["fields", "joined", "decoded", "raw", "meta", "file"]
    text: str
    segments: tuple[Segment, ...]
    origin: str = ""  # what a raw or meta view was read from ("body as utf-16-le", "url and headers")
    model_reads: bool = False  # a raw view that is text the parser could not read: the model reads it too

    @property
    def rewritable(self) -> bool:
        """Whether a finding in this view can be redacted in place (it maps back to pieces)."""
        return bool(self.segments)

    @property
    def shallow(self) -> bool:
        """Whether only the deterministic detectors read this view (the model reads the others)."""
        return self.kind not in ("fields", "file") and not self.model_reads

    def locate(self, start: int, end: int) -> list[tuple[int, int, int] | tuple[int, None, None]]:
        """Map a view span to ``(piece, piece_start, piece_end)`` or ``(piece, None, None)`` (whole piece)."""
        out: list[tuple[int, int, int] | tuple[int, None, None]] = []
        for seg in self.segments:
            lo, hi = max(start, seg.start), min(end, seg.end)
            if lo >= hi:
                continue
            if seg.exact:
                base = seg.piece_offset - seg.start
                out.append((seg.piece, lo + base, hi + base))
            else:
                out.append((seg.piece, None, None))
        return out


@dataclass(slots=True)
class Extraction:
    """What `extract` found in a request, and how to write redacted pieces back."""

    request: HttpRequest
    pieces: list[Piece]
    views: list[View]
    unscanned: list[str] = field(default_factory=list)
    _query: FormDocument | None = None
    _header_slots: list[int] = field(default_factory=list)
    _body: Document | None = None
    _codings: list[str] = field(default_factory=list)

    def rebuild(self, texts: Sequence[str]) -> HttpRequest:
        """Return the request with ``texts[i]`` written back in place of ``pieces[i]``.

        The URL is re-quoted, the body re-serialised and re-compressed with the same codings, and
        ``Content-Length`` updated.
        """
        if len(texts) != len(self.pieces):
            raise ValueError("one text per piece expected")
        req = self.request
        parts = urlsplit(req.url)
        pos = 0
        path = parts.path if texts[0] == self.pieces[0].text else quote(texts[0], safe="/:@!$&'()*+,;=~")
        pos = 1
        query = parts.query
        if self._query is not None:
            n = len(self._query.pieces)
            sub = texts[pos : pos + n]
            if list(sub) != [p.text for p in self._query.pieces]:
                query = self._query.rebuild_text(sub)
            pos += n
        url = urlunsplit((parts.scheme, parts.netloc, path, query, parts.fragment))
        headers = list(req.headers)
        for slot in self._header_slots:
            headers[slot] = (headers[slot][0], texts[pos])
            pos += 1
        out = HttpRequest(req.method, url, tuple(headers), req.body, req.client)
        if self._body is not None and self._body.pieces:
            sub = texts[pos:]
            if list(sub) != [p.text for p in self._body.pieces]:
                out = out.with_body(encode_body(self._body.rebuild(sub), self._codings))
        return out


def _decoded_b64(blob: str) -> str | None:
    raw = decode_base64(blob)
    if raw is None:
        return None
    text = decode_text(raw)
    if not text or sum(c.isprintable() or c in "\r\n\t" for c in text) < 0.9 * len(text):
        return None
    return text


def _decoded_views(pieces: list[Piece]) -> list[View]:
    views: list[View] = []
    for idx, piece in enumerate(pieces):
        candidates: list[str] = []
        if _PERCENT.search(piece.text):
            candidates.append(unquote(piece.text))
        for m in _B64_BLOB.finditer(piece.text):
            decoded = _decoded_b64(m.group())
            if decoded is not None:
                candidates.append(decoded)
        for text in candidates:
            if len(views) >= _MAX_DECODED_VIEWS:
                return views
            views.append(View("decoded", text, (Segment(idx, 0, len(text), exact=False),)))
    return views


def _joined(kind: Literal["fields", "joined"], pieces: list[Piece], idxs: list[int], sep: str) -> View:
    segs: list[Segment] = []
    chunks: list[str] = []
    pos = 0
    for i in idxs:
        text = pieces[i].text
        segs.append(Segment(i, pos, pos + len(text), exact=True))
        chunks.append(text)
        pos += len(text) + len(sep)
    return View(kind, sep.join(chunks), tuple(segs))


def _joined_view(pieces: list[Piece], short: list[int]) -> View | None:
    """Short values glued together: each adjacent pair on its own line, then all of them.

    Pairs keep a split secret's own boundaries (detectors anchor on them); the full concatenation
    catches secrets cut into more than two fields. Only short values take part: a secret cut into
    fields yields short fields, and it bounds the extra scanning.
    """
    if len(short) < 2:
        return None
    groups = [[a, b] for a, b in zip(short, short[1:], strict=False)]
    if len(short) > 2:
        groups.append(short)
    segs: list[Segment] = []
    chunks: list[str] = []
    pos = 0
    for group in groups:
        for i in group:
            text = pieces[i].text
            segs.append(Segment(i, pos, pos + len(text), exact=True))
            chunks.append(text)
            pos += len(text)
        chunks.append("\n")
        pos += 1
    return View("joined", "".join(chunks), tuple(segs))


def extract(
    request: HttpRequest,
    *,
    max_body: int,
    skip_headers: frozenset[str] = DEFAULT_SKIP_HEADERS,
    trust_credentials: bool = False,
) -> Extraction:
    """Split ``request`` into pieces and views.

    Args:
        request: the request as sent.
        max_body: largest *decoded* body inspected; the caller blocks larger ones.
        skip_headers: lower-case header names not scanned as pieces (their values are still read by
            the ``meta`` view's detectors).
        trust_credentials: the destination is trusted with credential headers (`CREDENTIAL_HEADERS`,
            e.g. the company's own SSO cookie to its own hosts): their values are not read at all.

    Raises:
        serving.inspect.http.UnsupportedEncoding: unknown or corrupt Content-Encoding.
        serving.inspect.http.DecodedTooLarge: decoded body over ``max_body``.
        ValueError: malformed body framing (multipart without boundary).
    """
    parts = urlsplit(request.url)
    pieces: list[Piece] = [Piece(Location("url.path", 0), unquote(parts.path))]
    ext = Extraction(request, pieces, [])
    if parts.query:
        ext._query = FormDocument(parts.query, "url.query")
        pieces.extend(ext._query.pieces)
    for slot, (name, value) in enumerate(request.headers):
        if name.lower() not in skip_headers and value:
            ext._header_slots.append(slot)
            pieces.append(Piece(Location("header", len(ext._header_slots) - 1), value))
    n_before_body = len(pieces)
    plain = b""
    if request.body:
        ext._codings = content_codings(request)
        plain = decode_body(request.body, ext._codings, max_body)
        ext._body = parse_body(plain, request.header("content-type"))
        pieces.extend(ext._body.pieces)

    nonempty = [i for i, p in enumerate(pieces) if p.text]
    ext.views.append(_joined("fields", pieces, nonempty, "\n"))
    values = [
        i
        for i in nonempty
        if pieces[i].location.role == "value"
        and (i >= n_before_body or pieces[i].location.part == "url.query")
    ]
    joined = _joined_view(pieces, [i for i in values if len(pieces[i].text) <= _MAX_JOINED_PIECE])
    if joined is not None:
        ext.views.append(joined)
    ext.views.extend(_decoded_views(pieces))
    meta = _meta_view(request, skip_headers, trust_credentials)
    if meta is not None:
        ext.views.append(meta)
    if plain:
        if is_file_container(plain):
            _file_views(plain, ext)
        else:
            parsed = {p.text for p in pieces[n_before_body:]}
            ext.views.extend(_raw_views(plain, parsed, text_body=bool(ext._body and ext._body.pieces)))
    if isinstance(ext._body, MultipartDocument):
        for data in ext._body.attachments():
            if is_file_container(data):
                _file_views(data, ext)
    return ext


def _file_views(data: bytes, ext: Extraction) -> None:
    """The texts inside an uploaded file (zip, Office, PDF, gzip …) as views the model reads too."""
    texts, problems = file_texts(data)
    ext.unscanned.extend(problems)
    ext.views.extend(View("file", t.text, (), "text inside an uploaded file") for t in texts)


def _meta_view(request: HttpRequest, skip_headers: frozenset[str], trust_credentials: bool) -> View | None:
    """URL host, port and userinfo, all header names, and the header values no piece holds."""
    parts = urlsplit(request.url)
    lines = [unquote(parts.netloc)] if parts.netloc else []
    for name, value in request.headers:
        lower = name.lower()
        if lower in CREDENTIAL_HEADERS and trust_credentials:
            lines.append(name)
        elif lower in skip_headers:
            lines.append(f"{name}: {_unquoted_cookie(value) if lower == 'cookie' else value}")
            if lower != "cookie" and _PERCENT.search(value):  # a Referer's query, an encoded value
                lines.append(f"{name}: {unquote(value)}")
        else:
            lines.append(name)  # the value is a piece of its own
    text = "\n".join(lines)
    return View("meta", text, (), "url and headers") if text else None


def _unquoted_cookie(value: str) -> str:
    return "; ".join(unquote(c) for c in value.split(";"))


def _raw_views(plain: bytes, parsed: set[str], *, text_body: bool) -> list[View]:
    """The body's bytes decoded every plausible way, minus decodings that equal a parsed piece.

    UTF-8 always (NUL bytes read as spaces); UTF-16 when a BOM or many NUL bytes suggest it, in the
    byte order the BOM or the NUL positions give; Latin-1 when the bytes are not UTF-8. A decoding
    of a body the parser could not read that is mostly printable text (UTF-16 text, text after a
    NUL byte) is read by the model too (``model_reads``); other raw views go through
    the detectors only.
    """
    out: list[tuple[str, str]] = []
    utf8 = plain.decode("utf-8", errors="replace").replace("\x00", " ")
    out.append(("utf-8", utf8))
    nuls = plain.count(b"\x00")
    if plain[:2] in (b"\xff\xfe", b"\xfe\xff") or nuls * 8 >= len(plain):
        # the byte order: a BOM, else where the zero high bytes of ASCII characters stand
        if plain[:2] == b"\xff\xfe" or (
            plain[:2] != b"\xfe\xff" and plain[1::2].count(0) >= plain[::2].count(0)
        ):
            enc = "utf-16-le"
        else:
            enc = "utf-16-be"
        even = plain[: len(plain) - len(plain) % 2]
        out.append((enc, even.decode(enc, errors="replace").lstrip("\ufeff").replace("\x00", " ")))
    if "\ufffd" in utf8:
        out.append(("latin-1", plain.decode("latin-1").replace("\x00", " ")))
    views: list[View] = []
    seen = set(parsed)
    for enc, text in out:
        if not text.strip() or text in seen:
            continue
        seen.add(text)
        texty = not text_body and _printable_share(text) >= 0.9
        views.append(View("raw", text, (), f"body as {enc}", model_reads=texty))
    return views


def _printable_share(text: str) -> float:
    sample = text[:4096]
    return sum(c.isprintable() or c in "\r\n\t" for c in sample) / max(1, len(sample))
