"""Money and percentage figures formatted the way each language writes them.

FINANCIAL spans (``$86M``, ``4,2 Mio. €``, ``12億円``, ``3.5亿元``, ``14 %``) and, with the same shapes,
public prices and published numbers used unlabeled in negatives.
"""

# Value tables: one format per line reads better than wrapped strings.
# ruff: noqa: E501

from __future__ import annotations

import random

__all__ = ["money", "percent", "price", "salary"]


def _group(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


def money(rng: random.Random, lang: str) -> str:
    """A money figure formatted as written in ``lang`` (``$86M``, ``4,2 Mio. €``, ``12億円``, ``3.5亿元``)."""
    r = rng.random()
    whole = rng.choice([rng.randint(1, 99), rng.randint(100, 999)])
    dec = rng.randint(1, 9)
    if lang == "de":
        if r < 0.35:
            return rng.choice(
                [
                    f"{whole},{dec} Mio. €",
                    f"€{whole},{dec} Mio.",
                    f"{whole} Mio. EUR",
                    f"{whole},{dec} Mrd. €",
                ]
            )
        if r < 0.7:
            return rng.choice([f"{_group(rng.randint(20, 999) * 1000, '.')} €", f"{_group(rng.randint(20, 999) * 1000, '.')} EUR",
                               f"EUR {_group(rng.randint(2, 99_999) * 100, '.')}"])  # fmt: skip
        return rng.choice(
            [f"{whole} Tsd. €", f"{rng.randint(40, 180)}.000 € brutto", f"{whole} Millionen Euro"]
        )
    if lang == "fr":
        nb = "\u202f" if rng.random() < 0.3 else " "
        if r < 0.4:
            return rng.choice(
                [f"{whole},{dec} M€", f"{whole} millions d'euros", f"{whole},{dec} Md€", f"{whole} M€"]
            )
        return rng.choice([f"{_group(rng.randint(20, 999) * 1000, nb)} €", f"{_group(rng.randint(2, 999) * 100, nb)} euros",
                           f"{rng.randint(35, 150)}{nb}k€"])  # fmt: skip
    if lang == "ja":
        if r < 0.5:
            return rng.choice([f"{whole}億円", f"{whole}億{rng.randint(1, 9)}千万円", f"{_group(rng.randint(100, 9999), ',')}万円",
                               f"{whole}.{dec}億円"])  # fmt: skip
        return rng.choice([f"{_group(rng.randint(30, 2000) * 10000, ',')}円", f"¥{_group(rng.randint(1, 900) * 1000000, ',')}",
                           f"年収{rng.randint(450, 1800)}万円"[2:]])  # fmt: skip
    if lang == "zh":
        if r < 0.5:
            return rng.choice(
                [f"{whole}.{dec}亿元", f"{whole}亿元", f"{rng.randint(100, 9999)}万元", f"{whole}亿人民币"]
            )
        return rng.choice([f"¥{_group(rng.randint(10, 9000) * 1000, ',')}", f"{rng.randint(15, 95)}万", f"RMB {whole}.{dec}M",
                           f"{_group(rng.randint(10, 900) * 1000, ',')}元"])  # fmt: skip
    if r < 0.4:
        return rng.choice([f"${whole}M", f"${whole}.{dec}M", f"${whole}.{dec} million", f"USD {whole}.{dec}bn",
                           f"${whole}.{dec}B", f"€{whole}M", f"£{whole}.{dec}m", f"${whole}k"])  # fmt: skip
    return rng.choice([f"${_group(rng.randint(40, 450) * 1000, ',')}", f"${_group(rng.randint(1, 9999) * 1000, ',')}",
                       f"{_group(rng.randint(1, 900) * 1000, ',')} USD", f"${whole},{rng.randint(0, 999):03d},000",
                       f"{_group(rng.randint(1, 40) * 1000, ',')} RSUs"])  # fmt: skip


def percent(rng: random.Random, lang: str) -> str:
    """A percentage as written in ``lang`` (``14 %`` in de/fr, ``14%`` elsewhere, some with decimals)."""
    value = str(rng.randint(1, 65))
    if rng.random() < 0.3:
        value += ("," if lang in ("de", "fr") else ".") + str(rng.randint(1, 9))
    if lang in ("de", "fr"):
        return value + rng.choice([" %", " %", "%", "\u202f%"])
    if lang in ("ja", "zh") and rng.random() < 0.2:
        return value + "％"
    return value + rng.choice(["%", "%", "%", " percent"]) if lang == "en" else value + "%"


def salary(rng: random.Random, lang: str) -> str:
    """A salary/bonus-scale amount as written in ``lang`` (``$145,000``, ``72.000 €``, ``850万円``)."""
    k = rng.randint(35, 260)
    if lang == "de":
        return rng.choice(
            [
                f"{k}.000 €",
                f"{k}.000 EUR",
                f"{k} T€",
                f"€{k}.000",
                f"{k}k €",
                f"{_group(k * 1000 + rng.choice([0, 500]), '.')} Euro",
            ]
        )
    if lang == "fr":
        return rng.choice([f"{k} 000 €", f"{k}\u202f000 €", f"{k} k€", f"{k}K€", f"{k} 000 euros"])
    if lang == "ja":
        return rng.choice(
            [
                f"{rng.randint(380, 2200)}万円",
                f"{_group(rng.randint(250, 900) * 1000, ',')}円",
                f"¥{_group(k * 100000, ',')}",
            ]
        )
    if lang == "zh":
        return rng.choice([f"{rng.randint(15, 120)}万元", f"{rng.randint(12, 90)}万", f"{_group(rng.randint(8, 60) * 1000, ',')}元",
                           f"¥{_group(rng.randint(200, 900) * 1000, ',')}"])  # fmt: skip
    return rng.choice([f"${_group(k * 1000, ',')}", f"${k}k", f"${k}K", f"£{_group(k * 1000, ',')}", f"{_group(k * 1000, ',')} USD",
                       f"${_group(k * 1000 + rng.randint(1, 9) * 500, ',')}"])  # fmt: skip


def price(rng: random.Random, lang: str) -> str:
    """A public list price (not sensitive): ``$19.99``, ``49 €``, ``1,980円``."""
    small = rng.choice([9, 19, 29, 49, 99, 199, 299, 499, 999, 1299])
    if lang == "de":
        return rng.choice([f"{small},99 €", f"{small} €", f"{small},00 EUR"])
    if lang == "fr":
        return rng.choice([f"{small},99 €", f"{small} €"])
    if lang == "ja":
        return rng.choice([f"{_group(small * 110, ',')}円", f"¥{_group(small * 100 + 80, ',')}"])
    if lang == "zh":
        return rng.choice([f"{small * 7}元", f"¥{small * 7}", f"{small * 7}元/月"])
    return rng.choice([f"${small}.99", f"${small}", f"${small}/month", f"€{small}"])
