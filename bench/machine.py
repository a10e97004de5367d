"""What the benchmarks share: the machine they ran on, the command as shown, writing results."""

from __future__ import annotations

import json
import platform
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["cpu_name", "shown_command", "shown_path", "write_results"]

_REPO = Path(__file__).resolve().parent.parent


def cpu_name() -> str:
    """The CPU model as /proc/cpuinfo names it (figures are only comparable on one machine)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def shown_command(script: str, argv: Sequence[str]) -> str:
    """``python bench/<script> ARGS`` with absolute paths cut to their last part (no machine's paths)."""
    args = (a if not Path(a).is_absolute() else Path(a).name for a in argv)
    return " ".join(["python", f"bench/{script}", *args])


def shown_path(path: str | Path) -> str:
    """A data path as results show it: relative to the repository (``../shared/...``) or its name."""
    p = Path(path).resolve()
    for base, prefix in ((_REPO, ""), (_REPO.parent, "../")):
        try:
            return prefix + str(p.relative_to(base))
        except ValueError:
            continue
    return p.name


def write_results(out: Path, name: str, result: dict[str, Any], markdown: str) -> None:
    """``<out>/<name>.json`` and the generated ``<name>.md``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (out / f"{name}.md").write_text(markdown, encoding="utf-8")
