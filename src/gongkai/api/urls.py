from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from .record_views import CatalogueView, PublicRecordViewSet, StaffRecordViewSet
from .reports import (
    AnnualReportViewSet,
    AppealViewSet,
    ImportedReportViewSet,
    ProactiveCountsView,
    ReportVersionView,
)
from .views import ApplicationViewSet, TransitionTableView

app_name = "api"


class _Router(DefaultRouter):
    include_root_view = False


router = _Router()
router.register("applications", ApplicationViewSet, basename="application")
router.register("annual-reports", AnnualReportViewSet, basename="annual-report")
router.register("appeals", AppealViewSet, basename="appeal")
router.register("report-imports", ImportedReportViewSet, basename="report-import")
router.register("records", PublicRecordViewSet, basename="record")
router.register("staff/records", StaffRecordViewSet, basename="staff-record")

urlpatterns = [
    # the schema document is not an operation of itself
    path(
        "schema/",
        extend_schema_view(get=extend_schema(exclude=True))(SpectacularAPIView).as_view(),
        name="schema",
    ),
    # the split view serves Swagger UI's start-up script as a file (Content-Security-Policy); the
    # UI adds <style> elements at run time, so this page alone allows inline styles (not scripts)
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    path("transitions/", TransitionTableView.as_view(), name="transition-table"),
    re_path(
        r"^annual-reports/(?P<pk>[0-9]{1,10})/versions/(?P<number>[0-9]{1,10})/$",
        ReportVersionView.as_view(),
        name="annual-report-version",
    ),
    path("proactive-counts/", ProactiveCountsView.as_view(), name="proactive-counts"),
    path("catalogue/<int:agency_id>/", CatalogueView.as_view(), name="catalogue"),
    path("", include(router.urls)),
]
