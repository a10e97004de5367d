"""Evaluate guard on the held-out real-text split built by `guard corpus` (docs/realtext.md).

The whole product runs (model + deterministic detectors, default policy, no domain pack unless
``--domain``). Figures, per language and per source:

* harmless paragraphs (no gold span): the share with any finding (none is supported by the labels)
  and the share blocked;
* paragraphs with generated values in real context: entity micro P/R/F1 (exact span match) and
  block recall.

Several models can be measured in one run (``--model`` repeated; ``default`` is the packaged one),
so figures compared with each other always come from the same run and machine.

Usage::

    python bench/eval_realtext.py --data ~/guard-runs/realtext/test.jsonl.gz --model default \\
        --model DIR [--domain pack.yaml] [--name realtext]

Writes ``bench/results/<name>.json`` and ``.md`` (figures only, never text).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.machine import cpu_name, shown_command, write_results  # noqa: E402
from guard import Guard  # noqa: E402
from training.evaluate import spans_of  # noqa: E402
from training.pipeline import load_records  # noqa: E402
from training.realtext.evaluate import real_text_report  # noqa: E402

TARGET_FLAG, TARGET_BLOCK = 0.02, 0.01


def measure(model: str, records: Sequence[dict[str, Any]], domain: str | None) -> dict[str, Any]:
    guard = Guard.load(model=None if model == "default" else model, domains=[domain] if domain else [])
    t0 = time.perf_counter()
    results = guard.scan_many([r["text"] for r in records])
    seconds = time.perf_counter() - t0
    report = real_text_report(records, spans_of(results), [r.verdict for r in results])
    return {"model": guard.model_version, "scan_seconds": round(seconds, 1), **report}


def _pct(row: dict[str, Any]) -> str:
    return f"{row['rate'] * 100:.1f} % ({row['count']}/{row['n']})"


def render(result: dict[str, Any]) -> str:
    runs = result["runs"]
    names = [r["model"] for r in runs]
    lines = [
        "# guard on the held-out real-text split",
        "",
        f"Command: `{result['command']}`",
        "",
        f"Data: {result['records']} records of `{result['data']}` ({result['harmless']} harmless, "
        f"{result['records'] - result['harmless']} with generated values); built by `guard corpus` "
        "(docs/realtext.md), split by document, never trained on. Full product: model + detectors, "
        f"default policy{', domain pack ' + result['domain'] if result['domain'] else ''}. "
        f"Machine: {result['cpu']}, all models in one run.",
        "",
        f"Targets (issue 16): a finding on ≤ {TARGET_FLAG * 100:.0f} % and a block on ≤ "
        f"{TARGET_BLOCK * 100:.0f} % of harmless paragraphs.",
        "",
        "## Harmless paragraphs: share with a finding / share blocked",
        "",
        "| slice | " + " | ".join(f"{n} finding | {n} blocked" for n in names) + " |",
        "|---|" + "---:|---:|" * len(names),
    ]
    for key in runs[0]["harmless"]:
        cells = []
        for r in runs:
            row = r["harmless"].get(key)
            cells += [_pct(row["flagged"]), _pct(row["blocked"])] if row else ["", ""]
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    lines += ["", "Labels of the findings on harmless paragraphs:", ""]
    for r in runs:
        found = ", ".join(f"{k} {v}" for k, v in r["labels_on_harmless"].items()) or "none"
        lines.append(f"- {r['model']}: {found}")
    lines += [
        "",
        "## Real text with generated values",
        "",
        "| model | records | micro P | micro R | micro F1 | block recall | scan s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        inj = r["injected"]
        m = inj["micro"]
        lines.append(
            f"| {r['model']} | {inj['records']} | {m.get('precision', 0):.3f} | {m.get('recall', 0):.3f} | "
            f"{m.get('f1', 0):.3f} | {_pct(inj['block_recall'])} | {r['scan_seconds']} |"
        )
    lines += ["", "Per label (entity F1, exact span):", ""]
    labels = sorted({k for r in runs for k in r["injected"]["by_label"]})
    lines += ["| label | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for label in labels:
        cells = [f"{r['injected']['by_label'].get(label, {}).get('f1', 0):.3f}" for r in runs]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, type=Path, help="test.jsonl.gz of a `guard corpus` folder")
    parser.add_argument("--model", action="append", help="model directory or 'default' (repeatable)")
    parser.add_argument("--domain", help="domain pack to load with every model")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results", help="output directory")
    parser.add_argument("--name", default="realtext", help="result file stem")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"error: {args.data}: no such file (build it with `guard corpus`)", file=sys.stderr)
        return 2
    records = load_records([args.data])
    runs = [measure(m, records, args.domain) for m in (args.model or ["default"])]
    result = {
        "command": shown_command("eval_realtext.py", argv if argv is not None else sys.argv[1:]),
        "data": args.data.name,
        "domain": Path(args.domain).name if args.domain else None,
        "records": len(records),
        "harmless": sum(1 for r in records if not r["spans"]),
        "cpu": cpu_name(),
        "runs": runs,
    }
    write_results(args.out, args.name, result, render(result))
    for r in runs:
        h = r["harmless"]["all"]
        print(f"{r['model']}: finding {_pct(h['flagged'])}, blocked {_pct(h['blocked'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
