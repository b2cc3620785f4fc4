import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gongkai.agencies.models import Agency, AgencyKind
from gongkai.appeals.models import Appeal
from gongkai.appeals.services import save_appeal
from gongkai.appeals.stats import section4
from gongkai.core.report_schema import get_template

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def agency():
    return Agency.objects.create(name="某区人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="区")


def case(agency, kind, filed, decided=None, outcome="pending"):
    return save_appeal(
        dict(agency=agency, kind=kind, filed_date=filed, decided_date=decided, outcome=outcome)
    )


def test_decided_in_year_and_pending_at_year_end(agency):
    case(agency, "review", D(2023, 3, 1), D(2023, 5, 1), "upheld")
    case(agency, "review", D(2023, 11, 1), D(2024, 2, 1), "corrected")  # pending in 2023
    case(agency, "review", D(2022, 11, 1))  # still open: pending in 2022, 2023, 2024
    case(agency, "lit_direct", D(2023, 1, 5), D(2023, 9, 9), "other")
    case(agency, "lit_after_review", D(2024, 1, 5))  # not yet filed in 2023
    row = section4([agency.pk], 2023)["review_litigation"]["count"]
    assert [c.key for c in get_template("2021").review_litigation.value_columns] == list(row)
    assert row["review_upheld"] == 1 and row["review_corrected"] == 0
    assert row["review_pending"] == 2 and row["review_total"] == 3
    assert row["lit_direct_other"] == 1 and row["lit_direct_total"] == 1
    assert row["lit_after_review_total"] == 0
    row24 = section4([agency.pk], 2024)["review_litigation"]["count"]
    assert row24["review_corrected"] == 1 and row24["review_pending"] == 1 and row24["review_upheld"] == 0
    assert row24["lit_after_review_pending"] == 1
    assert section4([agency.pk], 2022)["review_litigation"]["count"]["review_pending"] == 1


def test_outcome_and_decision_date_must_agree(agency):
    with pytest.raises(ValidationError):
        save_appeal(
            dict(
                agency=agency,
                kind="review",
                filed_date=D(2023, 1, 1),
                decided_date=D(2023, 2, 1),
                outcome="pending",
            )
        )
    with pytest.raises(ValidationError):
        save_appeal(
            dict(
                agency=agency,
                kind="review",
                filed_date=D(2023, 3, 1),
                decided_date=D(2023, 2, 1),
                outcome="upheld",
            )
        )
    a = save_appeal(dict(agency=agency, kind="review", filed_date=D(2023, 1, 1), outcome="upheld"))
    assert a.outcome == "pending"
    assert Appeal.objects.count() == 1
