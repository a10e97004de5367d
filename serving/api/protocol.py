"""The HTTP/1.1 protocol `guard serve` runs: uvicorn's h11 protocol with bounded request heads.

uvicorn bounds neither the time a client may take to send a request head nor, with its default
httptools parser, the head's size (a 100 KB header was accepted). Here h11 caps the head at
``max_header_bytes`` (uvicorn answers 400 above it) and a timer closes a connection whose head is
not complete ``head_timeout_s`` after the connection opened or after the previous response, so
slow-header clients do not hold connections open. The body has its own deadline
(`serving.api.middleware`).
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["head_deadline_protocol"]


class _HeadDeadlineH11(H11Protocol):
    head_timeout_s: float = 10.0
    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def handle_events(self) -> None:
        before = self.cycle
        super().handle_events()
        if self.cycle is not before and self._head_timer is not None:  # a request head came in whole
            self._head_timer.cancel()
            self._head_timer = None

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_head_timer()  # the next request's head has the same deadline

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        super().connection_lost(exc)

    def _arm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        self._head_timer = self.loop.call_later(self.head_timeout_s, self._head_late)

    def _head_late(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            self.logger.info("closing a connection whose request head did not arrive in time")
            self.transport.close()


def head_deadline_protocol(head_timeout_s: float) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol class with a request-head deadline of ``head_timeout_s`` seconds."""
    return type("GuardH11Protocol", (_HeadDeadlineH11,), {"head_timeout_s": head_timeout_s})
