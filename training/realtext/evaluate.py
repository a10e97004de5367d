"""Figures on the held-out real split: document verdicts on harmless text, spans on injected text.

Harmless records (no gold span) measure precision where it matters to employees: the share that
gets any finding (a finding the labels do not support) and the share that is blocked, per language
and per source. Records with gold spans (real e-mails with replaced names, real text with spliced
generated passages) measure that real surroundings do not hide a leak: entity scores and block
recall.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from training.evaluate import BLOCKING_LABELS, score_documents

__all__ = ["real_text_report", "source_of"]


def source_of(record: Mapping[str, Any]) -> str:
    """The real source a record comes from (``real:man-de`` → ``man-de``)."""
    template = str(record.get("template", ""))
    head = template.split("|", 1)[0]
    return head.split(":", 1)[1] if ":" in head else "unknown"


def _rate(k: int, n: int) -> dict[str, float | int]:
    return {"n": n, "count": k, "rate": round(k / n, 4) if n else 0.0}


def real_text_report(
    records: Sequence[Mapping[str, Any]],
    predicted: Sequence[Sequence[Mapping[str, Any]]],
    verdicts: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Report on real records.

    Args:
        records: gold records of the real split.
        predicted: spans found per record (``label``, ``start``, ``end``).
        verdicts: the product's verdict per record (``pass``/``redact``/``block``); None → a record
            is blocked when a span of a blocking label was found (the default policy's rule).
    """
    if verdicts is None:
        verdicts = ["block" if any(s["label"] in BLOCKING_LABELS for s in p) else ("redact" if p else "pass")
                    for p in predicted]  # fmt: skip
    flagged: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # key -> [n, flagged, blocked]
    labels_on_harmless: dict[str, int] = defaultdict(int)
    positives: list[int] = []
    for i, (record, spans, verdict) in enumerate(zip(records, predicted, verdicts, strict=True)):
        if record["spans"]:
            positives.append(i)
            continue
        for key in ("all", f"lang:{record['lang']}", f"source:{source_of(record)}"):
            row = flagged[key]
            row[0] += 1
            row[1] += bool(spans)
            row[2] += verdict == "block"
        for s in spans:
            labels_on_harmless[s["label"]] += 1
    harmless = {
        key: {"flagged": _rate(f, n), "blocked": _rate(b, n)} for key, (n, f, b) in sorted(flagged.items())
    }
    pos_records = [records[i] for i in positives]
    pos_pred = [predicted[i] for i in positives]
    injected = score_documents(pos_records, pos_pred).as_dict() if positives else {}
    blocking = [i for i in positives if any(s["label"] in BLOCKING_LABELS for s in records[i]["spans"])]
    return {
        "harmless": harmless,
        "labels_on_harmless": dict(sorted(labels_on_harmless.items())),
        "injected": {
            "records": len(positives),
            "micro": injected.get("micro", {}),
            "by_label": injected.get("by_label", {}),
            "block_recall": _rate(sum(verdicts[i] == "block" for i in blocking), len(blocking)),
        },
    }
