"""问答 / 猜您想问: anonymised logs of questions asked and terms searched (one row per day, kind
and normalised text with a count — no address, user or time of day), and staff curation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

QUESTION = "question"
SEARCH = "search"
KIND_CHOICES = [(QUESTION, "提问"), (SEARCH, "检索词")]
PINNED = "pinned"
HIDDEN = "hidden"
CURATION_CHOICES = [(PINNED, "置顶推荐"), (HIDDEN, "不展示")]


class QueryLog(models.Model):
    day = models.DateField()
    kind = models.CharField(max_length=10, choices=KIND_CHOICES)
    text = models.CharField(max_length=200)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "kind", "text"], name="unique_qa_query_log")]
        indexes = [models.Index(fields=["kind", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.text} ×{self.count}"


class Curation(models.Model):
    """A question pinned to 猜您想问 or a logged question/term hidden from it (staff decision)."""

    kind = models.CharField(max_length=10, choices=KIND_CHOICES, default=QUESTION)
    text = models.CharField(_("内容"), max_length=200)
    state = models.CharField(_("处理"), max_length=10, choices=CURATION_CHOICES)
    sort = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sort", "pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "text"], name="unique_qa_curation")]

    def __str__(self) -> str:
        return self.text
