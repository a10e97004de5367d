"""Policy schema (pydantic v2, unknown keys rejected) and :func:`load_policy`.

A policy file::

    extends: default                 # default (when absent) | none | path of another policy file
    fail_mode: closed                # closed | open: what adapters do when scanning raises GuardError
    labels:                          # per label; a label left out keeps the taxonomy default
      SECRET: {action: block, threshold: 0.5}
      PERSON: {action: redact, threshold: 0.6}
    redaction:
      operator: placeholder          # mask | placeholder | hash | pseudonym
      key_file: hmac.key             # HMAC key for `hash` (relative to the policy file)
    allowlist:
      values: ["support@kestrel-dynamics.com"]      # exact values never reported
      value_hashes: ["<sha256 hex>"]                # the same, without the raw value in the file
      regexes: ["(?i)^noreply@"]                    # full-match on the value
      destinations: ["*.kestrel.internal"]          # destinations where nothing is reported
    destinations:                    # per-destination overrides; the first rule whose glob matches wins
      - match: ["pastebin.com", "*.openai.com"]
        labels: {PERSON: {action: block}}

A policy extends the packaged default unless it says ``extends: none``: its label rules replace the
base's label by label, its allowlist entries are added to the base's, and its destination rules come
before the base's (the first matching rule wins). So a policy that only adds an allowlist keeps the
default's stricter rules for paste sites and AI chat. ``extends: path.yaml`` builds on another policy
file (relative to this one), which may itself extend another.

Errors raise :class:`~guard.errors.ConfigError` naming the file, the key path and the reason.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
)

from guard.detect.linear import compile_linear
from guard.errors import ConfigError
from guard.findings import LABELS

__all__ = [
    "Action",
    "Allowlist",
    "DEFAULT_ACTIONS",
    "DestinationRule",
    "LabelRule",
    "Operator",
    "Policy",
    "Redaction",
    "default_policy_path",
    "load_policy",
]

Action = Literal["allow", "redact", "block", "alert"]
Operator = Literal["mask", "placeholder", "hash", "pseudonym"]

#: The taxonomy's default verdicts (../shared/taxonomy.md).
DEFAULT_ACTIONS: Mapping[str, Action] = MappingProxyType({
    "PERSON": "redact", "EMAIL": "redact", "PHONE": "redact", "ADDRESS": "redact",
    "NATIONAL_ID": "block", "CREDIT_CARD": "block", "BANK_ACCOUNT": "block", "SECRET": "block",
    "INTERNAL_HOST": "block", "CODENAME": "block", "CUSTOMER": "block", "FINANCIAL": "block",
})  # fmt: skip

_STRICT = ConfigDict(extra="forbid", frozen=True)


def _check_labels(value: Mapping[str, Any]) -> Mapping[str, Any]:
    unknown = sorted(set(value) - set(LABELS))
    if unknown:
        raise ValueError(f"unknown label {unknown[0]!r} (expected one of {', '.join(LABELS)})")
    return value


def _check_regex(value: str) -> str:
    compile_linear(value)  # raises ValueError: invalid, or not matchable in linear time
    return value


class LabelRule(BaseModel):
    """What to do with findings of one label, and from which score on."""

    model_config = _STRICT
    action: Action
    threshold: Annotated[float, Field(ge=0.0, le=1.0)] = 0.5


class LabelOverride(BaseModel):
    """A destination's change to a label rule; unset fields keep the policy's value."""

    model_config = _STRICT
    action: Action | None = None
    threshold: Annotated[float, Field(ge=0.0, le=1.0)] | None = None


class Redaction(BaseModel):
    """Redaction operator and the HMAC key file for the ``hash`` operator."""

    model_config = _STRICT
    operator: Operator = "placeholder"
    key_file: Path | None = None


class Allowlist(BaseModel):
    """Values, value hashes (SHA-256 hex), value regexes and destinations never reported."""

    model_config = _STRICT
    values: tuple[Annotated[str, Field(min_length=1)], ...] = ()
    value_hashes: tuple[Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")], ...] = ()
    regexes: tuple[Annotated[str, AfterValidator(_check_regex)], ...] = ()
    destinations: tuple[Annotated[str, Field(min_length=1)], ...] = ()


class DestinationRule(BaseModel):
    """Overrides for destinations matching any of the host globs in ``match``."""

    model_config = _STRICT
    match: tuple[Annotated[str, Field(min_length=1)], ...] = Field(min_length=1)
    labels: Annotated[dict[str, LabelOverride], AfterValidator(_check_labels)] = {}


class Policy(BaseModel):
    """A validated, immutable policy. Build it with :func:`load_policy` or ``Policy()`` for the default."""

    model_config = _STRICT
    version: Literal[1] = 1
    fail_mode: Literal["closed", "open"] = "closed"
    labels: Annotated[dict[str, LabelRule], AfterValidator(_check_labels), Field(validate_default=True)] = {}
    redaction: Redaction = Redaction()
    allowlist: Allowlist = Allowlist()
    destinations: tuple[DestinationRule, ...] = ()
    _allow_regexes: tuple[Any, ...] = PrivateAttr(default=())

    def model_post_init(self, context: Any, /) -> None:
        # RE2: an allowlist regex is run on every finding; it must not backtrack (guard.detect.linear)
        self._allow_regexes = tuple(compile_linear(rx) for rx in self.allowlist.regexes)

    @field_validator("labels", mode="after")
    @classmethod
    def _complete(cls, value: dict[str, LabelRule]) -> dict[str, LabelRule]:
        return {label: value.get(label, LabelRule(action=DEFAULT_ACTIONS[label])) for label in LABELS}

    def rule(self, label: str, destination: str | None = None) -> LabelRule:
        """The effective rule for ``label`` at ``destination`` (after the first matching override)."""
        base = self.labels[label]
        override = self.destination_rule(destination)
        if override is None or label not in override.labels:
            return base
        change = override.labels[label]
        return LabelRule(
            action=change.action if change.action is not None else base.action,
            threshold=change.threshold if change.threshold is not None else base.threshold,
        )

    def destination_rule(self, destination: str | None) -> DestinationRule | None:
        """The first destination rule whose globs match ``destination`` (a host name), if any."""
        if not destination:
            return None
        host = _host(destination)
        for rule in self.destinations:
            if any(_glob(pattern, host) for pattern in rule.match):
                return rule
        return None

    def destination_allowed(self, destination: str | None) -> bool:
        """Whether ``destination`` is on the allowlist (nothing is reported there)."""
        return bool(destination) and any(
            _glob(p, _host(destination or "")) for p in self.allowlist.destinations
        )

    def value_allowed(self, value: str) -> bool:
        """Whether an exact value, its SHA-256 or a full-match regex allowlists ``value``."""
        if value in self.allowlist.values:
            return True
        if (
            self.allowlist.value_hashes
            and hashlib.sha256(value.encode()).hexdigest() in self.allowlist.value_hashes
        ):
            return True
        return any(rx.fullmatch(value) for rx in self._allow_regexes)


def _host(destination: str) -> str:
    """Host part of a destination given as a host, ``host:port`` or URL, lower-cased."""
    d = destination.strip().lower()
    if "://" in d:
        d = d.split("://", 1)[1]
    d = d.split("/", 1)[0].rsplit("@", 1)[-1]
    if d.startswith("["):
        return d.split("]", 1)[0] + "]"
    return d.split(":", 1)[0].rstrip(".")


def _glob(pattern: str, host: str) -> bool:
    """Host glob: ``*.example.com`` matches sub-domains and ``example.com`` itself; ``*`` matches all."""
    p = pattern.strip().lower()
    if p == "*":
        return True
    if p.startswith("*."):
        return host == p[2:] or host.endswith(p[1:])
    return host == p


def default_policy_path() -> Path:
    """The packaged ``guard/policy/default.yaml``."""
    return Path(__file__).with_name("default.yaml")


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.startswith(("function-", "function_")):
            continue
        else:
            out += f".{part}" if out else part
    return out or "<root>"


_MAX_EXTENDS = 8


def _read_raw(p: Path) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{p}: policy file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{p}: policy path is a directory, expected a YAML file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: cannot read policy: {type(exc).__name__}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise ConfigError(f"{p}: invalid YAML{where}") from None
    if raw is None:
        raise ConfigError(f"{p}: policy file is empty")
    if not isinstance(raw, dict):
        raise ConfigError(f"{p}: a policy must be a mapping at the top level")
    redaction = raw.get("redaction")
    if isinstance(redaction, dict) and isinstance(redaction.get("key_file"), str):
        key_file = Path(redaction["key_file"])  # relative to the file that names it
        raw["redaction"] = redaction | {
            "key_file": str(key_file if key_file.is_absolute() else p.parent / key_file)
        }
    return raw


def _merged(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """``child`` on top of ``base`` (see the module docstring for the rules)."""
    out = {k: v for k, v in base.items() if k != "extends"}
    for key, value in child.items():
        if key == "extends":
            continue
        old = out.get(key)
        if key in ("labels", "redaction") and isinstance(old, dict) and isinstance(value, dict):
            out[key] = old | value
        elif key == "allowlist" and isinstance(old, dict) and isinstance(value, dict):
            out[key] = old | {
                k: [*old.get(k, []), *(x for x in v if x not in old.get(k, []))]
                if isinstance(v, list) and isinstance(old.get(k, []), list)
                else v
                for k, v in value.items()
            }
        elif key == "destinations" and isinstance(old, list) and isinstance(value, list):
            out[key] = [*value, *old]
        else:
            out[key] = value
    return out


def _resolve(p: Path, chain: tuple[Path, ...]) -> dict[str, Any]:
    raw = _read_raw(p)
    parent = raw.get("extends", "none" if p.resolve() == default_policy_path().resolve() else "default")
    if parent == "none":
        return {k: v for k, v in raw.items() if k != "extends"}
    if not isinstance(parent, str) or not parent:
        raise ConfigError(f"{p}: extends: expected 'default', 'none' or a policy file path")
    base_path = default_policy_path() if parent == "default" else Path(os.path.normpath(p.parent / parent))
    if base_path.resolve() in chain or len(chain) >= _MAX_EXTENDS:
        raise ConfigError(f"{p}: extends: circular or too deep ({' -> '.join(c.name for c in chain)})")
    try:
        base = _resolve(base_path, (*chain, base_path.resolve()))
    except ConfigError as exc:
        raise ConfigError(f"{p}: extends {parent}: {exc}") from None
    return _merged(base, raw)


def load_policy(path: str | Path | None = None) -> Policy:
    """Read and validate a policy file.

    Args:
        path: a YAML policy; ``None`` → the packaged default policy (taxonomy defaults).

    Returns:
        The frozen :class:`Policy`, merged onto what it extends (the default unless ``extends: none``);
        a relative ``redaction.key_file`` is resolved against the folder of the file that names it.

    Raises:
        ConfigError: missing/unreadable file, invalid YAML, unknown key or label, bad action or threshold.
    """
    p = Path(path) if path is not None else default_policy_path()
    raw = _resolve(p, (p.resolve(),))
    try:
        policy = Policy.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        more = f" (and {exc.error_count() - 1} more errors)" if exc.error_count() > 1 else ""
        raise ConfigError(
            f"{p}: {_loc(err['loc'])}: {err['msg'].removeprefix('Value error, ')}{more}"
        ) from None
    return policy
