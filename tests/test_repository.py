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


def test_no_tracked_file_names_a_machine_s_home_or_work_folder() -> None:
    """Results, cards and docs name paths relative to the repository or with ``~`` (issue 21)."""
    import re

    roots = [
        "root/",
        "home/[a-z_][a-z0-9_-]*/",
        "work/",
        "Users/[A-Za-z][\\w.-]*/",
    ]  # written apart: no self-match
    machine = re.compile(("(?<![\\w.~-])/(?:" + "|".join(roots) + ")").encode())
    found = []
    for p in _tracked():
        path = ROOT / p
        if path.is_file() and path.suffix not in (".onnx", ".png", ".npz", ".gz"):
            data = path.read_bytes()
            if machine.search(data):
                found.append(p)
    assert found == [], f"machine paths in {found}"
