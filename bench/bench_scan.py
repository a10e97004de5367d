"""Scan benchmark of the ONNX token classifier: throughput and single-text latency.

Measures, on this machine, for the model directory it loads:

* batched throughput of `OnnxTokenClassifier.analyze_many` over a generated mixed-language
  corpus (English, German, French, Japanese, Chinese; prose, chat, code, config, JSON,
  logs, stack traces, some long documents), in content tokens/s and KB/s (UTF-8 input);
* single-text latency of `detect` on request-sized texts (p50 / p95 / mean, ms);
* both with onnxruntime's default graph fusions and with `INT8_CPU_SLOW_FUSIONS`
  disabled; runs of the two variants are interleaved so machine load hits both alike.

Figures go to ``bench/results/<name>.json`` and ``.md``.

Usage::

    python bench/bench_scan.py                      # the packaged model (guard/data/model)
    python bench/bench_scan.py --model DIR          # any model directory
    python bench/bench_scan.py --tiny               # builds the tiny random test model
    python bench/bench_scan.py --e5-proxy           # builds a random-init multilingual-e5-small-
                                                    # shaped BERT (12 x 384), int8 (needs torch)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import onnxruntime as ort  # noqa: E402

from bench.machine import cpu_name, shown_path  # noqa: E402
from guard.errors import ModelError  # noqa: E402
from guard.model import INT8_CPU_SLOW_FUSIONS, OnnxTokenClassifier, default_model_path  # noqa: E402

__all__ = ["build_corpus", "main"]

_NAMES = ["Anna Schmidt", "Jean Dupont", "山田太郎", "李伟", "Emily Carter", "Jörg Weiß", "佐藤花子"]
_TEMPLATES = [
    "Hi {name}, can you review the Q{q} forecast before Friday? Revenue is tracking at ${money}M.\n",
    "Sehr geehrte Frau {name}, anbei die Rechnung Nr. {num}. Bitte überweisen Sie auf IBAN DE{iban}.\n",
    "Bonjour {name}, le projet avance bien; la marge prévue est de {pct} % pour le client.\n",
    "{name}さん、明日の会議資料を送ります。電話番号は090-{num4}-{num4b}です。\n",
    "请{name}确认合同金额{money}万元，客户要求在月底前完成交付。\n",
    "2026-11-22T10:{mm}:00Z ERROR db-{num}.corp.internal connection refused user=svc_app retry={q}\n",
    '{{"user": "{name}", "email": "user{num}@corp.example", "plan": "enterprise", "seats": {num}}}\n',
    "export DATABASE_URL=postgres://app:pw{num}@10.0.{q}.{mm}:5432/orders\n",
    "def charge(card: str) -> None:\n    client.post('/v1/charge', json={{'amount': {num}}})\n",
    'Traceback (most recent call last):\n  File "/srv/app/main.py", line {num}, in handler\n'
    "    raise ValueError('bad token')\nValueError: bad token\n",
    "[{mm}:{q}] <{name}> lol, the build is green again, merging now 🎉\n",
    "Meeting notes: {name} will follow up with the vendor about pricing; budget is {money}k EUR.\n",
]


def _fill(rng: random.Random, template: str) -> str:
    return template.format(
        name=rng.choice(_NAMES),
        q=rng.randint(1, 4),
        money=rng.randint(10, 999),
        num=rng.randint(100, 99999),
        num4=rng.randint(1000, 9999),
        num4b=rng.randint(1000, 9999),
        iban=rng.randint(10**19, 10**20 - 1),
        pct=rng.randint(5, 60),
        mm=rng.randint(10, 59),
    )


def build_corpus(n_docs: int, seed: int = 0) -> list[str]:
    """Generate ``n_docs`` documents: mostly 0.2-4 KB, one in 20 around 30-60 KB."""
    rng = random.Random(seed)
    docs = []
    for _ in range(n_docs):
        target = rng.randint(30_000, 60_000) if rng.random() < 0.05 else int(rng.lognormvariate(6.8, 0.8))
        parts: list[str] = []
        size = 0
        while size < target:
            parts.append(_fill(rng, rng.choice(_TEMPLATES)))
            size += len(parts[-1].encode("utf-8"))
        docs.append("".join(parts))
    return docs


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _throughput(clf: OnnxTokenClassifier, corpus: list[str], batch_tokens: int | None) -> dict[str, float]:
    start = time.perf_counter()
    analyses = clf.analyze_many(corpus, batch_tokens=batch_tokens)
    seconds = time.perf_counter() - start
    tokens = sum(a.num_tokens for a in analyses)
    kbytes = sum(len(t.encode("utf-8")) for t in corpus) / 1024
    return {
        "seconds": seconds,
        "tokens": tokens,
        "tokens_per_s": tokens / seconds,
        "kb_per_s": kbytes / seconds,
    }


def _latency(clf: OnnxTokenClassifier, texts: list[str]) -> list[float]:
    times = []
    for text in texts:
        start = time.perf_counter()
        clf.detect(text)
        times.append((time.perf_counter() - start) * 1000)
    return times


def _variant(path: Path, provider: str, threads: int | None, disabled: Sequence[str]) -> OnnxTokenClassifier:
    return OnnxTokenClassifier.load(
        path, provider=provider, intra_op_threads=threads, disabled_optimizers=disabled
    )


def run(
    args: argparse.Namespace, model_dir: Path, checkpoint: Callable[[dict[str, Any]], None]
) -> dict[str, Any]:
    """Run every measurement; ``checkpoint`` gets the figures so far after each repeat."""
    corpus = build_corpus(args.docs, seed=0)
    requests = [t for t in build_corpus(args.latency_texts * 3, seed=1) if len(t.encode()) <= 4096]
    requests = requests[: args.latency_texts]
    variants: dict[str, Sequence[str]] = {"fusions_on": (), "fusions_off": INT8_CPU_SLOW_FUSIONS}
    loaded: dict[str, OnnxTokenClassifier] = {}
    load_s: dict[str, float] = {}
    for name, disabled in variants.items():
        start = time.perf_counter()
        loaded[name] = _variant(model_dir, args.provider, args.threads, disabled)
        load_s[name] = time.perf_counter() - start
        loaded[name].analyze_many(requests[:3])  # warm-up: first runs allocate arenas
    through: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
    lat: dict[str, list[float]] = {name: [] for name in variants}
    load_start = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    result: dict[str, Any] = {}
    for repeat in range(args.repeats):  # interleaved: A B A B ...
        for name, clf in loaded.items():
            through[name].append(_throughput(clf, corpus, args.batch_tokens))
            lat[name].extend(_latency(clf, requests))
            print(f"repeat {repeat + 1}/{args.repeats} {name}: {through[name][-1]}", file=sys.stderr)
        result = _summarize(args, model_dir, loaded, load_s, through, lat, corpus, requests, load_start)
        result["repeats_done"] = repeat + 1
        checkpoint(result)
    return result


def _summarize(
    args: argparse.Namespace,
    model_dir: Path,
    loaded: dict[str, OnnxTokenClassifier],
    load_s: dict[str, float],
    through: dict[str, list[dict[str, float]]],
    lat: dict[str, list[float]],
    corpus: list[str],
    requests: list[str],
    load_start: float | None,
) -> dict[str, Any]:
    variants = list(loaded)
    clf = loaded["fusions_on"]
    manifest = clf.manifest
    out: dict[str, Any] = {
        "model": {
            "path": shown_path(model_dir),
            "name": manifest.name,
            "version": manifest.version,
            "base_model": manifest.base_model,
            "max_length": manifest.max_length,
            "stride": manifest.stride,
            "onnx_mb": round((model_dir / "model.onnx").stat().st_size / 2**20, 1),
        },
        "machine": {
            "cpu": cpu_name(),
            "logical_cpus": os.cpu_count(),
            "python": platform.python_version(),
            "onnxruntime": ort.__version__,
            "providers": clf.providers,
            "intra_op_threads": args.threads,
            "load_average_1m_start": load_start,
        },
        "corpus": {
            "docs": len(corpus),
            "kb": round(sum(len(t.encode()) for t in corpus) / 1024, 1),
            "tokens": through["fusions_on"][0]["tokens"],
            "latency_texts": len(requests),
            "latency_text_bytes_median": statistics.median(len(t.encode()) for t in requests),
        },
        "batch_tokens": args.batch_tokens or next(iter(loaded.values())).batch_tokens,
        "repeats": args.repeats,
        "variants": {},
        "disabled_optimizers_off_variant": list(INT8_CPU_SLOW_FUSIONS),
    }
    for name in variants:
        runs = through[name]
        best = max(runs, key=lambda r: r["tokens_per_s"])
        out["variants"][name] = {
            "load_s": round(load_s[name], 2),
            "tokens_per_s_best": round(best["tokens_per_s"], 1),
            "tokens_per_s_median": round(statistics.median(r["tokens_per_s"] for r in runs), 1),
            "kb_per_s_best": round(best["kb_per_s"], 2),
            "kb_per_s_median": round(statistics.median(r["kb_per_s"] for r in runs), 2),
            "latency_ms_p50": round(_percentile(lat[name], 0.50), 2),
            "latency_ms_p95": round(_percentile(lat[name], 0.95), 2),
            "latency_ms_mean": round(statistics.fmean(lat[name]), 2),
        }
    on, off = out["variants"]["fusions_on"], out["variants"]["fusions_off"]
    out["fusions_off_speedup_median_throughput"] = round(
        off["tokens_per_s_median"] / on["tokens_per_s_median"], 3
    )
    out["fusions_off_speedup_p50_latency"] = round(on["latency_ms_p50"] / off["latency_ms_p50"], 3)
    out["machine"]["load_average_1m_end"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return out


def to_markdown(result: dict[str, Any], command: str) -> str:
    """Render the result as a short Markdown report."""
    m, c, mach = result["model"], result["corpus"], result["machine"]
    lines = [
        f"# Scan benchmark: {m['name']} {m['version']}",
        "",
        f"Command: `{command}`",
        "",
        f"Model: `{m['path']}` ({m['onnx_mb']} MB ONNX, base {m['base_model']}, windows {m['max_length']}/"
        f"stride {m['stride']}). Machine: {mach['cpu']}, {mach['logical_cpus']} logical CPUs, onnxruntime "
        f"{mach['onnxruntime']} on {', '.join(mach['providers'])}, intra-op threads "
        f"{mach['intra_op_threads'] or 'default'}, load average {mach['load_average_1m_start']:.1f} -> "
        f"{mach['load_average_1m_end']:.1f} (shared machine: figures are lower bounds).",
        "",
        f"Corpus: {c['docs']} generated mixed-language docs, {c['kb']} KB, {c['tokens']} tokens; latency on "
        f"{c['latency_texts']} request-sized texts (median {c['latency_text_bytes_median']} B). "
        f"batch_tokens={result['batch_tokens']}, "
        f"{result.get('repeats_done', 0)}/{result['repeats']} interleaved repeats done.",
        "",
        "| variant | tokens/s (median / best) | KB/s (median / best) | latency p50 ms | p95 ms | mean ms "
        "| load s |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, v in result["variants"].items():
        lines.append(
            f"| {name} | {v['tokens_per_s_median']} / {v['tokens_per_s_best']} | {v['kb_per_s_median']} / "
            f"{v['kb_per_s_best']} | {v['latency_ms_p50']} | {v['latency_ms_p95']} | "
            f"{v['latency_ms_mean']} | {v['load_s']} |"
        )
    lines += [
        "",
        f"fusions_off = `disabled_optimizers={result['disabled_optimizers_off_variant']}`; speed-up of "
        f"fusions_off over fusions_on: throughput x{result['fusions_off_speedup_median_throughput']}, "
        f"p50 latency x{result['fusions_off_speedup_p50_latency']}.",
        "",
    ]
    return "\n".join(lines)


def _resolve_model(args: argparse.Namespace, workdir: Path) -> Path:
    if args.model:
        return Path(args.model)
    if args.tiny or args.e5_proxy:
        from bench.proxy_models import build_e5_proxy  # torch: only for these options
        from tests.fixtures.tiny_model import build_tiny_model

        return build_tiny_model(workdir / "tiny") if args.tiny else build_e5_proxy(workdir / "e5proxy")
    return default_model_path()


def main(argv: Sequence[str] | None = None, printer: Callable[[str], None] = print) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--model", help="model directory (default: the packaged model)")
    source.add_argument("--tiny", action="store_true", help="build and measure the tiny random test model")
    source.add_argument("--e5-proxy", action="store_true", help="build a random e5-small-shaped int8 model")
    parser.add_argument("--provider", default="auto", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--threads", type=int, default=None, help="onnxruntime intra-op threads")
    parser.add_argument("--docs", type=int, default=200, help="documents in the throughput corpus")
    parser.add_argument("--latency-texts", type=int, default=100, help="texts timed one by one")
    parser.add_argument("--repeats", type=int, default=3, help="interleaved repeats per variant")
    parser.add_argument(
        "--batch-tokens", type=int, default=None, help="padded tokens per call (default: the runtime's own)"
    )
    parser.add_argument("--name", default="scan", help="result file stem in bench/results/")
    args = parser.parse_args(argv)
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    command = ("python bench/bench_scan.py " + " ".join(argv if argv is not None else sys.argv[1:])).strip()

    def write(result: dict[str, Any]) -> None:  # after every repeat: a cut-short run keeps its figures
        result["command"] = command
        (results / f"{args.name}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        (results / f"{args.name}.md").write_text(to_markdown(result, command), encoding="utf-8")

    with tempfile.TemporaryDirectory(prefix="guard-bench-") as tmp:
        try:
            model_dir = _resolve_model(args, Path(tmp))
            result = run(args, model_dir, write)
        except ModelError as exc:
            printer(f"error: {exc}")
            return 2
    printer(to_markdown(result, command))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
