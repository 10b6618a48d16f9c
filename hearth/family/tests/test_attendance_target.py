"""Attendance this week against target: the treatment plan's weekly target where one is set, the
ASAM 2.1 floor otherwise; on the person page and on the portal, where the look is audited."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from hearth.audit.models import AuditEntry
from hearth.plans.services import plan_save
from hearth.scheduling.models import Attendance, AttendanceStatus, Occurrence, SessionKind


def _attended(world, minutes):
    start = timezone.now() - datetime.timedelta(minutes=minutes + 1)
    occurrence = Occurrence.objects.create(
        program=world.program,
        kind=SessionKind.GROUP_THERAPY,
        title="Group",
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=minutes),
        cohort=world.cohort,
    )
    Attendance.objects.create(
        occurrence=occurrence, person=world.participant, status=AttendanceStatus.PRESENT, minutes=minutes
    )


def _plan(world, hours):
    plan_save(
        actor=world.clinician,
        person=world.participant,
        program=world.program,
        problems="Alcohol use",
        goals="No alcohol for 30 days",
        weekly_hours_target=hours,
        next_review_on=timezone.localdate() + datetime.timedelta(days=30),
    )


def test_without_a_plan_the_target_is_the_program_minimum(world, client_for):
    html = client_for(world.family_with_consent).get(reverse("family:person", args=[world.participant.pk])).content
    assert b"0.0 / 9.0" in html and b"minimum for an intensive outpatient program" in html


def test_the_plan_sets_the_target_on_the_person_page_and_the_portal(world, client_for):
    _plan(world, Decimal("12"))
    _attended(world, 90)
    client = client_for(world.family_with_consent)
    html = client.get(reverse("family:person", args=[world.participant.pk])).content.decode()
    assert "1.5 / 12.0" in html and "the one in the treatment plan" in html
    # The plan itself is not disclosed: no goal, no problem.
    assert "No alcohol" not in html and "Alcohol use" not in html
    before = AuditEntry.objects.filter(action="family.portal.viewed").count()
    portal = client.get(reverse("family:portal")).content.decode()
    assert "This week: 1.5 of 12.0 hours" in portal
    entry = AuditEntry.objects.filter(action="family.portal.viewed").latest("pk")
    assert AuditEntry.objects.filter(action="family.portal.viewed").count() == before + 1
    assert entry.subject_id == world.participant.pk and entry.data == {"sections": ["attendance"]}


def test_the_latest_plan_version_counts(world, client_for):
    _plan(world, Decimal("12"))
    _plan(world, Decimal("15"))
    html = client_for(world.family_with_consent).get(reverse("family:person", args=[world.participant.pk])).content
    assert b"0.0 / 15.0" in html


def test_without_the_attendance_category_the_portal_shows_no_figure(world, client_for):
    from hearth.consent.models import Category
    from hearth.tests.factories import make_consent

    make_consent(world.participant, world.program, world.family_without, categories=[Category.SCHEDULE])
    _plan(world, Decimal("12"))
    portal = client_for(world.family_without).get(reverse("family:portal")).content.decode()
    assert "This week:" not in portal and "12.0" not in portal
    assert not AuditEntry.objects.filter(action="family.portal.viewed", actor=world.family_without).exists()
