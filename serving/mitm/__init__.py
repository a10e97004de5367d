"""mitmproxy addon (``guard proxy``): import `serving.mitm.addon` only where mitmproxy is installed."""

from __future__ import annotations

__all__: list[str] = []
