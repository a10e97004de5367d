"""People: names (several locales, romanized, katakana, casual lower case), e-mails, phones, addresses."""

# Value tables: one format per line reads better than wrapped strings.
# ruff: noqa: E501

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from training.data import pools

#: the Faker locale of each language's own names, places and formats
FAKER_LOCALE = {"en": "en_US", "de": "de_DE", "fr": "fr_FR", "ja": "ja_JP", "zh": "zh_CN"}

if TYPE_CHECKING:
    from training.data.values import Ctx

__all__ = ["address", "email", "first_name", "last_name", "person", "phone"]

#: extra Latin-script locales for the names of people writing or written about in en/de/fr texts
#: (appended to, never reordered: each locale's Faker seed follows its position)
EXTRA_NAME_LOCALES = ("en_IN", "es_ES", "it_IT", "pl_PL", "tr_TR", "pt_BR", "nl_NL", "en_GB", "en_IE", "en_AU",
                      "en_CA", "da_DK", "sv_SE", "cs_CZ", "ro_RO", "vi_VN")  # fmt: skip

#: postal formats of the countries whose offices and customers en/de/fr texts mention besides the
#: language's own (Faker locales; ``x:<locale>`` keys like the name locales)
ADDRESS_LOCALES = {"en": ("en_GB", "en_CA", "en_AU", "en_IE", "en_NZ"), "de": ("de_AT", "de_CH"),
                   "fr": ("fr_CH", "fr_CA")}  # fmt: skip

_COUNTRY = {"en_US": ("USA", "United States"), "en_GB": ("UK", "United Kingdom"), "en_CA": ("Canada",),
            "en_AU": ("Australia",), "en_IE": ("Ireland",), "en_NZ": ("New Zealand",),
            "de_DE": ("Deutschland", "Germany"), "de_AT": ("Österreich", "Austria"), "de_CH": ("Schweiz",),
            "fr_FR": ("France",), "fr_CH": ("Suisse",), "fr_CA": ("Canada",)}  # fmt: skip


def _ascii(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if c.isascii() and (c.isalnum() or c in ".-"))


def _name_faker(ctx: Ctx) -> Any:
    if ctx.lang in ("en", "de", "fr") and ctx.rng.random() < 0.2:
        return ctx.fakers[f"x:{ctx.rng.choice(EXTRA_NAME_LOCALES)}"]
    return ctx.faker()


def _casual(ctx: Ctx, name: str) -> str:
    return name.lower() if ctx.casual and ctx.rng.random() < 0.5 else name


def _romanized(ctx: Ctx) -> tuple[str, str] | None:
    """A Japanese or Chinese person written in Latin script (``Yuki Tanaka``) in en/de/fr texts."""
    if ctx.lang in ("en", "de", "fr") and ctx.rng.random() < 0.08:
        fk = ctx.fakers[ctx.rng.choice(["ja", "zh"])]
        return str(fk.first_romanized_name()), str(fk.last_romanized_name())
    return None


def person(ctx: Ctx) -> str:
    roman = _romanized(ctx)
    if roman is not None:
        return _casual(ctx, f"{roman[0]} {roman[1]}")
    fk = _name_faker(ctx)
    if ctx.lang == "ja" and ctx.rng.random() < 0.06:  # names also get written in katakana
        return f"{fk.last_kana_name()}{ctx.rng.choice(['', ' ', '・'])}{fk.first_kana_name()}"
    if ctx.lang in ("ja", "zh"):
        name = str(fk.last_name()) + str(fk.first_name())
        if ctx.lang == "ja" and ctx.rng.random() < 0.4:
            name = f"{fk.last_name()} {fk.first_name()}"
        return name
    name = f"{fk.first_name()} {fk.last_name()}"
    if ctx.rng.random() < 0.08:
        name = f"{fk.first_name()} {fk.first_name()[0]}. {fk.last_name()}"
    return _casual(ctx, name)


def first_name(ctx: Ctx) -> str:
    roman = _romanized(ctx)
    return _casual(ctx, roman[0] if roman else str(_name_faker(ctx).first_name()))


def last_name(ctx: Ctx) -> str:
    roman = _romanized(ctx)
    return _casual(ctx, roman[1] if roman else str(_name_faker(ctx).last_name()))


