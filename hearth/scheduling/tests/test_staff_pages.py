import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hearth.audit.models import AuditEntry
from hearth.scheduling.models import Occurrence, SessionKind
from hearth.scheduling.selectors import double_bookings_for_host
from hearth.scheduling.services import rsvp_create, series_end, series_update

from .helpers import evening_group

NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)


@time_machine.travel(NOW, tick=False)
def test_ending_a_series_cancels_later_sessions_and_keeps_earlier_ones(world, client_for):
    series = evening_group(world).obj
    april_with_reply = series.occurrences.filter(starts_at__gte=datetime.datetime(2026, 4, 10, tzinfo=datetime.UTC))[0]
    rsvp_create(actor=world.participant, occurrence=april_with_reply)
    outcome = series_end(actor=world.clinician, series=series, last_date=datetime.date(2026, 3, 31))
    series.refresh_from_db()
    assert series.until == datetime.date(2026, 3, 31)
    # March stays (5 Mon, 4 Wed, 4 Thu); later sessions go, except the one with a reply, kept cancelled.
    assert series.occurrences.filter(cancelled_at__isnull=True).count() == 13
    assert list(series.occurrences.filter(cancelled_at__isnull=False)) == [april_with_reply]
    assert outcome["cancelled"] == 1 and outcome["removed"] > 0
    with pytest.raises(ValidationError):
        series_end(actor=world.clinician, series=series, last_date=datetime.date(2026, 2, 1))
    with pytest.raises(PermissionDenied):
        series_end(actor=world.other_clinician, series=series, last_date=datetime.date(2026, 3, 20))
    assert AuditEntry.objects.filter(action="scheduling.series.ended").count() == 1
    # A later last date extends the series again; the cancelled one stays cancelled.
    again = series_end(actor=world.clinician, series=series, last_date=datetime.date(2026, 4, 30))
    assert again["added"] == 13
    assert series.occurrences.filter(cancelled_at__isnull=True).count() == 26
    assert series.occurrences.count() == 27

    page = client_for(world.admin).get(reverse("scheduling:series_list"))
    assert page.status_code == 200 and b"Evening group" in page.content
    assert client_for(world.other_clinician).get(reverse("scheduling:series_list")).content.count(b"Evening group") == 0


@time_machine.travel(NOW, tick=False)
def test_single_session_page_schedules_in_the_staff_members_zone(world, client_for):
    client = client_for(world.clinician)
    assert client.get(reverse("scheduling:occurrence_new")).status_code == 200
    data = {
        "program": world.program.pk,
        "kind": SessionKind.FAMILY_SESSION,
        "title": "Family session",
        "starts_at": "2026-03-10T17:30",
        "duration_minutes": "60",
        "people": [world.participant.pk, world.family_with_consent.pk],
        "hosts": [world.clinician.pk],
    }
    response = client.post(reverse("scheduling:occurrence_new"), data)
    assert response.status_code == 302
    occurrence = Occurrence.objects.get()
    assert occurrence.starts_at == datetime.datetime(2026, 3, 10, 22, 30, tzinfo=datetime.UTC)  # 17:30 CDT
    # Family named on the roster see it; the other participant does not.
    detail = reverse("scheduling:occurrence_detail", args=[occurrence.pk])
    assert client_for(world.clinician).get(detail).status_code == 200
    assert AuditEntry.objects.filter(action="scheduling.roster.viewed", actor=world.clinician).exists()
    assert client_for(world.family_with_consent).get(detail).status_code == 200
    assert client_for(world.other_participant).get(detail).status_code == 404

    no_roster = client_for(world.clinician).post(reverse("scheduling:occurrence_new"), {**data, "people": []})
    assert no_roster.status_code == 400
    assert Occurrence.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_capacity_form_refuses_overflow(world, client_for):
    occurrence = evening_group(world).obj.occurrences.order_by("starts_at").first()
    client_for(world.participant).post(reverse("scheduling:occurrence_rsvp", args=[occurrence.pk]))
    client_for(world.other_participant).post(reverse("scheduling:occurrence_rsvp", args=[occurrence.pk]))
    url = reverse("scheduling:occurrence_capacity", args=[occurrence.pk])
    response = client_for(world.clinician).post(url, {"capacity": "1"}, follow=True)
    assert "already going" in response.content.decode()
    occurrence.refresh_from_db()
    assert occurrence.capacity is None
    client_for(world.clinician).post(url, {"capacity": "2"})
    occurrence.refresh_from_db()
    assert occurrence.capacity == 2


