"""Analysts' verdicts become training data only where the company kept the texts (opt-in), and a
company model that regresses on its own held-out split is not shipped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from guard.errors import ConfigError
from serving.inspect.factory import ProxySettings, build_inspector
from serving.inspect.http import HttpRequest
from serving.store import IncidentStore
from training.feedback import feedback_records

KEY = "AKIA" + "QYLPMN5HHHFPZAM2"  # gitleaks:allow (fake, real format)


@pytest.fixture()
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A SQLite incident store in ``tmp_path``, with guard's state folder (keys, spools) beside it."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return f"sqlite:///{tmp_path / 'incidents.db'}"


def _block(url: str, body: str, *, keep: bool) -> str:
    inspector = build_inspector(ProxySettings(no_model=True, incidents=url, source="icap",
                                                  keep_training_text=keep, hash_key="k" * 32))  # fmt: skip
    headers = (("Content-Type", "text/plain"),)
    out = inspector.inspect(HttpRequest("POST", "https://paste.example/api", headers, body.encode()))
    assert out.action == "block" and out.incident is not None
    assert "training" not in out.incident.to_dict()
    return out.incident.id


def test_texts_are_kept_only_with_the_opt_in_and_only_in_the_store(tmp_path: Path, store_url: str) -> None:
    kept = _block(store_url, f"the deploy key is {KEY}", keep=True)
    plain = _block(store_url, f"the old key was {KEY} too", keep=False)
    store = IncidentStore(store_url, source="test")
    store.decide(kept, "confirmed", "ada")
    store.decide(plain, "confirmed", "ada")
    by_id = {i: texts for i, _, texts in store.reviewed_texts()}
    assert by_id[kept] and all(f"the deploy key is {KEY}" in t.text for t in by_id[kept])  # the scanned view
    (start, end, label), *_ = by_id[kept][0].spans
    assert by_id[kept][0].text[start:end] == KEY and label == "SECRET"
    assert by_id[plain] == []
    log = (tmp_path / "state").rglob("*.jsonl")
    assert all(KEY not in p.read_text() for p in log)
    store.close()
    with pytest.raises(ConfigError, match="store URL"):
        ProxySettings.resolve(no_model=True, incidents=str(tmp_path / "i.jsonl"), keep_training_text=True)


def test_verdicts_become_records(store_url: str) -> None:
    ids = {
        v: _block(store_url, f"{v}: token {KEY}", keep=True)
        for v in ("confirmed", "false_positive", "missed")
    }
    unkept = _block(store_url, f"no text kept {KEY}", keep=False)
    store = IncidentStore(store_url, source="test")
    for verdict, incident_id in ids.items():
        store.decide(incident_id, verdict, "ada", "test" if verdict == "false_positive" else None)
    store.decide(unkept, "false_positive", "ada", "test")
    store.close()
    records, counts = feedback_records(store_url)
    by_template = {r["template"]: r for r in records}
    confirmed = by_template["feedback:confirmed"]
    assert {confirmed["text"][s["start"] : s["end"]] for s in confirmed["spans"]} == {KEY}
    assert by_template["feedback:false_positive"]["spans"] == []
    assert {r["template"] for r in records} == {"feedback:confirmed", "feedback:false_positive"}
    assert all(r["lang"] == "en" for r in records)
    assert counts == {"confirmed with text": 1, "false_positive with text": 1, "missed (not used)": 1,
                      "false_positive without kept text": 1}  # fmt: skip


def test_train_feedback_needs_a_domain_and_usable_verdicts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import typer

    from training.cli import register

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    no_domain = runner.invoke(app, ["train", "--output", str(tmp_path / "m"), "--feedback", url])
    assert no_domain.exit_code == 2 and "--domain" in no_domain.output
    pack = Path(__file__).resolve().parents[2] / "deploy" / "domains" / "example-kestrel.yaml"
    empty = runner.invoke(app, ["train", "--output", str(tmp_path / "m"), "--work-dir", str(tmp_path / "w"),
                                "--domain", str(pack), "--feedback", url])  # fmt: skip
    assert empty.exit_code == 2 and "no verdict on an incident with kept text" in empty.output


def test_a_company_model_that_regresses_on_its_own_split_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import training.pipeline as pipeline

    baseline = tmp_path / "baseline"
    baseline.mkdir()
    (baseline / "guard_model.json").write_text(json.dumps({"version": "0.2.0"}))
    cfg = pipeline.PipelineConfig(output=tmp_path / "out", work_dir=tmp_path, domain=tmp_path / "pack.yaml",
                                  baseline_model=baseline)  # fmt: skip
    theirs = {"micro": {"f1": 0.90}, "by_label": {"CODENAME": {"f1": 0.92}, "PERSON": {"f1": 0.88}}}

    def fake_guard(model_dir: Path, records: Any, thresholds: Any, *, domain: Path) -> dict[str, Any]:
        assert model_dir == baseline
        return theirs

    monkeypatch.setattr(pipeline, "evaluate_guard", fake_guard)
    monkeypatch.setattr(pipeline, "load_records", lambda paths: [])
    data = {"domain_test": tmp_path / "d.jsonl.gz"}
    key = "held-out domain split (guard with the domain pack)"
    worse = {key: {"micro": {"f1": 0.85}, "by_label": {"CODENAME": {"f1": 0.80}, "PERSON": {"f1": 0.89}}}}
    gate = pipeline._regression_gate(cfg, worse, data)
    assert gate is not None and not gate["passed"] and gate["baseline"] == "0.2.0"
    assert "CODENAME" in gate["table"] and "0.800" in gate["table"] and "0.920" in gate["table"]
    same = {key: {"micro": {"f1": 0.895}, "by_label": {}}}
    assert pipeline._regression_gate(cfg, same, data)["passed"]  # type: ignore[index]


def test_the_feedback_reaches_the_training_data_of_a_company_model(tmp_path: Path, store_url: str) -> None:
    import gzip

    from tests.training.test_pipeline import _PACK, _real_text_dir, _small_cfg
    from training.feedback import write_feedback
    from training.pipeline import run

    confirmed = _block(store_url, f"ticket 4711: the deploy key is {KEY}", keep=True)
    store = IncidentStore(store_url, source="test")
    store.decide(confirmed, "confirmed", "ada")
    store.close()
    n, _ = write_feedback(store_url, tmp_path / "feedback.jsonl")
    assert n >= 1
    pack = tmp_path / "pack.yaml"
    pack.write_text(_PACK, encoding="utf-8")
    cfg = _small_cfg(tmp_path / "run", domain=pack, real_text=_real_text_dir(tmp_path),
                     train_files=[tmp_path / "feedback.jsonl"])  # fmt: skip
    try:
        run(cfg, command="guard train --feedback (test)")
    except Exception as exc:  # a tiny random model may be refused by a gate: the data is what is tested
        assert "not shipped" in str(exc)
    with gzip.open(tmp_path / "run" / "work" / "data" / "train.jsonl.gz", "rt", encoding="utf-8") as fh:
        train = [json.loads(line) for line in fh]
    fed = [r for r in train if r["template"] == "feedback:confirmed"]
    assert len(fed) == 3 * n and all(KEY in r["text"] for r in fed)
