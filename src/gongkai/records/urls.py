"""Staff pages of records in the workbench (/workbench/records/)."""

from django.urls import path

from .views import cleanup, documents

app_name = "records"
urlpatterns = [
    path("", documents.record_list, name="list"),
    path("new/", documents.record_new, name="new"),
    path("<int:pk>/", documents.record_detail, name="detail"),
    path("<int:pk>/edit/", documents.record_edit, name="edit"),
    path("<int:pk>/actions/<str:action>/", documents.record_action, name="action"),
    path("<int:pk>/attachments/", documents.record_attach, name="attach"),
    path("attachments/<int:pk>/", documents.attachment_download, name="attachment"),
    path("cleanup/", cleanup.campaign_list, name="campaigns"),
    path("cleanup/<int:pk>/", cleanup.campaign_detail, name="campaign"),
    path("cleanup/<int:pk>/apply/", cleanup.campaign_apply, name="campaign_apply"),
]
