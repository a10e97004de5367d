"""The one span type of guard.

Every layer (detectors, model runtime, fusion, policy, redaction, API, CLI,
server, proxy, audit) passes `Finding` objects. Never copy this type into
another layer; convert at the boundary instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

__all__ = ["LABELS", "Finding"]

#: The 12 labels of the taxonomy (../shared/taxonomy.md). BIO tags are B-/I- + label.
LABELS: tuple[str, ...] = (
    "PERSON",
    "EMAIL",
    "PHONE",
    "ADDRESS",
    "NATIONAL_ID",
    "CREDIT_CARD",
    "BANK_ACCOUNT",
    "SECRET",
    "INTERNAL_HOST",
    "CODENAME",
    "CUSTOMER",
    "FINANCIAL",
)

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Finding:
    """A sensitive span in a text.

    Attributes:
        label: one of `LABELS`.
        start: start offset, a Python ``str`` index (code points) into the scanned text.
        end: end offset (exclusive), ``start < end``.
        score: confidence in ``[0, 1]``.
        detector: name of the detector that produced it (``model``, ``regex``, ``domain``...).
        metadata: optional extra facts (``kind``, ``validator``...). Never the raw value.
    """

    label: str
    start: int
    end: int
    score: float
    detector: str
    metadata: Mapping[str, Any] = field(default_factory=lambda: _EMPTY, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.label not in LABELS:
            raise ValueError(f"unknown label {self.label!r}")
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score {self.score} outside [0, 1]")

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Finding) -> bool:
        return self.start < other.end and other.start < self.end

    def shifted(self, offset: int) -> Finding:
        """Return the same finding moved by ``offset`` characters."""
        return replace(self, start=self.start + offset, end=self.end + offset)

    def with_metadata(self, **extra: Any) -> Finding:
        return replace(self, metadata=MappingProxyType({**self.metadata, **extra}))
