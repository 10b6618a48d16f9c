from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The top floor: the shell every page shares, the per-role dashboard, the people pages and the
    demo. It composes what the apps below provide and is imported by none of them."""

    name = "hearth.home"
    label = "home"
    verbose_name = _("Home")
