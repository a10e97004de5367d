"""How the CPU runtime should group windows into onnxruntime calls: one window per call (the default,
``window`` below) or batches bounded by padded tokens.

On CPU the runtime runs each window in its own call on a single-threaded session, ``threads`` calls at
once, which keeps a text's scores independent of the other texts of a call (module docstring of
`guard.model.runtime`). For each thread count (1: an audit worker; 2: the server and ``guard scan`` on
2 cores) and each grouping (``window``, or batches of at most N padded tokens, run on the same pool),
measures `OnnxTokenClassifier.analyze_many` throughput on two
workloads from the server benchmark's text maker: 64 short texts (200 B) per call, in texts/s, and
4 long texts (8 KB, several 256-token windows each) per call, in KB/s. Bounds are interleaved round by
round so machine load hits all alike; each cell is the median over rounds. Each round also measures
one short text per call, the model-side ceiling of what micro-batching can gain. This measures speed
only: with the shipped int8 graph, batched calls also move scores slightly (the reason for one window
per call, tests/guard/model/test_runtime.py). Figures go to
``bench/results/batch_tokens.json`` and ``.md``.

    PYTHONPATH=. python bench/bench_batch_tokens.py [--model DIR] [--rounds 3] [--seconds 4]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_server import make_text  # noqa: E402
from guard.model import OnnxTokenClassifier  # noqa: E402

__all__ = ["main"]

RESULTS = ROOT / "bench" / "results"
#: ``None``: one window per call (the runtime's CPU default).
BOUNDS: tuple[int | None, ...] = (None, 256, 512, 1024, 2048, 4096, 8192)


def _name(bound: int | None) -> str:
    return "window" if bound is None else str(bound)


def _rate(work: Callable[[int], None], units_per_call: float, seconds: float) -> float:
    start = time.perf_counter()
    calls = 0
    while time.perf_counter() - start < seconds:
        work(calls)
        calls += 1
    return calls * units_per_call / (time.perf_counter() - start)


def _one(clf: OnnxTokenClassifier, texts: list[str], k: int) -> None:
    clf.analyze_many([texts[k % len(texts)]])


def _short(clf: OnnxTokenClassifier, texts: list[str], bound: int | None, k: int) -> None:
    start = (k * 64) % (len(texts) - 64)
    clf.analyze_many(texts[start : start + 64], batch_tokens=bound)


def _long(clf: OnnxTokenClassifier, texts: list[str], bound: int | None, k: int) -> None:
    start = (k * 4) % (len(texts) - 4)
    clf.analyze_many(texts[start : start + 4], batch_tokens=bound)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", help="model directory (default: the packaged model)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4.0, help="per cell and round")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--out", default=str(RESULTS / "batch_tokens.json"))
    args = parser.parse_args(argv)

    short = [make_text(200, seed) for seed in range(2048)]
    long = [make_text(8192, seed) for seed in range(64)]
    long_kb = 4 * sum(len(t.encode()) for t in long) / len(long) / 1024
    load_before = os.getloadavg()[0]
    cells: dict[str, dict[str, dict[str, list[float]]]] = {}
    singles: dict[str, list[float]] = {}
    for threads in args.threads:
        clf = OnnxTokenClassifier.load(args.model, provider="cpu", intra_op_threads=threads)
        clf.analyze_many(short[:64])  # warm-up: the first runs allocate arenas
        per = cells.setdefault(str(threads), {_name(b): {"short": [], "long": []} for b in BOUNDS})
        alone = singles.setdefault(str(threads), [])
        for _ in range(args.rounds):
            alone.append(_rate(partial(_one, clf, short), 1, args.seconds))
            for bound in BOUNDS:
                cell = per[_name(bound)]
                cell["short"].append(_rate(partial(_short, clf, short, bound), 64, args.seconds))
                cell["long"].append(_rate(partial(_long, clf, long, bound), long_kb, args.seconds))
                print(threads, bound, cell["short"][-1], cell["long"][-1], file=sys.stderr)
    medians = {
        threads: {
            bound: {kind: round(statistics.median(v), 1) for kind, v in kinds.items()}
            for bound, kinds in per.items()
        }
        for threads, per in cells.items()
    }
    result = {
        "benchmark": "batch_tokens",
        "model": str(args.model or "packaged"),
        "cpus": os.cpu_count(),
        "machine": platform.platform(),
        "loadavg_1m_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "rounds": args.rounds,
        "seconds_per_cell": args.seconds,
        "median": medians,
        "one_text_per_call_median": {t: round(statistics.median(v), 1) for t, v in singles.items()},
        "samples": cells,
        "one_text_per_call_samples": singles,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    out.with_suffix(".md").write_text(_markdown(result))
    print(_markdown(result))
    return result


def _markdown(r: dict[str, Any]) -> str:
    lines = [
        "# Windows per onnxruntime call on CPU",
        "",
        f"Model: {r['model']}. {r['cpus']} CPUs, load average {r['loadavg_1m_before_after']} before/after. "
        f"Median of {r['rounds']} interleaved rounds of {r['seconds_per_cell']} s per cell. "
        "`window`: one window per call, the runtime's CPU default; a number: batches of at most that many "
        "padded tokens per call. Either way `threads` calls run at once on single-threaded sessions.",
        "",
        "| threads | per call | 64 x 200 B texts/s | 4 x 8 KB KB/s |",
        "|---:|---:|---:|---:|",
    ]
    for threads, per in r["median"].items():
        for bound, cell in per.items():
            lines.append(f"| {threads} | {bound} | {cell['short']} | {cell['long']} |")
    lines += [
        "",
        "One 200 B text per `analyze_many` call (what the server does without micro-batching), texts/s, "
        "and the best figure of 64 texts per call over it: the most that micro-batching short texts can "
        "gain in the model itself on this machine.",
        "",
        "| threads | one text per call | best of 64 per call | ratio |",
        "|---:|---:|---:|---:|",
    ]
    for threads, one in r["one_text_per_call_median"].items():
        best = max(cell["short"] for cell in r["median"][threads].values())
        lines.append(f"| {threads} | {one} | {best} | {best / one:.2f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
