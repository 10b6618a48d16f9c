from django.urls import path

from . import views

urlpatterns = [
    path("safety/my-plan/", views.plan_mine, name="safety_plan_mine"),
    path("safety/plans/<int:person_id>/", views.plan_detail, name="safety_plan"),
    path("safety/plans/<int:person_id>/edit/", views.plan_edit, name="safety_plan_edit"),
    path("safety/plans/<int:person_id>/review/", views.plan_review, name="safety_plan_review"),
    path("signals/<int:signal_id>/", views.signal_detail, name="signal_detail"),
    path("safety/signals/<int:signal_id>/acknowledge/", views.signal_acknowledge, name="signal_acknowledge"),
]
