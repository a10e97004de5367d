"""End-to-end training smoke test: tiny data, a tiny encoder, a few steps, then export and scan.

It runs the real pipeline (generator, fine-tuning, ONNX export, int8 quantization,
calibration, evaluation, model card) with sizes small enough for CI; quality is not
asserted here, only that every artifact is produced, consistent and usable by `Guard`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from guard import Guard  # noqa: E402
from tests.fixtures.tiny_model import tokenizer_json_path  # noqa: E402
from training.features import TAGS  # noqa: E402
from training.pipeline import PipelineConfig, run  # noqa: E402


def _tiny_torch_base(path: Path) -> Path:
    """A freshly initialised 2-layer BERT with the XLM-R tokenizer, saved as an HF directory."""
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    config = BertConfig(
        vocab_size=250_002,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=514,
        pad_token_id=1,
    )
    BertModel(config).save_pretrained(path)
    tok = PreTrainedTokenizerFast(
        tokenizer_file=str(tokenizer_json_path()),
        bos_token="<s>",
        eos_token="</s>",
        cls_token="<s>",
        sep_token="</s>",
        pad_token="<pad>",
        unk_token="<unk>",
        mask_token="<mask>",
    )
    tok.save_pretrained(path)
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("train")
    cfg = PipelineConfig(
        output=root / "model",
        work_dir=root / "work",
        base_model=str(_tiny_torch_base(root / "base")),
        generate_train=48,
        generate_dev=16,
        generate_test=16,
        trim_vocab=False,
        layers=None,
        distill=False,
        max_steps=3,
        batch_size=8,
        max_length=64,
        stride=16,
        version="0.0.1-test",
    )
    return run(cfg, command="guard train (test)")


def test_model_directory_is_complete(trained: Path) -> None:
    manifest = json.loads((trained / "guard_model.json").read_text())
    assert manifest["tags"] == list(TAGS)
    assert manifest["version"] == "0.0.1-test"
    assert set(manifest["thresholds"]) == {t[2:] for t in TAGS if t != "O"}
    assert manifest["metrics"]["export"]["fp32_max_abs_diff"] <= 1e-3
    assert 0.0 <= manifest["metrics"]["export"]["int8_tag_agreement"] <= 1.0
    assert manifest["metrics"]["export"]["fused_attention_layers"] == 2

    heldout = next(iter(manifest["metrics"]["heldout"].values()))
    assert heldout["documents"] == 16
    card = (trained / "MODEL_CARD.md").read_text()
    assert "Entity-level micro F1" in card and "Per-label thresholds" in card


def test_exported_graph_has_one_attention_node_per_layer(trained: Path) -> None:
    import onnx

    ops = [node.op_type for node in onnx.load(trained / "model.onnx").graph.node]
    assert ops.count("QAttention") == 2
    assert "Softmax" not in ops  # no unfused attention left over


def test_trained_model_scans(trained: Path) -> None:
    guard = Guard.load(model=trained)
    result = guard.scan("aws_access_key_id=AKIAZYMLOPIFQYF7M2NX")  # gitleaks:allow
    assert result.verdict == "block"
    assert any(f.label == "SECRET" for f in result.findings)
    assert guard.model_version == "guard-multilingual@0.0.1-test"
