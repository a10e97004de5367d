"""Deterministic detectors: regex patterns with validators, entropy candidates, domain packs.

Every detector satisfies :class:`guard.detect.base.Detector` (``name`` + ``detect(text)``).
Submodules are imported on demand; this package re-exports only the interface.
"""

from __future__ import annotations

from guard.detect.base import Detector

__all__ = ["Detector"]
