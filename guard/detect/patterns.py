"""Regex detectors loaded from a data table (``patterns.yaml``), compiled and validated at load.

:func:`load_patterns` reads the table and checks every entry (the regex compiles, the score is in
``[0, 1]``, the label is one of ``LABELS``, the validator exists, names are unique); a bad table raises
:class:`~guard.errors.ConfigError` naming the file and the entry. :class:`PatternDetector` (named
``regex``) runs the compiled table over a text.

A ``SECRET`` hit whose value is a placeholder (``AKIAIOSFODNN7EXAMPLE``, ``<password>``, ``${VAR}``,
``xxxx``, ``****``, eight repeated characters...) is dropped; the placeholder rules are data too.
"""

from __future__ import annotations

import base64
import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from guard.detect.base import ScanContext
from guard.detect.validators import CHECKSUMS, VALIDATORS
from guard.errors import ConfigError
from guard.findings import LABELS, Finding

__all__ = [
    "default_patterns",
    "family_table",
    "CompiledPattern",
    "PatternDetector",
    "PatternTable",
    "Placeholders",
    "default_patterns_path",
    "load_patterns",
]

_FLAGS: Mapping[str, re.RegexFlag] = MappingProxyType(
    {"ignorecase": re.IGNORECASE, "multiline": re.MULTILINE, "dotall": re.DOTALL}
)
_MACRO = re.compile(r"\{([A-Z]{1,3})\}")


class _ContextSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    words: tuple[Annotated[str, Field(min_length=1)], ...] = Field(min_length=1)
    required: bool = False
    boost: Annotated[float, Field(ge=0.0, le=1.0)] = 0.0
    window: Annotated[int, Field(ge=1, le=500)] = 40


class _PatternSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    label: str
    kind: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    regex: Annotated[str, Field(min_length=1)]
    score: Annotated[float, Field(ge=0.0, le=1.0)]
    provider: str | None = None
    validator: str | None = None
    checksum: str | None = None
    flags: tuple[Literal["ignorecase", "multiline", "dotall"], ...] = ()
    context: _ContextSpec | None = None
    keywords: tuple[Annotated[str, Field(min_length=1)], ...] = ()


class _PlaceholderSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    values: tuple[str, ...] = ()
    regexes: tuple[str, ...] = ()
    min_distinct: Annotated[int, Field(ge=0, le=64)] = 0


class _TableSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    macros: dict[Annotated[str, Field(pattern=r"^[A-Z]{1,3}$")], str] = {}
    placeholders: _PlaceholderSpec = _PlaceholderSpec()
    patterns: tuple[_PatternSpec, ...] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    """One compiled table entry."""

    name: str
    label: str
    kind: str
    regex: re.Pattern[str]
    score: float
    provider: str | None
    validator: str | None
    checksum: str | None
    context_words: re.Pattern[str] | None
    context_required: bool
    context_boost: float
    context_window: int
    keywords: tuple[str, ...]


_BASE64 = re.compile(r"[A-Za-z0-9+/]{4,400}={0,2}")


