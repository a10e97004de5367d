"""Company-specific training examples from a domain pack (``guard train --domain pack.yaml``).

The pack (format of deploy/domains/example-kestrel.yaml, parsed by `guard.detect.domain.load_domain_pack`)
supplies the values: its code names and aliases in project sense (positives) and, where the word has
an ordinary meaning, in that sense (negatives: a heron at the lake, 月光 as moonlight); its customers
with deal details (positives) and in public news (negatives); hosts and IPs on its internal domains and
ranges; secrets sampled from its formats; the company's public site as a negative. The generic
templates plus pack-specific themes are rendered with these values; the pack's confidential sentences
and the sentences of ``--docs`` text files are labeled with the pack's dictionary. The held-out split
uses disjoint templates (and disjoint document sentences), and never the pack's own sample sentences.
"""

from __future__ import annotations

import ipaddress
import random
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from guard.detect.domain import DomainPack, load_domain_pack
from training.data import figures, pools
from training.data.documents import TemplateBank, assemble
from training.data.domain_text import DOMAIN_PROSE, label_terms
from training.data.errors import DataError
from training.data.record import Example, TextBuilder
from training.data.regex_sample import sample_regex
from training.data.split import SPLITS
from training.data.values import Ctx, make_fakers

__all__ = ["DomainValues", "generate_domain", "mix"]

#: ordinary meaning of words that packs like to use as code names (lower case -> template category)
_EXTRA_LEXICON = {
    "heron": "bird",
    "blue heron": "bird",
    "blaureiher": "bird",
    "okapi": "animal",
    "tamarind": "tree",
    "ironbark": "tree",
    "nimbus": "sky",
    "gekko": "animal",
    "gecko": "animal",
    "kestrel": "bird",
    "sandpiper": "bird",
    "kingfisher": "bird",
    "月光": "sky",
    "青鸟": "bird",
    "白鷺": "bird",
    "cassiopée": "sky",
    "cassiopeia": "sky",
}
_LEGAL_SUFFIX = re.compile(
    r"[ ,]*(?:GmbH(?: & Co\. KG)?|AG|SE|AS|AB|SAS|SA|SARL|& Cie|Co\., Ltd\.|Ltd\.?|Inc\.|LLC|plc)$"
)


def _lexicon() -> dict[str, str]:
    lex = {
        w.lower(): cat for cats in pools.CODENAME_WORDS.values() for cat, words in cats.items() for w in words
    }
    lex.update(_EXTRA_LEXICON)
    return lex


def _script(term: str) -> str:
    if re.search(r"[\u3040-\u30ff]", term):
        return "ja"
    if re.search(r"[\u4e00-\u9fff]", term):
        return "cjk"
    return "latin"


def _fits(term: str, lang: str) -> bool:
    script = _script(term)
    if lang in ("ja", "zh"):
        return script == "cjk" or script == lang
    if term.startswith("Projekt "):
        return lang == "de"
    if term.startswith("Projet "):
        return lang == "fr"
    return script == "latin"


