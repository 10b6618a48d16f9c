from django.urls import path

from . import views

urlpatterns = [
    path("invite/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/<int:invitation_id>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("family/invite/", views.family_invite, name="family_invite"),
    path("profile/", views.profile, name="profile"),
    path("profile/clinical/", views.clinical_identity, name="clinical_identity"),
    path("people/<int:person_id>/sessions/end/", views.person_sessions_end, name="person_sessions_end"),
]
