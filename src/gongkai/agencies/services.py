"""Agency settings (机关设置) write services: letterhead, tracking-number prefix, staff roles.

Every change runs in one transaction, checks that the actor is the agency's administrator
(机关管理员) or a superuser, and appends an :class:`~gongkai.agencies.models.AgencyChange` row
(who changed what). Bad input raises :class:`AgencySettingsError` with a Chinese message and
changes nothing.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction

from .access import has_role
from .models import Agency, AgencyChange, AgencyChangeAction, Membership, Role

logger = logging.getLogger(__name__)

# Letterhead (文书抬头) fields an agency administrator may edit, with their Chinese labels.
LETTERHEAD_FIELDS = (
    "letterhead_name",
    "address",
    "postal_code",
    "phone",
    "email",
    "office_hours",
    "reconsideration_body",
    "court",
    "vertically_led",
)
# Roles managed on the settings page (supervisor roles are assigned by the platform, not here).
MANAGED_ROLES = (Role.REGISTRAR, Role.HANDLER, Role.REVIEWER, Role.HEAD, Role.ADMIN)
FORBIDDEN_PREFIX_CHARS = "〔〕"


class AgencySettingsError(ValueError):
    """Invalid settings input; ``str(exc)`` is a user-facing Chinese message."""


def can_administer(user, agency: Agency | int) -> bool:
    """Whether ``user`` may change the settings of ``agency`` (机关管理员 or superuser)."""
    if getattr(user, "is_superuser", False):
        return True
    agency_id = agency if isinstance(agency, int) else agency.pk
    return has_role(user, agency_id, Role.ADMIN)


def _check(actor, agency: Agency) -> None:
    if not can_administer(actor, agency):
        raise PermissionDenied("您不是该机关的机关管理员，不能修改机关设置")


def _field_label(name: str) -> str:
    return str(Agency._meta.get_field(name).verbose_name)


def _log(agency: Agency, actor, action: str, summary: str, details: dict | None = None) -> AgencyChange:
    return AgencyChange.objects.create(
        agency=agency,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        summary=summary[:500],
        details=details or {},
    )


def update_letterhead(agency: Agency, actor, data: dict) -> Agency:
    """Set the letterhead fields of ``agency`` from ``data`` (missing keys are left unchanged).

    Used by every letter generated afterwards (letters take these values when rendered)."""
    _check(actor, agency)
    clean: dict[str, str] = {}
    for name in LETTERHEAD_FIELDS:
        if name not in data:
            continue
        if name == "vertically_led":  # ARL-2023 Art. 27: changes the derived reconsideration body
            clean[name] = bool(data.get(name))
            continue
        value = str(data.get(name) or "").strip()
        field = Agency._meta.get_field(name)
        if field.max_length and len(value) > field.max_length:
            raise AgencySettingsError(f"“{_field_label(name)}”不能超过{field.max_length}个字符")
        clean[name] = value
    if clean.get("email"):
        try:
            validate_email(clean["email"])
        except ValidationError:
            raise AgencySettingsError("电子邮箱格式不正确") from None
    pc = clean.get("postal_code")
    if pc and not (pc.isdigit() and len(pc) == 6):
        raise AgencySettingsError("邮政编码应为6位数字")
    with transaction.atomic():
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        changes = {k: [getattr(locked, k), v] for k, v in clean.items() if getattr(locked, k) != v}
        if not changes:
            return locked
        for k, (_old, new) in changes.items():
            setattr(locked, k, new)
        # queryset update: Agency.save() re-derives the tree path, which these fields do not touch
        Agency.objects.filter(pk=locked.pk).update(**{k: new for k, (_old, new) in changes.items()})
        labels = "、".join(_field_label(k) for k in changes)
        _log(locked, actor, AgencyChangeAction.LETTERHEAD, f"修改文书抬头信息：{labels}", changes)
    for k, (_old, new) in changes.items():
        setattr(agency, k, new)
    logger.info("agency %s letterhead changed: %s", agency.pk, ",".join(changes))
    return locked


def validate_tracking_prefix(prefix: str, agency: Agency | None = None) -> str:
    """The cleaned prefix, or :class:`AgencySettingsError` (non-empty, no 〔〕, not another agency's)."""
    value = (prefix or "").strip()
    if not value:
        raise AgencySettingsError("受理编号前缀不能为空")
    if any(c in value for c in FORBIDDEN_PREFIX_CHARS):
        raise AgencySettingsError("受理编号前缀不能包含“〔”“〕”，年度由系统自动添加")
    if any(c.isspace() for c in value):
        raise AgencySettingsError("受理编号前缀不能包含空格")
    max_len = Agency._meta.get_field("tracking_prefix").max_length
    if len(value) > max_len:
        raise AgencySettingsError(f"受理编号前缀不能超过{max_len}个字符")
    others = Agency.objects.filter(tracking_prefix=value)
    if agency is not None:
        others = others.exclude(pk=agency.pk)
    if others.exists():
        raise AgencySettingsError(f"受理编号前缀“{value}”已被其他机关使用")
    from gongkai.applications.models import Application

    taken = Application.objects.filter(tracking_number__startswith=f"{value}〔")
    if agency is not None:
        taken = taken.exclude(agency_id=agency.pk)
    if taken.exists():
        raise AgencySettingsError(f"受理编号前缀“{value}”已出现在其他机关的受理编号中")
    return value


def update_tracking_prefix(agency: Agency, actor, prefix: str) -> Agency:
    """Change the tracking-number prefix (受理编号前缀). Numbers already issued keep their prefix;
    only numbers issued afterwards use the new one (the yearly serial continues)."""
    _check(actor, agency)
    value = validate_tracking_prefix(prefix, agency)
    with transaction.atomic():
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        old = locked.tracking_prefix
        if old == value:
            return locked
        locked.tracking_prefix = value
        Agency.objects.filter(pk=locked.pk).update(tracking_prefix=value)
        _log(
            locked,
            actor,
            AgencyChangeAction.TRACKING_PREFIX,
            f"受理编号前缀由“{old}”改为“{value}”（仅影响此后登记的申请）",
            {"tracking_prefix": [old, value]},
        )
    agency.tracking_prefix = value
    logger.info("agency %s tracking prefix changed", agency.pk)
    return locked


def add_membership(agency: Agency, actor, username: str, role: str) -> Membership:
    """Give an existing user ``role`` in ``agency`` (supervisor roles are not managed here)."""
    _check(actor, agency)
    username = (username or "").strip()
    if not username:
        raise AgencySettingsError("请填写用户名")
    if role not in MANAGED_ROLES:
        raise AgencySettingsError("请选择登记员、承办人、审核人、负责人或机关管理员角色")
    User = get_user_model()
    try:
        user = User.objects.get(**{User.USERNAME_FIELD: username})
    except User.DoesNotExist:
        raise AgencySettingsError(f"用户“{username}”不存在，请先由平台管理员创建账号") from None
    if not user.is_active:
        raise AgencySettingsError(f"用户“{username}”已停用")
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=agency.pk).first()
        if Membership.objects.filter(user=user, agency=agency, role=role).exists():
            raise AgencySettingsError(f"用户“{username}”已是本机关的{Role(role).label}")
        m = Membership.objects.create(user=user, agency=agency, role=role)
        _log(
            agency,
            actor,
            AgencyChangeAction.MEMBER_ADD,
            f"添加岗位：{username}（{Role(role).label}）",
            {"user": username, "role": role},
        )
    logger.info("agency %s: role %s given to user %s", agency.pk, role, user.pk)
    return m


def remove_membership(agency: Agency, actor, membership_id: int) -> None:
    """Remove one role of this agency. An administrator cannot remove their own admin role, and
    supervisor roles are not managed here."""
    _check(actor, agency)
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=agency.pk).first()
        m = Membership.objects.select_related("user").filter(pk=membership_id, agency=agency).first()
        if m is None:
            raise AgencySettingsError("该岗位不存在或已被移除")
        if m.role == Role.SUPERVISOR:
            raise AgencySettingsError("监督人员岗位由上级机关或平台管理员管理，不能在此移除")
        if m.role == Role.ADMIN and m.user_id == getattr(actor, "pk", None):
            raise AgencySettingsError("不能移除自己的机关管理员角色")
        username = m.user.get_username()
        role = m.role
        m.delete()
        _log(
            agency,
            actor,
            AgencyChangeAction.MEMBER_REMOVE,
            f"移除岗位：{username}（{Role(role).label}）",
            {"user": username, "role": role},
        )
    if hasattr(actor, "_gongkai_memberships"):
        del actor._gongkai_memberships
    logger.info("agency %s: membership %s removed", agency.pk, membership_id)