class DomainValues:
    """Value source for `training.data.values.Ctx.domain`: everything drawn from one pack."""

    def __init__(self, pack: DomainPack) -> None:
        self.pack = pack
        self.codename_spellings: list[str] = sorted(
            {s for c in pack.codenames for s in c.spellings}, key=len, reverse=True
        )
        self.codenames = [list(c.spellings) for c in pack.codenames]
        short = {_LEGAL_SUFFIX.sub("", c).strip() for c in pack.customers}
        self.customers = list(pack.customers)
        self.customer_spellings = sorted(
            set(self.customers) | {s for s in short if len(s) >= 3}, key=len, reverse=True
        )
        self.host_domains = list(pack.internal_hosts.domains)
        self.host_examples = list(pack.internal_hosts.examples)
        self.ip_ranges = list(pack.internal_hosts.networks())
        self.secret_formats = [(f.name, f.regex) for f in pack.secret_formats]
        self.secret_generators = self.secret_formats
        self.public_domains = list(pack.company.public_domains)
        self.email_domains = self.public_domains + self.host_domains
        lex = _lexicon()
        self.ordinary_words: list[tuple[str, str]] = []
        for spelling in self.codename_spellings:
            if (
                spelling.isupper()
                and len(spelling) > 3
                or spelling.startswith(("Project ", "Projekt ", "Projet "))
            ):
                continue
            base = re.sub(r"[- ]?\d+$", "", spelling)  # Nimbus-7 -> nimbus (the cloud)
            if base.lower() in lex and base not in {w for w, _ in self.ordinary_words}:
                self.ordinary_words.append((base, lex[base.lower()]))

    # ---- generators used by values.SLOTS when ctx.domain is set
    def codename(self, ctx: Ctx) -> str:
        spellings = ctx.rng.choice(self.codenames)
        fitting = [s for s in spellings if _fits(s, ctx.lang)]
        if not fitting:  # e.g. a Latin-only code name in a Chinese text: no German/French prefix there
            latin = [s for s in spellings if _script(s) == "latin"]
            fitting = [s for s in latin if not s.startswith(("Projekt ", "Projet "))] or latin
        value = ctx.rng.choice(fitting or spellings)
        if (
            _script(value) == "latin"
            and not value.startswith(("Project ", "Projekt ", "Projet "))
            and ctx.rng.random() < 0.2
        ):
            value = {"de": "Projekt ", "fr": "Projet "}.get(ctx.lang, "Project ") + value
        return value

    def customer(self, ctx: Ctx) -> str:
        fitting = [c for c in self.customers if _fits(c, ctx.lang)] or self.customers
        if ctx.lang in ("ja", "zh") and ctx.rng.random() < 0.4:
            fitting = self.customers
        value = ctx.rng.choice(fitting)
        if ctx.rng.random() < 0.35:
            value = _LEGAL_SUFFIX.sub("", value).strip() or value
        return value

    def host(self, ctx: Ctx) -> str:
        if self.host_examples and ctx.rng.random() < 0.35:
            return ctx.rng.choice(self.host_examples)
        svc = ctx.rng.choice(pools._SERVICES)
        if ctx.rng.random() < 0.4:
            svc += f"-{ctx.rng.randint(1, 30):02d}"
        return f"{svc}.{ctx.rng.choice(self.host_domains)}"

    def ip(self, ctx: Ctx) -> str:
        net = ctx.rng.choice(self.ip_ranges)
        offset = ctx.rng.randint(1, max(1, net.num_addresses - 2))
        return str(net.network_address + offset)

    def cidr(self, ctx: Ctx) -> str:
        net = ctx.rng.choice(self.ip_ranges)
        if net.prefixlen <= 24 and ctx.rng.random() < 0.6:
            sub = ipaddress.ip_network(f"{self.ip(ctx)}/24", strict=False)
            return str(sub)
        return str(net)

    def secret(self, ctx: Ctx) -> str:
        return sample_regex(ctx.rng.choice(self.secret_formats)[1], ctx.rng)

    def ordinary_word(self, ctx: Ctx, category: str | None) -> str:
        words = [
            w
            for w, cat in self.ordinary_words
            if (category is None or cat == category) and _fits(w, ctx.lang)
        ]
        if not words:
            lang = ctx.lang if ctx.lang in pools.CODENAME_WORDS else "en"
            word = pools.codename_word(ctx.rng, lang, ctx.split, category)[0]
        else:
            word = ctx.rng.choice(words)
        # mostly lower case in running en/fr text, but "the Okapi exhibit" happens too
        return word.lower() if ctx.lang in ("en", "fr") and ctx.rng.random() < 0.75 else word

    def public_url(self, ctx: Ctx) -> str:
        if not self.public_domains:
            return pools.public_url(ctx.rng)
        host = ctx.rng.choice(self.public_domains)
        path = ctx.rng.choice(["/", "/about", "/careers", "/news", "/products"])
        return f"https://{ctx.rng.choice(['www.', ''])}{host}{path}"


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?。！？])\s+|(?<=[。！？])|\n\s*\n|\n(?=[-*•] )", text)
    return [p.strip() for p in parts if p and len(p.strip()) >= 8]


def _guess_lang(text: str) -> str:
    if re.search(r"[\u3040-\u30ff]", text):
        return "ja"
    if re.search(r"[\u4e00-\u9fff]", text):
        return "zh"
    lower = f" {text.lower()} "
    if any(w in lower for w in (" der ", " die ", " und ", " nicht ", " ist ", " bei ")):
        return "de"
    if any(w in lower for w in (" le ", " la ", " les ", " est ", " des ", " une ")):
        return "fr"
    return "en"


def _doc_examples(docs_dir: str | Path, values: DomainValues, split: str) -> list[Example]:
    root = Path(docs_dir)
    if not root.is_dir():
        raise DataError("--docs is not a directory", str(root))
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in (".txt", ".md", ""))
    out: list[Example] = []
    for path in files:
        try:
            content = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise DataError("not UTF-8 text", str(path)) from None
        for k, sentence in enumerate(_sentences(content)):
            if pools.in_split(f"doc:{path.name}:{k}:{sentence[:32]}", split, heldout_pct=25):
                out.append(
                    {
                        "text": sentence,
                        "spans": label_terms(sentence, values),
                        "lang": _guess_lang(sentence),
                        "channel": "doc",
                        "template": f"doc:{path.name}:{k}",
                    }
                )
    return out


