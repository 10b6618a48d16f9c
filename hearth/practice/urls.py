from django.urls import path

from . import views

app_name = "practice"

urlpatterns = [
    path("practice/", views.home, name="home"),
    path("practice/history/", views.history, name="history"),
    path("practice/scenes/<int:scene_id>/start/", views.start, name="start"),
    path("practice/runs/<int:run_id>/", views.run_detail, name="run"),
    path("practice/runs/<int:run_id>/choose/", views.choose, name="choose"),
    path("practice/runs/<int:run_id>/answer/", views.answer, name="answer"),
    path("practice/library/", views.scenes, name="scenes"),
    path("practice/library/new/", views.scene_new, name="scene_new"),
    path("practice/library/<int:scene_id>/edit/", views.scene_edit, name="scene_edit"),
    path("people/<int:person_id>/practice/", views.person_practice, name="person"),
    path("people/<int:person_id>/practice/assign/", views.assign, name="assign"),
]
