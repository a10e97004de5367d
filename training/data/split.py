"""Train/held-out partition of templates by a stable hash of their ids."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from training.data.pools import stable_hash

__all__ = ["SPLITS", "partition"]

SPLITS: tuple[str, ...] = ("train", "heldout")
T = TypeVar("T")

HELDOUT_FRACTION = 0.25


def partition(items: Sequence[tuple[str, T]], split: str) -> list[tuple[str, T]]:
    """The ``(template_id, template)`` items of ``split``.

    Items are ordered by a stable hash of their id; the first quarter (at least one item when the group
    has two or more) is held out and the rest is train, so the two splits are disjoint and every group
    with >= 2 templates appears in both.

    Raises:
        ValueError: unknown split.
    """
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r} (expected one of {SPLITS})")
    ordered = sorted(items, key=lambda kv: stable_hash("tpl:" + kv[0]))
    n_held = max(1, round(len(ordered) * HELDOUT_FRACTION)) if len(ordered) >= 2 else 0
    return ordered[:n_held] if split == "heldout" else ordered[n_held:]
