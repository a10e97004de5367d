"""Entry point for ``spark-submit``: ``guard audit --engine spark`` as a script.

``spark-submit --master yarn -m guard.audit.spark_submit`` is not valid Python packaging, so use
``spark-submit $(python -c 'import guard.audit.spark_submit as m; print(m.__file__)') INPUT... --out DIR
[guard audit options]``. The audit itself is `guard.audit.spark`; this module only parses the command
line with the same options as ``guard audit``.
"""

from __future__ import annotations

import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    """``spark-submit guard/audit/spark_submit.py INPUT... --out DIR [guard audit options]``."""
    import typer

    from guard.audit.cli import audit_command

    app = typer.Typer(add_completion=False)
    app.command()(audit_command)
    sys.argv = [sys.argv[0], *(argv if argv is not None else sys.argv[1:]), "--engine", "spark"]
    app()


if __name__ == "__main__":
    main()
