"""Extraction: every piece of a request, the scanned views, and write-back."""

from __future__ import annotations

import base64
import json

import pytest

from serving.inspect.extract import extract
from serving.inspect.http import HttpRequest, UnsupportedEncoding


def _req(body: bytes = b"", url: str = "http://h.example/a%20b/c?x=1&y=%2541", **headers: str) -> HttpRequest:
    return HttpRequest("POST", url, tuple(headers.items()), body)


def test_pieces_from_url_headers_and_body() -> None:
    req = _req(b'{"k": "v"}', **{"Content-Type": "application/json", "X-Note": "hi", "Cookie": "s=1"})
    ext = extract(req, max_body=1000)
    assert [(p.location.part, p.location.role, p.text) for p in ext.pieces] == [
        ("url.path", "value", "/a b/c"), ("url.query", "key", "x"), ("url.query", "value", "1"),
        ("url.query", "key", "y"), ("url.query", "value", "%41"), ("header", "value", "hi"),
        ("json", "key", "k"), ("json", "value", "v"),
    ]  # fmt: skip
    kinds = [v.kind for v in ext.views]
    assert kinds == ["fields", "joined", "decoded", "meta", "raw"]
    assert ext.views[0].text == "/a b/c\nx\n1\ny\n%41\nhi\nk\nv"
    assert ext.views[2].text == "A"  # %41 decoded once more
    # the meta view reads the host, every header name and the values no piece holds
    assert ext.views[3].text == "h.example\nContent-Type: application/json\nX-Note\nCookie: s=1"
    assert ext.views[4].text == '{"k": "v"}' and not ext.views[4].rewritable


def test_view_offsets_map_back_to_pieces() -> None:
    ext = extract(_req(b'{"a": "hello", "b": "world"}', url="http://h/"), max_body=1000)
    fields = ext.views[0]
    start = fields.text.index("world")
    assert fields.locate(start + 1, start + 4) == [(4, 1, 4)]
    joined = ext.views[1]
    assert joined.text == "helloworld\n"
    assert joined.locate(3, 7) == [(2, 3, 5), (4, 0, 2)]


def test_joined_view_pairs_and_all_for_three_values() -> None:
    ext = extract(
        _req(json.dumps({"a": "x1", "b": "y2", "c": "z3"}).encode(), url="http://h/"), max_body=1000
    )
    assert ext.views[1].text == "x1y2\ny2z3\nx1y2z3\n"


def test_long_values_are_not_joined() -> None:
    ext = extract(_req(json.dumps({"a": "x" * 200, "b": "y"}).encode(), url="http://h/"), max_body=1000)
    assert [v.kind for v in ext.views] == ["fields", "meta", "raw"]


def test_base64_blob_is_decoded() -> None:
    blob = base64.urlsafe_b64encode(b"the quick brown fox jumps").decode().rstrip("=")
    ext = extract(_req(json.dumps({"b": blob}).encode(), url="http://h/"), max_body=1000)
    assert [v.text for v in ext.views if v.kind == "decoded"] == ["the quick brown fox jumps"]
    decoded = next(v for v in ext.views if v.kind == "decoded")
    assert decoded.locate(0, 3) == [(2, None, None)]  # whole piece


def test_rebuild_identity_and_edits() -> None:
    req = _req(b"a=1&b=2", **{"Content-Type": "application/x-www-form-urlencoded", "X-Note": "hi"})
    ext = extract(req, max_body=1000)
    same = ext.rebuild([p.text for p in ext.pieces])
    assert same.url == req.url and same.body == req.body and same.headers == req.headers
    texts = [p.text for p in ext.pieces]
    texts[2], texts[5], texts[9] = "[X]", "[H]", "[B]"
    out = ext.rebuild(texts)
    assert out.url == "http://h.example/a%20b/c?x=%5BX%5D&y=%2541"
    assert (
        out.header("x-note") == "[H]"
        and out.body == b"a=1&b=%5BB%5D"
        and out.header("content-length") == "13"
    )
    with pytest.raises(ValueError):
        ext.rebuild(texts[:-1])


