"""Log-template masking: the safe shortcut that lets the model scan each log *template* once.

Real logs repeat the same message shapes with values that change on every line (timestamps, request
ids, durations, status codes). `mask(text)` replaces only values that **cannot be sensitive under the
taxonomy** with a fixed representative value of the same kind, so the model sees in-distribution text:

==============  ==================================================  =====================================
kind            what                                                why it cannot be a finding
==============  ==================================================  =====================================
``ts``          ISO-8601 / RFC 3339 / Apache / syslog timestamps    no label covers a time of logging
``uuid``        canonical 8-4-4-4-12 UUIDs with at most one inner    taxonomy: "UUIDs are not SECRET";
                all-digit group                                     digit groups could read as a phone
``traceid``     hex after ``trace``/``span``/``request``/           correlation ids; the key names them
                ``correlation`` id keys
``num``         1-5 digit numbers with a unit (``12ms``, ``3.4s``,  durations and sizes; never a card,
                ``512KB``) or after a technical key (``status=``,    account, id or phone (those are
                ``port=``, ``pid=``, ``took``, ``line`` ...), never  longer or carry other keys), and
                next to a currency sign, ``%``, or within 32 chars   money context keeps its digits
                after a money word
==============  ==================================================  =====================================

Everything else stays verbatim: words, names, hosts, IPs, e-mails, long digit runs, hex or base64
tokens without an id key. The deterministic detectors always run on the *raw* line, so a value that is
itself a leak is still caught there; the model's verdict on the template is reused only when none of
its findings touches a placeholder (see `Template.map_span`), otherwise the raw line is scanned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ID_KEYS", "PLACEHOLDERS", "TECH_KEYS", "Template", "mask"]

#: Representative value substituted for each masked kind.
PLACEHOLDERS: dict[str, str] = {
    "ts": "2000-01-01T00:00:00Z",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "traceid": "0000000000000000",
    "num": "0",
}
_KIND = {"ts": "ts", "uuid": "uuid", "traceid": "traceid", "numu": "num", "numk": "num", "numb": "num"}

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
#: Keys whose small numeric values are technical (never money, codes, ids of people or accounts).
TECH_KEYS: frozenset[str] = frozenset(
    "status http_status port pid tid thread line lineno size bytes len length count took duration elapsed "
    "latency time_ms ms retries retry attempt shard partition offset worker version rows items batch queue "
    "depth conns connections threads fd exit rc errno step epoch seq chunk page limit timeout ttl took_ms "
    "cpu mem heap gc uptime hits misses".split()
)
#: Keys whose hex values are correlation ids.
ID_KEYS: frozenset[str] = frozenset(
    "trace_id traceid trace-id span_id spanid span-id request_id requestid request-id req_id reqid req-id "
    "correlation_id correlationid correlation-id".split()
)
_MONEY_WORDS = (
    r"revenue|margin|salary|salaries|budget|forecast|deal|price|pricing|cost|arr|mrr|bonus|ebitda|"
    r"profit|loss|amount|payment|invoice|valuation|usd|eur|gbp|jpy|cny|chf|dollars?|euros?|"
    r"gehalt|umsatz|kosten|preis|chiffre|salaire|prix|montant|売上|給与|予算|利益|收入|工资|预算|利润"
)
_TS = (
    rf"(?P<ts>(?<![\w-])\d{{4}}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:[.,]\d{{1,9}})?)?)?"
    r"(?:Z|[+-]\d\d:?\d\d| ?UTC)?"
    rf"(?![\w-])|\d\d/{_MONTH}/\d{{4}}:\d\d:\d\d:\d\d(?: [+-]\d{{4}})?|{_MONTH}  ?\d\d? \d\d:\d\d:\d\d"
    r"|(?<![\w:.])\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?![\w:]))"
)
_UUID = (
    r"(?P<uuid>(?<![\w-])[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-]))"
)
_KEYNUM = (
    r"(?<![A-Za-z_-])(?P<key>[A-Za-z_-]{1,40})(?:=|: ?| |=\"|\": ?\"?)(?:(?P<hex>[0-9a-fA-F]{8,64}(?![\w-]))|"
    r"(?P<keynum>\d{1,5}(?:\.\d{1,6})?)(?![\w%./:\-]|,\d| ?\d| ?(?:[kKmMbB]n?\b|USD|EUR|%)))"
)
_UNIT = r"(?<![\w$€£¥+.,/:\-])(?P<unit>\d{1,5}(?:\.\d{1,6})?)(?=(?:ms|us|µs|ns|s|[kKMG]i?B|B|bytes)\b)"
_BRACKET = r"\[(?P<bracket>\d{1,5})\]"
_WITH_IDS = re.compile("|".join((_TS, _UUID, _KEYNUM, _UNIT, _BRACKET)))
_NO_IDS = re.compile("|".join((_TS, _KEYNUM, _UNIT, _BRACKET)))
_MONEY = re.compile(rf"(?i:{_MONEY_WORDS})|[$€£¥]")


@dataclass(frozen=True, slots=True)
class Template:
    """A masked text and where its placeholders are.

    Attributes:
        text: the template text (placeholders substituted).
        slots: ``(template_start, template_end, raw_start, raw_end)`` of each placeholder, in order.
    """

    text: str
    slots: tuple[tuple[int, int, int, int], ...]

    def map_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Map a span of the template to the raw text, or None when it touches a placeholder.

        A span that overlaps or touches a placeholder depends on a masked value, so the model must see
        the raw text instead; any other span lies in text that every line of this template shares.
        """
        shift = 0
        for t_start, t_end, r_start, r_end in self.slots:
            if start <= t_end and end >= t_start:
                return None
            if t_end <= start:
                shift += (r_end - r_start) - (t_end - t_start)
        return start + shift, end + shift


