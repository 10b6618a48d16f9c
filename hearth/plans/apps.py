from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "hearth.plans"
    label = "plans"
    verbose_name = _("Treatment plans")

    def ready(self):
        # The weekly hours report (scheduling) measures each person against their plan's target.
        from hearth.scheduling.selectors import planned_minutes_register

        from .selectors import plan_target_minutes_subquery

        planned_minutes_register(plan_target_minutes_subquery)
