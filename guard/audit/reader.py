"""Streaming record reader: turns a `Source` into `Unit`s (what gets scanned) and `Problem`s.

Memory is bounded whatever the input: physical lines are read with a byte limit, so a 100 MB line
arrives as windows of ``max_line_bytes`` (each overlapping the previous one by ``overlap`` characters)
and is reported once as a ``long_line`` problem; multi-line records (stack traces) are grouped up to
``max_group_lines`` lines. Nothing is skipped silently: a line that is not valid JSON, not valid UTF-8
or not a valid CSV row is still scanned (as raw text or Latin-1) and reported with file and line.

Units are numbered per source (`Unit.ordinal`); a resumed audit passes the number of units already
done (and, for plain files, the byte offset after the last one) to continue exactly there.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from guard.audit.sources import Problem, Source, open_binary

__all__ = ["ReadOptions", "Unit", "read_source"]

# A line that continues the previous record: indented, or one of the usual stack-trace lines.
_CONTINUATION = re.compile(
    r"^(?:[ \t]|Caused by:|Traceback \(most recent call last\)|During handling of the above"
    r"|The above exception was|\.\.\. \d+ (?:more|common frames omitted)"
    r"|[\w.$]+(?:Error|Exception|Throwable|Warning|Exit|Interrupt)(?::|$))"
)


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to cut inputs into records.

    Attributes:
        text_fields: JSONL dotted paths / CSV column names to scan; empty = the whole JSON line / every
            CSV column.
        id_field: JSONL dotted path or CSV column giving the record id.
        time_field: JSONL dotted path or CSV column giving the record timestamp.
        max_line_bytes: longest physical line read at once; longer lines are scanned in windows.
        overlap: characters each window repeats from the previous one (findings up to this long are
            never cut by a window boundary).
        max_group_lines: most physical lines grouped into one multi-line text record.
        group_multiline: group stack-trace continuation lines with the line they continue.
    """

    text_fields: tuple[str, ...] = ()
    id_field: str | None = None
    time_field: str | None = None
    max_line_bytes: int = 1 << 20
    overlap: int = 4096
    max_group_lines: int = 200
    group_multiline: bool = True

    def __post_init__(self) -> None:
        if self.max_line_bytes < 1024:
            raise ValueError("max_line_bytes must be at least 1024")
        if not 0 <= self.overlap < self.max_line_bytes // 4:
            raise ValueError("overlap must be in [0, max_line_bytes / 4)")
        if self.max_group_lines < 1:
            raise ValueError("max_group_lines must be at least 1")


@dataclass(frozen=True, slots=True)
class Unit:
    """One scan unit: a record (or one window of an over-long line) with one or more texts.

    Attributes:
        source: the source path.
        ordinal: 0-based index of this unit in its source (checkpoint position).
        line: 1-based physical line where the unit starts.
        texts: ``(field, text)`` pairs; field is ``""`` for a whole line/record.
        record_id: value of the id field, if any.
        time: value of the time field, if any.
        base: character offset of ``texts[0]`` inside its physical line (windows of long lines), else 0.
        head: leading characters repeated from the previous window; findings ending there are dropped.
        cut: True when the text ends inside the line (a non-final window); findings touching the end
            are dropped because the next window sees them whole.
        offset: byte offset just after this unit for seekable sources, -1 when resuming needs a re-read.
        last_line: last physical line of the unit.
        problems: problems found while reading this unit's lines; they travel with the unit so that a
            resumed audit reports each exactly once.
    """

    source: str
    ordinal: int
    line: int
    texts: tuple[tuple[str, str], ...]
    record_id: str | None = None
    time: str | None = None
    base: int = 0
    head: int = 0
    cut: bool = False
    offset: int = -1
    last_line: int = 0
    problems: tuple[Problem, ...] = ()


@dataclass(slots=True)
class _Line:
    number: int
    text: str
    end: int  # byte position after the line


# Control characters the guard refuses as "binary"; replaced one-for-one by spaces so offsets hold.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SPACES = {c: " " for c in [*range(0, 9), *range(0x0E, 0x20), 0x7F]}


def _decode(raw: bytes, src: Source, number: int, problems: list[Problem]) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(
                src.path, number, "decode_fallback", f"invalid UTF-8 at byte {exc.start}; scanned as Latin-1"
            )
        )
        text = raw.decode("latin-1")
    return _clean(text, src, number, problems)


def _clean(text: str, src: Source, number: int, problems: list[Problem]) -> str:
    if _CONTROL.search(text) is None:
        return text
    count = len(_CONTROL.findall(text))
    problems.append(
        Problem(
            src.path,
            number,
            "control_chars",
            f"{count} control characters replaced by spaces before scanning",
        )
    )
    return text.translate(_SPACES)


