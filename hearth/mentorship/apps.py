from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipConfig(AppConfig):
    name = "hearth.mentorship"
    label = "mentorship"
    verbose_name = _("Peer mentorship")

    def ready(self):
        # Lower apps hear from mentorship through what they offer: messaging lets an active
        # mentorship open a private conversation; outreach counts a mentor's contact as social contact.
        from hearth.messaging.permissions import direct_allowance_register
        from hearth.outreach.rules import social_contact_register

        from . import permissions  # noqa: F401 - registers the rules
        from .selectors import active_mentorship_between, last_mentor_contact

        direct_allowance_register(active_mentorship_between)
        social_contact_register(last_mentor_contact)
