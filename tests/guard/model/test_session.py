"""Execution providers, session options (fusions) and graph input checks, on real onnxruntime."""

from __future__ import annotations

import collections
import os
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper

from guard.errors import ModelError
from guard.model import INT8_CPU_SLOW_FUSIONS, OnnxTokenClassifier
from guard.model.manifest import default_model_path
from guard.model.session import (
    CPU,
    CUDA,
    auto_disabled_optimizers,
    create_session,
    is_dynamically_quantized,
    resolve_providers,
)
from tests.fixtures.tiny_model import TAGS, tokenizer_json_path, write_manifest

HAS_CUDA = CUDA in ort.get_available_providers()
TRT = "TensorrtExecutionProvider"


@pytest.mark.parametrize(
    ("asked", "available", "expected"),
    [
        ("auto", [CPU], [CPU]),
        ("auto", [CUDA, CPU], [CUDA, CPU]),
        ("auto", [TRT, CUDA, CPU], [CUDA, CPU]),  # TensorRT is never picked automatically
        ("cpu", [TRT, CUDA, CPU], [CPU]),
        ("cuda", [CUDA, CPU], [CUDA, CPU]),
    ],
)
def test_provider_resolution(asked: str, available: list[str], expected: list[str]) -> None:
    assert resolve_providers(asked, available) == expected


def test_forcing_cuda_without_it_is_a_model_error() -> None:
    with pytest.raises(ModelError, match="no CUDAExecutionProvider"):
        resolve_providers("cuda", [CPU])
    with pytest.raises(ValueError, match="'auto', 'cpu' or 'cuda'"):
        resolve_providers("tpu", [CPU])


def test_auto_uses_what_this_machine_has(tiny_model_dir: Path) -> None:
    clf = OnnxTokenClassifier.load(tiny_model_dir, provider="auto")
    assert clf.providers[0] == (CUDA if HAS_CUDA else CPU)
    assert OnnxTokenClassifier.load(tiny_model_dir, provider="cpu").providers == [CPU]


@pytest.mark.skipif(HAS_CUDA, reason="this machine has CUDA")
def test_cuda_forced_on_a_cpu_machine(tiny_model_dir: Path) -> None:
    with pytest.raises(ModelError, match="provider 'cuda'"):
        OnnxTokenClassifier.load(tiny_model_dir, provider="cuda")


@pytest.mark.gpu
@pytest.mark.skipif(not HAS_CUDA, reason="needs onnxruntime-gpu and a CUDA GPU")
def test_cuda_matches_cpu(tiny_model_dir: Path) -> None:
    text = "Anna Schmidt, IBAN DE89 3704 0044 0532 0130 00, 東京都 " * 50
    gpu = OnnxTokenClassifier.load(tiny_model_dir, provider="cuda")
    assert gpu.providers[0] == CUDA
    cpu = OnnxTokenClassifier.load(tiny_model_dir, provider="cpu")
    np.testing.assert_allclose(gpu.analyze(text).probs, cpu.analyze(text).probs, atol=1e-3)


def _op_counts(path: Path) -> collections.Counter[str]:
    return collections.Counter(node.op_type for node in onnx.load(str(path)).graph.node)


def test_disabled_fusions_change_the_graph_not_the_results(tiny_model_dir: Path, tmp_path: Path) -> None:
    fused, plain = tmp_path / "fused.onnx", tmp_path / "plain.onnx"
    create_session(tiny_model_dir / "model.onnx", "cpu", 1, (), save_optimized=fused)
    create_session(tiny_model_dir / "model.onnx", "cpu", 1, INT8_CPU_SLOW_FUSIONS, save_optimized=plain)
    assert _op_counts(fused)["BiasGelu"] > 0
    assert _op_counts(plain)["BiasGelu"] == 0 and _op_counts(plain)["Gelu"] > 0
    text = "Rechnung an Müller GmbH, Konto DE89370400440532013000, 価格 ¥1,200万 " * 20
    a = OnnxTokenClassifier.load(tiny_model_dir, provider="cpu").analyze(text)
    b = OnnxTokenClassifier.load(
        tiny_model_dir, provider="cpu", disabled_optimizers=INT8_CPU_SLOW_FUSIONS
    ).analyze(text)
    np.testing.assert_allclose(a.probs, b.probs, atol=1e-4)


