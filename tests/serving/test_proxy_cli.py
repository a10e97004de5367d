"""``guard icap`` / ``guard proxy`` command registration and error handling."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from serving.proxy_cli import register


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.command("noop")
    def noop() -> None:  # a second command keeps typer in multi-command mode
        pass

    return app


def test_commands_are_registered() -> None:
    result = CliRunner().invoke(_app(), ["--help"])
    assert result.exit_code == 0 and "icap" in result.output and "proxy" in result.output


def test_bad_fail_mode_is_a_usage_error() -> None:
    result = CliRunner().invoke(_app(), ["icap", "--fail-mode", "sometimes"])
    assert result.exit_code == 2 and "closed" in result.output


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["icap", "--model", str(tmp_path / "none"), "--port", "0"])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "guard icap:" in result.output
