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


def _tiny_cfg(root: Path, **overrides: object) -> PipelineConfig:
    """A pipeline run small enough for CI on a freshly initialised 2-layer encoder."""
    settings: dict[str, object] = {
        "output": root / "model",
        "work_dir": root / "work",
        "base_model": str(_tiny_torch_base(root / "base")),
        "generate_train": 48,
        "generate_dev": 16,
        "generate_test": 16,
        "trim_vocab": False,
        "layers": None,
        "distill": False,
        "max_steps": 3,
        "batch_size": 8,
        "max_length": 64,
        "stride": 16,
        "version": "0.0.1-test",
    }
    return PipelineConfig(**(settings | overrides))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run(_tiny_cfg(tmp_path_factory.mktemp("train")), command="guard train (test)")


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


# ---------------------------------------------------------------- real text and the company gate

_HARMLESS = [
    ("en", "Cheers, and thanks for the quick answer about the nginx config."),
    ("en", "Edit /etc/nginx/conf.d/default.conf and reload the service."),
    ("de", "Hallo zusammen, die Zwiebeln in Butter glasig dünsten."),
    ("fr", "Bonjour à tous, le tableur calcule 15 % de TVA sur la cellule B2."),
    ("ja", "こんにちは。設定ファイルを保存してから再起動してください。"),
    ("zh", "这本书写得很好，物流也很快，五星好评。"),
]
_PACK = """
company:
  name: Fjordline Robotics
  public_domains: [fjordline-robotics.com]
  languages: [en, de]
internal_hosts:
  domains: [fjl.internal]
  ip_ranges: ["10.77.0.0/16"]
codenames:
  - {name: Vortex-9, aliases: ["V9"], note: "no ordinary sense"}
customers:
  - Nordhavn Freight AS
"""


def _real_text_dir(root: Path) -> Path:
    from training.pipeline import write_records

    folder = root / "realtext"
    records = [
        {"text": t, "spans": [], "lang": lang, "channel": "chat", "template": f"real:src-{lang}"}
        for lang, t in _HARMLESS
    ]
    leak = "Please reset the password of build-07.fjl.internal today."
    start = leak.index("build-07")
    records.append(
        {
            "text": leak,
            "spans": [
                {"start": start, "end": start + len("build-07.fjl.internal"), "label": "INTERNAL_HOST"}
            ],
            "lang": "en",
            "channel": "chat",
            "template": "real+gen:src-en|t",
        }
    )
    for split in ("train", "dev", "test"):
        write_records(records, folder / f"{split}.jsonl.gz")
    (folder / "manifest.json").write_text(
        json.dumps({"seed": 1, "packages": {}, "sources": {}, "records": {}})
    )
    return folder


def _small_cfg(root: Path, **extra: object) -> PipelineConfig:
    small = {
        "generate_train": 24,
        "generate_dev": 8,
        "generate_test": 8,
        "domain_train": 24,
        "domain_test": 8,
    }
    return _tiny_cfg(root, **small, max_steps=2, version="0.0.2-test", **extra)


def test_real_text_is_trained_on_and_reported_in_the_card(tmp_path: Path) -> None:
    real = _real_text_dir(tmp_path)
    out = run(_small_cfg(tmp_path, real_text=real, max_minutes=5.0), command="guard train (test)")
    manifest = json.loads((out / "guard_model.json").read_text())
    report = next(iter(manifest["metrics"]["real_text"].values()))
    assert report["harmless"]["all"]["flagged"]["n"] == len(_HARMLESS)
    assert {k for k in report["harmless"] if k.startswith("lang:")} == {
        f"lang:{x}" for x in ("en", "de", "fr", "ja", "zh")
    }
    assert report["injected"]["records"] == 1
    train = (tmp_path / "work" / "data" / "train.jsonl.gz").read_bytes()
    assert len(train) > 0
    card = (out / "MODEL_CARD.md").read_text()
    assert "held-out real text" in card and "| lang:ja |" in card


def _table_model(root: Path, token_tags: dict[int, str]) -> Path:
    from tests.fixtures.tiny_model import build_table_model

    return build_table_model(root, token_tags)


def test_a_company_model_is_gated_on_the_precision_of_its_starting_model(tmp_path: Path) -> None:
    from tokenizers import Tokenizer

    from training.pipeline import ShipRejected

    pack = tmp_path / "pack.yaml"
    pack.write_text(_PACK, encoding="utf-8")
    real = _real_text_dir(tmp_path)
    tok = Tokenizer.from_file(str(tokenizer_json_path()))
    # a baseline that flags every harmless paragraph: the company model cannot be less precise
    everything = {i: "B-SECRET" for t in (x for _, x in _HARMLESS) for i in tok.encode(t).ids}
    loud = _table_model(tmp_path / "loud", everything)
    out = run(_small_cfg(tmp_path / "a", domain=pack, real_text=real, baseline_model=loud), command="t")
    gate = json.loads((out / "guard_model.json").read_text())["metrics"]["precision_gate"]
    assert gate["paragraphs"] == len(_HARMLESS) and gate["baseline_rate"] > 0.5
    assert gate["passed"] == (gate["model_rate"] <= gate["baseline_rate"])
    # a baseline that flags nothing: shipped only if the company model flags nothing either
    quiet = _table_model(tmp_path / "quiet", {})
    cfg = _small_cfg(tmp_path / "b", domain=pack, real_text=real, baseline_model=quiet)
    try:
        out = run(cfg, command="t")
    except ShipRejected as exc:
        assert "not shipped" in str(exc) and "0.0 %" in str(exc)
        assert (tmp_path / "b" / "model.rejected" / "guard_model.json").exists()
        assert not (tmp_path / "b" / "model").exists()
    else:
        gate = json.loads((out / "guard_model.json").read_text())["metrics"]["precision_gate"]
        assert gate["passed"] and gate["model_rate"] == 0.0


def test_product_evaluations_use_the_calibrated_thresholds(tmp_path: Path) -> None:
    # the real-text figures come from Guard.load(model): it must read the calibrated thresholds,
    # not the provisional 0.5 written before calibration (0.3.0's first card had 28 flagged
    # paragraphs of 3000 with 0.5, 11 with its calibrated thresholds)
    from training.pipeline import evaluate_real_text, load_records

    real = _real_text_dir(tmp_path)
    out = run(_small_cfg(tmp_path, real_text=real), command="guard train (test)")
    manifest = json.loads((out / "guard_model.json").read_text())
    card_report = next(iter(manifest["metrics"]["real_text"].values()))
    again = evaluate_real_text(out, load_records([real / "test.jsonl.gz"]))
    assert card_report == again


def test_a_shallow_copy_is_distilled_from_its_teacher(trained: Path, tmp_path: Path) -> None:
    # `guard train --from <shallow copy> --teacher <trained model>`: the student learns the
    # teacher's soft tags (the teacher is not trained again) and ships at its own depth
    from training.shrink import drop_layers

    teacher = trained.parent / "work" / "teacher" / "final"
    student = drop_layers(teacher, 1, tmp_path / "student-base")
    out = run(_tiny_cfg(tmp_path, from_model=str(student), teacher=teacher), command="guard train (test)")
    assert (tmp_path / "work" / "student" / "final" / "config.json").exists()
    assert not (tmp_path / "work" / "teacher").exists()
    manifest = json.loads((out / "guard_model.json").read_text())
    assert manifest["metrics"]["export"]["fused_attention_layers"] == 1
    assert "- distilled: True" in (out / "MODEL_CARD.md").read_text()
    assert Guard.load(model=out).model_version == "guard-multilingual@0.0.1-test"
