"""Checksum and format validators: small pure functions ``(value: str) -> bool``, looked up by name.

``patterns.yaml`` names a validator per entry; :data:`VALIDATORS` is the registry. Each function
accepts the matched text as it appears (with spaces or dashes where the format allows them) and
returns whether it is a plausible real value. None of them raise on any ``str`` input.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import ipaddress
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping
from types import MappingProxyType

__all__ = [
    "CHECKSUMS",
    "VALIDATORS",
    "aba_routing",
    "basic_auth",
    "cn_resident_id",
    "crc32_base62",
    "de_id_card",
    "de_steuer_id",
    "de_sv_nummer",
    "email",
    "es_dni",
    "fr_nir",
    "high_entropy",
    "iban",
    "jp_my_number",
    "jwt",
    "luhn",
    "luhn_checksum",
    "macaroon_v2",
    "nl_bsn",
    "password_like",
    "phone",
    "private_ip",
    "shannon_entropy",
    "uk_nino",
    "us_ssn",
]

_SEPARATORS = re.compile(r"[\s\-./]")


def _compact(value: str) -> str:
    return _SEPARATORS.sub("", value)


def shannon_entropy(value: str) -> float:
    """Shannon entropy of ``value`` in bits per character (0 for empty)."""
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def luhn(value: str) -> bool:
    """Payment card: 13–19 digits, Luhn-valid, a real IIN range (2–6 first digit), not one repeated digit."""
    digits = _compact(value)
    if not digits.isdigit() or not 13 <= len(digits) <= 19 or digits[0] not in "23456":
        return False
    if len(set(digits)) == 1:
        return False
    return luhn_checksum(digits)


def luhn_checksum(digits: str) -> bool:
    """The Luhn (mod 10) check of an ASCII digit string, without length or issuer rules."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


# Lengths of IBANs per country (ISO 13616 registry).
_IBAN_LENGTHS: Mapping[str, int] = MappingProxyType({
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
    "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
})  # fmt: skip


