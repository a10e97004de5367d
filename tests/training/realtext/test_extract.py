"""Extraction: real files of each kind become paragraphs, and sections that name people are dropped."""

from __future__ import annotations

import gzip
import shutil
import struct
from pathlib import Path

import pytest

from training.realtext import extract as ex

_MAN = r""".TH FROB 1 "2024" "frob 1.0" "User Commands"
.SH NAME
frob \- twist the files
.SH DESCRIPTION
.B frob
reads /etc/frob/frob.conf and twists every file given on the command line.
.PP
With \-\-deep it also follows symbolic links below /var/lib/frob.
.SH AUTHOR
Written by Jane Q. Maintainer <jane@frob.example.org>.
.SH "REPORTING BUGS"
Report bugs to <bugs@frob.example.org>.
"""


@pytest.mark.skipif(shutil.which("groff") is None, reason="groff renders man pages (Debian groff-base)")
def test_a_man_page_is_rendered_without_its_author_and_bug_sections(tmp_path: Path) -> None:
    page = tmp_path / "usr/share/man/de/man1/frob.1.gz"
    page.parent.mkdir(parents=True)
    page.write_bytes(gzip.compress(_MAN.encode()))
    (page.parent / "link.1.gz").write_bytes(gzip.compress(b".so man1/frob.1\n"))
    docs = list(ex.man_pages(tmp_path, "man-de", "de", "de"))
    assert len(docs) == 1  # the .so link is not a document
    text = "\n".join(docs[0].paragraphs)
    assert "/etc/frob/frob.conf" in text and "/var/lib/frob" in text
    assert "Jane" not in text and "bugs@" not in text
    assert docs[0].group == "man:frob.1"  # the same page in every language shares a group


def test_a_folder_without_man_pages_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ex.ExtractError, match="man-fr: no man pages"):
        list(ex.man_pages(tmp_path, "man-fr", "fr", "fr"))


def test_html_keeps_text_and_code_lines_and_skips_scripts_and_navigation(tmp_path: Path) -> None:
    page = tmp_path / "apt.html"
    page.write_text(
        "<html><head><title>t</title><script>var secret = 1;</script></head><body>"
        "<div class='navheader'>Prev Next Home</div>"
        "<p>Edit the   <code>sources.list</code>\n file, then run the update.</p>"
        "<pre>deb http://deb.debian.org/debian bookworm main\napt update</pre>"
        "</body></html>",
        encoding="utf-8",
    )
    blocks = ex.html_blocks(page)
    assert "Edit the sources.list file, then run the update." in blocks
    assert "deb http://deb.debian.org/debian bookworm main\napt update" in blocks
    assert not any("secret" in b or "Prev Next" in b for b in blocks)


def test_mail_bodies_lose_signatures_footers_and_header_lines() -> None:
    body = (
        "Hi all,\n\nThe build broke again after the upgrade.\n\n"
        "On Wed, Feb 06, 2002 at 10:01, Jane Roe wrote:\n"
        "> From: someone@example.org\n> it works for me\n\n"
        "Cheers\n-- \nJohn Private | +1 555 0100\n"
    )
    blocks = [b.strip() for b in ex.mail_blocks(body) if b.strip()]
    joined = "\n".join(blocks)
    assert "The build broke again" in joined and "it works for me" in joined
    assert "someone@example.org" not in joined and "John Private" not in joined
    assert "Jane Roe" not in joined  # quote attribution lines name the quoted person


def test_fortunes_are_split_on_percent_lines_without_attributions(tmp_path: Path) -> None:
    folder = tmp_path / "de"
    folder.mkdir()
    (folder / "zitate").write_text(
        "Wer früher stirbt, ist länger tot.\n    -- Ein Bekannter\n%\n"
        "Zwiebeln in Butter glasig dünsten.\n%\n",
        encoding="utf-8",
    )
    (folder / "zitate.dat").write_bytes(b"\x00\x01")
    docs = list(ex.fortunes(folder, "fortunes-de", "de"))
    assert [d.paragraphs for d in docs] == [
        ["Wer früher stirbt, ist länger tot."],
        ["Zwiebeln in Butter glasig dünsten."],
    ]
    assert all(d.channel == "quote" for d in docs)