def _seed_variant(seed: Example, values: DomainValues, ctx: Ctx) -> Example:
    """The pack's sample sentence with its code names, customers and figures swapped for others."""
    out = TextBuilder()
    text, pos = seed["text"], 0
    for span in seed["spans"]:
        out.add(text[pos : span["start"]])
        value = text[span["start"] : span["end"]]
        if span["label"] == "CODENAME":
            value = values.codename(ctx)
        elif span["label"] == "CUSTOMER":
            value = values.customer(ctx)
        elif span["label"] == "FINANCIAL":
            value = figures.percent(ctx.rng, ctx.lang) if "%" in value else figures.money(ctx.rng, ctx.lang)
        out.add(value, span["label"])
        pos = span["end"]
    out.add(text[pos:])
    lang, template = seed["lang"], seed["template"]
    return {"text": out.text, "spans": out.spans, "lang": lang, "channel": "seed", "template": template}


def generate_domain(
    pack_path: str | Path, n: int, seed: int, split: str = "train", docs_dir: str | Path | None = None
) -> Iterator[Example]:
    """Yield ``n`` examples built from the domain pack at ``pack_path``.

    A third are drawn as hard negatives (ordinary-sense code-name words, customers in public news, the
    public site, placeholders). The pack's sample sentences (train only) and ``docs_dir`` sentences
    make up to 15 %.

    Raises:
        ConfigError: the pack is missing or invalid (from `load_domain_pack`).
        DataError: ``docs_dir`` is not a readable directory of UTF-8 text.
        ValueError: bad ``n`` or split.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r} (expected one of {SPLITS})")
    values = DomainValues(load_domain_pack(pack_path))
    rng = random.Random(f"domain:{split}:{seed}")
    fakers = make_fakers(seed * 31 + (1 if split == "heldout" else 0))
    bank = TemplateBank.build(split, extra_prose=DOMAIN_PROSE)
    seeds: list[Example] = []
    if split == "train":
        seeds = [
            {
                "text": s,
                "spans": label_terms(s, values),
                "lang": _guess_lang(s),
                "channel": "seed",
                "template": f"seed:{i}",
            }
            for i, s in enumerate(values.pack.confidential_examples)
        ]
    docs = _doc_examples(docs_dir, values, split) if docs_dir is not None else []
    langs = [x for x in values.pack.company.languages if x in ("en", "de", "fr", "ja", "zh")] or ["en"]
    langs = langs + ["mixed"]
    channels = [
        "chat",
        "chat",
        "email",
        "notes",
        "issue",
        "search",
        "post",
        "config",
        "log",
        "code",
        "curl",
        "stacktrace",
    ]
    for _ in range(n):
        r = rng.random()
        if seeds and r < 0.06:
            seed_ex = rng.choice(seeds)
            if r < 0.02:
                yield dict(seed_ex)  # type: ignore[misc]
            else:
                lang = seed_ex["lang"] if seed_ex["lang"] in ("en", "de", "fr", "ja", "zh") else "en"
                yield _seed_variant(seed_ex, values, Ctx(rng=rng, lang=lang, split=split, fakers=fakers))
            continue
        if docs and r < 0.18:
            yield dict(rng.choice(docs))  # type: ignore[misc]
            continue
        lang, channel = rng.choice(langs), rng.choice(channels)
        ctx = Ctx(rng=rng, lang=lang, split=split, fakers=fakers, domain=values)
        out, used = assemble(channel, lang, ctx, bank, negative=rng.random() < 0.33)
        yield {
            "text": out.text,
            "spans": out.spans,
            "lang": lang,
            "channel": channel,
            "template": "+".join(t for t in used if not t.startswith("~")),
        }


def mix(
    generic: Iterable[Example], domain: Iterable[Example], ratio: float, seed: int = 0
) -> Iterator[Example]:
    """Interleave two example streams: each next example comes from ``domain`` with probability ``ratio``.

    When one stream runs out the other is drained, so every example of both is yielded exactly once.

    Raises:
        ValueError: ``ratio`` outside [0, 1].
    """
    if not 0.0 <= ratio <= 1.0:
        raise ValueError(f"ratio must be in [0, 1], got {ratio}")
    rng = random.Random(f"mix:{seed}")
    g, d = iter(generic), iter(domain)
    g_open = d_open = True
    while g_open or d_open:
        take_domain = d_open and (not g_open or rng.random() < ratio)
        try:
            yield next(d) if take_domain else next(g)
        except StopIteration:
            if take_domain:
                d_open = False
            else:
                g_open = False
