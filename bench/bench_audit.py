"""Benchmark ``guard audit`` (local engine): MB/s, peak memory and planted-leak recall vs no shortcuts.

1. Generates two corpora with `make_log_corpus.py`: ``--mb`` MB with exact repetition ``--repeat``
   (default 0.3, as in real logs), and ``--mb`` MB with no exact duplicate record (``repeat=0``).
2. Audits each with shortcuts on and ``--workers`` processes; records MB/s (input bytes / wall time) and
   the peak resident memory of the whole process tree (sampled every 0.2 s).
3. On a ``--subset-mb`` corpus audits twice, with and without shortcuts, and reports the recall of
   the planted leaks for both and whether the two finding sets are identical.

Writes ``bench/results/<name>.json`` and the generated ``<name>.md`` (with the command, CPU and date of the
run); ``--render`` regenerates the markdown from an existing JSON without running anything.
Usage: ``python bench/bench_audit.py --model DIR --mb 200 --subset-mb 20 --workers 2``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import cpu_name, shown_command, write_results  # noqa: E402
from make_log_corpus import make_corpus  # noqa: E402

from guard.audit.engine import AuditOptions, run_audit  # noqa: E402
from guard.audit.outputs import iter_jsonl  # noqa: E402
from guard.audit.scanner import ScanConfig  # noqa: E402
from guard.redact import value_hash  # noqa: E402

_KEY = b"bench-audit-key"


class _PeakRss:
    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(0.2)

    def __enter__(self) -> _PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _audit(corpus: Path, out: Path, model: str | None, workers: int, shortcuts: bool) -> dict[str, Any]:
    size = sum(p.stat().st_size for p in corpus.iterdir() if p.name != "planted.json")
    opts = AuditOptions(
        inputs=tuple(str(corpus / n) for n in ("app.log", "access.log", "events.jsonl")),
        out=out,
        scan=ScanConfig(model=model, shortcuts=shortcuts),
        workers=workers,
        hash_key=_KEY,
        restart=True,
        checkpoint_every=30.0,
    )
    with _PeakRss() as rss:
        started = time.monotonic()
        run = run_audit(opts)
        wall = time.monotonic() - started
    return {
        "input_mb": round(size / 1e6, 2),
        "seconds": round(wall, 2),
        "mb_per_s": round(size / 1e6 / wall, 3),
        "peak_rss_mb": round(rss.peak / 1e6, 1),
        "records": run.summary.units,
        "findings": run.summary.findings,
        "scanner": dict(run.summary.scanner),
        "problems": dict(run.summary.problems),
    }


def _recall(corpus: Path, out: Path) -> tuple[float, int, set[tuple[str, int, int, str]]]:
    planted = json.loads((corpus / "planted.json").read_text())["planted"]
    rows = {
        (Path(r["file"]).name, r["line"], r["label"], r["value_hash"])
        for r in iter_jsonl(out / "findings.jsonl")
    }
    found = sum(
        1 for p in planted if (p["file"], p["line"], p["label"], value_hash(p["value"], _KEY)) in rows
    )
    spans = {
        (Path(r["file"]).name, r["line"], r["start"], r["label"]) for r in iter_jsonl(out / "findings.jsonl")
    }
    return found / max(1, len(planted)), len(planted), spans


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default=None, help="model directory (default: packaged model)")
    parser.add_argument("--mb", type=float, default=200.0)
    parser.add_argument("--subset-mb", type=float, default=20.0)
    parser.add_argument("--repeat", type=float, default=0.3)
    parser.add_argument("--leaks", type=int, default=500)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--codename", default=None, help="also plant this model-only CODENAME (see corpus docs)"
    )
    parser.add_argument("--name", default="audit", help="results file stem (NAME.json, NAME.md)")
    parser.add_argument("--only", choices=("both", "repetitive", "unique"), default="both")
    parser.add_argument("--work", type=Path, default=None, help="scratch directory (default: a temp dir)")
    parser.add_argument("--results", type=Path, default=Path(__file__).parent / "results")
    parser.add_argument("--render", action="store_true", help="only regenerate NAME.md from NAME.json")
    args = parser.parse_args()
    if args.render:
        done = json.loads((args.results / f"{args.name}.json").read_text(encoding="utf-8"))
        (args.results / f"{args.name}.md").write_text(render(done), encoding="utf-8")
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="bench_audit_"))
    results: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "cpu": cpu_name()},
        "command": shown_command("bench_audit.py", sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d"),
        "model": args.model or "packaged default",
        "model_version": _model_version(args.model),
        "workers": args.workers,
        "subset_mb": args.subset_mb,
    }
    subset = work / "subset"
    manifest = make_corpus(
        subset,
        args.subset_mb,
        args.repeat,
        max(50, int(args.leaks * args.subset_mb / max(args.mb, args.subset_mb))),
        codename=args.codename,
    )
    fast = _audit(subset, work / "out_subset_fast", args.model, args.workers, True)
    slow = _audit(subset, work / "out_subset_raw", args.model, args.workers, False)
    r_fast, n, spans_fast = _recall(subset, work / "out_subset_fast")
    r_slow, _, spans_slow = _recall(subset, work / "out_subset_raw")
    results["recall_subset"] = {
        "corpus": manifest["files"],
        "planted": n,
        "recall_shortcuts": r_fast,
        "recall_no_shortcuts": r_slow,
        "identical_findings": spans_fast == spans_slow,
        "findings_only_with_shortcuts": len(spans_fast - spans_slow),
        "findings_only_without_shortcuts": len(spans_slow - spans_fast),
        "shortcuts": fast,
        "no_shortcuts": slow,
    }
    print(json.dumps(results["recall_subset"], indent=1), flush=True)
    for name, repeat in (("repetitive", args.repeat), ("unique", 0.0)):
        if args.mb <= 0:
            break
        if args.only not in ("both", name):
            continue
        corpus = work / name
        manifest = make_corpus(corpus, args.mb, repeat, args.leaks, codename=args.codename)
        run = _audit(corpus, work / f"out_{name}", args.model, args.workers, True)
        recall, n, _ = _recall(corpus, work / f"out_{name}")
        results[name] = {"repeat": repeat, "corpus": manifest["files"], "planted": n, "recall": recall, **run}
        print(json.dumps(results[name], indent=1), flush=True)
    write_results(args.results, args.name, results, render(results))


def _model_version(model: str | None) -> str:
    from guard.model import default_model_path
    from guard.model.manifest import load_manifest

    manifest = load_manifest(Path(model) if model else default_model_path())
    return f"{manifest.name} {manifest.version}"


def render(results: dict[str, Any]) -> str:
    """The markdown of one run's results (also for runs that predate the recorded conditions)."""
    machine = results.get("machine", {})
    lines = [
        "# guard audit benchmark",
        "",
        f"model: {results.get('model_version') or results['model']}; workers: {results['workers']}; "
        f"cpus: {machine.get('cpus')}; CPU: {machine.get('cpu', 'not recorded')}",
        "",
        "| corpus | MB | MB/s | peak RSS MB | recall |",
        "|---|---|---|---|---|",
    ]
    for name in ("repetitive", "unique"):
        if name in results:
            r = results[name]
            lines.append(
                f"| {name} (repeat {r['repeat']}) | {r['input_mb']} | {r['mb_per_s']} | "
                f"{r['peak_rss_mb']} | {r['recall']:.3f} ({r['planted']} leaks) |"
            )
    s = results["recall_subset"]
    subset = results.get("subset_mb", s["shortcuts"].get("input_mb"))
    lines += [
        "",
        f"subset {subset} MB: recall with shortcuts {s['recall_shortcuts']:.3f}, without "
        f"{s['recall_no_shortcuts']:.3f}; identical findings: {s['identical_findings']} "
        f"({s.get('findings_only_with_shortcuts', '?')} findings only with shortcuts, "
        f"{s.get('findings_only_without_shortcuts', '?')} only without); MB/s with "
        f"{s['shortcuts']['mb_per_s']}, without {s['no_shortcuts']['mb_per_s']}",
        "",
        f"Command: `{results.get('command', 'not recorded')}`; date: {results.get('date', 'not recorded')}. "
        "Notes on these runs: docs/benchmarks.md.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
