"""``guard icap`` (ICAP server for Squid) and ``guard proxy`` (mitmproxy with the guard addon).

`register(app)` adds both commands to the guard typer app; their guard flags are made from
`serving.inspect.settings.ProxySettings` (flags > environment > ``--config`` file > defaults).
mitmproxy is imported only inside ``guard proxy``, so ``guard scan`` stays fast and ``guard icap``
works without the proxy extra.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from pathlib import Path
from typing import Annotated

import typer

from guard.errors import GuardError
from guard.settings import settings_command
from serving.inspect.factory import build_inspector
from serving.inspect.settings import SECRETS, ProxySettings, option_values
from serving.mitm.flags import FLAGS_ENV

__all__ = ["icap", "icap_command", "proxy", "proxy_command", "register"]


def icap(
    settings: ProxySettings,
    host: Annotated[str, typer.Option(help="listen address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="listen port")] = 1344,
    service: Annotated[str, typer.Option(help="ICAP service path")] = "reqmod",
) -> None:
    """Run the ICAP REQMOD server for Squid (``icap://HOST:PORT/SERVICE``)."""
    from serving.icap.server import IcapServer

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
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
    settings: ProxySettings,
    host: Annotated[str, typer.Option(help="listen address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="listen port")] = 8080,
    confdir: Annotated[Path | None, typer.Option(help="mitmproxy confdir; put the company CA there as "
                                                      "mitmproxy-ca.pem (key + cert)")] = None,
    mitm_option: Annotated[list[str] | None, typer.Option("--set", help="extra mitmproxy option k=v")] = None,
) -> None:  # fmt: skip
    """Run mitmproxy (mitmdump) with the guard addon as an explicit HTTP(S) proxy."""
    try:
        from mitmproxy.tools.main import mitmdump
    except ImportError as exc:
        typer.echo("guard proxy needs mitmproxy: pip install 'guard[proxy]'", err=True)
        raise typer.Exit(2) from exc
    # The settings given (flag, environment, settings file) reach the addon as options through the
    # environment and are applied after mitmproxy has read <confdir>/config.yaml, so they win over it
    # (a --set would lose to the file); what they leave unset the file may still set. Secrets travel
    # as their own environment variables, which the addon's ProxySettings reads.
    os.environ[FLAGS_ENV] = json.dumps(option_values(settings))
    for name in SECRETS:
        if value := settings.secret(name):
            os.environ[ProxySettings.env_name(name)] = value
    args = ["-q", "--listen-host", host, "--listen-port", str(port),
            "-s", str(Path(__file__).parent / "mitm" / "script.py")]  # fmt: skip
    if confdir is not None:
        args += ["--set", f"confdir={confdir}"]
    for extra in mitm_option or ():
        args += ["--set", extra]
    mitmdump(args)


#: The typer commands: a flag per `ProxySettings` field besides each command's own options.
icap_command = settings_command(ProxySettings, source="icap")(icap)
proxy_command = settings_command(ProxySettings, source="proxy")(proxy)


def register(app: typer.Typer) -> None:
    """Add ``guard icap`` and ``guard proxy`` to the guard CLI."""
    app.command("icap")(icap_command)
    app.command("proxy")(proxy_command)
