from django.urls import path

from . import views

app_name = "outreach"

urlpatterns = [
    path("outreach/", views.queue, name="queue"),
    path("outreach/tasks/<int:task_id>/", views.task_detail, name="task_detail"),
    path("outreach/tasks/<int:task_id>/log/", views.task_log, name="task_log"),
    path("outreach/programs/<int:program_id>/thresholds/", views.thresholds, name="thresholds"),
]
