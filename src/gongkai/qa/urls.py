from django.urls import path

from . import views

app_name = "qa"
urlpatterns = [
    path("qa/", views.ask, name="ask"),
    path("workbench/qa/", views.curate, name="curate"),
    path("workbench/qa/actions/", views.curate_action, name="curate_action"),
]
