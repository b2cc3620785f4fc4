from django.urls import path

from . import views

app_name = "consultations"
urlpatterns = [
    path("consultations/", views.consultation_list, name="list"),
    path("consultations/<int:pk>/", views.detail, name="detail"),
    path("consultations/<int:pk>/attachments/<int:att_id>/", views.attachment, name="attachment"),
    path("workbench/consultations/", views.staff_list, name="staff_list"),
    path("workbench/consultations/figures/", views.figures, name="figures"),
    path("workbench/consultations/new/<int:record_id>/", views.new, name="new"),
    path("workbench/consultations/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("workbench/consultations/<int:pk>/actions/<str:name>/", views.staff_action, name="staff_action"),
]
