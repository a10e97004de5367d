"""Text inside uploaded files: zip archives and the Office formats built on zip, PDF, gzip, bzip2, xz.

A key in a zip, a customer list in a .docx or .xlsx, a plan in a .pdf: the bytes of the upload are
compressed, so no view of the body shows them. `file_texts` opens such a file and returns its text
parts (a zip member that is text, the text runs of an OOXML part, a PDF's page text), recursing into
nested archives. Everything is bounded: the number of members, the bytes decompressed, the ratio
of a member's size to its compressed size (zip bombs), the nesting depth and the text returned.
What cannot be opened (encrypted, corrupt, over a bound, a 7z or rar archive) is reported as
unscanned, and the inspector applies the fail mode to it.
"""

from __future__ import annotations

import bz2
import html
import io
import lzma
import re
import zipfile
import zlib
from dataclasses import dataclass

from serving.inspect.codecs import decode_text

__all__ = ["FileLimits", "FileText", "file_texts", "is_file_container"]

_ZIP = b"PK\x03\x04"
_PDF = b"%PDF-"
_GZIP = b"\x1f\x8b"
_BZIP2 = b"BZh"
_XZ = b"\xfd7zXZ\x00"
_OPAQUE: tuple[tuple[bytes, str], ...] = (
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"Rar!\x1a\x07", "rar archive"),
    (b"\x28\xb5\x2f\xfd", "zstd file"),
)
_TAG = re.compile(r"<[^>]{0,4096}>")
#: OOXML parts whose text is document content (Word, Excel, PowerPoint, also in ODF content.xml).
_OOXML_TEXT = re.compile(
    r"^(word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml"
    r"|xl/(sharedStrings|worksheets/sheet\d+|comments\d*)\.xml"
    r"|ppt/(slides/slide\d+|notesSlides/notesSlide\d+)\.xml"
    r"|docProps/(core|app|custom)\.xml|content\.xml|meta\.xml)$"
)


@dataclass(frozen=True, slots=True)
class FileLimits:
    """Bounds on opening one upload.

    Attributes:
        max_members: zip members looked at (all levels together).
        max_bytes: bytes decompressed in total.
        max_ratio: largest member size / compressed size accepted (a zip bomb exceeds it).
        max_depth: archives inside archives followed.
        max_text: characters of text returned (the model reads them within the request's budget).
    """

    max_members: int = 512
    max_bytes: int = 32 * 1024 * 1024
    max_ratio: int = 200
    max_depth: int = 3
    max_text: int = 1024 * 1024


@dataclass(frozen=True, slots=True)
class FileText:
    """One text found inside an uploaded file; ``name`` is its path inside (``a.zip/b.docx``): the
    sender's text, never logged."""

    name: str
    text: str


class _Budget:
    """What one upload may still cost, and what was found so far."""

    def __init__(self, limits: FileLimits) -> None:
        self.limits = limits
        self.members = 0
        self.bytes = 0
        self.text = 0
        self.texts: list[FileText] = []
        self.problems: list[str] = []


def is_file_container(data: bytes) -> bool:
    """Whether ``data`` starts like a file this module opens or must report (archive, PDF)."""
    return data.startswith((_ZIP, _PDF, _GZIP, _BZIP2, _XZ)) or any(data.startswith(m) for m, _ in _OPAQUE)


def file_texts(
    data: bytes, name: str = "upload", limits: FileLimits | None = None
) -> tuple[list[FileText], list[str]]:
    """The texts inside ``data`` and why parts could not be read.

    The reasons name no member: file names inside an upload are the sender's text, and the reasons
    reach logs and incidents.
    """
    budget = _Budget(limits or FileLimits())
    _open(data, name, 0, budget)
    return budget.texts, budget.problems


def _open(data: bytes, name: str, depth: int, budget: _Budget) -> None:
    for magic, kind in _OPAQUE:
        if data.startswith(magic):
            budget.problems.append(f"{kind} cannot be opened")
            return
    if depth > budget.limits.max_depth:
        budget.problems.append(f"nested deeper than {budget.limits.max_depth} archives")
        return
    try:
        if data.startswith(_ZIP):
            _zip(data, name, depth, budget)
        elif data.startswith(_PDF):
            _pdf(data, name, budget)
        elif data.startswith((_GZIP, _BZIP2, _XZ)):
            inner = _decompressed(data, budget)
            if inner is None:
                budget.problems.append("file over the decompression limit")
                return
            _leaf(inner, name.removesuffix(".gz").removesuffix(".bz2").removesuffix(".xz"), depth, budget)
        else:
            _leaf(data, name, depth, budget)
    except (
        zipfile.BadZipFile,
        zlib.error,
        lzma.LZMAError,
        OSError,
        EOFError,
        ValueError,
        RuntimeError,
    ) as exc:
        budget.problems.append(f"file cannot be opened ({type(exc).__name__})")


