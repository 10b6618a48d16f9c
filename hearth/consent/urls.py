from django.urls import path

from . import views

urlpatterns = [
    path("sharing/", views.consent_list, name="consent_list"),
    path("sharing/new/", views.consent_new, name="consent_new"),
    path("sharing/<int:consent_id>/revoke/", views.consent_revoke_view, name="consent_revoke"),
    path("shared-with-me/", views.family_shared, name="family_shared"),
]
