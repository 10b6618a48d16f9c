from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("manifest.webmanifest", views.web_manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
    path("checkin/send/", views.checkin_send, name="checkin_send"),
    path("settings/api-tokens/", views.token_list, name="token_list"),
    path("settings/api-tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("settings/api-clients/", views.client_list, name="client_list"),
    path("settings/api-clients/<int:client_pk>/revoke/", views.client_revoke, name="client_revoke"),
]
