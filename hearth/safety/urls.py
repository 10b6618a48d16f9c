from django.urls import path

from . import views

urlpatterns = [
    path("safety/signals/<int:signal_id>/acknowledge/", views.signal_acknowledge, name="signal_acknowledge"),
]
