"""Shared helpers for detectors: word boundaries that work on mixed-script text, context windows.

Python's ``\\b`` treats CJK ideographs as word characters, so ``月光計画`` has no boundary after
``月光`` and ``Okapi项目`` none after ``Okapi``. Detectors here only demand a boundary where the
matched text itself starts or ends with a Latin letter or digit, and then only against another
Latin letter, digit or underscore.
"""

from __future__ import annotations

import re
from typing import Protocol

__all__ = [
    "LATIN_WORD_CHARS",
    "SpanScorer",
    "bounded",
    "context_window",
    "has_cue",
]

#: Characters that glue to a Latin word (ASCII letters/digits, Latin-1 and Latin Extended letters, `_`).
LATIN_WORD_CHARS = "0-9A-Za-z_\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_LATIN_WORD = re.compile(f"[{LATIN_WORD_CHARS}]")


class SpanScorer(Protocol):
    """Gives the model's probability that ``text[start:end]`` is ``label``.

    ``guard.model.TokenAnalysis`` satisfies it; detectors use it to confirm dictionary hits by context.
    """

    def span_score(self, start: int, end: int, label: str) -> float: ...


def bounded(pattern: str, literal: str) -> str:
    """Wrap ``pattern`` (a regex for ``literal``) with Latin word boundaries where ``literal`` needs them.

    Args:
        pattern: the regex source matching ``literal``.
        literal: the plain text the pattern stands for; its first and last characters decide
            whether a boundary is required on each side.

    Returns:
        A regex source with lookarounds on the Latin sides only.
    """
    head = f"(?<![{LATIN_WORD_CHARS}])" if literal and _LATIN_WORD.match(literal[0]) else ""
    tail = f"(?![{LATIN_WORD_CHARS}])" if literal and _LATIN_WORD.match(literal[-1]) else ""
    return f"{head}(?:{pattern}){tail}"


def context_window(text: str, start: int, end: int, width: int = 40) -> tuple[str, str]:
    """Return the (before, after) context of ``text[start:end]``, at most ``width`` characters each."""
    return text[max(0, start - width) : start], text[end : end + width]


def has_cue(window: str, cues: re.Pattern[str]) -> bool:
    """Whether the compiled cue pattern occurs in ``window``."""
    return cues.search(window) is not None
