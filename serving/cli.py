"""``guard serve``, ``guard serve-key``, ``guard console`` and ``guard console-user``: plugin commands.

`register` is called by ``guard.cli`` (see docs/architecture.md). fastapi, uvicorn and the
server package are imported inside the commands, so ``guard scan`` does not pay for them and
a missing ``serve`` extra gives a clear message instead of an import error at startup.

Settings come from ``GUARD_*`` environment variables; options given on the command line win.
"""

from __future__ import annotations

import ssl
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

__all__ = ["register"]

_EXTRA_HINT = "the server needs the serve extra: pip install 'guard[serve]'"


def serve(
    host: Annotated[str | None, typer.Option(help="bind address (env GUARD_HOST; default 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port (env GUARD_PORT; default 8000)")] = None,
    model: Annotated[Path | None, typer.Option(help="model directory (default: the packaged model)")] = None,
    policy: Annotated[Path | None, typer.Option(help="policy YAML (default: the packaged policy)")] = None,
    domain: Annotated[list[Path] | None, typer.Option(help="domain pack YAML (repeatable)")] = None,
    provider: Annotated[str | None, typer.Option(help="auto | cpu | cuda")] = None,
    batching: Annotated[bool | None, typer.Option("--batching/--no-batching", help="micro-batching")] = None,
    cascade: Annotated[
        bool | None,
        typer.Option("--cascade/--no-cascade", help="the model's gate skips empty windows (default on)"),
    ] = None,
    api_key_hash: Annotated[
        list[str] | None, typer.Option(help="sha256:<hex> of an accepted key (repeatable); see serve-key")
    ] = None,
    allow_unauthenticated: Annotated[
        bool | None, typer.Option("--allow-unauthenticated", help="allow a public bind without keys")
    ] = None,
    log_level: Annotated[str | None, typer.Option(help="debug | info | warning | error")] = None,
    incidents: Annotated[
        str | None,
        typer.Option(help="incident store URL: record texts that block or redact (for the console)"),
    ] = None,
) -> None:
    """Run the HTTP inference API (POST /v1/scan, /v1/redact, /v1/scan/batch; GET /healthz, /readyz...)."""
    try:
        import uvicorn

        from guard.errors import ConfigError
        from serving.api import create_app, load_settings
        from serving.api.logs import configure_logging
    except ImportError as exc:
        typer.echo(f"error: {_EXTRA_HINT} ({exc.name} is missing)", err=True)
        raise typer.Exit(2) from None
    overrides: dict[str, Any] = {
        "host": host,
        "port": port,
        "model": model,
        "policy": policy,
        "domains": domain or None,
        "provider": provider,
        "batching": batching,
        "cascade": cascade,
        "api_key_hashes": api_key_hash or None,
        "allow_unauthenticated": allow_unauthenticated,
        "log_level": log_level,
        "incidents_url": incidents,
    }
    try:
        settings = load_settings(**{k: v for k, v in overrides.items() if v is not None})
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    configure_logging(settings.log_level)
    # The inference thread runs Python between model calls (decoding, detectors, policy). A
    # shorter GIL switch interval (default 5 ms) keeps the event loop answering meanwhile.
    sys.setswitchinterval(0.001)
    from serving.api.protocol import head_deadline_protocol

    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        # h11 with bounded request heads (size and time); httptools bounds neither
        http=head_deadline_protocol(settings.head_timeout_s),
        h11_max_incomplete_event_size=settings.max_header_bytes,
        ssl_certfile=str(settings.tls_certfile) if settings.tls_certfile else None,
        ssl_keyfile=str(settings.tls_keyfile) if settings.tls_keyfile else None,
        ssl_ca_certs=str(settings.tls_client_ca) if settings.tls_client_ca else None,
        ssl_cert_reqs=ssl.CERT_REQUIRED if settings.tls_client_ca else ssl.CERT_NONE,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        access_log=False,  # our access log has the request id and verdict, not the raw request line
        log_config=None,  # keep the JSON logging configured above
        timeout_graceful_shutdown=int(settings.drain_timeout_s),
        server_header=False,
    )


def serve_key() -> None:
    """Print a new random API key and the hash to configure (GUARD_API_KEY_HASHES)."""
    try:
        from serving.api.auth import generate_api_key, hash_api_key
    except ImportError:
        typer.echo(f"error: {_EXTRA_HINT}", err=True)
        raise typer.Exit(2) from None
    key = generate_api_key()
    sys.stdout.write(f"key:  {key}\nhash: {hash_api_key(key)}\n")


