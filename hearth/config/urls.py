from django.urls import include, path

from hearth.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("dashboard/", core_views.dashboard, name="dashboard"),
    path("help/crisis/", core_views.crisis, name="crisis"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("i18n/setlang/", core_views.switch_language, name="set_language"),
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
]
