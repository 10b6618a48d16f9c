from django.urls import path

from . import views

urlpatterns = [
    path("my-record/views/", views.my_disclosures, name="my_disclosures"),
]
