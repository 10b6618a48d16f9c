from django.urls import path

from . import views

app_name = "toolkit"

urlpatterns = [
    path("toolkit/", views.home, name="home"),
    path("toolkit/days/", views.counter, name="counter"),
    path("toolkit/days/lapse/", views.lapse, name="lapse"),
    path("toolkit/goals/", views.goal_list, name="goal_list"),
    path("toolkit/goals/<int:goal_id>/", views.goal_detail, name="goal_detail"),
    path("toolkit/goals/<int:goal_id>/steps/<int:step_id>/", views.step_toggle, name="step_toggle"),
    path("toolkit/homework/", views.homework_list, name="homework_list"),
    path("toolkit/homework/<int:assignment_id>/", views.homework_detail, name="homework_detail"),
    path("toolkit/tools/", views.tools, name="tools"),
    path("toolkit/thoughts/", views.thoughts, name="thoughts"),
    path("toolkit/journal/", views.journal, name="journal"),
    path("toolkit/share/<slug:kind>/<int:record_id>/", views.share, name="share"),
    path("library/", views.library, name="library"),
    path("library/new/", views.resource_new, name="resource_new"),
    path("library/<int:resource_id>/", views.resource_detail, name="resource_detail"),
    path("library/<int:resource_id>/save/", views.favourite, name="favourite"),
    path("homework/assign/", views.assign, name="assign"),
    path("homework/<int:assignment_id>/review/", views.review, name="review"),
    path("people/<int:person_id>/toolkit/", views.person_toolkit, name="person"),
    path("people/<int:person_id>/toolkit/goals/<int:goal_id>/link/", views.goal_link, name="goal_link"),
]
