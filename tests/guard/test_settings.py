"""Layered settings: flags > environment > settings file > defaults, and the flags made from the model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import pytest
import typer
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict
from typer.testing import CliRunner

from guard.errors import ConfigError
from guard.settings import LayeredSettings, cli, settings_command, split_csv

SECRET = "s3cret-value-never-shown"


class Demo(LayeredSettings):
    model_config = SettingsConfigDict(env_prefix="DEMO_")

    name: str = Field("default", description="a name")
    count: int = Field(1, ge=1, description="how many")
    seconds: float = Field(2.5, gt=0, description="how long", json_schema_extra=cli("--wait"))
    hosts: Annotated[list[str], NoDecode] = Field(default_factory=list, description="hosts (repeatable)")
    loud: bool = Field(False, description="say more")
    only_on: bool = Field(False, description="a switch", json_schema_extra=cli(negative=False))
    mode: Literal["a", "b"] = Field("a", description="a or b")
    key: SecretStr | None = Field(None, description="a secret")
    internal: str = Field("x", json_schema_extra=cli(show=False))

    _lists = field_validator("hosts", mode="before")(split_csv)


seen: list[Demo] = []


def _app(**fixed: object) -> typer.Typer:
    app = typer.Typer()

    def show(settings: Demo, port: Annotated[int, typer.Option(help="own flag")] = 1) -> None:
        seen.append(settings)
        typer.echo(f"port={port}")

    app.command()(settings_command(Demo, **fixed)(show))

    @app.command()
    def other() -> None:  # a second command keeps typer from collapsing the app into one command
        pass

    return app


def _run(args: list[str], **fixed: object) -> tuple[int, str, Demo | None]:
    seen.clear()
    result = CliRunner().invoke(_app(**fixed), ["show", *args])
    return result.exit_code, result.output, (seen[-1] if seen else None)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NAME", "COUNT", "SECONDS", "HOSTS", "LOUD", "ONLY_ON", "MODE", "KEY", "CONFIG"):
        monkeypatch.delenv(f"DEMO_{name}", raising=False)


def test_flags_beat_environment_beat_file_beat_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conf = tmp_path / "demo.yaml"
    conf.write_text("name: from-file\ncount: 3\nseconds: 7.5\nhosts: [f1, f2]\nloud: true\n")
    monkeypatch.setenv("DEMO_COUNT", "4")
    monkeypatch.setenv("DEMO_HOSTS", "e1, e2")
    monkeypatch.setenv("DEMO_CONFIG", str(conf))
    code, out, s = _run(["--count", "5", "--no-loud", "--port", "9"])
    assert code == 0 and "port=9" in out and s is not None
    assert s.count == 5  # flag over env over file
    assert s.loud is False  # flag over file
    assert s.hosts == ["e1", "e2"]  # env over file
    assert s.name == "from-file" and s.seconds == 7.5  # file over default
    assert s.mode == "a" and s.key is None  # defaults
    assert s.given() == {"config": str(conf), "name": "from-file", "count": 5, "seconds": 7.5,
                         "hosts": ["e1", "e2"], "loud": False}  # fmt: skip


def test_the_settings_file_named_by_a_flag_may_be_toml(tmp_path: Path) -> None:
    conf = tmp_path / "demo.toml"
    conf.write_text('name = "toml"\nhosts = ["t"]\nmode = "b"\n')
    code, _, s = _run(["--config", str(conf), "--wait", "1.5", "--hosts", "x", "--hosts", "y"])
    assert code == 0 and s is not None
    assert (s.name, s.mode, s.seconds, s.hosts) == ("toml", "b", 1.5, ["x", "y"])


def test_fixed_values_come_from_the_command() -> None:
    code, _, s = _run([], internal="set-by-command")
    assert code == 0 and s is not None and s.internal == "set-by-command"
    assert _run(["--internal", "y"])[0] == 2  # no flag for it


@pytest.mark.parametrize(
    ("args", "env", "file_text", "named"),
    [
        (["--count", "0"], {}, None, "count"),
        (["--mode", "c"], {}, None, "mode"),
        ([], {"DEMO_COUNT": "many"}, None, "count"),
        ([], {}, "count: 0\n", "count"),
        ([], {}, "colour: red\n", "colour"),
        ([], {}, "- a list\n", "one mapping"),
        ([], {}, "name: [unclosed\n", "does not parse"),
    ],
)
def test_a_bad_setting_exits_2_and_names_it_without_its_value(
    args: list[str], env: dict[str, str], file_text: str | None, named: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    if file_text is not None:
        conf = tmp_path / "bad.yaml"
        conf.write_text(file_text)
        args = [*args, "--config", str(conf)]
    code, out, s = _run([*args, "--key", SECRET])
    assert code == 2 and s is None
    assert named in out and SECRET not in out


def test_a_missing_or_unknown_kind_of_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read settings file"):
        Demo.resolve(config=tmp_path / "missing.yaml")
    other = tmp_path / "demo.ini"
    other.write_text("[x]\n")
    with pytest.raises(ConfigError, match="yaml"):
        Demo.resolve(config=other)


def test_secrets_stay_out_of_reprs_and_help(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_KEY", SECRET)
    s = Demo.resolve()
    assert s.key is not None and s.key.get_secret_value() == SECRET
    assert SECRET not in repr(s) and SECRET not in str(s.given())


def test_help_shows_each_flag_with_its_default_and_variable() -> None:
    result = CliRunner().invoke(_app(), ["show", "--help"], env={"COLUMNS": "200"})
    text = result.output
    assert "--wait" in text and "(default 2.5; env DEMO_SECONDS)" in text
    assert "--loud" in text and "--no-loud" in text
    assert "--only-on" in text and "--no-only-on" not in text
    assert "--internal" not in text and "--port" in text


def test_a_command_parameter_may_not_shadow_a_setting() -> None:
    def clash(settings: Demo, count: int = 1) -> None:
        pass

    with pytest.raises(TypeError, match="count"):
        settings_command(Demo)(clash)
