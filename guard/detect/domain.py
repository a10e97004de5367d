"""Domain packs: a company's internal hosts, IP ranges, codenames, customers and secret formats.

The pack format is the one of ``deploy/domains/example-kestrel.yaml``. :func:`load_domain_pack` parses
and validates it loudly (unknown keys, bad regexes, bad IP ranges and bad host names raise
:class:`~guard.errors.ConfigError` naming the file and the key). :class:`DomainDetector` turns a pack
into findings:

* internal host names, sub-domains and URLs on them, and IP addresses inside the pack's ranges
  → ``INTERNAL_HOST`` (the company's public domains never are);
* company secret formats → ``SECRET`` with ``kind`` = the format's name;
* codenames (with aliases) and customers (with legal-name variants) → ``CODENAME`` / ``CUSTOMER``
  *candidates*, confirmed by strong cues (``Project X``, ``X项目``, an all-caps alias) or by the
  model's score for that label on that span, so "Okapi" the animal passes and "Projet Okapi" is caught.

Internal ids (employee ids, ticket keys) are low severity and not one of the 12 labels: they are
parsed and validated but never reported as findings.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from guard.detect.base import ScanContext
from guard.detect.dictionary import DictionaryMatcher, spelling_alternation
from guard.detect.linear import compile_linear
from guard.errors import ConfigError
from guard.findings import Finding

__all__ = [
    "Codename",
    "Company",
    "DomainDetector",
    "DomainPack",
    "InternalHosts",
    "NamedRegex",
    "load_domain_pack",
]

_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _check_regex(value: str) -> str:
    compile_linear(value)  # raises ValueError: invalid, or not matchable in linear time
    return value


def _check_domain(value: str) -> str:
    host = value.strip().lower().rstrip(".")
    labels = host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.match(part) for part in labels):
        raise ValueError(f"not a domain name: {value!r}")
    return host


def _check_network(value: str) -> str:
    try:
        ipaddress.ip_network(value, strict=True)
    except ValueError as exc:
        raise ValueError(f"not an IP network: {exc}") from None
    return value


def _check_text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


Regex = Annotated[str, AfterValidator(_check_regex)]
Domain = Annotated[str, AfterValidator(_check_domain)]
Network = Annotated[str, AfterValidator(_check_network)]
Text = Annotated[str, AfterValidator(_check_text)]

_STRICT = ConfigDict(extra="forbid", frozen=True)


class Company(BaseModel):
    """Who the pack is for. ``public_domains`` are never internal hosts."""

    model_config = _STRICT
    name: Text
    legal_names: tuple[Text, ...] = ()
    public_domains: tuple[Domain, ...] = ()
    offices: tuple[Text, ...] = ()
    languages: tuple[Text, ...] = ()


class InternalHosts(BaseModel):
    """Internal DNS suffixes, example hosts (for training data) and private IP ranges."""

    model_config = _STRICT
    domains: tuple[Domain, ...] = ()
    examples: tuple[Domain, ...] = ()
    ip_ranges: tuple[Network, ...] = ()

    def networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        """The parsed ``ip_ranges``."""
        return tuple(ipaddress.ip_network(r) for r in self.ip_ranges)


class Codename(BaseModel):
    """A confidential project name and its aliases (``note`` is for humans, never matched)."""

    model_config = _STRICT
    name: Text
    aliases: tuple[Text, ...] = ()
    note: str = ""

    @property
    def spellings(self) -> tuple[str, ...]:
        """The name followed by its aliases, without duplicates."""
        return tuple(dict.fromkeys((self.name, *self.aliases)))


class NamedRegex(BaseModel):
    """A named regular expression (company secret format or internal id)."""

    model_config = _STRICT
    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    regex: Regex


class DomainPack(BaseModel):
    """One company's domain knowledge, immutable once loaded."""

    model_config = _STRICT
    company: Company
    internal_hosts: InternalHosts = InternalHosts()
    codenames: tuple[Codename, ...] = ()
    customers: tuple[Text, ...] = ()
    secret_formats: tuple[NamedRegex, ...] = ()
    internal_ids: tuple[NamedRegex, ...] = ()
    confidential_examples: tuple[Text, ...] = ()

    def is_public_host(self, host: str) -> bool:
        """Whether ``host`` is one of the company's public domains or a sub-domain of one."""
        host = host.lower().rstrip(".")
        return any(host == d or host.endswith("." + d) for d in self.company.public_domains)


def _format_loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<root>"


def load_domain_pack(path: str | Path) -> DomainPack:
    """Read and validate a domain pack YAML file.

    Args:
        path: the YAML file.

    Returns:
        The frozen :class:`DomainPack`.

    Raises:
        ConfigError: the file is missing or unreadable, is not YAML, or breaks the schema; the message
            names the file, the key path (``codenames[2].aliases``) and the reason.
    """
    p = Path(path)
    try:
        raw: Any = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{p}: domain pack not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: cannot read domain pack: {type(exc).__name__}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise ConfigError(f"{p}: invalid YAML{where}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{p}: a domain pack must be a mapping at the top level")
    try:
        return DomainPack.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        more = f" (and {exc.error_count() - 1} more errors)" if exc.error_count() > 1 else ""
        raise ConfigError(
            f"{p}: {_format_loc(first['loc'])}: {first['msg'].removeprefix('Value error, ')}{more}"
        ) from None


