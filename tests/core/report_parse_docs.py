"""Build report documents (HTML, DOCX, PDF, flat text) from table values, for round-trip tests.

Labels come from ``report_schema``; values from a dict shaped like the parser's ``tables``.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from gongkai.core.report_schema import get_template

DATA = Path(__file__).resolve().parent.parent / "data"
REPORTS = DATA / "reports"
SEEDS = DATA / "seeds"


def expected_reports() -> list[dict]:
    return json.loads((REPORTS / "expected.json").read_text(encoding="utf-8"))["reports"]


def expected_tables(e: dict) -> dict:
    """Parser-shaped tables (applications + review_litigation) of an expected.json entry."""
    return {
        "applications": {r: dict(c) for r, c in e["applications"].items()},
        "review_litigation": {"count": dict(e["review_litigation"])},
    }


def proactive_as_printed(e: dict) -> dict:
    """Section 2 of an expected.json entry (``proactive_as_read``) in the schema's keys: tables,
    rows and columns map by position (the hand-read keys name them differently); the 2021 entries
    keep their one-cell tables as flat keys; unreadable (null) parts are left out."""
    from decimal import Decimal

    t = get_template(e["template"])
    read = dict(e.get("proactive_as_read") or {})
    for key in [k for k in read if k.count("_") >= 2 and not isinstance(read[k], dict)]:
        table = "_".join(key.split("_")[:2])
        read.setdefault(table, {}).setdefault(key, {"value": read.pop(key)})
    out: dict = {}
    for tb in t.proactive_tables:
        rows = read.get(tb.key) or {}
        for row, cells in zip(tb.cell_rows, rows.values()):
            if not cells:
                continue
            for col, v in zip(tb.value_columns, cells.values()):
                if v is None:
                    continue
                if col.type == "money":
                    try:
                        v = Decimal(str(v).removesuffix("元"))
                    except ArithmeticError:
                        continue  # not a number as read (e.g. 「—」)
                out.setdefault(tb.key, {}).setdefault(row.key, {})[col.key] = v
    return out


def fixture_report_data(e: dict):
    """The fixture as the platform's ReportData (Section 2 as printed, blank totals filled)."""
    from gongkai.core.report_data import ReportData
    from gongkai.core.report_rules import fill_totals

    data = ReportData.from_dict(e)
    for table, rows in proactive_as_printed(e).items():
        for row, cells in rows.items():
            data.tables[table][row].update(cells)
    return fill_totals(data, only_blank=True)


def _cell(v, blank: bool) -> str:
    return "" if blank else str(v)


