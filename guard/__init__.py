"""guard: an enterprise sensitive-data guard (transformer token classifier + deterministic detectors).

Public API::

    from guard import Guard
    result = Guard.load().scan("text")      # ScanResult(verdict, findings, actions, alerts)

``Guard``, ``ScanResult`` and ``RedactResult`` are imported lazily so that ``import guard.errors``
or ``guard.findings`` stays cheap for adapters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guard.errors import ConfigError, DetectorError, GuardError, InputError, ModelError
from guard.findings import LABELS, Finding

if TYPE_CHECKING:
    from guard.api import Guard, RedactResult, ScanResult

__all__ = [
    "LABELS",
    "ConfigError",
    "DetectorError",
    "Finding",
    "Guard",
    "GuardError",
    "InputError",
    "ModelError",
    "RedactResult",
    "ScanResult",
    "__version__",
]

__version__ = "0.1.0"

_LAZY = {"Guard", "RedactResult", "ScanResult"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from guard import api

        return getattr(api, name)
    raise AttributeError(f"module 'guard' has no attribute {name!r}")
