"""The single-agency report statement runs as a prepared statement on PostgreSQL: same rows as
the plain statement, one query per report, and it survives reconnects, deallocation and
transactions (prepared statements are per session and not transactional). Other databases run
the plain statement (nothing is prepared)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from gongkai.annual_reports.services import compute_report, stats
from gongkai.appeals.services import save_appeal
from gongkai.proactive.models import Art20Count

D = dt.date


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _seed(region, make_app):
    edu = region["edu"]
    make_app(edu, "natural_person", D(2022, 12, 20))
    make_app(edu, "natural_person", D(2022, 12, 28), D(2023, 1, 10), "granted")
    make_app(edu, "legal_commercial", D(2023, 3, 1), D(2023, 3, 15), "unable_not_held")
    make_app(edu, "legal_other", D(2023, 6, 1), D(2023, 6, 3))
    make_app(edu, "natural_person", D(2023, 12, 30))
    Art20Count.objects.create(agency=edu, year=2023, kind="admin_penalty", decisions=4)
    save_appeal(
        dict(
            agency=edu, kind="review", filed_date=D(2023, 3, 1), decided_date=D(2023, 5, 1), outcome="upheld"
        )
    )


def _prepared() -> set[str]:
    if not _pg():
        return set()
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM pg_prepared_statements")
        return {r[0] for r in cur.fetchall()}


def _deallocate_all() -> None:
    """What a pooler's DISCARD ALL does to the session's prepared statements."""
    if _pg():
        with connection.cursor() as cur:
            cur.execute("DEALLOCATE ALL")


def _plain_rows(agency, year, tid):
    stmt = stats._compiled(tid, False, connection.vendor, "default")
    return stats._fetch(connection, stmt, stmt.bind(year, agency.pk, agency.path), prepared=False)


@pytest.mark.django_db
@pytest.mark.parametrize("tid", ["2019", "2021"])
def test_prepared_rows_equal_plain_rows(region, make_app, tid, django_assert_num_queries):
    _seed(region, make_app)
    edu = region["edu"]
    stmt = stats._compiled(tid, False, connection.vendor, "default")
    for year in (2022, 2023, 2024):
        params = stmt.bind(year, edu.pk, edu.path)
        with django_assert_num_queries(1):
            first = stats._fetch(connection, stmt, params, prepared=True)
        with django_assert_num_queries(1):
            again = stats._fetch(connection, stmt, params, prepared=True)
        plain = _plain_rows(edu, year, tid)
        assert sorted(first) == sorted(plain) == sorted(again)
    assert (stmt.name in _prepared()) == _pg()


@pytest.mark.django_db(transaction=True)
def test_deallocated_or_reconnected_session_prepares_again(region, make_app):
    _seed(region, make_app)
    edu = region["edu"]
    expected = compute_report(edu, 2023, "2021")
    name = stats._compiled("2021", False, connection.vendor, "default").name
    pg = _pg()
    assert (name in _prepared()) == pg
    _deallocate_all()
    assert compute_report(edu, 2023, "2021") == expected  # autocommit: prepared again, same call
    assert (name in _prepared()) == pg
    connection.__dict__.pop("_gk_prepared", None)  # the name forgotten, still prepared on the session
    assert compute_report(edu, 2023, "2021") == expected
    connection.close()  # a new session: nothing is prepared there
    assert compute_report(edu, 2023, "2021") == expected
    assert (name in _prepared()) == pg
    _deallocate_all()
    if pg:
        with pytest.raises(DatabaseError), transaction.atomic():  # in a transaction it cannot retry
            compute_report(edu, 2023, "2021")
    assert compute_report(edu, 2023, "2021") == expected  # the next call prepares again
    connection.close()
    with transaction.atomic():  # prepared inside a transaction that rolls back: still prepared
        assert name not in _prepared()
        compute_report(edu, 2023, "2021")
        transaction.set_rollback(True)
    assert (name in _prepared()) == pg
    with transaction.atomic():
        assert compute_report(edu, 2023, "2021") == expected


@pytest.mark.django_db(transaction=True)
def test_no_prepared_statements_behind_a_transaction_pooler(region, make_app):
    _seed(region, make_app)
    edu = region["edu"]
    expected = compute_report(edu, 2023, "2021")
    _deallocate_all()
    connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = True
    try:
        assert compute_report(edu, 2023, "2021") == expected
        assert _prepared() == set()
    finally:
        connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = False
