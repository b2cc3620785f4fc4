"""CSV / Parquet export: one row per cell, values as read, blanks flagged."""

from __future__ import annotations

import csv
from decimal import Decimal

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from gongkai.core.report_parse import parse_path
from gongkai.report_import.corpus import fixtures_dir
from gongkai.report_import.export import COLUMNS
from gongkai.report_import.models import ImportedReport
from gongkai.report_import.services import save_parsed_report

pytestmark = pytest.mark.django_db

FILES = [
    "2019_shanghai-bgt_html.html",
    "2021_pingtan-gaj_flattext.txt",
    "2024_shanghai-kewei_pdfmd.txt",
    "2021_pingtan_flattext.txt",
]  # the last has a fee of 24252.311082 万元


@pytest.fixture
def reports():
    parsed = [parse_path(fixtures_dir() / n) for n in FILES]
    return parsed, [save_parsed_report(p) for p in parsed]


def expected_rows(parsed, reps):
    out = {}
    for p, r in zip(parsed, reps, strict=True):
        blank = {(b["table"], b["row"], b["column"]) for b in p["blank_cells"]}
        for tk, rows in p["tables"].items():
            for rk, cells in rows.items():
                for ck, v in cells.items():
                    out[(r.pk, tk, rk, ck)] = (
                        r.agency.name,
                        r.year,
                        r.template_id,
                        Decimal(str(v)),
                        (tk, rk, ck) in blank,
                    )
    return out


def test_csv_has_every_cell(tmp_path, reports):
    parsed, reps = reports
    out = tmp_path / "cells.csv"
    call_command("export_imports", str(out))
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0].keys()) == COLUMNS
    exp = expected_rows(parsed, reps)
    got = {
        (int(r["report_id"]), r["table"], r["row_key"], r["column_key"]): (
            r["agency"],
            int(r["year"]),
            r["template"],
            Decimal(r["value"]),
            r["blank"] == "1",
        )
        for r in rows
    }
    assert got == exp
    assert len(rows) == len(exp) > 300
    # the Shanghai 2019 report left cells blank: flagged, value 0
    sh = reps[0]
    assert any(r["blank"] == "1" and r["value"] == "0" for r in rows if int(r["report_id"]) == sh.pk)
    assert {r["template"] for r in rows} == {"2019", "2021"}


def test_parquet_matches_csv_and_filters(tmp_path, reports):
    parsed, reps = reports
    out = tmp_path / "cells.parquet"
    call_command("export_imports", str(out))
    t = pq.read_table(out)
    assert t.column_names == list(COLUMNS)
    exp = expected_rows(parsed, reps)
    got = {
        (r["report_id"], r["table"], r["row_key"], r["column_key"]): (
            r["agency"],
            r["year"],
            r["template"],
            r["value"],
            r["blank"],
        )
        for r in t.to_pylist()
    }
    assert got == exp
    # money column keeps its decimals (2019 Shanghai: 采购总金额)
    money = [r for r in t.to_pylist() if r["column_key"] == "procurement_total_amount" and r["value"]]
    assert money and all(isinstance(r["value"], Decimal) for r in money)
    fee = [r["value"] for r in t.to_pylist() if r["column_key"] == "fee_amount" and r["value"]]
    assert Decimal("24252.311082") in fee
    # filtered by year
    out2 = tmp_path / "y2021.parquet"
    call_command("export_imports", str(out2), year=[2021])
    assert set(pq.read_table(out2).column("year").to_pylist()) == {2021}
    assert ImportedReport.objects.count() == 4
