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
