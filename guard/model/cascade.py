"""The cascade's first stage: a window gate that lets only windows that can hold a finding reach the model.

The transformer reads every window of every text, most of which (greetings, prose, code, logs) hold
nothing it would report. The gate scores each distinct window with a linear model over the set of
token ids it holds and the set of hashed id pairs (neighbouring tokens), and lets the window through
when the score reaches its threshold. It costs a few array look-ups per token, reads the token ids
the model needs anyway (one tokenizer pass), and does not depend on the other texts of a call.

It is a distilled student: `training.cascade` fits it on the full model's own outputs (a window is
positive when the model gives one of its tokens a non-``O`` probability of at least the ``level`` of
the spec, well under the lowest reporting threshold) and sets ``threshold`` on a dev split for
recall of the windows the model reports from. Skipped windows get ``O`` for every token they own,
exactly what a model that saw nothing would say. The deterministic detectors still read every text;
``cascade=False`` (``--no-cascade``) runs the full model on every window.

File ``gate.npz`` (in the model directory, named by the manifest's ``cascade.file``): float32 arrays
``token`` (one weight per vocabulary id), ``pairs`` (hashed pair weights) and a float32 scalar
``bias``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from guard.errors import ModelError

__all__ = ["PAIR_MULTIPLIER", "CascadeSpec", "Gate", "window_features"]

#: Multiplier of the pair hash ``(a * PAIR_MULTIPLIER + b) % buckets`` (a prime; ids are < 2^20).
PAIR_MULTIPLIER = 1_000_003
_ARRAYS = ("token", "pairs", "bias")


@dataclass(frozen=True)
class CascadeSpec:
    """The manifest's ``cascade`` entry.

    Attributes:
        file: the gate's weights, relative to the model directory.
        threshold: a window passes when its score reaches this (a logit).
        level: the model probability (non-``O``) of a token that made its window positive in training.
    """

    file: str
    threshold: float
    level: float


def window_features(
    ids: npt.NDArray[np.int64], buckets: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The distinct token ids of a window and the distinct hash buckets of its neighbouring id pairs
    ``(a * PAIR_MULTIPLIER + b) % buckets``. The gate and its trainer share this definition."""
    pairs = (ids[:-1] * PAIR_MULTIPLIER + ids[1:]) % buckets
    return np.unique(ids), np.unique(pairs)


class Gate:
    """A loaded gate (see the module docstring)."""

    def __init__(self, spec: CascadeSpec, arrays: dict[str, npt.NDArray[np.float32]]) -> None:
        self.spec = spec
        self._token = arrays["token"]
        self._pairs = arrays["pairs"]
        self._bias = float(arrays["bias"])
        self._buckets = len(self._pairs)

    @classmethod
    def load(cls, model_dir: Path, spec: CascadeSpec, vocab_size: int) -> Gate:
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
        if arrays["token"].shape != (vocab_size,):
            shape = arrays["token"].shape
            raise ModelError(f"{path}: token has shape {shape}, the vocabulary {vocab_size} ids")
        if arrays["pairs"].ndim != 1 or len(arrays["pairs"]) < 1 or arrays["bias"].shape != ():
            raise ModelError(f"{path}: bad pairs or bias array")
        if not all(np.isfinite(a).all() for a in arrays.values()):
            raise ModelError(f"{path}: weights are not finite")
        return cls(spec, arrays)

    def score(self, ids: npt.NDArray[np.int64]) -> float:
        """The gate's logit for a window of these content tokens."""
        tokens, pairs = window_features(ids, self._buckets)
        return float(self._token[tokens].sum() + self._pairs[pairs].sum()) + self._bias

    def passes(self, ids: npt.NDArray[np.int64]) -> bool:
        """Whether a window of these content tokens must be read by the model."""
        return len(ids) > 0 and self.score(ids) >= self.spec.threshold
