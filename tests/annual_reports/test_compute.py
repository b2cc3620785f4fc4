import datetime as dt
from decimal import Decimal

import pytest

from gongkai.annual_reports.services import compute_report
from gongkai.annual_reports.services.stats import fallback_outcome, section3_counts
from gongkai.appeals.services import save_appeal
from gongkai.applications.models import FeeNotice
from gongkai.core import report_rules
from gongkai.core.report_compute import aggregate
from gongkai.core.report_schema import get_template
from gongkai.proactive.models import Art20Count

pytestmark = pytest.mark.django_db
D = dt.date


def seed(region, make_app):
    edu, town, city = region["edu"], region["town"], region["city"]
    make_app(edu, "natural_person", D(2022, 12, 20))  # open: carried into 2023 and out of 2023
    make_app(edu, "natural_person", D(2022, 12, 28), D(2023, 1, 10), "granted")  # carried in, result 2023
    make_app(edu, "natural_person", D(2023, 2, 1), D(2023, 2, 20), "partial")
    make_app(edu, "legal_commercial", D(2023, 3, 1), D(2023, 3, 15), "unable_not_held")
    make_app(edu, "legal_commercial", D(2023, 12, 30))  # carried forward
    make_app(edu, "natural_person", D(2023, 5, 1), D(2023, 5, 2), "other_fee_unpaid")
    make_app(edu, "legal_other", D(2023, 6, 1), D(2023, 6, 3))  # closed, no outcome (withdrawn)
    make_app(edu, "natural_person", D(2022, 1, 1), D(2022, 2, 1), "granted")  # outside 2023
    make_app(edu, "natural_person", D(2024, 1, 2))  # outside 2023
    make_app(town, "natural_person", D(2023, 4, 1), D(2023, 4, 9), "np_repeat")
    make_app(city, "legal_research", D(2023, 7, 1), D(2024, 1, 9), "granted")


def test_section3_counts_and_identity(region, make_app):
    seed(region, make_app)
    d = compute_report(region["edu"], 2023, "2021")
    s3 = d.tables["applications"]
    assert s3["new_received"]["natural_person"] == 2
    assert s3["new_received"]["legal_commercial"] == 2
    assert s3["new_received"]["total"] == 5
    assert s3["carried_over_from_prior_year"]["natural_person"] == 2
    assert s3["granted"]["natural_person"] == 1
    assert s3["partial"]["natural_person"] == 1
    assert s3["unable_not_held"]["legal_commercial"] == 1
    assert s3["other_fee_unpaid"]["natural_person"] == 1
    assert s3[fallback_outcome(get_template("2021"))]["legal_other"] == 1
    assert s3["results_total"]["total"] == 5
    assert s3["carried_forward"]["natural_person"] == 1 and s3["carried_forward"]["legal_commercial"] == 1
    assert s3["carried_forward"]["total"] == 2
    assert not report_rules.has_errors(report_rules.validate(d))


def test_2019_layout_maps_other_rows(region, make_app):
    seed(region, make_app)
    d = compute_report(region["edu"], 2023, "2019")
    assert d.template_id == "2019"
    s3 = d.tables["applications"]
    assert "other_fee_unpaid" not in s3
    assert s3["other"]["natural_person"] == 1 and s3["other"]["legal_other"] == 1
    assert s3["results_total"]["total"] == 5
    assert not report_rules.has_errors(report_rules.validate(d))
    assert set(d.tables) == {t.key for t in get_template("2019").tables}


def test_fallback_outcome_is_other():
    for tid in ("2019", "2021"):
        assert "其他" in get_template(tid).applications.row(fallback_outcome(get_template(tid))).label


def test_subtree_equals_sum_of_parts(region, make_app):
    seed(region, make_app)
    for a in region.values():
        Art20Count.objects.create(agency=a, year=2023, kind="admin_licensing", decisions=a.pk)
        Art20Count.objects.create(agency=a, year=2023, kind="admin_fees", fee_amount=Decimal("1.25"))
        save_appeal(dict(agency=a, kind="review", filed_date=D(2023, 3, 1)))
    app = make_app(region["town"], "natural_person", D(2023, 8, 1), D(2023, 8, 2), "granted")
    FeeNotice.objects.create(
        application=app,
        method="by_count",
        amount=Decimal("100"),
        issued_on=D(2023, 8, 1),
        pay_by=D(2023, 8, 20),
        paid_on=D(2023, 8, 2),
        paid_amount=Decimal("100"),
    )
    city = region["city"]
    whole = compute_report(city, 2023, "2021", subtree=True)
    parts = [compute_report(a, 2023, "2021") for a in region.values()]
    summed = aggregate(parts, city.name)
    assert list(whole.cells()) == list(summed.cells())
    assert whole.tables["art20_8"]["admin_fees"]["fee_amount"] == Decimal("5")
    assert whole.tables["review_litigation"]["count"]["review_pending"] == 4
    assert whole.fee_line.notices_issued == 1 and whole.fee_line.amount_collected == Decimal("100")
    # district subtree = district + town only
    district = compute_report(region["district"], 2023, "2021", subtree=True)
    assert district.tables["applications"]["new_received"]["total"] == 2


def test_section3_is_one_query(region, make_app, django_assert_num_queries):
    seed(region, make_app)
    with django_assert_num_queries(1):
        section3_counts([region["edu"].pk], 2023, "2021")


def test_one_statement_matches_section_functions(region, make_app, django_assert_num_queries):
    from gongkai.annual_reports.services.reports import scope_agency_ids
    from gongkai.annual_reports.services.stats import fee_line
    from gongkai.appeals.stats import section4
    from gongkai.proactive.stats import section2

    seed(region, make_app)
    save_appeal(
        dict(
            agency=region["edu"],
            kind="lit_direct",
            filed_date=D(2023, 3, 1),
            decided_date=D(2023, 6, 1),
            outcome="corrected",
        )
    )
    Art20Count.objects.create(agency=region["town"], year=2023, kind="admin_penalty", decisions=4)
    for agency, subtree in ((region["edu"], False), (region["city"], True), (region["district"], True)):
        for tid in ("2019", "2021"):
            with django_assert_num_queries(1):
                d = compute_report(agency, 2023, tid, subtree=subtree)
            ids = scope_agency_ids(agency, subtree)
            for key, table in section2(ids, 2023, tid).items():
                assert d.tables[key] == table
            assert d.tables["review_litigation"] == section4(ids, 2023, tid)["review_litigation"]
            if tid == "2021":
                assert d.fee_line == fee_line(ids, 2023)


def test_subtree_breakdown_sums_to_region_report(region, make_app):
    from gongkai.annual_reports.services.stats import subtree_breakdown

    seed(region, make_app)
    city = region["city"]
    rows = subtree_breakdown(city, 2023)
    assert [r["agency"] for r in rows] == list(city.subtree().order_by("path"))
    whole = compute_report(city, 2023, "2021", subtree=True).tables["applications"]
    assert sum(r["n_new"] for r in rows) == whole["new_received"]["total"]
    assert sum(r["n_in"] for r in rows) == whole["carried_over_from_prior_year"]["total"]
    assert sum(r["n_result"] for r in rows) == whole["results_total"]["total"]
    assert sum(r["n_out"] for r in rows) == whole["carried_forward"]["total"]
    edu = next(r for r in rows if r["agency"] == region["edu"])
    assert (edu["n_new"], edu["n_in"], edu["n_result"], edu["n_out"]) == (5, 2, 5, 2)
