"""Real proxy processes for the end-to-end tests and bench/bench_proxy.py: mitmdump, Squid, guard icap.

Each starts on a free 127.0.0.1 port with its own files under a temporary directory and is stopped
with ``close()``. Squid's config is deploy/squid/squid.conf with only ports and paths rewritten.
"""

from __future__ import annotations

import os
import pwd
import shutil
import ssl
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from tests.serving.inspect.netfixtures import TestCA, free_port, wait_port

__all__ = ["ROOT", "Mitmdump", "Squid", "GuardIcap", "install_system_deps"]

ROOT = Path(__file__).resolve().parents[3]
MITMDUMP = Path(sys.executable).parent / "mitmdump"
SCRIPT = ROOT / "serving" / "mitm" / "script.py"
CERTGEN = "/usr/lib/squid/security_file_certgen"


def install_system_deps() -> None:
    """Run the project's own installer when Squid or Chromium is missing (CI: first heavy test)."""
    if shutil.which("squid") is None or shutil.which("chromium") is None:
        subprocess.run(["bash", str(ROOT / "scripts" / "install-system-deps.sh")], check=True)


def _client(port: int, ca: TestCA | None) -> httpx.Client:
    verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=str(ca.cert_path)) if ca else False
    return httpx.Client(proxy=f"http://127.0.0.1:{port}", verify=verify, trust_env=False, timeout=60)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


class Mitmdump:
    """``mitmdump`` with the guard addon (``guard=False``: plain mitmdump, for baselines)."""

    def __init__(self, tmp: Path, options: dict[str, str], ca: TestCA, *, guard: bool = True) -> None:
        self.port = free_port()
        self.confdir = tmp / "conf"
        self.confdir.mkdir(parents=True)
        # The company CA goes into the confdir: mitmproxy signs intercepted hosts with it.
        (self.confdir / "mitmproxy-ca.pem").write_bytes(ca.bundle().read_bytes())
        self.log = tmp / "mitmdump.log"
        self.incidents = tmp / "incidents.jsonl"
        args = [str(MITMDUMP), "--listen-host", "127.0.0.1", "--listen-port", str(self.port),
                "--set", f"confdir={self.confdir}", "--set", f"ssl_verify_upstream_trusted_ca={ca.cert_path}",
                "--set", "termlog_verbosity=info"]  # fmt: skip
        if guard:
            args += ["-s", str(SCRIPT), "--set", f"guard_incidents={self.incidents}"]
        else:
            args += ["--set", "flow_detail=0"]
        for key, value in options.items():
            args += ["--set", f"{key}={value}"]
        self._fh = self.log.open("wb")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(args, stdout=self._fh, stderr=subprocess.STDOUT, env=env)
        wait_port(self.port, timeout=120, proc=self.proc)

    def client(self, ca: TestCA | None) -> httpx.Client:
        return _client(self.port, ca)

    def close(self) -> None:
        _stop(self.proc)
        self._fh.close()


class GuardIcap:
    """``guard icap`` as a real process (``python -m serving.icap``)."""

    def __init__(self, tmp: Path, model: Path, *extra: str) -> None:
        tmp.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.incidents = tmp / "incidents.jsonl"
        self.log = tmp / "icap.log"
        self._fh = self.log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "serving.icap", "--port", str(self.port),
             "--incidents", str(self.incidents),
             *(("--model", str(model)) if "--no-model" not in extra else ()), *extra],
            stdout=self._fh, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=tmp,
        )  # fmt: skip
        wait_port(self.port, timeout=120, proc=self.proc)

    def close(self) -> None:
        _stop(self.proc)
        self._fh.close()


def _render(sample: str, subs: dict[str, str]) -> str:
    """Replace whole directive lines of the sample (``directive ...``) by ``subs[directive]``."""
    out = []
    for line in sample.splitlines():
        key = line.split(" ", 1)[0]
        out.append(subs.get(key, line) if not line.startswith("#") else line)
    return "\n".join(out) + "\n"


class Squid:
    """Squid with deploy/squid/squid.conf; ``icap_port=None`` switches ICAP off (baseline)."""

    def __init__(self, icap_port: int | None, ca: TestCA) -> None:
        install_system_deps()
        self.dir = Path(
            tempfile.mkdtemp(prefix="guard-squid-")
        )  # Squid's user must reach it: not pytest's 0700 tmp
        self.dir.chmod(0o755)
        self.port = free_port()
        for name in ("ca-cert.pem", "ca-key.pem"):
            shutil.copy(ca.directory / name, self.dir / name)
        d = self.dir
        db = d / "ssl_db"
        subprocess.run([CERTGEN, "-c", "-s", str(db), "-M", "4MB"], check=True, capture_output=True)
        icap = f"icap://127.0.0.1:{icap_port}/reqmod" if icap_port else "icap://127.0.0.1:1/reqmod"
        conf = _render((ROOT / "deploy" / "squid" / "squid.conf").read_text(), {
            "http_port": f"http_port 127.0.0.1:{self.port} ssl-bump generate-host-certificates=on "
                         f"dynamic_cert_mem_cache_size=4MB tls-cert={d}/ca-cert.pem tls-key={d}/ca-key.pem",
            "sslcrtd_program": f"sslcrtd_program {CERTGEN} -s {db} -M 4MB",
            "sslcrtd_children": "sslcrtd_children 2 startup=1 idle=1",
            "tls_outgoing_options": f"tls_outgoing_options cafile={d}/ca-cert.pem",
            "icap_enable": "icap_enable on" if icap_port else "icap_enable off",
            "icap_service": f"icap_service guard_req reqmod_precache {icap} bypass=0",
            "access_log": f"access_log stdio:{d}/access.log guard",
            "cache_log": f"cache_log {d}/cache.log",
            "pid_filename": f"pid_filename {d}/squid.pid",
            "coredump_dir": f"coredump_dir {d}",
        })  # fmt: skip
        if not icap_port:
            conf = conf.replace("adaptation_access guard_req allow all\n", "")
        conf += "visible_hostname guard-test\nshutdown_lifetime 0 seconds\nnetdb_filename none\n"
        if os.geteuid() == 0:  # Squid drops root privileges to cache_effective_user
            conf += "cache_effective_user proxy\n"
            user = pwd.getpwnam("proxy")
            for path in [d, *d.rglob("*")]:
                os.chown(path, user.pw_uid, user.pw_gid)
        (d / "squid.conf").write_text(conf)
        self._fh = (d / "squid.out").open("wb")
        self.proc = subprocess.Popen(
            ["squid", "-N", "-f", str(d / "squid.conf")], stdout=self._fh, stderr=subprocess.STDOUT
        )
        wait_port(self.port, timeout=60, proc=self.proc)

    def client(self, ca: TestCA | None) -> httpx.Client:
        return _client(self.port, ca)

    def close(self) -> None:
        _stop(self.proc)
        self._fh.close()
        shutil.rmtree(self.dir, ignore_errors=True)
