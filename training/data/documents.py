"""Assemble whole outbound texts (chat prompts, emails, issues, forms, notes, machine text) from templates.

A `TemplateBank` holds the templates of one split. `assemble(channel, ...)` renders one document into a
`TextBuilder` and returns the ids of the templates it used.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from training.data.compose import Noise, render, template_labels
from training.data.frames import CONNECTIVES, FENCE_LANG, FORM_FIELDS, SEP, SIG_PHONE
from training.data.record import TextBuilder
from training.data.split import partition
from training.data.structured import STRUCTURED
from training.data.templates import LANG_MODULES
from training.data.values import Ctx

__all__ = ["CHANNELS", "PROSE_CHANNELS", "STRUCT_CHANNELS", "TemplateBank", "assemble"]

Item = tuple[str, str]
#: Relative weight of prose themes (unlisted themes weigh 1): code names, customers and figures get
#: more prose because structured blocks already carry many secrets and hosts.
THEME_WEIGHTS: dict[str, float] = {
    "dom_project": 2.0,
    "dom_deal": 2.5,
    "neg_dom_news": 1.5,
    "neg_dom_word": 2.0,
    "neg_dom_public": 1.5,
    "project": 1.7,
    "deal": 1.7,
    "contact": 1.3,
    "infra": 0.8,
    "ids": 0.9,
    "neg_word": 1.6,
    "neg_news": 1.3,
    "neg_tech": 1.2,
    "neg_public": 1.4,
    "neg_misc": 0.8,
}
PROSE_CHANNELS = ("chat", "email", "issue", "form", "notes", "search", "post")
STRUCT_CHANNELS = tuple(STRUCTURED)
CHANNELS = PROSE_CHANNELS + STRUCT_CHANNELS
#: machine text people paste into prose (the proxy's own "fields" view is not pasted)
_PASTED = tuple(ch for ch in STRUCT_CHANNELS if ch != "fields")


@dataclass
class TemplateBank:
    """All templates of one split, grouped by language/theme and channel."""

    split: str
    prose: dict[str, dict[str, list[Item]]] = field(default_factory=dict)
    frame: dict[str, dict[str, list[Item]]] = field(default_factory=dict)
    struct: dict[str, list[Item]] = field(default_factory=dict)
    form: dict[str, list[tuple[str, tuple[str, str]]]] = field(default_factory=dict)

    @classmethod
    def build(cls, split: str, extra_prose: dict[str, dict[str, list[str]]] | None = None) -> TemplateBank:
        """Partition every group of templates and keep the ``split`` part.

        Args:
            split: ``train`` or ``heldout``.
            extra_prose: more themes per language (domain packs), partitioned the same way.
        """
        bank = cls(split)
        for lang, mod in LANG_MODULES.items():
            themes = {t: list(v) for t, v in mod.PROSE.items()}
            for theme, tpls in (extra_prose or {}).get(lang, {}).items():
                themes.setdefault(theme, []).extend(tpls)
            bank.prose[lang] = {
                theme: partition([(f"{lang}:{theme}:{i}", t) for i, t in enumerate(tpls)], split)
                for theme, tpls in themes.items()
            }
            bank.frame[lang] = {
                kind: partition([(f"{lang}:frame.{kind}:{i}", t) for i, t in enumerate(tpls)], split)
                for kind, tpls in mod.FRAME.items()
            }
        for lang, fields in FORM_FIELDS.items():
            bank.form[lang] = partition([(f"{lang}:form.field:{i}", f) for i, f in enumerate(fields)], split)
        for channel, tpls in STRUCTURED.items():
            bank.struct[channel] = partition(
                [(f"struct:{channel}:{i}", t) for i, t in enumerate(tpls)], split
            )
        return bank

    def all_ids(self) -> set[str]:
        ids = {i for groups in self.prose.values() for items in groups.values() for i, _ in items}
        ids |= {i for groups in self.frame.values() for items in groups.values() for i, _ in items}
        ids |= {i for items in self.struct.values() for i, _ in items}
        ids |= {i for items in self.form.values() for i, _ in items}
        return ids

    def themes(self, lang: str, negative: bool) -> list[str]:
        return [t for t, items in self.prose[lang].items() if items and t.startswith("neg") == negative]


def _pick(rng: random.Random, items: list[Item], negative: bool) -> Item:
    if negative:
        clean = [it for it in items if not template_labels(it[1])]
        if clean:
            return rng.choice(clean)
    return rng.choice(items)


class _Doc:
    """Per-document helper: renders templates into one builder and records their ids."""

    def __init__(self, ctx: Ctx, bank: TemplateBank, noise: Noise, negative: bool) -> None:
        self.ctx, self.bank, self.noise, self.negative = ctx, bank, noise, negative
        self.out = TextBuilder()
        self.used: list[str] = []

    def lit(self, text: str) -> None:
        self.out.add(text)

    def tpl(self, item: Item, noisy: bool = True) -> None:
        self.used.append(item[0])
        render(item[1], self.ctx, self.out, self.noise if noisy else None)

    def fragment(self, lang: str, positive: bool | None = None) -> None:
        """One prose sentence; positive ones only when the document is not a hard negative."""
        rng = self.ctx.rng
        pos = (not self.negative) if positive is None else (positive and not self.negative)
        themes = self.bank.themes(lang, negative=not pos)
        theme = rng.choices(themes, [THEME_WEIGHTS.get(t, 1.0) for t in themes])[0]
        self.ctx.lang = lang
        self.tpl(rng.choice(self.bank.prose[lang][theme]))

    def fragments(self, langs: list[str]) -> None:
        rng = self.ctx.rng
        joiner = " " if langs[0] not in ("ja", "zh") else rng.choice(["", "", "\n"])
        for k, lang in enumerate(langs):
            if k:
                self.lit(joiner if rng.random() < 0.7 else "\n")
                if rng.random() < 0.2:
                    self.out.add(self.noise.apply(rng.choice(CONNECTIVES[lang]), rng))
            self.fragment(lang, positive=(k == 0) or rng.random() < 0.5)

    def frame(self, lang: str, kind: str) -> None:
        self.ctx.lang = lang
        self.tpl(_pick(self.ctx.rng, self.bank.frame[lang][kind], self.negative))

    def block(self, channel: str, fence: bool) -> None:
        rng = self.ctx.rng
        self.ctx.negative = self.negative or rng.random() < 0.25  # placeholders inside positive prose too
        self.ctx.lang = "en"
        if fence:
            self.lit(f"```{rng.choice(FENCE_LANG[channel])}\n")
        self.tpl(rng.choice(self.bank.struct[channel]), noisy=False)
        if fence:
            self.lit("\n```")
        self.ctx.negative = self.negative


def _langs_for(rng: random.Random, lang: str, n: int) -> list[str]:
    if lang != "mixed":
        return [lang] * n
    primary = rng.choice(["de", "fr", "ja", "zh", "ja", "zh"])
    other = "en" if rng.random() < 0.8 else rng.choice(["de", "fr", "ja", "zh"])
    langs = [primary] * max(1, n - 1) + [other]
    rng.shuffle(langs)
    if langs[0] == other:  # keep the primary language first so the frame language matches
        langs.reverse()
    return langs


def _chat(d: _Doc, lang: str) -> None:
    rng = d.ctx.rng
    langs = _langs_for(rng, lang, rng.choice([1, 1, 2, 2, 3]))
    if rng.random() < 0.12:  # a whole email or form pasted into an assistant prompt
        d.frame(langs[0], "chat_open")
        d.lit(rng.choice(["\n\n", "\n\n---\n", '\n\n"""\n']))
        (_email if rng.random() < 0.7 else _form)(d, lang)
        return
    if rng.random() < 0.5:
        d.frame(langs[0], "chat_open")
        d.lit(rng.choice(["\n", " ", "\n\n"]))
    d.fragments(langs)
    if rng.random() < 0.3 or lang == "mixed" and rng.random() < 0.5:
        d.lit("\n\n")
        d.block(rng.choice(_PASTED), fence=rng.random() < 0.7)
    if rng.random() < 0.4:
        d.lit(
            rng.choice(["\n", "\n\n"])
            if d.out.text.endswith("`") or "\n" in d.out.text[-40:]
            else rng.choice([" ", "\n"])
        )
        d.frame(langs[0], "chat_ask")


