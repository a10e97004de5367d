"""Slot values for templates: ``{PERSON}`` is a labeled person name, ``{uuid}`` an unlabeled UUID.

A slot name maps to ``(label, generator)``. In a template an UPPER-case slot name emits a span with
the slot's label; a lower-case name emits the same kind of value unlabeled (``{money}`` is a public
figure). Slots whose label is ``None`` are always unlabeled; ``{Bird}`` (capitalised) gives the word
capitalised.
"""

# Value tables: one entry per line reads better than wrapped strings.
# ruff: noqa: E501

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from training.data import figures, ids, neutral, people, pools, secrets
from training.data.people import ADDRESS_LOCALES, EXTRA_NAME_LOCALES, FAKER_LOCALE
from training.data.placeholders import NEG_SWITCH

__all__ = ["SLOTS", "Ctx", "make_fakers", "slot_value"]


def make_fakers(seed: int) -> dict[str, Any]:
    """One seeded Faker per language plus extra name and address locales (``x:<locale>`` keys).

    Faker is imported lazily: it is a training-only dependency.
    """
    from faker import Faker

    fakers: dict[str, Any] = {}
    for i, locale in enumerate(EXTRA_NAME_LOCALES):
        fk = Faker(locale)
        fk.seed_instance(seed * 13 + i)
        fakers[f"x:{locale}"] = fk
    extra = sorted({loc for locs in ADDRESS_LOCALES.values() for loc in locs} - set(EXTRA_NAME_LOCALES))
    for i, locale in enumerate(extra):
        fk = Faker(locale)
        fk.seed_instance(seed * 17 + i)
        fakers[f"x:{locale}"] = fk
    for i, (lang, locale) in enumerate(FAKER_LOCALE.items()):
        fk = Faker(locale)
        fk.seed_instance(seed * 7 + i)
        fakers[lang] = fk
    return fakers


@dataclass
class Ctx:
    """Generation state of one example: randomness, value language, split, fakers, reused values."""

    rng: random.Random
    lang: str
    split: str
    fakers: dict[str, Any]
    memo: dict[str, str] = field(default_factory=dict)
    domain: Any = None  # a DomainValues (domain.py) overriding codenames/customers/hosts, or None
    negative: bool = False  # switchable ``{?SLOT}`` slots render as placeholders when True
    casual: bool = False  # lower-cased chat: names are sometimes typed in lower case too

    def faker(self) -> Any:
        return self.fakers[self.lang if self.lang in self.fakers else "en"]


def _national_id(ctx: Ctx) -> str:
    rng = ctx.rng
    table: dict[str, tuple[Callable[[random.Random], str], ...]] = {
        "en": (ids.us_ssn, ids.us_ssn, lambda r: ids.passport_number(r, "en")),
        "de": (
            ids.de_steuer_id,
            ids.de_personalausweis,
            ids.de_sv_nummer,
            lambda r: ids.passport_number(r, "de"),
        ),
        "fr": (ids.fr_nir, ids.fr_nir, lambda r: ids.passport_number(r, "fr")),
        "ja": (ids.jp_my_number, ids.jp_my_number, lambda r: ids.passport_number(r, "ja")),
        "zh": (ids.cn_resident_id, ids.cn_resident_id, lambda r: ids.passport_number(r, "zh")),
    }
    return rng.choice(table.get(ctx.lang, table["en"]))(rng)


def _codename(ctx: Ctx) -> str:
    if ctx.domain is not None and ctx.domain.codenames:
        return str(ctx.domain.codename(ctx))
    return pools.codename(ctx.rng, ctx.lang if ctx.lang in pools.CODENAME_WORDS else "en", ctx.split)


def _customer(ctx: Ctx) -> str:
    if ctx.domain is not None and ctx.domain.customers:
        return str(ctx.domain.customer(ctx))
    return pools.company_name(ctx.rng, ctx.lang, ctx.split)


def _host(ctx: Ctx) -> str:
    if ctx.domain is not None and ctx.domain.host_domains:
        return str(ctx.domain.host(ctx))
    return pools.internal_host(ctx.rng, ctx.split)


