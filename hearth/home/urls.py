from django.urls import path

from . import people, views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/steps/hide/", views.next_step_dismiss_view, name="next_step_dismiss"),
    path("help/crisis/", views.crisis, name="crisis"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("csp-report/", views.csp_report, name="csp_report"),
    path("i18n/setlang/", views.switch_language, name="set_language"),
    path("my-record/copy/", views.my_record, name="my_record"),
    path("people/", people.people_list, name="people_list"),
    path("people/<int:person_id>/", people.person_detail, name="person_detail"),
]
