"""Where a scan's time goes: py-spy samples by stage, and onnxruntime's own time per operator.

Two measurements on the same texts, each in its own process, warm, one text per ``Guard.scan`` call
(as a proxy scans one request at a time):

1. **Stages** (py-spy): the scan loop runs under ``py-spy record --native``, on one thread (windows
   then run on the loop's thread: the shares are of CPU time); each sample goes to the
   first stage its stack shows, most specific first (`STAGES`: onnxruntime's run, the tokenizer, BIO
   decoding, the rest of the model runtime, the pattern table, the entropy detector, other detectors,
   normalisation, shape checks, fusion, policy, then the Python around them). Samples outside the
   measured loop (imports, model load, warm-up) are not counted.
2. **Operators** (onnxruntime's profiler): the model's graph runs every window of the same texts in a
   session opened as guard opens it (`guard.model.session.create_session`) with profiling on; the
   kernel time of each node is summed by operator type (``MatMulInteger``, ``QAttention``...).

py-spy shows onnxruntime's native frames without names (the library is stripped), hence the second
measurement. Hardware counters are recorded when ``perf stat`` has them; where the machine exposes
none (virtual machines often do not), the result says so.

Usage::

    python bench/profile_scan.py --data ../shared/data/realistic-dev/cases.jsonl

needs ``py-spy`` (the ``bench`` extra). Writes ``<out>/<name>.json`` and the generated ``<name>.md``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_vs_presidio import load_texts  # noqa: E402
from bench.machine import cpu_name, shown_command, shown_path, write_results  # noqa: E402

#: (stage, frame pattern): a sample belongs to the first stage whose pattern occurs in its stack.
STAGES: tuple[tuple[str, str], ...] = (
    ("model: onnxruntime run", r"Session\.run \(onnxruntime/"),
    ("model: tokenizer", r"\._encode \(guard/model/runtime\.py|\(tokenizers/"),
    ("model: BIO decoding", r"\(guard/model/decode\.py"),
    ("model: shape checks", r"\(guard/model/shapes\.py"),
    ("model: windows, softmax, rest", r"\(guard/model/"),
    ("detectors: pattern table", r"\(guard/detect/patterns\.py"),
    ("detectors: entropy", r"\(guard/detect/entropy\.py"),
    ("detectors: other", r"\(guard/detect/"),
    ("normalisation", r"\(guard/normalize\.py"),
    ("fusion", r"\(guard/fusion\.py"),
    ("policy", r"\(guard/policy/"),
    ("Python around them (guard/api.py, findings)", r""),
)
_COMPILED = tuple((name, re.compile(pattern)) for name, pattern in STAGES)
#: the function whose samples count (the measured loop of `_worker`)
_MEASURED = "_measured_loop ("


def _measured_loop(guard: Any, texts: Sequence[str], rounds: int) -> None:
    for _ in range(rounds):
        for text in texts:
            guard.scan(text)


def _worker(args: argparse.Namespace) -> int:
    """The profiled process: load, warm up, then the measured loop."""
    from guard import Guard

    texts = load_texts(Path(args.data), args.limit)
    # one thread: a text's windows then run on the loop's own thread, so every sample of the scan
    # lies under the measured loop (the stages' shares are of CPU time, whatever the parallelism)
    guard = Guard.load(model=args.model, intra_op_threads=1)
    for text in texts[:20]:
        guard.scan(text)
    _measured_loop(guard, texts, args.rounds)
    return 0


def stage_of(stack: str) -> str:
    """The stage a py-spy stack (frames joined by ``;``) is counted in."""
    for name, pattern in _COMPILED:
        if pattern.search(stack):
            return name
    raise AssertionError("the last stage matches every stack")


def fold(raw: str) -> tuple[Counter[str], int]:
    """Samples per stage from py-spy's ``--format raw`` output, and the samples counted."""
    stages: Counter[str] = Counter()
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit() or _MEASURED not in stack:
            continue
        stages[stage_of(stack.split(_MEASURED, 1)[1])] += int(count)
    return stages, sum(stages.values())


