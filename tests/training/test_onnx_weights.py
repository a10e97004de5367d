"""Torch weights derived from the shipped int8 ONNX graph give the graph's own tags."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from guard.model import default_model_path  # noqa: E402
from training.onnx_weights import derive_checkpoint, state_dict_from_onnx  # noqa: E402
from training.pipeline import DEFAULT_TORCH_DIR  # noqa: E402

TEXTS = [
    "Please send the invoice to Jana Müller, IBAN DE68210501700012345678, by Friday.",
    "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzz1234; deploy to build-07.kestrel.internal",
    "Projekt Okapi startet im Mai, Budget 1,2 Mio EUR laut Vorstand.",
    "今日は良い天気ですね。田中さんに電話してください 090-1234-5678",
    "Salut Marc, le serveur 10.20.3.4 redémarre ce soir.",
]


def test_the_derived_checkpoint_tags_like_the_graph(tmp_path: Path) -> None:
    import onnxruntime as ort
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    out = derive_checkpoint(default_model_path(), DEFAULT_TORCH_DIR, tmp_path / "derived")
    model = AutoModelForTokenClassification.from_pretrained(str(out)).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(out))
    session = ort.InferenceSession(
        str(default_model_path() / "model.onnx"), providers=["CPUExecutionProvider"]
    )
    names = {i.name for i in session.get_inputs()}
    same = total = 0
    for text in TEXTS:
        enc = tokenizer(text, return_tensors="pt")
        with torch.no_grad():
            derived = model(**enc).logits[0].numpy()
        graph = session.run(None, {k: v.numpy() for k, v in enc.items() if k in names})[0][0]
        same += int((derived.argmax(-1) == graph.argmax(-1)).sum())
        total += len(graph)
    assert same / total >= 0.99, f"{same} of {total} tokens tagged alike"
    # derived once per graph: a second call reuses the files
    before = (out / "model.safetensors").stat().st_mtime_ns
    derive_checkpoint(default_model_path(), DEFAULT_TORCH_DIR, out)
    assert (out / "model.safetensors").stat().st_mtime_ns == before


def test_every_encoder_matrix_is_recovered_from_the_graph() -> None:
    state = state_dict_from_onnx(default_model_path() / "model.onnx")
    layers = {int(k.split(".")[3]) for k in state if k.startswith("bert.encoder.layer.")}
    for layer in layers:
        for part in ("attention.self.query", "attention.self.key", "attention.self.value",
                     "attention.output.dense", "intermediate.dense", "output.dense"):  # fmt: skip
            weight = state[f"bert.encoder.layer.{layer}.{part}.weight"]
            assert weight.dtype == np.float32 and np.isfinite(weight).all()
    assert state["classifier.weight"].shape[0] == 25


def test_a_graph_that_is_not_guards_is_a_clear_error(tmp_path: Path) -> None:
    import onnx
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["y"])], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])],
    )  # fmt: skip
    onnx.save(helper.make_model(graph), str(tmp_path / "model.onnx"))
    with pytest.raises((ValueError, KeyError)):
        state_dict_from_onnx(tmp_path / "model.onnx")


def test_a_packaged_model_folder_is_continued_from_its_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import training.pipeline as pipeline

    monkeypatch.setattr(pipeline, "DEFAULT_TORCH_CACHE", tmp_path / "cache" / "default-torch")
    out = pipeline.torch_dir_of(default_model_path())
    assert out.parent == tmp_path / "cache" and out.name.startswith("derived-")
    assert (out / "model.safetensors").exists() and (out / "config.json").exists()
    assert pipeline.torch_dir_of(default_model_path()) == out  # same graph: the same folder, reused
