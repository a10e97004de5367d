"""Generated sensitive values in real text.

Two ways, both keeping the real text around the value:

- **Replacement.** A name that the labeller found in personal writing (mail, chat, quotes, reviews)
  is replaced by a generated name of the same language, labelled PERSON (the real name never
  reaches training). A third-person subject pronoun there (`pronoun_slots`) is a person too: a
  copy of the paragraph names them.
- **Splicing.** A short generated passage of the same language that carries values of any of the
  12 labels in a company context ("the staging DB password is …", "Kunde X verlängert für …") is
  put into a real paragraph at a line or sentence boundary: the way a leak appears in real
  requests, inside text that is otherwise harmless. The passages come from guard's generator
  (`training.data.generate`) for the split at hand, so held-out passages use held-out templates.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Sequence
from typing import Any

from training.data.record import Example, Span
from training.realtext.label import PERSONAL_CHANNELS

__all__ = ["PassagePool", "pronoun_channel", "pronoun_slots", "replace_persons", "splice"]

_BOUNDARY = re.compile(r"\n|(?<=[.!?。！？])\s+|(?<=[。！？])")


#: Third-person subject pronouns that stand for a person, per language. German "sie" is left out
#: (also "they" and the polite "you"); French "il" only where no impersonal verb follows ("il faut",
#: "il y a", "il est possible de" ...); Chinese and Japanese plurals (他们, 彼ら) are not matched.
_PRONOUNS: dict[str, re.Pattern[str]] = {
    "en": re.compile(r"\b(?:[Hh]e|[Ss]he)\b(?!-)"),
    "de": re.compile(r"\b[Ee]r\b(?!-)"),
    "fr": re.compile(
        r"\b(?:[Ee]lle|[Ii]l(?!\s+(?:y|faut|fallait|fallut|s'agit|agit|semble|reste|suffit|existe|vaut|"
        r"pleut|fait|est\s+\w+\s+de|est\s+\w+\s+que|était\s+une\s+fois)\b))\b(?!-)"
    ),
    "zh": re.compile(r"(?<![其吉])[他她](?![们們人])"),  # not 其他 (other), 吉他 (guitar), 他人 (others)
    "ja": re.compile(r"彼女(?!ら)|彼(?![らの方女])"),
}


#: Languages whose third-person subject pronouns only ever stand for people, and the prose channels
#: (manuals, books, help pages) where they may name one as well as personal writing does: "If he
#: wants to ..." becomes a sentence about a named private person. German "er" and French "il"/"elle"
#: also stand for masculine and feminine things ("der Server ... er startet"), so in those languages
#: only personal writing gives pronoun copies.
_PERSON_ONLY_PRONOUNS = frozenset({"en", "zh", "ja"})
_PROSE_CHANNELS = frozenset({"manual", "book", "help"})


def pronoun_channel(channel: str, lang: str) -> bool:
    """Whether a paragraph of ``channel`` and ``lang`` may give pronoun copies (rule 5)."""
    return channel in PERSONAL_CHANNELS or (lang in _PERSON_ONLY_PRONOUNS and channel in _PROSE_CHANNELS)


def pronoun_slots(text: str, lang: str) -> list[tuple[int, int]]:
    """Character spans of third-person subject pronouns in ``text`` that a name can replace."""
    pattern = _PRONOUNS.get(lang)
    return [(m.start(), m.end()) for m in pattern.finditer(text)] if pattern else []


def replace_persons(
    text: str, spans: Sequence[tuple[int, int]], names: Sequence[str]
) -> tuple[str, list[Span]]:
    """Replace each ``text[s:e]`` by the next of ``names``; return the text and PERSON spans."""
    out: list[str] = []
    labelled: list[Span] = []
    pos = 0
    length = 0
    for (s, e), name in zip(sorted(spans), names, strict=False):
        out.append(text[pos:s])
        length += s - pos
        out.append(name)
        labelled.append({"start": length, "end": length + len(name), "label": "PERSON"})
        length += len(name)
        pos = e
    out.append(text[pos:])
    return "".join(out), labelled


def splice(text: str, passage: Example, rng: random.Random) -> tuple[str, list[Span]]:
    """Insert ``passage`` into ``text`` at a boundary (start, a line or sentence end, or the end)."""
    cuts = [0, len(text)] + [m.end() for m in _BOUNDARY.finditer(text) if 0 < m.end() < len(text)]
    at = rng.choice(cuts)
    before, after = text[:at].rstrip(" "), text[at:].lstrip(" ")
    cjk = passage["lang"] in ("ja", "zh")
    sep = "\n" if "\n" in text or rng.random() < 0.4 else ("" if cjk else " ")
    left = before + sep if before else ""
    right = sep + after if after else ""
    shift = len(left)
    spans: list[Span] = [
        {"start": s["start"] + shift, "end": s["end"] + shift, "label": s["label"]} for s in passage["spans"]
    ]
    return left + passage["text"] + right, spans


class PassagePool:
    """Short generated passages with at least one span, per language, drawn lazily from the generator."""

    def __init__(self, split: str, seed: int, max_chars: int = 360) -> None:
        self._split = "heldout" if split == "test" else "train"
        self._seed = seed
        self._max = max_chars
        self._iters: dict[str, Iterator[Any]] = {}

    def draw(self, lang: str) -> Example:
        """The next positive passage of ``lang`` (generator language ``en`` for unknown ones)."""
        from training.data.generate import generate

        lang = lang if lang in ("en", "de", "fr", "ja", "zh") else "en"
        it = self._iters.get(lang)
        if it is None:
            it = self._iters[lang] = generate(10**9, seed=self._seed, split=self._split, langs=[lang])
        for ex in it:
            if ex["spans"] and len(ex["text"]) <= self._max:
                return ex
        raise RuntimeError("generator exhausted")  # pragma: no cover - 10**9 examples
