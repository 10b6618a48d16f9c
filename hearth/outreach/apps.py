from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "hearth.outreach"
    label = "outreach"
    verbose_name = _("Outreach")

    def ready(self):
        # A check-in or questionnaire answer re-runs the rules for that person (a Huey job).
        from hearth.checkins.services import on_answer_register

        from .tasks import evaluate_person

        on_answer_register(evaluate_person)
