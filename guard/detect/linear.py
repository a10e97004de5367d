"""Linear-time regular expressions for patterns that come from configuration.

Domain packs and policies carry regexes written by whoever deploys guard. Python's `re` backtracks:
``(a+)+b`` against a line of ``a`` runs for hours and holds the GIL, which stalls a proxy. Such
patterns are compiled with RE2 (`google-re2`), whose matching time is linear in the text. RE2 has
no backreferences and no lookaround; a configured pattern that needs them is refused when the pack
or policy loads, with the reason.
"""

from __future__ import annotations

import re
from typing import Any

import re2

__all__ = ["compile_linear"]

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # the error is raised to the caller, not printed to stderr


def compile_linear(pattern: str) -> Any:
    """Compile ``pattern`` with RE2 (same ``finditer``/``fullmatch``/``search`` API as `re`).

    Raises:
        ValueError: the pattern is invalid or uses what RE2 cannot match in linear time
            (backreferences, lookahead, lookbehind).
    """
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"invalid regex: {exc}") from None
    try:
        return re2.compile(pattern, options=_OPTIONS)
    except re2.error as exc:
        reason = exc.args[0].decode(errors="replace") if exc.args and isinstance(exc.args[0], bytes) else exc
        raise ValueError(
            f"regex not usable in linear time ({reason}); rewrite it without backreferences or lookaround"
        ) from None
