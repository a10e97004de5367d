"""Generated identifiers carry valid check digits, cross-checked with guard's own validators."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from guard.detect import validators as gv
from training.data import ids

CASES: list[tuple[Callable[[random.Random], str], Callable[[str], bool], Callable[[str], bool]]] = [
    (ids.card_number, ids.luhn_valid, gv.luhn),
    (ids.iban, ids.iban_valid, gv.iban),
    (ids.us_routing_number, ids.aba_valid, gv.aba_routing),
    (ids.us_ssn, lambda v: True, gv.us_ssn),
    (ids.de_steuer_id, ids.de_steuer_id_valid, gv.de_steuer_id),
    (ids.de_personalausweis, ids.de_personalausweis_valid, gv.de_id_card),
    (ids.de_sv_nummer, ids.de_sv_nummer_valid, gv.de_sv_nummer),
    (ids.fr_nir, ids.fr_nir_valid, gv.fr_nir),
    (ids.jp_my_number, ids.jp_my_number_valid, gv.jp_my_number),
    (ids.cn_resident_id, ids.cn_resident_id_valid, gv.cn_resident_id),
]


@pytest.mark.parametrize(("gen", "own", "guard_check"), CASES, ids=[c[0].__name__ for c in CASES])
def test_generated_ids_pass_both_validators(
    gen: Callable[[random.Random], str], own: Callable[[str], bool], guard_check: Callable[[str], bool]
) -> None:
    rng = random.Random(gen.__name__)
    for _ in range(300):
        value = gen(rng)
        assert own(value), value
        assert guard_check(value), value


@pytest.mark.parametrize(
    ("check", "good", "bad"),
    [
        (ids.luhn_valid, "4111 1111 1111 1111", "4111 1111 1111 1112"),
        (ids.iban_valid, "DE89 3704 0044 0532 0130 00", "DE88 3704 0044 0532 0130 00"),
        (ids.aba_valid, "021000021", "021000022"),
        (ids.jp_my_number_valid, "123456789018", "123456789019"),
        (ids.cn_resident_id_valid, "11010519491231002X", "110105194912310021"),
        (ids.fr_nir_valid, "255081416802538", "255081416802539"),
    ],
)
def test_validators_on_known_values(check: Callable[[str], bool], good: str, bad: str) -> None:
    assert check(good)
    assert not check(bad)


@pytest.mark.parametrize("brand", ["visa", "mastercard", "amex", "unionpay", "jcb", "discover"])
def test_card_brands(brand: str) -> None:
    rng = random.Random(brand)
    prefixes = {"visa": ("4",), "mastercard": ("5", "2"), "amex": ("34", "37"), "unionpay": ("62",),
                "jcb": ("35",), "discover": ("6011", "65")}[brand]  # fmt: skip
    for _ in range(50):
        digits = "".join(c for c in ids.card_number(rng, brand) if c.isdigit())
        assert digits.startswith(prefixes) and ids.luhn_valid(digits)


def test_iban_countries() -> None:
    rng = random.Random(0)
    for country in ids.IBAN_FORMATS:
        value = ids.iban(rng, country).replace(" ", "")
        assert value.startswith(country) and ids.iban_valid(value)


def test_lookalikes_are_valid_but_not_cards() -> None:
    rng = random.Random(5)
    for _ in range(100):
        value = ids.imei(rng)
        assert len(value) == 15 and ids.luhn_valid(value)  # a hard negative for CREDIT_CARD
        ean = ids.ean13(rng)
        assert len(ean) == 13 and ids._ean_check(ean[:12]) == ean[12]
        assert ids.isbn13(rng).replace("-", "").startswith(("978", "979"))
