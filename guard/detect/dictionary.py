"""Dictionary matching of codenames and customers, confirmed or rejected by context.

A dictionary hit is only a *candidate*: "Okapi" is a codename in "Projet Okapi" and an animal in
"the okapi lives in the Congo". A candidate becomes a finding with a score that says how sure we are:

* ``STRONG_SCORE`` — a strong cue: the matched alias itself is a project name (``Project Tamarind``,
  ``Projekt Blaureiher``), an all-caps alias written in capitals (``TAMARIND``), or the text around it
  says so (``Projekt Okapi``, ``Okapi-Projekt``, ``青鸟项目``, ``月光計画``, ``ゲッコープロジェクト``);
* ``CONTEXT_SCORE`` — a weaker cue nearby (codenames: prototype, roadmap, budget, Q3...; customers:
  deal terms, volumes, prices, problems) — enough on its own to cross the default 0.5 threshold;
* otherwise the model's probability for that label on that span when a scorer is given;
* otherwise ``CANDIDATE_SCORE``, below every default threshold, so the policy drops it.

Metadata carries ``kind`` and ``confirmed_by`` (``alias``, ``cue``, ``context``, ``model`` or ``none``),
never the matched value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from guard.detect.context import SpanScorer, bounded, context_window
from guard.findings import Finding

__all__ = [
    "CANDIDATE_SCORE",
    "CONTEXT_SCORE",
    "STRONG_SCORE",
    "DictionaryMatcher",
    "customer_variants",
]

STRONG_SCORE = 0.95
CONTEXT_SCORE = 0.75
CANDIDATE_SCORE = 0.3

_PROJECT_WORD = (
    r"(?:project|projekt|projet|programme|program|programm|codename|code\s*name|code-name|opération)"
)
_ALIAS_IS_PROJECT = re.compile(rf"{_PROJECT_WORD}|项目|計画|计划|プロジェクト", re.IGNORECASE)
_CUE_BEFORE = re.compile(rf"{_PROJECT_WORD}\s*[:\"'«“„]?\s*$", re.IGNORECASE)
_CUE_AFTER = re.compile(
    r"^(?:[\s-]*(?:project|projekt|projet|programme|program)\b|\s*(?:项目|計画|计划|プロジェクト|案件))",
    re.IGNORECASE,
)
_CODENAME_CONTEXT = re.compile(
    r"prototyp|roadmap|milestone|meilenstein|jalon|launch|lancement|release|rollout|slip|delay|verzöger|retard"
    r"|deadline|budget|\bQ[1-4]\b|\bH[12]\b|confidential|vertraulich|confidentiel|internal|intern\b|tape-?out"
    r"|予算|预算|机密|社外秘|極秘|试产|量産|量产|スケジュール|进度|延期",
    re.IGNORECASE,
)
_CUSTOMER_CONTEXT = re.compile(
    r"deal|contract|vertrag|contrat|volume|units|stück|pièces|margin|marge|discount|rabatt|remise|rebate"
    r"|pric|preis|prix|tarif|renewal|verlänger|renouvel|churn|escalat|eskalat|complain|beschwerde|plainte"
    r"|problem|problème|outage|ausfall|panne|invoice|rechnung|facture|revenue|umsatz|chiffre|order|auftrag"
    r"|commande|bestell|offer|angebot|offre|quote|rfp|sla|penalt|strafe|pénalit|[€$£¥%]"
    r"|契約|価格|値引|受注|発注|問題|障害|合同|价格|折扣|订单|销量|数量|问题|故障|报价",
    re.IGNORECASE,
)
_LEGAL_SUFFIX = re.compile(
    r"(?:[\s,]+(?:GmbH|AG|AS|ASA|SAS|SA|S\.A\.|SARL|Ltd\.?|Limited|Inc\.?|LLC|Corp\.?|Co\.,?\s*Ltd\.?|Co\.?"
    r"|&\s*Cie\.?|&\s*Co\.?(?:\s*KG)?|KG|plc|PLC|B\.?V\.?|N\.?V\.?)"
    r"|株式会社|有限会社|有限公司|股份有限公司|（[^）]*）|\([^)]*\))\s*$"
)
_LEGAL_PREFIX = re.compile(r"^(?:株式会社|有限会社)")


def _fold(text: str) -> str:
    """Case-fold, strip accents and collapse whitespace: the lookup key of a spelling."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(unicodedata.normalize("NFKC", stripped).casefold().split())


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def customer_variants(legal_name: str) -> tuple[str, ...]:
    """The spellings under which a customer is matched: the legal name, without legal-form suffixes
    (``GmbH``, ``AS``, ``Co., Ltd.``, ``株式会社``...), and their accent-free forms.

    Variants shorter than 3 characters are dropped (too ambiguous).
    """
    out = [legal_name.strip()]
    current = legal_name.strip()
    while True:
        shorter = _LEGAL_PREFIX.sub("", _LEGAL_SUFFIX.sub("", current)).strip(" ,")
        if shorter == current or len(shorter) < 3:
            break
        out.append(shorter)
        current = shorter
    out.extend(_strip_accents(v) for v in list(out))
    return tuple(dict.fromkeys(v for v in out if len(v) >= 3))


