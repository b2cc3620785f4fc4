"""Shared helpers of the workbench views."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from gongkai.agencies.access import visible_agency_ids
from gongkai.applications.models import Application


def visible_applications(user):
    """Applications of the agencies the user may read (everything else is invisible → 404)."""
    return Application.objects.filter(agency_id__in=visible_agency_ids(user))


def get_visible_application(user, pk: int) -> Application:
    return get_object_or_404(
        visible_applications(user).select_related("agency", "handler", "registered_by"), pk=pk
    )
