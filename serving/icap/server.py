"""An asyncio ICAP/1.0 REQMOD server (RFC 3507) in front of the `Inspector`, for Squid.

Per connection it serves any number of requests (Squid keeps ICAP connections alive):

* ``OPTIONS`` → methods, ISTag, ``Allow: 204``, ``Preview``, ``Transfer-Preview: *``.
* ``REQMOD`` → reads the encapsulated HTTP request; with ``Preview: n`` it reads the preview and, unless
  the last chunk said ``ieof``, answers ``100 Continue`` and reads the rest (the guard always needs the
  whole body). Then: pass → ``204`` when the client sent ``Allow: 204`` or the whole body came in the
  preview, else ``200`` echoing the request; redact → ``200`` with the rewritten request; block →
  ``200`` with an encapsulated HTTP 403 response (the block page).

Inspection runs in a thread pool, never on the event loop, within a per-request budget. Anything
unexpected while inspecting, or a request over budget, is treated by the fail mode (closed by
default: the request is blocked).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from concurrent.futures import ThreadPoolExecutor
from email.utils import formatdate

from serving.icap.protocol import (
    IcapError,
    IcapRequest,
    chunked,
    icap_response,
    parse_encapsulated,
    parse_http_request,
    parse_icap_head,
    read_chunked,
    serialize_http_request,
    serialize_http_response,
)
from serving.inspect.http import HttpRequest
from serving.inspect.inspector import Inspector, Outcome

__all__ = ["IcapServer"]

log = logging.getLogger("guard.icap")

_MAX_HEAD = 65_536
#: Largest encapsulated HTTP request head (request line + headers) accepted.
_MAX_HTTP_HEAD = 262_144


class IcapServer:
    """Serves REQMOD at ``icap://host:port/<service>``.

    Args:
        inspector: makes the decisions.
        service: the service path (``reqmod``).
        istag: the service tag; change it when the model or policy changes (max 32 chars).
        preview: preview size advertised in OPTIONS.
        workers: inspection threads.
        idle_timeout_s: a connection with no request starting within this time is closed.
        message_timeout_s: one ICAP message must arrive whole within this time (slow senders).
    """

    def __init__(
        self, inspector: Inspector, *, service: str = "reqmod", istag: str = "guard-1", preview: int = 4096,
        workers: int = 4, idle_timeout_s: float = 120.0, message_timeout_s: float = 60.0,
    ) -> None:  # fmt: skip
        if not 0 < len(istag) <= 32 or '"' in istag:
            raise ValueError("istag must be 1-32 characters without quotes")
        self.inspector = inspector
        self.service = service.strip("/")
        self.istag = f'"{istag}"'
        self.preview = preview
        self.idle_timeout_s = idle_timeout_s
        self.message_timeout_s = message_timeout_s
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="guard-icap")
        self._server: asyncio.Server | None = None

    async def start(self, host: str, port: int) -> int:
        """Listen; returns the bound port (useful with ``port=0``)."""
        self._server = await asyncio.start_server(self._connection, host, port, limit=_MAX_HEAD)
        return int(self._server.sockets[0].getsockname()[1])

    async def serve_forever(self) -> None:
        if self._server is None:
            raise RuntimeError("call start() first")
        async with self._server:
            await self._server.serve_forever()

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _headers(self, *extra: tuple[str, str]) -> list[tuple[str, str]]:
        return [("ISTag", self.istag), ("Date", formatdate(usegmt=True)), ("Server", "guard-icap"), *extra]

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    async with asyncio.timeout(self.idle_timeout_s):
                        first = await reader.readexactly(1)  # idle until a request starts
                    async with asyncio.timeout(self.message_timeout_s):
                        head = first + await reader.readuntil(b"\r\n\r\n")
                except asyncio.IncompleteReadError:
                    break  # client closed between requests
                except asyncio.LimitOverrunError:
                    self._error(writer, IcapError(400, "ICAP header block too large"))
                    break
                keep_open = await self._one(head, reader, writer)
                await writer.drain()
                if not keep_open:
                    break
        except TimeoutError:
            log.info("ICAP connection closed: idle or too slow")
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            log.info("ICAP connection dropped: %s", type(exc).__name__)
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def _one(self, head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        try:
            req = parse_icap_head(head)
            if req.service != self.service:
                raise IcapError(404, "unknown ICAP service")
            if req.method == "OPTIONS":
                writer.write(self._options())
            elif req.method == "REQMOD":
                # the body may be long; slow senders are bounded by the message timeout, per message
                try:
                    async with asyncio.timeout(self.message_timeout_s):
                        answer = await self._reqmod(req, reader, writer)
                except TimeoutError as exc:
                    raise IcapError(408, "request not received in time") from exc
                writer.write(answer)
            else:
                raise IcapError(501 if req.method in ("RESPMOD",) else 405, "method not supported")
        except IcapError as exc:
            self._error(writer, exc)
            return False
        return req.headers.get("connection", "").lower() != "close"

    def _error(self, writer: asyncio.StreamWriter, exc: IcapError) -> None:
        log.info("ICAP error %d: %s", exc.status, exc)
        writer.write(icap_response(exc.status, self._headers(("Encapsulated", "null-body=0"))))

    def _options(self) -> bytes:
        return icap_response(
            200,
            self._headers(
                ("Methods", "REQMOD"), ("Service", "guard sensitive-data guard"), ("Max-Connections", "1000"),
                ("Options-TTL", "3600"), ("Allow", "204"), ("Preview", str(self.preview)),
                ("Transfer-Preview", "*"), ("Encapsulated", "null-body=0"),
            ),
        )  # fmt: skip

    async def _reqmod(
        self, req: IcapRequest, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bytes:
        sections = parse_encapsulated(req.headers.get("encapsulated"))
        names = [name for name, _ in sections]
        if names[0] != "req-hdr" or len(names) != 2 or names[1] not in ("req-body", "null-body"):
            raise IcapError(400, "REQMOD needs req-hdr and req-body or null-body")
        if sections[1][1] > _MAX_HTTP_HEAD:
            raise IcapError(400, "encapsulated HTTP head too large")
        http_head = await reader.readexactly(sections[1][1])
        keep = self.inspector.config.max_body + 1  # one byte more than the limit marks "oversize"
        body, whole_in_preview = b"", False
        preview = req.preview
        if names[1] == "req-body":
            body, ieof, _ = await read_chunked(reader, keep)
            if preview is not None and not ieof:
                # The guard needs the whole body: ask for the rest.
                writer.write(icap_response(100, []))
                await writer.drain()
                rest, _, _ = await read_chunked(reader, keep - len(body))
                body += rest
            whole_in_preview = preview is not None and ieof
        client = req.headers.get("x-client-username") or req.headers.get("x-client-ip")
        request, target = parse_http_request(http_head, body, client)
        outcome = await self._inspect(request)
        return self._answer(
            req, outcome, request, target, http_head, allow_204=req.allow_204 or whole_in_preview
        )

    async def _inspect(self, request: HttpRequest) -> Outcome:
        if request.method == "CONNECT" and not request.body:
            return Outcome("pass", request, "tunnel")  # a CONNECT with a body is inspected like any request
        return await self.inspector.inspect_async(request, executor=self._pool)

    def _answer(
        self, req: IcapRequest, outcome: Outcome, original: HttpRequest, target: str, http_head: bytes,
        *, allow_204: bool,
    ) -> bytes:  # fmt: skip
        if outcome.response is not None:
            resp = outcome.response
            head = serialize_http_response(resp.status, resp.headers)
            return icap_response(
                200,
                self._headers(("Encapsulated", f"res-hdr=0, res-body={len(head)}")),
                head + chunked(resp.body),
            )
        if outcome.action == "pass" and allow_204:
            return icap_response(204, self._headers(("Encapsulated", "null-body=0")))
        if outcome.action == "pass":
            head, body = http_head, original.body
        else:
            head, body = serialize_http_request(outcome.request, target), outcome.request.body
        if body or original.body:
            encap = f"req-hdr=0, req-body={len(head)}"
            return icap_response(200, self._headers(("Encapsulated", encap)), head + chunked(body))
        return icap_response(200, self._headers(("Encapsulated", f"req-hdr=0, null-body={len(head)}")), head)
