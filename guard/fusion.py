"""Fusion: many detectors' findings → one sorted list of non-overlapping findings.

Two steps:

1. **Same-label merge.** Overlapping (or touching) findings with the same label become one. When a
   deterministic detector (``regex``, ``domain``, ``entropy``... anything but ``model``) is among them,
   the merged span is the union of the deterministic spans only: their offsets are exact, the model's
   word-extended span is not. Otherwise it is the union of all. The score is the maximum.
2. **Cross-label resolution.** Findings are accepted greedily by priority — validated deterministic hits
   for ``SECRET``/``CREDIT_CARD``/``BANK_ACCOUNT``/``NATIONAL_ID`` first, then other deterministic hits,
   then the model — then by length, then by score. A finding that overlaps accepted ones keeps its
   uncovered remainder when that still holds a word (a ``PHONE`` inside a model ``ADDRESS`` does not
   unmask the rest of the address); such pieces carry ``trimmed: True``.

Every output finding carries ``detectors`` (sorted names of all detectors that voted for it) in its
metadata. :func:`fuse` is pure and deterministic: the same input gives the same output in any order.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from guard.findings import Finding

__all__ = ["STRONG_LABELS", "fuse", "priority"]

#: Labels where a validated deterministic hit beats anything the model says.
STRONG_LABELS = frozenset({"SECRET", "CREDIT_CARD", "BANK_ACCOUNT", "NATIONAL_ID"})

_MODEL = "model"


def _deterministic(f: Finding) -> bool:
    return f.detector != _MODEL


def priority(f: Finding) -> int:
    """Rank of a finding in cross-label resolution (higher wins)."""
    detectors = f.metadata.get("detectors", (f.detector,))
    deterministic = any(d != _MODEL for d in detectors)
    if deterministic and f.label in STRONG_LABELS and f.detector != "entropy":
        return 3
    if deterministic and f.detector != "entropy":
        return 2
    if f.detector == "entropy":
        return 1
    return 0


def _flatten(findings: Mapping[str, Sequence[Finding]] | Iterable[Finding]) -> list[Finding]:
    if isinstance(findings, Mapping):
        return [f for group in findings.values() for f in group]
    return list(findings)


def _merge_group(group: list[Finding]) -> Finding:
    exact = [f for f in group if _deterministic(f)]
    basis = exact or group
    best = max(basis, key=lambda f: (priority(f), f.score, f.length))
    start = min(f.start for f in basis)
    end = max(f.end for f in basis)
    detectors = tuple(sorted({d for f in group for d in f.metadata.get("detectors", (f.detector,))}))
    meta: dict[str, Any] = {**best.metadata, "detectors": detectors}
    return replace(
        best, start=start, end=end, score=max(f.score for f in group), metadata=MappingProxyType(meta)
    )


def _merge_same_label(findings: list[Finding]) -> list[Finding]:
    out: list[Finding] = []
    by_label: dict[str, list[Finding]] = {}
    for f in findings:
        by_label.setdefault(f.label, []).append(f)
    for group in by_label.values():
        group.sort(key=lambda f: (f.start, f.end, f.detector))
        current = [group[0]]
        end = group[0].end
        for f in group[1:]:
            if f.start < end:
                current.append(f)
                end = max(end, f.end)
            else:
                out.append(_merge_group(current))
                current, end = [f], f.end
        out.append(_merge_group(current))
    return out


def _uncovered(f: Finding, taken: list[tuple[int, int]], text: str | None) -> list[tuple[int, int]]:
    pieces = [(f.start, f.end)]
    for s, e in taken:
        nxt: list[tuple[int, int]] = []
        for a, b in pieces:
            if e <= a or b <= s:
                nxt.append((a, b))
                continue
            if a < s:
                nxt.append((a, s))
            if e < b:
                nxt.append((e, b))
        pieces = nxt
    kept: list[tuple[int, int]] = []
    for a, b in pieces:
        if text is not None:
            while a < b and not text[a].isalnum():
                a += 1
            while b > a and not text[b - 1].isalnum():
                b -= 1
            if b - a >= 2 and any(c.isalnum() for c in text[a:b]):
                kept.append((a, b))
        elif b - a >= 3:
            kept.append((a, b))
    return kept


def fuse(
    findings: Mapping[str, Sequence[Finding]] | Iterable[Finding],
    text: str | None = None,
) -> list[Finding]:
    """Fuse detector outputs into non-overlapping findings sorted by ``start``.

    Args:
        findings: either ``{detector_name: [findings]}`` or a flat iterable of findings.
        text: the scanned text; when given, trimmed remainders are cut at word characters so they
            never start or end on spaces or punctuation. Never stored or logged.

    Returns:
        Findings with pairwise disjoint spans, each with ``metadata["detectors"]``.
    """
    merged = _merge_same_label(_flatten(findings)) if findings else []
    merged.sort(key=lambda f: (-priority(f), -f.length, -f.score, f.start, f.label))
    accepted: list[Finding] = []
    # Accepted spans are disjoint, so sorted by start they are sorted by end too: the spans that
    # overlap [s, e) are one contiguous run, found by bisection (fusion stays O(n log n)).
    starts: list[int] = []
    ends: list[int] = []
    for f in merged:
        lo, hi = bisect_right(ends, f.start), bisect_left(starts, f.end)
        if lo >= hi:
            accepted.append(f)
            insort(starts, f.start)
            insort(ends, f.end)
            continue
        overlapping = list(zip(starts[lo:hi], ends[lo:hi], strict=True))
        for a, b in _uncovered(f, overlapping, text):
            piece = replace(f, start=a, end=b, metadata=MappingProxyType({**f.metadata, "trimmed": True}))
            accepted.append(piece)
            insort(starts, a)
            insort(ends, b)
    accepted.sort(key=lambda f: (f.start, f.end))
    return accepted