def _email(d: _Doc, lang: str) -> None:
    rng = d.ctx.rng
    langs = _langs_for(rng, lang, rng.choice([1, 2, 2, 3]))
    main = langs[0]
    d.ctx.lang = main
    if rng.random() < 0.5:
        d.tpl(
            ("~hdr", "From: {PERSON} <{EMAIL}>\nTo: {EMAIL}\n" if not d.negative else "To: {example_email}\n")
        )
    d.lit("Subject: " if main in ("en", "de", "fr") else "件名：" if main == "ja" else "主题：")
    d.frame(main, "subject")
    d.lit("\n\n")
    d.frame(main, "greeting")
    d.lit("\n\n")
    d.fragments(langs)
    d.lit("\n\n")
    d.frame(main, "signoff")
    if not d.negative and rng.random() < 0.8:
        d.ctx.lang = main
        d.lit("\n")
        d.out.add(_slot(d.ctx, "PERSON"), "PERSON")
        if rng.random() < 0.5:
            d.lit("\n" + rng.choice(SIG_PHONE[main]))
            d.out.add(_slot(d.ctx, "PHONE"), "PHONE")
        if rng.random() < 0.3:
            d.lit("\n")
            d.out.add(_slot(d.ctx, "ADDRESS_ML"), "ADDRESS")


def _slot(ctx: Ctx, name: str) -> str:
    from training.data.values import slot_value

    return slot_value(ctx, name)[0]


