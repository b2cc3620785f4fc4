from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("ysq/", views.home, name="home"),  # 依申请公开 entry; "/" is the column home
    path("apply/", views.apply, name="apply"),
    path("apply/receipt/", views.receipt, name="receipt"),
    path("track/", views.track, name="track"),
    path("track/status/", views.status, name="status"),
    path("track/withdraw/", views.withdraw, name="withdraw"),
    path("track/correct/", views.correct, name="correct"),
    path("track/documents/<int:pk>/<str:fmt>/", views.document, name="document"),
]
