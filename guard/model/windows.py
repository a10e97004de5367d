"""Cut a long token sequence into overlapping windows and decide which window owns each token.

A text of ``n`` content tokens (special tokens excluded) is covered by windows of at most
``size`` tokens that overlap by ``stride`` tokens: starts ``0, step, 2*step, ...`` with
``step = size - stride``, and the last window is aligned to the end of the text so it is
full length. Nothing is truncated: every token lies in at least one window.

Each token takes its prediction from exactly one window, the one where it is most
central (furthest from a window edge, ties go to the earlier window): between two
consecutive windows the overlap is cut in the middle. The ``own`` ranges of the windows
therefore partition ``[0, n)``, so a span that crosses a window boundary is decoded
once, from predictions that each saw at least ``stride // 2`` tokens of context.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Window", "plan_windows"]


class Window(NamedTuple):
    """A window over content tokens ``[start, end)`` that owns tokens ``[own_start, own_end)``."""

    start: int
    end: int
    own_start: int
    own_end: int


def plan_windows(n_tokens: int, size: int, stride: int) -> list[Window]:
    """Plan the windows for ``n_tokens`` content tokens.

    Args:
        n_tokens: number of content tokens, ``>= 0``.
        size: content tokens per window (the model window minus special tokens), ``>= 1``.
        stride: overlap in tokens, ``0 <= stride < size``.

    Returns:
        Windows in text order; empty for ``n_tokens == 0``. Their ``own`` ranges are
        non-empty, contiguous and cover ``[0, n_tokens)`` exactly once.

    Raises:
        ValueError: a bad argument (programmer error).
    """
    if n_tokens < 0 or size < 1 or not 0 <= stride < size:
        raise ValueError(f"bad window plan: n_tokens={n_tokens} size={size} stride={stride}")
    if n_tokens == 0:
        return []
    if n_tokens <= size:
        return [Window(0, n_tokens, 0, n_tokens)]
    step = size - stride
    starts = list(range(0, n_tokens - size, step))
    starts.append(n_tokens - size)  # last window flush with the end: full context there too
    bounds = [(start, start + size) for start in starts]
    cuts = [0]
    for (_, prev_end), (next_start, _) in zip(bounds, bounds[1:], strict=False):
        # tokens i in the overlap [next_start, prev_end) go to the earlier window while
        # their distance to its end (prev_end - 1 - i) >= their distance to the next start
        cuts.append((prev_end - 1 + next_start) // 2 + 1)
    cuts.append(n_tokens)
    return [Window(start, end, cuts[k], cuts[k + 1]) for k, (start, end) in enumerate(bounds)]
