"""The training record and its validation.

A record is a plain dict (JSON-friendly, `datasets`-friendly)::

    {"text": str, "spans": [{"start": int, "end": int, "label": str}], "lang": str,
     "channel": str, "template": str}

Spans are sorted, non-overlapping Python ``str`` offsets with labels from `guard.findings.LABELS`;
``text[start:end]`` is non-empty and has no surrounding whitespace.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from guard.findings import LABELS
from training.data.errors import DataError

__all__ = ["LANGS", "Example", "Span", "TextBuilder", "validate_example"]

#: Language tags of records; ``mixed`` is a text that mixes two or more of the others.
LANGS: tuple[str, ...] = ("en", "de", "fr", "ja", "zh", "mixed")

_LABEL_SET = frozenset(LABELS)


class Span(TypedDict):
    """A labeled character span ``[start, end)``."""

    start: int
    end: int
    label: str


class Example(TypedDict):
    """One training example (see module docstring)."""

    text: str
    spans: list[Span]
    lang: str
    channel: str
    template: str


class TextBuilder:
    """Builds a text piece by piece and records the spans of labeled pieces.

    Labeled pieces are trimmed of surrounding whitespace (the whitespace stays in the text, outside
    the span) so spans always satisfy `validate_example`.
    """

    __slots__ = ("_parts", "_spans", "_pos")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._spans: list[Span] = []
        self._pos = 0

    def add(self, text: str, label: str | None = None) -> None:
        """Append ``text``; if ``label`` is given, the stripped text becomes a span with that label."""
        if not text:
            return
        if label is not None:
            if label not in _LABEL_SET:
                raise ValueError(f"unknown label {label!r}")
            core = text.strip()
            if core:
                lead = len(text) - len(text.lstrip())
                start = self._pos + lead
                self._spans.append({"start": start, "end": start + len(core), "label": label})
        self._parts.append(text)
        self._pos += len(text)

    def extend(self, other: TextBuilder) -> None:
        """Append everything built by ``other`` (its spans shifted)."""
        for span in other._spans:
            self._spans.append(
                {"start": span["start"] + self._pos, "end": span["end"] + self._pos, "label": span["label"]}
            )
        self._parts.extend(other._parts)
        self._pos += other._pos

    def __len__(self) -> int:
        return self._pos

    @property
    def text(self) -> str:
        return "".join(self._parts)

    @property
    def spans(self) -> list[Span]:
        return [dict(s) for s in self._spans]  # type: ignore[misc]


def validate_example(record: Mapping[str, Any], where: str, *, langs: Sequence[str] | None = None) -> Example:
    """Check one record and return it as an `Example` with sorted spans.

    Args:
        record: a parsed record.
        where: location for error messages (``"file.jsonl:12"``).
        langs: allowed language tags; ``None`` accepts any non-empty string.

    Raises:
        DataError: missing/mistyped fields, unknown label, span out of range, empty or
            whitespace-padded span, overlapping spans. Messages carry offsets and labels only.
    """
    if not isinstance(record, Mapping):
        raise DataError(f"record is a {type(record).__name__}, expected an object", where)
    text = record.get("text")
    if not isinstance(text, str):
        raise DataError("field 'text' missing or not a string", where)
    raw_spans = record.get("spans", [])
    if not isinstance(raw_spans, list):
        raise DataError("field 'spans' is not a list", where)
    spans: list[Span] = []
    for i, span in enumerate(raw_spans):
        if not isinstance(span, Mapping):
            raise DataError(f"span {i} is not an object", where)
        start, end, label = span.get("start"), span.get("end"), span.get("label")
        if type(start) is not int or type(end) is not int:
            raise DataError(f"span {i}: start/end must be integers", where)
        if not isinstance(label, str) or label not in _LABEL_SET:
            raise DataError(f"span {i}: unknown label {label!r} (expected one of {', '.join(LABELS)})", where)
        if not 0 <= start < end <= len(text):
            raise DataError(f"span {i} [{start}, {end}) out of range for text of length {len(text)}", where)
        value = text[start:end]
        if value != value.strip():
            raise DataError(f"span {i} [{start}, {end}) {label} has leading/trailing whitespace", where)
        spans.append({"start": start, "end": end, "label": label})
    spans.sort(key=lambda s: (s["start"], s["end"]))
    for a, b in zip(spans, spans[1:], strict=False):
        if b["start"] < a["end"]:
            raise DataError(
                f"overlapping spans [{a['start']}, {a['end']}) {a['label']} and "
                f"[{b['start']}, {b['end']}) {b['label']}",
                where,
            )
    lang = record.get("lang", "und")
    if not isinstance(lang, str) or not lang or (langs is not None and lang not in langs):
        raise DataError(f"bad lang {lang!r}", where)
    channel = record.get("channel", "unknown")
    template = record.get("template", "")
    if not isinstance(channel, str) or not isinstance(template, str):
        raise DataError("fields 'channel' and 'template' must be strings", where)
    return {"text": text, "spans": spans, "lang": lang, "channel": channel, "template": template}
