from django.urls import path

from . import views
from .views import agency_settings as agency_settings_views
from .views import api_token as api_token_views
from .views import personal_data as personal_data_views
from .views import query_code as query_code_views
from .views import supervision as supervision_views

app_name = "workbench"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("intake/", views.intake, name="intake"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/actions/<str:action>/", views.case_action, name="case_action"),
    path("cases/<int:pk>/query-code/", query_code_views.reissue, name="reissue_query_code"),
    path("cases/<int:pk>/reveal/", personal_data_views.reveal, name="reveal"),
    path("documents/<int:pk>/<str:fmt>/", views.case_document, name="document"),
    path("attachments/<int:pk>/", views.case_attachment, name="attachment"),
    path("api-token/", api_token_views.api_token, name="api_token"),
    path("supervision/", supervision_views.supervision, name="supervision"),
    path("supervision/<int:agency_id>/", supervision_views.supervision, name="supervision_agency"),
    path("agency/", agency_settings_views.agency_index, name="agency_index"),
    path("agency/<int:agency_id>/", agency_settings_views.agency_settings, name="agency_settings"),
    path("agency/<int:agency_id>/reveals/", personal_data_views.reveal_log, name="reveal_log"),
    path(
        "agency/<int:agency_id>/templates/<str:kind>/",
        agency_settings_views.agency_template,
        name="agency_template",
    ),
    path(
        "agency/<int:agency_id>/templates/<str:kind>/preview.<str:fmt>",
        agency_settings_views.agency_template_preview,
        name="agency_template_preview",
    ),
]
