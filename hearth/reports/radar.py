"""The isolation radar in words and as a small picture: what a clinician reads at a glance."""

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hearth.checkins.charts import dot_grid

from .selectors import CHANNELS, RADAR_WEEKS, RadarRow

CHANNEL_LABELS = {
    "peers": gettext_lazy("Chat with peers"),
    "community": gettext_lazy("Community posts"),
    "groups": gettext_lazy("Groups attended"),
    "events": gettext_lazy("Social events"),
    "mentor": gettext_lazy("Mentor contact"),
    "family": gettext_lazy("Family conversation"),
    "checkins": gettext_lazy("Connected (check-in)"),
}
# A peer chat gap shorter than this is ordinary life, not worth a line.
QUIET_DAYS = 7
LONELY_UCLA = 6


def reasons(row: RadarRow) -> list[str]:
    """Plain, kind facts about what is missing: never a judgement, never a diagnosis."""
    found = []
    window = 7 * RADAR_WEEKS
    if row.is_new:
        found.append(
            ngettext("new: %(days)d day in the program", "new: %(days)d days in the program", row.days_in_window)
            % {"days": row.days_in_window}
        )
    if row.last_peer_chat is None:
        found.append(_("no chat with peers yet"))
    else:
        quiet = (row.today - row.last_peer_chat).days
        if quiet >= window:
            found.append(_("no chat with peers in 4 weeks"))
        elif quiet >= QUIET_DAYS:
            found.append(
                ngettext("no chat with peers for %(days)d day", "no chat with peers for %(days)d days", quiet)
                % {"days": quiet}
            )
    if row.missed_groups:
        found.append(
            ngettext("missed %(count)d group", "missed %(count)d groups", row.missed_groups)
            % {"count": row.missed_groups}
        )
    if row.no_one_answers:
        found.append(
            ngettext("said “no one” in %(count)d check-in", "said “no one” in %(count)d check-ins", row.no_one_answers)
            % {"count": row.no_one_answers}
        )
    if not row.checkins:
        found.append(_("no check-ins in 4 weeks") if row.days_in_window >= window else _("no check-ins yet"))
    if row.has_family_conversation and not any(row.weeks["family"]):
        found.append(_("no family conversation in 4 weeks"))
    if row.ucla_total is not None and row.ucla_total >= LONELY_UCLA:
        found.append(_("feels lonely on the UCLA-3 (%(total)d of 9)") % {"total": row.ucla_total})
    return found


def summary(row: RadarRow) -> str:
    found = reasons(row)
    return " · ".join(found) if found else _("in touch with people this month")


def picture(row: RadarRow) -> SafeString:
    """One row per channel by four columns (weeks, oldest first), with the same facts in words."""
    words = "; ".join(
        _("%(channel)s: %(weeks)s") % {"channel": CHANNEL_LABELS[c], "weeks": ", ".join(str(n) for n in row.weeks[c])}
        for c in CHANNELS
    )
    label = _("Contact over the last 4 weeks, oldest week first. %(words)s") % {"words": words}
    return dot_grid([(str(CHANNEL_LABELS[c]), row.weeks[c]) for c in CHANNELS], most=5, label=label, kind="radar")
