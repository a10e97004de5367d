"""Generators of identifiers with valid check digits (national IDs, payment cards, IBANs, routing numbers).

Every generator takes a `random.Random` and returns a formatted string. The matching ``*_valid``
functions (pure, on digits/characters only) are used by the tests and by the domain generator.
"""

from __future__ import annotations

import random
import string

__all__ = [
    "IBAN_FORMATS",
    "aba_valid",
    "bank_account_number",
    "card_number",
    "cn_resident_id",
    "cn_resident_id_valid",
    "de_personalausweis",
    "de_personalausweis_valid",
    "de_steuer_id",
    "de_steuer_id_valid",
    "de_sv_nummer",
    "de_sv_nummer_valid",
    "fr_nir",
    "fr_nir_valid",
    "iban",
    "iban_valid",
    "jp_my_number",
    "jp_my_number_valid",
    "luhn_valid",
    "driver_license",
    "ean13",
    "imei",
    "isbn13",
    "passport_number",
    "personal_tax_id",
    "us_routing_number",
    "us_ssn",
]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


# ---------------------------------------------------------------- payment cards (Luhn)
def luhn_valid(number: str) -> bool:
    """True when the digits of ``number`` (separators ignored) pass the Luhn check."""
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) < 12:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + _digits(rng, length - len(prefix) - 1)
    for check in string.digits:
        if luhn_valid(body + check):
            return body + check
    raise AssertionError("unreachable: one check digit always fits")


_CARD_BRANDS: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {
    "visa": (("4",), (16,)),
    "mastercard": (("51", "52", "53", "54", "55", "2221", "2300", "2720"), (16,)),
    "amex": (("34", "37"), (15,)),
    "unionpay": (("62",), (16, 19)),
    "jcb": (("3528", "3540", "3566", "3589"), (16,)),
    "discover": (("6011", "65"), (16,)),
}


def card_number(rng: random.Random, brand: str | None = None) -> str:
    """A Luhn-valid card number of ``brand`` (random if None), formatted as people write it."""
    brand = brand or rng.choice(list(_CARD_BRANDS))
    prefixes, lengths = _CARD_BRANDS[brand]
    number = _luhn_complete(rng.choice(prefixes), rng.choice(lengths), rng)
    style = rng.random()
    if style < 0.35:
        return number
    sep = " " if style < 0.85 else "-"
    if brand == "amex":
        return sep.join((number[:4], number[4:10], number[10:]))
    return sep.join(number[i : i + 4] for i in range(0, len(number), 4))


# ---------------------------------------------------------------- IBAN (ISO 13616, mod 97)
#: country -> BBAN layout: "n" digit, "a" upper letter, "c" alphanumeric.
IBAN_FORMATS: dict[str, str] = {
    "DE": "n" * 18,
    "FR": "n" * 10 + "c" * 11 + "nn",
    "GB": "aaaa" + "n" * 14,
    "ES": "n" * 20,
    "IT": "a" + "n" * 10 + "c" * 12,
    "NL": "aaaa" + "n" * 10,
    "CH": "n" * 17,
    "AT": "n" * 16,
    "BE": "n" * 12,
    "LU": "n" * 3 + "c" * 13,
    "PL": "n" * 24,
    "IE": "aaaa" + "n" * 14,
}


def _iban_numeric(s: str) -> int:
    return int("".join(str(int(c, 36)) for c in s))


def iban_valid(value: str) -> bool:
    """True when ``value`` (spaces ignored) is a structurally valid IBAN passing mod-97."""
    s = value.replace(" ", "").upper()
    if len(s) < 15 or not s[:2].isalpha() or not s[2:4].isdigit() or not s.isalnum():
        return False
    return _iban_numeric(s[4:] + s[:4]) % 97 == 1


def iban(rng: random.Random, country: str | None = None) -> str:
    """A mod-97-valid IBAN, grouped by four (70 %) or compact."""
    country = country or rng.choice(list(IBAN_FORMATS))
    pools = {"n": string.digits, "a": string.ascii_uppercase, "c": string.ascii_uppercase + string.digits}
    bban = "".join(rng.choice(pools[k]) for k in IBAN_FORMATS[country])
    check = 98 - _iban_numeric(bban + country + "00") % 97
    value = f"{country}{check:02d}{bban}"
    if rng.random() < 0.7:
        return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
    return value


