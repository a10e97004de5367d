"""Request and response bodies of the HTTP API (pydantic v2), with OpenAPI examples.

Findings are converted from `guard` results here (`findings_from`), never copied as a type:
the wire shape is `ScanResult.to_dict()` of docs/architecture.md. Nothing in a response
echoes the scanned text except `RedactResponse.text`, which is the *redacted* text.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Context",
    "ScanRequest",
    "RedactRequest",
    "BatchScanRequest",
    "FindingOut",
    "ScanResponse",
    "RedactResponse",
    "BatchScanResponse",
    "ErrorBody",
    "ErrorResponse",
    "HealthResponse",
    "Verdict",
    "scan_response_fields",
]

Verdict = Literal["pass", "redact", "block"]

_EXAMPLE_TEXT = "deploy with key AKIA" + "IOSFODNN7EXAMPLE to prod"  # gitleaks:allow (AWS docs sample)


class Context(BaseModel):
    """Where the text is going and who sends it; only ``destination`` changes the verdict."""

    model_config = ConfigDict(extra="forbid")

    destination: str | None = Field(
        None, max_length=2048, description="destination host or URL (policy may differ per destination)"
    )
    user: str | None = Field(None, max_length=256, description="sender id; logged as a hash only")
    channel: str | None = Field(None, max_length=64, description="e.g. proxy, chat, ide; logged as is")


class ScanRequest(Context):
    """Scan one text."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"text": _EXAMPLE_TEXT, "destination": "api.openai.com", "channel": "chat"}]
        },
    )

    text: str = Field(description="the text to scan (UTF-8); never logged")


class RedactRequest(ScanRequest):
    """Scan one text and return it with the findings replaced per policy."""


class BatchScanRequest(Context):
    """Scan many texts with one shared context; results come back in the same order."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"texts": ["hello world", _EXAMPLE_TEXT], "destination": "github.com"}]
        },
    )

    texts: list[str] = Field(min_length=1, description="texts to scan; at most GUARD_MAX_BATCH_TEXTS")


class FindingOut(BaseModel):
    """A finding on the wire: span offsets (Python str indexes), never the value."""

    label: str
    start: int
    end: int
    score: float
    detector: str
    action: str
    metadata: dict[str, Any] = Field(default_factory=dict)


class ScanResponse(BaseModel):
    """Verdict and findings for one text."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "request_id": "6f1c2a0e9b7d4c55",
                    "verdict": "block",
                    "findings": [
                        {
                            "label": "SECRET",
                            "start": 16,
                            "end": 36,
                            "score": 0.99,
                            "detector": "regex",
                            "action": "block",
                            "metadata": {"kind": "aws_access_key"},
                        }
                    ],
                    "model_version": "2026.11.0",
                }
            ]
        }
    )

    request_id: str
    verdict: Verdict
    findings: list[FindingOut]
    model_version: str


class RedactResponse(ScanResponse):
    """The redacted text plus the scan result it was made from."""

    text: str = Field(description="the text with findings replaced (mask, placeholder or hash)")


class BatchItem(BaseModel):
    verdict: Verdict
    findings: list[FindingOut]


class BatchScanResponse(BaseModel):
    """One result per input text, in input order."""

    request_id: str
    results: list[BatchItem]
    model_version: str


class ErrorBody(BaseModel):
    code: str = Field(description="machine-readable: invalid_json, invalid_request, payload_too_large, ...")
    message: str
    request_id: str
    details: list[dict[str, Any]] = Field(default_factory=list)


class ErrorResponse(BaseModel):
    """Every 4xx/5xx answer has this shape."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "error": {
                        "code": "overloaded",
                        "message": "inference queue full; retry after 1s",
                        "request_id": "6f1c2a0e9b7d4c55",
                        "details": [],
                    }
                }
            ]
        }
    )

    error: ErrorBody


class HealthResponse(BaseModel):
    status: Literal["ok", "ready", "loading", "draining", "failed"]
    model_version: str | None = None


def scan_response_fields(result: Any) -> dict[str, Any]:
    """``verdict`` and ``findings`` of a guard `ScanResult`, via its `to_dict()` contract."""
    data = result.to_dict()
    return {"verdict": data["verdict"], "findings": data["findings"]}
