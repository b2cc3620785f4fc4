from django.urls import path

from . import public_views, staff_views

app_name = "interpretations"
urlpatterns = [
    path("interpretations/", public_views.interpretation_list, name="list"),
    path("interpretations/<int:pk>/", public_views.detail, name="detail"),
    path("interpretations/<int:pk>/images/<int:image_id>/", public_views.image, name="image"),
    path("interpretations/<int:pk>/media/", public_views.media, name="media"),
    path("workbench/interpretations/", staff_views.queue, name="queue"),
    path("workbench/interpretations/new/", staff_views.new, name="new"),
    path("workbench/interpretations/supervision/", staff_views.supervision, name="supervision"),
    path("workbench/interpretations/<int:pk>/", staff_views.staff_detail, name="staff_detail"),
    path("workbench/interpretations/<int:pk>/images/", staff_views.add_image, name="add_image"),
    path("workbench/interpretations/<int:pk>/actions/<str:name>/", staff_views.action, name="action"),
]
