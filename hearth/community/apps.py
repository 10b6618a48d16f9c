from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "hearth.community"
    label = "community"
    verbose_name = _("Community")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the rules)
