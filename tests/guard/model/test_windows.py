"""Window planning: full coverage, one owner per token, the owner is the most central window."""

from __future__ import annotations

import pytest

from guard.model.windows import Window, plan_windows


def _centrality(window: Window, token: int) -> int:
    return min(token - window.start, window.end - 1 - token)


@pytest.mark.parametrize(
    ("n_tokens", "size", "stride"),
    [
        (1, 4, 0),
        (4, 4, 1),
        (5, 4, 0),
        (10, 4, 1),
        (9, 4, 2),
        (1000, 126, 32),
        (20_000, 254, 64),
        (301, 10, 7),
    ],
)
def test_owned_ranges_partition_the_text_and_pick_the_most_central_window(
    n_tokens: int, size: int, stride: int
) -> None:
    plan = plan_windows(n_tokens, size, stride)
    assert plan[0].start == 0 and plan[-1].end == n_tokens
    owners = []
    for window in plan:
        assert 0 < window.end - window.start <= size
        assert window.start <= window.own_start < window.own_end <= window.end
        owners.extend(range(window.own_start, window.own_end))
    assert owners == list(range(n_tokens))  # each token owned once, in order
    for window in plan:
        for token in range(window.own_start, window.own_end):
            best = max(_centrality(w, token) for w in plan if w.start <= token < w.end)
            assert _centrality(window, token) == best


def test_consecutive_windows_overlap_by_at_least_the_stride() -> None:
    plan = plan_windows(5_000, 126, 32)
    for prev, nxt in zip(plan, plan[1:], strict=False):
        assert prev.end - nxt.start >= 32


def test_short_text_is_one_window_and_empty_text_none() -> None:
    assert plan_windows(7, 126, 32) == [Window(0, 7, 0, 7)]
    assert plan_windows(0, 126, 32) == []


@pytest.mark.parametrize(("n_tokens", "size", "stride"), [(-1, 4, 0), (5, 0, 0), (5, 4, 4), (5, 4, -1)])
def test_bad_arguments_are_refused(n_tokens: int, size: int, stride: int) -> None:
    with pytest.raises(ValueError, match="bad window plan"):
        plan_windows(n_tokens, size, stride)
