"""Per-label thresholds and temperature fitted on a dev split."""

from __future__ import annotations

import numpy as np
import pytest

from training.calibrate import choose_thresholds, fit_temperature

GOLD = [{"spans": [{"start": 0, "end": 5, "label": "PERSON"}]}, {"spans": []}]


def _scored(true_score: float, false_score: float | None) -> list[list[dict[str, object]]]:
    """The gold PERSON found with ``true_score``; a false PERSON in the benign doc with ``false_score``."""
    false = [] if false_score is None else [{"start": 0, "end": 4, "label": "PERSON", "score": false_score}]
    return [[{"start": 0, "end": 5, "label": "PERSON", "score": true_score}], false]


def test_ties_prefer_the_higher_threshold() -> None:
    # every cut is perfect on dev: the highest one, for the fewest false blocks
    assert choose_thresholds(GOLD, _scored(0.99, None), ["PERSON"]) == {"PERSON": 0.95}


def test_threshold_rises_above_a_false_positive() -> None:
    (t,) = choose_thresholds(GOLD, _scored(0.99, 0.6), ["PERSON"]).values()
    assert t > 0.6


def test_threshold_stays_below_the_true_score() -> None:
    # the gold span scores 0.5: any cut above it loses it
    (t,) = choose_thresholds(GOLD, _scored(0.5, None), ["PERSON"]).values()
    assert t <= 0.5


def test_label_without_dev_support_gets_the_default() -> None:
    assert choose_thresholds(GOLD, _scored(0.99, None), ["SECRET"], default=0.7) == {"SECRET": 0.7}


def test_temperature_recovers_a_known_scale() -> None:
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4000, 5)) * 3
    z = logits / 2.0
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    labels = np.array([rng.choice(5, p=row) for row in p])
    assert fit_temperature(logits, labels) == pytest.approx(2.0, abs=0.15)
