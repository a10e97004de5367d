"""The error the training-data layer raises for bad data files and records.

    GuardError
    └── ConfigError
        └── DataError    malformed JSONL/CoNLL/Label Studio input, bad spans, unknown labels, empty dataset

Messages name the file and line (or record index), the label and the offsets, never the text itself.
"""

from __future__ import annotations

from guard.errors import ConfigError

__all__ = ["DataError"]


class DataError(ConfigError):
    """A training-data file or record is invalid.

    Args:
        message: what is wrong (labels, offsets, sizes only; never the guarded text).
        where: ``"path:line"`` or ``"path[record]"`` locating the problem; prefixed to the message.
    """

    def __init__(self, message: str, where: str | None = None) -> None:
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)
