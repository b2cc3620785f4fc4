"""Agencies (行政机关) in a tree, and staff roles per agency.

The tree: a people's government (人民政府) has departments (部门) and lower-level governments
(下级人民政府); a district government has street offices (街道办事处) and towns (乡镇). ``path`` is a
materialised path of zero-padded ids (``000001/000004/``) so a subtree is one indexed prefix query.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    GOVERNMENT = "government", _("人民政府")
    DEPARTMENT = "department", _("政府部门")
    STREET_OFFICE = "street_office", _("街道办事处")
    TOWNSHIP = "township", _("乡镇人民政府")
    OTHER = "other", _("其他行政机关")


class Agency(models.Model):
    """An administrative agency (行政机关) that receives applications and publishes a report."""

    name = models.CharField(_("机关名称"), max_length=200, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    kind = models.CharField(_("机关类型"), max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("层级路径"), max_length=400, db_index=True, editable=False, default="")
    region_code = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    # Tracking numbers: "{prefix}〔{year}〕{serial:04d}号", e.g. 丰政依申〔2026〕0123号.
    tracking_prefix = models.CharField(_("受理编号前缀"), max_length=20)
    # Letterhead (文书抬头) data used by the reply templates.
    letterhead_name = models.CharField(_("文书署名"), max_length=200, blank=True)
    address = models.CharField(_("通讯地址"), max_length=300, blank=True)
    postal_code = models.CharField(_("邮政编码"), max_length=10, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    office_hours = models.CharField(_("受理时间"), max_length=200, blank=True)
    # Remedy bodies named in replies (复议机关 / 管辖法院).
    reconsideration_body = models.CharField(_("行政复议机关"), max_length=200, blank=True)
    court = models.CharField(_("管辖人民法院"), max_length=200, blank=True)
    vertically_led = models.BooleanField(
        _("实行垂直领导"),
        default=False,
        help_text=_(
            "海关、金融、外汇管理、税务、国家安全机关等：行政复议机关为上一级主管部门（行政复议法第二十七条）"
        ),
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("行政机关")
        verbose_name_plural = _("行政机关")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_local_government(self) -> bool:
        """Local governments publish by 31 March, departments by 31 January (Art. 49)."""
        return self.kind in (AgencyKind.GOVERNMENT, AgencyKind.TOWNSHIP, AgencyKind.STREET_OFFICE)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    @property
    def signature(self) -> str:
        return self.letterhead_name or self.name

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if self.pk is None:
                super().save(*args, **kwargs)
                kwargs = {k: v for k, v in kwargs.items() if k != "force_insert"}
            old_path = self.path
            new_path = (self.parent.path if self.parent_id else "") + f"{self.pk:06d}/"
            if old_path and new_path != old_path and new_path.startswith(old_path):
                raise ValueError("an agency cannot be moved under its own subtree")
            self.path = new_path
            super().save(*args, **kwargs)
            if old_path and old_path != new_path:
                for child in Agency.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    child.path = new_path + child.path[len(old_path) :]
                    Agency.objects.filter(pk=child.pk).update(path=child.path)

    def subtree(self):
        """This agency and every agency below it."""
        return Agency.objects.filter(path__startswith=self.path)

    def ancestors(self):
        ids = [int(p) for p in self.path.strip("/").split("/") if p]
        return Agency.objects.filter(pk__in=ids).order_by("path")


class Role(models.TextChoices):
    REGISTRAR = "registrar", _("登记员")
    HANDLER = "handler", _("承办人")
    REVIEWER = "reviewer", _("审核人")
    HEAD = "head", _("负责人")
    ADMIN = "admin", _("机关管理员")
    SUPERVISOR = "supervisor", _("监督人员")


# Roles that may act on the agency's own cases; a supervisor reads a whole subtree, acts on none.
ACTING_ROLES = (Role.REGISTRAR, Role.HANDLER, Role.REVIEWER, Role.HEAD, Role.ADMIN)


class Membership(models.Model):
    """A staff member's role in one agency (一人可在多个机关担任多个角色)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency} ({self.get_role_display()})"


class AgencyChangeAction(models.TextChoices):
    LETTERHEAD = "letterhead", _("修改文书抬头信息")
    TRACKING_PREFIX = "tracking_prefix", _("修改受理编号前缀")
    TEMPLATE_CREATE = "template_create", _("创建本机关文书模板")
    TEMPLATE_UPDATE = "template_update", _("修改本机关文书模板")
    TEMPLATE_REVERT = "template_revert", _("恢复默认文书模板")
    MEMBER_ADD = "member_add", _("添加岗位")
    MEMBER_REMOVE = "member_remove", _("移除岗位")


class AgencyChangeImmutable(Exception):
    pass


class AgencyChange(models.Model):
    """Append-only log of changes to an agency's settings (机关设置变更记录): who changed what."""

    # The app database role may not change or delete these rows (append-only log); see gongkai.ops.dbroles.
    db_frozen_rows = True

    agency = models.ForeignKey(
        Agency, verbose_name=_("机关"), on_delete=models.CASCADE, related_name="changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("变更类型"), max_length=30, choices=AgencyChangeAction.choices)
    summary = models.CharField(_("变更摘要"), max_length=500)
    # {"field": [before, after], ...} or other facts of the change.
    details = models.JSONField(_("变更明细"), default=dict, blank=True)
    created_at = models.DateTimeField(_("变更时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("机关设置变更记录")
        verbose_name_plural = _("机关设置变更记录")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.agency} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AgencyChangeImmutable("agency change records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AgencyChangeImmutable("agency change records are append-only")
