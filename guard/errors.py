"""Exceptions raised by guard.

    GuardError
    ├── ConfigError      bad policy, domain pack, settings or pattern table
    ├── ModelError       missing/corrupt model directory, inference failure
    ├── DetectorError    a detector failed while scanning
    └── InputError       input that cannot be scanned (binary, invalid UTF-8, too large)

Messages never contain the guarded text itself: they name files, keys, labels,
offsets and sizes only. Programmer errors use the builtin ValueError/TypeError.
"""

from __future__ import annotations

__all__ = ["GuardError", "ConfigError", "ModelError", "DetectorError", "InputError"]


class GuardError(Exception):
    """Base class of every error guard raises on purpose."""


class ConfigError(GuardError):
    """A configuration file or value is invalid."""


class ModelError(GuardError):
    """A model directory is missing, corrupt, or inference failed."""


class DetectorError(GuardError):
    """A detector failed while scanning."""


class InputError(GuardError):
    """The input cannot be scanned as text."""