@time_machine.travel(NOW, tick=False)
def test_week_view_warns_a_double_booked_clinician(world, client_for):
    evening_group(world)
    evening_group(
        world, title="Overlap", rrule="FREQ=WEEKLY;BYDAY=WE", start_time=datetime.time(20, 0), until=None, count=1
    )
    start = datetime.datetime(2026, 3, 2, 6, tzinfo=datetime.UTC)
    pairs = double_bookings_for_host(host=world.clinician, start=start, end=start + datetime.timedelta(days=7))
    assert [(a.title, b.title) for a, b in pairs] == [("Evening group", "Overlap")]
    page = client_for(world.clinician).get(reverse("scheduling:calendar_week"), {"start": "2026-03-02"})
    assert "is already hosting" in page.content.decode()
    calm = client_for(world.clinician).get(reverse("scheduling:calendar_week"), {"start": "2026-03-16"})
    assert "is already hosting" not in calm.content.decode()


def test_updating_a_series_changes_future_sessions_only(world, client_for):
    with time_machine.travel(NOW, tick=False):
        series = evening_group(world, capacity=5).obj
    later = datetime.datetime(2026, 3, 20, 12, tzinfo=datetime.UTC)
    with time_machine.travel(later, tick=False):
        upcoming = series.occurrences.filter(starts_at__gt=later).order_by("starts_at").first()
        rsvp_create(actor=world.participant, occurrence=upcoming)
        rsvp_create(actor=world.other_participant, occurrence=upcoming)
        with pytest.raises(ValidationError) as exc:
            series_update(actor=world.admin, series=series, capacity=1)
        assert "already going" in " ".join(exc.value.messages)
        with pytest.raises(PermissionDenied):
            series_update(actor=world.other_clinician, series=series, title="Renamed")

        response = client_for(world.admin).post(
            reverse("scheduling:series_edit", args=[series.pk]),
            {"title": "Evening group (room 2)", "capacity": "3", "cohort": world.cohort.pk, "hosts": [world.admin.pk]},
        )
        assert response.status_code == 302
        series.refresh_from_db()
        assert series.title == "Evening group (room 2)" and list(series.hosts.all()) == [world.admin]
        assert set(series.occurrences.filter(starts_at__lt=later).values_list("title", flat=True)) == {"Evening group"}
        assert set(series.occurrences.filter(starts_at__gt=later).values_list("capacity", flat=True)) == {3}
        bad = client_for(world.admin).post(
            reverse("scheduling:series_edit", args=[series.pk]), {"title": "", "cohort": ""}
        )
        assert bad.status_code == 400
        assert AuditEntry.objects.filter(action="scheduling.series.updated").count() == 1


@pytest.mark.parametrize("end", [{"until": datetime.date(2026, 3, 31)}, {"until": None, "count": 13}])
def test_extending_a_series_that_ended_by_date_or_count(world, end):
    with time_machine.travel(NOW, tick=False):
        series = evening_group(world, **end).obj
        assert series.occurrences.count() == 13  # March
        outcome = series_end(actor=world.admin, series=series, last_date=datetime.date(2026, 4, 30))
        assert outcome == {"removed": 0, "cancelled": 0, "added": 14}
        assert series.occurrences.count() == 27
