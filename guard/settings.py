"""Layered settings: one pydantic-settings model per adapter family, and the CLI made from it.

A `LayeredSettings` subclass is the single description of what an adapter can be told (the proxies'
`serving.inspect.settings.ProxySettings`, the audit's `guard.audit.settings.AuditSettings`): each
field's type, default, bounds and help text are written once, and the command-line flags
(`settings_command`), the environment variables and the settings file are all read from it.

Precedence, highest first::

    flags (or keyword arguments)  >  environment (the class's prefix)  >  settings file  >  defaults

The settings file is YAML (``.yaml``/``.yml``) or TOML (``.toml``) whose keys are the field names; it
is named by the ``config`` field, that is by ``--config FILE`` or the ``<PREFIX>CONFIG`` variable. An
unknown key, a bad value or an unreadable file raises `ConfigError` naming the setting (and the file,
for a file's unknown key or parse error), never the value (a value may be a secret).

Field metadata (``Field(json_schema_extra=cli(...))``) shapes the flag: its name when it differs
from the field's (``--timeout`` for ``server_timeout``), a negative form for booleans, or no flag at
all for values only a program sets.
"""

from __future__ import annotations

import functools
import inspect
import tomllib
import types
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, Self, TypeVar, Union, get_args, get_origin

import typer
import yaml
from pydantic import Field, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from guard.errors import ConfigError

__all__ = [
    "LayeredSettings",
    "SettingsFileSource",
    "cli",
    "field_cli",
    "settings_command",
    "split_csv",
    "unwrap_optional",
]

S = TypeVar("S", bound="LayeredSettings")


def cli(
    flag: str | None = None,
    *,
    negative: bool = True,
    short: str | None = None,
    hidden: bool = False,
    show: bool = True,
    option: str | None = None,
) -> dict[str, Any]:
    """Field metadata for `settings_command` and the adapters that read the model's fields.

    Args:
        flag: the long flag (default ``--field-name``).
        negative: booleans also get ``--no-<flag>`` (else the flag only switches on).
        short: a one-letter alias such as ``-q``.
        hidden: left out of ``--help`` (a value better given through the environment).
        show: False: no flag at all; only a program, the environment or the file sets it.
        option: the name an adapter with its own option system uses (mitmproxy's ``guard_help``).
    """
    return {"cli": {"flag": flag, "negative": negative, "short": short, "hidden": hidden, "show": show,
                    "option": option}}  # fmt: skip


def split_csv(value: object) -> object:
    """Let a list field come as one comma-separated string (environment variables, k8s Secrets)."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def field_cli(info: FieldInfo) -> dict[str, Any]:
    """The `cli` metadata of a field (defaults when it has none)."""
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    found = extra.get("cli")
    return found if isinstance(found, dict) else cli()["cli"]


class SettingsFileSource(PydanticBaseSettingsSource):
    """The settings file named by the ``config`` value the higher sources resolved (flag or env)."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        raise NotImplementedError  # __call__ reads the whole file at once

    def __call__(self) -> dict[str, Any]:
        path = self.current_state.get("config")
        if not path:
            return {}
        data = read_settings_file(Path(path))
        fields = self.settings_cls.model_fields
        if unknown := sorted(set(data) - set(fields)):
            raise ConfigError(f"settings file {path}: unknown key(s) {', '.join(unknown)}")
        return {k: v for k, v in data.items() if k != "config"}


