"""索引号: gap-free and race-free under 50 concurrent publications on real PostgreSQL."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction
from records_fixtures import draft

from gongkai.records.models import IndexCounter, IssuerCode, Record
from gongkai.records.services import lifecycle

N = 50
D = dt.date


def _approved(agency, staff, i):
    rec = draft(agency, staff["handler"], title=f"文件{i}", category="other")
    lifecycle.transition(
        rec, "decide_attribute", actor=staff["handler"], data={"disclosure_attribute": "proactive"}
    )
    lifecycle.transition(rec, "submit_review", actor=staff["handler"])
    lifecycle.transition(rec, "approve", actor=staff["reviewer"], data={"secrecy_reviewed": True})
    return rec


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_publications_are_gap_free(agencies, staff):
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL: set DATABASE_URL=postgres://…")
    agency = agencies["dept"]
    IssuerCode.objects.create(agency=agency, code="11110000MB0123456X")
    records = [_approved(agency, staff, i) for i in range(N)]
    barrier = threading.Barrier(N)
    errors, lock = [], threading.Lock()

    def worker(rec):
        try:
            barrier.wait(timeout=30)
            lifecycle.transition(rec, "publish", actor=staff["handler"], data={"date": D(2026, 11, 30)})
        except Exception as exc:  # noqa: BLE001 - reported below
            with lock:
                errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(r,)) for r in records]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    rows = list(
        Record.objects.filter(agency=agency)
        .order_by("index_serial")
        .values_list("index_serial", "index_number")
    )
    assert [s for s, _ in rows] == list(range(1, N + 1))
    assert rows[-1][1] == f"11110000MB0123456X/2026-{N:05d}"
    assert len({n for _, n in rows}) == N
    assert IndexCounter.objects.get(agency=agency, year=2026).last_serial == N


@pytest.mark.django_db(transaction=True)
def test_rolled_back_publication_leaves_no_gap(agencies, staff):
    agency = agencies["dept"]
    a, b = _approved(agency, staff, 1), _approved(agency, staff, 2)
    with pytest.raises(RuntimeError), transaction.atomic():
        lifecycle.transition(a, "publish", actor=staff["handler"], data={"date": D(2026, 11, 30)})
        raise RuntimeError
    b = lifecycle.transition(b, "publish", actor=staff["handler"], data={"date": D(2026, 11, 30)})
    assert b.index_serial == 1
    a = lifecycle.transition(a, "publish", actor=staff["handler"], data={"date": D(2027, 1, 4)})
    assert (a.index_year, a.index_serial) == (2027, 1)  # serials restart each year
