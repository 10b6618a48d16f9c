from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "hearth.scheduling"
    label = "scheduling"
    verbose_name = _("Scheduling and attendance")

    def ready(self):
        from .reminders import register

        register()
