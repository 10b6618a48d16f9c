"""``{% video_room_link occurrence %}``: the way into a session's room from other apps' pages."""

from django import template
from django.utils import timezone

from hearth.video.selectors import room_window

register = template.Library()


@register.inclusion_tag("video/_room_link.html")
def video_room_link(occurrence):
    window = room_window(occurrence)
    now = timezone.now()
    return {
        "occurrence": occurrence,
        "show": occurrence.cancelled_at is None and now < window.closes_at,
        "is_open": window.opens_at <= now < window.closes_at,
        "opens_at": window.opens_at,
    }
