from django.urls import path

from . import views

app_name = "frequent"
urlpatterns = [
    path("", views.proposals, name="list"),
    path("detect/", views.detect, name="detect"),
    path("<int:pk>/", views.detail, name="detail"),
]
