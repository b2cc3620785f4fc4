from django.urls import path

from . import views

app_name = "pii"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<str:kind>/<int:pk>/", views.check, name="check"),
]
