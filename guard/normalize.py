"""Undo the disguises that hide a value from pattern detectors, with offsets back to the original.

A key with a zero-width space inside, a card number in fullwidth digits, ``\\u0041KIA…`` written as
literal escapes, or a key hex-encoded or base64-encoded reads as nothing to a regular expression.
`normalize` returns the text with these undone, as a `Normalized` that maps every span of the new
text back to the span of the original that produced it, so a finding lands on the disguised value
itself (and is redacted there).

Undone, in one pass over the text (each step linear, the number of decodings bounded):

- zero-width characters (U+200B–U+200D, U+2060, U+FEFF) and the soft hyphen (U+00AD) are removed;
- compatibility characters (fullwidth and halfwidth forms, circled, superscript and mathematical
  letters and digits) become their NFKC form;
- literal escapes ``\\uXXXX``, ``\\xXX``, ``&#NNN;`` and ``&#xHH;`` become the character;
- a run of at least 20 hex digits, or of at least 24 base64 characters, whose decoding is printable
  UTF-8 text becomes that text (at most `MAX_DECODES` per text; git hashes and random ids decode to
  bytes that are not text and stay as they are).

Guard's detectors read the original text and, when it differs, this one; the model reads the
original only (it was trained on it).
"""

from __future__ import annotations

import base64
import binascii
import bisect
import re
import unicodedata
from dataclasses import dataclass, field

__all__ = ["MAX_DECODES", "Normalized", "decode_base64", "normalize"]

#: Encoded runs decoded per text, at most (a bound on the work an adversarial text can cause).
MAX_DECODES = 64

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_COMPAT = (
    "\uff01-\uff9f"  # fullwidth ASCII forms, halfwidth katakana
    "\u2460-\u24ff"  # enclosed (circled, parenthesised) alphanumerics
    "\u2070-\u209f\u00b2\u00b3\u00b9"  # superscripts and subscripts
    "\u2150-\u218f"  # number forms
    "\U0001d400-\U0001d7ff"  # mathematical alphanumerics
)
_TOKEN = re.compile(
    rf"(?P<inv>[{_INVISIBLE}]+)"
    rf"|(?P<compat>[{_COMPAT}]+)"
    r"|\\u(?P<u>[0-9A-Fa-f]{4})"
    r"|\\x(?P<x>[0-9A-Fa-f]{2})"
    r"|&#(?P<dec>[0-9]{2,7});"
    r"|&#[xX](?P<hex>[0-9A-Fa-f]{2,6});"
    r"|(?<![0-9A-Za-z])(?P<hexrun>(?:[0-9A-Fa-f]{2}){10,})(?![0-9A-Za-z])"
    r"|(?<![A-Za-z0-9+/=_-])(?P<b64>[A-Za-z0-9+/]{24,}={0,2}|[A-Za-z0-9_-]{24,}={0,2})(?![A-Za-z0-9+/=_-])"
)
_QUICK = re.compile(rf"[{_INVISIBLE}{_COMPAT}]|\\[ux]|&#|[0-9A-Fa-f]{{20}}|[A-Za-z0-9+/_-]{{24}}")


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalized text and the way back to the original's offsets.

    ``segments`` are ``(new_start, old_start, old_end, exact)``: from ``new_start`` to the next
    segment's start, the new text copies ``old[old_start:old_end]`` (``exact``) or was decoded from
    it (every offset inside maps to the whole original run).
    """

    text: str
    original: str
    segments: tuple[tuple[int, int, int, bool], ...]
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(s[0] for s in self.segments))

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span that produced ``text[start:end]`` (``start < end``)."""
        return self._at(start)[0], self._at(end - 1)[1]

    def _at(self, pos: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the character at new offset ``pos``."""
        i = bisect.bisect_right(self._starts, pos) - 1
        new_start, old_start, old_end, exact = self.segments[i]
        if exact:
            o = old_start + (pos - new_start)
            return o, o + 1
        return old_start, old_end


def decode_base64(run: str) -> bytes | None:
    """The bytes of a base64 run, standard or URL-safe, padding optional; None when it is none."""
    padded = run.rstrip("=") + "=" * (-len(run.rstrip("=")) % 4)
    alt = b"-_" if ("-" in run or "_" in run) else None
    try:
        return base64.b64decode(padded, altchars=alt, validate=True)
    except (ValueError, binascii.Error):
        return None


def _decoded(kind: str, run: str) -> str | None:
    try:
        raw = bytes.fromhex(run) if kind == "hexrun" else decode_base64(run)
        if raw is None:
            return None
        text = raw.decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    if len(text) < 6 or sum(c.isprintable() or c in "\r\n\t" for c in text) < len(text):
        return None
    return text


def _replacement(m: re.Match[str]) -> str | None:
    kind = m.lastgroup
    value = m.group(kind or 0)
    if kind == "inv":
        return ""
    if kind == "compat":
        return unicodedata.normalize("NFKC", value)
    if kind in ("u", "x", "hex"):
        code = int(value, 16)
    elif kind == "dec":
        code = int(value)
    else:
        return _decoded(str(kind), value)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def normalize(text: str) -> Normalized:
    """Undo zero-width characters, compatibility forms, literal escapes and encoded runs."""
    if not _QUICK.search(text):
        return Normalized(text, text, ((0, 0, len(text), True),))
    out: list[str] = []
    segments: list[tuple[int, int, int, bool]] = []
    pos = new = decodes = 0
    for m in _TOKEN.finditer(text):
        if m.lastgroup in ("hexrun", "b64"):
            if decodes >= MAX_DECODES:
                continue
            decodes += 1
        repl = _replacement(m)
        if repl is None:
            continue
        if m.start() > pos:
            segments.append((new, pos, m.start(), True))
            out.append(text[pos : m.start()])
            new += m.start() - pos
        if repl:
            # a run of compatibility forms keeps its length (fullwidth digits): offsets map 1:1
            exact = m.lastgroup == "compat" and len(repl) == m.end() - m.start()
            segments.append((new, m.start(), m.end(), exact))
            out.append(repl)
            new += len(repl)
        pos = m.end()
    if pos < len(text) or not segments:
        segments.append((new, pos, len(text), True))
        out.append(text[pos:])
    return Normalized("".join(out), text, tuple(segments))
