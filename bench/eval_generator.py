"""Evaluate models on a held-out split of guard's generator (templates and value pools unseen in training).

The split is generated here from a seed, so every model in the run reads the same documents. The
figures are the model's own (its calibrated thresholds, no detectors): entity-level exact-match
P/R/F1 per label and language, block recall and false-block rate, as in the model card.

Usage::

    python bench/eval_generator.py --model default --model DIR [--n 3000] [--seed 2014]

Writes ``bench/results/<name>.json`` and ``.md`` (figures only).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.machine import cpu_name, shown_command, write_results  # noqa: E402
from guard.model import default_model_path, load_manifest  # noqa: E402
from training.data.generate import generate  # noqa: E402
from training.pipeline import evaluate_model_dir  # noqa: E402


def measure(model: str, records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    path = default_model_path() if model == "default" else Path(model)
    manifest = load_manifest(path)
    report = evaluate_model_dir(path, records, manifest.thresholds)
    return {"model": f"{manifest.name}@{manifest.version}", **report}


def render(result: dict[str, Any]) -> str:
    runs = result["runs"]
    names = [r["model"] for r in runs]
    lines = [
        "# Models on the generator's held-out split",
        "",
        f"Command: `{result['command']}`",
        "",
        f"Data: {result['n']} documents generated with `split=heldout`, seed {result['seed']} (templates "
        f"and value pools unseen in training). Model only, calibrated thresholds. Machine: {result['cpu']}, "
        "all models in one run.",
        "",
        "| model | micro P | micro R | micro F1 | block recall | false-block rate |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        m = r["micro"]
        lines.append(
            f"| {r['model']} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | "
            f"{r['block_recall']:.3f} | {r['false_block_rate']:.3f} |"
        )
    for key, title in (("by_label", "label"), ("by_lang", "language")):
        lines += ["", f"F1 per {title}:", "", f"| {title} | " + " | ".join(names) + " |"]
        lines.append("|---|" + "---:|" * len(names))
        for k in runs[0][key]:
            lines.append(
                f"| {k} | " + " | ".join(f"{r[key].get(k, {}).get('f1', 0):.3f}" for r in runs) + " |"
            )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", action="append", help="model directory or 'default' (repeatable)")
    parser.add_argument("--n", type=int, default=3000, help="held-out documents")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results", help="output directory")
    parser.add_argument("--name", default="generator_heldout", help="result file stem")
    args = parser.parse_args(argv)
    records = [dict(x) for x in generate(args.n, seed=args.seed, split="heldout")]
    runs = [measure(m, records) for m in (args.model or ["default"])]
    result = {
        "command": shown_command("eval_generator.py", argv if argv is not None else sys.argv[1:]),
        "n": args.n,
        "seed": args.seed,
        "cpu": cpu_name(),
        "runs": runs,
    }
    write_results(args.out, args.name, result, render(result))
    for r in runs:
        print(f"{r['model']}: micro F1 {r['micro']['f1']:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
