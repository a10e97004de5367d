"""The cascade gate (guard.model.cascade) in the runtime, on a lookup-table model with known answers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from guard.errors import ModelError
from guard.model import OnnxTokenClassifier, load_manifest
from guard.model.cascade import PAIR_MULTIPLIER, CascadeSpec, Gate, window_features
from tests.fixtures.gate import gate_weights, with_gate
from tests.fixtures.tiny_model import build_table_model, tags_for_substrings

SECRET = "AKIAZQ3X7PL2MV9RT4WD"  # gitleaks:allow
FILLER = "The weather was fine and the meeting ended early. " * 12
TEXT = FILLER + "Key " + SECRET + ". " + FILLER
BUCKETS = 64


@pytest.fixture(scope="module")
def table_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_table_model(
        tmp_path_factory.mktemp("gate-table"),
        tags_for_substrings(TEXT, {SECRET: "SECRET"}),
        max_length=64,
        stride=16,
    )


def _found(clf: OnnxTokenClassifier, text: str, **kw: object) -> list[tuple[str, str]]:
    return [(f.label, text[f.start : f.end]) for f in clf.analyze_many([text], **kw)[0].findings]  # type: ignore[arg-type]


def test_a_gate_that_passes_nothing_leaves_only_o_and_no_cascade_reads_all(
    table_dir: Path, tmp_path: Path
) -> None:
    full = OnnxTokenClassifier.load(table_dir, provider="cpu", intra_op_threads=1)
    gated_dir = with_gate(table_dir, tmp_path / "m", gate_weights(full.vocab_size, bias=-50.0), threshold=0.0)
    gated = OnnxTokenClassifier.load(gated_dir, provider="cpu", intra_op_threads=1)
    assert gated.gate is not None
    assert _found(full, TEXT) == [("SECRET", SECRET)]
    analysis = gated.analyze_many([TEXT])[0]
    assert analysis.findings == []
    o = gated.manifest.tags.index("O")
    assert np.allclose(analysis.probs[:, o], 1.0)  # skipped windows own O, nothing is left unset
    assert _found(gated, TEXT, cascade=False) == [("SECRET", SECRET)]
    gated.cascade = False
    assert _found(gated, TEXT) == [("SECRET", SECRET)]


def test_only_the_windows_the_gate_passes_run_and_they_score_as_without_it(
    table_dir: Path, tmp_path: Path
) -> None:
    full = OnnxTokenClassifier.load(table_dir, provider="cpu", intra_op_threads=1)
    (secret_ids,) = full.token_ids([SECRET])
    token = np.zeros(full.vocab_size, dtype=np.float32)
    token[secret_ids] = 10.0  # the secret's tokens open their window, nothing else does
    gated = OnnxTokenClassifier.load(
        with_gate(table_dir, tmp_path / "m", gate_weights(full.vocab_size, token, bias=-5.0), threshold=0.0),
        provider="cpu",
        intra_op_threads=1,
    )
    want = full.analyze_many([TEXT])[0]
    got = gated.analyze_many([TEXT])[0]
    assert want.num_windows > 3
    assert [(f.label, f.start, f.end, f.score) for f in got.findings] == [
        (f.label, f.start, f.end, f.score) for f in want.findings
    ]
    start, end = TEXT.index(SECRET), TEXT.index(SECRET) + len(SECRET)
    rows = [i for i, (a, b) in enumerate(got.offsets) if a < end and start < b]
    assert np.array_equal(got.probs[rows], want.probs[rows])
    harmless = FILLER * 2
    assert gated.analyze_many([harmless])[0].findings == []


def test_a_gate_scores_the_set_of_ids_and_pairs_of_a_window() -> None:
    vocab, buckets = 10, 64
    rng = np.random.default_rng(3)
    arrays = {
        "token": rng.normal(size=vocab).astype(np.float32),
        "pairs": rng.normal(size=buckets).astype(np.float32),
        "bias": np.float32(0.5),
    }
    gate = Gate(CascadeSpec("gate.npz", threshold=1.0, level=0.2), arrays)
    ids = np.array([3, 4, 3, 4, 7], dtype=np.int64)
    tokens, pairs = window_features(ids, buckets)
    assert list(tokens) == [3, 4, 7]  # a set: repeats count once
    assert sorted(pairs) == sorted({(a * PAIR_MULTIPLIER + b) % buckets for a, b in [(3, 4), (4, 3), (4, 7)]})
    want = arrays["token"][[3, 4, 7]].sum() + arrays["pairs"][pairs].sum() + 0.5
    assert gate.score(ids) == pytest.approx(want, rel=1e-6)
    assert gate.passes(ids) == (want >= 1.0)
    assert not gate.passes(np.zeros(0, dtype=np.int64))


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("[1]", "cascade must be a JSON object"),
        ({"file": "../gate.npz", "threshold": 0, "level": 0.2}, "plain file name"),
        ({"file": "gate.npz", "threshold": "x", "level": 0.2}, "threshold"),
        ({"file": "gate.npz", "threshold": 0, "level": 1.5}, "level in (0, 1)"),
        ({"threshold": 0, "level": 0.2}, "missing key 'file'"),
    ],
)
def test_bad_cascade_entries_are_refused(
    table_dir: Path, tmp_path: Path, entry: object, message: str
) -> None:
    dst = tmp_path / "m"
    shutil.copytree(table_dir, dst)
    manifest = json.loads((dst / "guard_model.json").read_text())
    manifest["cascade"] = json.loads(entry) if isinstance(entry, str) else entry
    (dst / "guard_model.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_manifest(dst)


def test_a_missing_or_mis_sized_gate_file_is_a_model_error(table_dir: Path, tmp_path: Path) -> None:
    full = OnnxTokenClassifier.load(table_dir, provider="cpu", intra_op_threads=1)
    dst = with_gate(table_dir, tmp_path / "m", gate_weights(full.vocab_size), threshold=0.0)
    (dst / "gate.npz").unlink()
    with pytest.raises(ModelError, match="names a cascade gate that is not there"):
        OnnxTokenClassifier.load(dst, provider="cpu", intra_op_threads=1)
    np.savez(dst / "gate.npz", **gate_weights(full.vocab_size - 1))
    with pytest.raises(ModelError, match="token has shape"):
        OnnxTokenClassifier.load(dst, provider="cpu", intra_op_threads=1)
