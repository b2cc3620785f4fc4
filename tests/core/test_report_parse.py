"""Report import parser (年报导入): fixtures at 100 %, seeds, generated DOCX/PDF/HTML, audit."""

from __future__ import annotations

import re

import opencc
import pytest
from report_parse_docs import (
    REPORTS,
    SEEDS,
    expected_reports,
    expected_tables,
    report_docx,
    report_html,
    report_pdf,
)

from gongkai.core.report_parse import audit_carry_over, parse_path, parse_report, to_report_data
from gongkai.core.report_parse.normalize import normalize_document
from gongkai.core.report_schema import TEMPLATE_IDS, get_template

EXPECTED = expected_reports()


def _agency_expected(name: str) -> str:
    # hand-read names carry an explanatory annotation, e.g. 平潭综合实验区（管委会）
    return re.sub(r"（[^）]*）$", "", name)


@pytest.fixture(scope="module")
def parsed():
    return {e["file"]: parse_path(REPORTS / e["file"]) for e in EXPECTED}


@pytest.mark.parametrize("e", EXPECTED, ids=[e["file"] for e in EXPECTED])
def test_fixture_every_cell_agency_year_template(e, parsed):
    r = parsed[e["file"]]
    assert r["source"].endswith(e["file"])
    assert r["agency"] == _agency_expected(e["agency"])
    assert r["year"] == e["year"]
    assert r["template"] == e["template"]
    assert r["tables"]["applications"] == e["applications"]
    if e["file"] in AMBIGUOUS_AS_PRINTED:
        _unread_with_truth_among_candidates(r, e)
        return
    assert r["tables"]["review_litigation"] == {"count": e["review_litigation"]}
    # no Section 3/4 cell is reported missing
    assert not [m for m in r["missing"] if m["section"] in ("applications", "review_litigation")]


# Fixtures whose printed digits allow several readings, none satisfying the template's totals (the
# publisher's arithmetic is wrong AND the digits are glued): the reader emits no number for the
# cells the splits disagree on, lists them as unread, and the true reading is among the candidates.
AMBIGUOUS_AS_PRINTED = {"2024_pingtan-shs_flattext.txt"}  # Section 4 「…1324015」: 13+2+4+0 ≠ 15


def _unread_with_truth_among_candidates(r, e):
    got = r["tables"].get("review_litigation", {}).get("count", {})
    truth = e["review_litigation"]
    assert all(truth[c] == v for c, v in got.items())  # whatever is read is right
    miss = [m for m in r["missing"] if m["section"] == "review_litigation"]
    assert len(miss) == 1 and "均不满足合计关系" in miss[0]["reason"]
    unread = {c for _, c in miss[0]["cells"]}
    assert unread == set(truth) - set(got)
    cols = list(truth)
    assert [truth[c] for c in cols] in miss[0]["candidates"]


def test_fixture_accuracy_is_total(parsed):
    right = total = unread = 0
    for e in EXPECTED:
        r = parsed[e["file"]]
        for rk, cells in e["applications"].items():
            for ck, v in cells.items():
                total += 1
                right += r["tables"]["applications"].get(rk, {}).get(ck) == v
        for ck, v in e["review_litigation"].items():
            total += 1
            got = r["tables"].get("review_litigation", {}).get("count", {}).get(ck)
            right += got == v
            unread += got is None
    # every cell read is right; the only cells not read are the ambiguous glued ones (listed)
    assert total == 2020 and right + unread == total and unread <= 10


def test_blank_cells_recorded_as_printed(parsed):
    e = next(x for x in EXPECTED if x["file"] == "2019_shanghai-bgt_html.html")
    r = parsed[e["file"]]
    got = {}
    for b in r["blank_cells"]:
        if b["table"] == "applications":
            got.setdefault(b["row"], []).append(b["column"])
    assert {k: sorted(v) for k, v in got.items()} == {k: sorted(v) for k, v in e["blank_cells"].items()}
    # Section 4 blanks of that report are 0 and listed too
    s4_blank = {b["column"] for b in r["blank_cells"] if b["table"] == "review_litigation"}
    assert "review_corrected" in s4_blank