def test_bad_bodies_raise() -> None:
    with pytest.raises(UnsupportedEncoding):
        extract(_req(b"xx", **{"Content-Encoding": "gzip"}), max_body=1000)
    with pytest.raises(ValueError):
        extract(_req(b"--b", **{"Content-Type": "multipart/form-data"}), max_body=1000)


def test_binary_bodies_are_read_by_the_detectors() -> None:
    ext = extract(_req(b"\x89PNG\x00\x01\x02 key=AKIA", url="http://h/"), max_body=1000)
    assert ext.unscanned == []
    raws = [v for v in ext.views if v.kind == "raw"]
    assert raws and all(v.shallow for v in raws) and any("key=AKIA" in v.text for v in raws)


def test_a_body_the_parser_calls_binary_is_still_read_as_text() -> None:
    # one NUL byte made the body "binary" and it was never scanned (issue 18)
    ext = extract(_req(b"\x00deploy with access key AKIA", url="http://h/"), max_body=1000)
    assert ext.pieces[1:] == [] and ext.unscanned == []
    (raw,) = [v for v in ext.views if v.kind == "raw"]
    assert raw.text == " deploy with access key AKIA" and not raw.shallow  # the model reads it too


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16"])
def test_utf16_bodies_are_decoded_in_their_byte_order(encoding: str) -> None:
    body = "ключ: AKIA".encode(encoding)  # "utf-16" writes a BOM
    ext = extract(_req(body, url="http://h/", **{"Content-Type": "text/plain"}), max_body=1000)
    texty = [v.text for v in ext.views if v.kind == "raw" and not v.shallow]
    assert texty == ["ключ: AKIA"]


def test_a_wrong_charset_and_what_the_parser_skips_reach_the_raw_view() -> None:
    # JSON with a duplicate key: the parser keeps only the last value
    ext = extract(_req(b'{"note": "first", "note": "hi"}', url="http://h/"), max_body=1000)
    assert [p.text for p in ext.pieces[1:]] == ["note", "hi"]
    assert [v.text for v in ext.views if v.kind == "raw"] == ['{"note": "first", "note": "hi"}']
    # a multipart preamble is no part
    body = b"preamble text\r\n--b\r\nContent-Disposition: form-data; name=x\r\n\r\nv\r\n--b--\r\n"
    ext = extract(
        _req(body, url="http://h/", **{"Content-Type": "multipart/form-data; boundary=b"}), max_body=1000
    )
    assert any("preamble text" in v.text for v in ext.views if v.kind == "raw")
    # ASCII bytes declared as cp037 decode to nonsense; the raw view reads them as UTF-8
    ext = extract(
        _req(b"token AKIA", url="http://h/", **{"Content-Type": "text/plain; charset=cp037"}), max_body=1000
    )
    assert "token AKIA" in [v.text for v in ext.views if v.kind == "raw"]


def test_a_plain_text_body_is_not_read_twice() -> None:
    ext = extract(_req(b"hello world", url="http://h/"), max_body=1000)
    assert [v.kind for v in ext.views] == ["fields", "meta"]


def test_uploaded_files_are_opened_and_what_cannot_be_is_unscanned() -> None:
    from tests.serving.inspect import filemakers as mk

    ext = extract(_req(mk.zip_of({"keys.txt": b"AKIA" * 20}), url="http://h/"), max_body=100_000)
    assert ext.unscanned == [] and [v.text for v in ext.views if v.kind == "file"] == ["AKIA" * 20]
    ext = extract(_req(b"7z\xbc\xaf\x27\x1c" + b"\0" * 40, url="http://h/"), max_body=100_000)
    assert ext.unscanned == ["7z archive cannot be opened"]


def test_credential_headers_of_a_trusted_destination_are_not_read() -> None:
    req = _req(url="https://sso.corp.example/login", Cookie="session=abc", Authorization="Bearer xyz")
    assert "session=abc" in next(v.text for v in extract(req, max_body=10).views if v.kind == "meta")
    meta = next(v.text for v in extract(req, max_body=10, trust_credentials=True).views if v.kind == "meta")
    assert meta == "sso.corp.example\nCookie\nAuthorization"
