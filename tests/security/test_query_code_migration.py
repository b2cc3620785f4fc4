"""Issue 8: the migration hashes the codes already issued (applicants keep theirs)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gongkai.agencies.models import Agency
from gongkai.applications.services import find_by_tracking

BEFORE = [("applications", "0006_fee_notice_pieces_and_receipt")]
AFTER = [("applications", "0007_query_code_hashed")]


@pytest.mark.django_db(transaction=True)
def test_existing_codes_are_hashed_in_place():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Application = old.get_model("applications", "Application")
    agency = Agency.objects.create(name="迁移测试局", kind="department", tracking_prefix="迁依申")
    Application.objects.create(
        agency_id=agency.pk,
        year=2026,
        serial=1,
        tracking_number="迁依申〔2026〕0001号",
        query_code="K7QM2PXA",
        applicant_type="natural_person",
        applicant_name="张三",
        description="某文件",
        channel="internet",
        submitted_at="2026-11-02T09:00:00+08:00",
        received_date="2026-11-02",
        receipt_basis="online_confirmed",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    with connection.cursor() as cur:
        cur.execute("SELECT query_code_hash FROM applications_application WHERE serial = 1")
        (stored,) = cur.fetchone()
        cur.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'applications_application'"
        )
        columns = {row[0] for row in cur.fetchall()}
    assert "query_code" not in columns
    assert stored.startswith("hmac-sha256$") and "K7QM2PXA" not in stored
    assert find_by_tracking("迁依申〔2026〕0001号", "k7qm2pxa") is not None
    assert find_by_tracking("迁依申〔2026〕0001号", "K7QM2PXB") is None
