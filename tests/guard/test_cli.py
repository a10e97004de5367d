"""The guard CLI through typer's CliRunner and as a real subprocess (``python -m guard``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from guard.cli import EXIT_BLOCK, EXIT_ERROR, EXIT_OK, PLUGIN_GROUP, app, plugins, register_plugins

AWS = "AKIAQYLPMN5HHHFPZAM2"  # gitleaks:allow
GHP = "ghp_8xK2mQ9vR4tY7uW1zA3bC5dE6fG0hJ2kL4nP"  # gitleaks:allow
ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture(scope="module")
def model_args(guard_model_dir: Path) -> list[str]:
    return ["--model", str(guard_model_dir), "--provider", "cpu"]


def run(*args: str, input: bytes | str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_acceptance_aws_key_blocks(model_args: list[str]) -> None:
    code, out, err = run("scan", *model_args, f"my AWS key is {AWS}")
    assert code == EXIT_BLOCK
    assert "SECRET" in out and "block" in out and "AK****M2" in out
    assert AWS not in out + err


def test_no_cascade_scans_the_same_text_with_every_window(model_args: list[str]) -> None:
    text = f"token {GHP} mail jane.doe@acme.de"
    gated = json.loads(run("scan", "--json", *model_args, text)[1])
    full = json.loads(run("scan", "--json", "--no-cascade", *model_args, text)[1])
    assert full["verdict"] == gated["verdict"] == "block"
    assert {(f["label"], f["start"], f["end"]) for f in full["findings"]} >= {
        (f["label"], f["start"], f["end"]) for f in gated["findings"]
    }


def test_json_output(model_args: list[str]) -> None:
    code, out, _ = run("scan", "--json", *model_args, f"token {GHP} mail jane.doe@acme.de")
    data = json.loads(out)
    assert code == EXIT_BLOCK and data["verdict"] == "block"
    for f in data["findings"]:
        assert {"label", "start", "end", "score", "detector", "action"} <= set(f)
    assert GHP not in out


def test_clean_text_exits_zero(model_args: list[str]) -> None:
    code, out, _ = run("scan", "--json", "--no-model", "the weather is nice")
    assert code == EXIT_OK and json.loads(out) == {"verdict": "pass", "findings": []}


def test_redact_only_exits_zero_and_stdin_dash() -> None:
    code, out, err = run(
        "redact",
        "--no-model",
        "--operator",
        "pseudonym",
        "-",
        input="mail jane.doe@acme.de and jane.doe@acme.de\n",
    )
    assert code == EXIT_OK
    assert out == "mail [EMAIL_1] and [EMAIL_1]\n"
    assert "verdict: redact" in err


def test_redact_json() -> None:
    code, out, _ = run("redact", "--json", "--no-model", f"key {AWS}")
    data = json.loads(out)
    assert code == EXIT_BLOCK and data["text"] == "key [SECRET]" and data["verdict"] == "block"


def test_empty_stdin_passes() -> None:
    code, out, _ = run("scan", "--json", "--no-model", input=b"")
    assert code == EXIT_OK and json.loads(out)["verdict"] == "pass"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ["scan", "--no-model", "-"],
            b"\xff\xfeabc",
            "error: stdin is not valid UTF-8 (invalid byte at offset 0)",
        ),
        (
            ["scan", "--no-model", "-"],
            b"PK\x03\x04\x00\x00binary",
            "error: input looks binary (NUL character at offset 4)",
        ),
        (
            ["scan", "--model", "/nonexistent/model", "x"],
            None,
            "error: model directory /nonexistent/model not found",
        ),
        (
            ["scan", "--no-model", "--policy", "/nonexistent.yaml", "x"],
            None,
            "error: /nonexistent.yaml: policy file not found",
        ),
        (
            ["scan", "--no-model", "--domain", "/nonexistent.yaml", "x"],
            None,
            "error: /nonexistent.yaml: domain pack not found",
        ),
        (
            ["scan", "--no-model", "--provider", "tpu", "x"],
            None,
            "error: --provider must be auto, cpu or cuda",
        ),
        (
            ["scan", "--no-model", "--model", "/m", "x"],
            None,
            "error: --model and --no-model exclude each other",
        ),
        (["redact", "--no-model", "--operator", "shred", "x"], None, "error: --operator must be one of"),
    ],
)
def test_errors_are_one_line_exit_2(args: list[str], stdin: bytes | None, message: str) -> None:
    code, out, err = run(*args, input=stdin)
    assert code == EXIT_ERROR
    assert err.startswith(message) and err.count("\n") == 1
    assert "Traceback" not in out + err


def test_bad_policy_names_key(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("labels: {SECRET: {action: block, treshold: 0.4}}\n", encoding="utf-8")
    code, _, err = run("scan", "--no-model", "--policy", str(policy), "x")
    assert code == EXIT_ERROR and "labels.SECRET.treshold: Extra inputs are not permitted" in err


def test_corrupt_model_dir(tmp_path: Path) -> None:
    (tmp_path / "guard_model.json").write_text("{", encoding="utf-8")
    code, _, err = run("scan", "--model", str(tmp_path), "x")
    assert code == EXIT_ERROR and err.startswith("error: ") and "Traceback" not in err


def test_usage_error_exit_2() -> None:
    code, _, _ = run("scan", "--no-such-option")
    assert code == EXIT_ERROR


def test_ten_megabyte_stdin_is_scanned_not_truncated() -> None:
    body = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 180_000)[:10_000_000]
    code, out, _ = run("scan", "--json", "--no-model", "-", input=(body + f" key {AWS}").encode())
    data = json.loads(out)
    assert code == EXIT_BLOCK
    assert [f["start"] for f in data["findings"] if f["label"] == "SECRET"] == [len(body) + 5]


def test_log_hygiene_on_errors_and_output(model_args: list[str]) -> None:
    secret = f"password=Sup3rS3cret! {GHP}"
    for args, stdin in [
        (["scan", *model_args, secret], None),
        (["scan", "--no-model", "-"], secret.encode() + b"\x00"),
    ]:
        code, out, err = run(*args, input=stdin)
        assert "Sup3rS3cret!" not in out + err and GHP not in out + err


def test_plugins_skip_missing_third_party_but_not_our_bugs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "plug_missing_dep.py").write_text("import surely_not_installed_pkg_xyz\n", encoding="utf-8")
    (tmp_path / "plug_ok.py").write_text(
        "import typer\n\ndef register(app: typer.Typer) -> None:\n"
        "    app.command('hello')(lambda: print('hi'))\n",
        encoding="utf-8",
    )
    (tmp_path / "plug_bug.py").write_text("import guard.no_such_module\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    target = typer.Typer()

    def entry(name: str, value: str) -> EntryPoint:
        return EntryPoint(name, value, PLUGIN_GROUP)

    done = register_plugins(
        target,
        [entry("dep", "plug_missing_dep:register"), entry("ok", "plug_ok:register"),
         entry("absent", "absent_plugin.cli:register")],
    )  # fmt: skip
    assert done == ["ok"]
    with pytest.raises(ModuleNotFoundError):
        register_plugins(typer.Typer(), [entry("bug", "plug_bug:register")])


def test_the_installed_plugins_are_the_composition_root_of_pyproject() -> None:
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["entry-points"][PLUGIN_GROUP]
    assert {ep.name: ep.value for ep in plugins()} == declared
    target = typer.Typer()
    assert register_plugins(target) == sorted(declared)  # the dev install has every extra
    names = {c.name for c in target.registered_commands}
    assert {"train", "eval", "corpus", "cascade", "serve", "icap", "proxy", "audit"} <= names


def test_subprocess_python_m_guard() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "guard", "scan", "--json", "--no-model", "-"],
        input=f"my AWS key is {AWS}".encode(), capture_output=True, env=env, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert proc.returncode == EXIT_BLOCK, proc.stderr.decode()
    assert json.loads(proc.stdout)["findings"][0]["label"] == "SECRET"
    bad = subprocess.run(
        [sys.executable, "-m", "guard", "scan", "--no-model", "-"],
        input=b"\xc3\x28 invalid", capture_output=True, env=env, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert bad.returncode == EXIT_ERROR
    assert bad.stderr.decode() == "error: stdin is not valid UTF-8 (invalid byte at offset 0)\n"


def test_version_names_the_package_and_the_default_model() -> None:
    code, out, _ = run("--version")
    assert code == EXIT_OK
    assert out.startswith("guard ") and "default model: " in out
