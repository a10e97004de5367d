"""Score calibration: a softmax temperature and per-label thresholds, both fitted on a dev split.

The temperature minimises the negative log-likelihood of the gold tags on word-start
tokens (temperature scaling, Guo et al. 2017), so a span score of 0.8 means roughly 80 %.
Per-label thresholds then pick, for each label, the score cut that maximises that
label's entity-level F1 on the dev documents.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from training.evaluate import score_documents

__all__ = ["choose_thresholds", "fit_temperature"]

_GRID = tuple(round(x, 2) for x in np.arange(0.2, 0.96, 0.05))


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """Return the temperature in [0.5, 5] that minimises NLL of ``labels`` under ``logits / T``.

    Args:
        logits: ``[n_tokens, n_tags]`` raw logits of word-start tokens.
        labels: ``[n_tokens]`` gold tag ids.
    """
    if logits.ndim != 2 or len(logits) != len(labels) or len(labels) == 0:
        raise ValueError("need [n, tags] logits and n labels, n > 0")
    logits = logits.astype(np.float64)
    best_t, best_nll = 1.0, float("inf")
    for t in np.concatenate([np.arange(0.5, 2.0, 0.05), np.arange(2.0, 5.01, 0.25)]):
        z = logits / t
        z -= z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        nll = float(-logp[np.arange(len(labels)), labels].mean())
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    return round(best_t, 3)


def choose_thresholds(
    gold_docs: Sequence[Mapping[str, Any]],
    scored: Sequence[Sequence[Mapping[str, Any]]],
    labels: Sequence[str],
    *,
    default: float = 0.5,
    grid: Sequence[float] = _GRID,
) -> dict[str, float]:
    """Per label, the score threshold with the best dev F1 (``default`` when a label has no support).

    Args:
        gold_docs: dev records with ``spans``.
        scored: per document the predicted spans with a ``score`` key (all candidates, unfiltered).
        labels: labels to calibrate.
    """
    thresholds: dict[str, float] = {}
    for label in labels:
        if not any(s["label"] == label for d in gold_docs for s in d["spans"]):
            thresholds[label] = default
            continue
        best_t, best_f1 = default, -1.0
        for t in grid:
            kept = [[s for s in doc if s["label"] == label and s["score"] >= t] for doc in scored]
            f1 = score_documents(gold_docs, kept, labels=[label]).micro.f1
            # Prefer the higher threshold on ties: fewer false blocks for the same F1.
            if f1 >= best_f1:
                best_t, best_f1 = float(t), f1
        thresholds[label] = best_t
    return thresholds
