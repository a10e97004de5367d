"""`ProxySettings`: everything the proxies (``guard icap``, ``guard proxy``, the mitmproxy addon) can be
told, written once.

The ICAP server's and ``guard proxy``'s flags (`guard.settings.settings_command`), the mitmproxy
addon's ``guard_*`` options (`mitmproxy_options`), the environment (``GUARD_*``) and the settings
file (``--config``, YAML or TOML) are all read from this one model. Precedence: flags > environment >
settings file > defaults; for the mitmproxy addon its options (``--set``, mitmproxy's
``config.yaml``) take the place of flags.

Secrets (``api_key``, ``hash_key``) are `SecretStr`: they never appear in a repr, a log or the
options mitmproxy can print, and ``guard proxy`` hands them to mitmdump through the environment.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple, get_origin

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from guard.keys import state_dir
from guard.settings import LayeredSettings, cli, field_cli, split_csv, unwrap_optional
from serving.inspect.inspector import DEFAULT_HELP

__all__ = [
    "SECRETS",
    "MitmOption",
    "ProxySettings",
    "default_incidents",
    "mitmproxy_options",
    "option_values",
    "options_given",
]


def default_incidents() -> str:
    """The proxies' incident log unless configured: ``$XDG_STATE_HOME/guard/incidents.jsonl``."""
    return str(state_dir() / "incidents.jsonl")


Hosts = Annotated[list[str], NoDecode]