def profile_stages(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        raise SystemExit("py-spy not found: pip install -e '.[bench]'")
    raw_file = tmp / "raw.txt"
    cmd = [spy, "record", "--native", "--format", "raw", "--rate", str(args.rate), "--output", str(raw_file)]
    cmd += ["--", sys.executable, str(Path(__file__).resolve()), "--worker", "--data", args.data]
    cmd += ["--rounds", str(args.rounds)] + (["--model", args.model] if args.model else [])
    cmd += ["--limit", str(args.limit)] if args.limit else []
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    stages, total = fold(raw_file.read_text(encoding="utf-8"))
    return {
        "samples": total,
        "seconds": round(time.perf_counter() - t0, 1),
        "share": {name: round(stages[name] / max(1, total), 4) for name, _ in STAGES},
    }


def profile_operators(args: argparse.Namespace, texts: Sequence[str], tmp: Path) -> dict[str, Any]:
    from tokenizers import Tokenizer

    from guard.model import OnnxTokenClassifier, default_model_path, load_manifest
    from guard.model.session import create_session

    root = Path(args.model) if args.model else default_model_path()
    session = create_session(root / "model.onnx", "cpu", 1, profile_prefix=tmp / "ort")
    tokenizer = Tokenizer.from_file(str(root / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    clf = OnnxTokenClassifier(root, load_manifest(root), tokenizer, session)
    for _ in range(args.rounds):
        for text in texts:
            clf.analyze(text)
    events = json.loads(Path(session.end_profiling()).read_text(encoding="utf-8"))
    by_op: Counter[str] = Counter()
    for ev in events:
        if ev.get("cat") == "Node" and str(ev.get("name", "")).endswith("_kernel_time"):
            by_op[str(ev.get("args", {}).get("op_name", "?"))] += int(ev.get("dur", 0))
    total = sum(by_op.values())
    return {
        "kernel_ms": round(total / 1000, 1),
        "share": {op: round(us / max(1, total), 4) for op, us in by_op.most_common()},
    }


def hardware_counters() -> str:
    """``perf stat``'s cycles and instructions of a short scan run, or why there are none."""
    perf = shutil.which("perf")
    if perf is None:
        return "perf not installed"
    cmd = [perf, "stat", "-x", ",", "-e", "cycles,instructions", "--", sys.executable, "-c", "pass"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False).stderr
    if "<not supported>" in out or "not supported" in out.lower():
        return "not supported on this machine (perf stat -e cycles,instructions: <not supported>)"
    return "supported (not recorded by this script)"


def render(result: dict[str, Any]) -> str:
    lines = [
        "# Where a scan's time goes",
        "",
        f"Model: {result['model']}. Data: `{result['data']}`, {result['texts']} texts, "
        f"{result['rounds']} rounds, one `Guard.scan` per text, warm. CPU: {result['cpu']}.",
        "",
        f"## Stages (py-spy, {result['stages']['samples']} samples at {result['rate']} Hz, native frames)",
        "",
        "| stage | share of samples |",
        "|---|---:|",
    ]
    lines += [f"| {name} | {share * 100:.1f} % |" for name, share in result["stages"]["share"].items()]
    ops = result["operators"]
    lines += [
        "",
        f"## Inside the model: kernel time by operator (onnxruntime profiler, {ops['kernel_ms']} ms in all)",
        "",
        "| operator | share of kernel time |",
        "|---|---:|",
    ]
    lines += [f"| {op} | {share * 100:.1f} % |" for op, share in ops["share"].items()]
    lines += [
        "",
        f"Hardware counters: {result['hardware_counters']}.",
        "",
        f"Command: `{result['command']}`; date: {result['date']}.",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="JSON lines (text) or presidio-research JSON")
    parser.add_argument("--model", default=None, help="model directory (default: the packaged model)")
    parser.add_argument("--limit", type=int, default=None, help="first N texts only")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the texts")
    parser.add_argument("--rate", type=int, default=250, help="py-spy samples per second")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--name", default="profile_scan")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return _worker(args)
    from guard.model import default_model_path, load_manifest

    root = Path(args.model) if args.model else default_model_path()
    manifest = load_manifest(root)
    texts = load_texts(Path(args.data), args.limit)
    with tempfile.TemporaryDirectory(prefix="guard-profile-") as tmp:
        stages = profile_stages(args, Path(tmp))
        operators = profile_operators(args, texts, Path(tmp))
    result = {
        "model": f"{manifest.name}@{manifest.version}",
        "data": shown_path(args.data),
        "texts": len(texts),
        "rounds": args.rounds,
        "rate": args.rate,
        "cpu": cpu_name(),
        "stages": stages,
        "operators": operators,
        "hardware_counters": hardware_counters(),
        "command": shown_command("profile_scan.py", sys.argv[1:] if argv is None else list(argv)),
        "date": time.strftime("%Y-%m-%d"),
    }
    write_results(Path(args.out), args.name, result, render(result))
    print(render(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
