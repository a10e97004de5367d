"""Benchmark of guard's deterministic layer: regex patterns, entropy, domain pack, fusion, policy.

Measures ``Guard.load(model=False, domains=[kestrel]).scan`` throughput (MB/s of UTF-8 input) and
per-detector time on three generated corpora (prose, logs, code/config with secrets), each ~1 MB,
plus one 10 MB prose text. Also the loader time of the pattern table. The machine's load average is
recorded: these figures move with it.

Figures go to ``bench/results/detectors.json`` and ``.md``.

Usage::

    python bench/bench_detectors.py [--repeat 3] [--size-mb 1]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guard.api import Guard  # noqa: E402
from guard.detect.patterns import load_patterns  # noqa: E402

KESTREL = ROOT / "deploy" / "domains" / "example-kestrel.yaml"
RESULTS = ROOT / "bench" / "results"


def _corpus(kind: str, size: int, rng: random.Random) -> str:
    alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    lines: list[str] = []
    total = 0
    while total < size:
        if kind == "prose":
            line = rng.choice([
                "The quarterly review covered hiring, the office move and the new coffee machine.",
                "Die Besprechung wurde auf Donnerstag verschoben, bitte Kalender prüfen.",
                "Le prototype sera présenté au salon de Lyon le mois prochain.",
                "来週の会議は大阪オフィスで行います。資料を準備してください。",
                "请在周五之前提交报告，谢谢。",
            ])  # fmt: skip
        elif kind == "logs":
            ip = f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            stamp = f"2026-11-22T10:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"
            line = (
                f"{stamp} INFO req={rng.getrandbits(64):016x} client={ip} "
                f"user=user{rng.randint(1, 999)}@acme.de path=/api/v1/items/{rng.randint(1, 99999)} "
                f"status=200 dur={rng.random():.3f}s"
            )
        else:
            key = "ghp_" + "".join(rng.choice(alnum) for _ in range(36))  # fake, generated
            pw = "".join(rng.choice(alnum) for _ in range(14))
            line = rng.choice([
                f'GITHUB_TOKEN = "{key}"',
                "def handler(event, context):\n    return {'statusCode': 200}",
                f"db:\n  host: pg-ledger-01.kestrel.internal\n  password: {pw}",
                "for (let i = 0; i < items.length; i++) { total += items[i].price; }",
            ])  # fmt: skip
        lines.append(line)
        total += len(line.encode()) + 1
    return "\n".join(lines)


def _time(fn: Any, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--size-mb", type=float, default=1.0)
    args = parser.parse_args()
    rng = random.Random(7)
    load_s = _time(load_patterns, args.repeat)
    domains = [KESTREL] if KESTREL.exists() else []
    guard = Guard.load(model=False, domains=domains)
    size = int(args.size_mb * 1_000_000)
    texts = {kind: _corpus(kind, size, rng) for kind in ("prose", "logs", "code")}
    texts["prose_10mb"] = _corpus("prose", 10_000_000, rng)
    rows: dict[str, Any] = {}
    for name, text in texts.items():
        mb = len(text.encode()) / 1e6
        per_detector = {
            det.name: statistics.median(_time(lambda d=det, t=text: d.detect(t), args.repeat))
            for det in guard.detectors
        }
        total = _time(lambda t=text: guard.scan(t), args.repeat)
        findings = len(guard.scan(text).findings)
        rows[name] = {
            "mb": round(mb, 3),
            "scan_s_median": round(statistics.median(total), 3),
            "mb_per_s": round(mb / statistics.median(total), 3),
            "detector_s_median": {k: round(v, 3) for k, v in per_detector.items()},
            "findings": findings,
        }
        print(name, rows[name], flush=True)
    result = {
        "what": "Guard(model=False): patterns + entropy + Kestrel domain pack + fusion + policy",
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "pattern_table_load_s_median": round(statistics.median(load_s), 4),
        "repeat": args.repeat,
        "corpora": rows,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "detectors.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    md = [
        "# Deterministic detectors benchmark",
        "",
        f"{result['what']}; python {result['python']}, {result['cpus']} CPUs, "
        f"load average {result['load_average_1m']} (shared machine: figures move with it).",
        f"Pattern table load: {result['pattern_table_load_s_median']} s.",
        "",
        "| corpus | MB | scan s (median) | MB/s | findings | per detector s |",
        "|---|---|---|---|---|---|",
    ]
    for name, row in rows.items():
        dets = ", ".join(f"{k} {v}" for k, v in row["detector_s_median"].items())
        cells = [name, row["mb"], row["scan_s_median"], row["mb_per_s"], row["findings"], dets]
        md.append("| " + " | ".join(str(c) for c in cells) + " |")
    (RESULTS / "detectors.md").write_text("\n".join(md) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
