"""Access rules of the import workbench (年报导入).

Who: superusers, and staff holding a supervisor (监督人员) or agency admin (机关管理员) role.
What: imported reports of the agencies in ``visible_agency_ids(user)``; anything else is a 404.
Batches: the user's own (superusers: all).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from gongkai.agencies.access import visible_agency_ids
from gongkai.agencies.models import Agency, Membership, Role

from ..models import ImportBatch, ImportedReport

IMPORT_ROLES = (Role.SUPERVISOR, Role.ADMIN)


def may_import(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, role__in=IMPORT_ROLES, agency__active=True).exists()


def require_import_role(user) -> None:
    if not may_import(user):
        raise Http404("只有监督人员和机关管理员可以使用年报导入")


def visible_reports(user):
    qs = ImportedReport.objects.select_related("agency")
    if user.is_superuser:
        return qs
    return qs.filter(agency_id__in=visible_agency_ids(user))


def visible_agencies(user):
    if user.is_superuser:
        return Agency.objects.all()
    return Agency.objects.filter(pk__in=visible_agency_ids(user))


def visible_batches(user):
    qs = ImportBatch.objects.all()
    return qs if user.is_superuser else qs.filter(created_by=user)


def get_report(user, pk: int) -> ImportedReport:
    return get_object_or_404(visible_reports(user), pk=pk)


def get_batch(user, pk: int) -> ImportBatch:
    return get_object_or_404(visible_batches(user), pk=pk)
