"""Printed layout of the report tables as a grid of merged cells, built from ``report_schema``.

HTML and DOCX both render these grids, so the two stay identical:

- Section 2: ONE table for all 第二十条 items, as printed: a caption row per item spanning the
  width, a 信息内容 header row, then the data rows. Items with fewer value columns spread them
  over the width (Shanghai 2019 layout: 3 columns as 1|2|1 over 4, 2 columns as 2|2; 2021: a
  single column spans 3).
- Section 3: the top-left note cell (colspan = label columns, rowspan = header rows), the column
  header tree 申请人情况 → 自然人 | 法人或其他组织(5) | 总计, the row-label tree with row-spanning
  group labels (三、本年度办理结果, （三）不予公开 …).
- Section 4: the column header tree 行政复议(5) | 行政诉讼(10) → 未经复议直接起诉(5) | 复议后起诉(5).

Pure Python: no Django import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from gongkai.core.report_data import Number, ReportData
from gongkai.core.report_schema import Row, Table, Template


@dataclass
class Cell:
    text: str
    role: str  # note | caption | head | label | group | value
    rowspan: int = 1
    colspan: int = 1
    key: tuple[str, str, str] | None = None  # (table, row, column) for value cells


@dataclass
class Grid:
    key: str  # "proactive" | table key
    ncols: int
    rows: list[list[Cell]] = field(default_factory=list)
    header_rows: int = 0
    widths: list[float] = field(default_factory=list)  # relative column widths, sum 100
    css_class: str = ""


def format_value(v: Number) -> str:
    if isinstance(v, Decimal):
        if v == v.to_integral_value():
            return str(int(v))
        return format(v.normalize(), "f")
    return str(v)


def _value_text(data: ReportData, table: str, row: str, column: str) -> str:
    """The printed cell: the number, or nothing where the source report left the cell blank."""
    if data.is_blank(table, row, column):
        return ""
    return format_value(data.value(table, row, column))


def _spans(k: int, width: int) -> list[int]:
    base, rem = divmod(width, k)
    spans = [base] * k
    centre = (k - 1) / 2
    for i in sorted(range(k), key=lambda i: (abs(i - centre), i))[:rem]:
        spans[i] += 1
    return spans


def proactive_grid(data: ReportData) -> Grid:
    t = data.template
    tables = t.proactive_tables
    counts = [len(tb.value_columns) for tb in tables]
    width = max(counts)
    if any(width % k for k in counts):
        width += 1
    grid = Grid("proactive", 1 + width, css_class="gk-t2")
    grid.widths = [28.0] + [72.0 / width] * width
    for tb in tables:
        spans = _spans(len(tb.value_columns), width)
        grid.rows.append([Cell(tb.caption or "", "caption", colspan=1 + width)])
        label_col = next((c for c in tb.columns if c.is_label), None)
        head = [Cell(label_col.label if label_col else "", "head")]
        head += [Cell(c.label, "head", colspan=s) for c, s in zip(tb.value_columns, spans, strict=True)]
        grid.rows.append(head)
        for r in tb.cell_rows:
            row = [Cell(r.label or "", "label")]
            for c, s in zip(tb.value_columns, spans, strict=True):
                row.append(
                    Cell(
                        _value_text(data, tb.key, r.key, c.key),
                        "value",
                        colspan=s,
                        key=(tb.key, r.key, c.key),
                    )
                )
            grid.rows.append(row)
    return grid


def _column_paths(tb: Table) -> list[tuple[str, ...]]:
    root = (tb.caption,) if tb.caption else ()
    return [root + c.path for c in tb.value_columns]


def _header(tb: Table, label_cols: int) -> list[list[Cell]]:
    cols = tb.value_columns
    paths = _column_paths(tb)
    depth = max(len(p) for p in paths) + 1
    rows: list[list[Cell]] = []
    for level in range(depth):
        row: list[Cell] = []
        if level == 0 and label_cols:
            row.append(Cell(tb.header_note or "", "note", rowspan=depth, colspan=label_cols))
        i = 0
        while i < len(cols):
            p = paths[i]
            if level < len(p):
                j = i
                while j < len(cols) and paths[j][: level + 1] == p[: level + 1]:
                    j += 1
                row.append(Cell(p[level], "head", colspan=j - i))
                i = j
                continue
            if level == len(p):
                row.append(Cell(cols[i].label, "head", rowspan=depth - level))
            i += 1
        rows.append(row)
    return rows


def _depth(tb: Table, row: Row) -> int:
    d = 0
    while row.parent:
        row = tb.row(row.parent)
        d += 1
    return d


def _ancestors(tb: Table, row: Row) -> list[Row]:
    out = []
    while row.parent:
        row = tb.row(row.parent)
        out.append(row)
    return out[::-1]


def table_grid(data: ReportData, tb: Table) -> Grid:
    """Grid of a Section 3 or Section 4 style table (column header tree, row label tree)."""
    cell_rows = tb.cell_rows
    has_labels = any(r.label for r in cell_rows)
    label_cols = (max(_depth(tb, r) for r in cell_rows) + 1) if has_labels else 0
    grid = Grid(tb.key, label_cols + len(tb.value_columns), css_class=f"gk-{tb.key}")
    grid.rows = _header(tb, label_cols)
    grid.header_rows = len(grid.rows)
    descendants: dict[str, list[str]] = {}
    for r in cell_rows:
        for a in _ancestors(tb, r):
            descendants.setdefault(a.key, []).append(r.key)
    for r in cell_rows:
        row: list[Cell] = []
        if label_cols:
            for a in _ancestors(tb, r):
                if descendants[a.key][0] == r.key:
                    role = "group" if a.kind == "group_label" else "label"
                    row.append(Cell(a.label or "", role, rowspan=len(descendants[a.key])))
            row.append(Cell(r.label or "", "label", colspan=label_cols - _depth(tb, r)))
        for c in tb.value_columns:
            row.append(Cell(_value_text(data, tb.key, r.key, c.key), "value", key=(tb.key, r.key, c.key)))
        grid.rows.append(row)
    n = len(tb.value_columns)
    if label_cols:
        label_share = 46.0
        lw = [label_share * w for w in _label_weights(label_cols)]
        grid.widths = lw + [(100.0 - label_share) / n] * n
    else:
        grid.widths = [100.0 / n] * n
    return grid


def _label_weights(k: int) -> list[float]:
    if k == 1:
        return [1.0]
    inner = [0.17] * (k - 1)
    return inner + [1.0 - sum(inner)]


def report_grids(data: ReportData) -> dict[str, list[Grid]]:
    """``{section_key: [grids]}`` for the table sections, in print order."""
    t: Template = data.template
    out: dict[str, list[Grid]] = {}
    for s in t.sections:
        if s.key == "proactive" and t.proactive_tables:
            out[s.key] = [proactive_grid(data)]
        else:
            grids = [table_grid(data, tb) for tb in t.tables if tb.section == s.key and s.key != "proactive"]
            if grids:
                out[s.key] = grids
    return out


def expand(grid: Grid) -> list[list[Cell | None]]:
    """The grid as a full matrix: each cell at its top-left position, covered positions None.
    Raises ValueError if rows do not tile the width exactly (a layout bug)."""
    n_rows = len(grid.rows)
    matrix: list[list[Cell | None | bool]] = [[False] * grid.ncols for _ in range(n_rows)]
    for ri, row in enumerate(grid.rows):
        ci = 0
        for cell in row:
            while ci < grid.ncols and matrix[ri][ci] is not False:
                ci += 1
            if ci + cell.colspan > grid.ncols or ri + cell.rowspan > n_rows:
                raise ValueError(f"grid {grid.key}: cell {cell.text!r} overflows at row {ri}")
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if matrix[ri + dr][ci + dc] is not False:
                        raise ValueError(f"grid {grid.key}: overlap at ({ri + dr}, {ci + dc})")
                    matrix[ri + dr][ci + dc] = None
            matrix[ri][ci] = cell
            ci += cell.colspan
    for ri, row in enumerate(matrix):
        if any(x is False for x in row):
            raise ValueError(f"grid {grid.key}: row {ri} not fully covered")
    return matrix  # type: ignore[return-value]


MISSING_TEXT = "（本部分尚未填写）"


TITLE_TAIL = "年政府信息公开工作年度报告"


def region_name(agency_name: str) -> str:
    """The region a government heads: 临江市人民政府 → 临江市; 某县某镇人民政府 → 某县某镇.
    Any other agency (a department with subordinate units): its name and 「系统」."""
    for suffix in ("人民政府办公厅", "人民政府办公室", "人民政府"):
        if agency_name.endswith(suffix) and len(agency_name) > len(suffix):
            return agency_name[: -len(suffix)]
    return f"{agency_name}系统"


def is_region_report(data: ReportData) -> bool:
    """A report of an agency and every agency below it (本行政区域)."""
    return (data.meta or {}).get("scope") == "subtree"


def report_title_parts(agency_name: str, year: int, region: bool = False) -> tuple[str, str]:
    """``(who, "2025年政府信息公开工作年度报告")``: the title breaks only between the two."""
    who = region_name(agency_name) if region else agency_name
    return who, f"{year}{TITLE_TAIL}"


def report_title(data: ReportData) -> str:
    """e.g. 某某市人民政府办公室2023年政府信息公开工作年度报告; a region's report is titled for the
    region (临江市2023年政府信息公开工作年度报告), not like the government's own report."""
    return "".join(report_title_parts(data.agency_name, data.year, is_region_report(data)))