# ---------------------------------------------------------------- US bank
def aba_valid(number: str) -> bool:
    """ABA routing number checksum: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10)."""
    d = [int(c) for c in number]
    if len(d) != 9:
        return False
    return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5] + d[8]) % 10 == 0


def us_routing_number(rng: random.Random) -> str:
    """A checksum-valid 9-digit ABA routing number with a plausible Federal Reserve prefix."""
    prefix = f"{rng.choice([rng.randint(1, 12), rng.randint(21, 32)]):02d}"
    while True:
        body = prefix + _digits(rng, 6)
        for check in string.digits:
            if aba_valid(body + check):
                return body + check


def bank_account_number(rng: random.Random, lang: str = "en") -> str:
    """A domestic account number as written in ``lang``'s country (US, JP 7 digits, CN 16-19...)."""
    if lang == "ja":
        return _digits(rng, 7)
    if lang == "zh":  # corporate account numbers; 62... numbers are UnionPay cards (CREDIT_CARD)
        return rng.choice(["1", "3", "4", "7"]) + _digits(rng, rng.choice([15, 17, 18]))
    if lang == "de":
        return str(rng.randint(10**7, 10**10 - 1))
    return str(rng.randint(10**7, 10**12 - 1))


# ---------------------------------------------------------------- national IDs
def us_ssn(rng: random.Random) -> str:
    """A US SSN in a valid range (area 001-899 except 666, group and serial non-zero)."""
    area = rng.choice([a for a in (rng.randint(1, 665), rng.randint(667, 899))])
    sep = rng.choice(["-", "-", "-", " ", ""])
    return f"{area:03d}{sep}{rng.randint(1, 99):02d}{sep}{rng.randint(1, 9999):04d}"


def _steuer_check(first10: str) -> int:
    product = 10
    for c in first10:
        s = (int(c) + product) % 10 or 10
        product = (s * 2) % 11
    check = 11 - product
    return 0 if check == 10 else check


def de_steuer_id_valid(value: str) -> bool:
    """German Steuer-ID: 11 digits, no leading 0, one digit repeated 2-3x in the first 10, ISO 7064 check."""
    s = value.replace(" ", "")
    if len(s) != 11 or not s.isdigit() or s[0] == "0":
        return False
    counts = sorted((s[:10].count(d) for d in set(s[:10])), reverse=True)
    if counts[0] not in (2, 3) or (len(counts) > 1 and counts[1] > 1):
        return False
    return _steuer_check(s[:10]) == int(s[10])


def de_steuer_id(rng: random.Random) -> str:
    """A valid German Steuer-ID (Steuerliche Identifikationsnummer)."""
    while True:
        digits = rng.sample(string.digits, 9)
        digits.append(rng.choice(digits))
        rng.shuffle(digits)
        if digits[0] == "0":
            continue
        first10 = "".join(digits)
        value = first10 + str(_steuer_check(first10))
        if not de_steuer_id_valid(value):
            continue
        if rng.random() < 0.4:
            return f"{value[:2]} {value[2:5]} {value[5:8]} {value[8:]}"
        return value


_PA_LETTERS = "CFGHJKLMNPRTVWXYZ"


