"""Every validator with true cases (published examples) and near misses (one digit off, bad format)."""

from __future__ import annotations

import pytest

from guard.detect.validators import VALIDATORS, shannon_entropy

_PEM_BODY = (
    "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n"
    "MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\n-----END PRIVATE KEY-----"
)  # made-up base64, not a key  gitleaks:allow

# (validator, value, expected). True cases are documented example numbers, not real people's.
CASES = [
    ("password_like", "Welcome_1557#", True),
    ("password_like", "Invalid", False),
    ("pem_key_body", _PEM_BODY, True),
    ("random_token", "9f86d081884c7d659a2feaa0c55ad015", True),  # a hex key
    ("random_token", "Xk29fLq0Zr7Yb3Nw", True),
    ("random_token", "administrator", False),  # one class
    ("random_token", "ab12ab12ab12ab12", False),  # repeated filler
    ("pem_key_body", "-----BEGIN PRIVATE KEY-----\nanything\n-----END PRIVATE KEY-----", False),
    ("pem_key_body", "-----BEGIN PRIVATE KEY-----\n" + "A" * 200 + "\n-----END PRIVATE KEY-----", False),
    ("luhn", "4111 1111 1111 1111", True),
    ("luhn", "5555-5555-5555-4444", True),
    ("luhn", "378282246310005", True),
    ("luhn", "4111 1111 1111 1112", False),  # Luhn fails
    ("luhn", "0000 0000 0000 0000", False),  # no issuer starts with 0
    ("luhn", "4444444444444448", True),
    ("luhn", "1234", False),
    ("iban", "DE89 3704 0044 0532 0130 00", True),
    ("iban", "GB82WEST12345698765432", True),
    ("iban", "FR1420041010050500013M02606", True),
    ("iban", "DE89370400440532013001", False),  # mod-97 fails
    ("iban", "DE8937040044053201300", False),  # one character short for DE
    ("iban", "XX89370400440532013000", False),  # unknown country
    ("us_ssn", "536-90-4399", True),
    ("us_ssn", "000-12-3456", False),
    ("us_ssn", "666-12-3456", False),
    ("us_ssn", "912-12-3456", False),
    ("us_ssn", "536-00-4399", False),
    ("us_ssn", "536-90-0000", False),
    ("us_ssn", "078-05-1120", False),  # the Woolworth wallet card number
    ("de_steuer_id", "86095742719", True),
    ("de_steuer_id", "65929970489", True),
    ("de_steuer_id", "86095742718", False),  # check digit off
    ("de_steuer_id", "01234567890", False),  # leading zero
    ("de_steuer_id", "12345678903", False),  # no repeated digit
    ("de_steuer_id", "11123456780", False),  # three adjacent equal digits
    ("de_id_card", "T220001293", True),
    ("de_id_card", "L01X00T471", True),
    ("de_id_card", "T220001294", False),
    ("de_id_card", "A220001293", False),  # A is not in the ID-card alphabet
    ("de_sv_nummer", "65170839J003", True),
    ("de_sv_nummer", "65 170839 J 00 3", True),
    ("de_sv_nummer", "65170839J004", False),
    ("de_sv_nummer", "65171339J003", False),  # month 13
    ("fr_nir", "2 55 08 14 168 025 38", True),
    ("fr_nir", "1 84 12 76 451 089 46", True),
    ("fr_nir", "1 84 12 76 451 089 47", False),
    ("fr_nir", "5 84 12 76 451 089 46", False),  # sex digit 5
    ("fr_nir", "2 90 02 2A 004 001 29", True),  # Corsica: 2A counts as 19 (97 - 2900219004001 % 97)
    ("fr_nir", "2 90 02 2B 004 001 56", True),  # 2B counts as 18 (97 - 2900218004001 % 97)
    ("fr_nir", "2 90 02 2A 004 001 56", False),  # the 2B key on a 2A number
    ("jp_my_number", "123456789018", True),
    ("jp_my_number", "123456789017", False),
    ("jp_my_number", "111111111111", False),
    ("cn_resident_id", "11010519491231002X", True),
    ("cn_resident_id", "110105194912310021", False),  # wrong check character
    ("cn_resident_id", "11010519491331002X", False),  # month 13
    ("uk_nino", "AB123456C", True),
    ("uk_nino", "AB 12 34 56 C", True),
    ("uk_nino", "QQ123456C", False),  # Q never a first letter
    ("uk_nino", "GB123456A", False),  # excluded prefix
    ("uk_nino", "AB123456E", False),  # suffix beyond D
    ("aba_routing", "021000021", True),
    ("aba_routing", "011000015", True),
    ("aba_routing", "021000022", False),
    ("aba_routing", "991000015", False),  # no such Fed prefix
    ("nl_bsn", "111222333", True),
    ("nl_bsn", "123456782", True),
    ("nl_bsn", "123456789", False),
    ("es_dni", "12345678Z", True),
    ("es_dni", "X1234567L", True),
    ("es_dni", "12345678A", False),
    ("private_ip", "10.40.3.4", True),
    ("private_ip", "172.31.255.1", True),
    ("private_ip", "192.168.0.1", True),
    ("private_ip", "fd12:3456:789a::1", True),
    ("private_ip", "fe80::1", True),
    ("private_ip", "172.32.0.1", False),  # just outside 172.16/12
    ("private_ip", "8.8.8.8", False),
    ("private_ip", "10.0.0.256", False),
    ("private_ip", "2001:db8::1", False),
    ("email", "jane.doe@acme.de", True),
    ("email", "user@example.com", False),
    ("email", "bob@mail.test", False),
    ("email", "a..b@acme.de", False),
    ("phone", "+49 89 1234567", True),
    ("phone", "03-1234-5678", True),
    ("phone", "+1 111 111 1111", False),  # one repeated digit
    ("phone", "20241231", False),  # a date
    (
        "jwt",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        True,
    ),  # gitleaks:allow
    ("jwt", "eyJub3RoaW5nIjoxfQ.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc", False),  # header without alg
    ("jwt", "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.abc", False),  # payload not JSON
    ("basic_auth", "dXNlcjpwYXNzd29yZA==", True),  # user:password
    ("basic_auth", "dXNlcg==", False),  # no colon
    ("basic_auth", "!!notbase64", False),
    ("high_entropy", "Zx9Kq2Lm4Np7Rt1Vw3Yb5Cd8Ef0Gh", True),
    ("high_entropy", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", False),
]


@pytest.mark.parametrize(("name", "value", "expected"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_validator(name: str, value: str, expected: bool) -> None:
    assert VALIDATORS[name](value) is expected


def test_every_validator_has_true_and_false_cases() -> None:
    for name in VALIDATORS:
        outcomes = {expected for n, _, expected in CASES if n == name}
        assert outcomes == {True, False}, name


@pytest.mark.parametrize("name", sorted(VALIDATORS))
@pytest.mark.parametrize("junk", ["", " ", "\x00", "🙂" * 20, "٣٤٥٦٧٨٩٠١٢٣٤", "-" * 30])
def test_validators_never_raise(name: str, junk: str) -> None:
    assert VALIDATORS[name](junk) in (True, False)


def test_shannon_entropy() -> None:
    assert shannon_entropy("") == 0.0
    assert shannon_entropy("aaaa") == 0.0
    assert shannon_entropy("abcd") == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Welcome_1557#", True),
        ("xKfjQpLz", True),
        ("a6YIzrqe3U", True),
        ("Invalid", False),
        ("PASSWORT", False),
        ("required", False),
        ("12345678", False),
    ],
)
def test_password_like(value: str, expected: bool) -> None:
    from guard.detect.validators import password_like

    assert password_like(value) is expected
