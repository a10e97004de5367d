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
CREDIT_CARD   12-19 digits (spaces and dashes between them) that pass the Luhn check (the taxonomy's
              definition); no issuer-range rule, so 12-digit Maestro and 15-digit ``1800`` JCB
              numbers pass
BANK_ACCOUNT  at least 6 digits (account numbers, routing numbers, IBANs)
NATIONAL_ID   at least 2 digits in at least 6 characters (passport numbers such as ``C01X00T47``
              have few digits; SSN, Steuer-ID, NIR, My Number, 身份证号 have many)
EMAIL         an ``@`` (ASCII or full-width) or a spelled-out "at" (``[at]``, ``(at)``, `` at ``)
FINANCIAL     a digit, or a CJK numeral (``三千万``), and no unit of measure at its end (``3,2 Go``,
              ``6 000 m²``, ``1 284 fichiers`` are sizes and counts, not money)
INTERNAL_HOST at least 2 characters, starting with a letter, a digit or ``[`` and ending with a
              letter, a digit, ``/`` or ``]`` (``-306`` cut out of ``offsite-306`` is no host); an IP
              address (with or without port) must not be a public one: the taxonomy's internal
              addresses are the private ranges, ``51.182.58.167`` in an access log is a visitor
SECRET        at least 6 characters other than spaces, 4 of them letters or digits (``248`` and a
              table rule ``----+----`` are not credentials), and no placeholder or public material
              by the pattern table's rules (``xoxb-xxxx``, ``aaaa1111bbbb2222``, ``pk_live_…``,
              ``sha512-…``, base64 of "bar"), the same rules the deterministic detectors apply;
              no file name, package reference, path of words or code identifier with at most
              one digit (``__Pyx_PyBool_FromLong``); and not inside a certificate or public key
              block (`guard.api` drops those). Before the check, a span the model cut inside a run
              of non-space characters is completed to the end of that value (`complete_secret`)
CODENAME      it has a letter and is not a weekday or month name in one of the five languages (``Thursday``,
              ``Donnerstag``, ``jeudi``, ``木曜日``, ``星期四``): the generic model guesses code names
              from context, and those words sit in the same contexts. A company whose code name
              *is* such a word lists it in its domain pack, whose matches this check never sees.
============  =================================================================================

PHONE, NATIONAL_ID, BANK_ACCOUNT and CREDIT_CARD spans are also dropped when they are an IPv4 address
(``94.212.61.43``) or end in a unit of measure (``3839ms``, ``98462KB``): those are addresses, durations and
sizes. Other labels (PERSON, ADDRESS, CUSTOMER) have no shape.
Deterministic detectors are not filtered: their patterns and validators already check shape.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Callable

from guard.detect.patterns import default_patterns
from guard.detect.validators import luhn_checksum

__all__ = ["complete_secret", "plausible"]

_CJK_NUMERALS = frozenset("〇零一二三四五六七八九十百千万萬亿億兆两")
_SPELLED_AT = re.compile(r"\[\s*at\s*\]|\(\s*at\s*\)|\s(?:at|AT)\s", re.ASCII)


def _digits(value: str) -> int:
    return sum(1 for c in value if unicodedata.category(c) == "Nd")


def _email(value: str) -> bool:
    return "@" in value or "＠" in value or _SPELLED_AT.search(value) is not None


_MEASURE = re.compile(
    r"(?:\d|\s)(?:[kKMGTP]i?B|[kKMGT]o|bytes?|octets?|Bytes|m²|m2|km²|km|cm|mm|kg|mg|[kMG]?Wh|°[CF]|ms|"
    r"[kMG]Hz|files?|fichiers?|Dateien|lines|lignes|Zeilen|rows)\.?$"
)


def _card(value: str) -> bool:
    digits = re.sub(r"[\s\-]", "", value)
    if not digits.isascii() or not digits.isdigit() or not 12 <= len(digits) <= 19 or len(set(digits)) == 1:
        return False
    return luhn_checksum(digits)


def _financial(value: str) -> bool:
    if _MEASURE.search(value.rstrip()) is not None:
        return False
    return _digits(value) > 0 or any(c in _CJK_NUMERALS for c in value)


def _national_id(value: str) -> bool:
    return _digits(value) >= 2 and sum(1 for c in value if c.isalnum()) >= 6


_IPV4 = re.compile(r"(?:\d{1,3}\.){3}\d{1,3}")
_IP_PORT = re.compile(r"\[?(?P<ip>[0-9A-Fa-f:.]+?)\]?(?::\d{1,5})?")


def _public_ip(value: str) -> bool:
    m = _IP_PORT.fullmatch(value)
    if m is None:
        return False
    try:
        return ipaddress.ip_address(m.group("ip")).is_global
    except ValueError:
        return False


def _host(value: str) -> bool:
    if len(value) < 2:
        return False
    if not (value[0].isalnum() or value[0] == "[") or not (value[-1].isalnum() or value[-1] in "/]"):
        return False
    return not _public_ip(value)


def _number(check: Callable[[str], bool]) -> Callable[[str], bool]:
    """Wrap a digit check: never an IPv4 address, never a measurement."""

    def wrapped(value: str) -> bool:
        stripped = value.strip()
        if _IPV4.fullmatch(stripped) or _MEASURE.search(stripped) is not None:
            return False
        return check(value)

    return wrapped


