from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolkitConfig(AppConfig):
    name = "hearth.toolkit"
    label = "toolkit"
    verbose_name = _("Recovery toolkit")

    def ready(self):
        from hearth.checkins.coping import coping_options_register
        from hearth.notifications.reminders import reminder_kind_register
        from hearth.plans.selectors import plan_goal_links_register

        from . import permissions  # noqa: F401  (registers the rules)
        from .selectors import goals_linked_to_plans, written_tools_used_on
        from .selfhelp import COPING_OPTIONS
        from .services import HOMEWORK_REMINDER_KIND, homework_still_due

        reminder_kind_register(HOMEWORK_REMINDER_KIND, still_due=homework_still_due)
        # The plan page shows which of the person's own goals work toward it.
        plan_goal_links_register(goals_linked_to_plans)
        # A self-help tool used today counts as a coping action in the check-in.
        coping_options_register(COPING_OPTIONS, used_on=written_tools_used_on)
