from django.urls import path

from . import views

urlpatterns = [
    path("people/", views.people_list, name="people_list"),
    path("people/<int:person_id>/", views.person_detail, name="person_detail"),
]
