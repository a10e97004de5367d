"""Deterministic multilingual sample strings for tokenizer/embedding checks and vocabulary trimming.

Faker locales en_US, de_DE, fr_FR, ja_JP and zh_CN give sentences, names, addresses, companies and
jobs; generic code, config, log, URL and emoji strings cover what outbound traffic also carries.
All values are synthetic; nothing here is guarded text.
"""

from __future__ import annotations

import random
from collections.abc import Callable

__all__ = ["CATEGORIES", "LOCALES", "code_like_strings", "labelled_sample_texts", "sample_texts"]

LOCALES = ("en_US", "de_DE", "fr_FR", "ja_JP", "zh_CN")
CATEGORIES = (*LOCALES, "code")
_EMOJI = ["😀", "🚀", "✅", "❌", "🔥", "👍🏽", "🇩🇪", "🇯🇵", "👩‍💻", "™", "€", "£", "¥", "©", "…"]


def _locale_strings(locale: str, rng: random.Random, n: int) -> list[str]:
    from faker import Faker

    fake = Faker(locale)
    fake.seed_instance(rng.randrange(2**31))
    makers: list[Callable[[], str]] = [
        lambda: fake.sentence(nb_words=rng.randint(4, 16)),
        lambda: fake.paragraph(nb_sentences=rng.randint(2, 4)),
        fake.name,
        lambda: fake.address().replace("\n", ", "),
        fake.company,
        fake.job,
        lambda: f"{fake.name()} <{fake.email()}> {fake.phone_number()}",
        lambda: f"{fake.city()} {fake.postcode()} {fake.date()} {fake.iban()}",
    ]
    return [rng.choice(makers)() for _ in range(n)]


def code_like_strings(rng: random.Random, n: int) -> list[str]:
    """Generic code, config, log, URL and emoji strings (deterministic for a given ``rng``)."""
    words = ["user", "token", "config", "server", "retry", "timeout", "payload", "cache", "db", "auth"]
    levels = ["INFO", "WARN", "ERROR", "DEBUG"]

    def ident() -> str:
        return "_".join(rng.sample(words, rng.randint(1, 3)))

    def hexs(k: int) -> str:
        return "".join(rng.choice("0123456789abcdef") for _ in range(k))

    makers: list[Callable[[], str]] = [
        lambda: f"def {ident()}(self, {ident()}: int = {rng.randint(0, 99)}) -> dict[str, Any]:",
        lambda: f'{{"{ident()}": "{hexs(12)}", "{ident()}": [{rng.randint(0, 9)}, null, true]}}',
        lambda: f"{ident().upper()}={hexs(24)} # {rng.choice(words)}",
        lambda: (
            f"2026-11-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:14:07Z {rng.choice(levels)} "
            f"[{ident()}] request_id={hexs(8)} status={rng.choice([200, 404, 500])} took={rng.random():.3f}s"
        ),
        lambda: (
            f"https://{rng.choice(words)}.example.com/{ident()}/{hexs(6)}"
            f"?q={ident()}&page={rng.randint(1, 9)}"
        ),
        lambda: f"SELECT {ident()}, COUNT(*) FROM {ident()} WHERE id = {rng.randint(1, 9999)} GROUP BY 1;",
        lambda: f"curl -H 'Authorization: Bearer {hexs(32)}' https://api.example.org/v{rng.randint(1, 3)}",
        lambda: f"{rng.choice(_EMOJI)} {ident()} {rng.choice(_EMOJI)}{rng.choice(_EMOJI)} done!!",
        lambda: f"    if ({ident()} != NULL && {ident()}->len > {rng.randint(0, 64)}) {{ return -1; }}",
        lambda: (
            f"ssh {rng.choice(words)}@10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.7"
            f" -p {rng.randint(22, 2222)}"
        ),
    ]
    return [rng.choice(makers)() for _ in range(n)]


def sample_texts(n: int, seed: int = 0) -> list[str]:
    """Return ``n`` strings: ~1/6 per Faker locale and ~1/6 code/config/log/URL/emoji strings.

    Args:
        n: total number of strings.
        seed: RNG seed; the same ``(n, seed)`` always gives the same list.
    """
    rng = random.Random(seed)
    per = n // (len(LOCALES) + 1)
    out: list[str] = []
    for locale in LOCALES:
        out.extend(_locale_strings(locale, rng, per))
    out.extend(code_like_strings(rng, n - len(out)))
    return out


def labelled_sample_texts(n: int, seed: int = 0) -> list[tuple[str, str]]:
    """Like :func:`sample_texts` but each string comes with its category (a locale or ``"code"``)."""
    texts = sample_texts(n, seed)
    per = n // (len(LOCALES) + 1)
    return [(CATEGORIES[min(i // per, len(LOCALES))] if per else "code", t) for i, t in enumerate(texts)]
