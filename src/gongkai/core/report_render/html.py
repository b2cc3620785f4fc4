"""HTML of the whole annual report: six sections in order, tables exactly as printed.

CSS borders (not ``border=1``), A4 print CSS with 公文 margins, fonts named explicitly
('Noto Serif CJK SC' / 'Noto Sans CJK SC'). The CSS and the page skeleton are in ``templates/``
(``string.Template``; no Django templates in core).

Pure Python: no Django import.
"""

from __future__ import annotations

from functools import cache
from html import escape
from pathlib import Path
from string import Template as PageTemplate

from gongkai.core.report_data import ReportData
from gongkai.core.report_render.layout import (
    MISSING_TEXT,
    Grid,
    is_region_report,
    opening_paragraph,
    report_grids,
    report_title,
    report_title_parts,
    section_paragraphs,
)

TEMPLATES = Path(__file__).with_name("templates")

__all__ = ["grid_html", "render_html", "render_html_fragment", "report_css", "report_title"]


@cache
def report_css() -> str:
    return (TEMPLATES / "report.css").read_text("utf-8")


@cache
def _page() -> PageTemplate:
    return PageTemplate((TEMPLATES / "page.html").read_text("utf-8"))


def _cell_html(cell, tag: str = "td") -> str:
    attrs = [f'class="gk-{cell.role}"']
    if cell.rowspan > 1:
        attrs.append(f'rowspan="{cell.rowspan}"')
    if cell.colspan > 1:
        attrs.append(f'colspan="{cell.colspan}"')
    if cell.key:
        tk, rk, ck = cell.key
        attrs.append(f'data-cell="{escape(tk)}.{escape(rk)}.{escape(ck)}"')
    return f"<{tag} {' '.join(attrs)}>{escape(cell.text)}</{tag}>"


def grid_html(grid: Grid) -> str:
    out = [f'<table class="gk-table {grid.css_class}">', "<colgroup>"]
    out += [f'<col style="width:{w:.2f}%">' for w in grid.widths]
    out.append("</colgroup>")
    if grid.header_rows:
        out.append("<thead>")
        for row in grid.rows[: grid.header_rows]:
            out.append("<tr>" + "".join(_cell_html(c, "th") for c in row) + "</tr>")
        out.append("</thead>")
    out.append("<tbody>")
    for row in grid.rows[grid.header_rows :]:
        out.append("<tr>" + "".join(_cell_html(c) for c in row) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def render_html_fragment(data: ReportData) -> str:
    """``<article class="gk-report">`` with title and the six sections (embed with ``report_css()``)."""
    data = data.normalized()
    grids = report_grids(data)
    parts = [f'<article class="gk-report" data-template="{escape(data.template_id)}">']
    who, tail = report_title_parts(data.agency_name, data.year, is_region_report(data))
    parts.append(f'<h1>{escape(who)}<span class="gk-nowrap">{escape(tail)}</span></h1>')
    parts.append(f'<p class="gk-opening">{escape(opening_paragraph(data))}</p>')
    for s in data.template.sections:
        parts.append(f'<section class="gk-section" data-section="{escape(s.key)}">')
        parts.append(f"<h2>{escape(s.title)}</h2>")
        for p in section_paragraphs(data, s.key):
            cls = ' class="gk-missing"' if p == MISSING_TEXT else ""
            parts.append(f"<p{cls}>{escape(p)}</p>")
        for g in grids.get(s.key, []):
            parts.append(grid_html(g))
        parts.append("</section>")
    parts.append("</article>")
    return "\n".join(parts)


def render_html(data: ReportData) -> str:
    """A complete HTML page (A4 print CSS) of the report."""
    return _page().substitute(
        title=escape(report_title(data)), css=report_css(), body=render_html_fragment(data)
    )
