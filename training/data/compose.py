"""Template mini-language and rendering into a `TextBuilder`.

Syntax: ``{SLOT}`` / ``{slot}`` (see `training.data.values`), ``{a|b|}`` picks one alternative
(alternatives may nest and contain slots), ``{{`` and ``}}`` are literal braces. Everything else
is literal text. Literal text can be perturbed by `Noise` (case, spacing, typos) without moving spans.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass

from training.data.record import TextBuilder
from training.data.values import Ctx, slot_value

__all__ = ["Noise", "parse", "render", "template_labels"]

Node = tuple[str, object]  # ("lit", str) | ("slot", str) | ("alt", list[list[Node]])


@functools.lru_cache(maxsize=8192)
def parse(template: str) -> tuple[Node, ...]:
    """Parse ``template`` into nodes (cached).

    Raises:
        ValueError: an unclosed ``{`` (a stray top-level ``}`` is literal text).
    """
    nodes, pos = _parse_seq(template, 0, top=True)
    if pos != len(template):
        raise ValueError(f"unbalanced '}}' at {pos} in template {template[:60]!r}")
    return tuple(nodes)


def _parse_seq(t: str, i: int, top: bool) -> tuple[list[Node], int]:
    nodes: list[Node] = []
    lit: list[str] = []
    while i < len(t):
        c = t[i]
        if c == "{" and t.startswith("{{", i):
            lit.append("{")
            i += 2
        elif c == "}" and t.startswith("}}", i) and top:
            lit.append("}")
            i += 2
        elif c == "{":
            if lit:
                nodes.append(("lit", "".join(lit)))
                lit = []
            node, i = _parse_group(t, i + 1)
            nodes.append(node)
        elif c in "|}" and not top:
            break
        else:
            lit.append(c)
            i += 1
    if lit:
        nodes.append(("lit", "".join(lit)))
    return nodes, i


def _parse_group(t: str, i: int) -> tuple[Node, int]:
    options: list[list[Node]] = []
    while True:
        seq, i = _parse_seq(t, i, top=False)
        options.append(seq)
        if i >= len(t):
            raise ValueError(f"unclosed '{{' in template {t[:60]!r}")
        if t[i] == "}":
            i += 1
            break
        i += 1  # '|'
    if len(options) == 1 and len(options[0]) == 1 and options[0][0][0] == "lit":
        name = str(options[0][0][1])
        if name.replace("_", "").replace("#", "").lstrip("?").isalnum():
            return ("slot", name), i
    return ("alt", options), i


def template_labels(template: str) -> frozenset[str]:
    """Names of labeled (UPPER-case) slots anywhere in ``template``."""
    out: set[str] = set()

    def walk(nodes: tuple[Node, ...] | list[Node]) -> None:
        for kind, val in nodes:
            if kind == "slot" and str(val).lstrip("?").split("#")[0].isupper():
                out.add(str(val))
            elif kind == "alt":
                for opt in val:  # type: ignore[attr-defined]
                    walk(opt)

    walk(parse(template))
    return frozenset(out)


@dataclass
class Noise:
    """Perturbations of literal text, drawn once per example."""

    lower: bool = False
    typo_rate: float = 0.0
    double_space: float = 0.0

    @classmethod
    def draw(cls, rng: random.Random, lang: str, channel: str) -> Noise:
        casual = channel in ("chat", "search", "social")
        return cls(
            lower=casual and lang in ("en", "de", "fr", "mixed") and rng.random() < 0.25,
            typo_rate=rng.choice([0.0, 0.0, 0.0, 0.15, 0.3]) if lang in ("en", "de", "fr", "mixed") else 0.0,
            double_space=rng.choice([0.0, 0.0, 0.0, 0.03]),
        )

    def apply(self, text: str, rng: random.Random) -> str:
        if self.lower:
            text = text.lower()
        if self.typo_rate and len(text) > 12 and rng.random() < self.typo_rate:
            # one swapped letter pair per noisy piece: people's typos, not line noise
            j = rng.randrange(len(text) - 1)
            if text[j].isalpha() and text[j + 1].isalpha() and text[j].isascii():
                text = text[:j] + text[j + 1] + text[j] + text[j + 2 :]
        if self.double_space and " " in text and rng.random() < self.double_space * 10:
            text = text.replace(" ", "  ", 1)
        return text


def render(template: str, ctx: Ctx, out: TextBuilder, noise: Noise | None = None) -> None:
    """Render ``template`` with values from ``ctx`` into ``out`` (spans recorded for labeled slots)."""
    _render_nodes(parse(template), ctx, out, noise)


def _render_nodes(
    nodes: tuple[Node, ...] | list[Node], ctx: Ctx, out: TextBuilder, noise: Noise | None
) -> None:
    for kind, val in nodes:
        if kind == "lit":
            text = str(val)
            out.add(noise.apply(text, ctx.rng) if noise else text)
        elif kind == "slot":
            value, label = slot_value(ctx, str(val))
            out.add(value, label)
        else:
            options = val
            _render_nodes(ctx.rng.choice(options), ctx, out, noise)  # type: ignore[arg-type]
