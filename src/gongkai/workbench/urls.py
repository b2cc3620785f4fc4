from django.urls import path

from . import views

app_name = "workbench"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("intake/", views.intake, name="intake"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/actions/<str:action>/", views.case_action, name="case_action"),
    path("documents/<int:pk>/<str:fmt>/", views.case_document, name="document"),
    path("attachments/<int:pk>/", views.case_attachment, name="attachment"),
]
