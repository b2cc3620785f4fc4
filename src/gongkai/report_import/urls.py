from django.urls import path

from . import views

app_name = "report_import"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("export.csv", views.export_csv, name="export"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("reports/<int:pk>/", views.report_detail, name="detail"),
    path("reports/<int:pk>/duplicate/", views.duplicate, name="duplicate"),
    path("agencies/<int:agency_id>/compare/", views.compare, name="compare"),
]
