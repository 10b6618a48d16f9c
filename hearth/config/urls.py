from django.urls import include, path

from hearth.api.endpoints import api

urlpatterns = [
    path("", include("hearth.home.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("hearth.accounts.urls")),
    path("", include("hearth.programs.urls")),
    path("", include("hearth.audit.urls")),
    path("", include("hearth.consent.urls")),
    path("", include("hearth.notifications.urls")),
    path("", include("hearth.safety.urls")),
    path("", include("hearth.messaging.urls")),
    path("", include("hearth.scheduling.urls")),
    path("", include("hearth.video.urls")),
    path("", include("hearth.checkins.urls")),
    path("", include("hearth.outreach.urls")),
    path("", include("hearth.intake.urls")),
    path("", include("hearth.toolkit.urls")),
    path("", include("hearth.plans.urls")),
    path("", include("hearth.community.urls")),
    path("", include("hearth.mentorship.urls")),
    path("", include("hearth.reports.urls")),
    path("", include("hearth.family.urls")),
    path("", include("hearth.api.urls")),
    path("api/v1/", api.urls),
    path("", include("hearth.practice.urls")),
]
