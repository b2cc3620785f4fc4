"""Issue 10's demo walk on the demo region: consultation with comments and feedback, the
document published with a same-day interpretation, a late interpretation flagged, three
applicants → an Art. 44 proposal, a question answered from the published document."""

import datetime as dt

import pytest

from gongkai.consultations.models import Consultation
from gongkai.core import interpretation_rules as irules
from gongkai.demo.issue10 import AFTER_SCHOOL_TITLE, FEES_TITLE, generate_policy_work
from gongkai.demo.region import build_region
from gongkai.frequent.models import Proposal
from gongkai.interpretations import services as interp
from gongkai.qa import services as qa
from gongkai.records.models import Record
from gongkai.workdays import get_calendar

pytestmark = pytest.mark.django_db(transaction=True)
AS_OF = dt.date(2026, 11, 30)


def test_issue10_demo_walk():
    agencies = build_region()
    generate_policy_work(agencies, as_of=AS_OF, cal=get_calendar())
    fees = Record.objects.get(title=FEES_TITLE)
    late = Record.objects.get(title=AFTER_SCHOOL_TITLE)
    c = Consultation.objects.get(record=fees)
    assert c.state == "feedback_published" and c.comments.count() == 4
    assert fees.state == "published" and fees.published_on > c.ends_on
    sync = interp.sync_for_records([fees, late], today=AS_OF)
    assert sync[fees.pk].status == irules.SAME_DAY and sync[late.pk].status == irules.LATE
    (p,) = Proposal.objects.filter(agency=agencies["city_edu"])
    assert p.applicant_count == 3
    best = qa.answer("培训机构退费要几天")[0][0]
    assert "7个工作日内退还" in best.text and best.title in (FEES_TITLE, "一图读懂：校外培训收费新规")
