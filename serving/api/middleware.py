"""Pure-ASGI middleware: request ids, body limits, encoding check, slow clients, access log.

It wraps ``receive`` so the body is checked *while it streams in*, before the app holds all
of it:

* ``Content-Length`` over the limit → 413 at once, the body is never read;
* a streamed (chunked) body passing the limit → 413 as soon as the counter passes it;
* bytes that are not UTF-8 (checked incrementally) → 400 ``invalid_encoding``;
* a body not complete within ``body_timeout_s`` of its first read → 408 (slow-loris clients: the
  deadline is for the whole body, so one byte every few seconds does not keep it open);
* a POST whose Content-Type is not JSON (UTF-8) → 415;
* a request line and headers over ``max_header_bytes`` → 431 (the h11 parser bounds heads that
  arrive in pieces; this bounds one that arrives at once).

When a check trips mid-body the wrapper raises `_BodyRejected`; whatever response the app then
produces is replaced by the JSON error, so the outcome does not depend on how the framework
reports a failed ``receive``. The access log line and the HTTP metrics are written here too.
"""

from __future__ import annotations

import asyncio
import codecs
import json
import logging
import re
import secrets
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from serving.api.auth import KeyRing, Principal
from serving.api.logs import ACCESS_LOGGER
from serving.api.metrics import ServerMetrics

__all__ = ["GuardMiddleware", "AuthMiddleware", "error_payload", "ENDPOINTS", "LOG_STATE_KEY"]

access_log = logging.getLogger(ACCESS_LOGGER)

#: Known routes: metrics label values must be a bounded set (unknown paths count as "other").
ENDPOINTS = frozenset(
    {"/v1/scan", "/v1/redact", "/v1/scan/batch", "/healthz", "/readyz", "/metrics", "/docs", "/openapi.json"}
)
#: Key in ``scope["state"]`` where routes leave their log fields (verdicts, labels, key id).
LOG_STATE_KEY = "guard_log"

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def error_payload(
    code: str, message: str, request_id: str, details: list[dict[str, Any]] | None = None
) -> bytes:
    """The JSON bytes of an `ErrorResponse`."""
    body = {"error": {"code": code, "message": message, "request_id": request_id, "details": details or []}}
    return json.dumps(body).encode()


