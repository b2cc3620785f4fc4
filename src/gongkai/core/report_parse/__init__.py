"""Import published annual reports (年报导入与审核): parse into the one report schema and audit.

Public API (the Django side — ``report_import`` — relies on exactly this)::

    parse_report(data: bytes | str, filename: str) -> dict
    parse_path(path) -> dict                                    # HTML: pictures beside it read
    audit_carry_over(prev: dict, this: dict) -> list[dict]      # cross-year 结转 check
    to_report_data(result) -> report_data.ReportData

Result dict::

    {"source", "agency", "year", "template": "2019"|"2021"|None,
     "tables": {"applications": {row: {col: int}}, "review_litigation": {"count": {col: int}},
                "art20_1": {row: {col: number}}, ...},          # only cells actually read
     "text_sections": {"overview"|"problems"|"other_matters": str},
     "fees": {"notices_issued", "amount_notified", "amount_collected"},   # where stated (元)
     "missing": [{"section", "reason" (Chinese), "table"?, "row"?, "cells"?}],
     "blank_cells": [{"table", "row", "column"}],                # printed blank, read as 0
     "findings": [{"rule", "severity", "message" (Chinese), "table", "cells", "numbers"}]}

Never invents a number: every value is a number printed in the input (or 0 for a printed blank
cell); what cannot be read is listed in ``missing``.

Pure Python: no Django import.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from gongkai.core.report_schema import get_template

from . import stream
from .audit import audit_carry_over, narrative_findings, schema_findings, to_report_data
from .detect import detect_agency, detect_template, detect_year
from .extract import read_applications
from .normalize import normalize_document
from .sections import ORDER, clean_section, extract_fees, find_headings, section_text
from .small_tables import read_proactive, read_review_litigation
from .tokens import pipe_cell_mode

__all__ = ["parse_report", "parse_path", "audit_carry_over", "to_report_data", "SECTION_NAMES"]

SECTION_NAMES = {
    "overview": "第一部分",
    "proactive": "第二部分",
    "applications": "第三部分",
    "review_litigation": "第四部分",
    "problems": "第五部分",
    "other_matters": "第六部分",
}
_S2_START = re.compile(r"第\s*二\s*十\s*条\s*第?\s*[（(]\s*[一五六八九]\s*[）)]\s*项")
_S2_FOLLOW = re.compile(
    r"信\s*息\s*内\s*容|本\s*年\s*制\s*发|本\s*年\s*新\s*制\s*作|第\s*二\s*十\s*条|现\s*行\s*有\s*效|对\s*外\s*公\s*开\s*总"
)
_S3_NOTE = re.compile(r"勾\s*稽\s*关\s*系|钩\s*稽\s*关\s*系|申\s*请\s*人\s*情\s*况")


def _jsonable(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def parse_path(path: str | Path) -> dict[str, Any]:
    """A report file; an HTML page's pictures are looked up beside it (a saved page's folder)."""
    from .ocr import folder_assets

    p = Path(path)
    return parse_report(p.read_bytes(), str(p), assets=folder_assets(p.parent))


def parse_report(data: bytes | str, filename: str, assets=None) -> dict[str, Any]:
    """Parse one published report; see the module docstring for the result. ``assets``
    (``src -> bytes | None``) gives the files an HTML page refers to (tables printed as images)."""
    result: dict[str, Any] = {
        "source": filename,
        "agency": None,
        "year": None,
        "template": None,
        "tables": {},
        "text_sections": {},
        "fees": {},
        "missing": [],
        "blank_cells": [],
        "findings": [],
    }
    try:
        doc = normalize_document(data, filename, assets)
    except Exception as exc:  # noqa: BLE001 - untrusted input
        result["missing"].append(
            {"section": "document", "reason": f"文件无法读取：{type(exc).__name__}: {exc}"[:300]}
        )
        result["findings"].append(
            {
                "rule": "import.unreadable",
                "severity": "error",
                "message": "文件无法读取，未能导入任何内容",
                "table": None,
                "cells": [],
                "numbers": {},
            }
        )
        return result
    text = doc.text
    year = detect_year(text)
    result["year"] = year
    result["agency"] = detect_agency(text, doc.raw_text)
    template_id, _scores = detect_template(text, year)
    if doc.ocr is not None:
        result["ocr"] = doc.ocr
        template_id = template_id or doc.ocr["template"]  # the grid's row count tells the template
    result["template"] = template_id
    heads = find_headings(text)
    if template_id is None:
        result["missing"].append({"section": "document", "reason": "无法识别报告年度和表格格式，未读取表格"})
        _text_sections(result, text, heads, [])
        return result
    t = get_template(template_id)

    # Section 2 starts at the first 第二十条 caption (or the Section 2 heading)
    m2 = None
    for cand in _S2_START.finditer(text):
        # the table caption, not a citation of Art. 20 in prose: a column header or the next
        # caption follows closely
        if _S2_FOLLOW.search(text, cand.end(), cand.end() + 300):
            m2 = cand
            break
    s2_lo = m2.start() if m2 else heads.get("proactive", (None, None))[1]
    window_lo = s2_lo if s2_lo is not None else heads.get("applications", (0, 0))[0]
    pipe_mode = pipe_cell_mode(text[window_lo : window_lo + 6000])

    # Section 3
    s3_lo = s2_lo if s2_lo is not None else 0
    s3 = read_applications(text, t, s3_lo, len(text), pipe_mode)
    s3 = stream.retry_applications(text, t, heads, s3) or s3  # pdftotext without -layout
    stops: list[int] = []
    if s3.found and s3.span:
        s3_start, s3_end = s3.span
        note = None
        for m in _S3_NOTE.finditer(text, max(0, s3_start - 400), s3_start):
            note = m
            break
        if note:
            s3_start = note.start()
        stops.append(s3_start)
    else:
        s3_start = heads["applications"][0] if "applications" in heads else None
        s3_end = heads["applications"][1] if "applications" in heads else None

    # Section 2 between its start and Section 3
    s2_tables = {}
    if s2_lo is not None:
        s2_hi = s3_start if s3_start is not None and s3_start > s2_lo else min(len(text), s2_lo + 4000)
        s2_tables = read_proactive(text, t, s2_lo, s2_hi, pipe_mode)
        if not any(tr.values for tr in s2_tables.values()):
            # pdftotext without -layout: each figure on its own line after its row label
            by_line = stream.read_proactive(text, t, s2_lo, s2_hi)
            if any(tr.values for tr in by_line.values()):
                s2_tables = by_line
        stops.append(s2_lo)
    # Section 4 after Section 3
    s4_lo = s3_end if s3_end is not None else heads.get("review_litigation", (None, None))[1]
    s4 = None
    if s4_lo is not None:
        later = [s for k, (s, _) in heads.items() if k in ("problems", "other_matters") and s > s4_lo]
        s4_hi = min(later) if later else min(len(text), s4_lo + 3000)
        s4 = read_review_litigation(text, t, s4_lo, s4_hi, pipe_mode)
        s4 = stream.retry_review_litigation(text, t, s4_lo, s4_hi, s4) or s4

    # collect tables
    for tb in t.proactive_tables:
        tr = s2_tables.get(tb.key)
        if tr is None:
            continue
        _collect(result, tb.key, tr)
    if not s2_tables:
        result["missing"].append({"section": "proactive", "reason": _absent_reason("proactive", doc, heads)})
    else:
        for tb in t.proactive_tables:
            tr = s2_tables.get(tb.key)
            read_rows = set(result["tables"].get(tb.key) or {})
            listed = {m.get("row") for m in result["missing"] if m.get("table") == tb.key}
            for r in tb.cell_rows:
                if r.key not in read_rows and r.key not in listed:
                    result["missing"].append(
                        {
                            "section": "proactive",
                            "table": tb.key,
                            "row": r.key,
                            "cells": [[r.key, c.key] for c in tb.value_columns],
                            "reason": f"第二部分「{tb.caption}」未找到「{r.label}」行",
                        }
                    )
            del tr
    if s3.found:
        _collect(result, "applications", s3)
    else:
        result["missing"].append(
            {"section": "applications", "reason": _absent_reason("applications", doc, heads)}
        )
    if s4 is not None and s4.found:
        _collect(result, "review_litigation", s4)
    else:
        result["missing"].append(
            {"section": "review_litigation", "reason": _absent_reason("review_litigation", doc, heads)}
        )

    s4_end = s4.span[1] if s4 is not None and s4.span else None
    _text_sections(result, text, heads, stops, s4_end)
    result["fees"] = extract_fees(result["text_sections"].get("other_matters"))

    if doc.ocr is not None:
        _drop_unread_ocr_cells(result)  # before the audit: an unread cell is no 0
    # audit
    findings = list(result["findings"])
    try:
        findings += schema_findings(result)
    except Exception as exc:  # noqa: BLE001 - rules never stop an import
        findings.append(
            {
                "rule": "import.rules_failed",
                "severity": "warning",
                "message": f"年报勾稽关系校验未能执行：{type(exc).__name__}",
                "table": None,
                "cells": [],
                "numbers": {},
            }
        )
    prose = "\n".join(result["text_sections"].get(k, "") for k in ("overview", "problems", "other_matters"))
    findings += narrative_findings(result, prose)
    if (
        year is not None
        and template_id != get_template("2019" if year <= 2020 else "2021").id
        and year >= 2019
    ):
        findings.append(
            {
                "rule": "import.template_year",
                "severity": "warning",
                "message": f"报告年度 {year} 应使用{'2019' if year <= 2020 else '2021'}年版格式，表格却是{template_id}年版格式",
                "table": None,
                "cells": [],
                "numbers": {"year": year},
            }
        )
    result["findings"] = findings
    if doc.ocr is not None:
        _judge_ocr_cells(result)
    return result


def _drop_unread_ocr_cells(result: dict[str, Any]) -> None:
    """Cells with ink but no digit read: the extractor saw a blank cell; never a number."""
    for cell in result["ocr"]["low"]:
        if cell.get("read", cell["text"].isdigit()):
            continue
        row = "count" if cell["table"] == "review_litigation" else cell["row"]
        cell["status"] = "unread"
        result["tables"].get(cell["table"], {}).get(row, {}).pop(cell["col"], None)
        result["blank_cells"] = [
            b
            for b in result["blank_cells"]
            if (b.get("table"), b.get("row"), b.get("column")) != (cell["table"], row, cell["col"])
        ]
        result["missing"].append(
            {
                "section": cell["table"],
                "table": cell["table"],
                "row": row,
                "cells": [[row, cell["col"]]],
                "reason": "图片中该单元格未能识别出数字，请人工核对原图",
            }
        )


def _judge_ocr_cells(result: dict[str, Any]) -> None:
    """Low-confidence OCR cells judged by the identities (see :mod:`.ocr_judge`): confirmed, kept
    as consistent, or rejected (value withdrawn, cell listed unread); Section 2 cells, which no
    identity of the report checks, are withdrawn (unchecked)."""
    from .ocr_judge import judge

    verdict = judge(result, get_template(result["template"])) if result.get("template") else {}
    for cell in result["ocr"]["low"]:
        if cell.get("status") == "unread":
            continue
        tables = result["tables"].get(cell["table"], {})
        row = "count" if cell["table"] == "review_litigation" else cell["row"]
        if tables.get(row, {}).get(cell["col"]) is None:
            cell["status"] = "unread"
            continue
        if cell["table"] not in ("applications", "review_litigation"):
            # Section 2: no identity of the report checks the cell, so nothing can confirm it
            cell["status"] = "unchecked"
            why = "且没有勾稽关系可以核对"
        else:
            cell["status"] = {"confirmed": "confirmed", "kept": "consistent"}.get(
                verdict.get((cell["table"], row, cell["col"]), ""), "rejected"
            )
            if cell["status"] != "rejected":
                continue
            why = "且与勾稽关系不符"
        tables[row].pop(cell["col"], None)
        result["missing"].append(
            {
                "section": "proactive" if cell["status"] == "unchecked" else cell["table"],
                "table": cell["table"],
                "row": row,
                "cells": [[row, cell["col"]]],
                "reason": f"图片识别置信度低（{cell['confidence']}）{why}，未采用，请人工核对原图",
            }
        )


def _collect(result: dict[str, Any], key: str, tr) -> None:
    if tr.values:
        result["tables"][key] = {
            r: {c: _jsonable(v) for c, v in cells.items()} for r, cells in tr.values.items()
        }
    for r, c in tr.blank:
        result["blank_cells"].append({"table": key, "row": r, "column": c})
    result["missing"].extend(tr.missing)
    result["findings"].extend(tr.notes)


def _absent_reason(section: str, doc, heads: dict[str, tuple[int, int]]) -> str:
    name = SECTION_NAMES[section]
    if section in heads:
        start = heads[section][1]
        later = [s for s, _ in heads.values() if s > start]
        end = min(later) if later else len(doc.text)
        imgs = [n for pos, n in doc.images if start <= pos < end]
        if imgs:
            return f"{name}表格为图片：{'、'.join(imgs)}"
        return f"{name}未找到表格数据（表格可能为图片或未随正文发布）"
    imgs = [n for pos, n in doc.images if pos < 0]
    if imgs:
        return f"{name}未找到表格文字，文档含图片：{'、'.join(imgs[:5])}"
    return f"{name}未找到（缺少该部分标题和表格）"


def _text_sections(result, text, heads, stops, s4_end=None) -> None:
    out = {}
    for key in ("overview", "problems", "other_matters"):
        s = section_text(text, key, heads, stops)
        if s:
            out[key] = s
    if "problems" not in out and s4_end is not None:
        end = (
            heads["other_matters"][0]
            if "other_matters" in heads and heads["other_matters"][0] > s4_end
            else len(text)
        )
        s = clean_section(text[s4_end:end])
        s = re.sub(r"^[\d\s|]+", "", s)
        if len(s) >= 10:
            out["problems"] = s
    for key in ORDER:
        if key in out:
            result["text_sections"][key] = out[key]
    for key in ("overview", "problems", "other_matters"):
        if key not in out:
            result["missing"].append({"section": key, "reason": f"{SECTION_NAMES[key]}未找到"})
