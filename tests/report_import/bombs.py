"""The hostile files of issue 8, generated (not stored): a DOCX bomb, a zip whose member lies
about its size, and a zip of ten large texts. Each returns the file's bytes."""

from __future__ import annotations

import io
import struct
import zipfile

MB = 1024 * 1024


def _base_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("2025年政府信息公开工作年度报告")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def docx_bomb(expanded_mb: int = 170) -> bytes:
    """A ~0.45 MB DOCX whose ``word/document.xml`` expands to ``expanded_mb`` MB of paragraphs."""
    src = zipfile.ZipFile(io.BytesIO(_base_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "word/document.xml":
                z.writestr(info, data)
                continue
            head, _ = data.split(b"<w:body>", 1)
            with z.open("word/document.xml", "w") as f:
                f.write(head + b"<w:body>")
                block = (b"<w:p><w:r><w:t>" + b"A" * 1000 + b"</w:t></w:r></w:p>") * 1000
                for _ in range(expanded_mb * MB // len(block)):
                    f.write(block)
                f.write(b"<w:sectPr/></w:body></w:document>")
    return out.getvalue()


def lying_zip(real_mb: int = 600, claimed: int = 1000, name: str = "report.txt") -> bytes:
    """A zip whose one member holds ``real_mb`` MB but whose headers claim ``claimed`` bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z, z.open(name, "w") as f:
        chunk = "2025年 政府信息公开 ".encode() * (MB // 32)
        for _ in range(real_mb * MB // len(chunk)):
            f.write(chunk)
    data = bytearray(out.getvalue())
    local = data.find(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, claimed)
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, claimed)
    return bytes(data)


def many_texts_zip(count: int = 10, each_mb: int = 49) -> bytes:
    """``count`` text members of ``each_mb`` MB each, every one under the old 50 MB file cap."""
    out = io.BytesIO()
    line = "临江市人民政府2025年政府信息公开工作年度报告 本年新收政府信息公开申请数量 12\n".encode()
    block = line * (MB // len(line))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for i in range(count):
            with z.open(f"reports/报告{i}.txt", "w") as f:
                for _ in range(each_mb):
                    f.write(block)
    return out.getvalue()
