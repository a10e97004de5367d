"""Domain-pack examples: pack values in project sense, ordinary-sense and public-news negatives."""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from pathlib import Path

import pytest

from guard.errors import ConfigError
from training.data.domain import generate_domain, mix
from training.data.errors import DataError
from training.data.generate import generate
from training.data.record import Example, validate_example

PACK = """
company:
  name: Fjordline Robotics
  legal_names: ["Fjordline Robotics GmbH"]
  public_domains: [fjordline-robotics.com]
  offices: [Bergen, Lyon, Osaka]
  languages: [en, de, fr, ja, zh]
internal_hosts:
  domains: [fjl.internal, corp.fjordline.net]
  examples: [git.fjl.internal, vault.corp.fjordline.net]
  ip_ranges: ["10.77.0.0/16", "172.30.0.0/16"]
codenames:
  - {name: Heron, aliases: ["Project Heron", "HERON"], note: "gripper"}
  - {name: Okapi, aliases: ["Projet Okapi"], note: "battery"}
  - {name: Tamarind, aliases: ["TAMARIND"], note: "drone"}
  - {name: Vortex-9, aliases: ["V9"], note: "no ordinary sense"}
  - {name: Gekko, aliases: ["月光", "Project Gekko"], note: "factory"}
customers:
  - Nordhavn Freight AS
  - Maison Duval SAS
  - 大和精機株式会社
  - 华泰物流
secret_formats:
  - {name: fjl_key, regex: "fjl_(live|test)_[A-Za-z0-9]{24}"}
confidential_examples:
  - "Heron slips to Q2 because the gripper failed the drop test."
  - "Die Marge bei Nordhavn Freight liegt bei 27 %."
  - "月光計画の予算は前年比15%増です。"
"""