def table_rows(
    template_id: str, tables: dict, blank: set[tuple[str, str, str]] = frozenset()
) -> dict[str, list[list[str]]]:
    """{table_key: [[cell, ...], ...]} rows as printed (label cells first)."""
    t = get_template(template_id)
    out: dict[str, list[list[str]]] = {}
    for tb in t.proactive_tables:
        rows = [[tb.caption or ""], [c.label for c in tb.columns]]
        for r in tb.cell_rows:
            vals = tables.get(tb.key, {}).get(r.key)
            if vals is None:
                continue
            rows.append(
                [r.label] + [_cell(vals[c.key], (tb.key, r.key, c.key) in blank) for c in tb.value_columns]
            )
        if len(rows) > 2:
            out[tb.key] = rows
    tb = t.applications
    rows = [
        [tb.header_note or "", "申请人情况"],
        ["自然人", "法人或其他组织", "总计"],
        [c.label for c in tb.value_columns[1:-1]],
    ]
    for r in tb.rows:
        if not r.has_cells:
            rows.append([r.label])
            continue
        vals = tables["applications"][r.key]
        rows.append(
            [r.label]
            + [_cell(vals[c.key], ("applications", r.key, c.key) in blank) for c in tb.value_columns]
        )
    out["applications"] = rows
    tb = t.review_litigation
    vals = tables["review_litigation"]["count"]
    out["review_litigation"] = [
        ["行政复议", "行政诉讼"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
        [c.label for c in tb.value_columns[5:]],
        [_cell(vals[c.key], ("review_litigation", "count", c.key) in blank) for c in tb.value_columns],
    ]
    return out


SECTION_TEXT = {
    "overview": "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，全年共收到政府信息公开申请{received}件。",
    "problems": "存在的问题是公开内容还不够全面，下一步将持续改进。",
    "other_matters": "本年度发出收费通知2件，总金额为300元；实际收取的总金额为100元。",
}


def report_html(
    agency: str, year: int, template_id: str, tables: dict, blank=frozenset(), received=None
) -> str:
    t = get_template(template_id)
    rows = table_rows(template_id, tables, blank)
    rec = received if received is not None else tables["applications"]["new_received"]["total"]
    parts = [
        "<html><head><meta charset='utf-8'><style>body{font-family:'Noto Serif CJK SC'} td{border:1px solid #000}</style></head><body>",
        f"<h1>{agency}{year}年政府信息公开工作年度报告</h1>",
        f"<p>{t.section('overview').title}</p><p>{SECTION_TEXT['overview'].format(received=rec)}</p>",
        f"<p>{t.section('proactive').title}</p>",
    ]

    def table(rs):
        return (
            "<table>"
            + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rs)
            + "</table>"
        )

    for tb in t.proactive_tables:
        if tb.key in rows:
            parts.append(table(rows[tb.key]))
    parts.append(f"<p>{t.section('applications').title}</p>")
    parts.append(table(rows["applications"]))
    parts.append(f"<p>{t.section('review_litigation').title}</p>")
    parts.append(table(rows["review_litigation"]))
    parts.append(f"<p>{t.section('problems').title}</p><p>{SECTION_TEXT['problems']}</p>")
    parts.append(f"<p>{t.section('other_matters').title}</p><p>{SECTION_TEXT['other_matters']}</p>")
    parts.append(f"<p>{agency}</p><p>{year + 1}年1月20日</p></body></html>")
    return "".join(parts)


def report_docx(agency: str, year: int, template_id: str, tables: dict, blank=frozenset()) -> bytes:
    import docx

    t = get_template(template_id)
    rows = table_rows(template_id, tables, blank)
    d = docx.Document()
    d.add_paragraph(f"{agency}{year}年政府信息公开工作年度报告")
    d.add_paragraph(t.section("overview").title)
    d.add_paragraph(SECTION_TEXT["overview"].format(received=tables["applications"]["new_received"]["total"]))
    d.add_paragraph(t.section("proactive").title)

    def add(rs):
        width = max(len(r) for r in rs)
        tbl = d.add_table(rows=len(rs), cols=width)
        for i, r in enumerate(rs):
            for j, c in enumerate(r):
                tbl.cell(i, j).text = c

    for tb in t.proactive_tables:
        if tb.key in rows:
            add(rows[tb.key])
    d.add_paragraph(t.section("applications").title)
    add(rows["applications"])
    d.add_paragraph(t.section("review_litigation").title)
    add(rows["review_litigation"])
    d.add_paragraph(t.section("problems").title)
    d.add_paragraph(SECTION_TEXT["problems"])
    d.add_paragraph(t.section("other_matters").title)
    d.add_paragraph(SECTION_TEXT["other_matters"])
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def report_pdf(agency: str, year: int, template_id: str, tables: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=report_html(agency, year, template_id, tables)).write_pdf()


# -- random consistent tables and plain-text renderings -------------------------------------------
def random_tables(template_id: str, rnd, big: bool = False) -> dict:
    """Section 3/4 values that satisfy every schema sum (leaf rows → （七）总计, identity, 总计 column)."""
    t = get_template(template_id)
    tb = t.applications
    cols = [c.key for c in tb.value_columns]
    pool = [0, 0, 0, 0, 1, 2, 3, 5, 12, 27, 104, 1270]

    def row():
        return [rnd.choice(pool) if big or rnd.random() < 0.5 else 0 for _ in range(6)]

    apps = {r.key: row() for r in t.result_rows}
    rt = [sum(apps[r.key][i] for r in t.result_rows) for i in range(6)]
    cf = [rnd.choice([0, 0, 1, 3]) for _ in range(6)]
    co = [min(rnd.choice([0, 0, 2, 5]), rt[i] + cf[i]) for i in range(6)]
    nr = [rt[i] + cf[i] - co[i] for i in range(6)]
    apps.update(results_total=rt, carried_forward=cf, carried_over_from_prior_year=co, new_received=nr)
    out = {"applications": {k: dict(zip(cols, v + [sum(v)])) for k, v in apps.items()}}
    s4 = []
    for _ in range(3):
        v = [rnd.choice([0, 0, 1, 2, 5, 13]) for _ in range(4)]
        s4 += v + [sum(v)]
    out["review_litigation"] = {"count": dict(zip([c.key for c in t.review_litigation.value_columns], s4))}
    return out


