"""Entropy-based secret candidates: random-looking tokens, boosted by secret context words nearby.

A candidate is a run of base64/hex/alphanumeric characters of at least ``min_length`` (20). It is
scored by its Shannon entropy relative to what its alphabet allows and by its character-class mix,
then boosted when a context word (key, token, secret, Passwort, mot de passe, 密码, パスワード...) occurs
just before it. Rejected outright: UUIDs, hex digests of 32/40/64 characters (MD5/SHA-1/SHA-256,
git SHAs) without secret context, file paths, code identifiers, data URIs, base64 that decodes to
plain low-entropy text, tokens without both letters and digits, and identifiers that name a
resource without granting access: Kubernetes pod names (``api-7d9f8b6c4-x2k9p``), cloud resource
ids (``subnet-0a1b2c3d4e5f67890``) and public API object ids (Stripe ``evt_``/``ch_``/``cus_``...,
but not ``..._secret_...`` client secrets).

Scores: without context the best candidates stay at ``NO_CONTEXT_MAX`` (0.6); with context up to 0.9.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Iterator
from types import MappingProxyType

from guard.detect.base import ScanContext
from guard.detect.patterns import Placeholders
from guard.detect.validators import shannon_entropy
from guard.findings import Finding

__all__ = [
    "CONTEXT_WORDS",
    "EntropyDetector",
    "NO_CONTEXT_MAX",
    "is_digest",
    "public_blocks",
    "public_material",
]

NO_CONTEXT_MAX = 0.6

#: Words that announce a secret just before a token (any language of the taxonomy).
CONTEXT_WORDS: tuple[str, ...] = (
    "key", "token", "secret", "password", "passwd", "pwd", "passphrase", "credential", "auth", "api",
    "bearer", "private", "signature", "salt", "session", "cookie",
    "passwort", "kennwort", "schlüssel", "zugangsdaten",
    "mot de passe", "mdp", "clé", "jeton",
    "密码", "密钥", "令牌", "口令", "凭证",
    "パスワード", "トークン", "秘密鍵", "暗証",
)  # fmt: skip

#: Blocks that hold public material: whatever random-looking text is inside is meant to be shared.
_PUBLIC_BLOCK = re.compile(
    r"-----BEGIN (?:PGP PUBLIC KEY BLOCK|PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE|X509 CRL|"
    r"CERTIFICATE REQUEST|NEW CERTIFICATE REQUEST|PGP SIGNATURE|SSH2 PUBLIC KEY)-----"
    r"(?:(?!-----(?:END|BEGIN) )[\s\S]){0,65536}?-----END [A-Z0-9 ]{1,40}-----"
)


def is_digest(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` lies in a token named as a digest (``sha256=…``, ``sha512-…``).

    For spans of other detectors (the model's SECRET fragments of a wheel RECORD line).
    """
    s = start
    while s > 0 and s > start - 512 and (text[s - 1].isalnum() or text[s - 1] in "+/_-"):
        s -= 1
    token = text[s:end]
    named = _DIGEST_NAME.search(text, max(0, s - 16), s)
    return bool(named or _DIGEST_START.match(token))


def public_blocks(text: str) -> list[tuple[int, int]]:
    """Spans of public key, certificate and signature blocks in ``text`` (their content is public)."""
    return [(b.start(), b.end()) for b in _PUBLIC_BLOCK.finditer(text)] if "-----BEGIN" in text else []


_ARMOR_LINE = re.compile(
    r"^[ \t]*(?:-----(?:BEGIN|END) [A-Z0-9 ]{1,40}-----|=?[A-Za-z0-9+/]+={0,2})[ \t]*\r?$", re.M
)


def public_material(text: str) -> list[tuple[int, int]]:
    """Spans of the armor and base64 lines of public blocks (`public_blocks`), line by line.

    Other lines inside a block (``Comment:`` headers, or prose someone wrapped in armor) are not
    included: the model still reads them, and findings on them stand.
    """
    out: list[tuple[int, int]] = []
    for start, end in public_blocks(text):
        for m in _ARMOR_LINE.finditer(text, start, end):
            if m.end() > m.start():
                out.append((m.start(), m.end()))
    return out


