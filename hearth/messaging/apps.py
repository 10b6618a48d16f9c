from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "hearth.messaging"
    label = "messaging"
    verbose_name = _("Messages")

    def ready(self):
        from hearth.programs.retention import Shredder, shredder_register
        from hearth.programs.services import on_role_ended

        from .services import conversations_leave_for_ended_role, messages_shred_for_retention

        # Ending a role (or a discharge) ends the conversation memberships it gave, at once.
        on_role_ended(conversations_leave_for_ended_role)
        # The program's chat retention setting: messages of people long gone are shredded nightly.
        shredder_register(Shredder("messaging.messages", "chat_retention_years", messages_shred_for_retention))
