"""The imported report rebuilt in its template layout, with findings on the offending cells.

Grids come from ``gongkai.core.report_render.layout`` (the renderer of generated reports), so an
imported report is printed exactly as the template prints it; this module only adds the audit
marks: ``ri-error`` / ``ri-warning`` on cells named by a finding, ``ri-missing`` on cells the
parser could not read (shown as "？", not as 0), ``ri-blank`` on cells printed blank, and
``ri-ocr-low`` on cells read from an image with low confidence (the cell's image beside the value).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import mark_safe

from gongkai.core.report_render.layout import Grid, report_grids
from gongkai.core.report_schema import get_template


@dataclass
class Marks:
    severity: dict[tuple[str, str, str], str] = field(default_factory=dict)
    notes: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    missing: set[tuple[str, str, str]] = field(default_factory=set)
    blank: set[tuple[str, str, str]] = field(default_factory=set)
    ocr: dict[tuple[str, str, str], dict] = field(default_factory=dict)  # low-confidence OCR cells


def _cells_of(entry: dict, template_id: str) -> list[tuple[str, str, str]]:
    """(table, row, column) named by a finding / missing entry; a whole row or table when the
    entry names no cell."""
    table = entry.get("table")
    out = []
    for c in entry.get("cells") or []:
        if isinstance(c, dict):
            t, r, col = c.get("table", table), c.get("row"), c.get("column")
        elif isinstance(c, list | tuple) and len(c) == 3:
            t, r, col = c
        elif isinstance(c, list | tuple) and len(c) == 2:
            t, (r, col) = table, c
        else:
            continue
        if t and r and col:
            out.append((str(t), str(r), str(col)))
    if not out and table and template_id:
        try:
            tb = get_template(template_id).table(table)
        except KeyError:
            return out
        rows = [entry["row"]] if entry.get("row") else [r.key for r in tb.cell_rows]
        out = [(table, r, c.key) for r in rows for c in tb.value_columns]
    return out


def build_marks(parsed: dict, findings: list, template_id: str) -> Marks:
    m = Marks()
    rank = {"error": 2, "warning": 1}
    for f in findings:
        sev = "error" if str(f.get("severity", "error")).lower() == "error" else "warning"
        for key in _cells_of(f, template_id):
            if rank[sev] > rank.get(m.severity.get(key, ""), 0):
                m.severity[key] = sev
            m.notes.setdefault(key, []).append(str(f.get("message") or f.get("rule") or ""))
    for x in parsed.get("missing") or []:
        for key in _cells_of(x, template_id):
            m.missing.add(key)
            m.notes.setdefault(key, []).append("未读出：" + str(x.get("reason") or ""))
    for b in parsed.get("blank_cells") or []:
        if isinstance(b, dict) and b.get("table"):
            m.blank.add((b["table"], b.get("row"), b.get("column")))
    for c in (parsed.get("ocr") or {}).get("low") or []:
        row = "count" if c.get("table") == "review_litigation" else c.get("row")
        m.ocr[(str(c.get("table")), str(row), str(c.get("col")))] = c
    return m


OCR_STATUS = {
    "confirmed": "识别置信度低，已由勾稽关系确认",
    "consistent": "识别置信度低，所在勾稽关系均成立（但含其他低置信度单元格），请核对",
    "rejected": "识别置信度低且与勾稽关系不符，未采用",
    "unread": "未能识别",
    "unchecked": "识别置信度低，没有勾稽关系可以核对，未采用",
}


def ocr_note(c: dict) -> str:
    return f"图片识别置信度 {c.get('confidence')}：{OCR_STATUS.get(c.get('status', ''), '识别置信度低')}"


def _cell_html(cell, tag: str, marks: Marks) -> str:
    classes = [f"gk-{cell.role}"]
    attrs = []
    text = cell.text
    crop = ""
    if cell.rowspan > 1:
        attrs.append(f'rowspan="{cell.rowspan}"')
    if cell.colspan > 1:
        attrs.append(f'colspan="{cell.colspan}"')
    if cell.key:
        attrs.append('data-cell="{}"'.format(escape(".".join(cell.key))))
        if cell.key in marks.missing:
            classes.append("ri-missing")
            text = "？"
        if cell.key in marks.blank:
            classes.append("ri-blank")
        sev = marks.severity.get(cell.key)
        if sev:
            classes.append(f"ri-{sev}")
        notes = list(marks.notes.get(cell.key) or [])
        ocr = marks.ocr.get(cell.key)
        if ocr:
            classes.append("ri-ocr-low")
            notes.append(ocr_note(ocr))
            if ocr.get("crop"):
                crop = '<img class="ri-crop" alt="原图该单元格" src="data:image/png;base64,{}">'.format(
                    escape(ocr["crop"])
                )
        if notes:
            attrs.append('title="{}"'.format(escape("\n".join(notes))))
    attrs.insert(0, 'class="{}"'.format(" ".join(classes)))
    return f"<{tag} {' '.join(attrs)}>{escape(text)}{crop}</{tag}>"


def grid_html(grid: Grid, marks: Marks) -> str:
    out = [f'<table class="gk-table ri-table {grid.css_class}" data-grid="{escape(grid.key)}">']
    if grid.header_rows:
        out.append("<thead>")
        for row in grid.rows[: grid.header_rows]:
            out.append("<tr>" + "".join(_cell_html(c, "th", marks) for c in row) + "</tr>")
        out.append("</thead>")
    out.append("<tbody>")
    for row in grid.rows[grid.header_rows :]:
        out.append("<tr>" + "".join(_cell_html(c, "td", marks) for c in row) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def report_data_of(report):
    """A normalised ReportData of an imported report (None without a recognised template)."""
    if not report.template_id:
        return None
    from gongkai.core.report_parse import to_report_data

    result = dict(report.parsed)
    result.update(
        template=report.template_id, agency=report.agency.name, year=report.year, source=report.source_name
    )
    return to_report_data(result).normalized()


def section_blocks(report) -> list[dict]:
    """The six sections in order: title, text, and the table HTML with audit marks."""
    data = report_data_of(report)
    if data is None:
        return []
    marks = build_marks(report.parsed, report.findings, report.template_id)
    grids = report_grids(data)
    missing_sections = {x.get("section") for x in report.missing if not x.get("table")}
    out = []
    for s in data.template.sections:
        text = (report.parsed.get("text_sections") or {}).get(s.key) or ""
        out.append(
            {
                "key": s.key,
                "title": s.title,
                "text": text,
                "missing": s.key in missing_sections,
                "tables": mark_safe("\n".join(grid_html(g, marks) for g in grids.get(s.key, []))),
            }
        )
    return out