#: On the token's line before it: a public-key assignment, or the start of encrypted material
#: (SOPS ``ENC[AES256_GCM,data:…]``, Ansible Vault, sealed secrets): random by design, not a secret.
_PUBLIC_OR_SEALED = re.compile(
    r"(?i)(?:pub(?:lic)?[_-]?key[\"']?\s*[:=]\s*[\"']?\s*$"
    r"|ENC\[(?:AES256_GCM|PGP|KMS)[^\]]*$|\$ANSIBLE_VAULT|sealedsecret|encryptedData:)"
)
#: A digest's algorithm just before a token (``sha256=…`` in wheel RECORD files, ``sha512-…`` npm
#: integrity, ``--hash=sha256:…``, ``md5:``): a checksum of a public file, not a secret.
_DIGEST = r"(?i)(?:sha(?:1|224|256|384|512)|md5|blake2[bs]?|xxh(?:32|64|128))[=:-]"
_DIGEST_NAME = re.compile(_DIGEST + "$")  # ends the text before a token
_DIGEST_START = re.compile(_DIGEST)  # opens a token ("sha512-…", "sha256=…")
_TOKEN = re.compile(r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{20,}={0,2}(?![A-Za-z0-9+/=_-])")
_CONTEXT = re.compile("|".join(re.escape(w) for w in CONTEXT_WORDS), re.IGNORECASE)
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_HEX = re.compile(r"[0-9a-fA-F]+")
#: Character runs of a token: upper case, lower case, digits, one separator.
_RUNS = re.compile(r"[A-Z]+|[a-z]+|[0-9]+|[_-]")
_WORDY_SEGMENT = re.compile(r"[A-Za-z][a-z]*(?:[_-][A-Za-z][a-z]*)*\d{0,2}")
#: Kubernetes generated names: <owner>-<pod-template-hash>-<suffix>, both from its safe alphabet.
_K8S_SAFE = "[bcdfghjklmnpqrstvwxz2456789]"
_K8S_NAME = re.compile(rf"[a-z0-9]+(?:-[a-z0-9]+)*-{_K8S_SAFE}{{6,10}}-{_K8S_SAFE}{{5}}")
#: Cloud resource ids (AWS EC2/VPC/EBS and friends): they name a resource, they grant nothing.
_RESOURCE_ID = re.compile(
    r"(?:i|sg|subnet|vpc|vpce|ami|vol|snap|eni|igw|rtb|acl|nat|eipalloc|lt|tgw|fs|r|e)-[0-9a-f]{8,17}"
)
#: Public API object ids (Stripe-style ``<type>_<id>``); secret keys use other prefixes (sk_, rk_, whsec_).
_PUBLIC_OBJECT_ID = re.compile(
    r"(?:evt|ch|pi|cus|sub|in|il|ii|pm|prod|price|txn|po|re|src|card|ba|acct|py|tr|seti|si|cs_test|cs_live"
    r"|dp|du|or|plink|file|link|req|prv|bpc|cbtxn|ipi|payout|pyr|fee)_[A-Za-z0-9]{8,64}"
)


def is_identifier(token: str) -> bool:
    """Whether ``token`` reads as a code identifier made of words, acronyms and short numbers.

    The language of ``(?:[A-Z]?[a-z]{2,}|[A-Z]{2,})(?:[_-]?(?:[A-Z]?[a-z]{2,}|[A-Z]{2,}|\\d{1,4}))*``
    (``parseHTTPResponse2``, ``user_id``, ``XML-Parser``), decided in one pass over the token's
    character runs: that regex backtracks exponentially on long digit or capital runs that end in
    a mismatch (a 60-character Slack token took 55 s). A run of lower case letters needs two
    letters (one capital before it may join it), a run of capitals not followed by lower case needs
    two, digits need a word before them, and single separators only stand between runs.
    """
    if not token or not token[0].isascii() or not token[0].isalpha():
        return False
    runs = _RUNS.findall(token)
    if sum(map(len, runs)) != len(token):
        return False  # a character outside [A-Za-z0-9_-]
    for i, run in enumerate(runs):
        nxt = runs[i + 1] if i + 1 < len(runs) else ""
        if run in "_-":
            if i == 0 or not nxt or nxt in "_-":
                return False
        elif run.islower() and len(run) < 2:
            return False
        elif run.isupper() and not nxt.islower() and len(run) < 2:
            return False
        elif run.isupper() and nxt.islower() and len(nxt) < 2:
            return False
    return True


def _looks_like_path(token: str) -> bool:
    segments = [s for s in token.split("/") if s]
    return (
        len(segments) >= 2 and sum(bool(_WORDY_SEGMENT.fullmatch(s)) for s in segments) >= len(segments) - 1
    )


def _names_a_resource(token: str) -> bool:
    """Whether ``token`` is a pod name, a cloud resource id or a public API object id."""
    if _K8S_NAME.fullmatch(token) or _RESOURCE_ID.fullmatch(token):
        return True
    return _PUBLIC_OBJECT_ID.fullmatch(token) is not None and "_secret_" not in token


def _decodes_to_text(token: str) -> bool:
    """Whether ``token`` is base64 of printable, low-entropy text (an encoded sentence, not a key)."""
    if len(token) % 4 != 0:
        return False
    try:
        raw = base64.b64decode(token, validate=True)
        decoded = raw.decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return False
    return decoded.isprintable() and shannon_entropy(decoded) < 4.2 and " " in decoded


def _alphabet_bits(token: str) -> float:
    if _HEX.fullmatch(token):
        return 4.0
    size = 0
    size += 26 if re.search(r"[a-z]", token) else 0
    size += 26 if re.search(r"[A-Z]", token) else 0
    size += 10 if re.search(r"\d", token) else 0
    size += 4 if re.search(r"[+/_=-]", token) else 0
    return math.log2(max(size, 2))


class EntropyDetector:
    """Finds high-entropy secret candidates (a :class:`~guard.detect.base.Detector`, named ``entropy``).

    Args:
        min_length: shortest candidate, in characters.
        max_length: longest candidate without context (longer runs are data blobs, not keys).
        context_window: how many characters before a token are searched for context words.
    """

    name = "entropy"

    def __init__(
        self,
        min_length: int = 20,
        max_length: int = 256,
        context_window: int = 32,
        placeholders: Placeholders | None = None,
    ) -> None:
        if min_length < 8 or max_length < min_length or context_window < 0:
            raise ValueError("need 8 <= min_length <= max_length and context_window >= 0")
        #: documentation placeholders (AWS's ``...EXAMPLE`` keys) are rejected like the regexes do
        self.placeholders = placeholders
        self.min_length = min_length
        self.max_length = max_length
        self.context_window = context_window

    def detect(self, text: str, context: ScanContext | None = None) -> list[Finding]:
        """Return scored candidates sorted by offset."""
        return list(self._iter(text))

    def _iter(self, text: str) -> Iterator[Finding]:
        public = public_blocks(text)
        for m in _TOKEN.finditer(text):
            token = m.group()
            if len(token) < self.min_length:
                continue
            if public and any(a <= m.start() < b for a, b in public):
                continue  # inside a public key or certificate block: public by design
            line_start = max(text.rfind("\n", 0, m.start()) + 1, m.start() - 1024)  # bounded look-back
            if _PUBLIC_OR_SEALED.search(text, line_start, m.start()):
                continue  # assigned to a public key, or inside encrypted material (SOPS, Vault)
            before = text[max(0, m.start() - self.context_window) : m.start()]
            context = _CONTEXT.search(before) is not None
            if self.placeholders is not None and self.placeholders.match(token):
                continue
            score = self.score(token, context, before)
            if score > 0.0:
                meta = MappingProxyType({"kind": "high_entropy", "context": context})
                yield Finding("SECRET", m.start(), m.end(), round(score, 4), self.name, meta)

    def score(self, token: str, context: bool, before: str = "") -> float:
        """Score one token in ``[0, 1]``; 0 means rejected. Pure: depends only on its arguments."""
        if len(token) > self.max_length and not context:
            return 0.0
        if before.rstrip().endswith(("base64,", "://", "/", "\\")) or _DIGEST_NAME.search(before):
            return 0.0
        if _DIGEST_START.match(token):  # "sha512-…" is one token
            return 0.0
        if _UUID.fullmatch(token) or _UUID.search(token):
            return 0.0
        if _names_a_resource(token):
            return 0.0
        is_hex = _HEX.fullmatch(token) is not None
        if is_hex and len(token) in (32, 40, 64, 128) and not context:
            return 0.0
        has_digit = any(c.isdigit() for c in token)
        has_alpha = any(c.isalpha() for c in token)
        if not (has_digit and has_alpha):
            return 0.0
        if "/" in token and _looks_like_path(token):
            return 0.0
        if is_identifier(token) and not context:
            return 0.0
        if _decodes_to_text(token):
            return 0.0
        entropy = shannon_entropy(token)
        # The best a token of this length can reach with its alphabet: random keys get close to it.
        ceiling = min(_alphabet_bits(token), math.log2(len(token)))
        ratio = entropy / ceiling if ceiling > 0 else 0.0
        if ratio < 0.7:
            return 0.0
        classes = sum(bool(re.search(p, token)) for p in (r"[a-z]", r"[A-Z]", r"\d", r"[+/_=-]"))
        base = 0.3 + 0.25 * min(1.0, (ratio - 0.7) / 0.25) + 0.05 * (classes - 2)
        if context:
            return min(0.9, base + 0.35)
        return min(NO_CONTEXT_MAX, base)
