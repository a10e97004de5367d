"""``guard serve`` and ``guard serve-key``: plugin commands registered on the guard CLI.

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
    api_key_hash: Annotated[
        list[str] | None, typer.Option(help="sha256:<hex> of an accepted key (repeatable); see serve-key")
    ] = None,
    allow_unauthenticated: Annotated[
        bool | None, typer.Option("--allow-unauthenticated", help="allow a public bind without keys")
    ] = None,
    log_level: Annotated[str | None, typer.Option(help="debug | info | warning | error")] = None,
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
        "api_key_hashes": api_key_hash or None,
        "allow_unauthenticated": allow_unauthenticated,
        "log_level": log_level,
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


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``serve-key`` to the guard CLI."""
    app.command("serve")(serve)
    app.command("serve-key")(serve_key)