def _ip(ctx: Ctx) -> str:
    if ctx.domain is not None and ctx.domain.ip_ranges:
        return str(ctx.domain.ip(ctx))
    return pools.internal_ip(ctx.rng)


def _url(ctx: Ctx) -> str:
    if ctx.domain is not None and ctx.domain.host_domains and ctx.rng.random() < 0.8:
        host = ctx.domain.host(ctx)
        return f"https://{host}{ctx.rng.choice(pools._URL_PATHS)}"
    return pools.internal_url(ctx.rng, ctx.split)


def _secret(ctx: Ctx) -> str:
    if ctx.domain is not None and ctx.domain.secret_generators and ctx.rng.random() < 0.5:
        return str(ctx.domain.secret(ctx))
    return secrets.secret(ctx.rng)[1]


_TOKEN_KINDS = ("github_pat", "gitlab_pat", "slack_bot_token", "openai_key", "anthropic_key", "stripe_live_secret",
                "google_api_key", "sendgrid_key", "npm_token", "huggingface_token", "jwt", "bearer_token",
                "aws_access_key_id", "hex_secret", "digitalocean_token", "dockerhub_pat", "pypi_token",
                "twilio_api_key", "shopify_token", "mailgun_key", "telegram_bot_token")  # fmt: skip


def _by_lang(table: dict[str, tuple[str, ...]]) -> Callable[[Ctx], str]:
    """A value from the document language's row of ``table`` (English when it has none)."""
    return lambda ctx: ctx.rng.choice(table.get(ctx.lang, table["en"]))


def _word(category: str | None) -> Callable[[Ctx], str]:
    def gen(ctx: Ctx) -> str:
        lang = ctx.lang if ctx.lang in pools.CODENAME_WORDS else "en"
        if ctx.domain is not None and ctx.domain.ordinary_words and ctx.rng.random() < 0.7:
            return str(ctx.domain.ordinary_word(ctx, category))
        word, _ = pools.codename_word(ctx.rng, lang, ctx.split, category)
        return word.lower() if lang in ("en", "fr") and ctx.rng.random() < 0.8 else word

    return gen


def _namesake(ctx: Ctx) -> str:
    """A code name spelled as the public product, satellite or project that shares it (unlabelled)."""
    if ctx.domain is not None and ctx.domain.codename_spellings:
        plain = [
            s
            for s in ctx.domain.codename_spellings
            if not s.startswith(("Project ", "Projekt ", "Projet ")) and not (s.isupper() and len(s) > 3)
        ]
        fitting = [s for s in plain if ctx.lang in ("ja", "zh") or s.isascii() or not s.isalpha()]
        return str(ctx.rng.choice(fitting or plain or ctx.domain.codename_spellings))
    lang = ctx.lang if ctx.lang in pools.CODENAME_WORDS else "en"
    return str(pools.codename(ctx.rng, lang, ctx.split))


def _date(ctx: Ctx) -> str:
    rng = ctx.rng
    y, m, d = rng.randint(2019, 2027), rng.randint(1, 12), rng.randint(1, 28)
    return {"de": f"{d:02d}.{m:02d}.{y}", "fr": f"{d:02d}/{m:02d}/{y}", "ja": f"{y}年{m}月{d}日",
            "zh": f"{y}年{m}月{d}日"}.get(ctx.lang, rng.choice([f"{y}-{m:02d}-{d:02d}", f"{m}/{d}/{y}"]))  # fmt: skip


def _pub_money(ctx: Ctx) -> str:
    return figures.money(ctx.rng, ctx.lang)