def iban(value: str) -> bool:
    """IBAN: known country, the registry length for it, ISO 7064 MOD 97-10 remainder 1."""
    s = _compact(value).upper()
    if len(s) < 15 or not s.isalnum() or _IBAN_LENGTHS.get(s[:2]) != len(s):
        return False
    if not s[2:4].isdigit():
        return False
    rearranged = s[4:] + s[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def us_ssn(value: str) -> bool:
    """US SSN: area not 000/666/900–999, group not 00, serial not 0000, not a known advertising number."""
    s = _compact(value)
    if len(s) != 9 or not s.isdigit():
        return False
    area, group, serial = int(s[:3]), int(s[3:5]), int(s[5:])
    if area == 0 or area == 666 or area >= 900 or group == 0 or serial == 0:
        return False
    return s not in {"078051120", "219099999", "123456789"}


def de_steuer_id(value: str) -> bool:
    """German Steuer-ID: 11 digits, no leading 0, ISO 7064 MOD 11,10 check digit, and the digit rule.

    Digit rule: in the first ten digits exactly one digit occurs twice or three times (three times
    never as three adjacent equal digits); every other digit occurs at most once.
    """
    s = _compact(value)
    if len(s) != 11 or not s.isdigit() or s[0] == "0":
        return False
    counts = Counter(s[:10])
    repeated = [c for c in counts.values() if c > 1]
    if len(repeated) != 1 or repeated[0] not in (2, 3):
        return False
    if repeated[0] == 3 and re.search(r"(\d)\1\1", s[:10]):
        return False
    product = 10
    for ch in s[:10]:
        total = (int(ch) + product) % 10 or 10
        product = (total * 2) % 11
    check = (11 - product) % 10
    return check == int(s[10])


def _weighted_731(chars: str) -> int:
    weights = (7, 3, 1)
    return sum(int(ch, 36) * weights[i % 3] for i, ch in enumerate(chars)) % 10


def de_id_card(value: str) -> bool:
    """German Personalausweis serial (9 characters from the ID alphabet) + check digit, weights 7-3-1."""
    s = value.strip().upper()
    if len(s) != 10 or not s.isalnum() or not s[-1].isdigit():
        return False
    if any(ch not in "0123456789CFGHJKLMNPRTVWXYZ" for ch in s[:9]):
        return False
    return _weighted_731(s[:9]) == int(s[9])


def de_sv_nummer(value: str) -> bool:
    """German Sozialversicherungsnummer: area(2) birth date DDMMYY letter serial(2) check digit.

    The letter becomes its two-digit alphabet position; weights 2,1,2,5,7,1,2,1,2,1,2,1; the check
    digit is the sum of the products' digit sums modulo 10.
    """
    s = _compact(value).upper()
    if len(s) != 12 or not (s[:8].isdigit() and s[8].isalpha() and s[9:].isdigit()):
        return False
    day, month = int(s[2:4]), int(s[4:6])
    if not (1 <= day <= 31 or 51 <= day <= 81) or not 1 <= month <= 12:
        return False
    digits = s[:8] + f"{ord(s[8]) - 64:02d}" + s[9:11]
    weights = (2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1)
    total = sum(sum(divmod(int(d) * w, 10)) for d, w in zip(digits, weights, strict=True))
    return total % 10 == int(s[11])


def fr_nir(value: str) -> bool:
    """French NIR (numéro de sécurité sociale): 13 characters + key = 97 − (number mod 97).

    Corsica: department ``2A`` counts as 19 and ``2B`` as 18 for the key computation.
    """
    s = _compact(value).upper()
    if len(s) != 15 or s[0] not in "12378" or not s[13:].isdigit():
        return False
    body = s[:13]
    if body[5:7] == "2A":
        number = body[:5] + "19" + body[7:]
    elif body[5:7] == "2B":
        number = body[:5] + "18" + body[7:]
    else:
        number = body
    if not number.isdigit():
        return False
    month = int(s[3:5])
    if not (1 <= month <= 12 or 20 <= month <= 42 or 50 <= month <= 99):
        return False
    return 97 - int(number) % 97 == int(s[13:])


def jp_my_number(value: str) -> bool:
    """Japanese My Number (個人番号): 12 digits, the last a check digit over the first 11."""
    s = _compact(value)
    if len(s) != 12 or not s.isdigit() or len(set(s)) == 1:
        return False
    body = s[:11]
    total = 0
    for n in range(1, 12):
        p = int(body[11 - n])
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    remainder = total % 11
    check = 0 if remainder <= 1 else 11 - remainder
    return check == int(s[11])


_CN_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def cn_resident_id(value: str) -> bool:
    """Chinese resident identity card number (身份证号): 17 digits + ISO 7064 MOD 11-2 check (0–9 or X)
    with a real birth date in positions 7–14."""
    s = value.strip().upper()
    if len(s) != 18 or not s[:17].isdigit() or not (s[17].isdigit() or s[17] == "X"):
        return False
    try:
        born = dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    if not 1900 <= born.year <= 2100:
        return False
    total = sum(int(d) * w for d, w in zip(s[:17], _CN_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == s[17]


def uk_nino(value: str) -> bool:
    """UK National Insurance number: two prefix letters (with the official exclusions), 6 digits, A–D."""
    s = _compact(value).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{6}[A-D]", s):
        return False
    first, second = s[0], s[1]
    if first in "DFIQUV" or second in "DFIOQUV":
        return False
    return s[:2] not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def aba_routing(value: str) -> bool:
    """US ABA routing number: 9 digits, weights 3-7-1 sum divisible by 10, valid Fed prefix."""
    s = _compact(value)
    if len(s) != 9 or not s.isdigit() or len(set(s)) == 1:
        return False
    prefix = int(s[:2])
    if not (0 <= prefix <= 12 or 21 <= prefix <= 32 or 61 <= prefix <= 72 or prefix == 80):
        return False
    weights = (3, 7, 1) * 3
    return sum(int(d) * w for d, w in zip(s, weights, strict=True)) % 10 == 0


def nl_bsn(value: str) -> bool:
    """Dutch BSN: 9 digits passing the 11-proof (weights 9..2 and −1)."""
    s = _compact(value)
    if len(s) != 9 or not s.isdigit() or s == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(s[:8], range(9, 1, -1), strict=True)) - int(s[8])
    return total % 11 == 0


def es_dni(value: str) -> bool:
    """Spanish DNI/NIE: 8 digits (NIE: X/Y/Z + 7 digits) + control letter (number mod 23)."""
    s = _compact(value).upper()
    if len(s) != 9:
        return False
    head = s[:8]
    if head[0] in "XYZ":
        head = str("XYZ".index(head[0])) + head[1:]
    if not head.isdigit():
        return False
    return "TRWAGMYFPDXBNJZSQVHLCKE"[int(head) % 23] == s[8]


_PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(r)
    for r in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "fc00::/7", "fe80::/10")
)


