"""Plain words for where a safety signal came from, in the reader's language, instead of its
dotted source key ("PHQ-9 question 9 at intake", not ``intake.phq9.item9``). The keys are data the
apps pass to ``safety_signal_raise``; an unknown key falls back to a neutral phrase."""

from django.utils.translation import gettext_lazy as _

SOURCE_LABELS = {
    "intake.phq9.item9": _("PHQ-9 question 9 answered above 0 at intake"),
    "checkins.phq9.item9": _("PHQ-9 question 9 answered above 0"),
    "checkins.use_reported": _("Use reported in a check-in"),
    "checkins.note": _("Words of crisis or use in a check-in note"),
    "messaging.message": _("Words of crisis or use in a chat message"),
    "community.post": _("Words of crisis or use in a support-group post"),
    "community.event_proposal": _("Words of crisis or use in a proposed social event"),
    "family.contract": _("Words of crisis or use in the recovery contract"),
    "mentorship.worry": _("A peer mentor is worried"),
    "mentorship.contact.note": _("Words of crisis or use in a mentor's contact note"),
    "practice.answer": _("Words of crisis or use in a practice answer"),
    "toolkit.journal": _("Words of crisis or use in a journal entry"),
    "toolkit.homework": _("Words of crisis or use in homework"),
    "toolkit.goal": _("Words of crisis or use in a personal goal"),
    "toolkit.lapse": _("A return to use recorded with the sober-days counter"),
    "toolkit.thought_record": _("Words of crisis or use in a thought record"),
}


def source_label(source: str) -> str:
    """The longest known prefix of the dotted key wins (``checkins.note.active_ideation``)."""
    parts = source.split(".")
    for end in range(len(parts), 0, -1):
        label = SOURCE_LABELS.get(".".join(parts[:end]))
        if label is not None:
            return str(label)
    return str(_("A safety signal"))
