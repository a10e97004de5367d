"""Network adapters around the `guard` core: HTTP API server, ICAP server, mitmproxy addon.

Each subpackage imports its heavy dependencies (fastapi, mitmproxy) itself, so importing
``serving`` alone stays cheap.
"""

from __future__ import annotations

__all__: list[str] = []
