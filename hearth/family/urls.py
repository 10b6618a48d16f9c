from django.urls import path

from . import views

app_name = "family"

urlpatterns = [
    path("family/portal/", views.portal, name="portal"),
    path("family/portal/<int:person_id>/", views.person, name="person"),
    path("family/my-summary/", views.my_summary, name="my_summary"),
    path("family/course/", views.course, name="course"),
    path("family/course/<slug:slug>/", views.course_module, name="course_module"),
    path("family/contract/", views.contract_home, name="contract_home"),
    path("family/contract/<int:participant_id>/", views.contract, name="contract"),
    path("family/contract/<int:participant_id>/activities/", views.activities, name="activities"),
]
