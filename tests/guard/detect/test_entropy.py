"""Entropy candidates: random tokens with context score high; hashes, UUIDs, paths, identifiers do not."""

from __future__ import annotations

import pytest

from guard.detect.entropy import NO_CONTEXT_MAX, EntropyDetector

TOKEN = "Zx9Kq2Lm4Np7Rt1Vw3Yb5Cd8Ef0Gh"  # gitleaks:allow


@pytest.fixture(scope="module")
def det() -> EntropyDetector:
    return EntropyDetector()


@pytest.mark.parametrize(
    "prefix",
    ["api_key = ", "token: ", "Passwort: ", "mot de passe : ", "密码：", "パスワード=", "secret=", "auth "],
)
def test_context_words_in_many_languages(det: EntropyDetector, prefix: str) -> None:
    text = prefix + TOKEN
    (f,) = det.detect(text)
    assert text[f.start : f.end] == TOKEN
    assert f.score > NO_CONTEXT_MAX and f.metadata["context"] is True


def test_without_context_capped(det: EntropyDetector) -> None:
    (f,) = det.detect("value " + TOKEN)
    assert 0.0 < f.score <= NO_CONTEXT_MAX and f.metadata["context"] is False


@pytest.mark.parametrize(
    "text",
    [
        "commit 3f786850e387550fdab836ed7e6dc881de23001b",  # git SHA-1
        "md5 9e107d9d372bb6826bd81d3542a419d6",
        "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "request 123e4567-e89b-12d3-a456-426614174000",
        "open src/guard/detect/patterns2/loader.py",
        "class AbstractSingletonProxyFactoryBean",
        "version_2_0_1_release_candidate_12",
        "SGVsbG8gd29ybGQsIHRoaXMgaXMgYSB0ZXN0IQ==",  # base64 of an English sentence
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk",
        "https://example.org/a/very/long/path/segment/name/here",
        "abcdefghijklmnopqrstuvwxyz",  # letters only
        "short Zx9Kq2Lm4",
        "pod billing-6d4bdf49c7-2mdk7 restarted (OOMKilled)",  # Kubernetes generated name
        "api token check failed on frontend-f9f6547f5-v2sjj",  # a pod name even after a context word
        "attached to subnet-0a1b2c3d4e5f67890 in vpc-0fedcba9876543210",  # cloud resource ids
        "webhook evt_1OqXyZ2eZvKYlo2C8fH3kLmN (charge.succeeded) for cus_Nf8sPq2LkXw9Zt",  # Stripe object ids
        # digests of public files: wheel RECORD lines, npm integrity, pip hashes
        "pyarrow/flight.py,sha256=HLB04A0SZ35MZJumPIuBu5I2dpetjEc-CGMEdjQeQRQ,2177",
        '"integrity": "sha512-9bGZsc1pA2UAnD0Ts0yWpyXoLkF7sH3lVw2rTn8yJq0eK4mXzPaQ1bC6dE5fG7hI8jK9lM0n"',
        "requests==2.32.3 --hash=sha256:70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6",
    ],
)
def test_rejections(det: EntropyDetector, text: str) -> None:
    assert det.detect(text) == []


def test_client_secret_with_an_object_prefix_is_kept(det: EntropyDetector) -> None:
    secret = "pi_3MtwBwLkdIwHu7ix28a3tqPa_secret_YrKJUKribcBjcG8HVhfZluoGH"
    (f,) = det.detect(f"clientSecret: {secret}")
    assert f.end - f.start == len(secret)


def test_hex_with_secret_context_is_kept(det: EntropyDetector) -> None:
    text = "secret: 3f786850e387550fdab836ed7e6dc881de23001b"
    (f,) = det.detect(text)
    assert text[f.start : f.end] == "3f786850e387550fdab836ed7e6dc881de23001b"


