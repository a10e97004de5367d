"""Constants shared by the server tests (fixture texts and the test API key)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

__all__ = ["AWS_KEY", "CARD", "API_KEY", "SECRET_TEXT", "AppFactory"]

#: Type of the ``serve`` fixture: ``async with serve(**settings) as (app, client)``.
AppFactory = Callable[..., contextlib.AbstractAsyncContextManager[tuple[Any, Any]]]

#: Fake AWS access key id (right format, not a real key).
AWS_KEY = "AKIA" + "QYLPMN5HHHFPZAM2"  # gitleaks:allow (fake, real format)
#: Luhn-valid test card number.
CARD = "4111 1111 1111 1111"  # gitleaks:allow
API_KEY = "test-api-key-" + "0123456789abcdef"  # gitleaks:allow
SECRET_TEXT = f"deploy with {AWS_KEY} and bill card {CARD} please"