class _LineReader:
    """Physical lines with numbers and byte positions; yields long lines as `_Window` pieces."""

    def __init__(self, stream: BinaryIO, src: Source, opts: ReadOptions, start_line: int, start_pos: int):
        self.stream = stream
        self.src = src
        self.opts = opts
        self.number = start_line
        self.pos = start_pos
        self.problems: list[Problem] = []
        self.failure: Problem | None = None

    def __iter__(self) -> Iterator[_Line | _Window]:
        """Physical lines until EOF; a read error ends the iteration and is kept in ``self.failure``."""
        try:
            yield from self._lines()
        except EOFError as exc:
            self.failure = Problem(
                self.src.path,
                self.number + 1,
                "truncated",
                f"compressed data ends early ({exc}); lines before were scanned",
            )
        except (zlib.error, OSError) as exc:
            self.failure = Problem(
                self.src.path,
                self.number + 1,
                "unreadable",
                f"{type(exc).__name__} while reading; lines before were scanned",
            )

    def _lines(self) -> Iterator[_Line | _Window]:
        limit = self.opts.max_line_bytes
        while True:
            raw = self.stream.readline(limit)
            if not raw:
                return
            self.number += 1
            self.pos += len(raw)
            if raw.endswith(b"\n") or len(raw) < limit:
                if self.number == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[3:]
                yield _Line(
                    self.number, _decode(raw.rstrip(b"\r\n"), self.src, self.number, self.problems), self.pos
                )
            else:
                yield from self._windows(raw)

    def _windows(self, first: bytes) -> Iterator[_Window]:
        number = self.number
        self.problems.append(
            Problem(
                self.src.path,
                number,
                "long_line",
                f"line longer than {self.opts.max_line_bytes} bytes; scanned in overlapping windows",
            )
        )
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        pending, consumed, carry = first, 0, ""
        while True:
            nxt = b""
            if pending.endswith(b"\n"):
                last, chunk = True, pending.rstrip(b"\r\n")
            else:
                nxt = self.stream.readline(self.opts.max_line_bytes)
                self.pos += len(nxt)
                last = nxt in (b"", b"\n", b"\r\n")
                chunk = pending.rstrip(b"\r") if last else pending
            try:
                text = decoder.decode(chunk, final=last)
            except UnicodeDecodeError:
                self.problems.append(
                    Problem(
                        self.src.path,
                        number,
                        "decode_fallback",
                        "invalid UTF-8 in a long line window; scanned as Latin-1",
                    )
                )
                decoder.reset()
                text = chunk.decode("latin-1")
            text = _clean(text, self.src, number, self.problems)
            window = carry + text
            yield _Window(number, window, consumed - len(carry), len(carry), not last)
            consumed += len(text)
            carry = window[-self.opts.overlap :] if self.opts.overlap else ""
            if last:
                return
            pending = nxt


@dataclass(slots=True)
class _Window:
    number: int
    text: str
    base: int
    head: int
    cut: bool


def read_source(
    src: Source, opts: ReadOptions, skip: int = 0, offset: int = -1, line: int = 0
) -> Iterator[Unit | Problem]:
    """Yield the units of ``src`` after the first ``skip`` ones, interleaved with problems.

    Args:
        src: what to read.
        opts: record options.
        skip: units already processed (from a checkpoint).
        offset: byte offset after unit ``skip - 1`` when known and ``src.seekable``; -1 to re-read.
        line: physical line number at ``offset``.

    Problems that end the source early (unreadable file, truncated or corrupt archive) are yielded
    last; every unit read before them is yielded first.
    """
    try:
        stream = open_binary(src)
    except OSError as exc:
        yield Problem(src.path, 0, "unreadable", f"{type(exc).__name__}: {exc.strerror or 'cannot open'}")
        return
    seek = offset >= 0 and src.seekable and skip > 0
    try:
        if seek:
            stream.seek(offset)
        lines = _LineReader(stream, src, opts, line if seek else 0, offset if seek else 0)
        records = {"text": _text_units, "jsonl": _jsonl_units, "csv": _csv_units, "tsv": _csv_units}[
            src.format
        ]
        ordinal = skip if seek else 0
        attached: list[Problem] = []
        for unit in records(src, lines, opts):
            if isinstance(unit, Problem):
                attached.append(unit)
                continue
            last = max(unit.line, unit.last_line)
            while lines.problems and lines.problems[0].line <= last:
                attached.append(lines.problems.pop(0))
            if ordinal >= skip:
                yield _renumber(unit, ordinal, src.seekable, last, tuple(attached))
            attached = []
            ordinal += 1
        if ordinal >= skip:  # problems after the last unit (or of a file without units)
            yield from attached
            yield from lines.problems
            if lines.failure is not None:
                yield lines.failure
    except OSError as exc:  # seek failure
        yield Problem(src.path, 0, "unreadable", f"{type(exc).__name__} while seeking to the checkpoint")
    finally:
        stream.close()


def _renumber(unit: Unit, ordinal: int, seekable: bool, last: int, problems: tuple[Problem, ...]) -> Unit:
    return Unit(
        unit.source,
        ordinal,
        unit.line,
        unit.texts,
        unit.record_id,
        unit.time,
        unit.base,
        unit.head,
        unit.cut,
        unit.offset if seekable else -1,
        last,
        problems,
    )


