"""Template partition: disjoint, stable, both sides non-empty."""

from __future__ import annotations

import pytest

from training.data.split import partition


def test_partition_is_disjoint_stable_and_covers_everything() -> None:
    items = [(f"en:x:{i}", f"t{i}") for i in range(20)]
    train, held = partition(items, "train"), partition(items, "heldout")
    assert {i for i, _ in train}.isdisjoint({i for i, _ in held})
    assert sorted(train + held) == sorted(items)
    assert len(held) == 5
    assert partition(list(reversed(items)), "heldout") == held  # order of input does not matter


def test_small_groups() -> None:
    assert partition([("a", 1)], "heldout") == [] and partition([("a", 1)], "train") == [("a", 1)]
    two = [("a", 1), ("b", 2)]
    assert len(partition(two, "train")) == 1 and len(partition(two, "heldout")) == 1


def test_unknown_split() -> None:
    with pytest.raises(ValueError):
        partition([], "dev")
