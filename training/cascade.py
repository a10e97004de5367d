"""`guard cascade`: distil the first-stage gate (`guard.model.cascade`) from a packaged model.

The full model reads a sample of texts (generator and real text, the same kinds it was trained on);
every token it gives a non-``O`` probability of at least ``level`` is a positive. A logistic
regression over the gate's features (`guard.model.cascade.token_features`) learns those tokens; the
threshold is then chosen on a dev sample, per window (a window passes when one of its tokens scores
at or above it), so that

- every dev window holding a token the model would *report* (probability at or above the model's
  lowest calibrated threshold) passes, and
- at least ``recall`` of the dev windows holding a positive token pass.

The weights go to ``gate.npz`` in the model directory and the manifest gets its ``cascade`` entry
(and the dev figures under ``metrics.cascade``), so `guard.model.runtime` uses it from the next
load. The model's own files are not touched.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from guard.model.cascade import token_features
from guard.model.manifest import MANIFEST_FILE
from guard.model.windows import plan_windows

__all__ = ["GATE_FILE", "GateReport", "distil_gate", "window_samples"]

log = logging.getLogger(__name__)

GATE_FILE = "gate.npz"


@dataclass(frozen=True)
class GateReport:
    """Dev figures of a distilled gate (all per distinct window)."""

    train_windows: int
    train_tokens: int
    dev_windows: int
    dev_positive_windows: int
    dev_reported_windows: int
    threshold: float
    pass_rate: float
    positive_recall: float
    reported_recall: float
    level: float
    buckets: int
    seconds: float


@dataclass
class _Windows:
    ids: list[npt.NDArray[np.int64]]  # content tokens of each window
    positive: list[npt.NDArray[np.bool_]]  # per token: the model's non-O probability >= level
    reported: list[bool]  # a token at or above the lowest reporting threshold


def window_samples(
    clf: Any, texts: Sequence[str], level: float, report_at: float, chunk: int = 64
) -> _Windows:
    """The distinct windows of ``texts`` with the full model's token labels (see the module docstring)."""
    out = _Windows([], [], [])
    seen: set[bytes] = set()
    o_col = clf.manifest.tags.index("O")
    for k in range(0, len(texts), chunk):
        part = [t for t in texts[k : k + chunk] if t]
        if not part:
            continue
        analyses = clf.analyze_many(part, cascade=False)
        for ids, analysis in zip(clf.token_ids(part), analyses, strict=True):
            entity = 1.0 - analysis.probs[:, o_col]
            for w in plan_windows(len(ids), clf.content_tokens, clf.manifest.stride):
                key = ids[w.start : w.end].tobytes()
                if key in seen:
                    continue
                seen.add(key)
                out.ids.append(ids[w.start : w.end])
                out.positive.append(entity[w.start : w.end] >= level)
                out.reported.append(bool((entity[w.start : w.end] >= report_at).any()))
    return out


def _matrix(
    windows: _Windows, vocab: int, pad: int, buckets: int, keep: float, rng: np.random.Generator
) -> Any:
    """Sparse token rows (all positives, a ``keep`` share of the negatives) and their labels."""
    from scipy import sparse

    rows: list[npt.NDArray[np.int64]] = []
    labels: list[npt.NDArray[np.bool_]] = []
    for ids, pos in zip(windows.ids, windows.positive, strict=True):
        tok, before, after, left, right = token_features(ids, pad, buckets)
        cols = np.stack([tok, vocab + before, 2 * vocab + after, 3 * vocab + left, 3 * vocab + right], axis=1)
        chosen = pos | (rng.random(len(ids)) < keep)
        rows.append(cols[chosen])
        labels.append(pos[chosen])
    cols_all = np.concatenate(rows) if rows else np.zeros((0, 5), dtype=np.int64)
    y = np.concatenate(labels) if labels else np.zeros(0, dtype=bool)
    n = len(cols_all)
    matrix = sparse.csr_matrix(
        (np.ones(n * 5, dtype=np.float32), cols_all.reshape(-1), np.arange(0, n * 5 + 1, 5)),
        shape=(n, 3 * vocab + buckets),
    )
    matrix.sum_duplicates()
    return matrix, y