def read_settings_file(path: Path) -> dict[str, Any]:
    """A YAML or TOML mapping of settings.

    Raises:
        ConfigError: the file cannot be read, does not parse, or is not one mapping.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read settings file {path}: {exc.strerror or exc}") from exc
    try:
        if path.suffix == ".toml":
            data: object = tomllib.loads(raw.decode("utf-8"))
        elif path.suffix in (".yaml", ".yml"):
            data = yaml.safe_load(raw) or {}
        else:
            raise ConfigError(f"settings file {path}: use .yaml, .yml or .toml")
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"settings file {path} does not parse: {type(exc).__name__}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"settings file {path} must hold one mapping of setting: value")
    return data


class LayeredSettings(BaseSettings):
    """Base of the adapters' settings: flags > environment > settings file > defaults.

    Subclasses set ``model_config`` with their ``env_prefix`` and ``extra="forbid"``. Build them with
    `resolve`, which reports bad values as `ConfigError`; plain construction raises pydantic's
    ``ValidationError``.
    """

    model_config = SettingsConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    #: What the command-line tool is called in error messages.
    tool: ClassVar[str] = "guard"

    config: Path | None = Field(
        None, description="settings file (YAML or TOML; keys are these settings' names)"
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, SettingsFileSource(settings_cls)

    @classmethod
    def resolve(cls, given: Mapping[str, Any] | None = None, **values: Any) -> Self:
        """The settings from ``given`` (flags, keyword values), the environment, the file and defaults.

        Raises:
            ConfigError: a bad value, an unknown key, or a bad settings file; the message names the
                setting and never echoes its value.
        """
        try:
            return cls(**{**(given or {}), **values})
        except ValidationError as exc:
            raise ConfigError(describe(exc)) from None

    @classmethod
    def env_name(cls, name: str) -> str:
        """The environment variable of field ``name`` (its alias, else the prefix and its name)."""
        alias = cls.model_fields[name].validation_alias
        return alias if isinstance(alias, str) else cls.model_config.get("env_prefix", "") + name.upper()

    def given(self) -> dict[str, Any]:
        """The values some source set (flag, environment or file), JSON-ready; defaults left out."""
        return self.model_dump(mode="json", exclude_unset=True)


def describe(exc: ValidationError) -> str:
    """A `ValidationError` as one line per bad setting, without the offending values."""
    lines = []
    for err in exc.errors(include_input=False, include_url=False):
        where = ".".join(str(p) for p in err["loc"])
        message = err["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {message}" if where else message)
    return "; ".join(lines)


def unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    """(the type inside ``X | None``, whether None was allowed)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return unwrap_optional(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return unwrap_optional(args[0])[0], True
    return annotation, False


def _flag_type(annotation: Any) -> Any:
    """The type typer parses the flag as (lists stay lists; literals become their value type)."""
    inner, _ = unwrap_optional(annotation)
    origin = get_origin(inner)
    if origin in (list, tuple):
        return list[str] if get_args(inner)[:1] in ((str,), ()) else list[get_args(inner)[0]]  # type: ignore[misc]
    if origin is Literal:
        return type(get_args(inner)[0])
    if inner is SecretStr:
        return str
    return inner


def _help(info: FieldInfo, env: str) -> str:
    """The field's description with its default (unless the description names it) and variable."""
    text = info.description or ""
    value = info.get_default(call_default_factory=True)
    shown = ""
    if "(default" not in text and value not in (None, (), [], "", False):
        if isinstance(value, (list, tuple)):
            shown = ", ".join(map(str, value))
        else:
            shown = str(value)
    return f"{text} ({'default ' + shown + '; ' if shown else ''}env {env})".strip()


def flag_parameters(cls: type[LayeredSettings]) -> list[inspect.Parameter]:
    """One keyword parameter per shown field, annotated for typer, default None (= not given)."""
    params = []
    for name, info in cls.model_fields.items():
        meta = field_cli(info)
        if not meta["show"]:
            continue
        flag = meta["flag"] or "--" + name.replace("_", "-")
        kind = _flag_type(info.annotation)
        decls = [flag]
        if kind is bool and meta["negative"]:
            decls = [f"{flag}/--no-{flag.removeprefix('--')}"]
        if meta["short"]:
            decls.append(meta["short"])
        help_text = _help(info, cls.env_name(name))
        option = typer.Option(*decls, help=help_text, hidden=meta["hidden"], show_default=False)
        params.append(
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[kind | None, option]
            )
        )
    return params


def settings_command(cls: type[S], **fixed: Any) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Turn ``command(settings: cls, *own parameters)`` into a typer command with a flag per field.

    The command keeps its own parameters (arguments, listen address, ...); every shown field of
    ``cls`` becomes a flag whose value, when given, outranks the environment and the settings file.
    ``fixed`` values are set by the command itself (``source="icap"``). A bad setting ends the
    command with exit status 2 and a message on stderr naming the setting.
    """

    def wrap(command: Callable[..., None]) -> Callable[..., None]:
        params = inspect.signature(command, eval_str=True).parameters.values()
        own = [p for p in params if p.name != "settings"]
        flags = flag_parameters(cls)
        taken = {p.name for p in own}
        if clash := taken & {p.name for p in flags}:
            raise TypeError(f"{command.__name__}: parameters {sorted(clash)} shadow settings")
        hints = {p.name: p.annotation for p in own}

        @functools.wraps(command)
        def run(**kwargs: Any) -> None:
            mine = {k: kwargs.pop(k) for k in taken if k in kwargs}
            given = {k: v for k, v in kwargs.items() if v is not None and v != []}
            try:
                settings = cls.resolve(given, **fixed)
            except ConfigError as exc:
                typer.echo(f"{cls.tool}: {exc}", err=True)
                raise typer.Exit(2) from None
            command(settings=settings, **mine)

        run.__signature__ = inspect.Signature([*own, *flags])  # type: ignore[attr-defined]
        run.__annotations__ = {**hints, **{p.name: p.annotation for p in flags}}
        return run

    return wrap
