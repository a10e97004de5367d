"""Synthetic multilingual training data for the guard token classifier.

    python -m training.data.generate --n 20000 --seed 1 --split train --out data/train.jsonl
    python -m training.data.generate --n 4000 --seed 2 --split heldout --out data/heldout.jsonl

``train`` and ``heldout`` use disjoint template sets (a stable-hash partition of every template group)
and disjoint value streams (the split name is part of the random seed; codename words, company stems
and internal domain stems are partitioned too), so the held-out split measures generalisation to new
phrasings and new names. See training/data/README.md for the design.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from guard.errors import GuardError
from training.data.documents import CHANNELS, TemplateBank, assemble
from training.data.record import LANGS, Example
from training.data.split import SPLITS
from training.data.values import Ctx, make_fakers

__all__ = ["CHANNEL_WEIGHTS", "LANG_WEIGHTS", "NEGATIVE_RATE", "generate", "main", "write_jsonl"]

LANG_WEIGHTS: dict[str, float] = {"en": 0.28, "de": 0.16, "fr": 0.14, "ja": 0.15, "zh": 0.13, "mixed": 0.14}
CHANNEL_WEIGHTS: dict[str, float] = {
    "chat": 0.22, "email": 0.11, "issue": 0.08, "form": 0.06, "notes": 0.06, "search": 0.04, "post": 0.05,
    "config": 0.09, "log": 0.07, "stacktrace": 0.05, "sql": 0.04, "curl": 0.04, "code": 0.07, "csv": 0.03,
    "http": 0.03, "fields": 0.05,
}  # fmt: skip
#: Share of documents drawn as hard negatives (no labeled slot at all).
NEGATIVE_RATE = 0.28


def _seed_int(seed: int, split: str, salt: str = "") -> int:
    return int.from_bytes(f"{salt}:{split}:{seed}".encode(), "big") % (2**31)


def generate(
    n: int,
    seed: int,
    split: str = "train",
    langs: Sequence[str] | None = None,
    domain: str | Path | None = None,
    *,
    channels: Sequence[str] | None = None,
    docs_dir: str | Path | None = None,
) -> Iterator[Example]:
    """Yield ``n`` synthetic examples.

    Args:
        n: number of examples (>= 0).
        seed: random seed; the same (seed, split, langs, domain) always yields the same examples.
        split: ``train`` or ``heldout`` (disjoint templates and value pools).
        langs: languages to draw from (subset of `LANGS`); default all six.
        domain: optional domain pack path; half of the examples then come from `generate_domain`.
        docs_dir: with ``domain``, a folder of text files whose sentences are labeled with the pack's terms.
        channels: channels to draw from (subset of `CHANNELS`); default all.

    Raises:
        ValueError: bad ``n``, split, language or channel.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r} (expected one of {SPLITS})")
    lang_pool = list(langs or LANG_WEIGHTS)
    for lang in lang_pool:
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r} (expected some of {LANGS})")
    channel_pool = list(channels or CHANNEL_WEIGHTS)
    for ch in channel_pool:
        if ch not in CHANNELS:
            raise ValueError(f"unknown channel {ch!r} (expected some of {CHANNELS})")
    if domain is not None:
        from training.data.domain import generate_domain, mix

        n_domain = n // 2
        generic = generate(n - n_domain, seed, split, lang_pool, None, channels=channel_pool)
        domain_part = generate_domain(domain, n_domain, seed, split, docs_dir=docs_dir)
        yield from mix(generic, domain_part, ratio=0.5, seed=seed)
        return
    yield from _generate_generic(n, seed, split, lang_pool, channel_pool)


def _generate_generic(
    n: int, seed: int, split: str, langs: list[str], channels: list[str]
) -> Iterator[Example]:
    rng = random.Random(_seed_int(seed, split))
    fakers = make_fakers(_seed_int(seed, split, "faker"))
    bank = TemplateBank.build(split)
    lang_w = [LANG_WEIGHTS.get(lang, 0.1) for lang in langs]
    chan_w = [CHANNEL_WEIGHTS.get(ch, 0.05) for ch in channels]
    for _ in range(n):
        lang = rng.choices(langs, lang_w)[0]
        channel = rng.choices(channels, chan_w)[0]
        negative = rng.random() < NEGATIVE_RATE
        ctx = Ctx(rng=rng, lang=lang, split=split, fakers=fakers)
        out, used = assemble(channel, lang, ctx, bank, negative)
        yield {
            "text": out.text,
            "spans": out.spans,
            "lang": lang,
            "channel": channel,
            "template": "+".join(t for t in used if not t.startswith("~")),
        }


def write_jsonl(examples: Iterator[Example], path: str | Path) -> int:
    """Write examples as JSON lines (UTF-8, no ASCII escaping); returns the count."""
    count = 0
    with open(path, "w", encoding="utf-8") as fh:
        for ex in examples:
            fh.write(json.dumps(ex, ensure_ascii=False) + "\n")
            count += 1
    return count


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point; prints counts and speed (never example text) to stderr."""
    parser = argparse.ArgumentParser(
        prog="python -m training.data.generate", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--n", type=int, required=True, help="number of examples")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--split", choices=SPLITS, default="train")
    parser.add_argument("--out", required=True, help="output .jsonl path")
    parser.add_argument(
        "--langs", default=",".join(LANG_WEIGHTS), help="comma-separated subset of " + ",".join(LANGS)
    )
    parser.add_argument(
        "--domain", default=None, help="domain pack YAML (mixes in company-specific examples)"
    )
    parser.add_argument(
        "--docs", default=None, help="with --domain: folder of text files to label with the pack"
    )
    args = parser.parse_args(argv)
    langs = [x.strip() for x in args.langs.split(",") if x.strip()]
    try:
        start = time.perf_counter()
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        examples = generate(args.n, args.seed, args.split, langs, args.domain, docs_dir=args.docs)
        count = write_jsonl(examples, args.out)
        elapsed = time.perf_counter() - start
    except (ValueError, OSError, GuardError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"wrote {count} examples to {args.out} in {elapsed:.1f}s ({count / max(elapsed, 1e-9):.0f}/s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