_CALENDAR = frozenset(
    (
        "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri "
        "sat sun january february march april may june july august september october november "
        "december jan feb mar apr jun jul aug sep sept oct nov dec "
        "montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag januar jänner februar "
        "märz mai juni juli oktober dezember "
        "lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril juin juillet "
        "août septembre octobre novembre décembre "
        "月曜日 火曜日 水曜日 木曜日 金曜日 土曜日 日曜日 月曜 火曜 水曜 木曜 金曜 土曜 日曜 "
        "星期一 星期二 星期三 星期四 星期五 星期六 星期日 星期天 周一 周二 周三 周四 周五 周六 周日 "
        "礼拜一 礼拜二 礼拜三 礼拜四 礼拜五 礼拜六 礼拜天 一月 二月 三月 四月 五月 六月 七月 八月 九月 十月 "
        "十一月 十二月"
    ).split()
)


def _codename(value: str) -> bool:
    if not any(c.isalpha() for c in value):
        return False
    return value.strip(" .,;:!?'\"()[]").casefold() not in _CALENDAR


def _secret(value: str) -> bool:
    if sum(1 for c in value if not c.isspace()) < 6 or sum(1 for c in value if c.isalnum()) < 4:
        return False
    core = value.strip()
    if all(_not_a_credential(part) for part in core.split()):
        return False
    return not default_patterns().placeholders.match(core)


def _not_a_credential(part: str) -> bool:
    if _FILE_NAME.fullmatch(part) or _PACKAGE_REF.fullmatch(part) or _word_path(part):
        return True
    code = _IDENTIFIER.fullmatch(part) or _DOTTED.fullmatch(part)
    return code is not None and sum(c.isdigit() for c in part) <= 1


#: Not credentials, however random they look to the model: a file name (``curand_philox4x32_x.h``),
#: a package reference (``anstyle-query@1.1.4``), a path of words (``tzdata/zoneinfo/Antarctica``)
#: and a code identifier with at most one digit (``__Pyx_PyBool_FromLong``, ``XXH3_scrambleAcc``).
_FILE_NAME = re.compile(
    r"[\w.+-]+\.(?:h|hpp|c|cc|cpp|py|pyc|pyi|pyx|js|mjs|ts|go|rs|java|kt|rb|php|json|ya?ml|toml|txt|md|rst|"
    r"cfg|conf|ini|xml|html?|css|sh|pb|onnx|so|dll|dylib|o|lock|log|csv|tsv|gz|zip|tar|whl|pem|crt)"
)
_PACKAGE_REF = re.compile(r"#?[\w.-]+@\d+(?:\.\d+)+[\w.+-]*")
_IDENTIFIER = re.compile(
    r"_*[A-Za-z][A-Za-z0-9]*(?:_+[A-Za-z0-9]+)+|[a-z]+(?:[A-Z][a-z0-9]+)+|[A-Z][a-z]+(?:[A-Z][a-z0-9]+)+"
)
_DOTTED = re.compile(r"(?:[A-Za-z_][A-Za-z0-9_]*\.)+[A-Za-z_][A-Za-z0-9_]*(?:\(\))?")
_PATH_PIECE = re.compile(r"[a-z][a-z0-9_.-]*|[A-Z][a-z]+[a-z0-9_.-]*")


def _word_path(value: str) -> bool:
    pieces = value.strip("/").split("/")
    edged = value.startswith("/") or value.endswith("/")  # a piece of a path: "/zoneinfo/Europe"
    return (
        len(pieces) >= (1 if edged else 3)
        and all(_PATH_PIECE.fullmatch(p) for p in pieces)
        and sum(c.isdigit() for c in value) <= 2
    )


_CHECKS: dict[str, Callable[[str], bool]] = {
    "PHONE": _number(lambda v: _digits(v) >= 6),
    "CREDIT_CARD": _number(_card),
    "BANK_ACCOUNT": _number(lambda v: _digits(v) >= 6),
    "NATIONAL_ID": _number(_national_id),
    "EMAIL": _email,
    "FINANCIAL": _financial,
    "INTERNAL_HOST": _host,
    "SECRET": _secret,
    "CODENAME": _codename,
}


#: Where a credential in running text ends: whitespace, a quote or backtick, CJK text or fullwidth
#: forms, or the next field of a form body or query string (``&user=``).
_VALUE_END = re.compile(r"[\s\"'`\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]|&[A-Za-z_][A-Za-z0-9_.-]{0,64}=")
#: Sentence punctuation and closing brackets after a value, not part of it.
_TRAILING = frozenset(".,;:!?)]}>»")
#: The longest tail a model span is completed by; a longer run is left as the model cut it.
_MAX_COMPLETION = 256


def complete_secret(text: str, start: int, end: int) -> int:
    """The end of the model's SECRET span ``text[start:end]`` completed to the end of its value.

    The model labels words, and a password full of symbols (``0bMtnB6fOE!<:gHA8``) splits into many
    tokens; it sometimes stops at one of them and leaves the rest of the credential in the clear. A
    credential has no space in it, so a span that ends inside a run of non-space characters is
    carried to the end of that run (`_VALUE_END`), less sentence punctuation at its end; the
    characters the model did label are never taken away.
    """
    if start >= end or end >= len(text) or _VALUE_END.match(text, end):
        return end
    stop = _VALUE_END.search(text, end, min(len(text), end + _MAX_COMPLETION + 1))
    if stop is None:
        if len(text) - end > _MAX_COMPLETION:
            return end
        new = len(text)
    else:
        new = stop.start()
    while new > end and text[new - 1] in _TRAILING:
        new -= 1
    return new


def plausible(label: str, value: str) -> bool:
    """Whether ``value`` can be a value of ``label`` (always True for labels without a shape)."""
    check = _CHECKS.get(label)
    return check is None or check(value)