def _proactive_expected(e, t):
    """expected.json keeps Section 2 'as read' with its own keys; map them to schema keys by order."""
    out = {}
    pa = e["proactive_as_read"]
    for tb in t.proactive_tables:
        if isinstance(pa.get(tb.key), dict):
            for row, vals in zip(tb.cell_rows, pa[tb.key].values()):
                if vals is None:
                    continue
                for col, v in zip(tb.value_columns, vals.values()):
                    if v is not None:
                        out[(tb.key, row.key, col.key)] = v
    for k, v in pa.items():
        if not isinstance(v, dict) and k.startswith("art20_"):
            tk = "_".join(k.split("_")[:2])
            idx = {
                "licensing_decisions": 0,
                "penalty_decisions": 0,
                "enforcement_decisions": 1,
                "fees_10k_yuan": 0,
            }[k[len(tk) + 1 :]]
            tb = t.table(tk)
            out[(tk, tb.cell_rows[idx].key, tb.value_columns[0].key)] = v
    return out


def test_section2_never_wrong_and_mostly_read(parsed):
    right = wrong = 0
    for e in EXPECTED:
        r = parsed[e["file"]]
        t = get_template(e["template"])
        for (tk, rk, ck), v in _proactive_expected(e, t).items():
            got = r["tables"].get(tk, {}).get(rk, {}).get(ck)
            if got is None:
                # unread cells are listed as missing, not invented
                assert any(m.get("table") == tk and m.get("row") == rk for m in r["missing"]), (
                    e["file"],
                    tk,
                    rk,
                )
                continue
            want = float(str(v).rstrip("元"))
            if abs(float(got) - want) < 1e-9:
                right += 1
            else:
                wrong += 1
    assert wrong == 0
    assert right >= 100


def test_published_inconsistencies_are_findings(parsed):
    r = parsed["2020_pingtan_flattext.txt"]
    rules = {f["rule"] for f in r["findings"]}
    assert "applications.results_total_is_sum" in rules
    f = next(f for f in r["findings"] if f["rule"] == "applications.results_total_is_sum")
    assert ["results_total", "natural_person"] in f["cells"] and "20" in f["message"] and "26" in f["message"]
    r = parsed["2021_pingtan-gaj_flattext.txt"]
    assert any(f["rule"] == "applications.identity" for f in r["findings"])
    r = parsed["2024_pingtan-shs_flattext.txt"]
    # glued AND arithmetically wrong: no split is preferred, nothing is guessed (see above)
    assert not any(f["rule"] == "import.glued_digits_relaxed" for f in r["findings"])
    r = parsed["2023_hongze-district_pdftext.txt"]
    assert any(f["rule"] == "import.other_single_row" for f in r["findings"])
    for name in (
        "2019_pingtan_flattext.txt",
        "2021_pingtan_flattext.txt",
        "2024_shanghai-kewei_pdfmd.txt",
        "2019_shanghai-bgt_html.html",
    ):
        assert not [f for f in parsed[name]["findings"] if f["severity"] == "error"], name


def test_text_sections_and_fees(parsed):
    r = parsed["2019_pingtan_flattext.txt"]
    assert r["text_sections"]["overview"].startswith("2019年")
    assert "其他需要报告" not in r["text_sections"]["other_matters"][:3]
    r = parsed["2024_shanghai-kewei_pdfmd.txt"]
    assert "主要问题" in r["text_sections"]["problems"]
    r = parsed["2023_hongze-district_pdftext.txt"]
    assert r["fees"] == {"amount_collected": 0}


# -- seeds -----------------------------------------------------------------------------------
def test_seed_fengtai_complete_and_consistent():
    r = parse_path(SEEDS / "002_da4cd97813954aae.txt")
    assert (r["agency"], r["year"], r["template"]) == ("北京市丰台区人民政府", 2023, "2021")
    t = get_template("2021")
    for tb in t.tables:
        for rk, ck in tb.cell_keys():
            assert ck in r["tables"][tb.key][rk], (tb.key, rk, ck)
    assert r["missing"] == []
    assert r["findings"] == []
    assert r["tables"]["applications"]["new_received"]["total"] == 2180
    assert r["tables"]["review_litigation"]["count"]["review_total"] == 106
    assert r["tables"]["art20_8"]["admin_fees"]["fee_amount"] == 5098.4139
    assert r["fees"] == {"notices_issued": 11, "amount_notified": 3930, "amount_collected": 1450}


