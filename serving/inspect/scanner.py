"""Where the inspector sends texts: the in-process `guard.Guard`, or a guard server over HTTP.

Both implement `Scanner.scan_many(texts, destination) -> list[ScanResult]`. Every failure — model
error, server down, timeout, bad answer — surfaces as a `guard.errors.GuardError` so the inspector
applies the policy's fail mode in one place.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from guard.errors import GuardError, ModelError

if TYPE_CHECKING:
    import httpx

    from guard.api import Guard, ScanResult

__all__ = ["Scanner", "LocalScanner", "RemoteScanner"]


class Scanner(Protocol):
    """Scans a batch of texts for one destination; raises `GuardError` on any failure."""

    def scan_many(
        self, texts: Sequence[str], destination: str | None, *, shallow: Sequence[bool] = ()
    ) -> list[ScanResult]:
        """Scan ``texts``; ``shallow[i]`` allows deterministic detectors only for text ``i``."""
        ...


class LocalScanner:
    """Scans in process with a loaded `guard.Guard` (thread-safe: onnxruntime sessions are).

    Results are cached by ``sha256(text)`` and destination (``cache_size`` entries, LRU): browsers
    repeat the same URLs and headers constantly. The cache holds digests and `ScanResult` s (labels
    and offsets), never the texts.

    Texts marked ``shallow`` go through the same policy and deterministic detectors without the model:
    the inspector uses it for derived views (values glued together, decoded blobs) whose text the
    model already read field by field; batching them with the full text would pad them to its
    length and double the model time.
    """

    def __init__(self, guard: Guard, *, cache_size: int = 4096) -> None:
        if cache_size < 0:
            raise ValueError("cache_size must be >= 0")
        self.guard = guard
        self._shallow_guard = replace(guard, model=None)
        self.cache_size = cache_size
        self._cache: OrderedDict[tuple[bytes, str | None, bool], ScanResult] = OrderedDict()
        self._lock = threading.Lock()

    def scan_many(
        self, texts: Sequence[str], destination: str | None, *, shallow: Sequence[bool] = ()
    ) -> list[ScanResult]:
        flags = [bool(shallow[i]) if i < len(shallow) else False for i in range(len(texts))]
        keys = [
            (hashlib.sha256(t.encode("utf-8", "surrogatepass")).digest(), destination, flag)
            for t, flag in zip(texts, flags, strict=True)
        ]
        out: list[ScanResult | None] = [None] * len(texts)
        with self._lock:
            for i, key in enumerate(keys):
                hit = self._cache.get(key)
                if hit is not None:
                    self._cache.move_to_end(key)
                    out[i] = hit
        for deep in (True, False):
            todo = [i for i, r in enumerate(out) if r is None and flags[i] != deep]
            if not todo:
                continue
            guard = self.guard if deep else self._shallow_guard
            try:
                fresh = guard.scan_many([texts[i] for i in todo], destination=destination)
            except GuardError:
                raise
            except Exception as exc:  # onnxruntime and friends: translate at the boundary
                raise ModelError(f"scan failed: {type(exc).__name__}") from exc
            with self._lock:
                for i, result in zip(todo, fresh, strict=True):
                    out[i] = result
                    if self.cache_size:
                        self._cache[keys[i]] = result
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return [r for r in out if r is not None]


class RemoteScanner:
    """Scans through a guard server's ``POST /v1/scan/batch``.

    Args:
        base_url: the server, e.g. ``http://guard.internal:8080``.
        timeout: seconds for connect + read; a timeout is a `ModelError` (→ fail mode).
        api_key: sent as ``Authorization: Bearer``.
        transport: optional httpx transport (tests, unix sockets).
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 2.0,
        api_key: str | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        import httpx

        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._httpx = httpx
        self._client = httpx.Client(base_url=base_url, timeout=timeout, headers=headers, transport=transport)

    def close(self) -> None:
        self._client.close()

    def scan_many(
        self, texts: Sequence[str], destination: str | None, *, shallow: Sequence[bool] = ()
    ) -> list[ScanResult]:
        """Every text is scanned fully on the server (its API has no shallow mode)."""
        from guard.api import ScanResult

        payload = {"texts": list(texts), "destination": destination, "channel": "proxy"}
        try:
            resp = self._client.post("/v1/scan/batch", json=payload)
        except self._httpx.TimeoutException as exc:
            raise ModelError("guard server timed out") from exc
        except self._httpx.HTTPError as exc:
            raise ModelError(f"guard server unreachable: {type(exc).__name__}") from exc
        if resp.status_code != 200:
            raise ModelError(f"guard server answered HTTP {resp.status_code}")
        try:
            results = resp.json()["results"]
            if len(results) != len(texts):
                raise ValueError("result count mismatch")
            return [ScanResult.from_dict(item) for item in results]
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError("guard server sent a malformed answer") from exc
