from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("plan/", views.mine, name="mine"),
    path("people/<int:person_id>/plan/", views.plan, name="plan"),
    path("people/<int:person_id>/plan/<int:program_id>/edit/", views.edit, name="edit"),
    path("people/<int:person_id>/plan/<int:program_id>/history/", views.history, name="history"),
]
