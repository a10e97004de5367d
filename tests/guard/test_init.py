"""Public surface: `from guard import Guard` works, and every module's __all__ names real objects."""

from __future__ import annotations

import importlib

import pytest

import guard

MODULES = [
    "guard", "guard.api", "guard.cli", "guard.fusion", "guard.redact", "guard.policy", "guard.policy.schema",
    "guard.policy.decide", "guard.detect", "guard.detect.patterns", "guard.detect.validators",
    "guard.detect.entropy", "guard.detect.domain", "guard.detect.dictionary", "guard.detect.context",
]  # fmt: skip


@pytest.mark.parametrize("name", MODULES)
def test_all_is_explicit_and_resolves(name: str) -> None:
    module = importlib.import_module(name)
    assert isinstance(module.__all__, list) and module.__all__
    for attr in module.__all__:
        assert getattr(module, attr) is not None, f"{name}.{attr}"


def test_lazy_facade_exports() -> None:
    from guard import Guard, RedactResult, ScanResult
    from guard.api import Guard as ApiGuard

    assert (
        Guard is ApiGuard and ScanResult.__name__ == "ScanResult" and RedactResult.__name__ == "RedactResult"
    )
    with pytest.raises(AttributeError):
        guard.NoSuchThing  # noqa: B018


def test_core_does_not_import_heavy_frameworks() -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[2])
    heavy = "('torch', 'transformers', 'fastapi', 'mitmproxy')"
    code = f"import sys, guard.api, guard.cli; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": root},
    )
    assert out.stdout.strip() == "[]"
