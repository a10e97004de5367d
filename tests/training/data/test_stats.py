"""Statistics over a generated file; counts only, never text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from training.data.generate import generate, write_jsonl
from training.data.stats import main, summarize


def test_summarize_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    examples = list(generate(200, seed=9))
    path = tmp_path / "d.jsonl"
    write_jsonl(iter(examples), path)
    summary = summarize(examples)
    assert summary["n"] == 200
    assert summary["negatives"] == sum(1 for ex in examples if not ex["spans"])
    assert sum(summary["labels"].values()) == sum(len(ex["spans"]) for ex in examples)
    assert main([str(path), "--json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out) == summary
    assert examples[0]["text"] not in out


def test_bad_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("{not json\n", encoding="utf-8")
    assert main([str(path)]) == 2
    assert f"{path}:1" in capsys.readouterr().err
