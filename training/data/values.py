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
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from training.data import ids, pools, secrets

__all__ = ["SLOTS", "Ctx", "make_fakers", "slot_value"]

FAKER_LOCALES = {"en": "en_US", "de": "de_DE", "fr": "fr_FR", "ja": "ja_JP", "zh": "zh_CN"}


#: extra Latin-script locales for the names of people writing or written about in en/de/fr texts
EXTRA_NAME_LOCALES = ("en_IN", "es_ES", "it_IT", "pl_PL", "tr_TR", "pt_BR", "nl_NL", "en_GB")


def make_fakers(seed: int) -> dict[str, Any]:
    """One seeded Faker per language plus extra name locales (``x:<locale>`` keys).

    Faker is imported lazily: it is a training-only dependency.
    """
    from faker import Faker

    fakers: dict[str, Any] = {}
    for i, locale in enumerate(EXTRA_NAME_LOCALES):
        fk = Faker(locale)
        fk.seed_instance(seed * 13 + i)
        fakers[f"x:{locale}"] = fk
    for i, (lang, locale) in enumerate(FAKER_LOCALES.items()):
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


def _person(ctx: Ctx) -> str:
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


def _first(ctx: Ctx) -> str:
    roman = _romanized(ctx)
    return _casual(ctx, roman[0] if roman else str(_name_faker(ctx).first_name()))


def _last(ctx: Ctx) -> str:
    roman = _romanized(ctx)
    return _casual(ctx, roman[1] if roman else str(_name_faker(ctx).last_name()))


_FREE_MAIL = {"en": ("gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "hotmail.com"),
              "de": ("gmx.de", "web.de", "t-online.de", "gmail.com", "posteo.de"),
              "fr": ("orange.fr", "free.fr", "laposte.net", "gmail.com", "sfr.fr"),
              "ja": ("yahoo.co.jp", "gmail.com", "docomo.ne.jp", "ezweb.ne.jp", "icloud.com"),
              "zh": ("qq.com", "163.com", "126.com", "sina.com", "gmail.com", "foxmail.com")}  # fmt: skip
_TLD = {"en": (".com", ".io", ".co.uk", ".us"), "de": (".de", ".com", ".at", ".ch"), "fr": (".fr", ".com", ".eu"),
        "ja": (".co.jp", ".jp", ".com"), "zh": (".com.cn", ".cn", ".com")}  # fmt: skip


def _email(ctx: Ctx) -> str:
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


def _phone(ctx: Ctx) -> str:
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


def _address(ctx: Ctx, multiline: bool = False) -> str:
    fk = ctx.faker()
    if ctx.lang == "en" and ctx.rng.random() < 0.2:
        fk = ctx.fakers["x:en_GB"]
    addr = str(fk.address())
    if ctx.lang == "ja":
        addr = (
            "〒" + f"{ctx.rng.randint(100, 999)}-{ctx.rng.randint(0, 9999):04d} " + addr
            if ctx.rng.random() < 0.4
            else addr
        )
    if not multiline:
        addr = addr.replace("\n", ", ")
    return addr


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


def _word(category: str | None) -> Callable[[Ctx], str]:
    def gen(ctx: Ctx) -> str:
        lang = ctx.lang if ctx.lang in pools.CODENAME_WORDS else "en"
        if ctx.domain is not None and ctx.domain.ordinary_words and ctx.rng.random() < 0.7:
            return str(ctx.domain.ordinary_word(ctx, category))
        word, _ = pools.codename_word(ctx.rng, lang, ctx.split, category)
        return word.lower() if lang in ("en", "fr") and ctx.rng.random() < 0.8 else word

    return gen


def _date(ctx: Ctx) -> str:
    rng = ctx.rng
    y, m, d = rng.randint(2019, 2027), rng.randint(1, 12), rng.randint(1, 28)
    return {"de": f"{d:02d}.{m:02d}.{y}", "fr": f"{d:02d}/{m:02d}/{y}", "ja": f"{y}年{m}月{d}日",
            "zh": f"{y}年{m}月{d}日"}.get(ctx.lang, rng.choice([f"{y}-{m:02d}-{d:02d}", f"{m}/{d}/{y}"]))  # fmt: skip


def _pub_money(ctx: Ctx) -> str:
    return pools.money(ctx.rng, ctx.lang)


#: slot name -> (label or None, generator)
SLOTS: dict[str, tuple[str | None, Callable[[Ctx], str]]] = {
    "person": ("PERSON", _person),
    "first": ("PERSON", _first),
    "last": ("PERSON", _last),
    "email": ("EMAIL", _email),
    "phone": ("PHONE", _phone),
    "address": ("ADDRESS", _address),
    "address_ml": ("ADDRESS", lambda c: _address(c, multiline=True)),
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
    "money": ("FINANCIAL", lambda c: pools.money(c.rng, c.lang)),
    "pct": ("FINANCIAL", lambda c: pools.percent(c.rng, c.lang)),
    "salary": ("FINANCIAL", lambda c: pools.salary(c.rng, c.lang)),
    "price": (None, lambda c: pools.price(c.rng, c.lang)),
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
                f"1Z{pools.alnum(c.rng, 16)}",
                f"JD{c.rng.randint(10**17, 10**18 - 1)}",
                f"{c.rng.randint(10**11, 10**12 - 1)}",
                f"SF{c.rng.randint(10**11, 10**12 - 1)}",
                f"LX{c.rng.randint(10**8, 10**9 - 1)}DE",
            ]
        ),
    ),
    "awsacct": (None, lambda c: str(c.rng.randint(10**11, 10**12 - 1))),
    # ---- always unlabeled (hard negatives and filler)
    "uuid": (None, lambda c: pools.uuid4(c.rng)),
    "sha": (None, lambda c: pools.hex_id(c.rng, c.rng.choice([7, 8, 40]))),
    "sha256": (None, lambda c: pools.hex_id(c.rng, 64)),
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
        lambda c: c.rng.choice(pools.PUBLIC_FIGURES.get(c.lang, pools.PUBLIC_FIGURES["en"])),
    ),
    "public_company": (None, lambda c: c.rng.choice(pools.PUBLIC_COMPANIES)),
    "version": (None, lambda c: pools.version(c.rng)),
    "order": (None, lambda c: pools.order_number(c.rng)),
    "ticket": (None, lambda c: pools.ticket_key(c.rng)),
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
    "fake_person": (None, _person),
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
}


