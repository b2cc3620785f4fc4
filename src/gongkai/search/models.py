"""The search index table (检索索引): one row per indexed object of any registered kind.

Generic on purpose: records (政府信息) and interpretations (政策解读) — anything registered in
:mod:`gongkai.search.registry` — share it. The row is a denormalised copy, rebuilt from the
object by ``index(obj)``; nothing else writes it.

On PostgreSQL ``vector`` is a ``tsvector`` column (words and filter lexemes, GIN index)
and ``title_norm`` / ``doc_number_norm`` have ``pg_trgm`` GIN indexes; on other databases they
are plain text and the simple backend searches ``text`` with ``LIKE``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TsVectorField(models.TextField):
    """``tsvector`` on PostgreSQL, text elsewhere. Written as a literal (``'w1' 'w2'``)."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"

    def get_placeholder(self, value, compiler, connection):
        return "%s::tsvector" if connection.vendor == "postgresql" else "%s"


class SearchEntry(models.Model):
    kind = models.CharField(_("类型"), max_length=50)  # registry key, e.g. records.record
    object_id = models.BigIntegerField(_("对象编号"))
    agency_id = models.BigIntegerField(_("发布机关"), null=True, blank=True, db_index=True)
    issuer_ids = models.CharField(_("发文机关"), max_length=400, blank=True)  # "|3|17|"
    title = models.TextField(_("标题"))
    title_norm = models.TextField(_("标题（检索形式）"))
    doc_number = models.CharField(_("发文字号"), max_length=200, blank=True)
    doc_number_norm = models.CharField(_("发文字号（检索形式）"), max_length=200, blank=True)
    index_number = models.CharField(_("索引号"), max_length=100, blank=True)
    summary = models.TextField(_("内容概述"), blank=True)
    topic = models.CharField(_("主题分类"), max_length=50, blank=True)
    doc_type = models.CharField(_("文种"), max_length=50, blank=True)
    year = models.IntegerField(_("年份"), null=True, blank=True)
    validity = models.CharField(_("有效性"), max_length=20, blank=True)
    in_force = models.BooleanField(_("现行有效"), default=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    text = models.TextField(_("全文（检索形式）"), blank=True)
    vector = TsVectorField(_("词向量"), blank=True)
    extra = models.JSONField(_("展示信息"), default=dict, blank=True)
    indexed_at = models.DateTimeField(_("索引时间"), auto_now=True)

    class Meta:
        verbose_name = _("检索索引")
        verbose_name_plural = _("检索索引")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_object")]
        indexes = [models.Index(fields=["published_on"], name="search_entry_published")]

    def __str__(self) -> str:
        return f"{self.kind}#{self.object_id} {self.title}"
