from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "hearth.safety"
    label = "safety"
    verbose_name = _("Safety")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)