def private_ip(value: str) -> bool:
    """An address in RFC 1918 (10/8, 172.16/12, 192.168/16), IPv6 ULA fc00::/7 or link-local ranges."""
    s = value.strip().strip("[]")
    parts = s.split(".")
    if len(parts) == 4:  # fast path for IPv4, the common case in logs
        if not all(
            p.isdigit() and len(p) <= 3 and int(p) <= 255 and (p == "0" or p[0] != "0") for p in parts
        ):
            return False
        a, b = int(parts[0]), int(parts[1])
        return a == 10 or (a == 172 and 16 <= b <= 31) or (a == 192 and b == 168) or (a == 169 and b == 254)
    try:
        ip = ipaddress.ip_address(s)
    except ValueError:
        return False
    return any(ip.version == n.version and ip in n for n in _PRIVATE_NETWORKS)


_DOC_DOMAINS = re.compile(r"(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost|local)$", re.I)


def email(value: str) -> bool:
    """An e-mail address that is not a documentation placeholder (``example.com``, ``.test``...)."""
    local, sep, domain = value.rpartition("@")
    if not sep or not local or "." not in domain or ".." in value:
        return False
    return _DOC_DOMAINS.search(domain) is None


def phone(value: str) -> bool:
    """A phone number: 7–15 digits (E.164 limit), not one repeated digit, not a date-like 8-digit run."""
    digits = re.sub(r"\D", "", value)
    if not 7 <= len(digits) <= 15 or len(set(digits)) <= 2:
        return False
    return not re.fullmatch(r"(?:19|20)\d{2}[01]\d[0-3]\d", digits)


def _b64url_json(part: str) -> object:
    padded = part + "=" * (-len(part) % 4)
    return json.loads(base64.urlsafe_b64decode(padded))


def jwt(value: str) -> bool:
    """A JSON Web Token whose header decodes to a JSON object with ``alg`` and payload to a JSON object."""
    parts = value.split(".")
    if len(parts) != 3:
        return False
    try:
        header, payload = _b64url_json(parts[0]), _b64url_json(parts[1])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return isinstance(header, dict) and "alg" in header and isinstance(payload, dict)


def basic_auth(value: str) -> bool:
    """An HTTP Basic credential: base64 of ``user:password`` with a non-empty password."""
    try:
        decoded = base64.b64decode(value.strip() + "=" * (-len(value.strip()) % 4), validate=True).decode()
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    user, sep, password = decoded.partition(":")
    return bool(sep and password) and decoded.isprintable()