@dataclass(frozen=True, slots=True)
class Placeholders:
    """Rules that mark a secret-shaped value as a placeholder or as public material.

    ``match`` is true for a listed value (any case), a value any rule regex finds something in, a
    low-diversity value (at least 8 characters, no more distinct ones than ``min_distinct`` or a
    sixth of its length up to 8: ``aaaa1111bbbb2222``, ``AIzaaaaaaaaa…``), and base64 that decodes to such a
    value or to fewer than 4 printable characters (Kubernetes ``data:`` values like ``YmFyCg==``,
    "bar").
    """

    values: frozenset[str]
    regexes: tuple[re.Pattern[str], ...]
    min_distinct: int = 0

    def match(self, value: str) -> bool:
        """Whether ``value`` is a placeholder or public material (see the class)."""
        if self._plain(value):
            return True
        if len(value) >= 8 and len(value) % 4 == 0 and _BASE64.fullmatch(value):
            try:
                decoded = base64.b64decode(value, validate=True).decode("ascii")
            except (ValueError, UnicodeDecodeError):
                return False
            if decoded.isprintable() or decoded.rstrip("\r\n").isprintable():
                text = decoded.strip()
                return len(text) < 4 or self._plain(text)
        return False

    def _plain(self, value: str) -> bool:
        if value.casefold() in self.values:
            return True
        floor = max(self.min_distinct, min(len(value) // 6, 8))
        if self.min_distinct and len(value) >= 8 and len(set(value)) <= floor:
            return True
        return any(rx.search(value) for rx in self.regexes)


@dataclass(frozen=True, slots=True)
class PatternTable:
    """A validated, compiled pattern table."""

    source: str
    patterns: tuple[CompiledPattern, ...]
    placeholders: Placeholders

    @property
    def providers(self) -> frozenset[str]:
        """Distinct credential providers covered by ``SECRET`` patterns."""
        return frozenset(p.provider for p in self.patterns if p.label == "SECRET" and p.provider)


@functools.cache
def default_patterns() -> PatternTable:
    """The packaged table, loaded once per process (the detectors, the model's shape checks and
    ``--verify`` share it; a `PatternTable` is immutable)."""
    return load_patterns()


def default_patterns_path() -> Path:
    """The packaged ``guard/detect/patterns.yaml``."""
    return Path(str(resources.files("guard.detect").joinpath("patterns.yaml")))


def _loc(loc: tuple[int | str, ...], raw: Mapping[str, Any]) -> str:
    """Render a pydantic error location, naming a pattern entry by its ``name`` when it has one."""
    if len(loc) >= 2 and loc[0] == "patterns" and isinstance(loc[1], int):
        entries = raw.get("patterns")
        name = None
        if isinstance(entries, list) and loc[1] < len(entries) and isinstance(entries[loc[1]], dict):
            name = entries[loc[1]].get("name")
        head = f"patterns[{loc[1]}]" + (f" ({name})" if name else "")
        return ".".join([head, *map(str, loc[2:])])
    return ".".join(map(str, loc)) or "<root>"


def _expand(regex: str, macros: Mapping[str, str], where: str) -> str:
    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in macros:
            raise ConfigError(f"{where}: unknown macro {{{m.group(1)}}}")
        return macros[m.group(1)]

    return _MACRO.sub(sub, regex)


def _compile(spec: _PatternSpec, macros: Mapping[str, str], where: str) -> CompiledPattern:
    if spec.label not in LABELS:
        raise ConfigError(f"{where}: unknown label {spec.label!r} (expected one of {', '.join(LABELS)})")
    if spec.validator is not None and spec.validator not in VALIDATORS:
        raise ConfigError(f"{where}: unknown validator {spec.validator!r}")
    if spec.checksum is not None and spec.checksum not in CHECKSUMS:
        raise ConfigError(f"{where}: unknown checksum {spec.checksum!r}")
    flags = 0
    for flag in spec.flags:
        flags |= _FLAGS[flag]
    # The leading lookbehind ({LT}) stays in the regex: checked after the match instead, every
    # position inside a long run of key characters starts an attempt that scans the rest of the run
    # (quadratic: 129 s for 393 kB of "eyJ"; 0.1 s with the lookbehind in place, measured on an AMD
    # EPYC, and no slower on ordinary text).
    try:
        regex = re.compile(_expand(spec.regex, macros, where), flags)
    except re.error as exc:
        raise ConfigError(f"{where}: regex does not compile: {exc}") from None
    context = None
    if spec.context is not None:
        words = "|".join(re.escape(w) for w in sorted(spec.context.words, key=len, reverse=True))
        context = re.compile(words, re.IGNORECASE)
    return CompiledPattern(
        name=spec.name,
        label=spec.label,
        kind=spec.kind,
        regex=regex,
        score=spec.score,
        provider=spec.provider,
        validator=spec.validator,
        checksum=spec.checksum,
        context_words=context,
        context_required=spec.context.required if spec.context else False,
        context_boost=spec.context.boost if spec.context else 0.0,
        context_window=spec.context.window if spec.context else 0,
        keywords=tuple(k.casefold() for k in spec.keywords),
    )


def load_patterns(path: str | Path | None = None) -> PatternTable:
    """Load, validate and compile a pattern table.

    Args:
        path: a YAML file in the ``patterns.yaml`` format; ``None`` → the packaged table.

    Returns:
        The compiled :class:`PatternTable`.

    Raises:
        ConfigError: the file is missing or invalid; the message names the file and the entry.
    """
    p = Path(path) if path is not None else default_patterns_path()
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{p}: pattern table not found") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{p}: cannot read pattern table: {type(exc).__name__}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{p}: a pattern table must be a mapping with a 'patterns' list")
    try:
        spec = _TableSpec.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ConfigError(
            f"{p}: {_loc(err['loc'], raw)}: {err['msg'].removeprefix('Value error, ')}"
        ) from None
    compiled: list[CompiledPattern] = []
    seen: set[str] = set()
    for i, entry in enumerate(spec.patterns):
        where = f"{p}: patterns[{i}] ({entry.name})"
        if entry.name in seen:
            raise ConfigError(f"{where}: duplicate pattern name")
        seen.add(entry.name)
        compiled.append(_compile(entry, spec.macros, where))
    rules: list[re.Pattern[str]] = []
    for i, rule in enumerate(spec.placeholders.regexes):
        try:
            rules.append(re.compile(rule))
        except re.error as exc:
            raise ConfigError(f"{p}: placeholders.regexes[{i}]: regex does not compile: {exc}") from None
    values = frozenset(v.casefold() for v in spec.placeholders.values)
    placeholders = Placeholders(values, tuple(rules), spec.placeholders.min_distinct)
    return PatternTable(str(p), tuple(compiled), placeholders)


class PatternDetector:
    """Runs a compiled :class:`PatternTable` over a text (a :class:`~guard.detect.base.Detector`).

    Metadata of each finding: ``kind``, ``pattern`` (entry name), ``provider`` and ``validator`` when
    set, ``checksum: valid`` when the value carries its issuer's checksum. Spans are the ``span``
    group when the regex has one, else the ``value`` group, else the whole match; validators and
    placeholder rules always read the ``value`` group (the password of a connection string) when
    there is one.
    """

    name = "regex"

    def __init__(self, table: PatternTable | None = None, only: Sequence[str] | None = None) -> None:
        self.table = table if table is not None else default_patterns()
        if only is not None:
            unknown = set(only) - {p.name for p in self.table.patterns}
            if unknown:
                raise ValueError(f"unknown pattern names: {sorted(unknown)}")
        self._patterns = tuple(p for p in self.table.patterns if only is None or p.name in only)

    def detect(self, text: str, context: ScanContext | None = None) -> list[Finding]:
        """Return every validated, non-placeholder hit (overlaps included; fusion resolves them)."""
        if not text:
            return []
        folded = text.casefold() if any(p.keywords for p in self._patterns) else text
        seen: dict[str, bool] = {}  # patterns share keywords: search the text once per keyword
        out: list[Finding] = []
        for pattern in self._patterns:
            if pattern.keywords and not any(_contains(folded, k, seen) for k in pattern.keywords):
                continue
            out.extend(self._matches(pattern, text))
        out.sort(key=lambda f: (f.start, -f.end))
        return out

    def _matches(self, pattern: CompiledPattern, text: str) -> Iterator[Finding]:
        """Findings of one pattern, non-overlapping like ``finditer``, except that after a match its
        validator rejects the search goes on one character later rather than after the match: a
        longer candidate that fails its checksum must not hide a valid value that starts inside it.
        tests/guard/detect/test_linear_time.py keeps this linear on adversarial input."""
        search = pattern.regex.search
        pos = 0
        while pos <= len(text):
            m = search(text, pos)
            if m is None:
                return
            finding = self._finding(pattern, text, m)
            if finding is not None:
                yield finding
                pos = m.end() if m.end() > m.start() else m.start() + 1
            elif pattern.validator is not None:
                pos = m.start() + 1
            else:
                pos = m.end() if m.end() > m.start() else m.start() + 1

    def _finding(self, pattern: CompiledPattern, text: str, m: re.Match[str]) -> Finding | None:
        groups = pattern.regex.groupindex
        start, end = m.span("value" if "value" in groups else 0)
        if start < 0 or end <= start:
            return None
        value = text[start:end]
        if "span" in groups:
            start, end = m.span("span")
        if pattern.validator is not None and not VALIDATORS[pattern.validator](value):
            return None
        if (
            pattern.label == "SECRET"
            and pattern.kind not in _KEY_BLOCKS
            and (self.table.placeholders.match(value) or _is_identifier(pattern, value, m))
        ):
            return None
        score = pattern.score
        if pattern.context_words is not None:
            w = pattern.context_window
            window = text[max(0, m.start() - w) : m.end() + w]
            present = pattern.context_words.search(window) is not None
            if pattern.context_required and not present:
                return None
            if present:
                score = min(1.0, score + pattern.context_boost)
        meta: dict[str, Any] = {"kind": pattern.kind, "pattern": pattern.name}
        if pattern.provider:
            meta["provider"] = pattern.provider
        if pattern.validator:
            meta["validator"] = pattern.validator
        if pattern.checksum is not None and CHECKSUMS[pattern.checksum](value):
            meta["checksum"] = "valid"
            score = max(score, CHECKSUM_SCORE)
        return Finding(pattern.label, start, end, score, self.name, MappingProxyType(meta))


#: The least score of a hit whose issuer checksum holds (``checksum: valid``).
CHECKSUM_SCORE = 0.995

#: Kinds whose value is a whole key block: its body has long runs (``AAAAAAAA`` in OpenSSH keys)
#: that the placeholder rules would take for filler; ``pem_key_body`` checks the body instead.
_KEY_BLOCKS = frozenset({"private_key", "gcp_service_account_key"})


def _contains(folded: str, keyword: str, seen: dict[str, bool]) -> bool:
    hit = seen.get(keyword)
    if hit is None:
        hit = seen[keyword] = keyword in folded
    return hit


_CODE_IDENTIFIER = re.compile(
    r"_*[a-z]+(?:_[a-z]+)+|[a-z]+(?:[A-Z][a-z]+)+|(?:self|this|args|config|cfg|opts)\..+"
    r"|_*[A-Za-z][A-Za-z0-9_.]{0,80}\([^()]{0,80}\)[;,]?"  # a call: _get_token_from_file()
    r"|(?:[A-Za-z_]+\.)+[A-Za-z_]+"  # a dotted name without digits: settings.SECRET_KEY
)


def _is_identifier(pattern: CompiledPattern, value: str, m: re.Match[str]) -> bool:
    """A bare password assignment whose value is code: an identifier (``password = user_password``),
    a call (``token = _get_token_from_file()``) or a dotted name (``key = settings.SECRET_KEY``)."""
    if pattern.kind != "password" or "q" in m.re.groupindex:
        return False
    return _CODE_IDENTIFIER.fullmatch(value) is not None


def family_table(table: PatternTable | None = None) -> str:
    """The SECRET rule families of ``table`` as a markdown table (docs/secrets.md is generated from it).

    One row per provider: its patterns, the kinds of credential, whether a validator or a required
    context word narrows the match.
    """
    table = table if table is not None else default_patterns()
    rows: dict[str, list[CompiledPattern]] = {}
    for p in table.patterns:
        if p.label == "SECRET":
            rows.setdefault(p.provider or "-", []).append(p)
    out = [
        "| provider | patterns | kinds | narrowed by |",
        "|---|---|---|---|",
    ]
    for provider in sorted(rows):
        pats = rows[provider]
        checks = sorted(
            {f"validator `{p.validator}`" for p in pats if p.validator}
            | {f"checksum `{p.checksum}`" for p in pats if p.checksum}
            | {"context words" for p in pats if p.context_required}
        )
        out.append(
            f"| {provider} | {', '.join(f'`{p.name}`' for p in pats)} | "
            f"{', '.join(sorted({p.kind for p in pats}))} | {'; '.join(checks) or 'format'} |"
        )
    return "\n".join(out) + "\n"
