"""Navigation helpers of the workbench: which optional links a user gets."""

from django import template

from gongkai.agencies import access
from gongkai.agencies.models import Role

register = template.Library()


@register.simple_tag
def nav_roles(user) -> dict:
    """``{"supervises": bool, "administers": bool}`` for the 监督概览 / 机关设置 links."""
    if not getattr(user, "is_authenticated", False):
        return {"supervises": False, "administers": False}
    if user.is_superuser:
        return {"supervises": True, "administers": True}
    return {
        "supervises": bool(access.supervised_roots(user)),
        "administers": bool(access.acting_agency_ids(user, [Role.ADMIN])),
    }
