"""The evasion suite of issue 18: six real-format values hidden in every request part a parser misses.

Each `Case` is one value kind in one channel (a NUL byte, UTF-16, a duplicate JSON key, a multipart
preamble, a header, the URL userinfo, zero-width characters, fullwidth forms, escapes, hex, a value
split across form fields …). `test_inspector` runs them through the inspector; the heavy tests run
them through the real Squid + ``guard icap`` and the real mitmdump + addon: none may reach the
upstream.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from serving.inspect.http import HttpRequest


def _iban(country: str, bban: str) -> str:
    digits = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


#: Six value kinds in real formats (fake values; none is a public test or documentation value).
VALUES: dict[str, str] = {
    "aws": "AKIA" + "QYLPMN5HHHFPZAM2",  # gitleaks:allow
    "github": "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",  # gitleaks:allow
    "stripe": "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dcXz81Qa",  # gitleaks:allow
    "pem": "-----BEGIN RSA PRIVATE KEY-----\n"  # gitleaks:allow
    "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
    "-----END RSA PRIVATE KEY-----",
    "card": "4539 1488 0343 6467",
    "iban": _iban("DE", "210501700012345678"),
}


@dataclass(frozen=True)
class Case:
    """One request that carries one value; ``path`` is relative to the upstream's base URL."""

    id: str
    value: str
    method: str = "POST"
    path: str = "/evasion"
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    userinfo: str = ""
    hidden: bool = False  # the value is compressed inside a file: any forwarding counts as a leak

    def url(self, base: str) -> str:
        parts = urlsplit(base.rstrip("/") + self.path)
        netloc = f"{self.userinfo}@{parts.netloc}" if self.userinfo else parts.netloc
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))

    def request(self, base: str) -> HttpRequest:
        return HttpRequest(self.method, self.url(base), self.headers, self.body, client="10.0.0.7")


def _fullwidth(value: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isalnum() and c.isascii() else c for c in value)


def _one_line(value: str) -> str:
    return value.replace("\n", " ")


def _multipart(preamble: bytes, part: bytes, epilogue: bytes, ctype: str = "text/plain") -> bytes:
    return (
        preamble + b'\r\n--B\r\nContent-Disposition: form-data; name="f"; filename="n.bin"\r\n'
        b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + part + b"\r\n--B--\r\n" + epilogue
    )


def _upload(kind: str, value: str, content: bytes, ctype: str) -> Case:
    body = (b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"report.bin\"\r\n"
            b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + content + b"\r\n--B--\r\n")  # fmt: skip
    return Case(f"{kind}", value, headers=_MULTI, body=body, hidden=True)


