"""Shape checks of model spans (guard.model.shapes) and their use by Guard."""

from __future__ import annotations

from pathlib import Path

import pytest

from guard import Guard
from guard.model.shapes import complete_secret, plausible
from tests.fixtures.tiny_model import build_table_model, tags_for_substrings


@pytest.mark.parametrize(
    ("label", "value"),
    [
        ("PHONE", "(512) 846-3390"),
        ("PHONE", "+81 90-1234-5678"),
        ("PHONE", "555-0199"),
        ("PHONE", "０９０-１２３４-５６７８"),  # full-width digits are digits
        ("CREDIT_CARD", "3721 440974 99210"),
        ("CREDIT_CARD", "4954-2555-0349-1068"),
        ("CREDIT_CARD", "630427373398"),  # Maestro, 12 digits
        ("CREDIT_CARD", "180016070420458"),  # JCB 1800
        ("FINANCIAL", "4,000 RSUs"),
        ("FINANCIAL", "3,2 Mio. €"),
        ("FINANCIAL", "2.4億"),
        ("BANK_ACCOUNT", "4817203"),
        ("BANK_ACCOUNT", "BE02 8012 5382 5515"),
        ("NATIONAL_ID", "VJW3TY7WL4"),
        ("NATIONAL_ID", "645-26-8057"),
        ("NATIONAL_ID", "11010519491231002X"),
        ("EMAIL", "stefan.albrecht@kestrel-dynamics.com"),
        ("EMAIL", "jane＠example.jp"),
        ("EMAIL", "jane.doe [at] acme.de"),
        ("FINANCIAL", "+6 %"),
        ("FINANCIAL", "三千万円"),
        ("INTERNAL_HOST", "pay-gw.corp.kestrel-dyn.net"),
        ("INTERNAL_HOST", "https://dataroom.corp.kestrel-dyn.net/bh/"),
        ("INTERNAL_HOST", "10.20.3.4"),
        ("INTERNAL_HOST", "[fd00::1]"),
        ("INTERNAL_HOST", "192.168.10.4:5432"),
        ("INTERNAL_HOST", "jenkins"),
        ("SECRET", "Osaka2024!!"),
        ("SECRET", "Kestrel_Admin_2024"),
        ("SECRET", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPL"),
        ("SECRET", "r3d1s-SZ-88"),
        ("CODENAME", "Blue Heron"),
        ("CODENAME", "Projekt Blaureiher"),
        ("CODENAME", "月光"),
        ("PERSON", "-"),  # labels without a shape are never filtered
        ("CUSTOMER", "x"),
    ],
)
def test_real_values_pass(label: str, value: str) -> None:
    assert plausible(label, value)


@pytest.mark.parametrize(
    ("label", "value"),
    [
        ("PHONE", "-243"),
        ("PHONE", "v2.14.1"),
        ("CREDIT_CARD", "**** **** **** 1234"),
        ("BANK_ACCOUNT", "DEUTDEFF"),  # a BIC alone
        ("NATIONAL_ID", "ABCDEFG1"),
        ("NATIONAL_ID", "A1B2"),
        ("EMAIL", "jane.doe"),
        ("FINANCIAL", "revenue"),
        ("INTERNAL_HOST", "-306"),
        ("INTERNAL_HOST", "corp."),
        ("INTERNAL_HOST", "c"),
        ("INTERNAL_HOST", "51.182.58.167"),
        ("INTERNAL_HOST", "8.8.8.8:53"),
        ("INTERNAL_HOST", "[2001:4860:4860::8888]"),
        ("PHONE", "94.212.61.43"),
        ("NATIONAL_ID", "3839ms"),
        ("NATIONAL_ID", "98462KB"),
        ("BANK_ACCOUNT", "1048576 bytes"),
        ("SECRET", "248"),
        ("SECRET", "------+--------"),
        ("CODENAME", "18"),
        ("CREDIT_CARD", "4410-2291-0037"),
        ("CREDIT_CARD", "4954 2555 0349 1067"),  # Luhn fails
        ("FINANCIAL", "3,2 Go"),
        ("FINANCIAL", "6 000 m²"),
        ("FINANCIAL", "1 284 fichiers"),
        ("FINANCIAL", "512 MB"),
        ("SECRET", "ab c1"),
        # code, files and public material the model reads as secrets (issue 22)
        ("SECRET", "__Pyx_PyBool_FromLong"),
        ("SECRET", "XXH3_scrambleAcc"),
        ("SECRET", "curand_philox4x32_x.h"),
        ("SECRET", "#anstyle-query@1.1.4"),
        ("SECRET", "tzdata/zoneinfo/Antarctica"),
        ("SECRET", "/zoneinfo/Europe"),
        ("SECRET", "CertStore.umask_secret"),
        ("SECRET", "xoxb-xxxxxxxxxxxx"),
        ("SECRET", "aaaa1111bbbb2222"),
        ("SECRET", "pk_live_51HqLyjWDarjtT1zdp7dc"),
        ("SECRET", "sha512-9bGZsc1pA2UAnD0Ts0yWpyXo"),
        ("SECRET", "YmFyCg=="),
        ("CODENAME", "Thursday"),
        ("CODENAME", "Donnerstag"),
        ("CODENAME", "jeudi,"),
        ("CODENAME", "木曜日"),
        ("CODENAME", "星期四"),
    ],
)
def test_impossible_shapes_fail(label: str, value: str) -> None:
    assert not plausible(label, value)


def test_guard_drops_implausible_model_spans_only(tmp_path: Path) -> None:
    text = "room 4711 or call 0171 8463390, write to jane.doe"
    model = build_table_model(
        tmp_path / "table",
        tags_for_substrings(text, {"4711": "PHONE", "0171 8463390": "PHONE", "jane.doe": "EMAIL"}),
        max_length=64,
        stride=16,
    )
    guard = Guard.load(model=model)
    spans = {(text[f.start : f.end], f.label) for f in guard.model.analyze(text).findings}  # type: ignore[union-attr]
    assert {("4711", "PHONE"), ("0171 8463390", "PHONE"), ("jane.doe", "EMAIL")} <= spans
    found = [(text[f.start : f.end], f.label) for f in guard.scan(text).findings]
    assert found == [("0171 8463390", "PHONE")]


@pytest.mark.parametrize(
    ("text", "cut", "value"),
    [
        # the model stopped at a symbol: the rest of the run is the same credential
        ("new vpn password is 0bMtnB6fOE!<:gHA8 (don't share)", "0bMtnB6fOE!", "0bMtnB6fOE!<:gHA8"),
        ("Das Passwort lautet 0u4lbrwzAi!,|8bS39, bitte nicht", "0u4lbrwzAi!", "0u4lbrwzAi!,|8bS39"),
        # it ends before sentence punctuation, a closing quote or bracket, CJK text, the next form field
        ("the token is Zq8v$Rm2pLk4sTw9x.", "Zq8v", "Zq8v$Rm2pLk4sTw9x"),
        ("try `Zq8v$Rm2pLk4sTw9x` instead", "Zq8v", "Zq8v$Rm2pLk4sTw9x"),
        ("(password: Zq8v$Rm2pLk4sTw9x)", "Zq8v", "Zq8v$Rm2pLk4sTw9x"),
        ("我的密钥是Zq8v$Rm2pLk4sTw9x，请不要外传。", "Zq8v", "Zq8v$Rm2pLk4sTw9x"),
        ("token=Zq8v$Rm2pLk4sTw9x&user=ops", "Zq8v", "Zq8v$Rm2pLk4sTw9x"),
        # a span that already ends at the end of its value is left as it is
        ("password Zq8v$Rm2pLk4sTw9x!", "Zq8v$Rm2pLk4sTw9x!", "Zq8v$Rm2pLk4sTw9x!"),
        ("Zq8v$Rm2pLk4sTw9x", "Zq8v$Rm2pLk4sTw9x", "Zq8v$Rm2pLk4sTw9x"),
    ],
)  # fmt: skip
def test_complete_secret_carries_a_cut_span_to_the_end_of_its_value(text: str, cut: str, value: str) -> None:
    start = text.index(cut)
    assert text[start : complete_secret(text, start, start + len(cut))] == value


def test_complete_secret_leaves_a_span_in_an_overlong_run_alone() -> None:
    text = "key " + "Ab1" * 200
    assert complete_secret(text, 4, 10) == 10


def test_guard_reports_the_whole_secret_the_model_cut_short(tmp_path: Path) -> None:
    text = "new vpn password is 0bMtnB6fOE!<:gHA8 (don't share)"
    model = build_table_model(
        tmp_path / "table", tags_for_substrings(text, {"0bMtnB6fOE!": "SECRET"}), max_length=64, stride=16
    )
    guard = Guard.load(model=model)
    found = [(text[f.start : f.end], f.label) for f in guard.scan(text).findings]
    assert found == [("0bMtnB6fOE!<:gHA8", "SECRET")]