def high_entropy(value: str) -> bool:
    """A random-looking token: ≥ 3.5 bits/char of entropy and at least two character classes."""
    classes = sum(bool(re.search(p, value)) for p in (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]"))
    return shannon_entropy(value) >= 3.5 and classes >= 2


_PEM_HEADER_LINE = re.compile(r"^[A-Za-z][A-Za-z-]*:[^\n]*$", re.MULTILINE)


def pem_key_body(value: str) -> bool:
    """A PEM key block whose body is key material: 64+ base64 characters of high entropy.

    Header lines (``Proc-Type:``, ``DEK-Info:``, ``Comment:``) and JSON ``\\n`` escapes are left
    out; a block that holds a word ("anything") or a repeated filler is not a key.
    """
    first = value.find("-----", 5)
    last = value.rfind("-----END")
    if first < 0 or last <= first:
        return False
    body = _PEM_HEADER_LINE.sub("", value[first + 5 : last].replace("\\n", "\n"))
    material = re.sub(r"[^A-Za-z0-9+/]", "", body)
    return len(material) >= 64 and shannon_entropy(material) >= 4.5


def random_token(value: str) -> bool:
    """A token that looks generated, for formats already narrowed by the provider's name nearby.

    Two character classes and 3.0 bits per character: random hex keys (at most 4 bits) pass,
    words and repeated filler do not. `high_entropy` (3.5) is for formats without such context.
    """
    classes = sum(bool(re.search(p, value)) for p in (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]"))
    return shannon_entropy(value) >= 3.0 and classes >= 2


#: Registry: validator name in ``patterns.yaml`` → function.
def password_like(value: str) -> bool:
    """A bare assigned value that looks like a credential, not a word or a heading.

    Two character classes with a digit or symbol (``Welcome_1557#``), or letters in mixed
    case beyond the first one (``xKfjQpLz``). ``Invalid``, ``PASSWORT`` or ``required``
    (prose after ``password:``) are not.
    """
    lower = any(c.islower() for c in value)
    upper = any(c.isupper() for c in value)
    digit = any(c.isdigit() for c in value)
    other = any(not c.isalnum() for c in value)
    if digit or other:
        return lower + upper + digit + other >= 2
    return lower and any(c.isupper() for c in value[1:])


_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_BASE62_INDEX = {c: i for i, c in enumerate(_BASE62)}


def crc32_base62(value: str) -> bool:
    """Whether a ``prefix_`` + 30 + 6 base62 token carries its issuer's checksum in the last six.

    GitHub (``ghp_``, ``gho_``, ``ghu_``, ``ghs_``, 2021) and npm (``npm_``, 2021) tokens end in the
    CRC32 of the 30 random characters, written in base62 (``0-9A-Za-z``, big-endian, zero-padded to
    six). A token that passes is almost surely issued (a made-up suffix matches once in 62^6,
    about 57 billion); one that fails may still be real in an older format, so this only raises
    confidence: it never drops a finding.
    """
    _, sep, body = value.partition("_")
    if not sep or len(body) != 36 or any(c not in _BASE62_INDEX for c in body):
        return False
    number = 0
    for c in body[30:]:
        number = number * 62 + _BASE62_INDEX[c]
    return number == binascii.crc32(body[:30].encode("ascii"))


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """(value, next offset) of the unsigned LEB128 integer at ``at``; (-1, at) past the end."""
    value = shift = 0
    while at < len(data) and shift < 35:
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at += 1
        if not byte & 0x80:
            return value, at
        shift += 7
    return -1, at


def macaroon_v2(value: str) -> bool:
    """Whether a ``pypi-`` token is a whole version-2 macaroon issued for ``pypi.org``.

    PyPI API tokens are ``pypi-`` + a macaroon in URL-safe base64: version byte 2, the location
    ``pypi.org``, an identifier, the caveats (each a run of fields ended by an empty one), an empty
    field after the last caveat and a 32-byte signature field that ends the token. A token cut
    short, padded or made up fails; the signature itself needs PyPI's key and is not checked.
    """
    _, sep, body = value.partition("-")
    try:
        data = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (ValueError, binascii.Error):
        return False
    if data[:11] != b"\x02\x01\x08pypi.org":
        return False
    at, ends = 11, 0
    fields: set[int] = set()
    while at < len(data):
        kind, at = _varint(data, at)
        if kind == 0:  # end of a section: the header's, one per caveat, the caveats'
            ends += 1
            fields.clear()
            continue
        size, at = _varint(data, at)
        if kind < 0 or size < 0 or at + size > len(data) or kind in fields:
            return False
        fields.add(kind)
        at += size
        if kind == 6:  # the signature closes the token
            return size == 32 and at == len(data) and ends >= 2
    return False


#: Issuer checksums (``checksum:`` in patterns.yaml): a hit that passes gets ``checksum: valid``
#: in its metadata and at least :data:`guard.detect.patterns.CHECKSUM_SCORE`; one that fails keeps
#: its rule's score (formats change; a missing checksum is no proof of a fake).
CHECKSUMS: Mapping[str, Callable[[str], bool]] = MappingProxyType(
    {"crc32_base62": crc32_base62, "macaroon_v2": macaroon_v2}
)

VALIDATORS: Mapping[str, Callable[[str], bool]] = MappingProxyType({
    "password_like": password_like,
    "random_token": random_token,
    "pem_key_body": pem_key_body,
    "aba_routing": aba_routing,
    "basic_auth": basic_auth,
    "cn_resident_id": cn_resident_id,
    "de_id_card": de_id_card,
    "de_steuer_id": de_steuer_id,
    "de_sv_nummer": de_sv_nummer,
    "email": email,
    "es_dni": es_dni,
    "fr_nir": fr_nir,
    "high_entropy": high_entropy,
    "iban": iban,
    "jp_my_number": jp_my_number,
    "jwt": jwt,
    "luhn": luhn,
    "nl_bsn": nl_bsn,
    "phone": phone,
    "private_ip": private_ip,
    "uk_nino": uk_nino,
    "us_ssn": us_ssn,
})  # fmt: skip
