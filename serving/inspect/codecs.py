"""Body codecs: split a plain (already content-decoded) body into text pieces and write edits back.

Each codec parses one media type into a `Document`: an ordered list of `Piece` (the texts a leak can
hide in, each with its `Location`) and a ``rebuild(texts)`` that re-serialises the body with the
pieces replaced, so that a redacted request is still valid JSON / form / multipart.

Supported: JSON (every key and string/number value, nested; GraphQL bodies are JSON), urlencoded
forms (names and values), multipart/form-data (field names, file names, text parts and uploaded
text files, nested JSON/form parts), and plain text. Binary content yields no pieces.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol
from urllib.parse import parse_qsl, urlencode

__all__ = [
    "Location",
    "Piece",
    "Document",
    "TextDocument",
    "JsonDocument",
    "FormDocument",
    "MultipartDocument",
    "BinaryDocument",
    "parse_body",
    "decode_text",
    "media_type",
]

Role = Literal["key", "value"]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a piece lives in the request.

    Attributes:
        part: ``url.path``, ``url.query``, ``header``, ``json``, ``form``, ``multipart``, ``text``;
            nested parts are joined with ``/`` (``multipart/json``).
        index: position of the piece within its part (safe to report: never a name).
        role: ``key`` for names (JSON keys, form/query names, file names), ``value`` otherwise.
    """

    part: str
    index: int
    role: Role = "value"

    def describe(self) -> str:
        """A description safe for logs and block pages (no names, no values)."""
        return f"{self.part}[{self.index}].{self.role}"


@dataclass(frozen=True, slots=True)
class Piece:
    """A text the request carries, and where it is."""

    location: Location
    text: str


class Document(Protocol):
    """A parsed body: its pieces and how to write edited pieces back."""

    pieces: list[Piece]

    def rebuild(self, texts: Sequence[str]) -> bytes:
        """Serialise the body with ``texts[i]`` in place of ``pieces[i].text``."""
        ...


def media_type(content_type: str | None) -> tuple[str, dict[str, str]]:
    """Split a Content-Type header into the lower-case media type and its parameters."""
    if not content_type:
        return "", {}
    head, *params = content_type.split(";")
    out: dict[str, str] = {}
    for param in params:
        key, _, value = param.strip().partition("=")
        if key:
            out[key.strip().lower()] = value.strip().strip('"')
    return head.strip().lower(), out


def decode_text(data: bytes, charset: str | None = None) -> str | None:
    """Decode ``data`` as text, or return None when it looks binary.

    UTF-8 (or the declared charset) is tried first; a body with NUL bytes or more than 2 % of
    undecodable bytes is treated as binary.
    """
    if b"\x00" in data[:4096]:
        return None
    for enc in filter(None, (charset, "utf-8")):
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") > max(1, len(data) // 50):
        return None
    return text


class TextDocument:
    """A body that is one text."""

    def __init__(self, text: str, part: str = "text") -> None:
        self.pieces = [Piece(Location(part, 0), text)] if text else []

    def rebuild(self, texts: Sequence[str]) -> bytes:
        return texts[0].encode() if texts else b""


class BinaryDocument:
    """A body we do not read as text (images, archives...)."""

    def __init__(self) -> None:
        self.pieces: list[Piece] = []

    def rebuild(self, texts: Sequence[str]) -> bytes:
        raise ValueError("binary bodies are never rewritten")


def _json_scalar_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return json.dumps(value)
    return None


class JsonDocument:
    """Every key and every string or number value of a JSON body, in document order."""

    def __init__(self, obj: Any, part: str = "json") -> None:
        self._obj = obj
        self.pieces: list[Piece] = []
        for role, text in self._walk(obj):
            self.pieces.append(Piece(Location(part, len(self.pieces), role), text))

    def _walk(self, obj: Any) -> Iterator[tuple[Role, str]]:
        if isinstance(obj, dict):
            for key, value in obj.items():
                yield "key", key
                yield from self._walk(value)
        elif isinstance(obj, list):
            for item in obj:
                yield from self._walk(item)
        else:
            text = _json_scalar_text(obj)
            if text is not None:
                yield "value", text

    def _replace(self, obj: Any, texts: Iterator[str]) -> Any:
        if isinstance(obj, dict):
            out: dict[str, Any] = {}
            for value in obj.values():
                new_key = next(texts)
                while new_key in out:  # two redacted keys can collide: keep both entries
                    new_key += "_"
                out[new_key] = self._replace(value, texts)
            return out
        if isinstance(obj, list):
            return [self._replace(item, texts) for item in obj]
        text = _json_scalar_text(obj)
        if text is None:
            return obj
        new = next(texts)
        return obj if new == text else new

    def rebuild(self, texts: Sequence[str]) -> bytes:
        return json.dumps(self._replace(self._obj, iter(texts)), ensure_ascii=False).encode()


