from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("manifest.webmanifest", views.web_manifest, name="manifest"),
    path("settings/api-tokens/", views.token_list, name="token_list"),
    path("settings/api-tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
