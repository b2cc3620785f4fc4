"""Visibility of records for staff: the agencies a user may read (acting roles: own agencies;
supervisors: their subtree, read-only). Anything else is 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from gongkai.agencies.access import visible_agency_ids

from ..models import Record


def visible_records(user):
    return Record.objects.filter(agency_id__in=visible_agency_ids(user))


def get_visible_record(user, pk: int) -> Record:
    return get_object_or_404(visible_records(user).select_related("agency", "topic", "replaced_by"), pk=pk)
