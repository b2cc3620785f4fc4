"""ReportData: JSON shape with the schema keys, tolerant reading of the import shape."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.core.report_data import FeeLine, ReportData
from gongkai.core.report_schema import get_template

EXPECTED = Path(__file__).resolve().parents[1] / "data" / "reports" / "expected.json"


def test_empty_report_has_every_declared_cell_with_the_right_type():
    for tid in ("2019", "2021"):
        t = get_template(tid)
        data = ReportData.empty(tid, "某局", 2020 if tid == "2019" else 2022)
        assert len(list(data.cells())) == sum(len(tb.cell_keys()) for tb in t.tables)
        for tk, _rk, ck, v in data.cells():
            money = t.table(tk).column(ck).type == "money"
            assert v == 0 and isinstance(v, Decimal if money else int)


def test_to_dict_shape_and_round_trip():
    data = ReportData.empty("2021", "某局", 2023, meta={"agency_id": 7})
    data.tables["art20_8"]["admin_fees"]["fee_amount"] = Decimal("0.35")
    data.tables["review_litigation"]["count"]["review_upheld"] = 1
    data.fee_line = FeeLine(1, Decimal("100"), Decimal("100"))
    d = json.loads(json.dumps(data.to_dict(), ensure_ascii=False))
    assert set(d) == {
        "template_id",
        "agency_name",
        "year",
        "tables",
        "text_sections",
        "fee_line",
        "blank_cells",
        "meta",
    }
    assert d["tables"]["art20_8"]["admin_fees"]["fee_amount"] == "0.35"
    assert d["tables"]["review_litigation"]["count"]["review_upheld"] == 1
    assert d["fee_line"] == {"notices_issued": 1, "amount_notified": "100", "amount_collected": "100"}
    assert ReportData.from_dict(d) == data


def test_from_dict_reads_the_expected_json_shape():
    report = json.loads(EXPECTED.read_text("utf-8"))["reports"][0]
    data = ReportData.from_dict(report)
    assert (data.template_id, data.year, data.agency_name) == ("2019", 2019, report["agency"])
    assert data.tables["review_litigation"]["count"]["review_total"] == 7  # flat Section 4 accepted
    assert data.value("applications", "new_received", "total") == 859
    assert data.is_blank("applications", "granted", "total")
    assert not data.is_blank("applications", "new_received", "total")
    assert data.value("art20_9", "gov_centralized_procurement", "procurement_total_amount") == Decimal(0)


def test_unknown_keys_and_bad_values_are_rejected():
    base = ReportData.empty("2021", "某局", 2023).to_dict()
    for mutate in (
        lambda d: d["tables"].update(art20_9={}),
        lambda d: d["tables"]["applications"].update(other={}),
        lambda d: d["tables"]["applications"]["granted"].update(bogus=1),
        lambda d: d["tables"]["applications"]["granted"].update(natural_person="三"),
        lambda d: d["tables"]["art20_8"]["admin_fees"].update(fee_amount="abc"),
    ):
        d = json.loads(json.dumps(base))
        mutate(d)
        with pytest.raises(ValueError):
            ReportData.from_dict(d)
