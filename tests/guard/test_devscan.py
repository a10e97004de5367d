"""``guard scan`` over files, directories and git changes, with inline allows, baselines and SARIF.

Real git repositories in temporary folders; the deterministic detectors (``--no-model``) keep the
tests fast, one test runs the packaged model.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from guard.cli import EXIT_BLOCK, EXIT_ERROR, EXIT_OK, app

KEY = "AKIA" + "QYLPMN5HHHFPZAM2"  # gitleaks:allow (fake, real format)
TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"  # gitleaks:allow (fake, real format)
runner = CliRunner()


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}  # fmt: skip
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    (root / "app.py").write_text("import os\n\nDEBUG = True\n")
    (root / ".gitignore").write_text("build/\n")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "start")
    monkeypatch.chdir(root)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return root


def scan(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["scan", "--no-model", *args])
    return result.exit_code, result.output


def test_paths_and_directories_respect_gitignore(repo: Path) -> None:
    (repo / "config.py").write_text(f"x = 1\naws_key = '{KEY}'\n")
    (repo / "build").mkdir()
    (repo / "build" / "generated.py").write_text(f"k = '{KEY}'\n")
    code, out = scan(".")
    assert code == EXIT_BLOCK, out
    assert "config.py:2:12: SECRET block" in out and "generated.py" not in out
    assert KEY not in out  # a masked preview only


def test_staged_lines_only(repo: Path) -> None:
    (repo / "app.py").write_text(f"import os\n\nDEBUG = True\nTOKEN = '{TOKEN}'\n")
    assert scan("--git-staged")[0] == EXIT_OK  # not staged yet
    _git(repo, "add", "app.py")
    code, out = scan("--git-staged")
    assert code == EXIT_BLOCK and "app.py:4:10: SECRET" in out


def test_a_commit_range(repo: Path) -> None:
    (repo / "deploy.sh").write_text(f"export AWS_ACCESS_KEY_ID={KEY}\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "deploy")
    code, out = scan("--git-range", "HEAD~1..HEAD")
    assert code == EXIT_BLOCK and "deploy.sh:1:" in out
    assert scan("--git-range", "nonsense")[0] == EXIT_ERROR


def test_inline_allow_and_baseline(repo: Path) -> None:
    (repo / "fixtures.py").write_text(f"SAMPLE = '{KEY}'  # guard:allow (documented sample)\n")
    assert scan("fixtures.py")[0] == EXIT_OK
    (repo / "legacy.py").write_text(f"OLD = '{KEY}'\n")
    assert scan("--write-baseline", ".guard-baseline.json", "legacy.py")[0] == EXIT_OK
    baseline = (repo / ".guard-baseline.json").read_text()
    assert KEY not in baseline and KEY[4:] not in baseline
    assert scan("--baseline", ".guard-baseline.json", "legacy.py")[0] == EXIT_OK  # known
    (repo / "legacy.py").write_text(f"OLD = '{KEY}'\nNEW = '{TOKEN}'\n")
    code, out = scan("--baseline", ".guard-baseline.json", "legacy.py")
    assert code == EXIT_BLOCK and "legacy.py:2:" in out and "legacy.py:1:" not in out
    rotated = "AKIA" + "ZZZZMN5HHHFPZAM2"  # a changed value on the known line is new
    (repo / "legacy.py").write_text(f"OLD = '{rotated}'\n")
    assert scan("--baseline", ".guard-baseline.json", "legacy.py")[0] == EXIT_BLOCK


def test_sarif_output(repo: Path) -> None:
    (repo / "config.py").write_text(f"aws_key = '{KEY}'\n")
    assert scan("--sarif", "out.sarif", "config.py")[0] == EXIT_BLOCK
    doc = json.loads((repo / "out.sarif").read_text())
    (result,) = doc["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert result["ruleId"] == "SECRET" and result["level"] == "error"
    assert (region["startLine"], region["startColumn"]) == (1, 12)
    assert "guardBaseline/v1" in result["partialFingerprints"] and KEY not in json.dumps(doc)


def test_binary_files_are_skipped_and_missing_paths_are_errors(repo: Path) -> None:
    (repo / "blob.bin").write_bytes(b"\x00\x01" + KEY.encode())
    code, out = scan("blob.bin", "app.py")
    assert code == EXIT_OK and "skipped" in out
    assert scan("app.py", "nope.py")[0] == EXIT_ERROR


def test_one_text_is_still_scanned_as_text(repo: Path) -> None:
    code, out = scan(f"key {KEY}")
    assert code == EXIT_BLOCK and "verdict: block" in out


def test_with_the_packaged_model(repo: Path) -> None:
    (repo / "notes.md").write_text("Meeting notes\n\nCall Jana Müller on +49 170 1234567 about the deal.\n")
    result = runner.invoke(app, ["scan", "--json", "notes.md"])
    rows = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert {r["label"] for r in rows} >= {"PHONE"} and all(r["file"] == "notes.md" for r in rows)


def test_the_pre_commit_hook_fails_a_commit_that_adds_a_secret(repo: Path) -> None:
    import shlex
    import sys

    import yaml

    hooks = yaml.safe_load((Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in hooks if h["id"] == "guard-system"]
    argv = shlex.split(hook["entry"])
    assert argv[0] == "guard" and hook["pass_filenames"] is False
    command = [sys.executable, "-m", "guard", *argv[1:], "--no-model"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    (repo / "settings.py").write_text(f"KEY = '{KEY}'\n")
    _git(repo, "add", "settings.py")
    assert subprocess.run(command, cwd=repo, env=env, capture_output=True).returncode == EXIT_BLOCK
    (repo / "settings.py").write_text("KEY = os.environ['AWS_KEY']\n")
    _git(repo, "add", "settings.py")
    assert subprocess.run(command, cwd=repo, env=env, capture_output=True).returncode == EXIT_OK