def test_english_fortunes_skip_ascii_art_and_other_languages(tmp_path: Path) -> None:
    folder = tmp_path / "fortunes"
    (folder / "de").mkdir(parents=True)
    (folder / "de" / "zitate").write_text("Ein Zitat.\n%\n", encoding="utf-8")
    (folder / "people").write_text("He said he would be back by noon.\n%\n", encoding="utf-8")
    (folder / "ascii-art").write_text("  /\\_/\\\n ( o.o )\n%\n", encoding="utf-8")
    (folder / "art").write_text(" ____\n|    |\n%\n", encoding="utf-8")
    (folder / "people.u8").symlink_to(folder / "people")
    docs = list(ex.fortunes(folder, "fortunes-en", "en"))
    assert [d.doc_id for d in docs] == ["fortunes-en:people:0"]
    assert docs[0].paragraphs == ["He said he would be back by noon."]


def test_a_free_form_copyright_file_still_names_its_licence(tmp_path: Path) -> None:
    from training.realtext.sources import _licence_from_copyright

    doc = tmp_path / "usr" / "share" / "doc" / "fortunes"
    doc.mkdir(parents=True)
    (doc / "copyright").write_text("Notes for the port.\nThis program falls under the BSD copyright:\n")
    assert _licence_from_copyright(tmp_path, "fortunes") == "BSD"
    (doc / "copyright").write_text("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
                                   "License: GPL-2+\n")  # fmt: skip
    assert _licence_from_copyright(tmp_path, "fortunes") == "GPL-2+"
    (doc / "copyright").write_text("All rights reserved.\n")
    assert _licence_from_copyright(tmp_path, "fortunes") == "see /usr/share/doc/fortunes/copyright"


def _write_mo(path: Path, messages: dict[str, str]) -> None:
    """A GNU .mo catalogue (the format gettext reads), written from its specification."""
    keys = sorted(messages)
    ids = b"".join(k.encode() + b"\0" for k in keys)
    strs = b"".join(messages[k].encode() + b"\0" for k in keys)
    n = len(keys)
    header = 7 * 4
    ids_start = header + n * 16
    strs_start = ids_start + len(ids)
    table_o, table_t = b"", b""
    off = 0
    for k in keys:
        table_o += struct.pack("<2I", len(k.encode()), ids_start + off)
        off += len(k.encode()) + 1
    off = 0
    for k in keys:
        table_t += struct.pack("<2I", len(messages[k].encode()), strs_start + off)
        off += len(messages[k].encode()) + 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        struct.pack("<7I", 0x950412DE, 0, n, header, header + n * 8, 0, 0) + table_o + table_t + ids + strs
    )


def test_mo_catalogues_pair_each_translation_with_its_english_original(tmp_path: Path) -> None:
    msgs = {
        "": "Content-Type: text/plain; charset=UTF-8\n",
        "cannot open %s for reading": "%s kann nicht zum Lesen geöffnet werden",
        "x": "x",
    }
    _write_mo(tmp_path / "usr/share/locale/de/LC_MESSAGES/frob.mo", msgs)
    _write_mo(
        tmp_path / "usr/share/locale/de/LC_MESSAGES/iso_3166-1.mo", {"Germany long name": "Deutschland lang"}
    )
    docs = list(ex.mo_catalogues([tmp_path], "mo"))
    by_lang = {d.lang: d for d in docs}
    assert set(by_lang) == {"de", "en"}
    assert by_lang["de"].paragraphs == ["%s kann nicht zum Lesen geöffnet werden"]
    assert by_lang["en"].paragraphs == ["cannot open %s for reading"]
    assert by_lang["de"].group == by_lang["en"].group  # a translation and its original split together


def test_long_blocks_are_cut_at_sentence_ends_under_the_size_bound() -> None:
    block = " ".join(f"Sentence number {i} explains one more option of the tool." for i in range(40))
    paras = ex.paragraphs_of([block])
    assert len(paras) > 1
    assert all(len(p) <= ex.MAX_CHARS for p in paras)
    assert all(p.endswith(".") for p in paras)


def test_a_file_in_another_encoding_is_skipped_with_a_warning_naming_the_source(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "de"
    folder.mkdir()
    (folder / "alt").write_bytes("Grüße aus Köln, schönes Wetter heute.\n%\n".encode("latin-1"))
    (folder / "neu").write_text("Grüße aus Köln, schönes Wetter heute.\n%\n", encoding="utf-8")
    docs = list(ex.fortunes(folder, "fortunes-de", "de"))
    assert [d.doc_id for d in docs] == ["fortunes-de:neu:0"]
    assert "fortunes-de: alt is not UTF-8 text" in caplog.text