class FormDocument:
    """Names and values of an ``application/x-www-form-urlencoded`` body (or a URL query)."""

    def __init__(self, text: str, part: str = "form") -> None:
        self._pairs = parse_qsl(text, keep_blank_values=True)
        self.pieces: list[Piece] = []
        for name, value in self._pairs:
            self.pieces.append(Piece(Location(part, len(self.pieces), "key"), name))
            self.pieces.append(Piece(Location(part, len(self.pieces), "value"), value))

    def rebuild_text(self, texts: Sequence[str]) -> str:
        return urlencode([(texts[2 * i], texts[2 * i + 1]) for i in range(len(self._pairs))])

    def rebuild(self, texts: Sequence[str]) -> bytes:
        return self.rebuild_text(texts).encode()


_DISPOSITION_PARAM = re.compile(rb'(;\s*(name|filename)=)("(?:[^"\\]|\\.)*"|[^;\r\n]*)', re.IGNORECASE)


@dataclass(slots=True)
class _Part:
    head: bytes  # header block without the final CRLFCRLF
    params: list[tuple[str, str]]  # disposition (name|filename, value) in header order
    content: Document
    raw: bytes


class MultipartDocument:
    """Field names, file names and text contents of a ``multipart/*`` body."""

    def __init__(self, body: bytes, boundary: str, part: str = "multipart") -> None:
        if not boundary:
            raise ValueError("multipart body without boundary")
        self._delim = b"--" + boundary.encode("latin-1")
        chunks = body.split(self._delim)
        self._preamble = chunks[0]
        self._parts: list[_Part] = []
        self._epilogue = b""
        self.pieces: list[Piece] = []
        for chunk in chunks[1:]:
            if chunk.startswith(b"--"):
                self._epilogue = chunk
                break
            raw = chunk[2:] if chunk.startswith(b"\r\n") else chunk
            raw = raw[:-2] if raw.endswith(b"\r\n") else raw
            head, _, content = raw.partition(b"\r\n\r\n")
            params = [
                (m.group(2).decode("latin-1").lower(), m.group(3).strip(b'"').decode("utf-8", "replace"))
                for m in _DISPOSITION_PARAM.finditer(head)
            ]
            ctype = _header_value(head, b"content-type")
            doc = parse_body(content, ctype, f"{part}/")
            self._parts.append(_Part(head, params, doc, raw))
            for _, value in params:
                self.pieces.append(Piece(Location(part, len(self.pieces), "key"), value))
            for sub in doc.pieces:  # renumber so every piece of the body has its own index
                self.pieces.append(
                    Piece(Location(sub.location.part, len(self.pieces), sub.location.role), sub.text)
                )

    def attachments(self) -> list[bytes]:
        """The contents of the parts that are not text (file uploads), nested multiparts included."""
        out: list[bytes] = []
        for part in self._parts:
            if isinstance(part.content, MultipartDocument):
                out.extend(part.content.attachments())
            elif isinstance(part.content, BinaryDocument):
                out.append(part.raw.partition(b"\r\n\r\n")[2])
        return out

    def rebuild(self, texts: Sequence[str]) -> bytes:
        out = [self._preamble]
        pos = 0
        for part in self._parts:
            names = texts[pos : pos + len(part.params)]
            pos += len(part.params)
            n = len(part.content.pieces)
            sub = texts[pos : pos + n]
            pos += n
            unchanged = list(names) == [v for _, v in part.params] and list(sub) == [
                p.text for p in part.content.pieces
            ]
            if unchanged:
                raw = part.raw
            else:
                replacements = iter(names)

                def _param(m: re.Match[bytes], it: Iterator[str] = replacements) -> bytes:
                    return m.group(1) + _quote_param(next(it))

                head = _DISPOSITION_PARAM.sub(_param, part.head)
                content = part.content.rebuild(sub) if n else part.raw.partition(b"\r\n\r\n")[2]
                raw = head + b"\r\n\r\n" + content
            out.append(self._delim + b"\r\n" + raw + b"\r\n")
        out.append(self._delim + (self._epilogue or b"--\r\n"))
        return b"".join(out)


def _quote_param(value: str) -> bytes:
    return b'"' + value.replace("\\", "\\\\").replace('"', '\\"').encode() + b'"'


def _header_value(head: bytes, name: bytes) -> str | None:
    for line in head.split(b"\r\n"):
        key, sep, value = line.partition(b":")
        if sep and key.strip().lower() == name:
            return value.strip().decode("latin-1")
    return None


def parse_body(body: bytes, content_type: str | None, prefix: str = "") -> Document:
    """Parse a plain body into a `Document` by media type (sniffing JSON when the type is vague).

    Raises:
        ValueError: a multipart body without boundary.
    """
    mtype, params = media_type(content_type)
    if mtype.startswith("multipart/"):
        return MultipartDocument(body, params.get("boundary", ""), f"{prefix}multipart")
    text = decode_text(body, params.get("charset"))
    if text is None:
        return BinaryDocument()
    if mtype == "application/x-www-form-urlencoded":
        return FormDocument(text, f"{prefix}form")
    looks_json = mtype.endswith("json") or text.lstrip()[:1] in ("{", "[")
    if looks_json:
        try:
            return JsonDocument(json.loads(text), f"{prefix}json")
        except ValueError:
            pass
    # Any body that decodes as text is scanned as text, whatever its declared type: a leak in a
    # mislabelled body (application/octet-stream carrying a config file) must not slip through.
    return TextDocument(text, f"{prefix}text")
