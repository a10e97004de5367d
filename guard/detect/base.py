"""The detector interface: one method, structural typing (nobody must inherit)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from guard.findings import Finding

__all__ = ["Detector"]


@runtime_checkable
class Detector(Protocol):
    """Anything with a ``name`` and a ``detect(text) -> list[Finding]`` method."""

    name: str

    def detect(self, text: str) -> list[Finding]: ...