class _BodyRejected(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _content_type_problem(content_type: str | None) -> str | None:
    if content_type is None:
        return "Content-Type must be application/json"
    media, _, params = content_type.partition(";")
    media = media.strip().lower()
    if media != "application/json" and not (media.startswith("application/") and media.endswith("+json")):
        return "Content-Type must be application/json"
    charset = re.search(r"charset\s*=\s*\"?([A-Za-z0-9_-]+)", params)
    if charset and charset.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        return "only UTF-8 JSON bodies are accepted"
    return None


class GuardMiddleware:
    """See the module docstring. One instance per app."""

    def __init__(
        self, app: ASGIApp, *, max_body_bytes: int, body_timeout_s: float, metrics: ServerMetrics,
        max_header_bytes: int = 16_384,
    ) -> None:  # fmt: skip
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_header_bytes = max_header_bytes
        self.body_timeout_s = body_timeout_s
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _REQUEST_ID_RE.match(incoming) else secrets.token_hex(8)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state[LOG_STATE_KEY] = {}
        path = scope.get("path", "")
        endpoint = path if path in ENDPOINTS else "other"
        status_box = [500]
        rejected: list[_BodyRejected] = []
        response_started = [False]
        id_header = (b"x-request-id", request_id.encode())

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                if rejected:  # replace the app's answer with the body error
                    await self._send_error(send, rejected[0], request_id)
                    response_started[0] = True
                    status_box[0] = rejected[0].status
                    return
                response_started[0] = True
                status_box[0] = message["status"]
                message = {**message, "headers": [*message.get("headers", []), id_header]}
            elif message["type"] == "http.response.body" and rejected:
                return
            await send(message)

        self.metrics.inflight.inc()
        try:
            problem = self._precheck(scope)
            if problem is not None:
                status_box[0] = problem.status
                await self._send_error(send, problem, request_id)
                return
            receive_wrapper = (
                self._checked_receive(receive, rejected) if scope["method"] == "POST" else receive
            )
            try:
                await self.app(scope, receive_wrapper, send_wrapper)
            except _BodyRejected:
                if not response_started[0]:
                    status_box[0] = rejected[0].status
                    await self._send_error(send, rejected[0], request_id)
        finally:
            self.metrics.inflight.dec()
            elapsed = time.perf_counter() - started
            self.metrics.requests.labels(endpoint, str(status_box[0])).inc()
            self.metrics.latency.labels(endpoint).observe(elapsed)
            fields = {
                "event": "request",
                "request_id": request_id,
                "method": scope.get("method"),
                "endpoint": endpoint,
                "status": status_box[0],
                "duration_ms": round(elapsed * 1000, 2),
                **state.get(LOG_STATE_KEY, {}),
            }
            access_log.info("request", extra={"guard": fields})

    def _precheck(self, scope: Scope) -> _BodyRejected | None:
        head = len(scope.get("raw_path") or b"") + len(scope.get("query_string", b""))
        head += sum(len(k) + len(v) + 4 for k, v in scope.get("headers", ()))
        if head > self.max_header_bytes:
            return _BodyRejected(
                431, "header_too_large", f"request head exceeds {self.max_header_bytes} bytes"
            )
        if scope["method"] != "POST":
            return None
        length = _header(scope, b"content-length")
        if length is not None:
            if not length.isdigit():
                return _BodyRejected(400, "invalid_request", "Content-Length is not a number")
            if int(length) > self.max_body_bytes:
                return _BodyRejected(
                    413, "payload_too_large", f"body of {int(length)} bytes exceeds {self.max_body_bytes}"
                )
        media_problem = _content_type_problem(_header(scope, b"content-type"))
        if media_problem is not None:
            return _BodyRejected(415, "unsupported_media_type", media_problem)
        return None

    def _checked_receive(self, receive: Receive, rejected: list[_BodyRejected]) -> Receive:
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        seen = [0]
        deadline: list[float] = []

        async def wrapper() -> Message:
            if not deadline:
                deadline.append(time.monotonic() + self.body_timeout_s)
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline[0] - time.monotonic()))
            except TimeoutError:
                return self._reject(rejected, 408, "request_timeout", "request body arrived too slowly")
            if message["type"] != "http.request":
                return message
            chunk: bytes = message.get("body", b"")
            seen[0] += len(chunk)
            if seen[0] > self.max_body_bytes:
                return self._reject(
                    rejected, 413, "payload_too_large", f"body exceeds {self.max_body_bytes} bytes"
                )
            try:
                decoder.decode(chunk, final=not message.get("more_body", False))
            except UnicodeDecodeError as exc:
                # Position only: the offending bytes might be part of a secret.
                where = seen[0] - len(chunk) + exc.start
                return self._reject(
                    rejected, 400, "invalid_encoding", f"body is not valid UTF-8 at byte {where}"
                )
            return message

        return wrapper

    @staticmethod
    def _reject(rejected: list[_BodyRejected], status: int, code: str, message: str) -> Message:
        error = _BodyRejected(status, code, message)
        rejected.append(error)
        raise error

    @staticmethod
    async def _send_error(send: Send, error: _BodyRejected, request_id: str) -> None:
        body = error_payload(error.code, error.message, request_id)
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"x-request-id", request_id.encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": error.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class AuthMiddleware:
    """Checks the API key *before* the body is read; stores the `Principal` in ``scope["state"]``.

    Keys come as ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``. Paths in ``open_paths``
    (health probes, docs) need no key. With an empty key ring every request is let through as
    ``ip:<client address>``, so rate limits still apply per client.
    """

    def __init__(self, app: ASGIApp, *, keyring: KeyRing, open_paths: frozenset[str]) -> None:
        self.app = app
        self.keyring = keyring
        self.open_paths = open_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        client = scope.get("client")
        anonymous = Principal(key_id=f"ip:{client[0] if client else 'unknown'}", authenticated=False)
        if not self.keyring or scope.get("path", "") in self.open_paths:
            state["principal"] = anonymous
            await self.app(scope, receive, send)
            return
        principal = self.keyring.authenticate(_presented_key(scope))
        if principal is None:
            request_id = str(state.get("request_id", ""))
            body = error_payload("unauthorized", "missing or invalid API key", request_id)
            await send(
                {
                    "type": "http.response.start",
                    "status": 401,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                        (b"www-authenticate", b'Bearer realm="guard"'),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            state.setdefault(LOG_STATE_KEY, {})["auth"] = "rejected"
            return
        state["principal"] = principal
        state.setdefault(LOG_STATE_KEY, {})["key_id"] = principal.key_id
        await self.app(scope, receive, send)


def _presented_key(scope: Scope) -> str | None:
    authorization = _header(scope, b"authorization")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return token.strip()
    return _header(scope, b"x-api-key")
