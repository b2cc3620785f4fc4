"""The staff API's fast representation (gongkai.api.fast) gives exactly DRF's own output: list
rows and detail, every field, for cases in several states (labels, foreign keys, dates, JSON,
nullable fields, masked personal data)."""

import pytest
from api_seed import seed_api_data
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient, APIRequestFactory

from gongkai.api.serializers import ApplicationDetailSerializer, ApplicationSerializer
from gongkai.applications.models import Application

pytestmark = pytest.mark.django_db


def _drf(ser, instance):
    """What DRF itself gives (ModelSerializer's to_representation, without the fast path)."""
    return serializers.ModelSerializer.to_representation(ser, instance)


@pytest.mark.parametrize("cls", [ApplicationSerializer, ApplicationDetailSerializer])
def test_fast_representation_equals_drf(agencies, staff, cls):
    seed_api_data(agencies, staff)
    request = APIRequestFactory().get("/api/applications/")
    request.user = staff["handler"]
    apps = list(Application.objects.select_related("agency").prefetch_related("fee_notices").order_by("pk"))
    assert len(apps) >= 4 and len({a.state for a in apps}) >= 3
    ser = cls(context={"request": request})
    for app in apps:
        fast = ser.to_representation(app)
        slow = {**_drf(ser, app)}
        from gongkai.applications.services import personal_data

        slow.update(personal_data.masked(app))
        assert list(fast) == list(slow) and fast == slow, app.pk
        assert fast["state_label"] == app.get_state_display() and fast["agency"] == app.agency_id


def test_api_list_rows_are_drf_rows(agencies, staff):
    seed_api_data(agencies, staff)
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=staff['handler'])[0].key}")
    rows = c.get("/api/applications/").json()["results"]
    assert rows
    for row in rows:
        app = Application.objects.get(pk=row["id"])
        request = APIRequestFactory().get("/")
        request.user = staff["handler"]
        ser = ApplicationSerializer(context={"request": request})
        import json

        from rest_framework.renderers import JSONRenderer

        from gongkai.applications.services import personal_data

        expected = {**_drf(ser, app), **personal_data.masked(app)}
        assert row == json.loads(JSONRenderer().render(expected))
