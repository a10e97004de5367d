"""bench.eval_realtext and bench.eval_generator end to end, and the real-text report's arithmetic."""

from __future__ import annotations

import json
from pathlib import Path

from bench import eval_generator, eval_realtext
from training.pipeline import write_records
from training.realtext.evaluate import real_text_report, source_of

SECRET = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"  # gitleaks:allow


def _records() -> list[dict]:
    leak = f"deploy with {SECRET} please"
    s = leak.index(SECRET)
    return [
        {
            "text": "Cheers, see you tomorrow.",
            "spans": [],
            "lang": "en",
            "channel": "email",
            "template": "real:mail",
        },
        {"text": "Hallo zusammen!", "spans": [], "lang": "de", "channel": "chat", "template": "real:chat-de"},
        # a harmless paragraph that the detectors flag: it counts as flagged and blocked
        {"text": f"token {SECRET}", "spans": [], "lang": "en", "channel": "code", "template": "real:code"},
        {
            "text": leak,
            "spans": [{"start": s, "end": s + len(SECRET), "label": "SECRET"}],
            "lang": "en",
            "channel": "chat",
            "template": "real+gen:chat-en|en:secret:1",
        },
    ]


def test_the_report_counts_harmless_findings_blocks_and_injected_recall() -> None:
    records = _records()
    predicted = [
        [],
        [{"start": 0, "end": 5, "label": "PERSON"}],
        [{"start": 6, "end": 46, "label": "SECRET"}],
        [],
    ]
    report = real_text_report(records, predicted)
    assert report["harmless"]["all"]["flagged"] == {"n": 3, "count": 2, "rate": 0.6667}
    assert report["harmless"]["all"]["blocked"] == {"n": 3, "count": 1, "rate": 0.3333}
    assert report["harmless"]["lang:de"]["flagged"]["count"] == 1
    assert report["harmless"]["source:code"]["blocked"]["count"] == 1
    assert report["labels_on_harmless"] == {"PERSON": 1, "SECRET": 1}
    assert report["injected"]["records"] == 1
    assert report["injected"]["block_recall"] == {"n": 1, "count": 0, "rate": 0.0}
    assert source_of(records[3]) == "chat-en"


def test_eval_realtext_writes_json_and_markdown(tmp_path: Path, tiny_model_dir: Path) -> None:
    data = tmp_path / "test.jsonl.gz"
    write_records(_records(), data)
    code = eval_realtext.main(["--data", str(data), "--model", str(tiny_model_dir), "--out", str(tmp_path)])
    assert code == 0
    result = json.loads((tmp_path / "realtext.json").read_text())
    run = result["runs"][0]
    assert run["harmless"]["source:code"]["blocked"]["count"] == 1  # the detectors find the token
    assert run["injected"]["block_recall"]["count"] == 1
    md = (tmp_path / "realtext.md").read_text()
    assert "| source:code |" in md and SECRET not in md and "Cheers" not in md
    assert str(tmp_path) not in md  # no machine path in results


def test_eval_realtext_rejects_missing_data(tmp_path: Path) -> None:
    assert eval_realtext.main(["--data", str(tmp_path / "none.jsonl.gz"), "--out", str(tmp_path)]) == 2


def test_eval_generator_measures_every_model_on_the_same_documents(
    tmp_path: Path, tiny_model_dir: Path
) -> None:
    args = [
        "--model",
        str(tiny_model_dir),
        "--model",
        str(tiny_model_dir),
        "--n",
        "20",
        "--out",
        str(tmp_path),
    ]
    assert eval_generator.main(args) == 0
    result = json.loads((tmp_path / "generator_heldout.json").read_text())
    a, b = result["runs"]
    assert a["micro"] == b["micro"] and a["documents"] == 20
    assert "| label |" in (tmp_path / "generator_heldout.md").read_text()
