"""Whether the user may register applications (the 登记申请 link is shown only then)."""

from django import template

from gongkai.agencies.access import acting_agency_ids
from gongkai.applications.services.intake import INTAKE_ROLES

register = template.Library()


@register.simple_tag
def can_register(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(acting_agency_ids(user, INTAKE_ROLES))
