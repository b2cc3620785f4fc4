"""Fuzzing the report parser: mangled, truncated, shuffled or random input never crashes and
never yields a number that is not printed in the input."""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_parse_docs import REPORTS, SEEDS

from gongkai.core.report_parse import parse_report
from gongkai.core.report_parse.normalize import normalize_document

SOURCES = sorted(p for p in REPORTS.iterdir() if p.suffix in (".txt", ".html")) + sorted(SEEDS.iterdir())
TEXTS = [(p.name, p.read_text(encoding="utf-8")) for p in SOURCES]
FUZZ = settings(
    max_examples=int(__import__("os").environ.get("GK_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _numbers(result):
    for rows in result["tables"].values():
        for cells in rows.values():
            yield from cells.values()


def _printed(v, text: str) -> bool:
    if v == 0:
        return True  # zeros are printed 0s or blank cells (listed in blank_cells)
    d = Decimal(str(v))
    forms = {format(d.normalize(), "f"), str(v)}
    if d == d.to_integral_value():
        forms.add(str(int(d)))
    if any(f in text for f in forms):
        return True
    # 「万」 units: 1.2万 -> 12000
    if "万" in text:
        w = format((d / 10000).normalize(), "f")
        return w in text
    return False


def check(result, data, filename):
    assert set(result) >= {
        "source",
        "agency",
        "year",
        "template",
        "tables",
        "text_sections",
        "fees",
        "missing",
        "blank_cells",
        "findings",
    }
    for m in result["missing"]:
        assert isinstance(m["reason"], str) and re.search(r"[\u4e00-\u9fff]", m["reason"])
    for f in result["findings"]:
        assert f["severity"] in ("error", "warning") and re.search(r"[\u4e00-\u9fff]", f["message"])
    try:
        doc = normalize_document(data, filename)
        text = doc.text + "\n" + doc.raw_text
    except Exception:  # noqa: BLE001 - any exception is the failure
        text = ""
    for v in _numbers(result):
        assert _printed(v, text), (v, filename)


@st.composite
def mangled(draw):
    name, text = draw(st.sampled_from(TEXTS))
    lines = text.split("\n")
    op = draw(st.sampled_from(["drop", "cut", "shuffle", "noise", "delete_span", "dup"]))
    if op == "drop" and len(lines) > 1:
        keep = draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
        lines = [ln for ln, k in zip(lines, keep) if k] or lines[:1]
        text = "\n".join(lines)
    elif op == "cut":
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, len(text)))
        text = text[i:j] if draw(st.booleans()) else text[:i]
    elif op == "shuffle":
        text = "\n".join(draw(st.permutations(lines)))
    elif op == "noise":
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, len(text)))
            junk = draw(st.text(alphabet=st.characters(codec="utf-8"), max_size=12))
            text = text[:i] + junk + text[i:]
    elif op == "delete_span":
        i = draw(st.integers(0, len(text)))
        text = text[:i] + text[i + draw(st.integers(0, 200)) :]
    else:
        i = draw(st.integers(0, len(text)))
        j = min(len(text), i + draw(st.integers(0, 400)))
        text = text[:j] + text[i:j] + text[j:]
    return name, text


@FUZZ
@given(mangled())
def test_mangled_reports_never_crash_nor_invent(case):
    name, text = case
    data = text.encode("utf-8")
    result = parse_report(data, name)
    check(result, data, name)


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from(["r.txt", "r.html", "r.docx", "r.pdf", "r"]))
def test_random_bytes_never_crash(data, filename):
    result = parse_report(data, filename)
    check(result, data, filename)


@FUZZ
@given(mangled(), st.integers(0, 40))
def test_random_bytes_spliced_into_a_report(case, n):
    name, text = case
    raw = text.encode("utf-8")
    import random

    rnd = random.Random(n)
    pos = rnd.randrange(len(raw) + 1)
    data = raw[:pos] + bytes(rnd.randrange(256) for _ in range(n)) + raw[pos:]
    result = parse_report(data, name)
    check(result, data, name)


@FUZZ
@given(
    st.lists(
        st.sampled_from(
            ["0", "1", "2", "12", "30", "7", "00", " ", "1.", "三、", "（一）予以公开", "\n", "|"]
        ),
        max_size=60,
    )
)
def test_digit_soup_in_a_table_region(parts):
    head = "2021年测试局政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n一、本年新收政府信息公开申请数量"
    text = head + "".join(parts)
    data = text.encode("utf-8")
    result = parse_report(data, "soup.txt")
    check(result, data, "soup.txt")