_FREE_MAIL = {"en": ("gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "hotmail.com"),
              "de": ("gmx.de", "web.de", "t-online.de", "gmail.com", "posteo.de"),
              "fr": ("orange.fr", "free.fr", "laposte.net", "gmail.com", "sfr.fr"),
              "ja": ("yahoo.co.jp", "gmail.com", "docomo.ne.jp", "ezweb.ne.jp", "icloud.com"),
              "zh": ("qq.com", "163.com", "126.com", "sina.com", "gmail.com", "foxmail.com")}  # fmt: skip
_TLD = {"en": (".com", ".io", ".co.uk", ".us"), "de": (".de", ".com", ".at", ".ch"), "fr": (".fr", ".com", ".eu"),
        "ja": (".co.jp", ".jp", ".com"), "zh": (".com.cn", ".cn", ".com")}  # fmt: skip


def email(ctx: Ctx) -> str:
    rng = ctx.rng
    fk = ctx.fakers["en"] if ctx.lang in ("ja", "zh") else ctx.faker()
    first, last = _ascii(fk.first_name()).lower(), _ascii(fk.last_name()).lower()
    if ctx.lang == "zh" and rng.random() < 0.4:
        return f"{rng.randint(10**5, 10**10)}@qq.com"
    local = rng.choice([f"{first}.{last}", f"{first[0]}{last}", f"{first}{rng.randint(1, 99)}", f"{last}.{first}",
                        f"{first}_{last}", f"{last}{first[0]}", first])  # fmt: skip
    lang = ctx.lang if ctx.lang in _TLD else "en"
    r = rng.random()
    if r < 0.45:
        domain = rng.choice(_FREE_MAIL[lang])
    elif r < 0.85:
        domain = pools.company_slug(rng, ctx.split).replace("-", "") + rng.choice(_TLD[lang])
    else:
        if ctx.domain is not None and ctx.domain.email_domains:
            domain = rng.choice(ctx.domain.email_domains)
        else:
            domain = pools.internal_host(rng, ctx.split).split(".", 1)[1]
    if rng.random() < 0.08:
        local = rng.choice(["hr", "payroll", "billing", "it-support", "finance", "sales", "security", "ops"])
    return f"{local}@{domain}"


def phone(ctx: Ctx) -> str:
    rng = ctx.rng
    if ctx.lang == "en" and rng.random() < 0.6:
        a, b, c = rng.randint(201, 989), rng.randint(200, 999), rng.randint(0, 9999)
        return rng.choice(
            [f"({a}) {b}-{c:04d}", f"{a}-{b}-{c:04d}", f"+1 {a} {b} {c:04d}", f"+1-{a}-{b}-{c:04d}"]
        )
    if ctx.lang == "de" and rng.random() < 0.5:
        return rng.choice([f"+49 {rng.randint(151, 179)} {rng.randint(1000000, 99999999)}",
                           f"0{rng.randint(30, 89)} {rng.randint(100000, 9999999)}",
                           f"+49 (0){rng.randint(30, 89)} {rng.randint(1000, 9999)}-{rng.randint(10, 999)}"])  # fmt: skip
    if ctx.lang == "fr" and rng.random() < 0.4:
        return f"+33 {rng.randint(1, 7)} " + " ".join(f"{rng.randint(0, 99):02d}" for _ in range(4))
    if ctx.lang == "zh" and rng.random() < 0.5:
        return f"{rng.choice(['138', '139', '186', '135', '+86 137', '+86 150'])}{rng.choice(['', ' ', '-'])}{rng.randint(1000, 9999)}{rng.choice(['', ' ', '-'])}{rng.randint(1000, 9999)}"
    return str(ctx.faker().phone_number())


def address(ctx: Ctx, multiline: bool = False) -> str:
    """A postal address at street level or more precise, in the forms people write them.

    Written out in full (street, place, postcode), as the street line alone ("14 Kennedy Lane",
    "Hauptstraße 12"), as street and town, or with the country after it; in the language's own
    postal format or, for en/de/fr, in a neighbouring country's. A city or country alone is no
    address (taxonomy), so the short forms keep a numbered street line (the full ones may be
    Faker's military or PO box forms). ``multiline`` keeps Faker's line breaks (letter heads,
    forms) and always writes the full address.
    """
    rng = ctx.rng
    own = FAKER_LOCALE.get(ctx.lang, "en_US")
    locale = own
    if ctx.lang in ADDRESS_LOCALES and rng.random() < 0.3:
        locale = rng.choice(ADDRESS_LOCALES[ctx.lang])
    fk = ctx.faker() if locale == own else ctx.fakers[f"x:{locale}"]
    if ctx.lang in ("ja", "zh"):
        addr = str(fk.address())
        if ctx.lang == "ja" and rng.random() < 0.4:
            addr = "〒" + f"{rng.randint(100, 999)}-{rng.randint(0, 9999):04d} " + addr
        return addr if multiline else addr.replace("\n", ", ")
    r = 1.0 if multiline else rng.random()
    street = str(fk.street_address()).replace("\n", ", ")
    if r < 0.35 and any(c.isdigit() for c in street):  # a street name without a number is no address
        return street if r < 0.2 else f"{street}, {fk.city()}"
    addr = str(fk.address())
    if r < 0.42:
        addr = f"{addr}\n{rng.choice(_COUNTRY[locale])}"
    return addr if multiline else addr.replace("\n", ", ")