@pytest.mark.parametrize(
    "name,agency,year",
    [
        ("000_69c310ad253e4232.txt", "北京市", 2020),
        ("001_710c0444b1db2d3f.txt", "杭州市", 2020),
        ("003_fe42c0596ed7a7d9.txt", "北京市延庆区人民政府", 2019),
        ("004_767429a646c3861d.txt", "北京市民政局", 2019),
    ],
)
def test_seeds_without_tables_reported_missing(name, agency, year):
    r = parse_path(SEEDS / name)
    assert r["agency"] == agency and r["year"] == year and r["template"] == "2019"
    assert r["tables"] == {}
    sections = {m["section"] for m in r["missing"]}
    assert {"proactive", "applications", "review_litigation"} <= sections
    if name.startswith("000"):
        assert any(m["reason"] == "第二部分表格为图片：1.png" for m in r["missing"])


def test_traditional_seed_is_simplified_with_labels_as_printed():
    doc = normalize_document((SEEDS / "003_fe42c0596ed7a7d9.txt").read_bytes(), "003.txt")
    assert doc.traditional
    assert "收到和处理政府信息公开申请情况" in doc.text
    assert "資訊" not in doc.text and "政府资讯" not in doc.text


def test_copy_site_spam_removed():
    doc = normalize_document((SEEDS / "001_710c0444b1db2d3f.txt").read_bytes(), "001.txt")
    assert "PG电子" not in doc.text and "备案号" not in doc.text


@pytest.mark.parametrize("tid", TEMPLATE_IDS)
def test_every_schema_label_survives_a_taiwan_phrase_round_trip(tid):
    from gongkai.core.report_parse.normalize import to_simplified

    conv = opencc.OpenCC("s2twp")
    t = get_template(tid)
    labels = [r.label for tb in t.tables for r in tb.rows if r.label] + [
        c.label for tb in t.tables for c in tb.columns
    ]
    for label in labels:
        assert to_simplified(conv.convert(label)) == label


def test_traditional_report_parses_like_the_original():
    e = next(x for x in EXPECTED if x["file"] == "2021_pingtan_flattext.txt")
    raw = (REPORTS / e["file"]).read_text(encoding="utf-8")
    trad = opencc.OpenCC("s2twp").convert(raw)
    r = parse_report(trad.encode("big5", errors="replace") if False else trad.encode("utf-8"), "trad.txt")
    assert r["tables"]["applications"] == e["applications"]
    assert r["year"] == 2021 and r["template"] == "2021"


# -- generated documents ----------------------------------------------------------------------
GEN = [
    e
    for e in EXPECTED
    if e["file"]
    in ("2021_pingtan_flattext.txt", "2019_pingtan_flattext.txt", "2024_shanghai-kewei_pdfmd.txt")
]


def _tables_with_proactive(e):
    tabs = expected_tables(e)
    t = get_template(e["template"])
    for tb in t.proactive_tables:
        tabs[tb.key] = {
            r.key: {c.key: (i + 1) * 10 + j for j, c in enumerate(tb.value_columns)}
            for i, r in enumerate(tb.cell_rows)
        }
    if e["template"] == "2021":
        tabs["art20_8"]["admin_fees"]["fee_amount"] = 12.5
    return tabs


@pytest.mark.parametrize("e", GEN, ids=[e["file"] for e in GEN])
def test_docx_round_trip(e):
    tabs = _tables_with_proactive(e)
    r = parse_report(report_docx("测试市测试局", e["year"], e["template"], tabs), "gen.docx")
    assert (r["agency"], r["year"], r["template"]) == ("测试市测试局", e["year"], e["template"])
    assert r["tables"] == tabs
    assert r["fees"] == {"notices_issued": 2, "amount_notified": 300, "amount_collected": 100}
    assert r["missing"] == []


@pytest.mark.parametrize("e", GEN[:2], ids=[e["file"] for e in GEN[:2]])
def test_pdf_round_trip(e):
    tabs = _tables_with_proactive(e)
    r = parse_report(report_pdf("测试市测试局", e["year"], e["template"], tabs), "gen.pdf")
    assert (r["year"], r["template"]) == (e["year"], e["template"])
    assert r["tables"]["applications"] == tabs["applications"]
    assert r["tables"]["review_litigation"] == tabs["review_litigation"]
    for tk in tabs:
        for rk, cells in r["tables"].get(tk, {}).items():
            for ck, v in cells.items():
                assert v == tabs[tk][rk][ck]


