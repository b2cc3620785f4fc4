"""Text out of attachments and redacted files back in: DOCX (python-docx), PDF (pdfplumber to
read; WeasyPrint to write a new PDF from the redacted text), plain text. Files are read only
after the untrusted-container checks (``gongkai.core.untrusted``)."""

from __future__ import annotations

import html
import io
from pathlib import PurePath

from gongkai.core.untrusted import UnsafeFile, check_office_file

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def kind_of(name: str, content_type: str = "") -> str:
    ext = PurePath(name).suffix.lower()
    if ext == ".docx" or content_type == DOCX:
        return "docx"
    if ext == ".pdf" or content_type == "application/pdf":
        return "pdf"
    if ext in (".txt", ".csv") or content_type.startswith("text/"):
        return "txt"
    return ""


def text_of(data: bytes, name: str, content_type: str = "") -> str:
    """The text of a DOCX, PDF or plain-text file ('' for other kinds). Raises
    :class:`~gongkai.core.untrusted.UnsafeFile` for a refused container."""
    kind = kind_of(name, content_type)
    if kind == "docx":
        check_office_file(data, "docx")
        import docx

        doc = docx.Document(io.BytesIO(data))
        parts = [p.text for p in doc.paragraphs]
        for table in doc.tables:
            for row in table.rows:
                parts.append("\t".join(c.text for c in row.cells))
        return "\n".join(parts)
    if kind == "pdf":
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return "\n".join((page.extract_text() or "") for page in pdf.pages)
    if kind == "txt":
        for enc in ("utf-8", "gb18030"):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                continue
    return ""


def attachment_text(att) -> str:
    """An attachment's text: the extracted text stored with it, else read from the file."""
    if getattr(att, "text", ""):
        return att.text
    try:
        with att.file.open("rb") as fh:
            data = fh.read()
    except (FileNotFoundError, ValueError):
        return ""
    try:
        return text_of(data, att.original_name, getattr(att, "content_type", ""))
    except (UnsafeFile, Exception):  # noqa: BLE001 - an unreadable file is listed, not fatal
        return ""


def build(text: str, kind: str, title: str = "") -> bytes:
    """A new file of ``kind`` (docx, pdf, txt) holding ``text`` — the redacted version of an
    attachment, generated from text so nothing hidden remains underneath."""
    paragraphs = text.splitlines()
    if kind == "docx":
        import docx

        doc = docx.Document()
        for p in paragraphs:
            doc.add_paragraph(p)
        buf = io.BytesIO()
        doc.save(buf)
        return buf.getvalue()
    if kind == "pdf":
        from weasyprint import HTML

        body = "".join(f"<p>{html.escape(p) or '&nbsp;'}</p>" for p in paragraphs)
        doc = (
            '<html><head><meta charset="utf-8"><style>body{font-family:"Noto Serif CJK SC","Noto Sans CJK SC",'
            '"WenQuanYi Micro Hei",sans-serif;font-size:12pt}p{margin:0 0 .4em}</style>'
            f"<title>{html.escape(title)}</title></head><body>{body}</body></html>"
        )
        return HTML(string=doc).write_pdf()
    return text.encode("utf-8")