def default_incidents_url() -> str:
    """The embedded default store: ``sqlite:///$XDG_STATE_HOME/guard/incidents.db``."""
    from guard.keys import state_dir

    return f"sqlite:///{state_dir() / 'incidents.db'}"


IncidentsOpt = Annotated[
    str | None,
    typer.Option(
        "--incidents", envvar="GUARD_INCIDENTS_URL",
        help="store URL (sqlite:///… or postgresql+psycopg://…); default: SQLite in the state folder",
    ),
]  # fmt: skip


def _open_store(url: str | None) -> Any:
    try:
        from serving.store.store import IncidentStore, StoreError
    except ImportError as exc:
        typer.echo(f"error: {_EXTRA_HINT} ({exc.name} is missing)", err=True)
        raise typer.Exit(2) from None
    try:
        return IncidentStore(url or default_incidents_url(), source="console")
    except StoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def console(
    incidents: IncidentsOpt = None,
    host: Annotated[str, typer.Option(help="bind address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8095,
    user_header: Annotated[
        str | None,
        typer.Option(help="trust this header for the user, e.g. X-Remote-User (behind a proxy that sets it)"),
    ] = None,
    secure_cookies: Annotated[bool, typer.Option(help="Secure session cookie (served over HTTPS)")] = False,
) -> None:
    """Run the incident console: queue, incidents, decisions, allowlist (accounts: guard console-user)."""
    try:
        import uvicorn

        from serving.console import create_console
    except ImportError as exc:
        typer.echo(f"error: {_EXTRA_HINT} ({exc.name} is missing)", err=True)
        raise typer.Exit(2) from None
    store = _open_store(incidents)
    if host not in ("127.0.0.1", "::1", "localhost") and not secure_cookies:
        typer.echo("warning: the console is served on a public address without --secure-cookies", err=True)
    typer.echo(f"guard console on http://{host}:{port} (store {store.safe_url})", err=True)
    uvicorn.run(
        create_console(store, user_header=user_header, secure_cookies=secure_cookies),
        host=host, port=port, access_log=False, server_header=False,
    )  # fmt: skip


def console_user(
    username: Annotated[str, typer.Argument(help="the analyst's user name")],
    role: Annotated[str, typer.Option(help="analyst | admin")] = "analyst",
    incidents: IncidentsOpt = None,
    password_stdin: Annotated[bool, typer.Option(help="read the password from stdin (one line)")] = False,
    no_password: Annotated[
        bool, typer.Option(help="no password: the account logs in through --user-header only")
    ] = False,
    disable: Annotated[bool, typer.Option(help="disable the account and end its sessions")] = False,
) -> None:
    """Create or update a console account (the password is asked for, or read with --password-stdin)."""
    from serving.store.accounts import Accounts

    accounts = Accounts(_open_store(incidents))
    if disable:
        accounts.disable(username)
        typer.echo(f"{username}: disabled", err=True)
        return
    password: str | None = None
    if not no_password:
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    try:
        accounts.add(username, role, password)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{username}: {role}" + (" (header login only)" if password is None else ""), err=True)


def incidents_import(
    audit_out: Annotated[Path, typer.Argument(help="the --out folder of guard audit (findings.jsonl)")],
    incidents: IncidentsOpt = None,
    min_action: Annotated[
        str, typer.Option(help="block | redact: the least action that makes an incident")
    ] = "block",
) -> None:
    """Import an audit's findings into the incident store: one incident per record, for the console."""
    from guard.errors import InputError
    from serving.audit_import import import_audit

    store = _open_store(incidents)
    store.source = "audit"
    try:
        written, known = import_audit(
            audit_out, store, min_action=min_action, exists=lambda i: store.get(i) is not None
        )
    except InputError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{written} incidents imported ({known} already there) into {store.safe_url}", err=True)


def register(app: typer.Typer) -> None:
    """Add ``serve``, ``serve-key``, ``console`` and ``console-user`` to the guard CLI."""
    app.command("serve")(serve)
    app.command("serve-key")(serve_key)
    app.command("console")(console)
    app.command("console-user")(console_user)
    app.command("incidents-import")(incidents_import)