def mask(text: str, ids: bool = True) -> Template:
    """Return the template of ``text`` (see the module docstring for what is masked and why).

    Args:
        text: the raw text.
        ids: also mask UUIDs and correlation ids; the scanner turns this off when the text mentions a
            keyword of a detector pattern that can match an id.
    """
    pieces: list[str] = []
    slots: list[tuple[int, int, int, int]] = []
    last = 0
    out_len = 0
    for match in (_WITH_IDS if ids else _NO_IDS).finditer(text):
        kind = _kind(match, text, ids)
        if kind is None:
            continue
        start, end = match.span(_GROUP[kind] if kind != "num" else _num_group(match))
        placeholder = PLACEHOLDERS[kind]
        pieces.append(text[last:start])
        out_len += start - last
        slots.append((out_len, out_len + len(placeholder), start, end))
        pieces.append(placeholder)
        out_len += len(placeholder)
        last = end
    if not slots:
        return Template(text, ())
    pieces.append(text[last:])
    return Template("".join(pieces), tuple(slots))


_GROUP = {"ts": "ts", "uuid": "uuid", "traceid": "hex"}


def _num_group(match: re.Match[str]) -> str:
    for group in ("keynum", "unit", "bracket"):
        if match.group(group) is not None:
            return group
    raise AssertionError("not a number match")


def _kind(match: re.Match[str], text: str, ids: bool) -> str | None:
    if match.group("ts") is not None:
        return "ts"
    uuid = match.group("uuid") if ids else None
    if uuid is not None:
        # All-digit groups can join neighbouring digits into a phone or national id ("0410-4620",
        # "port=5801 01708671-..."): keep such UUIDs raw.
        groups = uuid.split("-")
        digit_groups = sum(1 for group in groups if group.isdigit())
        return "uuid" if digit_groups <= 1 and not groups[0].isdigit() and not groups[-1].isdigit() else None
    key = match.group("key")
    if key is not None:
        if match.group("hex") is not None:
            return "traceid" if ids and key.lower() in ID_KEYS else None
        if key.lower() not in TECH_KEYS:
            return None
    if _MONEY.search(text, max(0, match.start() - 32), match.start()) is not None:
        return None
    return "num"
