"""Loopback helpers for the proxy end-to-end tests: a recording upstream (HTTP and HTTPS), a test CA,
free ports, waiting for a port.

The upstream records every request it receives (method, target, headers, exact body bytes) so tests
can assert what the proxy forwarded — byte-identical for clean requests, never the secret otherwise.
"""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

__all__ = ["MODEL_CODENAME", "Received", "Upstream", "TestCA", "free_port", "wait_port", "proxy_model_dir"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, timeout: float = 60.0, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Wait until something listens on 127.0.0.1:port (raise if ``proc`` exits first)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port}")


@dataclass(frozen=True)
class Received:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes


@dataclass
class TestCA:
    """A throwaway CA and leaf certificates for loopback TLS."""

    __test__ = False
    directory: Path
    key: ec.EllipticCurvePrivateKey = field(init=False)
    cert: x509.Certificate = field(init=False)

    def __post_init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "guard test CA")])
        now = dt.datetime.now(dt.UTC)
        self.cert = (
            x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(self.key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False),
                           critical=True)
            .sign(self.key, hashes.SHA256())
        )  # fmt: skip
        self.directory.mkdir(parents=True, exist_ok=True)
        self.cert_path.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))
        self.key_path.write_bytes(self._key_pem(self.key))

    @staticmethod
    def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
        return key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    @property
    def cert_path(self) -> Path:
        return self.directory / "ca-cert.pem"

    @property
    def key_path(self) -> Path:
        return self.directory / "ca-key.pem"

    def bundle(self) -> Path:
        """Key + certificate in one PEM (what mitmproxy wants as ``mitmproxy-ca.pem``)."""
        path = self.directory / "ca-bundle.pem"
        path.write_bytes(self.key_path.read_bytes() + self.cert_path.read_bytes())
        return path

    def leaf(self, host: str = "localhost") -> tuple[Path, Path]:
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        import ipaddress

        cert = (
            x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
            .issuer_name(self.cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName(host), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(self.key, hashes.SHA256())
        )  # fmt: skip
        cert_path, key_path = self.directory / f"{host}.pem", self.directory / f"{host}.key"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(self._key_pem(key))
        return cert_path, key_path


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without TCP_NODELAY, Nagle holds the body until
        # the proxy's delayed ACK (~40 ms) on a kept-alive connection. Real servers (nginx's
        # tcp_nodelay) set it; the benchmarks would otherwise measure this stall, not the proxy.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _record(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = self._read_chunked()
        self.server.received.append(Received(self.command, self.path, dict(self.headers.items()), body))
        page = self.server.pages.get(self.path.split("?")[0])
        payload = page.encode() if page is not None else b"upstream ok"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8" if page is not None else "text/plain")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _read_chunked(self) -> bytes:
        out = b""
        while True:
            size = int(self.rfile.readline().split(b";")[0], 16)
            if size == 0:
                self.rfile.readline()
                return out
            out += self.rfile.read(size)
            self.rfile.readline()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _record

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    received: list[Received]
    pages: dict[str, str]


class Upstream:
    """A recording HTTP (or HTTPS with ``tls=(cert, key)``) server on 127.0.0.1."""

    def __init__(self, tls: tuple[Path, Path] | None = None) -> None:
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.received = []
        self.server.pages = {}
        if tls is not None:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(str(tls[0]), str(tls[1]))
            self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        self.port = int(self.server.server_address[1])
        self.scheme = "https" if tls else "http"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def received(self) -> list[Received]:
        return self.server.received

    @property
    def pages(self) -> dict[str, str]:
        return self.server.pages

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


#: A made-up code name that the proxy test model tags CODENAME (a model-only finding: no regex knows it).
MODEL_CODENAME = "Zephyrquill"


@pytest.fixture(scope="session")
def proxy_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real ONNX model directory with known answers, built once per test session.

    It is the deterministic table model of `tests.fixtures.tiny_model`: the tokens of
    `MODEL_CODENAME` predict CODENAME, every other token ``O``. (The random tiny model would flag
    arbitrary clean text, and the proxies' clean-request checks need a model that says "clean".)
    """
    from tests.fixtures.tiny_model import build_table_model, tags_for_substrings

    out = tmp_path_factory.getbasetemp() / "proxy_table_model"
    if not (out / "guard_model.json").exists():
        text = f"Project {MODEL_CODENAME} ships"
        build_table_model(
            out, tags_for_substrings(text, {MODEL_CODENAME: "CODENAME"}), max_length=128, stride=16
        )
    return out
