"""Word pools and generated names: split partition, code-name shapes, internal vs public hosts."""

from __future__ import annotations

import ipaddress
import random
import re

import pytest

from training.data import pools

INTERNAL_MARK = re.compile(
    r"(^|\.)(corp|internal|local|lan|int|intra|intranet|ad|priv|prod|dev|it|office)(\.|$)|-dc1\.|-intra\.|home\.arpa"
)


def test_split_pool_is_a_disjoint_partition() -> None:
    words = tuple(f"w{i}" for i in range(200))
    train, held = pools.split_pool(words, "train"), pools.split_pool(words, "heldout")
    assert set(train).isdisjoint(held) and set(train) | set(held) == set(words)
    assert 20 <= len(held) <= 60


@pytest.mark.parametrize("lang", ["en", "de", "fr", "ja", "zh"])
def test_codenames_and_companies(lang: str) -> None:
    rng = random.Random(lang)
    for _ in range(200):
        name = pools.codename(rng, lang, "train")
        assert name and name == name.strip()
        company = pools.company_name(rng, lang, "train")
        assert company and company == company.strip()
    held_words = {pools.codename_word(rng, lang, "heldout")[0] for _ in range(300)}
    train_words = {pools.codename_word(rng, lang, "train")[0] for _ in range(300)}
    assert held_words.isdisjoint(train_words)


def test_internal_hosts_look_internal_and_public_ones_do_not() -> None:
    rng = random.Random(1)
    for _ in range(300):
        host = pools.internal_host(rng, "train")
        assert INTERNAL_MARK.search(host.split(".", 1)[1]), host
        ip = ipaddress.ip_address(pools.internal_ip(rng))
        assert ip.is_private
        net = ipaddress.ip_network(pools.internal_ip(rng, cidr=True), strict=False)
        assert net.is_private
        assert pools.internal_url(rng, "train").startswith(("http://", "https://"))
        public = pools.public_url(rng)
        assert not re.search(r"\.(internal|local|lan|intra|corp|priv)(\.|$)", public.split("/")[2]), public


def test_stable_hash_is_process_independent() -> None:
    assert pools.stable_hash("abc") == pools.stable_hash("abc") != pools.stable_hash("abd")
