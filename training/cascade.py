"""`guard cascade`: distil the first-stage gate (`guard.model.cascade`) from a packaged model.

The full model reads a sample of texts (generator and real text, the same kinds it was trained on);
every distinct window where it gives a token a non-``O`` probability of at least ``level`` is a
positive. A logistic regression over the gate's features (`guard.model.cascade.window_features`: the
window's distinct token ids and id pairs) learns those windows; the threshold is then chosen on a
dev sample so that at least ``recall`` of the dev windows the model *reports* from (a token at or
above the model's lowest calibrated threshold) pass.

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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from guard.model.cascade import window_features
from guard.model.manifest import MANIFEST_FILE

__all__ = ["GATE_FILE", "GateReport", "distil_gate", "window_samples"]

log = logging.getLogger(__name__)

GATE_FILE = "gate.npz"


@dataclass(frozen=True)
class GateReport:
    """Dev figures of a distilled gate (all per distinct window)."""

    train_windows: int
    train_positive: int
    dev_windows: int
    dev_positive_windows: int
    dev_reported_windows: int
    threshold: float
    pass_rate: float
    reported_recall: float
    positive_recall: float
    negative_pass_rate: float
    level: float
    buckets: int
    seconds: float


@dataclass
class Windows:
    """Distinct windows of a sample with the full model's verdict on each."""

    ids: list[npt.NDArray[np.int64]] = field(default_factory=list)  # content tokens of each window
    positive: list[bool] = field(default_factory=list)  # a token with non-O probability >= level
    reported: list[bool] = field(default_factory=list)  # a token at or above the lowest reporting threshold


def window_samples(
    clf: Any, texts: Sequence[str], level: float, report_at: float, chunk: int = 64
) -> Windows:
    """The distinct windows of ``texts`` with the full model's labels (see the module docstring)."""
    out = Windows()
    seen: set[bytes] = set()
    o_col = clf.manifest.tags.index("O")
    for k in range(0, len(texts), chunk):
        part = [t for t in texts[k : k + chunk] if t]
        if not part:
            continue
        entity = [1.0 - a.probs[:, o_col] for a in clf.analyze_many(part, cascade=False)]
        ids = clf.token_ids(part)
        for key, copies in clf.window_groups(ids)[1].items():
            if key in seen:
                continue
            seen.add(key)
            t, w = copies[0]
            top = float(entity[t][w.start : w.end].max())
            out.ids.append(ids[t][w.start : w.end])
            out.positive.append(top >= level)
            out.reported.append(top >= report_at)
    return out


def window_matrix(windows: Windows, vocab: int, buckets: int) -> Any:
    """One sparse row per window: presence of each token id, then of each pair bucket."""
    from scipy import sparse

    rows: list[npt.NDArray[np.int64]] = []
    cols: list[npt.NDArray[np.int64]] = []
    for i, ids in enumerate(windows.ids):
        tokens, pairs = window_features(ids, buckets)
        c = np.concatenate([tokens, vocab + pairs])
        rows.append(np.full(len(c), i, dtype=np.int64))
        cols.append(c)
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    data = np.ones(len(r), dtype=np.float32)
    return sparse.csr_matrix((data, (r, c)), shape=(len(windows.ids), vocab + buckets))


def distil_gate(
    model_dir: Path,
    train_texts: Sequence[str],
    dev_texts: Sequence[str],
    *,
    level: float = 0.2,
    recall: float = 0.999,
    buckets: int = 1 << 18,
    c: float = 1.0,
) -> GateReport:
    """Fit the gate on ``train_texts``, set its threshold on ``dev_texts``, write it into ``model_dir``.

    Raises:
        ValueError: no positive window among the train texts, or no reported window in dev.
        guard.errors.ModelError: the model cannot be loaded.
    """
    from sklearn.linear_model import LogisticRegression

    from guard.model import OnnxTokenClassifier

    started = time.monotonic()
    clf = OnnxTokenClassifier.load(model_dir)
    clf.cascade = False
    report_at = min(clf.manifest.thresholds.values())
    vocab = clf.vocab_size
    train = window_samples(clf, train_texts, level, report_at)
    dev = window_samples(clf, dev_texts, level, report_at)
    clf.close()
    log.info(
        "gate: %d train, %d dev windows (%.0f s)", len(train.ids), len(dev.ids), time.monotonic() - started
    )
    y = np.array(train.positive, dtype=bool)
    if not y.any() or y.all():
        raise ValueError("the train windows are all of one kind (positive or not): nothing to learn")
    reported = np.array(dev.reported, dtype=bool)
    if not reported.any():
        raise ValueError("the model reports from no dev window: cannot set the threshold")
    fit = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=300)
    fit.fit(window_matrix(train, vocab, buckets), y)
    coef = fit.coef_[0].astype(np.float32)
    bias = np.float32(fit.intercept_[0])
    scores = np.asarray(window_matrix(dev, vocab, buckets) @ coef, dtype=np.float64) + float(bias)
    threshold = float(np.quantile(scores[reported], 1.0 - recall, method="lower"))
    # a step under: the runtime sums the same float32 weights in another order
    threshold = round(math.floor(threshold * 1e4) / 1e4 - 1e-4, 4)
    passed = scores >= threshold
    positive = np.array(dev.positive, dtype=bool)
    report = GateReport(
        train_windows=len(train.ids),
        train_positive=int(y.sum()),
        dev_windows=len(dev.ids),
        dev_positive_windows=int(positive.sum()),
        dev_reported_windows=int(reported.sum()),
        threshold=threshold,
        pass_rate=round(float(passed.mean()), 4),
        reported_recall=round(float(passed[reported].mean()), 5),
        positive_recall=round(float(passed[positive].mean()), 5) if positive.any() else 1.0,
        negative_pass_rate=round(float(passed[~positive].mean()), 4) if (~positive).any() else 0.0,
        level=level,
        buckets=buckets,
        seconds=round(time.monotonic() - started, 1),
    )
    _write(model_dir, {"token": coef[:vocab], "pairs": coef[vocab:], "bias": bias}, report)
    return report


def _write(model_dir: Path, weights: dict[str, Any], report: GateReport) -> None:
    np.savez(model_dir / GATE_FILE, **weights)
    path = model_dir / MANIFEST_FILE
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["cascade"] = {"file": GATE_FILE, "threshold": report.threshold, "level": report.level}
    manifest.setdefault("metrics", {})["cascade"] = asdict(report)
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