def test_html_blank_cells_are_zero_and_listed():
    e = next(x for x in EXPECTED if x["file"] == "2021_pingtan_flattext.txt")
    tabs = expected_tables(e)
    blank = {
        ("applications", r, c)
        for r, cells in tabs["applications"].items()
        for c, v in cells.items()
        if v == 0
    }
    html = report_html("测试区人民政府", 2021, "2021", tabs, blank=blank)
    r = parse_report(html.encode("utf-8"), "gen.html")
    assert r["tables"]["applications"] == tabs["applications"]
    got = {(b["table"], b["row"], b["column"]) for b in r["blank_cells"]}
    assert blank <= got


def test_narrative_contradiction_names_cells_and_numbers():
    e = next(x for x in EXPECTED if x["file"] == "2021_pingtan_flattext.txt")
    tabs = expected_tables(e)
    html = report_html("测试区人民政府", 2021, "2021", tabs, received=271)
    r = parse_report(html.encode("utf-8"), "gen.html")
    f = next(f for f in r["findings"] if f["rule"] == "narrative.received")
    assert f["numbers"] == {"text": 271, "table": 70}
    assert ["new_received", "total"] in f["cells"]
    assert "271" in f["message"]


def test_unreadable_row_goes_to_missing_not_invented():
    raw = (REPORTS / "2021_pingtan-gaj_flattext.txt").read_text(encoding="utf-8")
    # the 予以公开 row made unreadable: a glued run with no consistent split
    broken = raw.replace("（一）予以公开0000000", "（一）予以公开9999")
    r = parse_report(broken, "x.txt")
    assert "granted" not in r["tables"]["applications"]
    m = [m for m in r["missing"] if m.get("row") == "granted"]
    assert m and "予以公开" in m[0]["reason"]


def test_unreadable_file_is_a_clear_error():
    r = parse_report(b"PK\x03\x04 not really a docx", "broken.docx")
    assert r["tables"] == {}
    assert r["missing"][0]["section"] == "document" and "无法读取" in r["missing"][0]["reason"]


# -- audit ----------------------------------------------------------------------------------
def test_cross_year_carry_over():
    prev = parse_path(REPORTS / "2021_pingtan_flattext.txt")
    this = dict(
        prev,
        year=2022,
        tables={
            "applications": {
                "carried_over_from_prior_year": dict(prev["tables"]["applications"]["carried_forward"])
            }
        },
    )
    assert audit_carry_over(prev, this) == []
    this["tables"]["applications"]["carried_over_from_prior_year"]["total"] = 3
    out = audit_carry_over(prev, this)
    assert [f["cells"] for f in out] == [[["carried_over_from_prior_year", "total"]]]
    assert out[0]["numbers"] == {"previous": 1, "current": 3}
    assert "3" in out[0]["message"] and "1" in out[0]["message"]


def test_to_report_data_round_trip():
    r = parse_path(SEEDS / "002_da4cd97813954aae.txt")
    data = to_report_data(r)
    assert data.year == 2023 and data.template_id == "2021"
    assert data.value("applications", "new_received", "total") == 2180


def test_units_in_cells():
    from gongkai.core.report_parse.extract import parse_cell_number

    # 2021 第二十条第（八）项 is printed in 万元: a 万元 cell stays, a 元 cell is converted
    assert parse_cell_number("5098.4139万元", "money", True) == __import__("decimal").Decimal("5098.4139")
    assert parse_cell_number("3930元", "money", True) == __import__("decimal").Decimal("0.393")
    # elsewhere 万 multiplies
    assert parse_cell_number("25.1万元", "money") == 251000
    assert parse_cell_number("638.1万", "int") == 6381000
    assert parse_cell_number("1.5", "int") is None
    assert parse_cell_number("-18", "signed_int") == -18 and parse_cell_number("-18", "int") is None


def test_prose_citing_article_20_does_not_become_a_table():
    raw = (REPORTS / "2019_shanghai-bgt_html.html").read_text(encoding="utf-8")
    raw = raw.replace(
        "<p>一、总体情况</p>",
        "<p>一、总体情况</p><p>按照《条例》第二十条第（一）项规定，主动公开规章99件，行政许可77件。</p>",
    )
    r = parse_report(raw, "x.html")
    assert r["tables"]["art20_1"]["rules"] == {"new_made": 13, "new_published": 13, "total_published": 524}
    assert r["tables"]["art20_5"]["admin_licensing"]["decisions"] == 0


