"""bench.span_match: relaxed overlap snapping, don't-care filtering, finding conversion, tables."""

from __future__ import annotations

import pytest

from bench.span_match import drop_overlapping, findings_to_spans, report_table, snap_overlaps
from guard.findings import Finding
from training.evaluate import score_documents


def _s(start: int, end: int, label: str = "PERSON") -> dict[str, object]:
    return {"start": start, "end": end, "label": label}


def test_snap_replaces_overlapping_prediction_with_gold_span() -> None:
    gold = [_s(10, 20)]
    assert snap_overlaps(gold, [_s(8, 15)]) == [_s(10, 20)]


def test_snap_needs_same_label_and_a_shared_character() -> None:
    gold = [_s(10, 20)]
    assert snap_overlaps(gold, [_s(10, 20, "EMAIL")]) == [_s(10, 20, "EMAIL")]
    assert snap_overlaps(gold, [_s(20, 25)]) == [_s(20, 25)]  # touching is not overlapping
    assert snap_overlaps(gold, [_s(0, 10)]) == [_s(0, 10)]


def test_snap_is_one_to_one_largest_overlap_first() -> None:
    gold = [_s(0, 10), _s(12, 30)]
    # one prediction covers both gold spans: it pairs with the larger overlap only
    assert snap_overlaps(gold, [_s(5, 30)]) == [_s(12, 30)]
    # two predictions inside one gold span: only one of them becomes a true positive
    out = snap_overlaps([_s(0, 20)], [_s(0, 4), _s(6, 20)])
    assert out == [_s(0, 4), _s(0, 20)]


def test_snapped_predictions_score_as_overlap_matches() -> None:
    docs = [{"spans": [_s(0, 10), _s(20, 30, "PHONE")]}]
    pred = [_s(1, 10), _s(40, 45, "PHONE")]
    exact = score_documents(docs, [pred])
    relaxed = score_documents(docs, [snap_overlaps(docs[0]["spans"], pred)])
    assert (exact.micro.tp, exact.micro.fp, exact.micro.fn) == (0, 2, 2)
    assert (relaxed.micro.tp, relaxed.micro.fp, relaxed.micro.fn) == (1, 1, 1)


@pytest.mark.parametrize(
    "bad",
    [
        {"start": 3, "end": 3, "label": "PERSON"},
        {"start": 1, "label": "PERSON"},
        {"start": "x", "end": 4, "label": "PERSON"},
        {"start": 0, "end": 4, "label": 7},
    ],
)
def test_snap_rejects_malformed_spans(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="span"):
        snap_overlaps([bad], [])
    with pytest.raises(ValueError, match="predicted span"):
        snap_overlaps([], [bad])


def test_drop_overlapping_ignores_labels_and_keeps_neighbours() -> None:
    zone = [_s(10, 20, "US_DRIVER_LICENSE")]
    pred = [_s(12, 14, "NATIONAL_ID"), _s(0, 10), _s(20, 22), _s(19, 25, "PHONE")]
    assert drop_overlapping(pred, zone) == [_s(0, 10), _s(20, 22)]
    assert drop_overlapping(pred, []) == pred


def test_findings_to_spans_filters_labels() -> None:
    found = [Finding("EMAIL", 0, 5, 0.9, "regex"), Finding("INTERNAL_HOST", 6, 9, 0.8, "model")]
    assert findings_to_spans(found) == [_s(0, 5, "EMAIL"), _s(6, 9, "INTERNAL_HOST")]
    assert findings_to_spans(found, ["EMAIL"]) == [_s(0, 5, "EMAIL")]


def test_report_table_rows_and_micro() -> None:
    docs = [{"spans": [_s(0, 4), _s(5, 9, "EMAIL")], "lang": "en"}]
    reps = {"a": score_documents(docs, [[_s(0, 4)]]), "b": score_documents(docs, [[]])}
    table = report_table(reps, ["PERSON", "EMAIL", "PHONE"]).splitlines()
    assert table[0].startswith("| label | support | a P | a R | a F1 | b P |")
    assert table[2] == "| PERSON | 1 | 1.000 | 1.000 | 1.000 | 0.000 | 0.000 | 0.000 |"
    assert table[4] == "| PHONE | 0 | - | - | - | - | - | - |"
    assert table[-1] == "| **micro** | 2 | 1.000 | 0.500 | 0.667 | 0.000 | 0.000 | 0.000 |"
    assert "| en | 2 |" in report_table(reps, ["en"], by="lang")
    with pytest.raises(ValueError, match="by must be"):
        report_table(reps, [], by="doc")
