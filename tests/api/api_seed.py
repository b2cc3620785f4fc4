"""Seeded data for the API tests: cases in several states (answered with a fee notice, in
handling, freshly received) in the agencies of ``casework_fixtures``."""

from __future__ import annotations

import datetime as dt

from casework_fixtures import COMPANY, NATURAL, at

from gongkai.applications.services import submit_application, transition


def seed_api_data(agencies, staff) -> dict:
    dept, other = agencies["dept"], agencies["other"]
    reg, handler = staff["registrar"], staff["handler"]
    received = submit_application(dept, NATURAL, channel="in_person", actor=reg, submitted_at=at(2026, 3, 2))
    handling = submit_application(dept, COMPANY, channel="in_person", actor=reg, submitted_at=at(2026, 3, 5))
    handling = transition(
        handling, "accept", reg, effective_date=dt.date(2026, 3, 6), data={"handler": handler.pk}
    )
    drafted = submit_application(dept, NATURAL, channel="in_person", actor=reg, submitted_at=at(2026, 4, 1))
    drafted = transition(drafted, "accept", handler, effective_date=dt.date(2026, 4, 2))
    drafted = transition(
        drafted,
        "draft_answer",
        handler,
        effective_date=dt.date(2026, 4, 3),
        data={"outcome": "granted", "variant": "provided", "fields": {"access_method": "随告知书提供"}},
    )
    foreign = submit_application(other, NATURAL, channel="internet", submitted_at=at(2026, 3, 2))
    return {"received": received, "handling": handling, "drafted": drafted, "foreign": foreign}
