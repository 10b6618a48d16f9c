"""The private ICS feed: only the person's own sessions, titles only (no clinical content)."""

import datetime

from django.conf import settings
from icalendar import Calendar, Event

from .selectors import occurrences_for_feed

FEED_PAST = datetime.timedelta(days=30)
FEED_FUTURE = datetime.timedelta(days=183)


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Hearth//Scheduling//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Hearth")
    return calendar


def _event(occurrence, now: datetime.datetime) -> Event:
    host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h.strip(".*[]")), "hearth.invalid")
    event = Event()
    event.add("uid", f"occurrence-{occurrence.pk}@{host}")
    event.add("dtstamp", now)
    event.add("dtstart", occurrence.starts_at)
    event.add("dtend", occurrence.ends_at)
    # The title is chosen as non-clinical when scheduling; no description, notes or roster.
    event.add("summary", occurrence.title)
    if occurrence.cancelled_at is not None:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    if occurrence.original_start and occurrence.series_id:
        event.add("sequence", 1 if occurrence.original_start != occurrence.starts_at else 0)
    return event


def calendar_for_person(*, person, now: datetime.datetime) -> bytes:
    calendar = _calendar()
    for occurrence in occurrences_for_feed(person=person, start=now - FEED_PAST, end=now + FEED_FUTURE):
        calendar.add_component(_event(occurrence, now))
    return calendar.to_ical()


def calendar_for_occurrence(*, occurrence, now: datetime.datetime) -> bytes:
    """One session as a file to add to a calendar ("add to calendar"); the same UID as the feed, so a
    calendar that has both keeps one entry."""
    calendar = _calendar()
    calendar.add_component(_event(occurrence, now))
    return calendar.to_ical()
