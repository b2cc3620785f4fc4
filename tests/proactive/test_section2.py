import datetime as dt
import io
import random
from decimal import Decimal

import pytest
from openpyxl import Workbook

from gongkai.agencies.models import Agency, AgencyKind
from gongkai.core import record_lifecycle as lc
from gongkai.core.report_schema import get_template
from gongkai.proactive.models import ART20_KIND_CHOICES, Art20Count
from gongkai.proactive.services import Art20ImportError, import_art20_counts, parse_art20_file
from gongkai.proactive.stats import section2
from gongkai.records.models import Record

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def agencies():
    city = Agency.objects.create(name="某市人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="市")
    dept = Agency.objects.create(
        name="某市教育局", kind=AgencyKind.DEPARTMENT, parent=city, tracking_prefix="教"
    )
    return city, dept


KIND_CATEGORY = {"rules": lc.RULE, "admin_normative_docs": lc.NORMATIVE}


def doc(agency, kind, issued, abolished=None, published_on=None, validity=None, state=None):
    """A record as the lifecycle leaves it (states and dates written directly: this tests counting)."""
    if state is None:
        state = lc.PUBLISHED if published_on else lc.WITHHELD
        if abolished:
            state = {lc.VALIDITY_EXPIRED: lc.EXPIRED, lc.VALIDITY_AMENDED: lc.AMENDED}.get(
                validity, lc.REPEALED
            )
    return Record.objects.create(
        agency=agency,
        category=KIND_CATEGORY[kind],
        title=f"文件{issued}",
        written_on=issued,
        published_on=published_on,
        state=state,
        validity=(validity or lc.VALIDITY_REPEALED) if abolished else lc.IN_FORCE,
        validity_changed_on=abolished,
    )


def test_art20_1_counts_by_dates_in_both_templates(agencies):
    city, dept = agencies
    doc(city, "rules", D(2021, 5, 1), published_on=D(2021, 5, 3))
    doc(city, "rules", D(2022, 3, 1), published_on=D(2022, 3, 2))
    doc(city, "rules", D(2020, 1, 1), abolished=D(2022, 6, 1), published_on=D(2020, 1, 5))
    doc(city, "admin_normative_docs", D(2022, 2, 1), abolished=D(2023, 1, 1), published_on=D(2022, 2, 2))
    doc(dept, "admin_normative_docs", D(2022, 12, 31), published_on=D(2023, 1, 4))
    # neither a draft nor an other policy document counts
    doc(dept, "admin_normative_docs", D(2022, 5, 5), state=lc.DRAFT)
    Record.objects.create(
        agency=dept, category=lc.POLICY, title="其他政策文件", written_on=D(2022, 5, 5), state=lc.PUBLISHED
    )
    s = section2([city.pk, dept.pk], 2022, "2021")["art20_1"]
    assert s["rules"] == {"issued": 1, "repealed": 1, "in_force": 2}
    assert s["admin_normative_docs"] == {"issued": 2, "repealed": 0, "in_force": 2}
    s23 = section2([city.pk, dept.pk], 2023, "2021")["art20_1"]
    assert s23["admin_normative_docs"] == {"issued": 0, "repealed": 1, "in_force": 1}
    # 2019 layout: new made / new published / total published (cumulative)
    s19 = section2([city.pk, dept.pk], 2020, "2019")["art20_1"]
    assert s19["rules"] == {"new_made": 1, "new_published": 1, "total_published": 1}
    assert s19["normative_docs"] == {"new_made": 0, "new_published": 0, "total_published": 0}
    s19b = section2([city.pk, dept.pk], 2022, "2019")["art20_1"]
    assert s19b["normative_docs"] == {"new_made": 2, "new_published": 1, "total_published": 1}


def test_amended_and_expired_leave_in_force_but_only_repealed_and_expired_count_as_repealed(agencies):
    city, _ = agencies
    doc(
        city,
        "admin_normative_docs",
        D(2021, 1, 4),
        abolished=D(2022, 3, 1),
        published_on=D(2021, 1, 5),
        validity=lc.VALIDITY_AMENDED,
    )
    doc(
        city,
        "admin_normative_docs",
        D(2021, 1, 4),
        abolished=D(2022, 3, 1),
        published_on=D(2021, 1, 5),
        validity=lc.VALIDITY_EXPIRED,
    )
    s = section2([city.pk], 2022, "2021")["art20_1"]["admin_normative_docs"]
    assert s == {"issued": 0, "repealed": 1, "in_force": 0}
    assert section2([city.pk], 2021, "2021")["art20_1"]["admin_normative_docs"]["in_force"] == 2


def _expected(records, year):
    """Section 2 (2021 layout) counted in plain Python from the records."""
    end = D(year, 12, 31)
    out = {"rules": dict.fromkeys(("issued", "repealed", "in_force"), 0)}
    out["admin_normative_docs"] = dict(out["rules"])
    for r in records:
        if r.category not in lc.SECTION2_ROWS or r.state not in lc.ISSUED_STATES:
            continue
        row = out[lc.SECTION2_ROWS[r.category]]
        row["issued"] += r.written_on.year == year
        ended = r.validity in (lc.VALIDITY_REPEALED, lc.VALIDITY_EXPIRED)
        row["repealed"] += ended and r.validity_changed_on.year == year
        gone = r.validity != lc.IN_FORCE and r.validity_changed_on <= end
        row["in_force"] += r.written_on <= end and r.state not in lc.UNPUBLISHED_STATES and not gone
    return out


def test_section2_counts_equal_the_records(agencies):
    rng = random.Random(9)
    city, dept = agencies
    for _ in range(300):
        issued = D(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 7 * 365))
        ended = issued + dt.timedelta(days=rng.randint(1, 900)) if rng.random() < 0.4 else None
        doc(
            rng.choice([city, dept]),
            rng.choice(list(KIND_CATEGORY)),
            issued,
            abolished=ended,
            published_on=issued + dt.timedelta(days=rng.randint(0, 30))
            if rng.random() < 0.9 or ended
            else None,
            validity=rng.choice([lc.VALIDITY_REPEALED, lc.VALIDITY_EXPIRED, lc.VALIDITY_AMENDED]),
            state=rng.choice([None, None, None, lc.DRAFT, lc.APPROVED]) if not ended else None,
        )
    records = list(Record.objects.all())
    for year in range(2019, 2027):
        assert section2([city.pk, dept.pk], year, "2021")["art20_1"] == _expected(records, year), year


