"""Schemathesis (its pytest integration) against ``/api/schema/`` with seeded data.

Every operation of the published schema is exercised by a client no one here wrote: generated
paths, query strings and bodies (valid and invalid), sent as each seeded role, and every response
checked against the schema (status code documented, body conforming, no server error, invalid
input rejected). The run is bounded (few examples, derandomized) so the suite stays fast.
"""

from __future__ import annotations

import pytest
import schemathesis
from api_seed import seed_api_data, seed_reports
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hsettings
from rest_framework.authtoken.models import Token
from schemathesis.config import SchemathesisConfig

pytestmark = pytest.mark.django_db

ROLES = ("handler", "supervisor")  # a handler may register and act; a supervisor only reads


# Loaded at import (the schema needs no database); ``from_fixture`` does not run on pytest 9.
# The coverage phase (boundary values of every parameter) for the reads; fuzzing for everything.
CONFIG = SchemathesisConfig.from_dict(
    {
        "phases": {"coverage": {"enabled": False}},
        "operations": [{"include-method": "GET", "phases": {"coverage": {"enabled": True}}}],
    }
)
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application(), config=CONFIG)


@pytest.fixture(autouse=True)
def seeded(agencies, staff, settings, tmp_path, request):
    settings.MEDIA_ROOT = tmp_path
    seed_api_data(agencies, staff)
    if "report" in request.node.name or "proactive" in request.node.name:
        seed_reports(agencies, staff)
    # Same as Django's test client: the request signals must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(staff):
    return {role: Token.objects.get_or_create(user=staff[role])[0].key for role in ROLES}


@schema.parametrize()
@hsettings(
    max_examples=6,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms_to_the_schema(case, tokens):
    # Every check on every operation, positive-data acceptance included: what the schema allows
    # is accepted or refused only for what the defaults allow (401/403 role, 404 outside the
    # visible agencies, 409 state, 429). The schema states what the server refuses: exact enums,
    # ranges and NUL-free text in query strings and bodies, multipart forms without nulls or
    # undeclared fields, records bodies JSON only (see gongkai.api.schema_hooks).
    for role in ROLES:
        case.call_and_validate(headers={"Authorization": f"Token {tokens[role]}"})
