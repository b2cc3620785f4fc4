"""50 concurrent submissions on real PostgreSQL: no lost application, no duplicate, no gap."""

import threading

import pytest
from casework_fixtures import NATURAL, at
from django.db import connection, connections

from gongkai.applications.models import Application, TrackingCounter
from gongkai.applications.services import submit_application

N = 50


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_are_gap_free(agencies):
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL: set DATABASE_URL=postgres://…")
    agency = agencies["dept"]
    barrier = threading.Barrier(N)
    numbers, errors = [], []
    lock = threading.Lock()

    def worker(i):
        try:
            barrier.wait(timeout=30)
            app = submit_application(
                agency,
                dict(NATURAL, applicant_name=f"申请人{i}"),
                channel="internet",
                submitted_at=at(2026, 5, 6),
            )
            with lock:
                numbers.append(app.serial)
        except Exception as exc:  # noqa: BLE001 - reported below
            with lock:
                errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert sorted(numbers) == list(range(1, N + 1))
    rows = list(
        Application.objects.filter(agency=agency).order_by("serial").values_list("serial", "tracking_number")
    )
    assert [s for s, _ in rows] == list(range(1, N + 1))
    assert rows[-1][1] == f"市教依申〔2026〕{N:04d}号"
    assert len({n for _, n in rows}) == N
    assert TrackingCounter.objects.get(agency=agency, year=2026).last_serial == N
    assert {a.events.count() for a in Application.objects.filter(agency=agency)} == {1}


@pytest.mark.django_db(transaction=True)
def test_failed_submission_leaves_no_gap(agencies):
    agency = agencies["dept"]
    a = submit_application(agency, NATURAL, channel="internet", submitted_at=at(2026, 5, 6))
    with pytest.raises(OSError):
        # attachment storage fails inside the transaction: the serial must roll back too
        class Broken:
            name = "a.pdf"
            size = 10
            content_type = "application/pdf"

            def chunks(self):
                raise OSError("disk full")

            def read(self, *args):
                raise OSError("disk full")

        submit_application(
            agency, NATURAL, channel="internet", submitted_at=at(2026, 5, 6), attachments=[Broken()]
        )
    b = submit_application(agency, NATURAL, channel="internet", submitted_at=at(2026, 5, 6))
    assert (a.serial, b.serial) == (1, 2)


@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_on_one_case_serialise(agencies, staff):
    """Ten staff press "accept" at once: one succeeds, nine are refused (state changed)."""
    from gongkai.applications.services import TransitionError, transition

    agency = agencies["dept"]
    app = submit_application(agency, NATURAL, channel="internet", submitted_at=at(2026, 5, 6))
    barrier = threading.Barrier(10)
    ok, refused, other = [], [], []
    lock = threading.Lock()

    def worker():
        try:
            barrier.wait(timeout=30)
            transition(app, "accept", staff["handler"], effective_date=at(2026, 5, 7).date())
            with lock:
                ok.append(1)
        except TransitionError as exc:
            with lock:
                refused.append(exc.code)
        except Exception as exc:  # noqa: BLE001 - reported below
            with lock:
                other.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert other == []
    assert len(ok) == 1 and refused == ["state"] * 9
    assert [e.action for e in Application.objects.get(pk=app.pk).events.all()] == ["submit", "accept"]
