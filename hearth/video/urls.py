from django.urls import path

from . import views

app_name = "video"

urlpatterns = [
    path("video/check/", views.device_check, name="device_check"),
    path("video/<int:occurrence_id>/", views.room, name="room"),
    path("video/<int:occurrence_id>/token/", views.join_token, name="join_token"),
]
