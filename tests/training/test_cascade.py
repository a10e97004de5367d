"""training.cascade: a gate distilled from a table model keeps the dev windows the model reports from."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from guard.model import OnnxTokenClassifier, load_manifest
from tests.fixtures.tiny_model import build_table_model, tags_for_substrings
from training.cascade import GATE_FILE, distil_gate

SECRETS = ["AKIAZQ3X7PL2MV9RT4WD", "AKIAQW8E4RT6YU2IO9PL"]  # gitleaks:allow
WORDS = "the weather was fine and our meeting ended early so we walked home along river past old mill".split()


def _prose(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)) + "."


@pytest.fixture(scope="module")
def table_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    vocab_text = " ".join(WORDS) + " key " + " ".join(SECRETS)
    return build_table_model(
        tmp_path_factory.mktemp("distil-table"),
        tags_for_substrings(vocab_text, {s: "SECRET" for s in SECRETS}),
        max_length=64,
        stride=16,
    )


def _texts(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text = _prose(rng, rng.randint(5, 30))
        if i % 3 == 0:
            text += f" key {rng.choice(SECRETS)} " + _prose(rng, rng.randint(3, 10))
        out.append(text)
    return out


def test_the_distilled_gate_passes_every_reported_window_and_skips_prose(
    table_dir: Path, tmp_path: Path
) -> None:
    model = tmp_path / "m"
    shutil.copytree(table_dir, model)
    report = distil_gate(model, _texts(1, 150), _texts(2, 60), level=0.2, recall=1.0, buckets=256)
    assert report.dev_reported_windows > 0
    assert report.reported_recall == 1.0
    assert report.negative_pass_rate < 0.5  # prose windows without a secret mostly stay out
    manifest = load_manifest(model)
    assert manifest.cascade is not None and manifest.cascade.file == GATE_FILE
    assert (
        json.loads((model / "guard_model.json").read_text())["metrics"]["cascade"]["dev_windows"]
        == report.dev_windows
    )

    full = OnnxTokenClassifier.load(table_dir, provider="cpu", intra_op_threads=1)
    gated = OnnxTokenClassifier.load(model, provider="cpu", intra_op_threads=1)
    assert gated.gate is not None
    dev = _texts(2, 60)  # every window the model reports from in dev passes (recall 1.0) ...
    for text in dev:
        want = [(f.label, f.start, f.end) for f in full.analyze(text).findings]
        assert [(f.label, f.start, f.end) for f in gated.analyze(text).findings] == want
    for text in _texts(3, 40):  # ... and on unseen texts the gate can only take findings away
        want = {(f.label, f.start, f.end) for f in full.analyze(text).findings}
        assert {(f.label, f.start, f.end) for f in gated.analyze(text).findings} <= want


def test_nothing_to_learn_is_a_clear_error(table_dir: Path, tmp_path: Path) -> None:
    model = tmp_path / "m"
    shutil.copytree(table_dir, model)
    prose = [_prose(random.Random(i), 12) for i in range(20)]
    with pytest.raises(ValueError, match="nothing to learn"):
        distil_gate(model, prose, prose, buckets=64)
    assert not (model / GATE_FILE).exists()
