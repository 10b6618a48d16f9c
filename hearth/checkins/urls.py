from django.urls import path

from . import views

app_name = "checkins"

urlpatterns = [
    path("checkin/", views.checkin_today, name="checkin"),
    path("progress/", views.progress, name="progress"),
    path("questionnaires/<slug:code>/", views.measure_answer, name="measure_answer"),
    path("questionnaires/results/<int:response_id>/", views.measure_result, name="measure_result"),
    path("people/<int:person_id>/checkins/", views.person_checkins, name="person_checkins"),
    path("people/<int:person_id>/questionnaires/", views.person_measures, name="person_measures"),
    path("people/<int:person_id>/questionnaires/schedule/", views.measure_schedule, name="measure_schedule"),
]