def _files() -> dict[str, Callable[[str, str], Case | None]]:
    from tests.serving.inspect import filemakers as mk

    octet = (("Content-Type", "application/octet-stream"),)
    return {
        "zip-body": lambda k, v: Case(f"{k}-zip-body", v, "PUT", headers=octet, hidden=True,
                                      body=mk.zip_of({"notes.txt": f"note {v}".encode()})),
        "docx-upload": lambda k, v: _upload(f"{k}-docx-upload", v, mk.docx(f"note {_one_line(v)}"),
                                            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "xlsx-upload": lambda k, v: _upload(f"{k}-xlsx-upload", v, mk.xlsx(["note", _one_line(v)]),
                                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "pdf-upload": lambda k, v: _upload(f"{k}-pdf-upload", v, mk.pdf(f"note {_one_line(v)}"),
                                           "application/pdf"),
        "gzip-upload": lambda k, v: _upload(f"{k}-gzip-upload", v, mk.gz(f"note {v}".encode()),
                                            "application/gzip"),
    }  # fmt: skip


_PLAIN = (("Content-Type", "text/plain"),)
_MULTI = (("Content-Type", "multipart/form-data; boundary=B"),)

#: channel name -> how it hides a value (None: the channel cannot carry this value kind)
CHANNELS: dict[str, Callable[[str, str], Case | None]] = {
    "nul-byte": lambda k, v: Case(f"{k}-nul-byte", v, headers=_PLAIN, body=b"\x00deploy " + v.encode()),
    "utf-16-le": lambda k, v: Case(
        f"{k}-utf-16-le", v, headers=_PLAIN, body=f"note: {v}".encode("utf-16-le")
    ),
    "utf-16-bom": lambda k, v: Case(
        f"{k}-utf-16-bom", v, headers=(("Content-Type", "application/octet-stream"),),
        body=f"note: {v}".encode("utf-16"),
    ),
    "binary-file-part": lambda k, v: Case(
        f"{k}-binary-file-part", v, headers=_MULTI,
        body=_multipart(b"", b"\x00\x01\x02 " + v.encode(), b"", "application/octet-stream"),
    ),
    "duplicate-json-key": lambda k, v: Case(
        f"{k}-duplicate-json-key", v, headers=(("Content-Type", "application/json"),),
        body=('{"note": ' + json.dumps(v) + ', "note": "hi"}').encode(),
    ),
    "multipart-preamble": lambda k, v: Case(
        f"{k}-multipart-preamble", v, headers=_MULTI, body=_multipart(v.encode(), b"hello", b"")
    ),
    "multipart-epilogue": lambda k, v: Case(
        f"{k}-multipart-epilogue", v, headers=_MULTI, body=_multipart(b"", b"hello", v.encode())
    ),
    "missing-boundary": lambda k, v: Case(
        f"{k}-missing-boundary", v, headers=(("Content-Type", "multipart/form-data; boundary=never"),),
        body=f"note {v}".encode(),
    ),
    "declared-utf-16": lambda k, v: Case(
        f"{k}-declared-utf-16", v, headers=(("Content-Type", "text/plain; charset=utf-16-le"),),
        body=f"note {v}".encode(),
    ),
    "declared-cp037": lambda k, v: Case(
        f"{k}-declared-cp037", v, headers=(("Content-Type", "text/plain; charset=cp037"),),
        body=f"note {v}".encode(),
    ),
    "zero-width": lambda k, v: Case(
        f"{k}-zero-width", v, headers=_PLAIN,
        body=f"note {v[: len(v) // 2]}\u200b{v[len(v) // 2 :]}".encode(),
    ),
    "soft-hyphen": lambda k, v: Case(
        f"{k}-soft-hyphen", v, headers=_PLAIN, body=f"note {v[:6]}\u00ad{v[6:]}".encode()
    ),
    "fullwidth": lambda k, v: Case(
        f"{k}-fullwidth", v, headers=_PLAIN, body=f"note {_fullwidth(v)}".encode()
    ),
    "u-escapes": lambda k, v: Case(
        f"{k}-u-escapes", v, headers=_PLAIN, body=("note " + "".join(f"\\u{ord(c):04x}" for c in v)).encode()
    ),
    "hex": lambda k, v: Case(f"{k}-hex", v, headers=_PLAIN, body=f"blob {v.encode().hex()}".encode()),
    # a value split across two fields must not leave with one half: forwarding anything is a leak
    "split-form-fields": lambda k, v: Case(
        f"{k}-split-form-fields", v, headers=(("Content-Type", "application/x-www-form-urlencoded"),),
        body=urlencode({"a": v[: len(v) // 2], "b": v[len(v) // 2 :]}).encode(), hidden=True,
    ),
    "cookie": lambda k, v: Case(f"{k}-cookie", v, "GET", headers=(("Cookie", f"note={quote(v)}"),)),
    "authorization": lambda k, v: Case(
        f"{k}-authorization", v, "GET", headers=(("Authorization", f"Bearer {_one_line(v)}"),)
    ),
    "user-agent": lambda k, v: Case(
        f"{k}-user-agent", v, "GET", headers=(("User-Agent", f"tool (build {_one_line(v)})"),)
    ),
    "referer": lambda k, v: Case(
        f"{k}-referer", v, "GET", headers=(("Referer", f"https://wiki.example/?k={quote(v)}"),)
    ),
    "if-none-match": lambda k, v: Case(
        f"{k}-if-none-match", v, "GET", headers=(("If-None-Match", f'"{_one_line(v)}"'),)
    ),
    "header-name": lambda k, v: (
        Case(f"{k}-header-name", v, "GET", headers=((f"X-{v}", "1"),)) if v.isalnum() or "_" in v else None
    ),
    "userinfo": lambda k, v: (
        Case(f"{k}-userinfo", v, "GET", userinfo=quote(v, safe="")) if "\n" not in v else None
    ),
}  # fmt: skip


def cases() -> list[Case]:
    """Every value kind in every channel that can carry it."""
    out = []
    channels = {**CHANNELS, **_files()}
    for kind, value in VALUES.items():
        for make in channels.values():
            case = make(kind, value)
            if case is not None:
                out.append(case)
    return out


def leaked(case: Case, received: list[Any]) -> bool:
    """Whether any request an upstream received carries the case's value, plainly or as hidden.

    ``received`` are `tests.serving.inspect.netfixtures.Received` records (target, headers, body).
    """
    if case.hidden and received:
        return True
    plain = {case.value, case.value.replace(" ", ""), case.value.replace("\n", " ")}
    for got in received:
        wire = got.target + "\n" + "\n".join(f"{k}: {v}" for k, v in got.headers.items())
        wire += "\n" + got.body.decode("latin-1")
        if any(p in wire for p in plain):
            return True
        if case.body and case.body in got.body:
            return True
        if any(value in got.headers.values() for _, value in case.headers if case.value[:8] in value):
            return True
    return False


def send(client: Any, case: Case, base: str) -> Any:
    """Send ``case`` with an httpx client (headers and body exactly as the case has them)."""
    return client.request(case.method, case.url(base), headers=list(case.headers), content=case.body or None)
