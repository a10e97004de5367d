"""Build an `Inspector` from `ProxySettings`: the one place the ICAP CLI and the mitmproxy addon share.

The scanner is the in-process `guard.Guard` unless ``server`` names a guard server. The fail mode is
the explicit setting, else the policy's ``fail_mode`` (in-process), else ``closed``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from guard import keys
from guard.errors import ConfigError
from guard.keys import state_dir
from serving.incident_metrics import IncidentMetrics, MetricsSink, SpoolingStore, serve_metrics
from serving.inspect.destinations import DEFAULT_STRICT, DestinationRules
from serving.inspect.incidents import IncidentLog, IncidentSink
from serving.inspect.inspector import InspectConfig, Inspector
from serving.inspect.scanner import LocalScanner, RemoteScanner, Scanner
from serving.inspect.settings import ProxySettings

__all__ = ["ProxySettings", "build_inspector", "incident_hash_key", "state_dir"]


def incident_hash_key(settings: ProxySettings) -> bytes:
    """The incident hash key the settings ask for (see `ProxySettings.hash_key`).

    Raises:
        ConfigError: a short key, or a key file that cannot be read or created.
    """
    if explicit := settings.secret("hash_key"):
        return keys.checked(explicit.encode(), "hash_key")
    if settings.hash_key_file:
        path = Path(settings.hash_key_file)
    elif settings.incidents and "://" not in settings.incidents:
        path = Path(settings.incidents).with_name("incident-hash.key")
    elif settings.incidents:  # an incident store: one key per host, in guard's state folder
        path = state_dir() / "incident-hash.key"
    else:
        return secrets.token_bytes(32)
    return keys.load_or_create(path)


def _policy_fail_mode(guard: object) -> Literal["closed", "open"]:
    policy = getattr(guard, "policy", None)
    mode = getattr(policy, "fail_mode", "closed")
    return "open" if mode == "open" else "closed"


def build_inspector(settings: ProxySettings) -> Inspector:
    """Load the scanner (model or server client) and wire the inspector.

    The settings were validated when they were built (`ProxySettings.resolve`).

    Raises:
        ConfigError: a bad model, policy or domain pack (`guard.Guard.load`), incident log, hash key
            or alert target.
        guard.errors.ModelError: the model cannot be loaded.
    """
    scanner: Scanner
    fail_mode: Literal["closed", "open"]
    if settings.server:
        scanner = RemoteScanner(
            settings.server, timeout=settings.server_timeout, api_key=settings.secret("api_key")
        )
        fail_mode = settings.fail_mode or "closed"
    else:
        from guard import Guard

        guard = Guard.load(
            model=False if settings.no_model else settings.model,
            policy=settings.policy,
            domains=list(settings.domains),
            cascade=settings.cascade,
        )
        scanner = LocalScanner(guard)
        fail_mode = settings.fail_mode or _policy_fail_mode(guard)
    config = InspectConfig(
        max_body=settings.max_body,
        fail_mode=fail_mode,
        destinations=DestinationRules(
            allow=tuple(settings.allow),
            strict=(*DEFAULT_STRICT, *settings.strict),
            credentials=tuple(settings.credentials),
        ),
        coach=settings.coach,
        help_text=settings.help_text,
        hash_key=incident_hash_key(settings),
        deadline_s=settings.deadline,
        keep_training_text=settings.keep_training_text,
    )
    log: IncidentSink | None = None
    allowlisted = None
    metrics = IncidentMetrics()
    if settings.incidents and "://" in settings.incidents:
        from serving.store import IncidentStore
        from serving.store.accounts import HashAllowlist

        version = getattr(getattr(scanner, "guard", None), "model_version", None)
        url, source = settings.incidents, settings.source
        log = SpoolingStore(
            lambda: IncidentStore(url, source=source, model_version=version),
            state_dir() / f"incident-spool-{source}.jsonl",
            metrics=metrics,
        )
        allowlisted = HashAllowlist(_allowlist_reader(url))
    elif settings.incidents:
        try:
            log = IncidentLog(
                Path(settings.incidents),
                max_bytes=settings.incident_max_bytes,
                backups=settings.incident_backups,
            )
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot open incident log {settings.incidents}: {exc}") from exc
    sinks: list[IncidentSink] = [MetricsSink(metrics)]
    if log is not None:
        sinks.append(log)
    if settings.metrics_port is not None:
        serve_metrics(metrics, settings.metrics_port)
    if settings.alert_webhooks or settings.syslog:
        from serving.alerts import AlertConfig, AlertSink

        try:
            alerts = AlertSink(AlertConfig(
                webhooks=tuple(settings.alert_webhooks), syslog=settings.syslog,
                syslog_format=settings.syslog_format, dead_letter=state_dir() / "alerts-dead-letter.jsonl",
            ))  # fmt: skip
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        sinks.append(alerts)
    from serving.alerts import FanOut

    return Inspector(scanner, config, FanOut(sinks), allowlisted)


def _allowlist_reader(url: str) -> Callable[[str], frozenset[str]]:
    """host → hashes the console allowlisted, opening the store on first use (and again after a failure)."""
    opened: list[Any] = []

    def read(host: str) -> frozenset[str]:
        if not opened:
            from serving.store import IncidentStore
            from serving.store.accounts import Accounts

            opened.append(Accounts(IncidentStore(url, source="reader")))
        try:
            return frozenset(opened[0].hashes_for(host))
        except Exception:
            opened.clear()
            raise

    return read
