"""Random strings matching a regular expression (for company secret formats given as regexes).

Supports the constructs secret formats use: literals, classes and ranges, ``\\d \\w \\s``, ``.``,
groups, alternation and bounded/unbounded repeats (unbounded ones get at most 16 extra repetitions).
"""

from __future__ import annotations

import random
import re
import string
from typing import Any

try:  # Python 3.11+: the parser is re._parser (sre_parse is deprecated)
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef,unused-ignore]

__all__ = ["sample_regex"]

_CATEGORIES = {
    "CATEGORY_DIGIT": string.digits,
    "CATEGORY_WORD": string.ascii_letters + string.digits + "_",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_DIGIT": string.ascii_letters,
    "CATEGORY_NOT_WORD": "-.",
    "CATEGORY_NOT_SPACE": string.ascii_letters + string.digits,
}
_PRINTABLE = string.ascii_letters + string.digits + "-_."


def sample_regex(pattern: str, rng: random.Random, max_extra: int = 16) -> str:
    """A random string that ``re.fullmatch(pattern, s)`` accepts.

    Raises:
        ValueError: the pattern is invalid or uses an unsupported construct (look-around, back-reference),
            or no sample matched after a few tries.
    """
    try:
        parsed = sre_parse.parse(pattern)
    except re.error as exc:
        raise ValueError(f"invalid regex: {exc}") from None
    compiled = re.compile(pattern)
    for _ in range(20):
        value = _emit(parsed, rng, max_extra)
        if compiled.fullmatch(value):
            return value
    raise ValueError("could not sample a matching string (unsupported construct?)")


def _class_chars(items: list[tuple[Any, Any]]) -> str:
    chars: list[str] = []
    negate = False
    for op, av in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            chars.append(chr(av))
        elif name == "RANGE":
            chars.extend(chr(c) for c in range(av[0], av[1] + 1))
        elif name == "CATEGORY":
            chars.extend(_CATEGORIES.get(str(av), ""))
    if negate:
        excluded = set(chars)
        return "".join(c for c in _PRINTABLE if c not in excluded)
    return "".join(chars)


def _emit(parsed: Any, rng: random.Random, max_extra: int) -> str:
    out: list[str] = []
    for op, av in parsed:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(av))
        elif name == "NOT_LITERAL":
            out.append(rng.choice([c for c in _PRINTABLE if c != chr(av)]))
        elif name == "ANY":
            out.append(rng.choice(_PRINTABLE))
        elif name == "IN":
            out.append(rng.choice(_class_chars(av) or _PRINTABLE))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            lo, hi, sub = av
            hi = lo + max_extra if hi == sre_parse.MAXREPEAT else hi
            out.extend(_emit(sub, rng, max_extra) for _ in range(rng.randint(lo, max(lo, hi))))
        elif name == "SUBPATTERN":
            out.append(_emit(av[-1], rng, max_extra))
        elif name == "BRANCH":
            out.append(_emit(rng.choice(av[1]), rng, max_extra))
        elif name == "AT":
            continue
        elif name == "CATEGORY":
            out.append(rng.choice(_CATEGORIES.get(str(av), _PRINTABLE)))
        else:
            raise ValueError(f"unsupported regex construct {name}")
    return "".join(out)
