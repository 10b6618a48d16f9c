from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideoConfig(AppConfig):
    name = "hearth.video"
    label = "video"
    verbose_name = _("Video sessions")