def _pa_value(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - 55


def _pa_check(body: str) -> int:
    return sum(_pa_value(c) * w for c, w in zip(body, [7, 3, 1] * 4, strict=False)) % 10


def de_personalausweis_valid(value: str) -> bool:
    """German ID card number: 9 characters (letters from the allowed set, digits) + check digit (7-3-1)."""
    s = value.replace(" ", "").upper()
    if len(s) != 10 or not s[9].isdigit() or any(c not in _PA_LETTERS + string.digits for c in s[:9]):
        return False
    return _pa_check(s[:9]) == int(s[9])


def de_personalausweis(rng: random.Random) -> str:
    """A valid Personalausweis serial with check digit (e.g. ``L01X00T471``)."""
    chars = _PA_LETTERS + string.digits
    body = rng.choice(_PA_LETTERS) + "".join(rng.choice(chars) for _ in range(8))
    return body + str(_pa_check(body))


_SV_WEIGHTS = (2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1)
#: area numbers of the German pension insurance carriers
_SV_AREAS = tuple(
    "02 03 04 08 09 10 11 12 13 14 15 16 17 18 19 20 21 23 24 25 26 28 29 38 39 40 42 43"
    " 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 69 70 71"
    " 72 73 74 75 76 77 78 79 80 81 82 89".split()
)


def _sv_check(area: str, dob: str, letter: str, serial: str) -> int:
    digits = area + dob + f"{ord(letter) - 64:02d}" + serial
    return sum(sum(divmod(int(d) * w, 10)) for d, w in zip(digits, _SV_WEIGHTS, strict=True)) % 10


def de_sv_nummer_valid(value: str) -> bool:
    """German Sozialversicherungsnummer: area(2) DDMMYY(6) letter serial(2) check(1)."""
    s = value.replace(" ", "").upper()
    if len(s) != 12 or not (s[:8].isdigit() and s[8].isalpha() and s[9:].isdigit()):
        return False
    return _sv_check(s[:2], s[2:8], s[8], s[9:11]) == int(s[11])


def de_sv_nummer(rng: random.Random) -> str:
    """A valid SV-Nummer (Rentenversicherungsnummer)."""
    area = rng.choice(_SV_AREAS)
    dob = f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(0, 99):02d}"
    letter = rng.choice(string.ascii_uppercase)
    serial = f"{rng.randint(0, 99):02d}"
    value = f"{area}{dob}{letter}{serial}{_sv_check(area, dob, letter, serial)}"
    if rng.random() < 0.4:
        return f"{value[:2]} {value[2:8]} {value[8]} {value[9:]}"
    return value


def fr_nir_valid(value: str) -> bool:
    """French NIR (numéro de sécurité sociale): 13 digits + key = 97 - (number mod 97)."""
    s = value.replace(" ", "")
    if len(s) != 15 or not s.isdigit() or s[0] not in "12":
        return False
    return 97 - int(s[:13]) % 97 == int(s[13:])


def fr_nir(rng: random.Random) -> str:
    """A valid NIR, spaced as on the carte Vitale (50 %) or compact."""
    body = (
        f"{rng.choice('12')}{rng.randint(40, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 95):02d}"
        f"{rng.randint(1, 999):03d}{rng.randint(1, 999):03d}"
    )
    if body[5:7] == "20":  # department 20 is written 2A/2B; keep the all-digit form
        body = body[:5] + "21" + body[7:]
    key = f"{97 - int(body) % 97:02d}"
    if rng.random() < 0.5:
        return f"{body[0]} {body[1:3]} {body[3:5]} {body[5:7]} {body[7:10]} {body[10:13]} {key}"
    return body + key


def _my_number_check(first11: str) -> int:
    total = 0
    for n, c in enumerate(reversed(first11), start=1):
        q = n + 1 if n <= 6 else n - 5
        total += int(c) * q
    r = total % 11
    return 0 if r <= 1 else 11 - r


def jp_my_number_valid(value: str) -> bool:
    """Japanese My Number (個人番号): 12 digits, check digit per the 2014 ordinance."""
    s = value.replace(" ", "").replace("-", "")
    return len(s) == 12 and s.isdigit() and _my_number_check(s[:11]) == int(s[11])


def jp_my_number(rng: random.Random) -> str:
    """A valid My Number, grouped 4-4-4 (50 %) or compact."""
    body = _digits(rng, 11)
    value = body + str(_my_number_check(body))
    if rng.random() < 0.5:
        sep = rng.choice([" ", "-"])
        return sep.join((value[:4], value[4:8], value[8:]))
    return value


