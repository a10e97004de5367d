"""Statistics of a JSONL data file: counts per label, language and channel, negatives, templates.

    python -m training.data.stats data/train.jsonl [--json]

Prints counts only, never example text.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from training.data.errors import DataError
from training.data.loaders import read_jsonl
from training.data.record import Example

__all__ = ["main", "summarize"]


def summarize(examples: Iterable[Example]) -> dict[str, Any]:
    """Counts over ``examples``: n, negatives (share), spans per label, per language, per channel,
    distinct texts and distinct template ids."""
    labels: Counter[str] = Counter()
    langs: Counter[str] = Counter()
    channels: Counter[str] = Counter()
    templates: set[str] = set()
    texts: set[int] = set()
    n = negatives = 0
    for ex in examples:
        n += 1
        negatives += not ex["spans"]
        langs[ex["lang"]] += 1
        channels[ex["channel"]] += 1
        texts.add(hash(ex["text"]))
        templates.update(t for t in ex["template"].split("+") if t)
        labels.update(s["label"] for s in ex["spans"])
    return {
        "n": n,
        "negatives": negatives,
        "negative_share": round(negatives / n, 4) if n else 0.0,
        "distinct_texts": len(texts),
        "distinct_templates": len(templates),
        "labels": dict(labels.most_common()),
        "langs": dict(langs.most_common()),
        "channels": dict(channels.most_common()),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m training.data.stats", description=__doc__.splitlines()[0]
    )
    parser.add_argument("path", type=Path)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    try:
        summary = summarize(read_jsonl(args.path))
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
        return 0
    print(
        f"{summary['n']} examples, {summary['negative_share']:.1%} without spans, "
        f"{summary['distinct_texts']} distinct texts, {summary['distinct_templates']} templates"
    )
    for key in ("labels", "langs", "channels"):
        print(f"{key}: " + ", ".join(f"{k} {v}" for k, v in summary[key].items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
