"""Plain words for audit actions, for the person whose record it is ("who viewed my record")."""

from django.utils.translation import gettext_lazy as _

# The part of the record an action touched, by the action's "app.thing" prefix.
RECORD_PARTS = {
    "accounts.clinical_identity": _("your contact and identity details"),
    "programs.person": _("your record"),
    "programs.people_list": _("your name on the staff's list of people"),
    "home.dashboard": _("your name, check-in trends and alerts on a dashboard"),
    "scheduling.roster": _("who attends a session with you"),
    "scheduling.attendance_sheet": _("your attendance"),
    "scheduling.hours_report": _("your weekly treatment hours"),
    "programs.enrolment": _("your enrolment"),
    "checkins.checkin": _("your daily check-ins"),
    "checkins.measure": _("your questionnaires"),
    "intake.packet": _("your intake forms"),
    "plans.plan": _("your treatment plan"),
    "plans.history": _("your treatment plan's history"),
    "scheduling.attendance": _("your attendance"),
    "scheduling.note": _("a session note about you"),
    "outreach.task": _("an outreach task about you"),
    "safety.signal": _("a safety alert about you"),
    "consent.consent": _("your sharing consents"),
    "messaging.conversation": _("a conversation you are in"),
    "messaging.conversation_list": _("your last message in a conversation, on the conversation list"),
    "api.caseload": _("your name and check-in summary, through the API"),
    "api.fhir_patient_everything": _("your whole record, exported in FHIR format"),
    "api.fhir_bulk_export": _("your whole record, exported in FHIR format with the rest of your program"),
}

# Verbs of reads: an API call that is audited with you as subject read your data (writes through
# the API are audited by the service that made them).
READ_VERBS = ("viewed", "called")


def describe(action: str) -> str:
    """ "Looked at your attendance", "Changed your treatment plan", …; never the raw code."""
    prefix, _dot, verb = action.rpartition(".")
    part = RECORD_PARTS.get(prefix, _("your record"))
    if verb in READ_VERBS:
        return _("Looked at %(part)s") % {"part": part}
    return _("Changed or added to %(part)s") % {"part": part}
