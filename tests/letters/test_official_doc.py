import datetime as dt
import io

import docx
import pdfplumber
from docx.oxml.ns import qn

from gongkai.core.official_doc import (
    MARGINS_MM,
    Fonts,
    Letter,
    cn_date,
    render_docx,
    render_html,
    render_pdf,
    render_text,
    signature_indents,
)

LETTER = Letter(
    title="政府信息公开申请答复告知书",
    doc_number="丰政依申〔2026〕0123号",
    addressee="张三",
    paragraphs=[
        "本机关于2026年11月3日收到您提交的政府信息公开申请，您申请获取“某某街道老旧小区改造项目的中标结果”。",
        "经审查，您申请获取的政府信息属于可以公开的政府信息。根据《中华人民共和国政府信息公开条例》第三十六条第（二）项的规定，本机关决定予以公开。",
        "特此告知。",
    ],
    agency_name="某某区住房和城乡建设委员会",
    date=dt.date(2026, 11, 23),
    attachments=["中标结果公示"],
    notes=["联系人：李四，联系电话：010-12345678"],
    cc=["某某区人民政府办公室"],
)


def _compact(s: str) -> str:
    return "".join(s.split())


def test_cn_date_has_no_leading_zeros():
    assert cn_date(dt.date(2026, 1, 5)) == "2026年1月5日"


def test_signature_name_centred_over_date():
    name, date = signature_indents("某某局", "2026年11月23日")
    # date width 4 digits*0.5 + 年 + 2*0.5 + 月 + 2*0.5 + 日 = 7 em; name 3 em
    assert date == 4 and name == 4 + (7 - 3) / 2
    name, date = signature_indents("某某市某某区住房和城乡建设委员会", "2026年11月23日")
    assert name == 2 and date > name


def test_text_rendering():
    t = render_text(LETTER)
    assert t.startswith("政府信息公开申请答复告知书\n丰政依申〔2026〕0123号\n")
    assert "张三：" in t and "　　特此告知。" in t
    assert "（联系人：李四，联系电话：010-12345678）" in t
    assert "抄送：某某区人民政府办公室。" in t
    assert "附件：中标结果公示" in t


def test_html_escapes_and_names_cjk_font():
    h = render_html(Letter(title="<b>", paragraphs=["a&b"], agency_name="机关", date=dt.date(2026, 1, 1)))
    assert "&lt;b&gt;" in h and "a&amp;b" in h
    assert "'Noto Serif CJK SC'" in h
    assert (
        f"margin: {MARGINS_MM['top']}mm {MARGINS_MM['right']}mm {MARGINS_MM['bottom']}mm {MARGINS_MM['left']}mm"
        in h
    )


def test_docx_reads_back_with_text_fonts_and_layout():
    d = docx.Document(io.BytesIO(render_docx(LETTER)))
    texts = [p.text for p in d.paragraphs]
    assert texts[0] == LETTER.title
    assert "张三：" in texts
    for para in LETTER.paragraphs:
        assert para in texts
    assert "某某区住房和城乡建设委员会" in texts and "2026年11月23日" in texts
    sec = d.sections[0]
    assert round(sec.top_margin.mm) == 37 and round(sec.bottom_margin.mm) == 35
    assert round(sec.left_margin.mm) == 28 and round(sec.right_margin.mm) == 26
    assert round(sec.page_width.mm) == 210 and round(sec.page_height.mm) == 297
    title_run = d.paragraphs[0].runs[0]
    assert title_run.bold and title_run.font.size.pt == 22
    # the official faces, as East Asian fonts (issue 11 item 9): Word on a government PC has them
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert "Noto" not in d.element.xml
    body = next(p for p in d.paragraphs if p.text == LETTER.paragraphs[0])
    assert body.paragraph_format.first_line_indent.pt == 32
    assert body.runs[0].font.size.pt == 16
    footer_xml = sec.footer.paragraphs[0]._element.xml
    assert "PAGE" in footer_xml


def test_docx_custom_fonts():
    d = docx.Document(io.BytesIO(render_docx(LETTER, Fonts(body="仿宋", title="小标宋"))))
    assert d.paragraphs[0].runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "小标宋"
    body = next(p for p in d.paragraphs if p.text == LETTER.paragraphs[0])
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    default = docx.Document(io.BytesIO(render_docx(LETTER)))
    body = next(p for p in default.paragraphs if p.text == LETTER.paragraphs[0])
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_pdf_reads_back_chinese_text():
    pdf = render_pdf(LETTER)
    assert pdf.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        assert round(page.width) == 595 and round(page.height) == 842  # A4 in points
        text = _compact("".join(p.extract_text() for p in doc.pages))
        fonts = {c["fontname"] for p in doc.pages for c in p.chars}
    assert _compact(LETTER.title) in text
    for para in LETTER.paragraphs:
        assert _compact(para) in text
    assert "某某区住房和城乡建设委员会" in text and "2026年11月23日" in text
    assert "抄送：某某区人民政府办公室。" in text
    assert all("NotoSerifCJK" in f.replace("-", "").replace(" ", "") for f in fonts), fonts
