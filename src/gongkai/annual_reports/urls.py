from django.urls import path

from .views import workbench as v

app_name = "annual_reports"
urlpatterns = [
    path("", v.report_list, name="list"),
    path("new/", v.report_create, name="create"),
    path("supervision/", v.supervision, name="supervision"),
    path("<int:report_id>/", v.report_detail, name="detail"),
    path("<int:report_id>/narratives/", v.report_narratives, name="narratives"),
    path("<int:report_id>/recompute/", v.report_recompute, name="recompute"),
    path("<int:report_id>/publish/", v.report_publish, name="publish"),
    path("<int:report_id>/correct/", v.report_correct, name="correct"),
    path("<int:report_id>/v<int:number>/download.<str:fmt>", v.report_download, name="download"),
    path("proactive/<int:agency_id>/", v.proactive, name="proactive"),
    path("appeals/<int:agency_id>/", v.appeals, name="appeals"),
    path("appeals/<int:agency_id>/<int:appeal_id>/", v.appeals, name="appeal_edit"),
]
