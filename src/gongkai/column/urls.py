"""Stable public URLs of the disclosure column (政府信息公开专栏)."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from .feeds import AgencyFeed, TopicFeed
from .sitemaps import SITEMAPS
from .views import public, search, staff

app_name = "column"


def scoped(route: str, view, name: str):
    """The same page for one agency (/gk/<id>/…) and for its region (/region/<id>/…)."""
    return [
        path(f"gk/<int:agency_id>/{route}", view, name=f"agency_{name}"),
        path(f"region/<int:agency_id>/{route}", view, {"region": True}, name=f"region_{name}"),
    ]


urlpatterns = [
    path("", public.home, name="home"),
    path("search/", search.search, name="search"),
    *scoped("", public.agency_home, "home"),
    *scoped("statutory/", public.statutory, "statutory"),
    *scoped("catalogue/", public.catalogue_view, "catalogue"),
    *scoped("policies/", public.policies, "policies"),
    path("gk/<int:agency_id>/guide/", public.guide, name="guide"),
    path("gk/<int:agency_id>/system/", public.system, name="system"),
    path("gk/<int:agency_id>/<str:kind>/edit/", staff.edit_page, name="edit_page"),
    path("gk/<int:agency_id>/feed.atom", AgencyFeed(), name="agency_feed"),
    path("topics/<str:code>/feed.atom", TopicFeed(), name="topic_feed"),
    path("docs/<int:pk>/", public.document, name="document"),
    path("docs/<int:pk>/attachments/<int:attachment_id>/", public.attachment, name="attachment"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "column:sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
]
