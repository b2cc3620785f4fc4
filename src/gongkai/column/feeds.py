"""Atom feeds (订阅) of newly published records, per agency and per topic (主题分类)."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from gongkai.agencies.models import Agency

from .services import public_records

FEED_ITEMS = 50


class _RecordFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, r):
        return r.title

    def item_description(self, r):
        return r.summary or r.body[:200]

    def item_link(self, r):
        return reverse("column:document", args=[r.pk])

    def item_pubdate(self, r):
        d = r.published_on or r.written_on
        return timezone.make_aware(dt.datetime.combine(d, dt.time(0, 0))) if d else None

    def item_author_name(self, r):
        return r.agency.name

    def item_guid(self, r):
        return r.index_number or str(r.pk)

    item_guid_is_permalink = False


class AgencyFeed(_RecordFeed):
    def get_object(self, request, agency_id):
        return get_object_or_404(Agency, pk=agency_id, active=True)

    def title(self, agency):
        return f"{agency.name} 政府信息公开"

    def link(self, agency):
        return reverse("column:agency_home", args=[agency.pk])

    def subtitle(self, agency):
        return f"{agency.name}最新主动公开的政府信息"

    def items(self, agency):
        return (
            public_records()
            .filter(agency=agency)
            .select_related("agency")
            .order_by("-published_on", "-pk")[:FEED_ITEMS]
        )


class TopicFeed(_RecordFeed):
    def get_object(self, request, code):
        from gongkai.records.models import Topic

        return get_object_or_404(Topic, code=code, active=True)

    def title(self, topic):
        return f"主题：{topic.name} — 政府信息公开"

    def link(self, topic):
        return reverse("column:search") + f"?topic={topic.code}"

    def subtitle(self, topic):
        return f"主题分类“{topic.name}”下最新主动公开的政府信息"

    def items(self, topic):
        return (
            public_records()
            .filter(topic__in=[topic, *topic.children.all()])
            .select_related("agency")
            .order_by("-published_on", "-pk")[:FEED_ITEMS]
        )
