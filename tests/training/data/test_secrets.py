"""Secret formats: enough providers, realistic shapes, placeholders kept apart."""

from __future__ import annotations

import random
import re

import pytest

from training.data import secrets

SHAPES = {
    "aws_access_key_id": r"(AKIA|ASIA)[A-Z2-7]{16}",
    "github_pat": r"ghp_[A-Za-z0-9]{36}",
    "gitlab_pat": r"glpat-[A-Za-z0-9_-]{20}",
    "slack_bot_token": r"xoxb-\d+-\d+-[A-Za-z0-9]{24}",
    "stripe_live_secret": r"(sk|rk)_live_[A-Za-z0-9]+",
    "anthropic_key": r"sk-ant-api03-[A-Za-z0-9_-]{93}AA",
    "google_api_key": r"AIza[A-Za-z0-9_-]{35}",
    "sendgrid_key": r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}",
    "jwt": r"eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+",
    "pem_private_key": r"-----BEGIN [A-Z ]+-----\n[A-Za-z0-9+/=\n]+\n-----END [A-Z ]+-----",
    "db_uri": r"[a-z0-9+]+://[^:/]*:[^@/]+@[^/]+/\S*",
}


def test_at_least_thirty_formats() -> None:
    assert len(secrets.SECRET_KINDS) >= 30


@pytest.mark.parametrize("kind", sorted(SHAPES))
def test_provider_shapes(kind: str) -> None:
    rng = random.Random(kind)
    for _ in range(50):
        assert re.fullmatch(SHAPES[kind], secrets.secret_of(kind, rng)), kind


def test_every_kind_is_random_and_not_a_placeholder() -> None:
    rng = random.Random(1)
    for kind in secrets.SECRET_KINDS:
        values = {secrets.secret_of(kind, rng) for _ in range(20)}
        assert len(values) >= 15, kind
        assert not values & set(secrets.PLACEHOLDERS), kind
        assert all(v == v.strip() and v for v in values), kind


def test_placeholders_include_documented_examples() -> None:
    for expected in (
        "AKIAIOSFODNN7EXAMPLE",
        "<password>",
        "${DB_PASSWORD}",
        "YOUR_API_KEY",
        "changeme",
    ):  # gitleaks:allow
        assert expected in secrets.PLACEHOLDERS
