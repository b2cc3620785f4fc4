"""Export of imported report cells (导出): CSV and Parquet, one row per cell.

Columns: report_id, agency_id, agency, year, template, table, row_key, column_key, value, blank.
``value`` is the number as read (counts are integers, money columns decimals); ``blank`` is true
when the published report left the cell empty (stored as 0). Rows are streamed: the exports of
10,000 reports (about 3 million cells) never sit in memory at once.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .models import ImportedReport

SCALE = 10
QUANTUM = Decimal(1).scaleb(-SCALE)
COLUMNS = (
    "report_id",
    "agency_id",
    "agency",
    "year",
    "template",
    "table",
    "row_key",
    "column_key",
    "value",
    "blank",
)


def _blank_set(blank: Any) -> set[tuple[str, str, str]]:
    """Blank cells as (table, row, column), from the shapes the parser / ReportData use:
    ``{table: {row: [col]}}``, ``{row: [col]}`` (Section 3), or a list of dicts/tuples/strings."""
    out: set[tuple[str, str, str]] = set()
    if isinstance(blank, dict):
        for k, v in blank.items():
            if isinstance(v, dict):
                for rk, cols in v.items():
                    out |= {(k, rk, c) for c in cols or ()}
            elif isinstance(v, list | tuple):
                out |= {("applications", k, c) for c in v}
    elif isinstance(blank, list | tuple):
        for b in blank:
            cell = cell_ref(b)
            if cell:
                out.add(cell)
    return out


def cell_ref(b: Any) -> tuple[str, str, str] | None:
    """(table, row, column) from a cell reference: dict, 3-sequence or "table.row.column"."""
    if isinstance(b, dict):
        t, r, c = (
            b.get("table"),
            b.get("row") or b.get("row_key"),
            b.get("column") or b.get("col") or b.get("column_key"),
        )
        if t and r and c:
            return str(t), str(r), str(c)
        return None
    if isinstance(b, list | tuple) and len(b) == 3:
        return str(b[0]), str(b[1]), str(b[2])
    if isinstance(b, str):
        parts = b.replace("/", ".").replace(":", ".").split(".")
        if len(parts) == 3:
            return parts[0], parts[1], parts[2]
    return None


def _number(v: Any) -> int | Decimal | None:
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    try:
        d = Decimal(str(v))
    except InvalidOperation:
        return None
    return int(d) if d == d.to_integral_value() and "." not in str(v) else d


def iter_cells(reports: Iterable[ImportedReport]) -> Iterator[tuple]:
    """(report_id, agency_id, agency, year, template, table, row_key, column_key, value, blank)."""
    for rep in reports:
        tables = rep.parsed.get("tables") or {}
        blank = _blank_set(rep.parsed.get("blank_cells"))
        agency = rep.agency.name
        for tk, rows in tables.items():
            if not isinstance(rows, dict):
                continue
            for rk, cells in rows.items():
                if not isinstance(cells, dict):  # a flat single-row table {column: n}
                    cells, rk = {rk: cells}, "count"
                for ck, v in cells.items():
                    yield (
                        rep.pk,
                        rep.agency_id,
                        agency,
                        rep.year,
                        rep.template_id,
                        tk,
                        rk,
                        ck,
                        _number(v),
                        (tk, rk, ck) in blank,
                    )


def _reports(queryset) -> Iterator[ImportedReport]:
    return queryset.select_related("agency").order_by("pk").iterator(chunk_size=500)


def write_csv(queryset, out, *, header: bool = True) -> int:
    """Write the cells of ``queryset`` to a text stream (or path); returns the row count."""
    if isinstance(out, str | Path):
        with open(out, "w", encoding="utf-8-sig", newline="") as fh:
            return write_csv(queryset, fh, header=header)
    w = csv.writer(out)
    if header:
        w.writerow(COLUMNS)
    n = 0
    for row in iter_cells(_reports(queryset)):
        w.writerow(row[:-1] + ("1" if row[-1] else "0",))
        n += 1
    return n


def write_parquet(queryset, path: str | Path, *, rows_per_group: int = 200_000) -> int:
    """Write the cells of ``queryset`` to a Parquet file; ``value`` is decimal(38, 10).

    Ten decimal places hold every amount printed in reports (fees in 万元 carry up to six)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("report_id", pa.int64()),
            ("agency_id", pa.int64()),
            ("agency", pa.string()),
            ("year", pa.int16()),
            ("template", pa.string()),
            ("table", pa.string()),
            ("row_key", pa.string()),
            ("column_key", pa.string()),
            ("value", pa.decimal128(38, SCALE)),
            ("blank", pa.bool_()),
        ]
    )
    n = 0
    buf: list[tuple] = []

    def flush(writer):
        cols = list(zip(*buf, strict=True))
        arrays = [
            pa.array(list(col), type=f.type)
            if f.name != "value"
            else pa.array([None if v is None else Decimal(v).quantize(QUANTUM) for v in col], type=f.type)
            for col, f in zip(cols, schema, strict=True)
        ]
        writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
        buf.clear()

    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        for row in iter_cells(_reports(queryset)):
            buf.append(row)
            n += 1
            if len(buf) >= rows_per_group:
                flush(writer)
        if buf or n == 0:
            if buf:
                flush(writer)
            else:
                writer.write_table(schema.empty_table())
    return n


def export(queryset, path: str | Path) -> int:
    """CSV or Parquet by the file suffix (``.csv`` / ``.parquet``)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return write_csv(queryset, path)
    if suffix in (".parquet", ".pq"):
        return write_parquet(queryset, path)
    raise ValueError(f"unsupported export format {suffix!r}: use .csv or .parquet")
