"""Issue 11 item 8: the closing (特此告知。), the signature block and the date stay together and
with the end of the last body paragraph; the contact line never sits alone on a page."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pdfplumber
import pytest

from gongkai.core.official_doc import Letter, render_docx, render_pdf, split_closing

FILLER = (
    "经审查，您申请获取的信息属于本机关负责公开的政府信息，现将有关情况告知如下，请您知悉并按本告知书办理。"
)


def _letter(lines: int) -> Letter:
    return Letter(
        title="延期答复告知书",
        paragraphs=[
            "本机关于2026年3月2日收到您提交的政府信息公开申请。",
            (FILLER * 40)[: 27 * lines],
            "特此告知。",
        ],
        agency_name="临江市江北区住房和城乡建设委员会",
        date=dt.date(2026, 3, 20),
        addressee="张三",
        notes=["联系人：李四，联系电话：0571-12345678"],
    )


def test_split_closing():
    assert split_closing(["甲。", "特此告知。"]) == (["甲。"], ["特此告知。"])
    assert split_closing(["甲。", "特此函告"]) == (["甲。"], ["特此函告"])
    assert split_closing(["特此告知。"]) == (["特此告知。"], [])
    assert split_closing(["甲。", "乙。"]) == (["甲。", "乙。"], [])


@pytest.mark.parametrize("lines", [10, 14, 18])  # the signature block does not fit on page 1
def test_signature_page_carries_body_text_and_the_contact_line(lines):
    with pdfplumber.open(io.BytesIO(render_pdf(_letter(lines)))) as pdf:
        pages = [p.extract_text() for p in pdf.pages]
    assert len(pages) == 2
    last = pages[-1]
    assert "特此告知" in last and "2026年3月20日" in last and "联系电话" in last
    body_lines = [ln for ln in last.splitlines() if ln[:4] in FILLER * 2 and "特此" not in ln]
    assert body_lines, last  # at least the end of the last body paragraph comes along
    assert "特此告知" not in pages[0]


def test_docx_keeps_the_block_together_with_the_last_paragraph():
    d = docx.Document(io.BytesIO(render_docx(_letter(14))))
    paras = d.paragraphs
    last_body = next(i for i, p in enumerate(paras) if p.text.startswith(FILLER[:10]))
    date = next(i for i, p in enumerate(paras) if p.text == "2026年3月20日")
    note = next(i for i, p in enumerate(paras) if "联系电话" in p.text)
    assert all(paras[i].paragraph_format.keep_with_next for i in range(last_body, note))
    assert paras[last_body].paragraph_format.widow_control and date < note