_NEG_SWITCH: dict[str, tuple[str, ...]] = {
    "baseurl": (
        "http://localhost:8080",
        "https://api.example.com",
        "https://registry.npmjs.org",
        "https://kubernetes.default.svc",
    ),
    "jdbc": ("jdbc:postgresql://localhost:5432/test", "jdbc:h2:mem:testdb", "jdbc:mysql://db:3306/app"),
    "ipport": ("127.0.0.1:5432", "0.0.0.0:8080", "localhost:6379"),
    "cred_url": (
        "https://${GIT_USER}:${GIT_TOKEN}@github.com/org/repo.git",
        "https://<user>:<token>@gitlab.com/group/repo.git",
        "https://x-access-token:${{ secrets.GITHUB_TOKEN }}@github.com/acme/app.git",
    ),
    "pem_json": (
        "-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----",
        "<private-key>",
        "${PRIVATE_KEY}",
    ),
    "awskey": (
        "AKIAIOSFODNN7EXAMPLE",
        "AKIAXXXXXXXXXXXXXXXX",
        "${AWS_ACCESS_KEY_ID}",
        "<access-key-id>",
    ),  # gitleaks:allow
    "awssecret": (
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "${AWS_SECRET_ACCESS_KEY}",
        "<secret-access-key>",
    ),  # gitleaks:allow
    "db_uri": (
        "postgresql://user:${DB_PASSWORD}@localhost:5432/app",
        "postgres://localhost/dev",
        "sqlite:///app.db",
        "mongodb://localhost:27017",
        "redis://localhost:6379/0",
        "mysql://root:<password>@127.0.0.1/test",
        "postgresql://postgres:postgres@localhost/postgres",
        "${DATABASE_URL}",
    ),
    "host": (
        "localhost",
        "db",
        "redis",
        "api.example.com",
        "example.com",
        "github.com",
        "registry.npmjs.org",
        "smtp.gmail.com",
        "api.openai.com",
        "pypi.org",
    ),
    "hostport": (
        "localhost:5432",
        "127.0.0.1:8080",
        "db:5432",
        "redis:6379",
        "api.example.com:443",
        "0.0.0.0:8000",
    ),
    "ip": ("127.0.0.1", "0.0.0.0", "8.8.8.8", "1.1.1.1", "203.0.113.7", "198.51.100.23"),
    "url": (
        "http://localhost:8080/api",
        "https://api.example.com/v1",
        "https://httpbin.org/get",
        "https://api.github.com/repos/octocat/hello-world",
        "https://jsonplaceholder.typicode.com/posts/1",
    ),
    "person": ("<name>", "John Doe", "Jane Doe", "Test User", "%s", "{{ user.name }}", "Max Mustermann"),
    "phone": ("+1 555 0100", "555-0123", "000-000-0000", "<phone>", "+49 000 0000000"),
    "address": ("<address>", "{{ address }}", "N/A"),
    "card": ("**** **** **** 4821", "XXXX-XXXX-XXXX-1234", "<card-number>", "************1881"),
    "iban": ("<IBAN>", "DEXX XXXX XXXX XXXX XXXX XX", "${IBAN}"),
    "national_id": ("XXX-XX-XXXX", "000-00-0000", "<ssn>", "***-**-1234"),
}


def _negative_value(ctx: Ctx, key: str) -> str:
    label = SLOTS[key][0]
    if key in _NEG_SWITCH:
        return ctx.rng.choice(_NEG_SWITCH[key])
    if label == "SECRET":
        return secrets.placeholder(ctx.rng)
    if label == "EMAIL":
        return SLOTS["example_email"][1](ctx)
    if label == "INTERNAL_HOST":
        return ctx.rng.choice(_NEG_SWITCH["host"])
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