def _issue(d: _Doc, lang: str) -> None:
    rng = d.ctx.rng
    langs = _langs_for(rng, lang, rng.choice([1, 2]))
    d.lit(rng.choice(["## ", "### ", "", "Title: "]))
    d.frame(langs[0], "title")
    d.lit("\n\n")
    d.fragments(langs)
    d.lit("\n\n")
    d.block(rng.choice(("log", "stacktrace", "config", "code", "curl")), fence=rng.random() < 0.85)
    if rng.random() < 0.5:
        d.ctx.lang = "en"
        d.tpl(
            ("~env", "\n\n{Version|Environment|Env}: {version}, {Ubuntu 22.04|macOS 14|Windows 11|Debian 12}")
        )


def _form(d: _Doc, lang: str) -> None:
    rng = d.ctx.rng
    main = lang if lang != "mixed" else rng.choice(["de", "fr", "ja", "zh"])
    fields = d.bank.form[main]
    chosen = rng.sample(fields, k=min(len(fields), rng.randint(2, 7)))
    d.ctx.lang = main
    sep = rng.choice([SEP[main], "\t", " = "]) if main in ("en", "de", "fr") else SEP[main]
    for k, (field_id, (name, slot)) in enumerate(chosen):
        d.used.append(field_id)
        if k:
            d.lit("\n")
        d.lit(name + sep)
        if d.negative and slot.isupper():
            d.tpl(("~form", "{?" + slot + "}"), noisy=False)
        else:
            d.tpl(("~form", "{" + slot + "}"), noisy=False)
    if rng.random() < 0.5:
        d.lit(
            "\n"
            + {"en": "Message", "de": "Nachricht", "fr": "Message", "ja": "お問い合わせ内容", "zh": "留言"}[
                main
            ]
            + sep
        )
        d.fragment(main if lang != "mixed" else "en")


def _notes(d: _Doc, lang: str) -> None:
    rng = d.ctx.rng
    langs = _langs_for(rng, lang, rng.choice([2, 3, 4]))
    bullet = rng.choice(["- ", "* ", "• ", "", "・"])
    for k, frag_lang in enumerate(langs):
        if k:
            d.lit("\n")
        d.lit(f"{k + 1}. " if bullet == "" else bullet)
        d.fragment(frag_lang, positive=(k == 0) or rng.random() < 0.6)


def _post(d: _Doc, lang: str) -> None:
    """Forum / social media post: optional opener, sentences, maybe a paste, maybe a closing line."""
    rng = d.ctx.rng
    langs = _langs_for(rng, lang, rng.choice([1, 2, 3]))
    if rng.random() < 0.6:
        d.frame(langs[0], "post_open")
        d.lit(rng.choice([" ", "\n", "\n\n"]))
    d.fragments(langs)
    if rng.random() < 0.25:
        d.lit("\n\n")
        d.block(rng.choice(("log", "config", "code", "stacktrace")), fence=rng.random() < 0.5)
    if rng.random() < 0.5:
        d.lit(rng.choice(["\n\n", " ", "\n"]))
        d.frame(langs[0], "post_close")


def _search(d: _Doc, lang: str) -> None:
    d.noise.lower = d.noise.lower or lang in ("en", "de", "fr")
    d.fragment(_langs_for(d.ctx.rng, lang, 1)[0])


def _struct(channel: str) -> Callable[[_Doc, str], None]:
    def assemble_struct(d: _Doc, lang: str) -> None:
        rng = d.ctx.rng
        intro = channel != "fields" and (lang != "en" or rng.random() < 0.35)
        if intro:
            langs = _langs_for(rng, lang, 1)
            d.frame(langs[0], "chat_open")
            d.lit(rng.choice(["\n", "\n\n"]))
        d.block(channel, fence=intro and rng.random() < 0.6)

    return assemble_struct


_ASSEMBLERS: dict[str, Callable[[_Doc, str], None]] = {
    "chat": _chat,
    "email": _email,
    "issue": _issue,
    "form": _form,
    "notes": _notes,
    "search": _search,
    "post": _post,
    **{ch: _struct(ch) for ch in STRUCT_CHANNELS},
}


def assemble(
    channel: str, lang: str, ctx: Ctx, bank: TemplateBank, negative: bool
) -> tuple[TextBuilder, list[str]]:
    """Render one document of ``channel`` in ``lang``; returns the builder and the template ids used.

    Raises:
        ValueError: unknown channel.
    """
    if channel not in _ASSEMBLERS:
        raise ValueError(f"unknown channel {channel!r} (expected one of {CHANNELS})")
    ctx.negative = negative
    noise = Noise.draw(ctx.rng, lang, channel)
    ctx.casual = noise.lower
    doc = _Doc(ctx, bank, noise, negative)
    _ASSEMBLERS[channel](doc, lang)
    return doc.out, doc.used