def test_auto_fusions_skip_the_slow_ones_only_for_int8_on_cpu(tiny_model_dir: Path, tmp_path: Path) -> None:
    int8 = default_model_path() / "model.onnx"
    fp32 = tiny_model_dir / "model.onnx"
    assert is_dynamically_quantized(int8) and not is_dynamically_quantized(fp32)
    assert not is_dynamically_quantized(tmp_path / "missing.onnx")
    assert auto_disabled_optimizers(int8, [CPU]) == INT8_CPU_SLOW_FUSIONS
    assert auto_disabled_optimizers(int8, [CUDA, CPU]) == ()
    assert auto_disabled_optimizers(fp32, [CPU]) == ()
    # the default session of the shipped int8 graph on CPU has no SkipLayerNormalization;
    # the fp32 tiny graph keeps its fusions
    auto_int8, fused_int8, auto_fp32 = tmp_path / "a8.onnx", tmp_path / "f8.onnx", tmp_path / "a32.onnx"
    create_session(int8, "cpu", 1, save_optimized=auto_int8)
    create_session(int8, "cpu", 1, (), save_optimized=fused_int8)
    create_session(fp32, "cpu", 1, save_optimized=auto_fp32)
    assert _op_counts(fused_int8)["SkipLayerNormalization"] > 0
    assert _op_counts(auto_int8)["SkipLayerNormalization"] == 0
    assert _op_counts(auto_fp32)["BiasGelu"] > 0


def test_bad_thread_count(tiny_model_dir: Path) -> None:
    with pytest.raises(ValueError, match="intra_op_threads"):
        OnnxTokenClassifier.load(tiny_model_dir, provider="cpu", intra_op_threads=0)


def _graph_dir(tmp_path: Path, inputs: dict[str, int], name: str) -> Path:
    """A minimal graph: logits = table[input_ids] (+ 0 * other inputs), 25 tag columns."""
    vocab = 250_002
    table = helper.make_tensor(
        "table",
        TensorProto.FLOAT,
        [vocab, len(TAGS)],
        np.zeros((vocab, len(TAGS)), np.float32).tobytes(),
        raw=True,
    )
    nodes = [helper.make_node("Gather", ["table", "input_ids"], ["logits"], axis=0)]
    graph = helper.make_graph(
        nodes,
        name,
        [helper.make_tensor_value_info(n, kind, ["batch", "seq"]) for n, kind in inputs.items()],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "seq", len(TAGS)])],
        initializer=[table],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    out = tmp_path / name
    out.mkdir()
    onnx.save(model, str(out / "model.onnx"))
    os.symlink(tokenizer_json_path(), out / "tokenizer.json")
    write_manifest(out)
    return out


def test_graph_inputs_are_checked(tmp_path: Path) -> None:
    i64, f32 = TensorProto.INT64, TensorProto.FLOAT
    with pytest.raises(ModelError, match="no input 'attention_mask'"):
        OnnxTokenClassifier.load(_graph_dir(tmp_path, {"input_ids": i64}, "nomask"), provider="cpu")
    with pytest.raises(ModelError, match="unexpected graph inputs"):
        OnnxTokenClassifier.load(
            _graph_dir(tmp_path, {"input_ids": i64, "attention_mask": i64, "pixels": i64}, "extra"),
            provider="cpu",
        )
    with pytest.raises(ModelError, match="must all be int64"):
        OnnxTokenClassifier.load(
            _graph_dir(tmp_path, {"input_ids": i64, "attention_mask": f32}, "float"), provider="cpu"
        )


def test_token_type_ids_and_int32_inputs_are_fed(tmp_path: Path) -> None:
    i32 = TensorProto.INT32
    bert_like = _graph_dir(tmp_path, {"input_ids": i32, "attention_mask": i32, "token_type_ids": i32}, "bert")
    clf = OnnxTokenClassifier.load(bert_like, provider="cpu")
    analysis = clf.analyze("zero logits everywhere 全部")
    assert analysis.num_tokens > 0 and analysis.findings == []  # argmax of a tie is column 0, "O"


def test_spinning_setting_is_validated(tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUARD_ORT_SPINNING", "yes")
    with pytest.raises(ModelError, match="GUARD_ORT_SPINNING"):
        OnnxTokenClassifier.load(tiny_model_dir, provider="cpu")
    monkeypatch.setenv("GUARD_ORT_SPINNING", "1")
    assert OnnxTokenClassifier.load(tiny_model_dir, provider="cpu").analyze("x y").num_tokens > 0


def test_cpu_sessions_are_single_threaded_and_threads_run_windows_in_parallel(tiny_model_dir: Path) -> None:
    two = OnnxTokenClassifier.load(tiny_model_dir, provider="cpu", intra_op_threads=2)
    one = OnnxTokenClassifier.load(tiny_model_dir, provider="cpu", intra_op_threads=1)
    assert two._session.get_session_options().intra_op_num_threads == 1
    assert (two.parallel, one.parallel) == (2, 1)
    text = " ".join(f"host db{i}.corp.internal user=svc" for i in range(200))  # several windows
    a, b = two.analyze(text), one.analyze(text)
    assert a.num_windows > 2
    np.testing.assert_array_equal(a.probs, b.probs)
