"""Build an `Inspector` from flat settings: the one place the ICAP CLI and the mitmproxy addon share.

The scanner is the in-process `guard.Guard` unless ``server`` names a guard server. The fail mode is
the explicit setting, else the policy's ``fail_mode`` (in-process), else ``closed``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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

__all__ = ["DEFAULT_INCIDENTS", "InspectorSettings", "build_inspector", "incident_hash_key", "state_dir"]


#: The incident log of the proxies unless configured: absolute, never the working directory.
DEFAULT_INCIDENTS = str(state_dir() / "incidents.jsonl")


@dataclass(frozen=True, slots=True)
class InspectorSettings:
    """Everything needed to build an inspector (validated in `build_inspector`).

    Attributes:
        model: model directory (None: the packaged default). Ignored with ``server``.
        no_model: deterministic detectors only (no transformer): a degraded, fast mode.
        cascade: let the model's gate skip windows that hold nothing (False: the exact full scan).
        policy: policy YAML (None: the packaged default). Ignored with ``server``.
        domains: domain pack files.
        server: guard server base URL; when set, texts are scanned remotely.
        server_timeout: seconds before a remote scan counts as failed.
        api_key: the guard server API key.
        fail_mode: ``closed``/``open``; None takes the policy's.
        max_body: inspection limit in bytes.
        incidents: incident log file, or an incident store URL (``sqlite:///…``,
            ``postgresql+psycopg://…``; `serving.store`); None: incidents are only logged by id.
        source: which writer this is in the store (``icap``, ``proxy``).
        alert_webhooks: URLs that get a Slack-compatible JSON message per block (`serving.alerts`).
        syslog: ``udp://host:port`` / ``tcp://host:port`` of a SIEM's syslog collector.
        syslog_format: ``cef`` or ``json``.
        metrics_port: serve Prometheus ``/metrics`` (incidents by action, label, destination host;
            the spool of an unreachable store) on 127.0.0.1 at this port.
        incident_max_bytes: rotate the incident file at this size.
        incident_backups: rotated incident files kept.
        allow: approved destination host patterns (not inspected).
        strict: paste/AI-chat host patterns (redact becomes block).
        credentials: host patterns trusted with credential headers (the company's SSO hosts):
            ``Authorization``/``Cookie`` to them are not read.
        coach: offer confirm-with-justification on block pages.
        help_text: how to get help, on block pages.
        hash_key: HMAC key for incident hashes (at least 16 bytes). None: the key kept in
            ``hash_key_file``, generated there (0600) on first start.
        deadline_s: budget of one request's inspection, seconds; over it: the fail mode.
        keep_training_text: opt-in: incidents keep the texts that held findings, in the incident
            store only (``incidents`` must be a store URL), for ``guard train --feedback``.
        hash_key_file: where the generated key lives. None: ``incident-hash.key`` beside the
            incident log, or in `state_dir` with an incident store; without either, a random key
            per process.
    """

    model: str | None = None
    no_model: bool = False
    cascade: bool = True
    policy: str | None = None
    domains: Sequence[str] = ()
    server: str | None = None
    server_timeout: float = 2.0
    api_key: str | None = None
    fail_mode: Literal["closed", "open"] | None = None
    max_body: int = 1_048_576
    incidents: str | None = None
    source: str = "proxy"
    alert_webhooks: Sequence[str] = ()
    syslog: str | None = None
    syslog_format: str = "cef"
    metrics_port: int | None = None
    incident_max_bytes: int = 10_000_000
    incident_backups: int = 5
    allow: Sequence[str] = ()
    strict: Sequence[str] = field(default_factory=lambda: DEFAULT_STRICT)
    credentials: Sequence[str] = ()
    coach: bool = False
    help_text: str = "If you think this is a mistake, contact the security team and quote the incident id."
    hash_key: str | None = None
    hash_key_file: str | None = None
    deadline_s: float = 10.0
    keep_training_text: bool = False


def incident_hash_key(settings: InspectorSettings) -> bytes:
    """The incident hash key the settings ask for (see `InspectorSettings`).

    Raises:
        ConfigError: a short key, or a key file that cannot be read or created.
    """
    if settings.hash_key:
        return keys.checked(settings.hash_key.encode(), "hash_key")
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


def build_inspector(settings: InspectorSettings) -> Inspector:
    """Load the scanner (model or server client) and wire the inspector.

    Raises:
        ConfigError: bad settings (or, from `guard.Guard.load`, a bad model/policy/domain pack).
        guard.errors.ModelError: the model cannot be loaded.
    """
    if settings.fail_mode not in (None, "closed", "open"):
        raise ConfigError(f"fail_mode must be 'closed' or 'open', not {settings.fail_mode!r}")
    if settings.max_body <= 0:
        raise ConfigError("max_body must be a positive number of bytes")
    if settings.server_timeout <= 0:
        raise ConfigError("server_timeout must be positive")
    if not settings.deadline_s > 0:
        raise ConfigError("deadline_s must be a positive number of seconds")
    if settings.keep_training_text and not (settings.incidents and "://" in settings.incidents):
        raise ConfigError("keep_training_text needs an incident store URL (texts never go to a log file)")
    scanner: Scanner
    fail_mode: Literal["closed", "open"]
    if settings.server:
        if not settings.server.startswith(("http://", "https://")):
            raise ConfigError("server must be an http:// or https:// URL")
        scanner = RemoteScanner(settings.server, timeout=settings.server_timeout, api_key=settings.api_key)
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
            strict=tuple(settings.strict),
            credentials=tuple(settings.credentials),
        ),
        coach=settings.coach,
        help_text=settings.help_text,
        hash_key=incident_hash_key(settings),
        deadline_s=settings.deadline_s,
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
