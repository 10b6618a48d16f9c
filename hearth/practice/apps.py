from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    name = "hearth.practice"
    label = "practice"
    verbose_name = _("Practice scenes")

    def ready(self):
        from hearth.toolkit.activities import homework_activity_register

        from . import permissions  # noqa: F401  (registers the rules)
        from .selectors import SCENE_HOMEWORK, scene_activity_views

        # "Practise this before Friday" is toolkit homework that points at a scene.
        homework_activity_register(SCENE_HOMEWORK, label=_("Practice scene"), describe=scene_activity_views)
