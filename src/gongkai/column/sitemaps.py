"""sitemap.xml: the column home, every agency's column pages and every disclosed record."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from gongkai.agencies.models import Agency

from .services import public_records


class RecordSitemap(Sitemap):
    changefreq = "monthly"
    limit = 10_000  # several pages of 10,000 URLs (the protocol allows 50,000)

    def items(self):
        return public_records().only("pk", "updated_at").order_by("pk")

    def location(self, r):
        return reverse("column:document", args=[r.pk])

    def lastmod(self, r):
        return r.updated_at


class ColumnSitemap(Sitemap):
    changefreq = "daily"

    PAGES = ("agency_home", "guide", "system", "agency_statutory", "agency_catalogue", "agency_policies")

    def items(self):
        return [
            (a.pk, name) for a in Agency.objects.filter(active=True).order_by("path") for name in self.PAGES
        ]

    def location(self, item):
        pk, name = item
        return reverse(f"column:{name}", args=[pk])


class HomeSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["column:home", "column:search", "portal:apply", "public_reports:index"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"home": HomeSitemap, "column": ColumnSitemap, "records": RecordSitemap}
