"""Redaction operators, masked previews and value hashes.

Operators (looked up by name in :data:`OPERATORS`):

* ``mask`` — every character becomes ``*`` (line breaks kept, so offsets of later lines stay readable);
* ``placeholder`` — the label in brackets: ``[EMAIL]``;
* ``hash`` — the label and a keyed HMAC-SHA256 prefix: ``[EMAIL:3f9a0c1d2e4b5a69]`` (same value and key →
  same hash, across texts; needs a key);
* ``pseudonym`` — consistent numbered placeholders within one text: the first distinct e-mail is
  ``[EMAIL_1]``, the next ``[EMAIL_2]``, and the same value always gets the same one.

:func:`mask_preview` and :func:`value_hash` are what logs, incidents and the CLI show instead of values.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from guard.findings import Finding

__all__ = ["OPERATORS", "Redactor", "mask_preview", "redact", "value_hash"]

_MASK_CHAR = "*"
_HIDDEN = "****"


def mask_preview(value: str) -> str:
    """A preview that reveals at most 2 leading + 2 trailing characters and never more than 25% of ``value``.

    The middle is always ``****`` so the preview does not give the length away. Values shorter than
    8 characters are fully masked (``****``).

    Examples:
        ``mask_preview("AKIAQYLPMN5HHHFPZAM2") == "AK****M2"``; ``mask_preview("hunter2") == "****"``.
    """
    n = len(value)
    keep = min(2, (n // 4) // 2)
    if keep == 0:
        return _HIDDEN
    return f"{value[:keep]}{_HIDDEN}{value[-keep:]}"


def value_hash(value: str, key: bytes | None = None) -> str:
    """Hex digest identifying ``value`` without revealing it: HMAC-SHA256 with ``key``, else SHA-256.

    Use a key wherever values could be guessed (short PINs, phone numbers): an unkeyed hash of a small
    space can be reversed by trying every value.
    """
    data = value.encode("utf-8", "surrogatepass")
    if key is not None:
        if not key:
            raise ValueError("HMAC key must not be empty")
        return hmac.new(key, data, hashlib.sha256).hexdigest()
    return hashlib.sha256(data).hexdigest()


@dataclass
class _State:
    """Per-text state of an operator (pseudonym numbering)."""

    key: bytes | None
    numbers: dict[tuple[str, str], int] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)


def _mask(value: str, label: str, state: _State) -> str:
    return "".join(c if c in "\r\n" else _MASK_CHAR for c in value)


def _placeholder(value: str, label: str, state: _State) -> str:
    return f"[{label}]"


def _hash(value: str, label: str, state: _State) -> str:
    if state.key is None:
        raise ValueError("the 'hash' operator needs an HMAC key")
    return f"[{label}:{value_hash(value, state.key)[:16]}]"


def _pseudonym(value: str, label: str, state: _State) -> str:
    ident = (label, value)
    if ident not in state.numbers:
        state.counters[label] = state.counters.get(label, 0) + 1
        state.numbers[ident] = state.counters[label]
    return f"[{label}_{state.numbers[ident]}]"


#: Registry: operator name → ``(value, label, state) -> replacement``.
OPERATORS: Mapping[str, Callable[[str, str, _State], str]] = MappingProxyType(
    {"mask": _mask, "placeholder": _placeholder, "hash": _hash, "pseudonym": _pseudonym}
)


@dataclass(frozen=True, slots=True)
class Redactor:
    """An operator bound to its key.

    Args:
        operator: a name in :data:`OPERATORS`.
        key: HMAC key, required by ``hash``.
    """

    operator: str = "placeholder"
    key: bytes | None = None

    def __post_init__(self) -> None:
        if self.operator not in OPERATORS:
            raise ValueError(
                f"unknown redaction operator {self.operator!r}; expected one of {sorted(OPERATORS)}"
            )
        if self.operator == "hash" and not self.key:
            raise ValueError("the 'hash' operator needs a non-empty HMAC key")

    def redact(self, text: str, findings: Sequence[Finding]) -> str:
        """Replace each finding's span in ``text``; see :func:`redact`."""
        return redact(text, findings, self.operator, self.key)


def redact(
    text: str, findings: Sequence[Finding], operator: str = "placeholder", key: bytes | None = None
) -> str:
    """Return ``text`` with every finding's span replaced by the operator's output.

    Pseudonyms are numbered in reading order (left to right); replacement then runs right to left so
    earlier offsets stay exact.

    Args:
        text: the original text.
        findings: non-overlapping findings with offsets into ``text``.
        operator: ``mask``, ``placeholder``, ``hash`` or ``pseudonym``.
        key: HMAC key for ``hash``.

    Raises:
        ValueError: unknown operator, missing key, findings that overlap or fall outside ``text``.
    """
    fn = OPERATORS.get(operator)
    if fn is None:
        raise ValueError(f"unknown redaction operator {operator!r}; expected one of {sorted(OPERATORS)}")
    ordered = sorted(findings, key=lambda f: (f.start, f.end))
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b.start < a.end:
            raise ValueError(
                f"overlapping findings [{a.start}, {a.end}) and [{b.start}, {b.end}): fuse them first"
            )
    if ordered and ordered[-1].end > len(text):
        raise ValueError(
            f"finding [{ordered[-1].start}, {ordered[-1].end}) outside a text of {len(text)} characters"
        )
    state = _State(key=key)
    replacements = [fn(text[f.start : f.end], f.label, state) for f in ordered]
    parts: list[str] = []
    cursor = len(text)
    for f, rep in zip(reversed(ordered), reversed(replacements), strict=True):
        parts.append(text[f.end : cursor])
        parts.append(rep)
        cursor = f.start
    parts.append(text[:cursor])
    return "".join(reversed(parts))
