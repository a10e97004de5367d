"""The HTTP inference server (`guard serve`): FastAPI app with micro-batching, auth, metrics.

Import cost: this package imports fastapi and prometheus-client (the ``serve`` extra).
"""

from __future__ import annotations

from serving.api.app import create_app, load_settings
from serving.api.auth import generate_api_key, hash_api_key
from serving.api.settings import ServeSettings

__all__ = ["create_app", "load_settings", "ServeSettings", "hash_api_key", "generate_api_key"]
