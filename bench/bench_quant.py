"""Quantization schemes on CPU: speed per text, batched against single calls, and batch dependence.

Issue 17 asks for activations quantized per row instead of once per call, so that a text scores the
same whatever else is in the call, and for batched CPU calls back in the server and the audit. This
measures what that would buy on the machine at hand. From one trained torch model (``--torch-dir``,
e.g. a `guard train` work directory's ``teacher/final``) it builds, in a temporary directory:

* ``fp32``: the exported graph with fused self-attention (`training.export`, no quantization);
* ``nbits-B-gK-aL``: every MatMul (attention projections included: the graph is exported unfused)
  quantized weight-only to ``B`` bits in blocks of ``K`` (onnxruntime's ``MatMulNBits``); accuracy
  level 4 quantizes each row's activations to int8 per block inside the kernel, i.e. per row;

and reads the shipped graph of ``--model`` as it is (dynamic int8: one activation scale per call).
For each graph, over the texts of ``--data`` (one JSON object per line with a ``text``; the first
256 tokens of each): seconds for one text per call (best of ``--rounds``), seconds for the same texts
in length-sorted batches of ``--batch`` (padded, with the attention mask), and how far each text's
probabilities in its batch are from its own single call (largest absolute difference, and the
share of tokens whose arg-max tag is the same). Sessions are opened as guard opens them
(`guard.model.session.create_session`, CPU, 2 intra-op threads, as ``guard scan``).

Needs the ``train`` extra (torch, for the export) and ``onnx-ir`` (onnxruntime's MatMulNBits
quantizer). Writes ``bench/results/<name>.{json,md}``.

    python bench/bench_quant.py --torch-dir RUNS/stage5/teacher/final \\
        --data ../shared/data/realistic-dev/cases.jsonl
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_vs_presidio import load_texts  # noqa: E402
from bench.machine import cpu_name, shown_command, shown_path, write_results  # noqa: E402
from guard.model.decode import softmax  # noqa: E402
from guard.model.session import create_session  # noqa: E402

__all__ = ["main", "nbits_graph"]

RESULTS = ROOT / "bench" / "results"


def nbits_graph(src: Path, dst: Path, bits: int, block: int, accuracy_level: int) -> None:
    """Quantize every MatMul of ``src`` weight-only (``MatMulNBits``) into ``dst``."""
    import onnx
    from onnxruntime.quantization.matmul_nbits_quantizer import (
        DefaultWeightOnlyQuantConfig,
        MatMulNBitsQuantizer,
    )

    config = DefaultWeightOnlyQuantConfig(
        block_size=block, is_symmetric=True, accuracy_level=accuracy_level, bits=bits
    )
    quantizer = MatMulNBitsQuantizer(onnx.load(str(src)), algo_config=config)
    quantizer.process()
    quantizer.model.save_model_to_file(str(dst), use_external_data_format=False)


def _measure(path: Path, ids: list[np.ndarray], batch: int, rounds: int) -> dict[str, Any]:
    session = create_session(path, "cpu", 2)  # the product's options (fusions, no spinning)
    inputs = {i.name for i in session.get_inputs()}

    def run(batch_ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        feed = {"input_ids": batch_ids, "attention_mask": mask}
        return np.asarray(session.run(None, {k: v for k, v in feed.items() if k in inputs})[0])

    def single(one: np.ndarray) -> np.ndarray:
        return run(one[None, :], np.ones((1, len(one)), dtype=np.int64))[0]

    for one in ids[:10]:  # warm up
        single(one)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    groups = [order[k : k + batch] for k in range(0, len(order), batch)]
    single_s, batched_s = [], []
    singles: list[np.ndarray] = []
    batched: dict[int, np.ndarray] = {}
    for _ in range(rounds):  # interleaved: load on the machine hits both alike
        start = time.perf_counter()
        singles = [single(one) for one in ids]
        single_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        for group in groups:
            width = max(len(ids[i]) for i in group)
            batch_ids = np.ones((len(group), width), dtype=np.int64)
            mask = np.zeros((len(group), width), dtype=np.int64)
            for row, i in enumerate(group):
                batch_ids[row, : len(ids[i])] = ids[i]
                mask[row, : len(ids[i])] = 1
            out = run(batch_ids, mask)
            for row, i in enumerate(group):
                batched[i] = out[row, : len(ids[i])]
        batched_s.append(time.perf_counter() - start)
    diff = max(
        float(np.abs(softmax(singles[i], 1.0) - softmax(batched[i], 1.0)).max()) for i in range(len(ids))
    )
    same = sum(int((singles[i].argmax(-1) == batched[i].argmax(-1)).sum()) for i in range(len(ids)))
    tokens = sum(len(one) for one in ids)
    return {
        "bytes": path.stat().st_size,
        "single_s": round(min(single_s), 3),
        "batched_s": round(min(batched_s), 3),
        "batched_speedup": round(min(single_s) / min(batched_s), 3),
        "batch_max_prob_diff": diff,
        "batch_same_tag": round(same / tokens, 5),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--torch-dir", type=Path, required=True, help="trained torch model directory")
    parser.add_argument(
        "--model", type=Path, default=ROOT / "guard" / "data" / "model", help="packaged model"
    )
    parser.add_argument("--data", type=Path, required=True, help="JSONL texts (a 'text' field)")
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--variant",
        action="append",
        default=None,
        help="BITS:BLOCK:ACCURACY_LEVEL (repeatable; default 8:32:4, 8:128:4, 4:32:4)",
    )
    parser.add_argument("--name", default="quantization")
    args = parser.parse_args(argv)
    from tokenizers import Tokenizer

    from training.export import OnnxSpec, export_model_dir

    texts = load_texts(args.data, args.limit)
    tokenizer = Tokenizer.from_file(str(args.model / "tokenizer.json"))
    ids = [np.asarray(tokenizer.encode(t).ids[:256], dtype=np.int64) for t in texts]
    variants = [
        tuple(int(x) for x in v.split(":")) for v in (args.variant or ["8:32:4", "8:128:4", "4:32:4"])
    ]
    rows: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sample = texts[:8]
        export_model_dir(args.torch_dir, work / "fp32", validation_texts=sample, quantize=False)
        export_model_dir(
            args.torch_dir,
            work / "unfused",
            validation_texts=sample,
            spec=OnnxSpec(fuse_attention=False),
            quantize=False,
        )
        graphs = {"dynamic int8 (shipped)": args.model / "model.onnx", "fp32": work / "fp32" / "model.onnx"}
        for bits, block, level in variants:
            target = work / f"nbits-{bits}-g{block}-a{level}.onnx"
            nbits_graph(work / "unfused" / "model.onnx", target, bits, block, level)
            graphs[target.stem] = target
        for name, path in graphs.items():
            rows[name] = _measure(path, ids, args.batch, args.rounds)
            print(name, rows[name], flush=True)
    import onnxruntime as ort

    result = {
        "command": shown_command("bench_quant.py", sys.argv[1:] if argv is None else argv),
        "cpu": cpu_name(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "onnxruntime": ort.__version__,
        "data": shown_path(args.data),
        "texts": len(ids),
        "tokens": int(sum(len(one) for one in ids)),
        "batch": args.batch,
        "rounds": args.rounds,
        "graphs": rows,
    }
    write_results(RESULTS, args.name, result, _markdown(result))
    return result


def _markdown(r: dict[str, Any]) -> str:
    lines = [
        "# Quantization schemes on CPU (generated by bench/bench_quant.py)",
        "",
        f"CPU: {r['cpu']}, 2 intra-op threads; onnxruntime {r['onnxruntime']}; {r['date']}. "
        f"Command: `{r['command']}`.",
        "",
        f"Data: `{r['data']}`, {r['texts']} texts, {r['tokens']} tokens (first 256 of each). "
        f"Single: one text per call; batched: length-sorted batches of {r['batch']}, padded; "
        f"best of {r['rounds']} interleaved rounds.",
        "",
        "| graph | MB | single s | batched s | batched / single speed "
        "| max prob diff, batch vs single | same tag |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, g in r["graphs"].items():
        lines.append(
            f"| {name} | {g['bytes'] / 1e6:.1f} | {g['single_s']:.3f} | {g['batched_s']:.3f} | "
            f"{g['batched_speedup']:.2f}× | {g['batch_max_prob_diff']:.2e} | {g['batch_same_tag']:.4f} |"
        )
    base = r["graphs"]["dynamic int8 (shipped)"]["single_s"]
    lines += [
        "",
        "Per text, relative to the shipped graph: "
        + ", ".join(f"{n} {g['single_s'] / base:.2f}×" for n, g in r["graphs"].items())
        + " (seconds; above 1 is slower).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