class ProxySettings(LayeredSettings):
    """The proxies' settings (validated on construction; build with `resolve` for `ConfigError`).

    ``incidents`` is a JSON-lines file (rotated), an incident store URL (``sqlite:///…``,
    ``postgresql+psycopg://…``; `serving.store`), or empty: incidents are then only logged by id.
    """

    model_config = SettingsConfigDict(env_prefix="GUARD_")

    # What scans
    model: str | None = Field(None, description="model directory (default: the packaged model)")
    no_model: bool = Field(
        False, description="deterministic detectors only (no transformer; degraded, fast)",
        json_schema_extra=cli(negative=False),
    )  # fmt: skip
    cascade: bool = Field(True, description="the model's gate skips windows that hold nothing")
    policy: str | None = Field(None, description="policy YAML (default: the packaged policy)")
    domains: Hosts = Field(default_factory=list, description="domain pack file (repeatable)")
    server: str | None = Field(None, description="scan through this guard server URL instead of in process")
    server_timeout: float = Field(
        2.0, gt=0, description="seconds before a remote scan fails (then: the fail mode)",
        json_schema_extra=cli("--timeout"),
    )  # fmt: skip
    api_key: SecretStr | None = Field(None, description="the guard server's API key")

    # How it decides
    fail_mode: Literal["closed", "open"] | None = Field(
        None, description="closed | open when guard cannot decide (default: the policy's, else closed)"
    )
    max_body: int = Field(
        1_048_576, gt=0, description="largest body inspected, bytes; larger ones follow the fail mode"
    )
    deadline: float = Field(
        10.0, gt=0, description="seconds one request may take to inspect; over it: the fail mode"
    )
    allow: Hosts = Field(
        default_factory=list, description="approved destination host, not inspected (repeatable)"
    )
    strict: Hosts = Field(
        default_factory=list,
        description="extra strict host (redact becomes block), added to the policy's paste and AI hosts",
    )
    credentials: Hosts = Field(
        default_factory=list,
        description="host trusted with Authorization/Cookie headers, e.g. the company's SSO (repeatable); "
        "elsewhere they are scanned",
        json_schema_extra=cli("--trust-credentials", option="guard_credentials"),
    )
    coach: bool = Field(False, description="let users confirm a block with a justification")
    help_text: str = Field(
        DEFAULT_HELP, description="how to get help, shown on block pages",
        json_schema_extra=cli(option="guard_help"),
    )  # fmt: skip

    # Where incidents go
    incidents: str = Field(
        default_factory=default_incidents,
        description="incident log (JSON lines, rotated) or incident store URL; '' keeps none "
        "(default: $XDG_STATE_HOME/guard/incidents.jsonl)",
    )
    incident_max_bytes: int = Field(10_000_000, gt=0, description="rotate the incident log at this size")
    incident_backups: int = Field(5, ge=0, description="rotated incident logs kept")
    hash_key: SecretStr | None = Field(
        None, validation_alias="GUARD_INCIDENT_HASH_KEY",
        description="HMAC key for incident hashes, 16+ bytes (default: generated per installation, kept "
        "beside the incident log in incident-hash.key, mode 0600)",
    )  # fmt: skip
    hash_key_file: str | None = Field(None, description="where the generated incident hash key is kept")
    keep_training_text: bool = Field(
        False, description="opt-in: the incident store keeps the texts that held findings, for guard "
        "train --feedback (needs a store URL)", json_schema_extra=cli(negative=False),
    )  # fmt: skip
    alert_webhooks: Hosts = Field(
        default_factory=list, description="URL for a Slack-compatible JSON message per block (repeatable)",
        json_schema_extra=cli("--alert-webhook"),
    )  # fmt: skip
    syslog: str | None = Field(None, description="udp://host:port or tcp://host:port: incidents to a SIEM")
    syslog_format: Literal["cef", "json"] = Field("cef", description="what goes to syslog: cef or json")
    metrics_port: int | None = Field(
        None, ge=1, le=65535, description="serve Prometheus /metrics of the incidents on 127.0.0.1:PORT"
    )
    source: str = Field(
        "proxy", description="which writer this is in the incident store", json_schema_extra=cli(show=False)
    )

    _lists = field_validator("domains", "allow", "strict", "credentials", "alert_webhooks", mode="before")(
        split_csv
    )

    @field_validator("server")
    @classmethod
    def _http_server(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value

    @model_validator(mode="after")
    def _texts_only_in_a_store(self) -> ProxySettings:
        if self.keep_training_text and "://" not in self.incidents:
            raise ValueError("keep_training_text needs an incident store URL (texts never go to a log file)")
        return self

    def secret(self, name: str) -> str | None:
        """The plain value of a secret setting (one of `SECRETS`), for the one place that uses it."""
        value = getattr(self, name)
        return None if value is None else str(value.get_secret_value())


#: The settings that hold secrets (`SecretStr`): never options, never shown.
SECRETS: tuple[str, ...] = tuple(
    name
    for name, info in ProxySettings.model_fields.items()
    if unwrap_optional(info.annotation)[0] is SecretStr
)


# --- the mitmproxy addon's options, made from the same fields ---------------------------------------


class MitmOption(NamedTuple):
    """One ``guard_*`` option of the mitmproxy addon and the `ProxySettings` field it sets."""

    name: str
    field: str
    typespec: Any
    default: Any
    help: str


def _option_type(annotation: Any) -> tuple[Any, bool]:
    """(mitmproxy typespec, whether the value travels as text) for a field's annotation."""
    inner, optional = unwrap_optional(annotation)
    if get_origin(inner) is list:
        return Sequence[str], False
    if inner is float:  # mitmproxy's --set parses no float options: seconds travel as text
        return str, True
    if inner in (bool, int):
        return (inner | None, False) if optional else (inner, False)
    if get_origin(inner) is Literal or inner in (str, SecretStr, Path):
        return (str | None, False) if optional else (str, False)
    raise TypeError(f"no mitmproxy option type for {annotation!r}")


def mitmproxy_options() -> list[MitmOption]:
    """An option for every setting a flag can give."""
    out = []
    for name, info in ProxySettings.model_fields.items():
        meta = field_cli(info)
        if not meta["show"]:
            continue
        typespec, as_text = _option_type(info.annotation)
        default = info.get_default(call_default_factory=True)
        if as_text:
            default = str(default)
        elif typespec is Sequence[str]:
            default = list(default)
        option = meta["option"] or f"guard_{name}"
        out.append(MitmOption(option, name, typespec, default, info.description or ""))
    return out


def options_given(options: Any, declared: Sequence[MitmOption]) -> dict[str, Any]:
    """The settings mitmproxy's ``options`` set, by field; an option left at its default is left out,
    so the environment and the settings file decide it."""
    return {o.field: getattr(options, o.name) for o in declared if getattr(options, o.name) != o.default}


def option_values(settings: ProxySettings) -> dict[str, Any]:
    """The options that carry ``settings``' given values (not secrets, not the settings file) to the
    addon, typed as mitmproxy expects them."""
    given = settings.given()
    out: dict[str, Any] = {}
    for o in mitmproxy_options():
        if o.field in given and o.field not in (*SECRETS, "config"):
            value = given[o.field]
            out[o.name] = str(value) if o.typespec is str and isinstance(value, float) else value
    return out
