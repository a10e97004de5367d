"""A stand-in for the OOM killer in audit workers (`test_engine`): SIGKILL on a marker text.

Workers are spawned processes: they import this module by name, so the test points the engine's
task at `scan_or_die`.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

from guard.audit import engine

#: A record holding this text kills the worker that scans it.
MARKER = "kill-this-worker-now"


def scan_or_die(texts: list[str]) -> Any:
    """Die by SIGKILL when a text holds `MARKER`; with ``$GUARD_TEST_KILL_ONCE`` only the first time."""
    if any(MARKER in t for t in texts):
        once = os.environ.get("GUARD_TEST_KILL_ONCE")
        if not once or not Path(once).exists():
            if once:
                Path(once).touch()
            os.kill(os.getpid(), signal.SIGKILL)
    return engine._scan_task(texts)
