"""Request inspection shared by the ICAP server and the mitmproxy addon (proxy-agnostic).

Adapters convert their native request to `HttpRequest`, call `Inspector.inspect`, and apply the
`Outcome`: forward unchanged, forward the rewritten request, or answer with the block response.
"""

from __future__ import annotations

from serving.inspect.blockpage import COACH_HOST, COACH_URL, BlockPages, BlockResponse
from serving.inspect.destinations import DEFAULT_STRICT, DestinationRules
from serving.inspect.http import HttpRequest
from serving.inspect.incidents import Incident, IncidentLog
from serving.inspect.inspector import InspectConfig, Inspector, Outcome
from serving.inspect.scanner import LocalScanner, RemoteScanner, Scanner

__all__ = [
    "COACH_HOST",
    "COACH_URL",
    "DEFAULT_STRICT",
    "BlockPages",
    "BlockResponse",
    "DestinationRules",
    "HttpRequest",
    "Incident",
    "IncidentLog",
    "InspectConfig",
    "Inspector",
    "LocalScanner",
    "Outcome",
    "RemoteScanner",
    "Scanner",
]
