"""Who may see and do what, per agency.

Rules:
- A staff member acts only in the agencies where they hold an acting role (登记/承办/审核/负责人/管理员),
  and only with the permissions of that role.
- A supervisor (监督人员) of an agency reads that agency's whole subtree, and acts on none of it.
- Anything outside what a user may see is answered with 404 (``get_object_or_404`` on a queryset
  already restricted by :func:`visible_agency_ids`), never 403, so its existence is not revealed.
- Superusers see and act everywhere (platform operators).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from .models import ACTING_ROLES, Agency, Membership, Role


def _memberships(user):
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    cache = getattr(user, "_gongkai_memberships", None)
    if cache is None:
        cache = list(Membership.objects.filter(user=user, agency__active=True).select_related("agency"))
        user._gongkai_memberships = cache
    return cache


def visible_agency_ids(user) -> set[int]:
    """Agencies whose cases and reports the user may read."""
    if getattr(user, "is_superuser", False):
        return set(Agency.objects.values_list("pk", flat=True))
    ms = _memberships(user)
    ids = {m.agency_id for m in ms if m.role in ACTING_ROLES}
    prefixes = [m.agency.path for m in ms if m.role == Role.SUPERVISOR]
    if prefixes:
        q = Q()
        for p in prefixes:
            q |= Q(path__startswith=p)
        ids |= set(Agency.objects.filter(q).values_list("pk", flat=True))
    return ids


def acting_agency_ids(user, roles: Iterable[str] | None = None) -> set[int]:
    """Agencies where the user holds one of ``roles`` (default: any acting role)."""
    wanted = set(roles) if roles is not None else set(ACTING_ROLES)
    if getattr(user, "is_superuser", False):
        return set(Agency.objects.values_list("pk", flat=True))
    return {m.agency_id for m in _memberships(user) if m.role in wanted and m.role != Role.SUPERVISOR}


def roles_in(user, agency_id: int) -> set[str]:
    """The user's acting roles in one agency (superusers hold every acting role)."""
    if getattr(user, "is_superuser", False):
        return set(ACTING_ROLES)
    return {m.role for m in _memberships(user) if m.agency_id == agency_id and m.role != Role.SUPERVISOR}


def has_role(user, agency_id: int, *roles: str) -> bool:
    return bool(roles_in(user, agency_id) & set(roles))


def supervised_roots(user) -> list[Agency]:
    """Top agencies of the subtrees the user supervises (or, for superusers, the tree roots)."""
    if getattr(user, "is_superuser", False):
        return list(Agency.objects.filter(parent__isnull=True))
    return [m.agency for m in _memberships(user) if m.role == Role.SUPERVISOR]


def is_staff_member(user) -> bool:
    return getattr(user, "is_superuser", False) or bool(_memberships(user))
