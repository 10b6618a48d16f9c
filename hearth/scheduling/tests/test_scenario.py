"""The issue's scenario, for the scheduling and attendance part: an admin builds the evening group
on its pages, a participant in Los Angeles follows it across a DST change in the week view and in
their calendar app, and the weekly hours report flags the week with a missed session."""

import datetime
import zoneinfo

import time_machine
from django.urls import reverse
from icalendar import Calendar

from hearth.scheduling.models import Occurrence, SessionSeries

LOS_ANGELES = zoneinfo.ZoneInfo("America/Los_Angeles")


def test_evening_group_from_schedule_to_hours_report(world, client_for):
    world.participant.time_zone = "America/Los_Angeles"
    world.participant.save(update_fields=["time_zone"])

    with time_machine.travel(datetime.datetime(2026, 2, 20, 15, 0, tzinfo=datetime.UTC), tick=False):
        created = client_for(world.admin).post(
            reverse("scheduling:series_new"),
            {
                "program": world.program.pk,
                "kind": "group_therapy",
                "title": "Evening group",
                "time_zone": "America/Chicago",
                "start_time": "18:00",
                "duration_minutes": "180",
                "days": ["MO", "WE", "TH"],
                "dtstart": "2026-03-02",
                "until": "2026-03-31",
                "cohort": world.cohort.pk,
                "hosts": [world.clinician.pk],
            },
        )
        assert created.status_code == 302
        series = SessionSeries.objects.get()

        # Both sides of the 8 March change: 16:00 in Los Angeles.
        client = client_for(world.participant)
        for monday in ("2026-03-02", "2026-03-09"):
            week = client.get(reverse("scheduling:calendar_week"), {"start": monday})
            assert week.content.decode().count("16:00–19:00") == 3

        feed = client.post(reverse("scheduling:feed_settings"), {"action": "create"})
        ics = Calendar.from_ical(client.get(feed.context["feed_url"]).content)
        feed_starts = sorted(e.decoded("dtstart") for e in ics.walk("VEVENT"))
        assert feed_starts == sorted(series.occurrences.values_list("starts_at", flat=True))
        assert {s.astimezone(LOS_ANGELES).hour for s in feed_starts} == {16}

    # The clinician marks the week of 9 March: the participant attends all three, the other misses one.
    with time_machine.travel(datetime.datetime(2026, 3, 13, 15, 0, tzinfo=datetime.UTC), tick=False):
        staff = client_for(world.clinician)
        week_start = datetime.datetime(2026, 3, 9, 5, 0, tzinfo=datetime.UTC)
        sessions = Occurrence.objects.filter(
            series=series, starts_at__gte=week_start, starts_at__lt=week_start + datetime.timedelta(days=7)
        ).order_by("starts_at")
        assert sessions.count() == 3
        for index, occurrence in enumerate(sessions):
            missed = index == 2
            response = staff.post(
                reverse("scheduling:attendance_sheet", args=[occurrence.pk]),
                {
                    f"status_{world.participant.pk}": "present",
                    f"status_{world.other_participant.pk}": "absent" if missed else "present",
                },
            )
            assert response.status_code == 302

        report = staff.get(reverse("scheduling:hours_report"), {"week": "2026-03-09"})
        rows = {row.person.pk: row for row in report.context["rows"]}
        assert (rows[world.participant.pk].hours, rows[world.participant.pk].below_target) == (9.0, False)
        assert (rows[world.other_participant.pk].hours, rows[world.other_participant.pk].below_target) == (6.0, True)
        assert report.context["below_count"] == 1

        # The participant sees their own record; the other participant cannot.
        own = reverse("scheduling:person_attendance", args=[world.participant.pk])
        assert client_for(world.participant).get(own).status_code == 200
        assert client_for(world.other_participant).get(own).status_code == 404
        assert client_for(world.other_clinician).get(own).status_code == 404
