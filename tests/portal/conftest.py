import pytest

from gongkai.agencies.models import Agency, AgencyKind

# A valid 18-digit resident ID (GB 11643 check digit) and a valid credit code (GB 32100).
RESIDENT_ID = "11010519491231002X"
CREDIT_CODE = "91350100M000100Y43"


@pytest.fixture
def agencies(db):
    city = Agency.objects.create(name="某市人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="市政依申")
    dept = Agency.objects.create(
        name="某市教育局", kind=AgencyKind.DEPARTMENT, parent=city, tracking_prefix="市教依申"
    )
    return city, dept


@pytest.fixture
def apply_data(agencies):
    return {
        "agency": str(agencies[1].pk),
        "applicant_type": "natural_person",
        "applicant_name": "张三",
        "id_document_type": "resident_id",
        "id_document_number": RESIDENT_ID,
        "phone": "13800000000",
        "email": "zhangsan@example.com",
        "postal_address": "某市某区某路1号",
        "postal_code": "100000",
        "description": "2025年某市义务教育阶段学校招生计划文件",
        "purpose": "",
        "requested_form": "electronic",
        "delivery_method": "email",
        "fee_waiver_reason": "",
        "confirm": "on",
    }


@pytest.fixture(autouse=True)
def _no_rate_limit(settings, tmp_path):
    """Settings are loaded before tests/conftest.py sets GONGKAI_RATELIMIT=0, so switch it off
    here; the rate-limit test turns it back on with override_settings."""
    settings.RATELIMIT_ENABLE = False
    settings.MEDIA_ROOT = tmp_path / "media"
