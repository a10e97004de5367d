"""Shared test configuration: heavy tests run only when GUARD_TEST_HEAVY=1 (CI sets it)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("GUARD_TEST_HEAVY") == "1":
        return
    skip = pytest.mark.skip(reason="heavy test: set GUARD_TEST_HEAVY=1 (CI does) to run it")
    for item in items:
        if "heavy" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _state_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """guard's state folder (incident logs, generated keys) lives in a temporary folder, never the
    tester's home; processes the tests start inherit it."""
    patch = pytest.MonkeyPatch()
    path = tmp_path_factory.mktemp("state-home")
    patch.setenv("XDG_STATE_HOME", str(path))
    yield path
    patch.undo()


# --- model fixtures (guard.model) -------------------------------------------------------------


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly initialised tiny BERT token classifier (real ONNX + XLM-R tokenizer), built once.

    Its predictions are random but real: use it where any model will do (shapes, batching,
    windows, providers). Tests that need known answers build a table model with
    `tests.fixtures.tiny_model.build_table_model`.
    """
    from tests.fixtures.tiny_model import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny_model"), seed=0)


@pytest.fixture(scope="session")
def guard_model_dir(request: pytest.FixtureRequest) -> Path:
    """The packaged default model when the package ships one, else the tiny test model."""
    from guard.errors import ModelError
    from guard.model import default_model_path

    try:
        return default_model_path()
    except ModelError:
        path: Path = request.getfixturevalue("tiny_model_dir")
        return path
