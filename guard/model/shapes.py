"""Shape checks for model spans of structured labels: a span that cannot be such a value is dropped.

The model reads context well but, on short isolated fields (a JSON value such as ``"offsite-243"``), it
can tag a fragment like ``-243`` as a PHONE with high confidence. Phone numbers, card numbers, account
numbers and national ids all have a minimum number of digits, and an e-mail address has an ``@``;
a model span of such a label that lacks them is not a leak of that kind, whatever its score.

The floors are the shortest real values of each kind, so no valid value is rejected:

============  =================================================================================
label         a model span is kept when
============  =================================================================================
PHONE         it has at least 6 digits (the shortest subscriber numbers; the taxonomy's version
              strings and order numbers are mostly shorter)
CREDIT_CARD   at least 12 digits (PANs have 12-19; a 4-digit "last four" is not a card number)
BANK_ACCOUNT  at least 6 digits (account numbers, routing numbers, IBANs)
NATIONAL_ID   at least 2 digits in at least 6 characters (passport numbers such as ``C01X00T47``
              have few digits; SSN, Steuer-ID, NIR, My Number, 身份证号 have many)
EMAIL         an ``@`` (ASCII or full-width) or a spelled-out "at" (``[at]``, ``(at)``, `` at ``)
FINANCIAL     a digit, or a CJK numeral (``三千万``)
INTERNAL_HOST it starts with a letter, a digit or ``[`` and ends with a letter, a digit, ``/`` or
              ``]`` (host names, IPs and URLs do; ``-306`` cut out of ``offsite-306`` does not)
============  =================================================================================

Other labels (PERSON, ADDRESS, SECRET, CODENAME, CUSTOMER) have no such shape.
Deterministic detectors are not filtered: their patterns and validators already check shape.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

__all__ = ["plausible"]

_CJK_NUMERALS = frozenset("〇零一二三四五六七八九十百千万萬亿億兆两")
_SPELLED_AT = re.compile(r"\[\s*at\s*\]|\(\s*at\s*\)|\s(?:at|AT)\s", re.ASCII)


def _digits(value: str) -> int:
    return sum(1 for c in value if unicodedata.category(c) == "Nd")


def _email(value: str) -> bool:
    return "@" in value or "＠" in value or _SPELLED_AT.search(value) is not None


def _financial(value: str) -> bool:
    return _digits(value) > 0 or any(c in _CJK_NUMERALS for c in value)


def _national_id(value: str) -> bool:
    return _digits(value) >= 2 and sum(1 for c in value if c.isalnum()) >= 6


def _host(value: str) -> bool:
    if not value:
        return False
    return (value[0].isalnum() or value[0] == "[") and (value[-1].isalnum() or value[-1] in "/]")


_CHECKS: dict[str, Callable[[str], bool]] = {
    "PHONE": lambda v: _digits(v) >= 6,
    "CREDIT_CARD": lambda v: _digits(v) >= 12,
    "BANK_ACCOUNT": lambda v: _digits(v) >= 6,
    "NATIONAL_ID": _national_id,
    "EMAIL": _email,
    "FINANCIAL": _financial,
    "INTERNAL_HOST": _host,
}


def plausible(label: str, value: str) -> bool:
    """Whether ``value`` can be a value of ``label`` (always True for labels without a shape)."""
    check = _CHECKS.get(label)
    return check is None or check(value)
