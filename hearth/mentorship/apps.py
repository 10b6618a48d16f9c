from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipConfig(AppConfig):
    name = "hearth.mentorship"
    label = "mentorship"
    verbose_name = _("Peer mentorship")

    def ready(self):
        # Lower apps hear from mentorship through what they offer: messaging lets an active
        # mentorship open a private conversation; outreach counts a mentor's contact as social contact;
        # scheduling lets a mentor put a meeting with their own mentee on the calendar.
        from hearth.messaging.permissions import direct_allowance_register
        from hearth.outreach.rules import social_contact_register
        from hearth.scheduling.services import schedule_allowance_register

        from . import permissions  # noqa: F401 - registers the rules
        from .selectors import active_mentorship_between, last_mentor_contact, mentor_meeting_allowed

        direct_allowance_register(active_mentorship_between)
        social_contact_register(last_mentor_contact)
        schedule_allowance_register(mentor_meeting_allowed)
