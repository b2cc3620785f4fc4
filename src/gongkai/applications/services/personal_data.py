"""Applicants' personal data by role (个人信息保护法: minimum necessary).

Decided: the full identity number, phone, e-mail and postal address are for the staff of the
case's own agency who handle cases — registrar (登记员), handler (承办人), reviewer (审核人) and
head (负责人) — and platform superusers. Everyone else sees them masked
(:mod:`gongkai.core.masking`): supervisors, the agency admin (机关管理员, who manages settings and
reads the reveal log), other agencies, every list, export and the API list. Even for the allowed
roles the case page shows masked values until they press 「显示完整信息」, and every full view (that
button, or an API detail read) is logged (:class:`PersonalDataReveal`: who, when, which case,
which fields, through which channel), listed for the agency admin on the workbench.
"""

from __future__ import annotations

from gongkai.agencies.access import has_role
from gongkai.agencies.models import Role
from gongkai.core import masking

from ..models import Application, PersonalDataReveal

FULL_ROLES = (Role.REGISTRAR, Role.HANDLER, Role.REVIEWER, Role.HEAD)
MASKERS = {
    "id_document_number": masking.mask_id_number,
    "phone": masking.mask_phone,
    "email": masking.mask_email,
    "postal_address": masking.mask_address,
}
FIELD_LABELS = {
    "id_document_number": "身份证明号码",
    "phone": "联系电话",
    "email": "电子邮箱",
    "postal_address": "通信地址",
}


def may_reveal(user, app: Application) -> bool:
    return has_role(user, app.agency_id, *FULL_ROLES)


def masked(app: Application) -> dict[str, str]:
    """The personal fields of ``app`` masked."""
    return {name: mask(getattr(app, name, "") or "") for name, mask in MASKERS.items()}


def full(app: Application) -> dict[str, str]:
    return {name: getattr(app, name, "") or "" for name in MASKERS}


def reveal(app: Application, user, *, channel: str, client_address: str = "") -> dict[str, str]:
    """The full personal fields, for an allowed user, with the reveal logged; ``PermissionError``
    for anyone else."""
    if not may_reveal(user, app):
        raise PermissionError("无权查看完整个人信息")
    values = full(app)
    PersonalDataReveal.objects.create(
        application=app,
        user=user,
        fields=[name for name, v in values.items() if v],
        channel=channel,
        client_address=client_address or "",
    )
    return values


def field_labels(names) -> str:
    return "、".join(FIELD_LABELS.get(n, n) for n in names)
