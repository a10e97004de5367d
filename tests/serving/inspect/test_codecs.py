"""Body codecs: pieces with locations, and write-back that keeps the body valid."""

from __future__ import annotations

import json

import pytest

from serving.inspect.codecs import (
    BinaryDocument,
    FormDocument,
    JsonDocument,
    MultipartDocument,
    TextDocument,
    decode_text,
    media_type,
    parse_body,
)

MULTIPART = (
    b"preamble\r\n--XyZ\r\n"
    b'Content-Disposition: form-data; name="title"\r\n\r\nhello\r\n'
    b'--XyZ\r\nContent-Disposition: form-data; name="doc"; filename="notes.txt"\r\n'
    b"Content-Type: text/plain\r\n\r\n"
    b"line one\nline two\r\n"
    b'--XyZ\r\nContent-Disposition: form-data; name="meta"\r\n'
    b'Content-Type: application/json\r\n\r\n{"k": "v"}\r\n'
    b'--XyZ\r\nContent-Disposition: form-data; name="img"; filename="a.png"\r\n'
    b"Content-Type: image/png\r\n\r\n"
    b"\x89PNG\x00\x01\x02\r\n"
    b"--XyZ--\r\n"
)


def test_media_type() -> None:
    assert media_type('multipart/form-data; boundary="a b"; charset=UTF-8') == (
        "multipart/form-data",
        {"boundary": "a b", "charset": "UTF-8"},
    )
    assert media_type(None) == ("", {})


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"plain", "plain"),
        ("größe".encode(), "größe"),
        (b"\x00\x01bin", None),
        (bytes(range(128, 256)), None),
    ],
)
def test_decode_text(data: bytes, text: str | None) -> None:
    assert decode_text(data) == text


def test_json_pieces_cover_keys_strings_and_numbers_in_order() -> None:
    doc = JsonDocument({"a": ["x", {"b": 4111}], "c": True, "d": None, "e": 1.5})
    assert [(p.location.role, p.text) for p in doc.pieces] == [
        ("key", "a"), ("value", "x"), ("key", "b"), ("value", "4111"), ("key", "c"), ("key", "d"),
        ("key", "e"), ("value", "1.5"),
    ]  # fmt: skip
    texts = [p.text for p in doc.pieces]
    texts[0], texts[3] = "[SECRET]", "[CREDIT_CARD]"
    assert json.loads(doc.rebuild(texts)) == {
        "[SECRET]": ["x", {"b": "[CREDIT_CARD]"}],
        "c": True,
        "d": None,
        "e": 1.5,
    }


def test_json_redacted_keys_that_collide_keep_both_entries() -> None:
    doc = JsonDocument({"k1": 1, "k2": 2})
    assert json.loads(doc.rebuild(["[SECRET]", "1", "[SECRET]", "2"])) == {"[SECRET]": 1, "[SECRET]_": 2}


def test_form_round_trip_and_rewrite() -> None:
    doc = FormDocument("a=1&b=x+y&empty=&a=%2F")
    assert [p.text for p in doc.pieces] == ["a", "1", "b", "x y", "empty", "", "a", "/"]
    texts = [p.text for p in doc.pieces]
    texts[3] = "[EMAIL]"
    assert doc.rebuild(texts) == b"a=1&b=%5BEMAIL%5D&empty=&a=%2F"


def test_multipart_pieces_and_identity_rebuild() -> None:
    doc = parse_body(MULTIPART, "multipart/form-data; boundary=XyZ")
    assert isinstance(doc, MultipartDocument)
    assert [(p.location.part, p.text) for p in doc.pieces] == [
        ("multipart", "title"), ("multipart/text", "hello"), ("multipart", "doc"), ("multipart", "notes.txt"),
        ("multipart/text", "line one\nline two"), ("multipart", "meta"), ("multipart/json", "k"),
        ("multipart/json", "v"), ("multipart", "img"), ("multipart", "a.png"),
    ]  # fmt: skip
    assert doc.rebuild([p.text for p in doc.pieces]) == MULTIPART
    assert len({p.location.index for p in doc.pieces}) == len(doc.pieces)


def test_multipart_rewrite_keeps_binary_parts_and_quotes_names() -> None:
    doc = parse_body(MULTIPART, "multipart/form-data; boundary=XyZ")
    texts = [p.text for p in doc.pieces]
    texts[0], texts[4], texts[7] = 'a"b', "[SECRET]", "[EMAIL]"
    out = doc.rebuild(texts)
    assert b'name="a\\"b"' in out and b"\r\n\r\n[SECRET]\r\n" in out and b'{"k": "[EMAIL]"}' in out
    assert b"\x89PNG\x00\x01\x02" in out and out.endswith(b"--XyZ--\r\n")


def test_parse_body_dispatch() -> None:
    assert isinstance(parse_body(b'{"a": 1}', "text/plain"), JsonDocument)  # sniffed
    assert isinstance(parse_body(b"{not json", "application/json"), TextDocument)
    assert isinstance(parse_body(b"\x00\x01", "application/octet-stream"), BinaryDocument)
    assert isinstance(parse_body(b"q=1", "application/x-www-form-urlencoded"), FormDocument)
    with pytest.raises(ValueError, match="boundary"):
        parse_body(b"--x", "multipart/form-data")
    with pytest.raises(ValueError, match="never rewritten"):
        BinaryDocument().rebuild([])
