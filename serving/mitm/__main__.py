"""``python -m serving.mitm``: the ``guard proxy`` command without the guard CLI."""

from __future__ import annotations

import typer

from serving.proxy_cli import proxy_command

__all__: list[str] = []

if __name__ == "__main__":
    typer.run(proxy_command)
