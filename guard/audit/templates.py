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
``ip``          public IPv4 addresses (``is_global``)                no label covers a public address;
                                                                    private ones stay (INTERNAL_HOST)
``num``         1-5 digit numbers with a unit (``12ms``, ``3.4s``,  durations, sizes, counters and
                ``512KB``) or after a technical key (``status=``,    internal record ids; never next to
                ``port=``, ``took`` ...); up to 9 digits after a     a currency sign or ``%``, within 32
                counter/record-id key (``offset=``, ``rows=``,       chars after a money word, or joined
                ``user_id=``); 10+ digits stay (phone, My Number) to other digits
``clf``         status and byte count of an access log line         the Common/Combined Log Format
                (``"GET /a HTTP/1.1" 200 5123``); bytes up to 7     defines both fields; no money
                digits (a status and 8 digits read as a CN mobile)  rule (``/invoices`` says nothing
                                                                    of a byte count)
==============  ==================================================  =====================================

Everything else stays verbatim: words, names, hosts, private IPs, e-mails, long digit runs, hex or
base64 tokens without an id key. The full guard (detectors and model) scans the template; its verdict
is reused for a raw line only when none of its findings touches a placeholder (`Template.map_span`),
otherwise the raw line is scanned. That the *detectors* see exactly the same hits on the raw line as
on the template is a property of this table and the pattern table, checked for every masked kind by
``tests/guard/audit/test_templates.py`` against the real detectors.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

__all__ = ["COUNTER_KEYS", "ID_KEYS", "PLACEHOLDERS", "TECH_KEYS", "Template", "mask"]

#: Representative value substituted for each masked kind.
PLACEHOLDERS: dict[str, str] = {
    "ts": "2000-01-01T00:00:00Z",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "traceid": "0000000000000000",
    "num": "0",
    "ip": "8.8.8.8",
    "clf": "200 0",
}

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
#: Keys whose small numeric values are technical (never money, codes, ids of people or accounts).
TECH_KEYS: frozenset[str] = frozenset(
    "status http_status port pid tid thread line lineno size bytes len length count took duration elapsed "
    "latency time_ms ms retries retry attempt shard partition offset worker version rows items batch queue "
    "depth conns connections threads fd exit rc errno step epoch seq chunk page limit timeout ttl took_ms "
    "cpu mem heap gc uptime hits misses rt request_time upstream_time".split()
)
#: Keys whose values are counters or internal record ids: numbers of up to 9 digits are masked
#: (10+ digits can read as a CN mobile number or a My Number to the detectors).
COUNTER_KEYS: frozenset[str] = frozenset(
    "offset rows items count seq bytes size user_id uid order_id product_id item_id job_id task_id event_id "
    "msg_id message_id thread_id session_count page_id post_id".split()
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
    r"(?P<keynum>\d{1,12}(?:\.\d{1,6})?)(?![\w%./:\-]|,\d| ?\d| ?(?:[kKmMbB]n?\b|USD|EUR|%)))"
)
_IP = r"(?<![\w.])(?P<ip>(?:\d{1,3}\.){3}\d{1,3})(?![\w.])"
_UNIT = r"(?<![\w$€£¥+.,/:\-])(?P<unit>\d{1,5}(?:\.\d{1,6})?)(?=(?:ms|us|µs|ns|s|[kKMG]i?B|B|bytes)\b)"
_BRACKET = r"\[(?P<bracket>\d{1,5})\]"
# status and bytes sent right after the quoted request line of a Common/Combined Log Format line
_CLF = r'(?:(?<=HTTP/\d\.\d" )|(?<=HTTP/\d" ))(?P<clf>[1-5]\d\d \d{1,7})(?![\w.,:/\-])'
_WITH_IDS = re.compile("|".join((_TS, _UUID, _IP, _CLF, _KEYNUM, _UNIT, _BRACKET)))
_NO_IDS = re.compile("|".join((_TS, _IP, _CLF, _KEYNUM, _UNIT, _BRACKET)))
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
        start, end = match.span(_group(match))
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


def _group(match: re.Match[str]) -> str:
    for group in ("ts", "uuid", "ip", "clf", "hex", "keynum", "unit", "bracket"):
        if group in match.re.groupindex and match.group(group) is not None:
            return group
    raise AssertionError("no group matched")


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
    if match.group("clf") is not None:
        return "clf"  # fields of the log format itself: the money rule does not apply
    ip = match.group("ip")
    if ip is not None:
        # Only public addresses: a private one is an INTERNAL_HOST finding and must stay visible.
        try:
            return "ip" if ipaddress.IPv4Address(ip).is_global else None
        except ValueError:
            return None
    key = match.group("key")
    if key is not None:
        key = key.lower()
        value = match.group("hex") or match.group("keynum")
        if not value.replace(".", "", 1).isdigit():
            return "traceid" if ids and key in ID_KEYS else None
        digits = len(value.split(".")[0])
        if not (key in TECH_KEYS and digits <= 5 or key in COUNTER_KEYS and digits <= 9):
            return None
    if _MONEY.search(text, max(0, match.start() - 32), match.start()) is not None:
        return None
    return "num"
