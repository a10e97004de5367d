"""The cascade (guard/model/cascade.py): what its gate lets through, what survives, what it saves.

One model directory that ships a gate; every text is scanned twice by the full product (model +
detectors, default policy, the domain pack if given) on one `Guard`, first with ``cascade=False``
(the exact full scan), then with the gate on. Per data set:

* windows: distinct model windows, and the share the gate lets through;
* findings: the full scan's findings (label, start, end) that the cascade scan also reports
  (issue 17 asks ≥ 99.5 %), and findings only the cascade scan has (should be none);
* verdicts: texts whose verdict changed; the full scan's blocks the cascade lost (asks none);
* speed: model time per text without and with the gate (``analyze_many`` one text at a time, warm,
  interleaved), characters per second.

Data sets (each optional): the generator's held-out split (``--generator N``), realistic-dev
(``--realistic``, evaluation only, never tuned on), the real-text test split of `guard corpus`
(``--realtext``, ``--real-limit``).

Usage::

    python bench/eval_cascade.py --model DIR --generator 1000 \\
        --realistic ../shared/data/realistic-dev/cases.jsonl --realtext ~/guard-runs/realtext/test.jsonl.gz

Writes ``bench/results/<name>.json`` and ``.md`` (figures only, never text).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.machine import cpu_name, shown_command, shown_path, write_results  # noqa: E402
from guard import Guard  # noqa: E402
from guard.errors import GuardError  # noqa: E402

SURVIVAL_TARGET = 0.995


def _keys(result: Any) -> set[tuple[str, int, int]]:
    return {(f.label, f.start, f.end) for f in result.findings}


def measure(guard: Guard, texts: Sequence[str]) -> dict[str, Any]:
    """Scan ``texts`` without and with the cascade on ``guard`` (its model must ship a gate)."""
    model = guard.model
    if model is None or model.gate is None:
        raise ValueError("the model has no cascade gate (build one with guard cascade)")
    texts = [t for t in texts if t]
    ids = model.token_ids(texts)
    groups = model.window_groups(ids)[1].values()
    windows = len(groups)
    passed = sum(model.gate.passes(ids[t][w.start : w.end]) for (t, w), *_ in groups)
    model.cascade = False
    full = guard.scan_many(texts)
    model.cascade = True
    gated = guard.scan_many(texts)
    kept = lost = extra = 0
    changed = blocks_lost = 0
    for a, b in zip(full, gated, strict=True):
        fa, fb = _keys(a), _keys(b)
        kept += len(fa & fb)
        lost += len(fa - fb)
        extra += len(fb - fa)
        changed += a.verdict != b.verdict
        blocks_lost += a.verdict == "block" and b.verdict != "block"
    times = {False: 0.0, True: 0.0}
    for i, text in enumerate(texts):  # interleaved, alternating order, one text per call
        for flag in (False, True) if i % 2 == 0 else (True, False):
            t0 = time.perf_counter()
            model.analyze_many([text], cascade=flag)
            times[flag] += time.perf_counter() - t0
    chars = sum(len(t) for t in texts)
    total = kept + lost
    return {
        "texts": len(texts),
        "characters": chars,
        "windows": windows,
        "windows_passed": passed,
        "pass_rate": round(passed / windows, 4) if windows else 0.0,
        "full_findings": total,
        "survived": kept,
        "survival": round(kept / total, 4) if total else 1.0,
        "cascade_only_findings": extra,
        "verdicts_changed": changed,
        "blocks_lost": blocks_lost,
        "model_chars_per_s_full": round(chars / times[False]) if times[False] else None,
        "model_chars_per_s_cascade": round(chars / times[True]) if times[True] else None,
        "model_speedup": round(times[False] / times[True], 2) if times[True] else None,
    }


def _datasets(args: argparse.Namespace) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if args.generator:
        from training.data.generate import generate

        out["generator held-out"] = [
            e["text"] for e in generate(args.generator, seed=args.seed, split="heldout")
        ]
    if args.realistic:
        from bench.eval_realistic import load_cases

        out["realistic-dev"] = [c["text"] for c in load_cases(Path(args.realistic))]
    if args.realtext:
        from training.pipeline import load_records

        texts = [r["text"] for r in load_records([Path(args.realtext)])]
        rng = random.Random(args.seed)
        out["real-text test"] = rng.sample(texts, min(args.real_limit, len(texts)))
    if not out:
        raise ValueError("no data: give --generator, --realistic or --realtext")
    return out


def render(result: dict[str, Any]) -> str:
    lines = [
        "# The cascade: gate pass rate, surviving findings, verdicts, model speed",
        "",
        f"Command: `{result['command']}`",
        "",
        f"Model: {result['model']} (gate threshold {result['threshold']}, level {result['level']}); "
        f"domain pack: {result['domain'] or 'none'}. Machine: {result['cpu']}, one run. Full product "
        "(model + detectors, default policy), each text scanned without and with the gate.",
        "",
        f"Target (issue 17): ≥ {SURVIVAL_TARGET * 100:.1f} % of the full scan's findings survive, "
        "no block lost.",
        "",
        "| data | texts | windows passed | findings survived | only with cascade | verdicts changed "
        "| blocks lost | model chars/s full | with cascade | speed-up |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in result["data"].items():
        passed = f"{row['pass_rate'] * 100:.1f} % ({row['windows_passed']}/{row['windows']})"
        survived = f"{row['survival'] * 100:.2f} % ({row['survived']}/{row['full_findings']})"
        full, fast = row["model_chars_per_s_full"], row["model_chars_per_s_cascade"]
        speed = f"{full:,} | {fast:,} | {row['model_speedup']}×"
        lines.append(
            f"| {name} | {row['texts']} | {passed} | {survived} | {row['cascade_only_findings']} "
            f"| {row['verdicts_changed']} | {row['blocks_lost']} | {speed} |"
        )
    lines += [
        "",
        "Model speed: `analyze_many` on one text per call, warm, interleaved; detectors not included.",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="default", help="model directory with a gate (default: packaged)")
    parser.add_argument("--domain", help="domain pack of every scan")
    parser.add_argument("--generator", type=int, default=0, help="held-out generator texts")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--realistic", help="realistic-dev cases.jsonl")
    parser.add_argument("--realtext", help="guard corpus test.jsonl.gz")
    parser.add_argument("--real-limit", type=int, default=1500)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--name", default="cascade")
    args = parser.parse_args(argv)
    try:
        guard = Guard.load(
            model=None if args.model == "default" else args.model,
            domains=[args.domain] if args.domain else [],
        )
        data = {name: measure(guard, texts) for name, texts in _datasets(args).items()}
    except (GuardError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    assert guard.model is not None and guard.model.gate is not None
    spec = guard.model.gate.spec
    result = {
        "command": shown_command("eval_cascade.py", argv if argv is not None else sys.argv[1:]).strip(),
        "model": guard.model_version,
        "threshold": spec.threshold,
        "level": spec.level,
        "domain": shown_path(args.domain) if args.domain else None,
        "cpu": cpu_name(),
        "data": data,
    }
    md = render(result)
    write_results(Path(args.out), args.name, result, md)
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
