from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    name = "hearth.practice"
    label = "practice"
    verbose_name = _("Practice scenes")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the rules)
