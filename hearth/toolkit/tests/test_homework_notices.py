"""Homework reaches the person through notifications: an in-app notice that says what and by when
(in their language; email and the lock screen only ever get the generic words), and one gentle
reminder the morning after the due day if it is still waiting. Never a flag for anyone."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from hearth.checkins.services import local_today
from hearth.notifications.models import Notification, Reminder
from hearth.notifications.reminders import reminders_send_due
from hearth.outreach.models import OutreachTask
from hearth.safety.models import SafetySignal
from hearth.toolkit.models import Resource
from hearth.toolkit.services import assignment_complete, assignment_create, homework_prompts


@pytest.fixture
def resource(db):
    return Resource.objects.get(program=None, slug="riding-out-a-craving", language="en")


def _due(person, days):
    return local_today(person) + datetime.timedelta(days=days)


def test_assigned_homework_notifies_what_and_when_and_email_stays_generic(world, resource, client_for):
    due = _due(world.participant, 3)
    (homework,) = assignment_create(actor=world.clinician, resource=resource, person=world.participant, due_date=due)
    notice = Notification.objects.get(recipient=world.participant, kind="toolkit.homework")
    assert notice.url == reverse("toolkit:homework_detail", args=[homework.pk])
    assert notice.text.startswith(f"Homework from your care team: “{resource.title}”, by ")
    assert str(due.year) in notice.text
    # Outbound channels carry the kind's generic words, never the homework's title.
    for message in mail.outbox:
        assert resource.title not in message.subject + message.body
    # In Hearth the person reads what was given and by when.
    page = client_for(world.participant).get(reverse("notification_list")).content.decode()
    assert f"Homework from your care team: “{resource.title}”" in page


def test_spanish_speaker_gets_the_notice_in_spanish(world, resource):
    world.participant.language = "es"
    world.participant.save(update_fields=["language"])
    due = datetime.date(2099, 3, 5)
    assignment_create(actor=world.clinician, resource=resource, person=world.participant, due_date=due)
    notice = Notification.objects.get(recipient=world.participant, kind="toolkit.homework")
    assert "para el" in notice.text and "marzo" in notice.text, notice.text


def test_a_cohort_assignment_tells_each_person(world, resource):
    made = assignment_create(
        actor=world.clinician, resource=resource, cohort=world.cohort, due_date=_due(world.clinician, 2)
    )
    assert Notification.objects.filter(kind="toolkit.homework").count() == len(made) >= 1
    assert Reminder.objects.filter(kind="toolkit.homework_reminder").count() == len(made)


def test_gentle_reminder_after_the_due_day_only_if_still_waiting_and_never_a_flag(world, resource):
    due = _due(world.participant, 1)
    (waiting,) = assignment_create(actor=world.clinician, resource=resource, person=world.participant, due_date=due)
    (done,) = assignment_create(
        actor=world.clinician, resource=resource, person=world.participant, due_date=due, instructions="second"
    )
    reminders = {r.source_id: r for r in Reminder.objects.filter(kind="toolkit.homework_reminder")}
    zone = zoneinfo.ZoneInfo(world.participant.time_zone)
    expected = datetime.datetime.combine(due + datetime.timedelta(days=1), datetime.time(10), tzinfo=zone)
    assert reminders[waiting.pk].due_at == expected
    answers = ["Call my sponsor"] * len(homework_prompts(resource))
    assignment_complete(actor=world.participant, assignment=done, answers=answers)
    signals_before, tasks_before = SafetySignal.objects.count(), OutreachTask.objects.count()

    assert reminders_send_due(now=expected - datetime.timedelta(minutes=1)) == 0  # not before the morning after
    assert reminders_send_due(now=expected + datetime.timedelta(minutes=1)) == 1
    sent = Notification.objects.filter(recipient=world.participant, kind="toolkit.homework_reminder")
    assert [n.url for n in sent] == [reverse("toolkit:homework_detail", args=[waiting.pk])]
    assert "gentle" in sent[0].display_title
    cancelled = Reminder.objects.get(kind="toolkit.homework_reminder", source_id=done.pk)
    assert cancelled.sent_at is None and cancelled.cancelled_at is not None
    # A reminder for the person, nothing about them for anyone else.
    assert (SafetySignal.objects.count(), OutreachTask.objects.count()) == (signals_before, tasks_before)
    assert not Notification.objects.exclude(recipient=world.participant).filter(kind__startswith="toolkit.").exists()


def test_refused_assignment_sends_nothing(world, resource):
    with pytest.raises(ValidationError):
        assignment_create(
            actor=world.clinician, resource=resource, person=world.participant, due_date=_due(world.participant, -1)
        )
    assert not Notification.objects.filter(kind__startswith="toolkit.").exists()
    assert not Reminder.objects.filter(kind__startswith="toolkit.").exists()


def test_homework_must_be_one_known_thing_for_the_right_people(world, resource):
    due = _due(world.participant, 2)
    bad = (
        {"resource": resource, "activity": ("practice.scene", 1), "person": world.participant},
        {"activity": ("made.up", 1), "person": world.participant},
        {"activity": ("practice.scene", 1), "cohort": world.cohort},
        {"person": world.participant},
    )
    for kwargs in bad:
        with pytest.raises(ValidationError):
            assignment_create(actor=world.clinician, due_date=due, **kwargs)
    assert not Notification.objects.filter(kind__startswith="toolkit.").exists()
    from hearth.toolkit.models import Assignment

    assert not Assignment.objects.exists()
