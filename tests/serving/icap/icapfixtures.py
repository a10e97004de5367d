"""An `IcapServer` on its own event loop thread, for the ICAP tests."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from serving.icap.server import IcapServer

__all__ = ["serving_icap"]


@contextmanager
def serving_icap(server: IcapServer) -> Iterator[tuple[int, list[dict[str, object]]]]:
    """Serve on 127.0.0.1 (a free port) until the block ends; yields the port and the loop's
    unhandled-exception reports (an unhandled error in a connection lands there)."""
    loop = asyncio.new_event_loop()
    port = loop.run_until_complete(server.start("127.0.0.1", 0))
    errors: list[dict[str, object]] = []
    loop.set_exception_handler(lambda _loop, ctx: errors.append(ctx))
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield port, errors
    finally:
        asyncio.run_coroutine_threadsafe(server.close(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
