"""Public annual report pages, included at ``/reports/`` before the portal."""

from django.urls import path

from .views import public as v

app_name = "public_reports"
urlpatterns = [
    path("", v.report_index, name="index"),
    path("<int:agency_id>/<int:year>/", v.report_page, name="report"),
    path("<int:agency_id>/<int:year>/download.<str:fmt>", v.report_download, name="download"),
    path("<int:agency_id>/<int:year>/v<int:number>/", v.report_page, name="version"),
    path(
        "<int:agency_id>/<int:year>/v<int:number>/download.<str:fmt>",
        v.report_download,
        name="version_download",
    ),
]
