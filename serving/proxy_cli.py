"""``guard icap`` (ICAP server for Squid) and ``guard proxy`` (mitmproxy with the guard addon).

`register(app)` adds both commands to the guard typer app. mitmproxy is imported only inside
``guard proxy``, so ``guard scan`` stays fast and ``guard icap`` works without the proxy extra.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Literal

import typer

from guard.errors import GuardError
from serving.inspect.destinations import DEFAULT_STRICT
from serving.inspect.factory import DEFAULT_INCIDENTS, InspectorSettings, build_inspector
from serving.mitm.flags import FLAGS_ENV

__all__ = ["register", "icap", "proxy"]

Model = Annotated[str | None, typer.Option(help="model directory (default: packaged model)")]
NoModel = Annotated[bool, typer.Option("--no-model", help="deterministic detectors only (degraded, fast)")]
Cascade = Annotated[
    bool, typer.Option("--cascade/--no-cascade", help="the model's gate skips windows that hold nothing")
]
Policy = Annotated[str | None, typer.Option(help="policy YAML (default: packaged policy)")]
Domains = Annotated[list[str] | None, typer.Option("--domains", help="domain pack file (repeatable)")]
Server = Annotated[str | None, typer.Option(help="scan through this guard server URL instead of in process")]
Timeout = Annotated[float, typer.Option(help="seconds before a remote scan fails (then: fail mode)")]
ApiKey = Annotated[str | None, typer.Option(envvar="GUARD_API_KEY", help="guard server API key")]
FailMode = Annotated[str | None, typer.Option(help="closed | open (default: the policy's, else closed)")]
MaxBody = Annotated[int, typer.Option(help="largest body inspected, bytes; larger ones follow the fail mode")]
Incidents = Annotated[
    str,
    typer.Option(
        help="incident log (JSON lines, rotated at 10 MB, 5 kept); default under $XDG_STATE_HOME/guard"
    ),
]
Allow = Annotated[list[str] | None, typer.Option("--allow", help="approved destination host (repeatable)")]
Strict = Annotated[list[str] | None, typer.Option("--strict", help="extra strict host, e.g. a paste site")]
Coach = Annotated[bool, typer.Option(help="let users confirm a block with a justification")]
Help = Annotated[str, typer.Option("--help-text", help="how to get help, shown on block pages")]
HashKey = Annotated[
    str | None,
    typer.Option(
        envvar="GUARD_INCIDENT_HASH_KEY",
        help="HMAC key for incident hashes, 16+ bytes (default: generated per installation, kept beside "
        "the incident log in incident-hash.key, mode 0600)",
    ),
]
AlertWebhook = Annotated[
    list[str] | None,
    typer.Option("--alert-webhook", help="URL for a Slack-compatible JSON message per block (repeatable)"),
]
Syslog = Annotated[
    str | None, typer.Option("--syslog", help="udp://host:port or tcp://host:port: CEF to a SIEM")
]
MetricsPort = Annotated[
    int | None,
    typer.Option("--metrics-port", help="serve Prometheus /metrics of the incidents on 127.0.0.1:PORT"),
]
Deadline = Annotated[
    float, typer.Option("--deadline", help="seconds one request may take to inspect; over it: the fail mode")
]
Credentials = Annotated[
    list[str] | None,
    typer.Option("--trust-credentials", help="host trusted with Authorization/Cookie headers, e.g. "
                 "the company's SSO (repeatable); elsewhere they are scanned"),
]  # fmt: skip

KeepText = Annotated[
    bool,
    typer.Option("--keep-training-text", help="opt-in: the incident store keeps the texts that held "
                 "findings, for guard train --feedback (needs a store URL)"),
]  # fmt: skip

_DEFAULT_HELP = "If you think this is a mistake, contact the security team and quote the incident id."


def _settings(
    model: str | None, policy: str | None, domains: list[str] | None, server: str | None, timeout: float,
    api_key: str | None, fail_mode: str | None, max_body: int, incidents: str, allow: list[str] | None,
    strict: list[str] | None, coach: bool, help_text: str, hash_key: str | None,
    credentials: list[str] | None = None, deadline: float = 10.0,
    alert_webhook: list[str] | None = None, syslog: str | None = None, metrics_port: int | None = None,
    keep_text: bool = False,
) -> InspectorSettings:  # fmt: skip
    if fail_mode not in (None, "closed", "open"):
        raise typer.BadParameter("must be 'closed' or 'open'", param_hint="--fail-mode")
    mode: Literal["closed", "open"] | None = fail_mode  # type: ignore[assignment]
    return InspectorSettings(
        model=model, policy=policy, domains=tuple(domains or ()), server=server, server_timeout=timeout,
        api_key=api_key, fail_mode=mode, max_body=max_body, incidents=incidents or None,
        allow=tuple(allow or ()), strict=(*DEFAULT_STRICT, *(strict or ())), coach=coach, help_text=help_text,
        hash_key=hash_key, credentials=tuple(credentials or ()), deadline_s=deadline,
        alert_webhooks=tuple(alert_webhook or ()), syslog=syslog, metrics_port=metrics_port,
        keep_training_text=keep_text,
    )  # fmt: skip


def icap(
    host: Annotated[str, typer.Option(help="listen address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="listen port")] = 1344,
    service: Annotated[str, typer.Option(help="ICAP service path")] = "reqmod",
    model: Model = None, no_model: NoModel = False, cascade: Cascade = True, policy: Policy = None,
    domains: Domains = None, server: Server = None,
    timeout: Timeout = 2.0, api_key: ApiKey = None, fail_mode: FailMode = None, max_body: MaxBody = 1_048_576,
    incidents: Incidents = DEFAULT_INCIDENTS, allow: Allow = None, strict: Strict = None,
    coach: Coach = False, help_text: Help = _DEFAULT_HELP, hash_key: HashKey = None,
    credentials: Credentials = None, deadline: Deadline = 10.0,
    alert_webhook: AlertWebhook = None, syslog: Syslog = None, metrics_port: MetricsPort = None,
    keep_training_text: KeepText = False,
) -> None:  # fmt: skip
    """Run the ICAP REQMOD server for Squid (``icap://HOST:PORT/SERVICE``)."""
    from serving.icap.server import IcapServer

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = _settings(model, policy, domains, server, timeout, api_key, fail_mode, max_body, incidents,
                         allow, strict, coach, help_text, hash_key, credentials, deadline,
                         alert_webhook, syslog, metrics_port, keep_training_text)  # fmt: skip
    settings = replace(settings, no_model=no_model, cascade=cascade, source="icap")
    try:
        inspector = build_inspector(settings)
    except GuardError as exc:
        typer.echo(f"guard icap: {exc}", err=True)
        raise typer.Exit(2) from exc
    version = str(getattr(getattr(inspector.scanner, "guard", None), "model_version", "remote"))
    server_obj = IcapServer(inspector, service=service, istag=f"guard-{version}"[:32].replace('"', ""))

    async def run() -> None:
        bound = await server_obj.start(host, port)
        typer.echo(f"guard icap listening on icap://{host}:{bound}/{service}", err=True)
        await server_obj.serve_forever()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass


def proxy(
    host: Annotated[str, typer.Option(help="listen address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="listen port")] = 8080,
    confdir: Annotated[Path | None, typer.Option(help="mitmproxy confdir; put the company CA there as "
                                                      "mitmproxy-ca.pem (key + cert)")] = None,
    model: Model = None, no_model: NoModel = False, cascade: Cascade = True, policy: Policy = None,
    domains: Domains = None, server: Server = None,
    timeout: Timeout = 2.0, api_key: ApiKey = None, fail_mode: FailMode = None, max_body: MaxBody = 1_048_576,
    incidents: Incidents = DEFAULT_INCIDENTS, allow: Allow = None, strict: Strict = None,
    coach: Coach = False, help_text: Help = _DEFAULT_HELP, hash_key: HashKey = None,
    credentials: Credentials = None, deadline: Deadline = 10.0,
    alert_webhook: AlertWebhook = None, syslog: Syslog = None, metrics_port: MetricsPort = None,
    keep_training_text: KeepText = False,
    mitm_option: Annotated[list[str] | None, typer.Option("--set", help="extra mitmproxy option k=v")] = None,
) -> None:  # fmt: skip
    """Run mitmproxy (mitmdump) with the guard addon as an explicit HTTP(S) proxy."""
    try:
        from mitmproxy.tools.main import mitmdump
    except ImportError as exc:
        typer.echo("guard proxy needs mitmproxy: pip install 'guard[proxy]'", err=True)
        raise typer.Exit(2) from exc
    s = _settings(model, policy, domains, server, timeout, api_key, fail_mode, max_body, incidents,
                  allow, strict, coach, help_text, hash_key, credentials, deadline,
                  alert_webhook, syslog, metrics_port, keep_training_text)  # fmt: skip
    if s.hash_key:  # through the environment: a command line is readable by every local user
        os.environ["GUARD_INCIDENT_HASH_KEY"] = s.hash_key
    # The flags given reach the addon through the environment and are applied after mitmproxy has read
    # <confdir>/config.yaml, so they win over the file (a --set would lose to it); what is not given
    # on the command line the file may still set.
    given = {
        "guard_model": s.model, "guard_policy": s.policy, "guard_server": s.server,
        "guard_api_key": s.api_key,
        "guard_fail_mode": s.fail_mode, "guard_no_model": no_model or None, "guard_coach": coach or None,
        "guard_cascade": None if cascade else False,
        "guard_server_timeout": str(s.server_timeout) if timeout != 2.0 else None,
        "guard_max_body": s.max_body if max_body != 1_048_576 else None,
        "guard_help": s.help_text if help_text != _DEFAULT_HELP else None,
        "guard_incidents": s.incidents if incidents != DEFAULT_INCIDENTS else None,
        "guard_deadline": str(s.deadline_s) if deadline != 10.0 else None,
        "guard_domains": list(s.domains) or None, "guard_allow": list(s.allow) or None,
        "guard_strict": list(s.strict) if strict else None, "guard_credentials": list(s.credentials) or None,
        "guard_alert_webhooks": list(s.alert_webhooks) or None, "guard_syslog": s.syslog,
        "guard_metrics_port": s.metrics_port, "guard_keep_training_text": keep_training_text or None,
    }  # fmt: skip
    os.environ[FLAGS_ENV] = json.dumps({k: v for k, v in given.items() if v is not None})
    args = [
        "-q",
        "--listen-host",
        host,
        "--listen-port",
        str(port),
        "-s",
        str(Path(__file__).parent / "mitm" / "script.py"),
    ]
    if confdir is not None:
        args += ["--set", f"confdir={confdir}"]
    for extra in mitm_option or ():
        args += ["--set", extra]
    mitmdump(args)


def register(app: typer.Typer) -> None:
    """Add ``guard icap`` and ``guard proxy`` to the guard CLI."""
    app.command("icap")(icap)
    app.command("proxy")(proxy)
