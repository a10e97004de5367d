"""Input discovery and byte streams for the audit: files, directories, globs, stdin, ``.gz``/``.zst``.

`discover(paths)` turns command-line arguments into an ordered, de-duplicated list of `Source`s plus
`Problem`s for arguments that match nothing. `open_binary(source)` returns a buffered binary stream with
transparent decompression; a truncated ``.gz`` or ``.zst`` raises `EOFError` at the point where the data
ends, so the reader can report the file and line instead of silently stopping.
"""

from __future__ import annotations

import glob
import gzip
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import zstandard

__all__ = ["FORMATS", "Problem", "Source", "detect_format", "discover", "open_binary"]

#: Record formats the reader understands.
FORMATS: tuple[str, ...] = ("text", "jsonl", "csv", "tsv")

_STDIN = "-"
_COMPRESSED = (".gz", ".zst")
_FORMAT_BY_SUFFIX = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
}


@dataclass(frozen=True, slots=True)
class Source:
    """One input: a file path or ``-`` for stdin.

    Attributes:
        path: the path as given or found (``-`` for stdin); also the name used in findings.
        format: one of `FORMATS`.
        compression: ``""``, ``"gz"`` or ``"zst"``.
    """

    path: str
    format: str
    compression: str

    @property
    def seekable(self) -> bool:
        """True when a byte offset of the raw file equals a position in the decoded stream."""
        return self.compression == "" and self.path != _STDIN


@dataclass(frozen=True, slots=True)
class Problem:
    """An input problem, reported with file and line and counted in the summary.

    Attributes:
        source: file path (or the argument that matched nothing).
        line: 1-based physical line, 0 when the problem concerns the whole file.
        kind: short machine name (``unreadable``, ``no_match``, ``invalid_json``, ``decode_fallback``,
            ``truncated``, ``long_line``, ``csv_error``, ``bad_row``).
        detail: human explanation. Never contains guarded text.
    """

    source: str
    line: int
    kind: str
    detail: str

    def to_dict(self) -> dict[str, object]:
        return {"file": self.source, "line": self.line, "kind": self.kind, "detail": self.detail}


def detect_format(path: str, forced: str | None = None) -> tuple[str, str]:
    """Return ``(format, compression)`` for ``path``; ``forced`` overrides the format from the suffix.

    Raises:
        ValueError: ``forced`` is not one of `FORMATS`.
    """
    if forced is not None and forced not in FORMATS:
        raise ValueError(f"unknown format {forced!r}; choose one of {', '.join(FORMATS)}")
    name = path.lower()
    compression = ""
    for suffix in _COMPRESSED:
        if name.endswith(suffix):
            compression = suffix[1:]
            name = name[: -len(suffix)]
    fmt = forced or _FORMAT_BY_SUFFIX.get(os.path.splitext(name)[1], "text")
    return fmt, compression


def discover(paths: list[str], forced_format: str | None = None) -> tuple[list[Source], list[Problem]]:
    """Expand files, directories (recursively) and glob patterns into sources, in a stable order.

    Hidden files inside directories are skipped (``.audit-state`` and friends); explicitly named
    files never are. An argument matching nothing yields a ``no_match`` problem.
    """
    sources: list[Source] = []
    problems: list[Problem] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        if path in seen:
            return
        seen.add(path)
        fmt, comp = detect_format(path, forced_format)
        sources.append(Source(path=path, format=fmt, compression=comp))

    for arg in paths:
        if arg == _STDIN:
            add(_STDIN)
            continue
        if os.path.isdir(arg):
            found = sorted(
                str(p)
                for p in Path(arg).rglob("*")
                if (p.is_file() or p.is_symlink()) and not any(part.startswith(".") for part in p.parts[-1:])
            )
            if not found:
                problems.append(Problem(arg, 0, "no_match", "directory contains no files"))
            for path in found:
                add(path)
        elif glob.has_magic(arg):
            found = sorted(p for p in glob.glob(arg, recursive=True) if not os.path.isdir(p))
            if not found:
                problems.append(Problem(arg, 0, "no_match", "glob pattern matches no file"))
            for path in found:
                add(path)
        elif os.path.lexists(arg):
            add(arg)
        else:
            problems.append(Problem(arg, 0, "no_match", "no such file or directory"))
    return sources, problems


class _ZstdRaw(io.RawIOBase):
    """Streaming zstd decoder that raises `EOFError` when the last frame is incomplete.

    ``zstandard``'s own stream reader returns a clean EOF on truncated input; an audit must not treat
    a truncated archive as a complete one.
    """

    _CHUNK = 1 << 17

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._dctx = zstandard.ZstdDecompressor()
        self._dobj = self._dctx.decompressobj()
        self._pending = b""
        self._in_frame = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            chunk = self._raw.read(self._CHUNK)
            if not chunk:
                if self._in_frame:
                    raise EOFError("zstd stream ended before the end of the frame")
                return 0
            self._feed(chunk)
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def _feed(self, chunk: bytes) -> None:
        out: list[bytes] = []
        while chunk:
            self._in_frame = True
            out.append(self._dobj.decompress(chunk))
            if self._dobj.eof:
                self._in_frame = False
                chunk = self._dobj.unused_data
                self._dobj = self._dctx.decompressobj()
            else:
                chunk = b""
        self._pending += b"".join(out)

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_binary(source: Source) -> BinaryIO:
    """Open ``source`` for reading decoded bytes.

    Raises:
        OSError: the file cannot be opened (missing, permission, a directory).
    """
    if source.compression == "gz" and source.path != _STDIN:
        return gzip.open(source.path, "rb")  # type: ignore[return-value]
    if source.path == _STDIN:
        raw: BinaryIO = sys.stdin.buffer
    else:
        raw = open(source.path, "rb")  # noqa: SIM115 - returned to the caller, who closes it
    if source.compression == "gz":
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    if source.compression == "zst":
        return io.BufferedReader(_ZstdRaw(raw), buffer_size=1 << 17)
    return raw