class _Named(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def spellings(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: str  # "codename" | "customer"
    project_alias: bool = False  # the spelling names a project (Project Tamarind, 青鸟项目)
    caps_alias: bool = False  # an all-caps alias exists: strong when written in capitals


def _spelling_regex(spelling: str) -> str:
    parts = [re.escape(p) for p in spelling.split()]
    return bounded(r"\s+".join(parts), spelling)


@lru_cache(maxsize=256)
def spelling_alternation(spellings: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for the given spellings, longest first (cached: texts tend to mention the same few)."""
    ordered = sorted(spellings, key=lambda s: (-len(s), s))
    return re.compile("|".join(_spelling_regex(s) for s in ordered), re.IGNORECASE)


class DictionaryMatcher:
    """Matches codename and customer spellings in one pass and scores each hit by context."""

    def __init__(self, codenames: Sequence[_Named], customers: Sequence[str]) -> None:
        self._entries: dict[str, _Entry] = {}
        for codename in codenames:
            for spelling in codename.spellings:
                key = _fold(spelling)
                old = self._entries.get(key, _Entry("codename"))
                self._entries[key] = _Entry(
                    "codename",
                    old.project_alias or bool(_ALIAS_IS_PROJECT.search(spelling)),
                    old.caps_alias or (len(spelling) >= 3 and spelling.isupper()),
                )
        for customer in customers:
            for spelling in customer_variants(customer):
                self._entries.setdefault(_fold(spelling), _Entry("customer", False))
        # A big case-insensitive alternation costs seconds per MB, so each spelling has a probe (its
        # first word, lower-cased) and only spellings whose probe occurs in the text are matched.
        self._probes: dict[str, tuple[str, ...]] = {}
        for spelling in sorted(set(self._iter_spellings(codenames, customers))):
            probe = spelling.split()[0].lower()
            self._probes[probe] = (*self._probes.get(probe, ()), spelling)

    @staticmethod
    def _iter_spellings(codenames: Sequence[_Named], customers: Sequence[str]) -> Iterator[str]:
        for codename in codenames:
            yield from codename.spellings
        for customer in customers:
            yield from customer_variants(customer)

    def detect(self, text: str, scorer: SpanScorer | None = None) -> list[Finding]:
        """Return one finding per dictionary hit, scored as the module docstring explains."""
        folded = text.lower()
        present = tuple(sp for probe, group in self._probes.items() if probe in folded for sp in group)
        if not present:
            return []
        out: list[Finding] = []
        for m in spelling_alternation(present).finditer(text):
            matched = m.group()
            entry = self._entries.get(_fold(matched))
            if entry is None:  # a case-insensitive match whose fold differs (rare): not ours to guess
                continue
            label = "CODENAME" if entry.kind == "codename" else "CUSTOMER"
            score, how = self._score(text, m.start(), m.end(), entry, matched, label, scorer)
            meta = {"kind": entry.kind, "confirmed_by": how}
            out.append(Finding(label, m.start(), m.end(), score, "domain", meta))
        return out

    def _score(
        self,
        text: str,
        start: int,
        end: int,
        entry: _Entry,
        matched: str,
        label: str,
        scorer: SpanScorer | None,
    ) -> tuple[float, str]:
        before, after = context_window(text, start, end, 60)
        if entry.kind == "codename":
            if entry.project_alias or (entry.caps_alias and matched.isupper()):
                return STRONG_SCORE, "alias"
            if _CUE_BEFORE.search(before[-25:]) or _CUE_AFTER.search(after[:25]):
                return STRONG_SCORE, "cue"
            context = _CODENAME_CONTEXT
        else:
            context = _CUSTOMER_CONTEXT
        model = float(scorer.span_score(start, end, label)) if scorer is not None else 0.0
        if context.search(before) or context.search(after):
            return max(CONTEXT_SCORE, model), "context"
        if scorer is not None:
            return model, "model"
        return CANDIDATE_SCORE, "none"
