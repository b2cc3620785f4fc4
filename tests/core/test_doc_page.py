"""Saved government document pages: the metadata block in its label variants and the body."""

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.doc_page import pairs_from_line, parse_date, parse_page, parse_validity
from gongkai.core.report_parse.normalize import decode_bytes

PAGES = Path(__file__).resolve().parent.parent / "data" / "saved_pages"
D = dt.date


def parse(name):
    return parse_page(decode_bytes((PAGES / name).read_bytes()))


def test_gov_cn_table_with_spaced_labels():
    p = parse("gov_cn_table.html")
    assert p.fields["index_number"] == "000014349/2021-00012"
    assert p.fields["issuer"] == "国务院办公厅"
    assert p.fields["doc_number"] == "国办发〔2021〕22号"
    assert p.fields["topic"] == "城乡建设、环境保护\\住房保障"
    assert p.title == "国务院办公厅关于加快发展保障性租赁住房的意见"
    assert (p.written_on, p.published_on) == (D(2021, 6, 24), D(2021, 7, 2))
    assert p.body.startswith("各省、自治区、直辖市人民政府") and "70平方米" in p.body
    assert "版权所有" not in p.body and "索引号" not in p.body
    assert p.problems == []


def test_province_list_items_and_generated_date():
    p = parse("province_list.html")
    assert p.fields["index_number"] == "11330000002482870P/2023-00123"
    assert p.fields["issuer"] == "临江省人民政府办公厅"
    assert p.fields["doc_number"] == "临政办发〔2023〕20号"
    assert (p.written_on, p.published_on) == (D(2023, 5, 10), D(2023, 5, 12))
    assert p.validity == "in_force"
    assert p.title == "临江省人民政府办公厅关于进一步优化营商环境的若干意见"
    assert "一网通办" in p.body and "分享到" not in p.body


def test_district_inline_pairs_and_repealed():
    p = parse("district_inline.html")
    assert p.fields["issuer"] == "临江市江北区人民政府办公室"
    assert p.fields["doc_number"] == "江北政办发〔2020〕5号"
    assert p.fields["topic"] == "城乡建设"
    assert (p.written_on, p.published_on) == (D(2020, 3, 1), D(2020, 3, 5))
    assert p.validity == "repealed"
    assert p.title.startswith("临江市江北区人民政府办公室关于印发")
    assert "现印发给你们" in p.body


def test_gbk_page_with_other_labels_and_the_signature_date():
    p = parse("gbk_signature_date.htm")
    assert p.fields["index_number"] == "LJJY-2019-0007"
    assert p.fields["issuer"] == "临江市教育局"
    assert p.fields["doc_number"] == "临教发〔2019〕7号"
    assert p.fields["topic"] == "教育"
    assert p.validity == "expired"
    assert p.published_on == D(2019, 4, 2)
    assert p.written_on == D(2019, 3, 28)  # 二〇一九年三月二十八日 under the signature
    assert p.title == "临江市教育局关于做好2019年义务教育招生入学工作的通知"


@pytest.mark.parametrize(
    "line, pairs",
    [
        ("索引号：1/2024-00001  主题分类：教育", [("索引号", "1/2024-00001"), ("主题分类", "教育")]),
        (
            "| 发文字号： | 临政发〔2024〕1号 | 有效性 | 有效 |",
            [("发文字号", "临政发〔2024〕1号"), ("有效性", "有效")],
        ),
        ("| 索 引 号：A/2024-1 |", [("索引号", "A/2024-1")]),
        ("本通知自印发之日起施行。", []),
    ],
)
def test_pairs_from_line(line, pairs):
    assert pairs_from_line(line) == pairs


@pytest.mark.parametrize(
    "text, key",
    [
        ("有效", "in_force"),
        ("现行有效", "in_force"),
        ("已修改", "amended"),
        ("已于2020年废止", "repealed"),
        ("失效", "expired"),
        ("", ""),
    ],
)
def test_validity_words(text, key):
    assert parse_validity(text) == key


CN = "〇一二三四五六七八九"


def cn_year(y):
    return "".join(CN[int(c)] for c in str(y))


def cn_num(n):
    if n < 10:
        return CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN[tens]) + "十" + (CN[ones] if ones else "")


FORMS = [
    lambda d: d.isoformat(),
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}日",
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}",
    lambda d: f"{d.year}{d.month:02d}{d.day:02d}",
    lambda d: f"{cn_year(d.year)}年{cn_num(d.month)}月{cn_num(d.day)}日",
    lambda d: f"{d.isoformat()} 09:30:00",
    lambda d: f"{d.year}－{d.month:02d}－{d.day:02d}".translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    ),
]


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2099, 12, 31)), st.sampled_from(range(len(FORMS))))
def test_every_date_form_reads_back(day, form):
    assert parse_date("成文日期：" + FORMS[form](day)) == day


@given(st.text(alphabet="年月日-/.abc 有效", max_size=20))
def test_no_date_is_made_up(text):
    assert parse_date(text) is None


def _links(body: str):
    page = parse_page(f"<html><body><div class='zoom'>{body}</div></body></html>")
    return page.validity, [(ln.relation, ln.href, ln.doc_number, ln.date) for ln in page.links]


@pytest.mark.parametrize(
    ("body", "validity", "links"),
    [
        (  # the verb outside the title named: 《关于修改…的决定》 but 废止
            "<p>本文件已被<a href='d.html'>《关于修改和废止部分规范性文件的决定》</a>（临政规〔2024〕1号）废止。</p>",
            "repealed",
            [("repealed", "d.html", "临政规〔2024〕1号", None)],
        ),
        (
            "<p>该规定已于2022年7月1日修订，见<a href='n.html'>新规定</a>。</p>",
            "amended",
            [("amended", "n.html", "", dt.date(2022, 7, 1))],
        ),
        (  # no link: the 文号 named and the date
            "<p>本办法已于2021年12月31日被临政发〔2021〕30号文件废止</p>",
            "repealed",
            [("repealed", "", "临政发〔2021〕30号", dt.date(2021, 12, 31))],
        ),
        (
            "<p>本通知有效期届满，已于2020年1月1日失效。</p>",
            "expired",
            [("expired", "", "", dt.date(2020, 1, 1))],
        ),
        (  # the replacing document's own sentence about the old one is no notice about itself
            "<p>本办法自2023年5月1日起施行。《某规定》（临政办规〔2019〕2号）同时废止。</p>",
            "",
            [],
        ),
        ("<p>《优化营商环境条例》已于2019年10月8日通过。</p>", "", []),
        (
            "<div class='xgwj'><h3>相关文件</h3><ul><li><a href='a.html'>临政发〔2020〕1号</a></li></ul></div>",
            "",
            [("related", "a.html", "临政发〔2020〕1号", None)],
        ),
    ],
)
def test_validity_notices_and_related_links(body, validity, links):
    assert _links(body) == (validity, links)


def test_attachment_links_by_suffix_once_each():
    page = parse_page(
        "<html><body><p><a href='a_files/1.DOCX'>附件1</a><a href='x.pdf?v=2'>附件2</a>"
        "<a href='a_files/1.DOCX'>again</a><a href='next.html'>下一篇</a><a href='t.xlsx#s'>表</a></p></body></html>"
    )
    assert page.attachments == [("a_files/1.DOCX", "附件1"), ("x.pdf?v=2", "附件2"), ("t.xlsx#s", "表")]
