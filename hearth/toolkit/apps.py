from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolkitConfig(AppConfig):
    name = "hearth.toolkit"
    label = "toolkit"
    verbose_name = _("Recovery toolkit")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the rules)
