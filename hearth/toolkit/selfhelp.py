"""The self-help tools on the tools page (they run in the browser: static/toolkit/tools.js)."""

import datetime

from django.utils.translation import gettext_lazy as _

# (anchor on the tools page, name) — the dashboard suggests one a day.
TOOLS = [
    ("urge-surfing", _("Urge surfing")),
    ("box-breathing", _("Box breathing")),
    ("grounding", _("5-4-3-2-1 grounding")),
    ("halt", _("HALT check")),
]


def tool_of_the_day(today: datetime.date) -> tuple[str, object]:
    return TOOLS[today.toordinal() % len(TOOLS)]


# What the check-in offers as "what helped today?" (registered with checkins.coping): the tools
# above, and the written ones, which are pre-ticked when the person wrote one that day.
COPING_OPTIONS = [(f"toolkit.{anchor}", name) for anchor, name in TOOLS] + [
    ("toolkit.thought-record", _("A thought record")),
    ("toolkit.gratitude", _("A gratitude note")),
    ("toolkit.journal", _("Writing in my journal")),
]
