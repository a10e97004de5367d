"""The app factory: `create_app(settings)` builds one self-contained FastAPI app.

Each app has its own settings, metrics registry, key ring, rate limiter, batcher and engine
(no module-level state), so tests and benchmarks may build many. ``uvicorn --factory
serving.api.app:create_app`` builds the settings from ``GUARD_*`` environment variables.

Lifespan: startup starts the batcher and loads + warms the model in the inference thread in
the background (``/healthz`` answers at once, ``/readyz`` turns 200 when warm); shutdown marks
the app draining (new work → 503), lets queued and running batches finish, then stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from guard.errors import ConfigError
from serving.api.inference import Engine
from serving.api.middleware import AuthMiddleware, GuardMiddleware
from serving.api.routes import router
from serving.api.schemas import ErrorBody, ErrorResponse
from serving.api.scoring import ApiError, ScoringService
from serving.api.settings import ServeSettings

__all__ = ["create_app", "load_settings"]

log = logging.getLogger("guard.serving.app")

_OPEN_PATHS = frozenset({
    "/healthz", "/readyz", "/docs", "/openapi.json",
    "/static/swagger-ui/swagger-ui-bundle.js", "/static/swagger-ui/swagger-ui.css",
    "/static/swagger-ui/favicon-32x32.png",
})  # fmt: skip
_STATIC = Path(__file__).resolve().parent.parent / "static"
_HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}

_DESCRIPTION = """Sensitive-data guard inference API.

Send text, get back the policy verdict (`pass`, `redact`, `block`) and findings as labels and
character offsets. Findings never contain the sensitive value, and the server never logs text.
Authenticate with `Authorization: Bearer <key>` (or `X-API-Key`). Errors are JSON:
`{"error": {"code", "message", "request_id", "details"}}`; 429 and 503 carry `Retry-After`.
"""


def load_settings(**overrides: object) -> ServeSettings:
    """Build `ServeSettings` from ``GUARD_*`` env plus ``overrides``.

    Raises:
        ConfigError: invalid or insecure settings (the message names fields, never values).
    """
    try:
        return ServeSettings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}"
            for err in exc.errors(include_input=False, include_url=False)
        )
        raise ConfigError(f"invalid server settings: {problems}") from None


def create_app(settings: ServeSettings | None = None, *, engine: Engine | None = None) -> FastAPI:
    """Build the app.

    Args:
        settings: server settings; ``None`` reads ``GUARD_*`` from the environment.
        engine: an already loaded engine (tests share one); ``None`` loads ``settings.model``
            at startup.

    Raises:
        ConfigError: invalid settings.
    """
    settings = settings if settings is not None else load_settings()
    service = ScoringService(settings, engine)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        loader = asyncio.create_task(service.start(), name="guard-model-load")
        try:
            yield
        finally:
            if not loader.done():
                await asyncio.wait([loader], timeout=settings.drain_timeout_s)
            await service.stop()

    app = FastAPI(
        title="guard",
        version="1",
        description=_DESCRIPTION,
        lifespan=lifespan,
        responses={500: {"model": ErrorResponse, "description": "unexpected server error"}},
        docs_url=None,  # served below from the package's own Swagger UI assets: no CDN, works offline
        redoc_url=None,  # ReDoc would load from a CDN: a blank page without internet
    )
    app.state.service = service
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=_STATIC), name="static")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="guard API",
            swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/swagger-ui/favicon-32x32.png",
        )

    open_paths = _OPEN_PATHS if settings.metrics_require_auth else _OPEN_PATHS | {"/metrics"}
    # Starlette runs the last-added middleware first: GuardMiddleware (request id, limits, access
    # log) wraps AuthMiddleware, which rejects bad keys before any body is read.
    app.add_middleware(AuthMiddleware, keyring=service.keyring, open_paths=open_paths)
    app.add_middleware(
        GuardMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_header_bytes=settings.max_header_bytes,
        body_timeout_s=settings.body_timeout_s,
        metrics=service.metrics,
    )
    _install_error_handlers(app)
    return app


def _error(
    request: Request,
    status: int,
    code: str,
    message: str,
    details: list[dict[str, object]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    request_id = str(getattr(request.state, "request_id", ""))
    body = ErrorResponse(
        error=ErrorBody(code=code, message=message, request_id=request_id, details=details or [])
    )
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return _error(request, exc.status, exc.code, exc.message, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        if any(err.get("type") == "json_invalid" for err in errors):
            return _error(request, 400, "invalid_json", "body is not valid JSON")
        # loc/msg/type only: pydantic's "input" and "ctx" may quote the submitted text.
        details: list[dict[str, object]] = [
            {
                "loc": [str(p) for p in err.get("loc", ())],
                "msg": str(err.get("msg", "")),
                "type": str(err.get("type", "")),
            }
            for err in errors
        ]
        return _error(request, 422, "invalid_request", "request does not match the schema", details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
        message = exc.detail if isinstance(exc.detail, str) else code
        return _error(request, exc.status_code, code, message, headers=dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Type only: a third-party exception message might quote input.
        log.error(
            "unhandled error",
            extra={
                "guard": {
                    "event": "error",
                    "exc_type": type(exc).__name__,
                    "request_id": getattr(request.state, "request_id", ""),
                }
            },
        )
        return _error(request, 500, "internal_error", "unexpected server error")