def test_section3_found_after_long_prose_mentioning_its_rows():
    raw = (REPORTS / "2024_shanghai-kewei_pdfmd.txt").read_text(encoding="utf-8")
    filler = "本年度各项工作有序推进，上年结转政府信息公开申请 2 件均已办结。" * 400
    raw = raw.replace("五、政府信息管理", filler + "\n五、政府信息管理")
    r = parse_report(raw, "k.txt")
    e = next(x for x in EXPECTED if x["file"] == "2024_shanghai-kewei_pdfmd.txt")
    assert r["tables"]["applications"] == e["applications"]


def _glued_table(rows: dict[str, str]) -> str:
    """A flattened 2021-template Section 3: the given rows' printed numbers, other leaf rows zeros."""
    from gongkai.core.report_schema import get_template

    tb = get_template("2021").applications
    head = "三、收到和处理政府信息公开申请情况\n申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他\n"
    headers = {"results", "withheld", "unable", "not_processed", "other"}
    body = "\n".join(
        r.label + ("" if r.key in headers else " " + rows.get(r.key, "0 0 0 0 0 0 0")) for r in tb.rows
    )
    return (
        "某某局2023年政府信息公开工作年度报告\n一、总体情况\n二、主动公开政府信息情况\n"
        + head
        + body
        + "\n四、因政府信息公开申请行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项"
    )


def test_column_identity_decides_a_glued_row_and_never_guesses():
    """「四、结转下年度继续办理」 printed glued as 「0200201133」: two splits satisfy the row's own
    total (0|2|0|0|20|11|33 and 0|20|0|2|0|11|33); the column identity new + carried = results +
    carried forward leaves exactly one, which is read. With the identity broken by the other rows,
    the cells the splits disagree on stay unread with both candidates listed — nothing is guessed."""
    from gongkai.core.report_parse import parse_report

    rows = {
        "new_received": "1 3 1 1 21 12 39",
        "granted": "1 1 1 1 1 1 6",
        "results_total": "1 1 1 1 1 1 6",
        "carried_forward": "0200201133",
    }
    r = parse_report(_glued_table(rows), "glued.txt")
    cf = r["tables"]["applications"]["carried_forward"]
    assert list(cf.values()) == [0, 2, 0, 0, 20, 11, 33], r["missing"]
    assert not [m for m in r["missing"] if m["section"] == "applications"]

    r = parse_report(_glued_table(dict(rows, new_received="1 9 1 1 21 12 45")), "glued.txt")
    cf = r["tables"]["applications"]["carried_forward"]
    assert cf == {"natural_person": 0, "legal_research": 0, "legal_other": 11, "total": 33}
    miss = next(m for m in r["missing"] if m.get("row") == "carried_forward")
    assert sorted(miss["candidates"]) == [[0, 2, 0, 0, 20, 11, 33], [0, 20, 0, 2, 0, 11, 33]]
    assert {c for _, c in miss["cells"]} == {
        "legal_commercial",
        "legal_public_welfare",
        "legal_legal_services",
    }


def test_section4_printed_over_two_lines_is_one_row():
    """OCR of a scanned report: the review figures on one line, the litigation ones on the next."""
    from gongkai.core.report_parse import parse_report

    text = _glued_table({}).replace(
        "\n四、因政府信息公开申请行政复议、行政诉讼情况\n",
        "\n四、因政府信息公开申请行政复议、行政诉讼情况\n行政复议 行政诉讼\n"
        "结果维持 结果纠正 其他结果 尚未审结 总计\n27 10 9 15 61\n"
        "未经复议直接起诉 复议后起诉\n3 1 0 2 6 0 0 1 0 1\n",
    )
    r = parse_report(text, "ocr.txt")
    got = r["tables"]["review_litigation"]["count"]
    assert list(got.values()) == [27, 10, 9, 15, 61, 3, 1, 0, 2, 6, 0, 0, 1, 0, 1], r["missing"]
    assert not [m for m in r["missing"] if m["section"] == "review_litigation"]