SPELLINGS = {
    "Heron",
    "Project Heron",
    "HERON",
    "Okapi",
    "Projet Okapi",
    "Tamarind",
    "TAMARIND",
    "Vortex-9",
    "V9",
    "月光",
    "Gekko",
    "Project Gekko",
}
CUSTOMERS = {
    "Nordhavn Freight AS",
    "Nordhavn Freight",
    "Maison Duval SAS",
    "Maison Duval",
    "大和精機株式会社",
    "华泰物流",
}
NETS = [ipaddress.ip_network("10.77.0.0/16"), ipaddress.ip_network("172.30.0.0/16")]


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pack") / "fjordline.yaml"
    path.write_text(PACK, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def train(pack: Path) -> list[Example]:
    return list(generate_domain(pack, 1200, seed=3, split="train"))


def _values(exs: list[Example], label: str) -> Counter[str]:
    return Counter(
        ex["text"][s["start"] : s["end"]] for ex in exs for s in ex["spans"] if s["label"] == label
    )


def test_examples_are_valid_and_cover_pack_labels(train: list[Example]) -> None:
    for i, ex in enumerate(train):
        validate_example(ex, f"domain example {i}")
    for label in ("CODENAME", "CUSTOMER", "INTERNAL_HOST", "SECRET"):
        assert sum(_values(train, label).values()) >= 30, label
    negatives = sum(1 for ex in train if not ex["spans"])
    assert 0.25 <= negatives / len(train) <= 0.55


def test_codenames_and_customers_come_from_the_pack(train: list[Example]) -> None:
    codenames = _values(train, "CODENAME")
    prefixed = {f"{p}{s}" for s in SPELLINGS for p in ("", "Project ", "Projekt ", "Projet ")}
    assert set(codenames) <= prefixed, set(codenames) - prefixed
    assert len(set(codenames) & SPELLINGS) >= 8
    assert set(_values(train, "CUSTOMER")) <= CUSTOMERS


def test_hosts_use_pack_domains_and_ranges(train: list[Example]) -> None:
    hosts = _values(train, "INTERNAL_HOST")

    def in_pack(value: str) -> bool:
        if "fjl.internal" in value or "corp.fjordline.net" in value:
            return True
        m = re.search(r"(\d+\.\d+\.\d+\.\d+)", value)
        return bool(m) and any(ipaddress.ip_address(m.group(1)) in net for net in NETS)

    inside = sum(n for v, n in hosts.items() if in_pack(v))
    assert inside / sum(hosts.values()) >= 0.7
    assert not any("fjordline-robotics.com" in v for v in hosts)  # the public site is never internal


def test_pack_secret_format_is_generated(train: list[Example]) -> None:
    assert any(re.fullmatch(r"fjl_(live|test)_[A-Za-z0-9]{24}", v) for v in _values(train, "SECRET"))


def test_ordinary_sense_uses_are_unlabeled(train: list[Example]) -> None:
    words = re.compile(r"\b(heron|okapi|tamarind)\b|月光")
    ordinary = 0
    for ex in train:
        for m in words.finditer(ex["text"]):
            if m.group() == "月光" and "月光" in _values([ex], "CODENAME"):
                continue
            covered = any(s["start"] <= m.start() < s["end"] for s in ex["spans"])
            if not covered:
                ordinary += 1
            if m.group().islower() and m.group() != "月光":
                assert not covered, ex["template"]  # lower-case heron/okapi/tamarind is the animal/fruit/tree
    assert ordinary >= 15


def test_customers_in_public_news_are_negatives(train: list[Example]) -> None:
    news = [ex for ex in train if "neg_dom_news" in ex["template"]]
    assert news
    unlabeled = 0
    for ex in news:
        for name in CUSTOMERS:
            for m in re.finditer(re.escape(name), ex["text"]):
                if not any(s["start"] <= m.start() < s["end"] for s in ex["spans"]):
                    unlabeled += 1
    assert unlabeled >= 5


def test_seed_sentences_are_labeled_in_train_only(pack: Path, train: list[Example]) -> None:
    seeds = {ex["text"]: ex for ex in train if ex["channel"] == "seed"}
    assert seeds
    heron = seeds.get("Heron slips to Q2 because the gripper failed the drop test.")
    if heron is not None:
        assert [(s["start"], s["end"], s["label"]) for s in heron["spans"]] == [(0, 5, "CODENAME")]
    marge = seeds.get("Die Marge bei Nordhavn Freight liegt bei 27 %.")
    if marge is not None:
        assert [marge["text"][s["start"] : s["end"]] for s in marge["spans"]] == ["Nordhavn Freight", "27 %"]
    held = list(generate_domain(pack, 300, seed=3, split="heldout"))
    assert not any(ex["channel"] == "seed" for ex in held)
    train_tpl = {t for ex in train for t in ex["template"].split("+") if not t.startswith(("seed:", "doc:"))}
    held_tpl = {t for ex in held for t in ex["template"].split("+") if not t.startswith(("seed:", "doc:"))}
    assert not train_tpl & held_tpl


def test_docs_folder_sentences_are_labeled(pack: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    lines = [
        f"Heron review {i}: the build on git.fjl.internal broke again, ask Maison Duval SAS."
        for i in range(30)
    ]
    lines += [f"An okapi sighting {i} at the zoo made the news." for i in range(10)]
    (docs / "notes.txt").write_text("\n\n".join(lines), encoding="utf-8")
    exs = [
        ex
        for ex in generate_domain(pack, 800, seed=1, split="train", docs_dir=docs)
        if ex["channel"] == "doc"
    ]
    assert exs
    for ex in exs:
        labels = {ex["text"][s["start"] : s["end"]]: s["label"] for s in ex["spans"]}
        if ex["text"].startswith("Heron"):
            assert labels == {
                "Heron": "CODENAME",
                "git.fjl.internal": "INTERNAL_HOST",
                "Maison Duval SAS": "CUSTOMER",
            }
        else:
            assert labels == {}


def test_bad_inputs(pack: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        list(generate_domain(tmp_path / "missing.yaml", 5, seed=0))
    with pytest.raises(DataError, match="not a directory"):
        list(generate_domain(pack, 5, seed=0, docs_dir=tmp_path / "nope"))
    with pytest.raises(ValueError):
        list(generate_domain(pack, 5, seed=0, split="dev"))


def test_mix_keeps_every_example_and_follows_ratio() -> None:
    generic = [{"text": f"g{i}"} for i in range(300)]
    domain = [{"text": f"d{i}"} for i in range(100)]
    out = list(mix(generic, domain, ratio=0.25, seed=4))  # type: ignore[arg-type]
    assert sorted(x["text"] for x in out) == sorted(x["text"] for x in generic + domain)
    first_half = out[:200]
    share = sum(1 for x in first_half if x["text"].startswith("d")) / len(first_half)
    assert 0.15 <= share <= 0.35
    assert out == list(mix(generic, domain, ratio=0.25, seed=4))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        list(mix([], [], ratio=1.5))


def test_generate_with_domain_mixes_generic_and_pack(pack: Path) -> None:
    exs = list(generate(200, seed=2, split="train", domain=pack))
    assert len(exs) == 200
    terms = ("fjl.internal", "fjordline", "10.77.", "172.30.", *SPELLINGS, *CUSTOMERS)
    from_pack = sum(1 for ex in exs if any(t in ex["text"] for t in terms))
    assert 30 <= from_pack <= 150  # half of the examples come from the pack (40 % of those are negatives)


def test_public_namesakes_of_code_names_are_negatives(train: list[Example]) -> None:
    # issue 16: the Kestrel web server, the Nimbus-7 satellite: public things sharing a code name
    public = [ex for ex in train if "neg_dom_public" in ex["template"] and ex["template"].count("+") == 0]
    assert len(public) >= 3
    for ex in public:
        assert ex["spans"] == []
        assert any(s in ex["text"] for s in SPELLINGS if not s.startswith(("Project", "Projet")))
    langs = {ex["lang"] for ex in train if "neg_dom_public" in ex["template"]}
    assert {"en", "de", "fr", "ja", "zh"} <= langs
