"""``python -m serving.api`` runs ``guard serve`` without the guard CLI (containers, benchmarks)."""

from __future__ import annotations

import typer

from serving.cli import register

__all__: list[str] = []

if __name__ == "__main__":
    app = typer.Typer(add_completion=False)
    register(app)
    app()
