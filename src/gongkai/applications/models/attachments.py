"""Files attached to an application (申请材料、证明材料), optionally to one event."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.files import RandomUploadTo

from .application import Application
from .events import ApplicationEvent


def attachment_path(instance, filename):
    """Kept for old migrations; files are stored under random names (:class:`RandomUploadTo`)."""
    return f"applications/{instance.application.agency_id}/{instance.application_id}/{filename}"


class Attachment(models.Model):
    # The app database role may not change or delete these rows (files as received); see gongkai.ops.dbroles.
    db_frozen_rows = True

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="attachments")
    event = models.ForeignKey(
        ApplicationEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    # Stored under a random name (applications/ab/<uuid>.pdf); served only by views that check access.
    file = models.FileField(_("文件"), upload_to=RandomUploadTo("applications"), max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.original_name