def _head(agency: str, year: int) -> str:
    return f"{agency}{year}年政府信息公开工作年度报告"


def render_flat(template_id: str, tables: dict, agency: str, year: int) -> str:
    """One line, cells glued without separators (the crawled-page dumps of the fixtures)."""
    rows = table_rows(template_id, tables)
    body = "".join("".join(r) for r in rows["applications"])
    s4 = "".join("".join(r) for r in rows["review_litigation"])
    return (
        f"{_head(agency, year)} 一、总体情况 略。三、收到和处理政府信息公开申请情况{body}"
        f"四、政府信息公开行政复议、行政诉讼情况{s4}五、存在的主要问题及改进情况 略。六、其他需要报告的事项 无。"
    )


def render_pipe_cells(template_id: str, tables: dict, agency: str, year: int) -> str:
    """One cell per line ending in ' |' (the 002 seed's dump of an HTML table)."""
    rows = table_rows(template_id, tables)
    lines = [_head(agency, year), "三、收到和处理政府信息公开申请情况"]
    for r in rows["applications"]:
        lines += [c + " |" for c in r] + ["||"]
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    for r in rows["review_litigation"]:
        lines += [c + " |" for c in r]
    lines.append("五、存在的主要问题及改进情况")
    return "\n".join(lines)


def render_pdf_text(template_id: str, tables: dict, agency: str, year: int, rnd) -> str:
    """Space-separated values; some long labels broken around their value line (PDF text layer)."""
    rows = table_rows(template_id, tables)
    lines = [agency, f"{year} 年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    for r in rows["applications"]:
        if len(r) >= 8 and len(r[0]) > 8 and rnd.random() < 0.3:
            k = len(r[0]) // 2
            lines += [r[0][:k], " ".join(r[1:]), r[0][k:]]
        else:
            lines.append(" ".join(r))
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    lines += [" ".join(r) for r in rows["review_litigation"]]
    lines.append("五、存在的主要问题及改进情况")
    return "\n".join(lines)


def render_pdf_text_paged(template_id: str, tables: dict, agency: str, year: int, rnd) -> str:
    """The PDF text layer of a Section 3 spread over pages: at each page break a page number and
    the column header printed again (rows repeated as a table header), and long labels printed
    after their value line or around it (the label cell is vertically centred on a taller row)."""
    rows = table_rows(template_id, tables)
    header = [cell for r in rows["applications"][:3] for cell in r if cell]
    lines = [agency, f"{year} 年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况", *header]
    breaks = set(rnd.sample(range(4, len(rows["applications"]) - 1), 2))
    page = 1
    for i, r in enumerate(rows["applications"][3:], 3):
        if i in breaks:
            lines += [f"— {page} —", *header]
            page += 1
        if len(r) < 8:
            lines.append(r[0])
            continue
        how = rnd.random()
        if len(r[0]) > 8 and how < 0.3:
            lines += [" ".join(r[1:]), r[0]]  # the label after its values
        elif len(r[0]) > 8 and how < 0.6:
            k = len(r[0]) // 2
            lines += [r[0][:k], " ".join(r[1:]), r[0][k:]]
        else:
            lines.append(" ".join(r))
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    lines += [" ".join(r) for r in rows["review_litigation"]]
    lines.append("五、存在的主要问题及改进情况")
    return "\n".join(lines)
