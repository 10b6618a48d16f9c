from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "hearth.programs"
    label = "programs"
    verbose_name = _("Programs")