def test_art20_counts_map_onto_each_template(agencies):
    city, dept = agencies
    Art20Count.objects.create(
        agency=city, year=2022, kind="admin_licensing", decisions=10, prev_year_items=5, change=-1
    )
    Art20Count.objects.create(agency=dept, year=2022, kind="admin_licensing", decisions=7)
    Art20Count.objects.create(agency=dept, year=2022, kind="admin_fees", fee_amount=Decimal("12.5"))
    Art20Count.objects.create(
        agency=dept,
        year=2022,
        kind="gov_centralized_procurement",
        procurement_items=3,
        procurement_amount=Decimal("251000"),
    )
    s = section2([city.pk, dept.pk], 2022, "2021")
    assert set(s) == {t.key for t in get_template("2021").proactive_tables}
    assert s["art20_5"] == {"admin_licensing": {"decisions": 17}}
    assert s["art20_8"]["admin_fees"]["fee_amount"] == Decimal("12.5")
    assert s["art20_6"]["admin_penalty"] == {"decisions": 0}
    s19 = section2([city.pk, dept.pk], 2022, "2019")
    assert s19["art20_5"]["admin_licensing"] == {"prev_year_items": 5, "change": -1, "decisions": 17}
    assert s19["art20_9"]["gov_centralized_procurement"]["procurement_items"] == 3
    assert s19["art20_9"]["gov_centralized_procurement"]["procurement_total_amount"] == Decimal("251000")
    # single agency
    assert section2([city.pk], 2022, "2021")["art20_5"]["admin_licensing"]["decisions"] == 10


def _csv(rows):
    buf = io.StringIO()
    for r in rows:
        buf.write(",".join(str(x) for x in r) + "\n")
    return buf.getvalue().encode("utf-8")


HEADER = ["机关", "年度", "事项", "本年处理决定数量", "上一年项目数量", "本年增/减", "本年收费金额（万元）"]


def test_csv_import_saves_all_rows(agencies):
    city, dept = agencies
    labels = dict(ART20_KIND_CHOICES)
    data = _csv(
        [
            HEADER,
            [city.name, 2022, labels["admin_licensing"], 12, 4, "+2", ""],
            [dept.pk, 2022, "admin_fees", "", "", "", "3.25"],
        ]
    )
    res = import_art20_counts("counts.csv", data)
    assert (res.created, res.updated) == (2, 0)
    assert Art20Count.objects.get(agency=city, kind="admin_licensing").change == 2
    assert Art20Count.objects.get(agency=dept, kind="admin_fees").fee_amount == Decimal("3.25")
    res = import_art20_counts("counts.csv", data)
    assert (res.created, res.updated) == (0, 2)


def test_import_with_any_error_saves_nothing(agencies):
    city, dept = agencies
    data = _csv(
        [
            HEADER,
            [city.name, 2022, "admin_licensing", 12, 4, 2, ""],
            ["不存在的机关", 2022, "admin_penalty", 1, "", "", ""],
            [dept.name, "二〇二二", "罚款", -3, "", "x", "-1"],
            [city.name, 2022, "admin_licensing", 1, "", "", ""],
        ]
    )
    with pytest.raises(Art20ImportError) as exc:
        import_art20_counts("counts.csv", data)
    errs = exc.value.errors
    assert errs[0].startswith("第3行") and "找不到机关“不存在的机关”" in errs[0]
    assert errs[1].startswith("第4行")
    assert "“年度”应为四位年份" in errs[1] and "未知的事项“罚款”" in errs[1]
    assert "“本年处理决定数量”应为非负整数" in errs[1] and "“本年增/减”应为整数" in errs[1]
    assert "“本年收费金额（万元）”应为非负金额" in errs[1]
    assert errs[2].startswith("第5行") and "与第2行重复" in errs[2]
    assert Art20Count.objects.count() == 0


def test_xlsx_import_and_permission(agencies):
    city, dept = agencies
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append([city.name, 2023, "行政处罚", 5, None, None, None])
    ws.append([dept.name, 2023, "行政强制", 2, None, None, None])
    buf = io.BytesIO()
    wb.save(buf)
    _, errors = parse_art20_file("c.xlsx", buf.getvalue(), allowed_agency_ids={dept.pk})
    assert errors == [f"第2行：无权为机关“{city.name}”导入数据"]
    with pytest.raises(Art20ImportError):
        import_art20_counts("c.xlsx", buf.getvalue(), allowed_agency_ids={dept.pk})
    assert not Art20Count.objects.exists()
    res = import_art20_counts("c.xlsx", buf.getvalue())
    assert res.created == 2
    assert section2([city.pk, dept.pk], 2023, "2021")["art20_6"] == {
        "admin_penalty": {"decisions": 5},
        "admin_coercion": {"decisions": 2},
    }


def test_missing_header_is_reported(agencies):
    _, errors = parse_art20_file("x.csv", _csv([["名称", "年"], ["a", 1]]))
    assert errors == ["第1行（表头）缺少必填列：机关、年度、事项"]
