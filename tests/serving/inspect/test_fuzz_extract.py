"""Fuzzing the body extractors and the inspector (hypothesis): any request gets a decision.

`extract` may only raise what it documents (an unsupported or corrupt encoding, a body too large
once decoded, malformed framing); `Inspector.inspect` never raises: whatever it cannot read follows
the fail mode. Bounded by ``GUARD_FUZZ_EXAMPLES`` (150 by default; CI raises it).
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from serving.inspect.extract import extract
from serving.inspect.http import DecodedTooLarge, HttpRequest, UnsupportedEncoding
from serving.inspect.inspector import InspectConfig, Inspector
from serving.inspect.scanner import LocalScanner

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("GUARD_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

_CTYPES = st.sampled_from([
    None, "application/json", "text/plain", "text/plain; charset=utf-16-le", "text/plain; charset=cp037",
    "text/plain; charset=nonsense", "application/x-www-form-urlencoded", "multipart/form-data; boundary=B",
    "multipart/form-data", "multipart/mixed; boundary=\"\"", "application/octet-stream", "application/zip",
])  # fmt: skip
_ENCODINGS = st.sampled_from([None, "gzip", "deflate", "br", "zstd", "gzip, gzip", "identity", "x-unknown"])
_JSONISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30)),
    lambda kids: st.one_of(
        st.lists(kids, max_size=4), st.dictionaries(st.text(max_size=8), kids, max_size=4)
    ),
    max_leaves=12,
)
_BODIES = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    _JSONISH.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=100).map(
        lambda b: b'--B\r\nContent-Disposition: form-data; name="f"\r\n\r\n' + b + b"\r\n--B--\r\n"
    ),
    st.binary(max_size=200).map(gzip.compress),
)
_URLS = st.one_of(
    st.just("http://h.example/p?q=1"),
    st.text(alphabet="abc%/?=&#@:[]0123456789", max_size=30).map(lambda t: f"http://h.example/{t}"),
    st.sampled_from(["http://[::1/x", "http://u:p@h.example:99999/", "http://h.example:-1/", "http:///"]),
)


@st.composite
def requests(draw: st.DrawFn) -> HttpRequest:
    headers: list[tuple[str, str]] = []
    ctype, coding = draw(_CTYPES), draw(_ENCODINGS)
    if ctype:
        headers.append(("Content-Type", ctype))
    if coding:
        headers.append(("Content-Encoding", coding))
    names = st.text("XCookieAuth-", min_size=1, max_size=12)
    headers += draw(st.lists(st.tuples(names, st.text(max_size=40)), max_size=3))
    method = draw(st.sampled_from(["POST", "GET", "PUT"]))
    return HttpRequest(method, draw(_URLS), tuple(headers), draw(_BODIES))


@FUZZ
@given(requests())
def test_extract_returns_views_or_a_documented_error(request: HttpRequest) -> None:
    try:
        ext = extract(request, max_body=4096)
    except (UnsupportedEncoding, DecodedTooLarge, ValueError):
        return
    assert ext.views and ext.views[0].kind == "fields"
    for view in ext.views:
        for seg in view.segments:
            assert 0 <= seg.start <= seg.end <= len(view.text)
    try:
        ext.rebuild([p.text for p in ext.pieces])
    except (ValueError, UnsupportedEncoding):
        pass  # a binary body is never rewritten


@pytest.fixture(scope="module")
def inspector(proxy_model_dir: Path) -> Inspector:
    from guard import Guard

    return Inspector(LocalScanner(Guard.load(model=proxy_model_dir)), InspectConfig(max_body=4096))


@FUZZ
@given(requests())
def test_the_inspector_decides_about_any_request(inspector: Inspector, request: HttpRequest) -> None:
    out = inspector.inspect(request)
    assert out.action in ("pass", "redact", "block")
    if out.action == "block":
        assert out.response is not None and out.response.status == 403
