"""The detector interface: one method, structural typing (nobody must inherit).

Every detector gets the same `ScanContext` (the text and, when a model ran, its per-token analysis),
the way Presidio hands every recognizer its NLP artifacts; the facade special-cases none of them.
A detector may also refine the findings of all detectors (`Refiner`), e.g. a domain pack drops the
company's own name as a CUSTOMER.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from guard.detect.context import SpanScorer
from guard.findings import Finding

__all__ = ["Detector", "Refiner", "ScanContext"]


@dataclass(frozen=True, slots=True)
class ScanContext:
    """What every detector may use besides the text.

    Attributes:
        scorer: the model's span probabilities for this text (`guard.model.TokenAnalysis`), or None
            when no model ran (detectors only, or a derived text such as the normalized one).
    """

    scorer: SpanScorer | None = None


@runtime_checkable
class Detector(Protocol):
    """Anything with a ``name`` and a ``detect(text, context) -> list[Finding]`` method."""

    name: str

    def detect(self, text: str, context: ScanContext | None = None) -> list[Finding]: ...


@runtime_checkable
class Refiner(Protocol):
    """A detector that also revises the findings of all detectors on the same text."""

    def refine(self, text: str, findings: list[Finding]) -> list[Finding]: ...
