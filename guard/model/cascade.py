"""The cascade's first stage: a token gate that lets only windows that can hold a finding reach the model.

The transformer reads every window of every text, most of which (greetings, prose, code, logs) hold
nothing it would report. The gate scores each token of a window with a linear model over the token
and its neighbours (the token id, the ids before and after it, and the hashed pairs
``(previous, token)`` and ``(token, next)``) and lets the window through when any token scores at or
above its threshold. It costs a few array look-ups per token, reads the token ids the model needs
anyway (one tokenizer pass), and does not depend on the other texts of a call.

It is a distilled student: `training.cascade` fits it on the full model's own token probabilities
(a token is positive when the model gives it a non-``O`` probability of at least the ``level`` of the
spec, well under the lowest reporting threshold) and sets ``threshold`` on a dev split for recall,
so that a window the model would report from almost never stops here. Skipped windows get ``O`` for
every token they own, exactly what a model that saw nothing would say. The deterministic detectors
still read every text; ``cascade=False`` (``--no-cascade``) runs the full model on every window.

File ``gate.npz`` (in the model directory, named by the manifest's ``cascade.file``): float32 arrays
``token``, ``before``, ``after`` (one weight per vocabulary id), ``pairs`` (hashed pair weights) and a
float32 scalar ``bias``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from guard.errors import ModelError

__all__ = ["PAIR_MULTIPLIER", "CascadeSpec", "Gate", "pair_buckets", "token_features"]

#: Multiplier of the pair hash ``(a * PAIR_MULTIPLIER + b) % buckets`` (a prime; ids are < 2^20).
PAIR_MULTIPLIER = 1_000_003
_ARRAYS = ("token", "before", "after", "pairs", "bias")


@dataclass(frozen=True)
class CascadeSpec:
    """The manifest's ``cascade`` entry.

    Attributes:
        file: the gate's weights, relative to the model directory.
        threshold: a window passes when one of its tokens scores at least this (a logit).
        level: the model probability (non-``O``) that made a token positive in training.
    """

    file: str
    threshold: float
    level: float


def pair_buckets(
    left: npt.NDArray[np.int64], right: npt.NDArray[np.int64], buckets: int
) -> npt.NDArray[np.int64]:
    """Hash bucket of each id pair ``(left[i], right[i])``."""
    return (left * PAIR_MULTIPLIER + right) % buckets


def token_features(ids: npt.NDArray[np.int64], pad: int, buckets: int) -> tuple[npt.NDArray[np.int64], ...]:
    """Per token: its id, the id before, the id after (``pad`` at the edges), and the buckets of the
    pairs (before, token) and (token, after). The gate and its trainer share this definition."""
    before = np.concatenate([[pad], ids[:-1]]).astype(np.int64)
    after = np.concatenate([ids[1:], [pad]]).astype(np.int64)
    return ids, before, after, pair_buckets(before, ids, buckets), pair_buckets(ids, after, buckets)


class Gate:
    """A loaded gate (see the module docstring)."""

    def __init__(self, spec: CascadeSpec, arrays: dict[str, npt.NDArray[np.float32]], pad: int) -> None:
        self.spec = spec
        self._token = arrays["token"]
        self._before = arrays["before"]
        self._after = arrays["after"]
        self._pairs = arrays["pairs"]
        self._bias = float(arrays["bias"])
        self._pad = pad
        self._buckets = len(self._pairs)

    @classmethod
    def load(cls, model_dir: Path, spec: CascadeSpec, vocab_size: int, pad: int) -> Gate:
        """Read ``model_dir / spec.file``.

        Raises:
            ModelError: the file is missing or unreadable, or its arrays do not fit the vocabulary.
        """
        path = model_dir / spec.file
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {name: np.asarray(data[name], dtype=np.float32) for name in _ARRAYS}
        except FileNotFoundError:
            raise ModelError(f"{path}: the manifest names a cascade gate that is not there") from None
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"{path}: not a gate file ({type(exc).__name__})") from None
        for name in ("token", "before", "after"):
            if arrays[name].shape != (vocab_size,):
                raise ModelError(
                    f"{path}: {name} has shape {arrays[name].shape}, the vocabulary {vocab_size} ids"
                )
        if arrays["pairs"].ndim != 1 or len(arrays["pairs"]) < 1 or arrays["bias"].shape != ():
            raise ModelError(f"{path}: bad pairs or bias array")
        if not all(np.isfinite(a).all() for a in arrays.values()):
            raise ModelError(f"{path}: weights are not finite")
        return cls(spec, arrays, pad)

    def scores(self, ids: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        """The gate's logit for every token of ``ids`` (one window's content tokens)."""
        if len(ids) == 0:
            return np.zeros(0, dtype=np.float32)
        tok, before, after, left, right = token_features(ids, self._pad, self._buckets)
        return (
            self._token[tok]
            + self._before[before]
            + self._after[after]
            + self._pairs[left]
            + self._pairs[right]
        ) + np.float32(self._bias)

    def passes(self, ids: npt.NDArray[np.int64]) -> bool:
        """Whether a window of these content tokens must be read by the model."""
        return len(ids) > 0 and float(self.scores(ids).max()) >= self.spec.threshold
