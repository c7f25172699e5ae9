"""Documents made to exhaust a server: small files that unpack, or draw, far more than
any page reads. Shared by the tests and ``benchmarks/hostile_uploads.py``.

Each builder writes its file in pieces, so making a 200 MB bomb never holds 200 MB.
"""
from __future__ import annotations

import io
import math
import zipfile
import zlib
from pathlib import Path

from sample_documents import SEED_LINES, make_docx, make_epub

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _repeat_into(member, head: bytes, unit: bytes, tail: bytes, unpacked: int) -> None:
    member.write(head)
    written = len(head) + len(tail)
    chunk = unit * max(1, (1 << 20) // len(unit))
    while written + len(chunk) <= unpacked:
        member.write(chunk)
        written += len(chunk)
    member.write(unit * ((unpacked - written) // len(unit)))
    member.write(tail)


def _rezip(data: bytes, replaced: str, write_member) -> bytes:
    """``data`` (a zip) with the member ``replaced`` written anew by ``write_member(stream)``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED,
                                                                      compresslevel=9) as target:
        for info in source.infolist():
            if info.filename == replaced:
                with target.open(replaced, "w", force_zip64=True) as member:
                    write_member(member)
            else:
                target.writestr(info, source.read(info), compress_type=info.compress_type)
    return out.getvalue()


def docx_bomb(unpacked: int = 199_000_000, text: bool = True) -> bytes:
    """A real Word document whose body unpacks to ``unpacked`` bytes: the seed article's
    first line again and again (``text``), or empty paragraphs (nothing to read, all markup)."""
    paragraph = (f"<w:p><w:r><w:t>{SEED_LINES[0]}</w:t></w:r></w:p>".encode() if text
                 else b"<w:p><w:pPr><w:jc w:val=\"right\"/></w:pPr></w:p>")
    head = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_W}><w:body>'.encode()
    tail = b"</w:body></w:document>"
    return _rezip(make_docx()[0], "word/document.xml", lambda m: _repeat_into(m, head, paragraph, tail, unpacked))


def epub_bomb(unpacked: int = 199_000_000) -> bytes:
    """A real EPUB book whose first chapter unpacks to ``unpacked`` bytes of paragraphs."""
    paragraph = f"<p>{SEED_LINES[0]}</p>".encode()
    head = b'<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
    tail = b"</body></html>"
    return _rezip(make_epub()[0], "EPUB/two.xhtml", lambda m: _repeat_into(m, head, paragraph, tail, unpacked))


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1; object 1 the catalog), with its cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf_shared_stream_bomb(pages: int = 5_000, stream_bytes: int = 70_000_000) -> bytes:
    """``pages`` pages that all draw one content stream of ``stream_bytes`` (decompressed)
    of text operators: a small file that would make a reader parse it ``pages`` times.
    Its strings are long, so the stream stays under pypdf's limit of tokens per stream."""
    unit = b"BT /F1 9 Tf 20 700 Td (" + b"Aleppo news " * 80 + b") Tj ET\n"
    compressor = zlib.compressobj(9)
    chunk = unit * ((1 << 20) // len(unit))
    content = bytearray()
    for _ in range(stream_bytes // len(chunk)):
        content += compressor.compress(chunk)
    content += compressor.flush()
    page = b"<< /Type /Page /Parent 2 0 R /Contents 3 0 R >>"
    first_page = 5
    kids = b" ".join(b"%d 0 R" % (first_page + n) for n in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Kids [%s] >>"
        % (pages, kids),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + bytes(content) + b"\nendstream",
        _FONT,
        *[page] * pages,
    ]
    return _pdf(objects)


def pdf_page_tree_bomb(fanout: tuple[int, ...] = (30, 30, 100), text: bool = True) -> bytes:
    """A page tree whose nodes list the same child many times: a kilobyte that holds
    30 × 30 × 100 = 90,000 pages, each with a word of text (``text``) or none."""
    levels = len(fanout)
    # Objects: 1 catalog, 2..levels+1 the page-tree nodes (2 the root), then the page, its content, the font.
    page, content, font = levels + 2, levels + 3, levels + 4
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    counts = [math.prod(fanout[depth:]) for depth in range(levels)]  # pages under a node of each depth
    for depth in range(levels):
        child = page if depth == levels - 1 else depth + 3
        parent = b"" if depth == 0 else b" /Parent %d 0 R" % (depth + 1)
        kids = b" ".join([b"%d 0 R" % child] * fanout[depth])
        objects.append(b"<< /Type /Pages%s /Count %d /Kids [%s] >>" % (parent, counts[depth], kids))
    drawing = b"BT /F1 12 Tf 72 720 Td (Aleppo) Tj ET" if text else b"0 0 m 10 10 l S"
    objects += [
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
        b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (levels + 1, content, font),
        b"<< /Length %d >>\nstream\n" % len(drawing) + drawing + b"\nendstream",
        _FONT,
    ]
    return _pdf(objects)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