# Leading lookbehinds are checked in code (`_after_boundary`): a pattern that starts with one
# makes `re` try every position instead of skipping to the first digit.
_IPV4 = re.compile(r"[0-9]\d{0,2}(?:\.\d{1,3}){3}(?![\d.]|\.\d)")
_IPV6 = re.compile(r"(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:])")
_IPV4_BEFORE = frozenset("0123456789.")
_IPV6_BEFORE = frozenset("0123456789abcdefABCDEF:")
_URL_TAIL = re.compile(r"(?::\d{1,5})?(?:[/?#][^\s\"'<>`)\]}]*)?")
#: what belongs to a bare host or IP span: its port (``host:5432``), and a CIDR prefix length on an IP
_PORT = re.compile(r":\d{1,5}(?![\d.:])")
_CIDR = re.compile(r"/\d{1,3}(?![\d./])")


#: labels that the company's own name can never carry
_NOT_OWN = frozenset({"CUSTOMER", "CODENAME"})


class DomainDetector:
    """Detector for one or more domain packs (a :class:`~guard.detect.base.Detector`, named ``domain``).

    ``detect(text)`` needs no model: unconfirmed codename/customer candidates then keep a low score
    (``candidate_score``, below the default thresholds) so the policy drops them. Pass the model's
    analysis of the same text as ``scorer`` to confirm candidates by context.
    """

    name = "domain"

    def __init__(self, packs: DomainPack | tuple[DomainPack, ...] | list[DomainPack]) -> None:
        self.packs: tuple[DomainPack, ...] = (packs,) if isinstance(packs, DomainPack) else tuple(packs)
        if not self.packs:
            raise ValueError("DomainDetector needs at least one domain pack")
        internal = sorted({d for p in self.packs for d in p.internal_hosts.domains}, key=len, reverse=True)
        self._hosts: re.Pattern[str] | None = None
        if internal:
            suffix = "|".join(re.escape(d) for d in internal)
            self._hosts = re.compile(
                r"(?<![A-Za-z0-9_.@-])(?P<scheme>[a-z][a-z0-9+.-]*://(?:[^\s/@\"'<>]+@)?)?"
                rf"(?P<host>(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)*(?:{suffix}))(?![A-Za-z0-9_-]|\.[a-z0-9])",
                re.IGNORECASE,
            )
        self._domains = tuple(internal)
        self._networks = tuple(n for p in self.packs for n in p.internal_hosts.networks())
        self._secrets = tuple(
            (fmt.name, compile_linear(fmt.regex)) for p in self.packs for fmt in p.secret_formats
        )
        self._dictionary = DictionaryMatcher(
            codenames=[c for p in self.packs for c in p.codenames],
            customers=[c for p in self.packs for c in p.customers],
        )
        own = tuple({n for p in self.packs for n in (p.company.name, *p.company.legal_names)})
        self._own = spelling_alternation(own) if own else None

    def is_public_host(self, host: str) -> bool:
        return any(p.is_public_host(host) for p in self.packs)

    def refine(self, text: str, findings: list[Finding]) -> list[Finding]:
        """`guard.detect.base.Refiner`: the company's own name is no CUSTOMER or CODENAME."""
        return self.without_own_company(text, findings)

    def without_own_company(self, text: str, findings: list[Finding]) -> list[Finding]:
        """Drop CUSTOMER and CODENAME findings (of any detector) that overlap the company's own name.

        A company is not its own customer: its name and legal names (``company.name``,
        ``company.legal_names``) in a signature, an imprint or a press release are not a leak.
        """
        if self._own is None:
            return findings
        own = [(m.start(), m.end()) for m in self._own.finditer(text)]
        if not own:
            return findings
        return [
            f
            for f in findings
            if f.label not in _NOT_OWN or not any(f.start < end and start < f.end for start, end in own)
        ]

    def detect(self, text: str, context: ScanContext | None = None) -> list[Finding]:
        """Return findings sorted by offset; the context's ``scorer`` (the model's span
        probabilities) decides ambiguous dictionary hits, see the class docstring."""
        found = [*self._detect_hosts(text), *self._detect_ips(text), *self._detect_secrets(text)]
        found.extend(self._dictionary.detect(text, context.scorer if context is not None else None))
        return sorted(found, key=lambda f: (f.start, -f.end))

    def _detect_hosts(self, text: str) -> Iterator[Finding]:
        if self._hosts is None:
            return
        folded = text.lower()
        if not any(d in folded for d in self._domains):
            return
        for m in self._hosts.finditer(text):
            if self.is_public_host(m["host"]):
                continue
            end = m.end()
            if m["scheme"]:
                tail = _URL_TAIL.match(text, end)
                end = tail.end() if tail else end
                while end > m.end() and text[end - 1] in ".,;:!?":
                    end -= 1
            else:
                port = _PORT.match(text, end)
                end = port.end() if port else end
            kind = "url" if m["scheme"] else "hostname"
            yield Finding("INTERNAL_HOST", m.start(), end, 0.97, self.name, {"kind": kind})

    def _detect_ips(self, text: str) -> Iterator[Finding]:
        if not self._networks:
            return
        versions = {n.version for n in self._networks}
        for version, rx, before in ((4, _IPV4, _IPV4_BEFORE), (6, _IPV6, _IPV6_BEFORE)):
            if version not in versions or (version == 6 and ":" not in text):
                continue
            for m in rx.finditer(text):
                if m.start() > 0 and text[m.start() - 1] in before:
                    continue
                try:
                    ip = ipaddress.ip_address(m.group())
                except ValueError:
                    continue
                if any(ip.version == n.version and ip in n for n in self._networks):
                    end = m.end()
                    suffix = (_CIDR.match(text, end) or _PORT.match(text, end)) if version == 4 else None
                    end = suffix.end() if suffix else end
                    yield Finding("INTERNAL_HOST", m.start(), end, 0.97, self.name, {"kind": "ip"})

    def _detect_secrets(self, text: str) -> Iterator[Finding]:
        for name, rx in self._secrets:
            for m in rx.finditer(text):
                if m.end() > m.start():
                    yield Finding("SECRET", m.start(), m.end(), 0.95, self.name, {"kind": name})
