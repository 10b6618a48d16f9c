from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "hearth.messaging"
    label = "messaging"
    verbose_name = _("Messages")

    def ready(self):
        from hearth.programs.services import on_role_ended

        from .services import conversations_leave_for_ended_role

        # Ending a role (or a discharge) ends the conversation memberships it gave, at once.
        on_role_ended(conversations_leave_for_ended_role)
