"""Real files made in memory for the upload tests: zip, docx, xlsx, pptx, pdf, gzip, zip bomb."""

from __future__ import annotations

import gzip
import io
import zipfile

_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)


def zip_of(files: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def docx(text: str) -> bytes:
    """A Word document whose body is ``text`` split in two runs (as Word stores edited words)."""
    half = len(text) // 2
    body = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>'
        f"<w:r><w:t>{text[:half]}</w:t></w:r><w:r><w:t>{text[half:]}</w:t></w:r></w:p></w:body></w:document>"
    )
    return zip_of({"[Content_Types].xml": _CT.encode(), "word/document.xml": body.encode(),
                   "word/styles.xml": b"<w:styles/>"})  # fmt: skip


def xlsx(cells: list[str]) -> bytes:
    strings = "".join(f"<si><t>{c}</t></si>" for c in cells)
    shared = f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{strings}</sst>'
    return zip_of({"[Content_Types].xml": _CT.encode(), "xl/sharedStrings.xml": shared.encode(),
                   "xl/worksheets/sheet1.xml": b"<worksheet><sheetData/></worksheet>"})  # fmt: skip


def pptx(text: str) -> bytes:
    slide = f'<p:sld xmlns:a="a" xmlns:p="p"><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:sld>'
    return zip_of({"[Content_Types].xml": _CT.encode(), "ppt/slides/slide1.xml": slide.encode()})


def pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` (Helvetica), written by hand with a valid xref table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def gz(data: bytes) -> bytes:
    return gzip.compress(data)


def zip_bomb() -> bytes:
    """One member of 200 MB of zeros (a ratio far over any limit), about 200 kB compressed."""
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf,
        zf.open("zeros.txt", "w", force_zip64=True) as fh,
    ):
        block = b"\0" * (1 << 20)
        for _ in range(200):
            fh.write(block)
    return buf.getvalue()


def encrypted_zip(data: bytes) -> bytes:
    """A zip whose one member has the 'encrypted' flag (stdlib cannot write real ZipCrypto)."""
    raw = bytearray(zip_of({"secret.txt": data}, compression=zipfile.ZIP_STORED))
    raw[6] |= 0x01  # local header general purpose flag
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 8] |= 0x01  # central directory flag
    return bytes(raw)
