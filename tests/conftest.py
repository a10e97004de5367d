"""Shared test configuration: heavy tests run only when GUARD_TEST_HEAVY=1 (CI sets it)."""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("GUARD_TEST_HEAVY") == "1":
        return
    skip = pytest.mark.skip(reason="heavy test: set GUARD_TEST_HEAVY=1 (CI does) to run it")
    for item in items:
        if "heavy" in item.keywords:
            item.add_marker(skip)
