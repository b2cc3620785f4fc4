"""The database GROUP BY (one statement) agrees with the pure core computation over the same
application histories, for random histories and both templates."""

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.agencies.models import Agency, AgencyKind
from gongkai.annual_reports.services import compute_report
from gongkai.core.report_compute import ApplicationFact, build_report
from gongkai.core.report_rules import has_errors, validate
from gongkai.core.report_schema import applicant_type_choices, outcome_choices

pytestmark = pytest.mark.django_db

APPLICANTS = [k for k, _ in applicant_type_choices()]
OUTCOMES = [k for k, _ in outcome_choices("2021")]

history = st.tuples(
    st.sampled_from(APPLICANTS),
    st.integers(0, 3 * 365),  # received: days after 2021-07-01
    st.one_of(st.none(), st.integers(0, 400)),  # closed after n days, or open
    st.sampled_from(OUTCOMES),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    histories=st.lists(history, max_size=40),
    year=st.integers(2021, 2024),
    tid=st.sampled_from(["2019", "2021"]),
)
def test_database_report_equals_core_report(make_app, histories, year, tid):
    with transaction.atomic():
        agency = Agency.objects.create(name="性质测试局", kind=AgencyKind.DEPARTMENT, tracking_prefix="性")
        facts = []
        for applicant, offset, close_after, outcome in histories:
            received = dt.date(2021, 7, 1) + dt.timedelta(days=offset)
            closed = received + dt.timedelta(days=close_after) if close_after is not None else None
            make_app(agency, applicant, received, closed, outcome if closed else "")
            facts.append(ApplicationFact(applicant, received, closed, outcome if closed else None))
        from_db = compute_report(agency, year, tid)
        from_core = build_report(agency.name, year, template_id=tid, application_facts=facts)
        assert from_db.tables["applications"] == from_core.tables["applications"]
        assert not has_errors(validate(from_db))
        transaction.set_rollback(True)
