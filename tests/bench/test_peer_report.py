"""bench.peer_report: the Markdown pages carry the computed figures and per-label rows."""

from __future__ import annotations

from typing import Any

from bench.peer_report import presidio_markdown, realistic_markdown
from training.evaluate import score_documents

DOCS: list[dict[str, Any]] = [
    {
        "lang": "en",
        "spans": [{"start": 0, "end": 4, "label": "PERSON"}, {"start": 9, "end": 20, "label": "ADDRESS"}],
    }
]
GOOD = [[{"start": 0, "end": 4, "label": "PERSON"}, {"start": 9, "end": 20, "label": "ADDRESS"}]]
HALF = [[{"start": 0, "end": 4, "label": "PERSON"}]]


def _entry(pred: list[list[dict[str, Any]]], **extra: Any) -> dict[str, Any]:
    rep = score_documents(DOCS, pred)
    return {"exact": rep.as_dict(), "overlap": rep.as_dict(), "micro_f1_exact_without_address": 1.0, **extra}


def test_presidio_markdown_headline_tables_and_runtime() -> None:
    run = {"load_s": 1.5, "runtime_s": 2.0, "texts_per_s": 0.5}
    result = {
        "command": "python bench/compare_presidio.py --limit 1",
        "dataset": {
            "path": "synth.json",
            "documents": 1,
            "sha256": "ab" * 32,
            "gold_spans": {"PERSON": 1, "ADDRESS": 1},
            "dont_care_spans": 0,
            "unscored_spans": {"GPE": 2},
        },
        "scored_labels": ["PERSON", "ADDRESS"],
        "headline": {
            "guard_system": "guard_full",
            "guard_micro_f1_exact": 1.0,
            "presidio_micro_f1_exact": 0.6667,
            "guard_micro_f1_overlap": 1.0,
            "presidio_micro_f1_overlap": 0.6667,
        },
        "systems": {
            "guard_full": _entry(GOOD, model_version="m@1", **run),
            "presidio": _entry(HALF, version="2.2", spacy_model="sm 3.8", **run),
            "presidio_location_as_address": _entry(HALF),
        },
        "presidio_threshold_sweep": {"0.0": {"exact_f1": 0.6667, "overlap_f1": 0.6667}},
    }
    reports = {
        "guard_full": {"exact": score_documents(DOCS, GOOD), "overlap": score_documents(DOCS, GOOD)},
        "presidio": {"exact": score_documents(DOCS, HALF), "overlap": score_documents(DOCS, HALF)},
    }
    md = presidio_markdown(result, reports)
    assert "guard_full **1.000** vs Presidio **0.667**" in md
    assert "| ADDRESS | 1 | 1.000 | 1.000 | 1.000 | 0.000 | 0.000 | 0.000 |" in md
    assert "- guard_full (m@1): load 1.5 s, scan 2.0 s (0.5 texts/s)" in md
    assert "- presidio (presidio-analyzer 2.2, sm 3.8)" in md
    assert "0.0: exact 0.667 / overlap 0.667" in md


def test_realistic_markdown_document_rows_and_conventions() -> None:
    doc = {
        "block_recall": 0.5,
        "blocked_correctly": 1,
        "docs_with_blocking_gold": 2,
        "false_block_rate": 0.25,
        "clean_blocked": 1,
        "docs_without_blocking_gold": 4,
        "flag_recall": 0.75,
        "false_flag_rate": 0.5,
    }
    conv = {
        "greeting_names": {"gold": 3, "found": 2},
        "business_addresses": {"gold": 1, "found": 0},
        "micro_f1_without_conventions": 0.9,
    }
    rep = score_documents(DOCS, HALF)
    result = {
        "command": "python bench/eval_realistic.py",
        "dataset": {"path": "cases.jsonl", "documents": 6, "sensitive": 3, "benign": 3, "sha256": "cd" * 32},
        "model_version": "m@1",
        "configurations": {
            "full+kestrel": {
                "documents": doc,
                "conventions": conv,
                "entities": rep.as_dict(),
                "runtime_s": 3.0,
            }
        },
    }
    md = realistic_markdown(result, {"full+kestrel": rep}, ["PERSON", "ADDRESS"])
    assert "| full+kestrel | 0.500 (1/2) | 0.250 (1/4) | 0.750 | 0.500 | 3.0 |" in md
    assert "| en | 2 | 1.000 | 0.500 | 0.667 |" in md
    assert "greeting names recalled 2/3, business (signature) addresses 0/1" in md
    assert "don't-care: 0.900 (vs 0.667)" in md


def test_realistic_markdown_reports_the_overlap_match_apart() -> None:
    result = {
        "command": "python bench/eval_realistic.py",
        "dataset": {"path": "cases.jsonl", "documents": 6, "sensitive": 3, "benign": 3, "sha256": "cd" * 32},
        "model_version": "m@1",
        "configurations": {},
    }
    exact = {"full": score_documents(DOCS, HALF)}
    overlap = {"full": score_documents(DOCS, [d["spans"] for d in DOCS])}
    md = realistic_markdown(result, exact, ["PERSON", "ADDRESS"], overlap)
    assert "Micro F1: full **1.000** (exact: full 0.667)." in md
    without = realistic_markdown(result, exact, ["PERSON", "ADDRESS"])
    assert "overlap" not in without
