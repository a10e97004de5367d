"""HTTP routes: each parses its schema, calls `ScoringService.score`, and maps the result.

Authentication happens in `AuthMiddleware` before the body is read; the routes only see an
authenticated (or, when keys are off, per-address) `Principal` in ``request.state``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer

from serving.api.metrics import CONTENT_TYPE_LATEST
from serving.api.schemas import (
    BatchItem,
    BatchScanRequest,
    BatchScanResponse,
    ErrorResponse,
    HealthResponse,
    RedactRequest,
    RedactResponse,
    ScanRequest,
    ScanResponse,
    scan_response_fields,
)
from serving.api.scoring import ApiError, ScoringService

__all__ = ["router"]


def get_service(request: Request) -> ScoringService:
    service: ScoringService = request.app.state.service
    return service


ServiceDep = Annotated[ScoringService, Depends(get_service)]

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in {
        400: "invalid JSON, a repeated JSON key, non-UTF-8 body, or unscannable input",
        401: "missing or invalid API key",
        408: "request body not complete within GUARD_BODY_TIMEOUT_S",
        413: "body larger than GUARD_MAX_BODY_BYTES",
        415: "Content-Type is not UTF-8 JSON",
        422: "well-formed JSON that does not match the schema",
        429: "per-key rate limit exceeded (see Retry-After)",
        431: "request line and headers larger than GUARD_MAX_HEADER_BYTES",
        503: "not ready, overloaded or draining (see Retry-After)",
    }.items()
}


class _DuplicateKey(ValueError):
    pass


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _DuplicateKey
    return out


async def no_duplicate_keys(request: Request) -> None:
    """Refuse a JSON body in which an object repeats a key.

    ``{"text": "<secret>", "text": "hi"}`` parses as ``"hi"``: what is scanned would not be what a
    client or a proxy in between reads. The key is not echoed (it is the client's text).
    """
    if request.method != "POST":
        return
    try:
        json.loads(await request.body(), object_pairs_hook=_unique)
    except _DuplicateKey:
        raise ApiError(400, "duplicate_key", "a JSON object in the body repeats a key") from None
    except ValueError:
        return  # not JSON: the schema validation answers that


#: Declares the bearer scheme in the OpenAPI spec (Swagger UI's "Authorize"); `AuthMiddleware` checks the
#: key before any route runs, so this dependency itself never rejects.
bearer = HTTPBearer(auto_error=False, description="an API key from `guard serve-key` (or header X-API-Key)")

router = APIRouter(dependencies=[Depends(no_duplicate_keys)])
scan_security = [Depends(bearer)]


@router.post(
    "/v1/scan", dependencies=scan_security, response_model=ScanResponse, responses=_ERRORS, tags=["scan"]
)
async def scan(body: ScanRequest, request: Request, service: ServiceDep) -> ScanResponse:
    """Scan one text: findings (labels and offsets, never values) and the policy verdict."""
    [result] = await service.score(request.state, "/v1/scan", "scan", [body.text], body)
    return ScanResponse(
        request_id=request.state.request_id, model_version=_version(service), **scan_response_fields(result)
    )


@router.post(
    "/v1/redact", dependencies=scan_security, response_model=RedactResponse, responses=_ERRORS, tags=["scan"]
)
async def redact(body: RedactRequest, request: Request, service: ServiceDep) -> RedactResponse:
    """Scan one text and return it with each finding replaced as the policy says."""
    [redacted] = await service.score(request.state, "/v1/redact", "redact", [body.text], body)
    return RedactResponse(
        request_id=request.state.request_id,
        model_version=_version(service),
        text=redacted.text,
        **scan_response_fields(redacted.result),
    )


@router.post(
    "/v1/scan/batch",
    dependencies=scan_security,
    response_model=BatchScanResponse,
    responses=_ERRORS,
    tags=["scan"],
)
async def scan_batch(body: BatchScanRequest, request: Request, service: ServiceDep) -> BatchScanResponse:
    """Scan many texts with one shared context; results are in input order."""
    limit = service.settings.max_batch_texts
    if len(body.texts) > limit:
        raise ApiError(422, "too_many_texts", f"{len(body.texts)} texts; at most {limit} per batch")
    results = await service.score(request.state, "/v1/scan/batch", "scan", body.texts, body)
    return BatchScanResponse(
        request_id=request.state.request_id,
        model_version=_version(service),
        results=[BatchItem(**scan_response_fields(result)) for result in results],
    )


@router.get("/healthz", response_model=HealthResponse, tags=["ops"])
async def healthz(service: ServiceDep) -> JSONResponse:
    """Liveness: the process serves HTTP (503 only when the model failed to load for good)."""
    status = 503 if service.status == "failed" else 200
    body = HealthResponse(status="failed" if status == 503 else "ok")
    return JSONResponse(body.model_dump(), status_code=status)


@router.get(
    "/readyz", response_model=HealthResponse, responses={503: {"model": HealthResponse}}, tags=["ops"]
)
async def readyz(service: ServiceDep) -> JSONResponse:
    """Readiness: 200 once the model is loaded and warmed up; 503 while loading or draining."""
    ready = service.status == "ready"
    body = HealthResponse(status=service.status, model_version=_version(service) if ready else None)
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503)


@router.get("/metrics", tags=["ops"], response_class=Response)
async def metrics(service: ServiceDep) -> Response:
    """Prometheus text format: requests, verdicts, labels, latencies, batch sizes, queue depth."""
    service.metrics.queue_depth.set(service.batcher.depth)
    return Response(service.metrics.render(), media_type=CONTENT_TYPE_LATEST)


def _version(service: ScoringService) -> str:
    return service.engine.model_version if service.engine is not None else "unknown"
