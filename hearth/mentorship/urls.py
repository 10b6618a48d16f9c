from django.urls import path

from . import views

app_name = "mentorship"
urlpatterns = [
    path("mentorship/me/", views.mine, name="mine"),
    path("mentorship/mentees/", views.mentees, name="mentees"),
    path("mentorship/profile/", views.profile, name="profile"),
    path("mentorship/<int:mentorship_id>/", views.detail, name="detail"),
    path("mentorship/<int:mentorship_id>/respond/", views.respond, name="respond"),
    path("mentorship/<int:mentorship_id>/contacts/", views.contact_new, name="contact_new"),
    path("mentorship/<int:mentorship_id>/worry/", views.worry, name="worry"),
    path("mentorship/<int:mentorship_id>/end/", views.end, name="end"),
    path("mentorship/<int:mentorship_id>/message/", views.message, name="message"),
    path("mentorship/<int:mentorship_id>/meetings/", views.meeting_new, name="meeting_new"),
    path("mentorship/<int:mentorship_id>/share/", views.share, name="share"),
    path("mentorship/requests/", views.requests, name="requests"),
    path("mentorship/requests/match-all/", views.batch, name="batch"),
    path("mentorship/requests/<int:request_id>/propose/", views.propose, name="propose"),
    path("mentorship/people/<int:person_id>/request/", views.request_for, name="request_for"),
    path("mentorship/supervision/", views.supervision, name="supervision"),
    path("mentorship/mentors/<int:profile_id>/approve/", views.approve, name="approve"),
    path("mentorship/mentors/<int:profile_id>/training/", views.training_new, name="training_new"),
    path("mentorship/mentors/<int:profile_id>/supervision-note/", views.supervision_note, name="supervision_note"),
]
