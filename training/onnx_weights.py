"""Torch weights from a shipped int8 ONNX model: what ``guard train --from default`` continues from.

The repository keeps one artifact per model version: the int8 ONNX graph that guard runs. A second
fp32 copy of the same weights for training (91 MB per version) would grow every clone by that much
per release. Instead the torch weights are derived from the graph: every quantized tensor is
dequantized (``(q - zero_point) * scale``, per output channel for the encoder's matrices, per
tensor for the embeddings), the fused attention matrix is split back into query, key and value,
and the result is written as a Hugging Face ``BertForTokenClassification`` checkpoint next to the
small files kept in ``training/checkpoints/<name>`` (``config.json``, tokenizer).

The derived weights differ from the fp32 weights the graph was quantized from by at most half a
quantization step per weight; the test measures what that changes in the output
(tests/training/test_onnx_weights.py: the derived model and the graph agree on the tags).
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["derive_checkpoint", "state_dict_from_onnx"]

log = logging.getLogger(__name__)

_DENSE = re.compile(r"^/bert/encoder/layer\.(\d+)/(attention/output|intermediate|output)/dense/MatMul_quant$")
_ATTENTION = re.compile(r"^Attention_(\d+)_quant$")
_EMBEDDINGS = ("word_embeddings", "position_embeddings", "token_type_embeddings")


def _dequantized(inits: dict[str, np.ndarray], name: str) -> np.ndarray:
    """``(q - zero_point) * scale`` of the initializer ``<name>_quantized`` (float32)."""
    base = name.removesuffix("_quantized")
    q = inits[f"{base}_quantized"].astype(np.float32)
    return (q - inits[f"{base}_zero_point"].astype(np.float32)) * inits[f"{base}_scale"].astype(np.float32)


def state_dict_from_onnx(onnx_path: Path) -> dict[str, np.ndarray]:
    """The ``BertForTokenClassification`` state dict (numpy, float32) encoded in a guard ONNX graph.

    Raises:
        ValueError: the graph is not one guard's exporter writes (a tensor is missing).
    """
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(onnx_path))
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    state: dict[str, np.ndarray] = {}
    for name, value in inits.items():
        if name.startswith(("bert.", "classifier.")) and not name.endswith(
            ("_quantized", "_scale", "_zero_point")
        ):
            state[name] = value.astype(np.float32)
    for emb in _EMBEDDINGS:
        state[f"bert.embeddings.{emb}.weight"] = _dequantized(inits, f"bert.embeddings.{emb}.weight")
    for node in model.graph.node:
        weights = [i for i in node.input if i.endswith("_quantized") and i in inits]
        if node.op_type == "QAttention" and (m := _ATTENTION.match(node.name)):
            layer = int(m.group(1))
            qkv = _dequantized(inits, weights[0])  # [hidden, 3 * hidden], per output channel
            bias = inits[node.input[2]].astype(np.float32)
            hidden = qkv.shape[0]
            prefix = f"bert.encoder.layer.{layer}.attention.self"
            for i, part in enumerate(("query", "key", "value")):
                state[f"{prefix}.{part}.weight"] = qkv[:, i * hidden : (i + 1) * hidden].T.copy()
                state[f"{prefix}.{part}.bias"] = bias[i * hidden : (i + 1) * hidden].copy()
        elif node.op_type == "MatMulInteger" and weights:
            if node.name == "/classifier/MatMul_quant":
                state["classifier.weight"] = _dequantized(inits, weights[0]).T.copy()
            elif m := _DENSE.match(node.name):
                layer, part = int(m.group(1)), m.group(2).replace("/", ".")
                state[f"bert.encoder.layer.{layer}.{part}.dense.weight"] = _dequantized(
                    inits, weights[0]
                ).T.copy()
    if "classifier.weight" not in state or "bert.embeddings.word_embeddings.weight" not in state:
        raise ValueError(
            f"{onnx_path}: not a guard token-classifier graph (classifier or embeddings missing)"
        )
    return state


def derive_checkpoint(model_dir: Path, config_dir: Path, out_dir: Path) -> Path:
    """Write a torch checkpoint derived from ``model_dir/model.onnx`` into ``out_dir``.

    Args:
        model_dir: a guard model folder (``model.onnx``).
        config_dir: the small tracked files of the checkpoint (``config.json``, tokenizer files).
        out_dir: where the checkpoint goes; reused when it was derived from the same graph.

    Returns:
        ``out_dir``, holding ``config.json``, the tokenizer files and ``model.safetensors``.

    Raises:
        ValueError: the graph does not match the config (a tensor missing or of another shape).
    """
    import torch
    from safetensors.torch import save_file
    from transformers import AutoConfig, BertForTokenClassification

    onnx_path = model_dir / "model.onnx"
    digest = hashlib.sha256(onnx_path.read_bytes()).hexdigest()
    stamp = out_dir / "derived-from.sha256"
    if stamp.exists() and stamp.read_text().strip() == digest and (out_dir / "model.safetensors").exists():
        return out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    for f in config_dir.iterdir():
        if f.is_file() and f.name != "model.safetensors":
            shutil.copy2(f, out_dir / f.name)
    config = AutoConfig.from_pretrained(str(config_dir))
    expected = BertForTokenClassification(config).state_dict()
    derived = state_dict_from_onnx(onnx_path)
    tensors: dict[str, Any] = {}
    for name, ref in expected.items():
        if name not in derived:
            if name.endswith("position_ids"):
                continue
            raise ValueError(f"{onnx_path}: no tensor for {name}")
        value = torch.from_numpy(derived[name])
        if tuple(value.shape) != tuple(ref.shape):
            raise ValueError(
                f"{onnx_path}: {name} has shape {tuple(value.shape)}, config wants {tuple(ref.shape)}"
            )
        tensors[name] = value.contiguous()
    save_file(tensors, str(out_dir / "model.safetensors"), metadata={"format": "pt"})
    stamp.write_text(digest + "\n")
    log.info("torch weights derived from %s into %s", onnx_path, out_dir)
    return out_dir