#: slot name -> (label or None, generator)
SLOTS: dict[str, tuple[str | None, Callable[[Ctx], str]]] = {
    "person": ("PERSON", people.person),
    "first": ("PERSON", people.first_name),
    "last": ("PERSON", people.last_name),
    "email": ("EMAIL", people.email),
    "phone": ("PHONE", people.phone),
    "address": ("ADDRESS", people.address),
    "address_ml": ("ADDRESS", lambda c: people.address(c, multiline=True)),
    "national_id": ("NATIONAL_ID", _national_id),
    "ssn": ("NATIONAL_ID", lambda c: ids.us_ssn(c.rng)),
    "steuer_id": ("NATIONAL_ID", lambda c: ids.de_steuer_id(c.rng)),
    "perso": ("NATIONAL_ID", lambda c: ids.de_personalausweis(c.rng)),
    "svnr": ("NATIONAL_ID", lambda c: ids.de_sv_nummer(c.rng)),
    "nir": ("NATIONAL_ID", lambda c: ids.fr_nir(c.rng)),
    "mynumber": ("NATIONAL_ID", lambda c: ids.jp_my_number(c.rng)),
    "sfz": ("NATIONAL_ID", lambda c: ids.cn_resident_id(c.rng)),
    "passport": ("NATIONAL_ID", lambda c: ids.passport_number(c.rng, c.lang)),
    "driver": ("NATIONAL_ID", lambda c: ids.driver_license(c.rng, c.lang)),
    "taxid": ("NATIONAL_ID", lambda c: ids.personal_tax_id(c.rng, c.lang)),
    "card": ("CREDIT_CARD", lambda c: ids.card_number(c.rng)),
    "unionpay": ("CREDIT_CARD", lambda c: ids.card_number(c.rng, "unionpay")),
    "iban": (
        "BANK_ACCOUNT",
        lambda c: ids.iban(c.rng, {"de": "DE", "fr": "FR"}.get(c.lang) if c.rng.random() < 0.6 else None),
    ),
    "routing": ("BANK_ACCOUNT", lambda c: ids.us_routing_number(c.rng)),
    "account": ("BANK_ACCOUNT", lambda c: ids.bank_account_number(c.rng, c.lang)),
    "secret": ("SECRET", _secret),
    "password": ("SECRET", lambda c: secrets.password(c.rng)),
    "token": ("SECRET", lambda c: secrets.secret(c.rng, _TOKEN_KINDS)[1]),
    "awskey": ("SECRET", lambda c: secrets.secret_of("aws_access_key_id", c.rng)),
    "awssecret": ("SECRET", lambda c: secrets.secret_of("aws_secret_access_key", c.rng)),
    "db_uri": ("SECRET", lambda c: secrets.secret_of("db_uri", c.rng)),
    "pem": ("SECRET", lambda c: secrets.secret_of("pem_private_key", c.rng)),
    # a PEM key inside a JSON string: newlines written as the two characters \\n
    "pem_json": ("SECRET", lambda c: secrets.secret_of("pem_private_key", c.rng).replace("\n", "\\n")),
    "jwt": ("SECRET", lambda c: secrets.secret_of("jwt", c.rng)),
    "host": ("INTERNAL_HOST", _host),
    "ip": ("INTERNAL_HOST", _ip),
    "hostport": (
        "INTERNAL_HOST",
        lambda c: (
            f"{_host(c) if c.rng.random() < 0.6 else _ip(c)}:{c.rng.choice([22, 80, 443, 5432, 6379, 8080, 8443, 9200, 3306, 27017, 9092])}"
        ),
    ),
    "cidr": (
        "INTERNAL_HOST",
        lambda c: (
            c.domain.cidr(c)
            if c.domain is not None and c.domain.ip_ranges
            else pools.internal_ip(c.rng, cidr=True)
        ),
    ),
    "url": ("INTERNAL_HOST", _url),
    "baseurl": (
        "INTERNAL_HOST",
        lambda c: (
            f"{c.rng.choice(['https', 'http'])}://{_host(c) if c.rng.random() < 0.7 else _ip(c)}{c.rng.choice(['', '', ':8443', ':6443', ':8080', ':4873'])}"
        ),
    ),
    "jdbc": (
        "INTERNAL_HOST",
        lambda c: (
            f"jdbc:{c.rng.choice(['postgresql', 'mysql', 'sqlserver'])}://{_host(c)}:{c.rng.choice([5432, 3306, 1433])}/{c.rng.choice(['app', 'billing', 'ledger', 'crm'])}"
        ),
    ),
    "ipport": (
        "INTERNAL_HOST",
        lambda c: f"{_ip(c)}:{c.rng.choice([5432, 6379, 9092, 8080, 443, 22, 3306])}",
    ),
    "cred_url": (
        "SECRET",
        lambda c: (
            f"https://{c.rng.choice(['oauth2', 'deploy', 'ci', 'x-access-token', 'gitlab-ci-token'])}:{secrets.secret(c.rng, _TOKEN_KINDS[:12])[1]}@{_host(c)}/{c.rng.choice(['platform', 'infra', 'team'])}/{c.rng.choice(['api', 'tools', 'web'])}.git"
        ),
    ),
    "codename": ("CODENAME", _codename),
    "customer": ("CUSTOMER", _customer),
    "money": ("FINANCIAL", lambda c: figures.money(c.rng, c.lang)),
    "pct": ("FINANCIAL", lambda c: figures.percent(c.rng, c.lang)),
    "salary": ("FINANCIAL", lambda c: figures.salary(c.rng, c.lang)),
    "price": (None, lambda c: figures.price(c.rng, c.lang)),
    "shorthost": (
        None,
        lambda c: (
            f"{c.rng.choice(['auth', 'web', 'db', 'api', 'worker', 'node', 'build', 'cache'])}-{c.rng.randint(1, 20):02d}"
        ),
    ),
    "empid": (
        None,
        lambda c: f"{c.rng.choice(['EMP', 'E', 'KD', 'ID', 'HR'])}-{c.rng.randint(1000, 999999):06d}",
    ),
    "imei": (None, lambda c: ids.imei(c.rng)),
    "ean": (None, lambda c: ids.ean13(c.rng)),
    "isbn": (None, lambda c: ids.isbn13(c.rng)),
    "tracking": (
        None,
        lambda c: c.rng.choice(
            [
                f"1Z{neutral.alnum(c.rng, 16)}",
                f"JD{c.rng.randint(10**17, 10**18 - 1)}",
                f"{c.rng.randint(10**11, 10**12 - 1)}",
                f"SF{c.rng.randint(10**11, 10**12 - 1)}",
                f"LX{c.rng.randint(10**8, 10**9 - 1)}DE",
            ]
        ),
    ),
    "awsacct": (None, lambda c: str(c.rng.randint(10**11, 10**12 - 1))),
    # ---- always unlabeled (hard negatives and filler)
    "uuid": (None, lambda c: neutral.uuid4(c.rng)),
    "sha": (None, lambda c: neutral.hex_id(c.rng, c.rng.choice([7, 8, 40]))),
    "sha256": (None, lambda c: neutral.hex_id(c.rng, 64)),
    "placeholder": (None, lambda c: secrets.placeholder(c.rng)),
    "public_url": (
        None,
        lambda c: (
            c.domain.public_url(c)
            if c.domain is not None and c.rng.random() < 0.4
            else pools.public_url(c.rng, c.split)
        ),
    ),
    "public_host": (None, lambda c: c.rng.choice(pools.PUBLIC_HOSTS)),
    "public_figure": (
        None,
        _by_lang(pools.PUBLIC_FIGURES),
    ),
    "public_company": (None, lambda c: c.rng.choice(pools.PUBLIC_COMPANIES)),
    "version": (None, lambda c: neutral.version(c.rng)),
    "order": (None, lambda c: neutral.order_number(c.rng)),
    "ticket": (None, lambda c: neutral.ticket_key(c.rng)),
    "date": (None, _date),
    "time": (None, lambda c: f"{c.rng.randint(0, 23):02d}:{c.rng.randint(0, 59):02d}"),
    "ts": (
        None,
        lambda c: (
            f"{c.rng.randint(2024, 2026)}-{c.rng.randint(1, 12):02d}-{c.rng.randint(1, 28):02d}T{c.rng.randint(0, 23):02d}:{c.rng.randint(0, 59):02d}:{c.rng.randint(0, 59):02d}{c.rng.choice(['Z', '.123Z', '+01:00', ''])}"
        ),
    ),
    "city": (None, lambda c: str(c.faker().city())),
    "n": (None, lambda c: str(c.rng.randint(2, 60))),
    "q": (None, lambda c: str(c.rng.randint(1, 4))),
    "num": (None, lambda c: str(c.rng.randint(100, 99999))),
    "example_email": (
        None,
        lambda c: c.rng.choice(
            [
                "user@example.com",
                "jane.doe@example.com",
                "foo@example.org",
                "test@example.net",
                "you@example.com",
                "noreply@example.com",
                "admin@example.org",
                "name@domain.com",
            ]
        ),
    ),  # fmt: skip
    "public_ip": (
        None,
        lambda c: c.rng.choice(
            ["8.8.8.8", "1.1.1.1", "142.250.74.46", "151.101.1.69", "93.184.216.34", "127.0.0.1"]
        ),
    ),
    "word": (None, _word(None)),
    "animal": (None, _word("animal")),
    "bird": (None, _word("bird")),
    "tree": (None, _word("tree")),
    "sky": (None, _word("sky")),
    "mineral": (None, _word("mineral")),
    "public_money": (None, _pub_money),
    "fake_person": (None, people.person),
    "bic": (
        None,
        lambda c: c.rng.choice(
            [
                "DEUTDEFF",
                "COBADEFFXXX",
                "BNPAFRPP",
                "SOGEFRPP",
                "MHCBJPJT",
                "BKCHCNBJ",
                "CHASUS33",
                "GENODEF1M04",
            ]
        ),
    ),
    "bank": (
        None,
        lambda c: c.rng.choice(
            {
                "ja": ["三菱UFJ", "三井住友", "みずほ", "りそな", "ゆうちょ"],
                "zh": ["招商银行", "工商银行", "建设银行", "中国银行"],
            }.get(c.lang, ["Chase", "Sparkasse", "BNP"])
        ),
    ),
    "branch": (None, lambda c: c.rng.choice(["新宿", "梅田", "本店", "渋谷", "横浜", "難波"])),
    "software": (None, lambda c: c.rng.choice(pools.PUBLIC_SOFTWARE)),
    "namesake": (None, _namesake),
    "event": (None, _by_lang(pools.PUBLIC_EVENTS)),
    "pw_word": (None, _by_lang(pools.PASSWORD_WORDS)),
    "objid": (None, lambda c: neutral.object_id(c.rng)),
    "slugid": (None, lambda c: neutral.slug_id(c.rng)),
    "pod": (None, lambda c: neutral.pod_name(c.rng)),
    "institution": (
        None,
        lambda c: c.rng.choice(pools.PUBLIC_INSTITUTIONS.get(c.lang, pools.PUBLIC_INSTITUTIONS["en"])),
    ),
    "year": (None, lambda c: str(c.rng.randint(2019, 2027))),
}


