"""Analysts' verdicts as training data (``guard train --domain pack.yaml --feedback STORE_URL``).

The incident console records a verdict per incident; where the company opted in
(``--keep-training-text`` on the proxies: off by default), the store also keeps the texts that held
the findings. Those become training records:

- **confirmed**: the text with its findings' spans as labels (a leak of the company's kind, in the
  company's own words);
- **false positive**: the same text with no span at all (what guard must stop flagging);
- **missed**: not used: nobody marked what was missed, so there is no span to learn.

Incidents without kept text teach nothing and are only counted. Each record is repeated
``copies`` times in the training data: a few hundred verdicts beside thousands of generated
examples would otherwise barely move the model.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

__all__ = ["feedback_records", "write_feedback"]

_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_DE = re.compile(r"(?i)\b(?:und|der|die|das|nicht|ist|mit|für|bitte)\b")
_FR = re.compile(r"(?i)\b(?:le|la|les|des|est|avec|pour|merci|une)\b")


def _lang(text: str) -> str:
    if _KANA.search(text):
        return "ja"
    if _HAN.search(text):
        return "zh"
    de, fr = len(_DE.findall(text)), len(_FR.findall(text))
    if max(de, fr) >= 2:
        return "de" if de >= fr else "fr"
    return "en"


def feedback_records(url: str) -> tuple[list[dict[str, Any]], Counter[str]]:
    """Training records from the reviewed incidents of the store at ``url``, and counts by outcome."""
    from serving.store import IncidentStore

    store = IncidentStore(url, source="training")
    try:
        reviewed = store.reviewed_texts()
    finally:
        store.close()
    records: list[dict[str, Any]] = []
    counts: Counter[str] = Counter()
    for _, verdict, texts in reviewed:
        if verdict == "missed":
            counts["missed (not used)"] += 1
            continue
        if not texts:
            counts[f"{verdict} without kept text"] += 1
            continue
        counts[f"{verdict} with text"] += 1
        for t in texts:
            spans = (
                [{"start": a, "end": b, "label": label} for a, b, label in t.spans]
                if verdict == "confirmed"
                else []
            )
            records.append({"text": t.text, "spans": spans, "lang": _lang(t.text), "channel": "feedback",
                            "template": f"feedback:{verdict}"})  # fmt: skip
    return records, counts


def write_feedback(url: str, out: Path, copies: int = 3) -> tuple[int, Counter[str]]:
    """Write the feedback records ``copies`` times into ``out`` (JSONL); returns (records, counts)."""
    from training.pipeline import write_records

    records, counts = feedback_records(url)
    write_records((r for _ in range(copies) for r in records), out)
    return len(records), counts
