"""Build the shrunk e5-small base directories and measure them.

``python -m training.shrink_report --src DIR --out DIR [--corpus-n N] [--corpus-file F ...]`` writes

* ``<out>/e5-small-trim``       vocabulary trimmed (fp32 ``model.safetensors``),
* ``<out>/e5-small-trim-fp16``  the same with float16 weights (half the bytes to ship),
* ``<out>/e5-small-trim-L6``    trimmed + every other encoder layer (``--layers 6`` of 12),

and prints/writes ``<out>/shrink_report.json``: parameters and MB of each directory, the share of
held-out strings the trimmed tokenizer segments exactly like the original, extra ``<unk>`` count, and
the max abs difference of encoder outputs for identical tokenizations.

The trim corpus is generated Faker text (en/de/fr/ja/zh) + code/config/log/URL/emoji strings, plus any
``--corpus-file`` (plain text, one string per line, or ``.jsonl`` with a ``"text"`` field, e.g. the
training set). Every single-character piece of the original vocabulary is kept as well.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from training.sample_texts import sample_texts
from training.shrink import dir_size, drop_layers, trim_vocab, write_fp16_copy

__all__ = ["main", "output_parity", "read_corpus_file", "tokenization_agreement"]


def read_corpus_file(path: Path) -> Iterator[str]:
    """Yield the strings of a corpus file (``.jsonl`` → ``"text"`` field, else one per line)."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if path.suffix == ".jsonl":
                if line.strip():
                    yield str(json.loads(line)["text"])
            elif line.strip():
                yield line.rstrip("\n")


def tokenization_agreement(original: Path, trimmed: Path, texts: Sequence[str]) -> dict[str, Any]:
    """Share of ``texts`` that the trimmed tokenizer segments exactly like the original.

    Trimmed ids are mapped back through ``trim_map.json`` before comparing.
    """
    from tokenizers import Tokenizer

    original_ids = json.loads((trimmed / "trim_map.json").read_text(encoding="utf-8"))["original_ids"]
    tokenizer_a = Tokenizer.from_file(str(original / "tokenizer.json"))
    a = tokenizer_a.encode_batch(list(texts))
    b = Tokenizer.from_file(str(trimmed / "tokenizer.json")).encode_batch(list(texts))
    unk_a = tokenizer_a.token_to_id("<unk>")
    if unk_a is None:
        raise ValueError(f"{original}/tokenizer.json has no <unk> token")
    same = extra_unk = 0
    for ea, eb in zip(a, b, strict=True):
        mapped = [original_ids[i] for i in eb.ids]
        same += mapped == ea.ids
        extra_unk += mapped.count(unk_a) > ea.ids.count(unk_a)
    return {
        "n": len(texts),
        "identical": same,
        "identical_pct": round(100.0 * same / max(len(texts), 1), 3),
        "texts_with_extra_unk": extra_unk,
    }


def output_parity(original: Path, trimmed: Path, texts: Sequence[str]) -> dict[str, Any]:
    """Max abs difference of ``last_hidden_state`` for texts whose tokenizations are identical."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    original_ids = json.loads((trimmed / "trim_map.json").read_text(encoding="utf-8"))["original_ids"]
    tok_a, tok_b = AutoTokenizer.from_pretrained(str(original)), AutoTokenizer.from_pretrained(str(trimmed))
    model_a = AutoModel.from_pretrained(str(original), dtype=torch.float32).eval()
    model_b = AutoModel.from_pretrained(str(trimmed), dtype=torch.float32).eval()
    compared, worst = 0, 0.0
    with torch.inference_mode():
        for text in texts:
            enc_a = tok_a(text, return_tensors="pt", truncation=True, max_length=512)
            enc_b = tok_b(text, return_tensors="pt", truncation=True, max_length=512)
            if [original_ids[i] for i in enc_b["input_ids"][0].tolist()] != enc_a["input_ids"][0].tolist():
                continue
            diff = (model_a(**enc_a).last_hidden_state - model_b(**enc_b).last_hidden_state).abs().max()
            worst = max(worst, float(diff))
            compared += 1
    return {"compared": compared, "max_abs_diff": worst}


def main(argv: Sequence[str] | None = None) -> int:
    """Build the shrunk directories, print the figures as JSON and write ``shrink_report.json``."""
    from training.base_verify import EDGE_CASES

    parser = argparse.ArgumentParser(prog="python -m training.shrink_report")
    parser.add_argument("--src", type=Path, required=True, help="converted e5-small directory")
    parser.add_argument("--out", type=Path, required=True, help="parent directory of the outputs")
    parser.add_argument("--corpus-n", type=int, default=120_000, help="generated corpus strings")
    parser.add_argument("--corpus-file", type=Path, action="append", default=[])
    parser.add_argument("--heldout-n", type=int, default=6000)
    parser.add_argument("--parity-n", type=int, default=200)
    parser.add_argument("--layers", type=int, default=6, help="encoder layers of the -L<n> variant")
    args = parser.parse_args(list(argv) if argv is not None else None)

    def corpus() -> Iterator[str]:
        yield from sample_texts(args.corpus_n, seed=1)
        for path in args.corpus_file:
            yield from read_corpus_file(path)

    trim_dir = args.out / "e5-small-trim"
    trim = trim_vocab(args.src, corpus(), trim_dir)
    fp16_dir = write_fp16_copy(trim_dir, args.out / "e5-small-trim-fp16")
    l6_dir = drop_layers(trim_dir, args.layers, args.out / f"e5-small-trim-L{args.layers}")
    heldout = sample_texts(args.heldout_n, seed=7) + list(EDGE_CASES)
    report: dict[str, Any] = {
        "corpus": {"generated": args.corpus_n, "files": [str(p) for p in args.corpus_file]},
        "pieces": {
            "before": trim.pieces_before,
            "after": trim.pieces_after,
            "used_by_corpus": trim.from_corpus,
            "single_char_pieces": trim.single_char,
        },
        "sizes": {
            d.name: {"params": s.params, "weights_mb": s.weights_mb}
            for d in (args.src, trim_dir, fp16_dir, l6_dir)
            for s in [dir_size(d)]
        },
        "heldout_tokenization": tokenization_agreement(args.src, trim_dir, heldout),
        "output_parity": output_parity(args.src, trim_dir, heldout[: args.parity_n]),
    }
    text = json.dumps(report, indent=2)
    print(text)
    (args.out / "shrink_report.json").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
