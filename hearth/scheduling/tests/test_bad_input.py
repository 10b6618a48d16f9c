"""Anything a client can send gets a clear answer (4xx, or a redirect with a message), never a 500,
and changes nothing."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from hearth.audit.models import AuditEntry
from hearth.scheduling.models import Attendance, Occurrence, SessionNote, SessionSeries

from .helpers import evening_group

NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
JUNK = ["", "abc", "-1", "0", "99999999999999999999", "1e5", "2026-13-45", "<script>", "\x00", "🙂" * 50]


@pytest.fixture
def session(world):
    with time_machine.travel(NOW, tick=False):
        return evening_group(world).obj.occurrences.order_by("starts_at").first()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("junk", JUNK)
def test_staff_forms_refuse_junk_without_a_500(world, client_for, session, junk):
    client = client_for(world.clinician)
    before = (
        SessionSeries.objects.count(),
        Occurrence.objects.count(),
        Attendance.objects.count(),
        SessionNote.objects.count(),
    )
    audits = AuditEntry.objects.filter(action__in=["scheduling.series.created", "scheduling.attendance.marked"]).count()
    posts = [
        (
            reverse("scheduling:series_new"),
            {
                "program": junk,
                "kind": junk,
                "title": junk,
                "rrule": junk,
                "time_zone": junk,
                "start_time": junk,
                "duration_minutes": junk,
                "dtstart": junk,
                "until": junk,
                "count": junk,
                "capacity": junk,
                "days": [junk],
                "cohort": junk,
                "hosts": [junk],
            },
        ),
        (
            reverse("scheduling:occurrence_new"),
            {
                "program": world.program.pk,
                "kind": "workshop",
                "title": "x",
                "starts_at": junk,
                "duration_minutes": junk,
                "people": [junk],
            },
        ),
        (
            reverse("scheduling:attendance_sheet", args=[session.pk]),
            {f"status_{world.participant.pk}": junk, f"minutes_{world.participant.pk}": junk},
        ),
        (reverse("scheduling:session_notes", args=[session.pk]), {"person": junk, "body": ""}),
        (reverse("scheduling:occurrence_move", args=[session.pk]), {"starts_at": junk, "duration_minutes": junk}),
        (reverse("scheduling:occurrence_capacity", args=[session.pk]), {"capacity": junk}),
        (reverse("scheduling:series_end", args=[session.series_id]), {"last_date": junk}),
        (reverse("scheduling:series_edit", args=[session.series_id]), {"title": "", "capacity": junk}),
        (reverse("scheduling:feed_settings"), {"action": junk}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code in (200, 302, 400, 404), (url, junk, response.status_code)
    for url, params in [
        (reverse("scheduling:hours_report"), {"program": junk, "week": junk}),
        (reverse("scheduling:hours_report_csv"), {"program": junk, "week": junk}),
        (reverse("scheduling:calendar_week"), {"start": junk}),
    ]:
        response = client.get(url, params)
        assert response.status_code in (200, 404), (url, junk, response.status_code)
    after = (
        SessionSeries.objects.count(),
        Occurrence.objects.count(),
        Attendance.objects.count(),
        SessionNote.objects.count(),
    )
    assert after == before
    assert (
        AuditEntry.objects.filter(action__in=["scheduling.series.created", "scheduling.attendance.marked"]).count()
        == audits
    )
    session.refresh_from_db()
    assert session.capacity is None and session.cancelled_at is None


@pytest.mark.parametrize("token", ["", "a", "x" * 500, "../../etc/passwd", "%00", "🙂"])
def test_feed_tokens_of_any_shape_answer_404(client, db, token):
    response = client.get(f"/calendar/feed/{token}.ics")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/sessions/99999999999999999999/",
        "/sessions/99999999999999999999/attendance/",
        "/sessions/99999999999999999999/notes/",
        "/schedule/series/99999999999999999999/",
        "/people/99999999999999999999/attendance/",
    ],
)
def test_huge_ids_in_urls_answer_404(world, client_for, path):
    assert client_for(world.clinician).get(path).status_code == 404
