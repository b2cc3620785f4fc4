"""CSV (one line per cell) and JSON (schema keys) export of an annual report.

CSV columns: table, row_key, row_label, column_key, column_label, value. Column labels are the
qualified labels (groups joined by "－", e.g. 行政诉讼－复议后起诉－总计) so none is ambiguous.
When the report has a fee line, three lines with table ``fee_line`` follow.

Pure Python: no Django import.
"""

from __future__ import annotations

import csv
import io
import json

from gongkai.core.report_data import FEE_LINE_LABELS, ReportData
from gongkai.core.report_render.layout import format_value

CSV_HEADER = ("table", "row_key", "row_label", "column_key", "column_label", "value")


def csv_rows(data: ReportData):
    data = data.normalized()
    t = data.template
    for tb in t.tables:
        for r in tb.cell_rows:
            for c in tb.value_columns:
                yield (
                    tb.key,
                    r.key,
                    r.label or "",
                    c.key,
                    c.qualified_label,
                    # a blank cell stays blank (derived totals of a report that printed none too)
                    ""
                    if data.is_blank(tb.key, r.key, c.key)
                    else format_value(data.value(tb.key, r.key, c.key)),
                )
    if data.fee_line is not None:
        for key, label in FEE_LINE_LABELS.items():
            yield (
                "fee_line",
                "fee_line",
                "信息处理费",
                key,
                label,
                format_value(getattr(data.fee_line, key)),
            )


def render_csv(data: ReportData) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_HEADER)
    w.writerows(csv_rows(data))
    return buf.getvalue()


def render_json(data: ReportData, indent: int | None = 2) -> str:
    return json.dumps(data.normalized().to_dict(), ensure_ascii=False, indent=indent)
