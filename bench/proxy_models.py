"""Stand-in models for benchmarks while the trained default model is not there yet.

`build_e5_proxy` builds a randomly initialised encoder with the shape of
intfloat/multilingual-e5-small (BERT, 12 layers, hidden 384, 12 heads, FFN 1536, the
250,002-token XLM-R vocabulary), a 25-tag token-classification head, exported to ONNX
and int8-quantized with onnxruntime's dynamic quantization: same compute per token as
the shipped model, meaningless predictions. Needs torch + transformers (guard[train]).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

__all__ = ["build_e5_proxy"]


def build_e5_proxy(out_dir: Path, seed: int = 0, max_length: int = 256, stride: int = 64) -> Path:
    """Build the proxy model directory in ``out_dir`` and return it."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from transformers import BertConfig, BertForTokenClassification

    from tests.fixtures.tiny_model import TAGS, prepare_model_dir, write_manifest

    out = prepare_model_dir(out_dir)
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=250_002,
        hidden_size=384,
        num_hidden_layers=12,
        num_attention_heads=12,
        intermediate_size=1536,
        max_position_embeddings=512,
        type_vocab_size=2,
        num_labels=len(TAGS),
        attn_implementation="eager",
    )
    model = BertForTokenClassification(config).eval()

    class _Logits(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = model

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).logits

    fp32 = out / "model.fp32.onnx"
    ids = torch.randint(5, 1000, (2, 32))
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _Logits().eval(),
            (ids, torch.ones_like(ids)),
            str(fp32),
            input_names=["input_ids", "attention_mask"],
            output_names=["logits"],
            dynamic_axes={n: {0: "batch", 1: "seq"} for n in ("input_ids", "attention_mask", "logits")},
            opset_version=17,
            dynamo=False,
        )
    quantize_dynamic(str(fp32), str(out / "model.onnx"), weight_type=QuantType.QInt8)
    fp32.unlink()
    write_manifest(
        out,
        name="e5-small-shaped-proxy-int8",
        version="random-init",
        base_model="proxy",
        max_length=max_length,
        stride=stride,
    )
    return out