def test_offsets_after_cjk_and_emoji(det: EntropyDetector) -> None:
    text = "😀👍🏽 密钥：" + TOKEN + "\r\n"
    (f,) = det.detect(text)
    assert text[f.start : f.end] == TOKEN


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        EntropyDetector(min_length=4)


def test_documentation_placeholders_are_not_entropy_secrets() -> None:
    from guard.detect.entropy import EntropyDetector
    from guard.detect.patterns import load_patterns

    detector = EntropyDetector(placeholders=load_patterns().placeholders)
    text = "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # gitleaks:allow
    assert detector.detect(text) == []
    real = "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8Tk3Lm9Q"  # gitleaks:allow
    assert [f.label for f in detector.detect(real)] == ["SECRET"]


def test_identifier_check_matches_its_regex_definition_exhaustively() -> None:
    import itertools
    import re

    from guard.detect.entropy import is_identifier

    definition = re.compile(r"(?:[A-Z]?[a-z]{2,}|[A-Z]{2,})(?:[_-]?(?:[A-Z]?[a-z]{2,}|[A-Z]{2,}|\d{1,4}))*")
    for length in range(1, 7):
        for chars in itertools.product("aAB1_-b.", repeat=length):
            token = "".join(chars)
            assert is_identifier(token) == bool(definition.fullmatch(token)), token


@pytest.mark.timeout(10)
def test_long_digit_and_capital_runs_do_not_backtrack() -> None:
    from guard.detect.entropy import EntropyDetector, is_identifier

    slack_like = "xoxb-" + "1234567890" * 6 + "-" + "ABCDEFGHIJ" * 6 + "x"
    assert not is_identifier(slack_like + "!")
    assert is_identifier("parseHTTPResponse2_id2") and not is_identifier("2fast")
    EntropyDetector().detect(f"token {slack_like} and {'9' * 5000}Zq")  # returns (before: minutes)


@pytest.mark.parametrize(
    "text",
    [
        "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n"
        "mQINBGBvV2IBEADJ3v6Gq7a8cXx2kT1m3Pq9sWzYhN4bR5uL0eKfD8jVtA2yC6oE\n"
        "=AbCd\n-----END PGP PUBLIC KEY BLOCK-----",
        "public_key = MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLez",
        '"publicKey": "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0"',
        "password: ENC[AES256_GCM,data:Jx8K2mQ9vT4wLp7ZrN3bYc6dFh1sGk5a,iv:Zq3Xv8Kp2Lm9Nw4Rt7Yb1Hc6Jd5Fs0Ga=,"
        "tag:Abc12345XyZ==,type:str]",
    ],
    ids=["pgp-public-block", "public-key-assignment", "json-public-key", "sops"],
)
def test_public_and_encrypted_material_is_no_secret(text: str) -> None:
    assert EntropyDetector().detect(text) == []


def test_a_private_value_beside_public_material_is_still_found() -> None:
    secret = "Zq3Xv8Kp2Lm9Nw4Rt7Yb1Hc6Jd5Fs0Ga"
    text = f"public_key = MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfV\napi_secret = {secret}"
    assert [text[f.start : f.end] for f in EntropyDetector().detect(text)] == [secret]


def test_a_fragment_of_a_named_digest_is_a_digest() -> None:
    from guard.detect.entropy import is_digest

    line = "pyarrow/flight.py,sha256=HLB04A0SZ35MZJumPIuBu5I2dpetjEc-CGMEdjQeQRQ,2177"
    start = line.index("-CGM")
    assert is_digest(line, start, start + 12)
    assert not is_digest("token=HLB04A0SZ35MZJumPIuBu5I2dpetjEc", 6, 37)
    record = "spacy/lang/te/stop_words.py,sha256=51WkXwQVp5H5NUW5TfSs5XVsR14MRMsyS7VRQns,99"
    at = record.index("=51")  # a span that starts on the "=" of "sha256="
    assert is_digest(record, at, at + 20)
