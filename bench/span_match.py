"""Span helpers shared by the peer benchmarks (``compare_presidio.py``, ``eval_realistic.py``).

All scoring goes through :func:`training.evaluate.score_documents` (exact label + start + end).
This module only prepares its inputs:

* :func:`snap_overlaps` makes the *relaxed overlap* variant: each prediction that overlaps a gold
  span of the same label is paired one-to-one with it (largest overlap first) and replaced by that
  gold span, so the exact scorer then counts the pair as a true positive. Unpaired predictions stay
  false positives, unpaired gold spans false negatives. Peers draw span edges differently
  (Presidio keeps ``Mr.`` out of a name, ends an address before the ZIP line...), so the overlap
  figure shows detection quality apart from boundary conventions. It is reported beside the exact
  figure, never instead of it.
* :func:`drop_overlapping` removes predictions that touch "don't care" regions (gold spans a
  benchmark deliberately leaves unscored), so that neither system is charged a false positive for
  finding them.
* :func:`findings_to_spans` converts guard findings; :func:`report_table` renders a Markdown table.

Spans are mappings with ``start``, ``end`` (Python ``str`` offsets, end exclusive) and ``label``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from guard.findings import Finding
from training.evaluate import EvalReport

__all__ = [
    "SpanDict",
    "drop_overlapping",
    "findings_to_spans",
    "report_table",
    "snap_overlaps",
]

#: One span as ``score_documents`` reads it.
SpanDict = dict[str, Any]


def _overlap(a: Mapping[str, Any], b: Mapping[str, Any]) -> int:
    return min(int(a["end"]), int(b["end"])) - max(int(a["start"]), int(b["start"]))


def _check(span: Mapping[str, Any], what: str) -> None:
    try:
        start, end, label = int(span["start"]), int(span["end"]), span["label"]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{what} span needs integer start/end and a label ({type(exc).__name__})") from None
    if not isinstance(label, str) or not 0 <= start < end:
        raise ValueError(f"{what} span has a bad label or range [{start}, {end})")


def snap_overlaps(
    gold: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]]
) -> list[SpanDict]:
    """Return ``predicted`` with every overlap-matched prediction replaced by its gold span.

    Matching is one-to-one per label: candidate (gold, prediction) pairs that share at least one
    character are taken in order of decreasing overlap length (ties: earlier gold, then earlier
    prediction), skipping pairs whose gold or prediction is already used. The result keeps the
    order of ``predicted``.

    Args:
        gold: the document's gold spans.
        predicted: the system's spans for the same document.

    Raises:
        ValueError: a span without integer ``start < end`` or without a string label.
    """
    for g in gold:
        _check(g, "gold")
    for p in predicted:
        _check(p, "predicted")
    pairs: list[tuple[int, int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if g["label"] == p["label"]:
                ov = _overlap(g, p)
                if ov > 0:
                    pairs.append((-ov, gi, pi))
    pairs.sort()
    used_gold: set[int] = set()
    snapped: dict[int, int] = {}
    for _, gi, pi in pairs:
        if gi in used_gold or pi in snapped:
            continue
        used_gold.add(gi)
        snapped[pi] = gi
    out: list[SpanDict] = []
    for pi, p in enumerate(predicted):
        src = gold[snapped[pi]] if pi in snapped else p
        out.append({"start": int(src["start"]), "end": int(src["end"]), "label": str(p["label"])})
    return out


def drop_overlapping(
    predicted: Sequence[Mapping[str, Any]], regions: Iterable[Mapping[str, Any]]
) -> list[SpanDict]:
    """Drop predictions that share a character with any of ``regions`` (labels are ignored).

    Args:
        predicted: spans of one document.
        regions: "don't care" ranges of the same document (``start``/``end``).
    """
    zones = [(int(r["start"]), int(r["end"])) for r in regions]
    kept: list[SpanDict] = []
    for p in predicted:
        s, e = int(p["start"]), int(p["end"])
        if not any(min(e, ze) > max(s, zs) for zs, ze in zones):
            kept.append({"start": s, "end": e, "label": str(p["label"])})
    return kept


def findings_to_spans(findings: Iterable[Finding], labels: Iterable[str] | None = None) -> list[SpanDict]:
    """Convert guard findings to span dicts, keeping only ``labels`` when given (all otherwise)."""
    keep = frozenset(labels) if labels is not None else None
    return [
        {"start": f.start, "end": f.end, "label": f.label}
        for f in findings
        if keep is None or f.label in keep
    ]


def _fmt(x: float) -> str:
    return f"{x:.3f}"


def report_table(reports: Mapping[str, EvalReport], labels: Sequence[str], *, by: str = "label") -> str:
    """Render per-label (or per-language) P/R/F1 of several systems as one Markdown table.

    Args:
        reports: column group name (system) -> its report.
        labels: row keys in display order (labels, or languages when ``by="lang"``).
        by: ``"label"`` or ``"lang"``.

    Returns:
        A Markdown table whose last row is the micro average.
    """
    if by not in ("label", "lang"):
        raise ValueError(f"by must be 'label' or 'lang', not {by!r}")
    names = list(reports)
    head = "| " + by + " | support | " + " | ".join(f"{n} P | {n} R | {n} F1" for n in names) + " |"
    sep = "|---|---:|" + "---:|" * (3 * len(names))
    rows = [head, sep]
    for key in [*labels, "micro"]:
        cells: list[str] = []
        support = 0
        for n in names:
            rep = reports[n]
            prf = rep.micro if key == "micro" else (rep.by_label if by == "label" else rep.by_lang).get(key)
            if prf is None:
                cells += ["-", "-", "-"]
                continue
            support = max(support, prf.tp + prf.fn)
            cells += [_fmt(prf.precision), _fmt(prf.recall), _fmt(prf.f1)]
        shown = f"**{key}**" if key == "micro" else key
        rows.append(f"| {shown} | {support} | " + " | ".join(cells) + " |")
    return "\n".join(rows)