def _window_unit(src: Source, w: _Window, field: str = "") -> Unit:
    return Unit(src.path, 0, w.number, ((field, w.text),), base=w.base, head=w.head, cut=w.cut, offset=-1)


def _text_units(src: Source, lines: _LineReader, opts: ReadOptions) -> Iterator[Unit | Problem]:
    group: list[_Line] = []

    def flush() -> Unit:
        text = "\n".join(item.text for item in group)
        unit = Unit(
            src.path, 0, group[0].number, (("", text),), offset=group[-1].end, last_line=group[-1].number
        )
        group.clear()
        return unit

    for item in lines:
        if isinstance(item, _Window):
            if group:
                yield flush()
            yield _window_unit(src, item)
            continue
        joins = (
            opts.group_multiline
            and group
            and len(group) < opts.max_group_lines
            and _CONTINUATION.match(item.text) is not None
        )
        if group and not joins:
            yield flush()
        group.append(item)
    if group:
        yield flush()


def _lookup(obj: Any, path: str) -> Any:
    for key in path.split("."):
        if not isinstance(obj, dict) or key not in obj:
            return None
        obj = obj[key]
    return obj


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _jsonl_units(src: Source, lines: _LineReader, opts: ReadOptions) -> Iterator[Unit | Problem]:
    for item in lines:
        if isinstance(item, _Window):
            yield _window_unit(src, item)
            continue
        if not item.text.strip():
            continue
        try:
            obj = json.loads(item.text)
        except ValueError as exc:
            yield Problem(
                src.path,
                item.number,
                "invalid_json",
                f"not valid JSON at column {getattr(exc, 'colno', 0)}; scanned as raw text",
            )
            yield Unit(src.path, 0, item.number, (("", item.text),), offset=item.end)
            continue
        rid = _lookup(obj, opts.id_field) if opts.id_field else None
        when = _lookup(obj, opts.time_field) if opts.time_field else None
        texts: list[tuple[str, str]] = []
        if opts.text_fields and isinstance(obj, dict):
            for path in opts.text_fields:
                value = _lookup(obj, path)
                if value is not None:
                    texts.append((path, _as_text(value)))
            if not texts:
                yield Problem(
                    src.path,
                    item.number,
                    "missing_field",
                    "none of the text fields is present; scanned the whole line",
                )
        if not texts:
            if opts.text_fields and not isinstance(obj, dict):
                yield Problem(
                    src.path, item.number, "bad_row", "JSON value is not an object; scanned the whole line"
                )
            texts = [("", item.text)]
        yield Unit(
            src.path,
            0,
            item.number,
            tuple(texts),
            None if rid is None else _as_text(rid),
            None if when is None else _as_text(when),
            offset=item.end,
        )


def _csv_units(src: Source, lines: _LineReader, opts: ReadOptions) -> Iterator[Unit | Problem]:
    csv.field_size_limit(opts.max_line_bytes * 4)
    windows: list[_Window] = []
    starts_text: list[str] = []

    def physical() -> Iterator[str]:
        for item in lines:
            if isinstance(item, _Window):
                windows.append(item)
                continue
            starts_text.append(item.text)
            yield item.text + "\n"

    reader = csv.reader(physical(), delimiter="\t" if src.format == "tsv" else ",")
    header: list[str] | None = None
    wanted: list[int] | None = None
    while True:
        first = lines.number + 1
        bad: csv.Error | None = None
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            bad, row = exc, []
        while windows:
            yield _window_unit(src, windows.pop(0))
        raw_rows = list(starts_text)
        starts_text.clear()
        if bad is not None:
            yield Problem(src.path, first, "csv_error", f"invalid CSV row ({bad}); scanned as raw text")
            yield Unit(src.path, 0, first, (("", "\n".join(raw_rows)),), last_line=lines.number)
            continue
        if not row:
            continue
        if header is None:
            header = row
            columns = _columns(src, header, opts)
            if isinstance(columns, Problem):
                yield columns
            else:
                wanted = columns
            continue
        names = [header[i] if i < len(header) else f"col{i + 1}" for i in range(len(row))]
        idx = wanted if wanted is not None else list(range(len(row)))
        texts = tuple((names[i], row[i]) for i in idx if i < len(row) and row[i].strip())
        yield Unit(
            src.path,
            0,
            first,
            texts,
            _cell(header, row, opts.id_field),
            _cell(header, row, opts.time_field),
            last_line=lines.number,
        )


def _columns(src: Source, header: list[str], opts: ReadOptions) -> list[int] | Problem | None:
    if not opts.text_fields:
        return None
    missing = [f for f in opts.text_fields if f not in header]
    if missing:
        return Problem(
            src.path,
            1,
            "missing_field",
            f"columns {', '.join(missing)} not in the header; scanning every column",
        )
    return [header.index(f) for f in opts.text_fields]


def _cell(header: list[str], row: list[str], name: str | None) -> str | None:
    if name is None or name not in header:
        return None
    i = header.index(name)
    return row[i] if i < len(row) else None
