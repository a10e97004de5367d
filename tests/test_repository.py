"""The repository stays light and self-contained (issue 21)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 30 * 1024 * 1024


def _tracked() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [p for p in out.stdout.decode().split("\0") if p]


def test_no_tracked_file_over_30_mb_outside_the_shipped_model() -> None:
    big = [
        p
        for p in _tracked()
        if not p.startswith("guard/data/model/")
        and (ROOT / p).is_file()
        and (ROOT / p).stat().st_size > LIMIT
    ]
    assert big == [], f"files over 30 MB: {big}"


def test_one_model_artifact_per_version() -> None:
    onnx = [p for p in _tracked() if p.endswith(".onnx") and (ROOT / p).stat().st_size > 1024 * 1024]
    assert onnx == ["guard/data/model/model.onnx"], onnx
