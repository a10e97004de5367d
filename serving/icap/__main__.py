"""``python -m serving.icap``: the ``guard icap`` command without the guard CLI."""

from __future__ import annotations

import typer

from serving.proxy_cli import icap_command

__all__: list[str] = []

if __name__ == "__main__":
    typer.run(icap_command)