def _negative_value(ctx: Ctx, key: str) -> str:
    label = SLOTS[key][0]
    if key in NEG_SWITCH:
        return ctx.rng.choice(NEG_SWITCH[key])
    if label == "SECRET":
        return secrets.placeholder(ctx.rng)
    if label == "EMAIL":
        return SLOTS["example_email"][1](ctx)
    if label == "INTERNAL_HOST":
        return ctx.rng.choice(NEG_SWITCH["host"])
    return ctx.rng.choice(("<value>", "N/A", "TBD", "xxx"))


def slot_value(ctx: Ctx, name: str) -> tuple[str, str | None]:
    """Render slot ``name`` (as written in the template) to ``(value, label or None)``.

    ``NAME`` (upper) -> labeled; ``name`` (lower) -> unlabeled; ``Name`` -> unlabeled, capitalised.
    ``name#k`` reuses the k-th value of that slot within the example. ``?NAME`` is labeled unless
    ``ctx.negative``, in which case it renders a placeholder / documentation value, unlabeled.

    Raises:
        KeyError: unknown slot (a bug in a template).
    """
    if name.startswith("?"):
        if ctx.negative:
            return _negative_value(ctx, name[1:].lower()), None
        name = name[1:]
    base, _, ref = name.partition("#")
    key = base.lower()
    label, gen = SLOTS[key]
    if ref:
        memo_key = f"{key}#{ref}"
        if memo_key not in ctx.memo:
            ctx.memo[memo_key] = gen(ctx)
        value = ctx.memo[memo_key]
    else:
        value = gen(ctx)
    if base.isupper() and label is not None:
        return value, label
    if base[:1].isupper() and not base.isupper():
        value = value[:1].upper() + value[1:]
    return value, None