def _window_max(
    weights: dict[str, Any], windows: _Windows, pad: int, buckets: int
) -> npt.NDArray[np.float64]:
    out = np.empty(len(windows.ids), dtype=np.float64)
    for i, ids in enumerate(windows.ids):
        tok, before, after, left, right = token_features(ids, pad, buckets)
        s = (
            weights["token"][tok]
            + weights["before"][before]
            + weights["after"][after]
            + weights["pairs"][left]
            + weights["pairs"][right]
        )
        out[i] = float(s.max()) + float(weights["bias"])
    return out


def distil_gate(
    model_dir: Path,
    train_texts: Sequence[str],
    dev_texts: Sequence[str],
    *,
    level: float = 0.2,
    recall: float = 0.999,
    buckets: int = 1 << 17,
    negative_share: float = 0.25,
    seed: int = 17,
) -> GateReport:
    """Fit the gate on ``train_texts``, set its threshold on ``dev_texts``, write it into ``model_dir``.

    Raises:
        ValueError: no positive token among the train texts, or no positive window in dev.
        guard.errors.ModelError: the model cannot be loaded.
    """
    from sklearn.linear_model import LogisticRegression

    from guard.model import OnnxTokenClassifier

    started = time.monotonic()
    clf = OnnxTokenClassifier.load(model_dir)
    clf.cascade = False
    report_at = min(clf.manifest.thresholds.values())
    vocab, pad = clf.vocab_size, clf.pad_id
    rng = np.random.default_rng(seed)
    train = window_samples(clf, train_texts, level, report_at)
    dev = window_samples(clf, dev_texts, level, report_at)
    log.info(
        "gate: %d train windows, %d dev windows (%.0f s)",
        len(train.ids),
        len(dev.ids),
        time.monotonic() - started,
    )
    x, y = _matrix(train, vocab, pad, buckets, negative_share, rng)
    if not y.any():
        raise ValueError("no token of the train texts is positive: nothing to learn")
    fit = LogisticRegression(C=1.0, class_weight="balanced", solver="liblinear", max_iter=200)
    fit.fit(x, y)
    coef = fit.coef_[0].astype(np.float32)
    weights: dict[str, Any] = {
        "token": coef[:vocab],
        "before": coef[vocab : 2 * vocab],
        "after": coef[2 * vocab : 3 * vocab],
        "pairs": coef[3 * vocab :],
        "bias": np.float32(fit.intercept_[0]),
    }
    scores = _window_max(weights, dev, pad, buckets)
    positive = np.array([p.any() for p in dev.positive], dtype=bool)
    reported = np.array(dev.reported, dtype=bool)
    if not positive.any():
        raise ValueError("no dev window holds a positive token: cannot set the threshold")
    threshold = float(np.quantile(scores[positive], 1.0 - recall, method="lower"))
    if reported.any():
        threshold = min(threshold, float(scores[reported].min()))
    # a step under: the runtime sums the same float32 weights in another order
    threshold = math.floor(threshold * 1e4) / 1e4 - 1e-4
    passed = scores >= threshold
    report = GateReport(
        train_windows=len(train.ids),
        train_tokens=int(x.shape[0]),
        dev_windows=len(dev.ids),
        dev_positive_windows=int(positive.sum()),
        dev_reported_windows=int(reported.sum()),
        threshold=round(threshold, 6),
        pass_rate=round(float(passed.mean()), 4),
        positive_recall=round(float(passed[positive].mean()), 5),
        reported_recall=round(float(passed[reported].mean()), 5) if reported.any() else 1.0,
        level=level,
        buckets=buckets,
        seconds=round(time.monotonic() - started, 1),
    )
    clf.close()
    _write(model_dir, weights, report)
    return report


def _write(model_dir: Path, weights: dict[str, Any], report: GateReport) -> None:
    np.savez(model_dir / GATE_FILE, **weights)
    path = model_dir / MANIFEST_FILE
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["cascade"] = {"file": GATE_FILE, "threshold": report.threshold, "level": report.level}
    manifest.setdefault("metrics", {})["cascade"] = asdict(report)
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
