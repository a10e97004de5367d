"""bench/eval_cascade.py: figures of a gate that opens only the windows holding a secret."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bench.eval_cascade import measure, render
from guard import Guard
from guard.model import OnnxTokenClassifier
from tests.fixtures.gate import gate_weights, with_gate
from tests.fixtures.tiny_model import build_table_model, tags_for_substrings

SECRET = "AKIAZQ3X7PL2MV9RT4WD"  # gitleaks:allow
FILLER = "The weather was fine and the meeting ended early. " * 12


@pytest.fixture(scope="module")
def gated_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("cascade-bench")
    table = build_table_model(
        tmp / "table",
        tags_for_substrings(FILLER + " " + SECRET, {SECRET: "SECRET"}),
        max_length=64,
        stride=16,
    )
    clf = OnnxTokenClassifier.load(table, provider="cpu", intra_op_threads=1)
    (secret_ids,) = clf.token_ids([SECRET])
    token = np.zeros(clf.vocab_size, dtype=np.float32)
    token[secret_ids] = 10.0
    return with_gate(table, tmp / "gated", gate_weights(clf.vocab_size, token, bias=-5.0), threshold=0.0)


def test_measure_counts_windows_findings_and_verdicts(gated_dir: Path) -> None:
    guard = Guard.load(model=gated_dir, intra_op_threads=1)
    texts = [FILLER + "key " + SECRET + " " + FILLER, FILLER, FILLER * 2, ""]
    row = measure(guard, texts)
    assert row["texts"] == 3  # the empty text is not scanned
    assert 0 < row["windows_passed"] < row["windows"]
    assert row["survival"] == 1.0 and row["full_findings"] >= 1
    assert row["blocks_lost"] == 0 and row["verdicts_changed"] == 0 and row["cascade_only_findings"] == 0
    md = render({"command": "python bench/eval_cascade.py", "model": "m@1", "threshold": 0.0, "level": 0.2,
                 "domain": None, "cpu": "x", "data": {"d": row}})  # fmt: skip
    assert "| d | 3 |" in md
    assert SECRET not in md and SECRET not in json.dumps(row)


def test_a_model_without_a_gate_is_refused(tmp_path: Path) -> None:
    guard = Guard.load(model=False)
    with pytest.raises(ValueError, match="no cascade gate"):
        measure(guard, ["text"])
