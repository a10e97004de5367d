"""ONNX token-classifier runtime: load a model directory, scan texts, decode spans.

Model directory (docs/architecture.md)::

    model.onnx        inputs input_ids, attention_mask int64 [batch, seq]
                      (an optional token_type_ids input is fed zeros; int32 inputs work too)
                      output logits float32 [batch, seq, num_tags]
    tokenizer.json    a HF ``tokenizers`` file (XLM-R sentencepiece for the default model)
    guard_model.json  manifest, validated by `load_manifest` (see `guard.model.manifest`)

Modules: `guard.model.manifest` (manifest, packaged model path), `guard.model.session`
(onnxruntime session, execution providers), `guard.model.windows` (long texts),
`guard.model.decode` (BIO decoding, `TokenAnalysis`), `guard.model.runtime`
(`OnnxTokenClassifier`), `guard.model.subwords` (word-start rule shared with training).
"""

from __future__ import annotations

from guard.model.decode import TokenAnalysis
from guard.model.manifest import ModelManifest, default_model_path, load_manifest
from guard.model.runtime import DEFAULT_BATCH_TOKENS, SCORE_FLOOR, OnnxTokenClassifier
from guard.model.session import INT8_CPU_SLOW_FUSIONS

__all__ = [
    "DEFAULT_BATCH_TOKENS",
    "INT8_CPU_SLOW_FUSIONS",
    "SCORE_FLOOR",
    "ModelManifest",
    "OnnxTokenClassifier",
    "TokenAnalysis",
    "default_model_path",
    "load_manifest",
]