_CN_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CN_AREAS = (
    "110101",
    "110105",
    "310104",
    "310115",
    "440106",
    "440305",
    "440304",
    "330106",
    "320102",
    "510107",
    "420106",
    "610113",
    "500103",
    "120101",
    "370202",
    "350203",
)


def cn_resident_id_valid(value: str) -> bool:
    """Chinese resident ID (居民身份证号): 17 digits + check char from ISO 7064 MOD 11-2."""
    s = value.upper()
    if len(s) != 18 or not s[:17].isdigit():
        return False
    return "10X98765432"[sum(int(c) * w for c, w in zip(s[:17], _CN_WEIGHTS, strict=True)) % 11] == s[17]


def cn_resident_id(rng: random.Random) -> str:
    """A valid 18-character resident ID number with a plausible area code and birth date."""
    body = (
        f"{rng.choice(_CN_AREAS)}{rng.randint(1955, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        f"{_digits(rng, 3)}"
    )
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _CN_WEIGHTS, strict=True)) % 11]


def passport_number(rng: random.Random, lang: str = "en") -> str:
    """A passport number shaped like ``lang``'s country's (no public check digit)."""
    if lang == "de":
        return rng.choice(_PA_LETTERS) + "".join(rng.choice(_PA_LETTERS + string.digits) for _ in range(8))
    if lang == "fr":
        letters = rng.choice(string.ascii_uppercase) + rng.choice(string.ascii_uppercase)
        return f"{rng.randint(10, 99)}{letters}{_digits(rng, 5)}"
    if lang == "ja":
        return rng.choice(["TK", "TR", "TZ", "MZ"]) + _digits(rng, 7)
    if lang == "zh":
        return "E" + _digits(rng, 8)
    return rng.choice(["", "", "A", "C"]) + _digits(rng, 9 if rng.random() < 0.7 else 8)


def driver_license(rng: random.Random, lang: str = "en") -> str:
    """A driving licence number shaped like ``lang``'s country's (US state styles, DE, FR, JP, CN = ID)."""
    letter = rng.choice(string.ascii_uppercase)
    if lang == "de":  # Führerscheinnummer: 11 alphanumerics
        return "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(11))
    if lang == "fr":
        return rng.choice([_digits(rng, 12), f"{rng.randint(10, 99)}{letter}{letter}{_digits(rng, 5)}"])
    if lang == "ja":
        return _digits(rng, 12)
    if lang == "zh":
        return cn_resident_id(rng)
    dashed = f"{letter}{_digits(rng, 3)}-{_digits(rng, 4)}-{_digits(rng, 4)}"
    styles = [letter + _digits(rng, 7), _digits(rng, 9), dashed]
    return rng.choice(styles)


def personal_tax_id(rng: random.Random, lang: str = "en") -> str:
    """A personal tax number: US ITIN (9XX-7X-XXXX), French numéro fiscal (13 digits), DE Steuer-ID."""
    if lang == "fr":
        return f"{rng.choice('0123')}{_digits(rng, 12)}"
    if lang == "de":
        return de_steuer_id(rng)
    return f"9{_digits(rng, 2)}-{rng.randint(70, 88)}-{_digits(rng, 4)}"


# ---------------------------------------------------------------- look-alikes (hard negatives)
def imei(rng: random.Random) -> str:
    """A Luhn-valid 15-digit IMEI: passes the card checksum but is not a payment card."""
    return _luhn_complete(rng.choice(["35", "86", "01", "99"]) + _digits(rng, 6), 15, rng)


def _ean_check(body: str) -> str:
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
    return str((10 - total % 10) % 10)


def ean13(rng: random.Random) -> str:
    """A valid EAN-13 product barcode."""
    body = rng.choice(["400", "300", "450", "690", "590"]) + _digits(rng, 9)
    return body + _ean_check(body)


def isbn13(rng: random.Random) -> str:
    """A valid ISBN-13, hyphenated as printed."""
    body = rng.choice(["978", "979"]) + _digits(rng, 9)
    full = body + _ean_check(body)
    return f"{full[:3]}-{full[3]}-{full[4:8]}-{full[8:12]}-{full[12]}"