def _decompressed(data: bytes, budget: _Budget) -> bytes | None:
    room = budget.limits.max_bytes - budget.bytes
    if data.startswith(_GZIP):
        obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = obj.decompress(data, room + 1)
        ended = obj.eof
    elif data.startswith(_BZIP2):
        bzd = bz2.BZ2Decompressor()
        out = bzd.decompress(data, max_length=room + 1)
        ended = bzd.eof
    else:
        xzd = lzma.LZMADecompressor()
        out = xzd.decompress(data, max_length=room + 1)
        ended = xzd.eof
    if len(out) > room:
        return None
    if not ended:
        raise EOFError("truncated")
    budget.bytes += len(out)
    return out


def _zip(data: bytes, name: str, depth: int, budget: _Budget) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        office = "[Content_Types].xml" in names or "META-INF/manifest.xml" in names  # OOXML or ODF
        for info in zf.infolist():
            if info.is_dir():
                continue
            budget.members += 1
            inner = f"{name}/{info.filename}"
            if budget.members > budget.limits.max_members:
                budget.problems.append(f"more than {budget.limits.max_members} members")
                return
            if info.flag_bits & 0x1:
                budget.problems.append("encrypted zip member")
                continue
            if info.file_size > budget.limits.max_ratio * max(1, info.compress_size):
                budget.problems.append(f"compression ratio over {budget.limits.max_ratio} (zip bomb?)")
                continue
            room = budget.limits.max_bytes - budget.bytes
            if info.file_size > room:
                budget.problems.append("file over the decompression limit")
                return
            with zf.open(info) as fh:
                content = fh.read(room + 1)  # the declared size may lie: read at most the room left
            if len(content) > room:
                budget.problems.append("file over the decompression limit")
                return
            budget.bytes += len(content)
            if _OOXML_TEXT.match(info.filename):
                _add(inner, _xml_text(content), budget)
            elif office and (info.filename.endswith((".xml", ".rels")) or info.filename == "mimetype"):
                continue  # Office plumbing: content types, styles, themes, relationships
            else:
                _open(content, inner, depth + 1, budget)


def _pdf(data: bytes, name: str, budget: _Budget) -> None:
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            budget.problems.append("encrypted PDF")
            return
        parts = []
        for page in reader.pages:
            parts.append(page.extract_text() or "")
            if sum(len(p) for p in parts) > budget.limits.max_text:
                break
        meta: dict[str, object] = dict(reader.metadata or {})
        parts.extend(str(v) for v in meta.values() if isinstance(v, str))
    except (PdfReadError, KeyError, TypeError, AttributeError) as exc:
        budget.problems.append(f"unreadable PDF ({type(exc).__name__})")
        return
    _add(name, "\n".join(parts), budget)


def _leaf(data: bytes, name: str, depth: int, budget: _Budget) -> None:
    if is_file_container(data):
        _open(data, name, depth + 1, budget)
        return
    text = _as_text(data)
    if text is not None:
        _add(name, text, budget)
    # other binary members (images, fonts) carry no text a detector or the model reads


def _as_text(data: bytes) -> str | None:
    """A member as text: `serving.inspect.codecs.decode_text`, and UTF-16 with a byte-order mark."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    return decode_text(data)


def _xml_text(content: bytes) -> str:
    xml = content.decode("utf-8", errors="replace")
    # paragraph, cell and line ends become line breaks, other tags nothing (runs of one word join)
    xml = re.sub(r"</(w:p|a:p|text:p|row|si|c)>|<(w:br|w:tab|a:br)\b[^>]*/?>", "\n", xml)
    return html.unescape(_TAG.sub("", xml))


def _add(name: str, text: str, budget: _Budget) -> None:
    text = text.strip()
    if not text:
        return
    room = budget.limits.max_text - budget.text
    if len(text) > room:
        budget.problems.append(f"file text over {budget.limits.max_text:,} characters")
        text = text[: max(0, room)]
    if text:
        budget.text += len(text)
        budget.texts.append(FileText(name, text))
