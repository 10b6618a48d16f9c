from django.urls import include, path

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
    path("", include("hearth.plans.urls")),
    path("", include("hearth.practice.urls")),
]
