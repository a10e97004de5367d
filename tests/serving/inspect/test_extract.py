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
    assert kinds == ["fields", "joined", "decoded"]
    assert ext.views[0].text == "/a b/c\nx\n1\ny\n%41\nhi\nk\nv"
    assert ext.views[2].text == "A"  # %41 decoded once more


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
    assert [v.kind for v in ext.views] == ["fields"]


def test_base64_blob_is_decoded() -> None:
    blob = base64.urlsafe_b64encode(b"the quick brown fox jumps").decode().rstrip("=")
    ext = extract(_req(json.dumps({"b": blob}).encode(), url="http://h/"), max_body=1000)
    assert [v.text for v in ext.views if v.kind == "decoded"] == ["the quick brown fox jumps"]
    assert ext.views[-1].locate(0, 3) == [(2, None, None)]  # whole piece


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


def test_binary_body_is_reported_unscanned() -> None:
    ext = extract(_req(b"\x00\x01\x02", url="http://h/"), max_body=1000)
    assert ext.unscanned == ["binary body"]
