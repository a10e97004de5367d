"""Structured JSON logs for the server: one line per record, no guarded text ever.

Call sites put their fields in ``extra={"guard": {...}}``; `JsonFormatter` writes them next to
timestamp, level and logger name. Fields are labels, counts, offsets, timings, ids and hashes:
the access log (`access_fields`) is the pattern to follow. Exceptions are rendered as their
type name only, because an exception message from a third-party library might quote input.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import time
from typing import Any

__all__ = ["JsonFormatter", "configure_logging", "hash_identifier", "ACCESS_LOGGER"]

ACCESS_LOGGER = "guard.serving.access"


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "msg", ...record.guard}`` as one JSON line."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        fields = getattr(record, "guard", None)
        if isinstance(fields, dict):
            payload.update(fields)
        if record.exc_info and record.exc_info[0] is not None:
            payload["exc_type"] = record.exc_info[0].__name__
        return json.dumps(payload, ensure_ascii=False, default=str)


def configure_logging(level: str) -> None:
    """Send ``guard.*`` and ``uvicorn.*`` records to stderr as JSON lines.

    Uvicorn's own access log is switched off by the CLI: ours carries the request id and the
    verdict instead of the raw request line.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    for name in ("guard", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level.upper())
        logger.propagate = False


def hash_identifier(value: str) -> str:
    """Short stable digest of an identifier (user ids), so logs can correlate without storing it."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]