def opening_paragraph(data: ReportData) -> str:
    """The paragraph every real report opens with: the legal basis and the statistical period."""
    who = f"{region_name(data.agency_name)}各级行政机关" if is_region_report(data) else "本机关"
    return (
        f"本报告依据《中华人民共和国政府信息公开条例》第五十条编制，反映{who}"
        f"{data.year}年度政府信息公开工作情况。所列数据的统计期限自{data.year}年1月1日起至"
        f"{data.year}年12月31日止。"
    )


def fee_line_text(data: ReportData) -> str | None:
    """Section 6 sentence on 信息处理费 (only when a fee line is present)."""
    f = data.fee_line
    if f is None:
        return None
    return (
        "依据《政府信息公开信息处理费管理办法》收取信息处理费的情况：本年度发出收费通知"
        f"{f.notices_issued}件，收费通知总金额{format_value(f.amount_notified)}元，"
        f"实际收取总金额{format_value(f.amount_collected)}元。"
    )


def section_paragraphs(data: ReportData, section_key: str) -> list[str]:
    """Paragraphs of a section's text (one per non-empty line), plus the fee line in Section 6.
    A text-only section with nothing written gets ``MISSING_TEXT``."""
    t = data.template
    text = data.text_sections.get(section_key) or ""
    paras = [p.strip() for p in text.splitlines() if p.strip()]
    if section_key == t.sections[-1].key:
        fee = fee_line_text(data)
        if fee:
            paras.append(fee)
    if not paras and t.section(section_key).kind == "text":
        paras = [MISSING_TEXT]
    return paras
