"""Where the inspector sends texts: the in-process `guard.Guard`, or a guard server over HTTP.

Both implement `Scanner.scan_many(texts, destination) -> list[ScanResult]`. Every failure — model
error, server down, timeout, bad answer — surfaces as a `guard.errors.GuardError` so the inspector
applies the policy's fail mode in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from guard.errors import GuardError, ModelError
from guard.findings import Finding

if TYPE_CHECKING:
    import httpx

    from guard.api import Guard, ScanResult
    from guard.policy import Action

__all__ = ["Scanner", "LocalScanner", "RemoteScanner"]


class Scanner(Protocol):
    """Scans a batch of texts for one destination; raises `GuardError` on any failure."""

    def scan_many(self, texts: Sequence[str], destination: str | None) -> list[ScanResult]: ...


class LocalScanner:
    """Scans in process with a loaded `guard.Guard` (thread-safe: onnxruntime sessions are)."""

    def __init__(self, guard: Guard) -> None:
        self.guard = guard

    def scan_many(self, texts: Sequence[str], destination: str | None) -> list[ScanResult]:
        try:
            return list(self.guard.scan_many(list(texts), destination=destination))
        except GuardError:
            raise
        except Exception as exc:  # onnxruntime and friends: translate at the boundary
            raise ModelError(f"scan failed: {type(exc).__name__}") from exc


def _finding(item: dict[str, Any]) -> tuple[Finding, Action]:
    finding = Finding(
        label=item["label"],
        start=int(item["start"]),
        end=int(item["end"]),
        score=float(item["score"]),
        detector=str(item["detector"]),
        metadata=dict(item.get("metadata") or {}),
    )
    action = item["action"]
    if action not in ("allow", "redact", "block", "alert"):
        raise ValueError("unknown action")
    return finding, action


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

    def scan_many(self, texts: Sequence[str], destination: str | None) -> list[ScanResult]:
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
            out = []
            for item in results:
                pairs = [_finding(f) for f in item["findings"]]
                out.append(
                    ScanResult(
                        verdict=item["verdict"],
                        findings=tuple(f for f, _ in pairs),
                        actions=tuple(a for _, a in pairs),
                        alerts=(),
                    )
                )
            return out
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError("guard server sent a malformed answer") from exc
