"""The web edge: forms answer bad input with 400 and a clear message; private records stay with
their author unless shared; staff see opens per resource, never who opened; the home section's
query count does not grow with data."""

import datetime

import pytest
from django.urls import reverse

from hearth.checkins.services import local_today
from hearth.toolkit.models import Assignment, Goal, JournalEntry, Lapse, Resource, ResourceOpenCount, SoberCounter
from hearth.toolkit.services import (
    assignment_create,
    counter_start,
    goal_create,
    journal_entry_create,
    lapse_record,
    thought_record_create,
)

TODAY = datetime.date.today()


@pytest.fixture
def resource(db):
    return Resource.objects.get(program=None, slug="high-risk-plan", language="en")


def test_counter_page_refuses_a_future_start_date(world, client_for):
    client = client_for(world.participant)
    future = (TODAY + datetime.timedelta(days=5)).isoformat()
    response = client.post(reverse("toolkit:counter"), {"start_date": future})
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    assert not SoberCounter.objects.exists()


def test_lapse_page_offers_support_and_keeps_the_journey(world, client_for):
    counter_start(actor=world.participant, start_date=TODAY - datetime.timedelta(days=40))
    client = client_for(world.participant)
    page = client.get(reverse("toolkit:lapse")).content.decode()
    assert ("Talk to someone on your team" in page and "tel:988" in page.replace(" ", "")) or "988" in page
    before = (TODAY - datetime.timedelta(days=41)).isoformat()
    response = client.post(reverse("toolkit:lapse"), {"local_date": before, "note": "x"})
    assert response.status_code == 400 and "before your start date" in response.content.decode()
    assert not Lapse.objects.exists()
    day = (TODAY - datetime.timedelta(days=10)).isoformat()
    response = client.post(reverse("toolkit:lapse"), {"local_date": day, "note": "Stressful week", "share": "on"})
    assert response.status_code == 302
    page = client.get(reverse("toolkit:counter")).content.decode()
    assert "Total sober days" in page and "Longest run" in page
    assert "does not erase your journey" in page


def test_goal_form_refuses_too_many_steps(world, client_for):
    client = client_for(world.participant)
    steps = "\n".join(f"step {i}" for i in range(500))
    response = client.post(reverse("toolkit:goal_list"), {"title": "All of it", "steps": steps})
    assert response.status_code == 400 and "up to 20 steps" in response.content.decode()
    assert not Goal.objects.exists()
    response = client.post(reverse("toolkit:goal_list"), {"title": "Call my sister", "steps": "Find her number\nCall"})
    goal = Goal.objects.get()
    assert response.status_code == 302 and response.url == reverse("toolkit:goal_detail", args=[goal.pk])
    for step in goal.steps.all():
        response = client.post(reverse("toolkit:step_toggle", args=[goal.pk, step.pk]), follow=True)
    assert "You did it!" in response.content.decode()


def test_homework_page_for_someone_else_is_404_and_answers_change_nothing(world, client_for, resource):
    [assignment] = assignment_create(
        actor=world.clinician, resource=resource, person=world.participant, due_date=TODAY + datetime.timedelta(days=1)
    )
    url = reverse("toolkit:homework_detail", args=[assignment.pk])
    answers = {"answer_0": "a", "answer_1": "b", "answer_2": "c"}
    assert client_for(world.other_participant).post(url, answers).status_code == 404
    assignment.refresh_from_db()
    assert assignment.completed_at is None
    response = client_for(world.participant).post(url, {"answer_0": "", "answer_1": "", "answer_2": ""})
    assert response.status_code == 400 and "at least one answer" in response.content.decode()
    assert client_for(world.participant).post(url, answers).status_code == 302
    assignment.refresh_from_db()
    assert assignment.answer_list == ["a", "b", "c"]


def test_overdue_homework_is_a_gentle_reminder(world, client_for, resource):
    [assignment] = assignment_create(actor=world.clinician, resource=resource, person=world.participant, due_date=TODAY)
    Assignment.objects.filter(pk=assignment.pk).update(due_date=TODAY - datetime.timedelta(days=3))
    page = client_for(world.participant).get(reverse("toolkit:homework_list")).content.decode()
    assert "you can still do it" in page
    assert "overdue" not in page.lower() and "late" not in page.lower()


def test_private_records_stay_with_the_author_unless_shared(world, client_for):
    journal_entry_create(actor=world.participant, body="Only mine")
    journal_entry_create(actor=world.participant, body="For my clinician", share=True)
    thought_record_create(actor=world.participant, situation="Work", thought="I failed", feeling="Sad 7")
    counter_start(actor=world.participant, start_date=TODAY - datetime.timedelta(days=5))
    lapse_record(actor=world.participant, local_date=TODAY - datetime.timedelta(days=1), note="Private lapse note")
    page = client_for(world.clinician).get(reverse("toolkit:person", args=[world.participant.pk])).content.decode()
    assert "For my clinician" in page
    assert "Only mine" not in page and "I failed" not in page and "Private lapse note" not in page
    # Another participant's own journal page never shows someone else's entries.
    page = client_for(world.other_participant).get(reverse("toolkit:journal")).content.decode()
    assert "Only mine" not in page and "For my clinician" not in page
    # A family member with a consent for check-ins still cannot see the toolkit page.
    assert (
        client_for(world.family_with_consent).get(reverse("toolkit:person", args=[world.participant.pk])).status_code
        == 403
    )


def test_journal_page_says_crisis_words_reach_the_team(world, client_for):
    page = client_for(world.participant).get(reverse("toolkit:journal")).content.decode()
    assert "lets your care team know" in page


def test_share_toggle_by_author_only(world, client_for):
    entry = journal_entry_create(actor=world.participant, body="x")
    url = reverse("toolkit:share", args=["journal", entry.pk])
    assert client_for(world.other_participant).post(url, {"shared": "1"}).status_code == 404
    assert client_for(world.participant).post(url, {"shared": "1"}).status_code == 302
    assert JournalEntry.objects.get(pk=entry.pk).shared_with_care_team
    assert client_for(world.participant).post(reverse("toolkit:share", args=["nope", entry.pk])).status_code == 404


def test_library_counts_opens_per_program_not_per_person(world, client_for, resource):
    client_for(world.participant).get(reverse("toolkit:resource_detail", args=[resource.pk]))
    client_for(world.other_participant).get(reverse("toolkit:resource_detail", args=[resource.pk]))
    row = ResourceOpenCount.objects.get(resource=resource)
    assert row.program == world.program and row.count == 2
    assert not any(f.name in ("person", "user") for f in ResourceOpenCount._meta.get_fields())
    page = client_for(world.clinician).get(reverse("toolkit:library")).content.decode()
    assert "Opened 2 times" in page
    # Another program's clinician sees no openings from this program.
    page = client_for(world.other_clinician).get(reverse("toolkit:library")).content.decode()
    assert "Opened 2 times" not in page


def test_library_filters_by_language_and_topic(world, client_for):
    client = client_for(world.participant)
    page = client.get(reverse("toolkit:library"), {"language": "es"}).content.decode()
    assert "Cómo dejar pasar un antojo" in page and "Riding out a craving" not in page
    page = client.get(reverse("toolkit:library"), {"language": "en", "topic": "connection"}).content.decode()
    assert "Finding a mutual-help meeting" in page and "Riding out a craving" not in page


def test_favourite_toggle(world, client_for, resource):
    client = client_for(world.participant)
    client.post(reverse("toolkit:favourite", args=[resource.pk]))
    assert "Saved" in client.get(reverse("toolkit:library")).content.decode()


def test_clinician_assigns_from_the_page_and_other_clinician_cannot(world, client_for, resource):
    due = (TODAY + datetime.timedelta(days=7)).isoformat()
    data = {"resource": resource.pk, "person": world.participant.pk, "due_date": due, "instructions": "Before group"}
    response = client_for(world.other_clinician).post(reverse("toolkit:assign"), data)
    assert response.status_code == 400  # the person is not a choice for them
    assert not Assignment.objects.exists()
    response = client_for(world.clinician).post(reverse("toolkit:assign"), data)
    assert response.status_code == 302
    assert Assignment.objects.get().person == world.participant
    response = client_for(world.clinician).post(reverse("toolkit:assign"), {**data, "due_date": "2020-01-01"})
    assert response.status_code == 400 and "cannot be in the past" in response.content.decode()


def test_tools_page_loads_a_module_and_no_inline_script(world, client_for):
    page = client_for(world.participant).get(reverse("toolkit:tools")).content.decode()
    assert 'type="module" src="/static/toolkit/tools.js"' in page
    assert "<script>" not in page


def _fill(person, clinician, resource, n):
    for i in range(n):
        goal_create(actor=person, title=f"Goal {i}", steps=["a", "b"])
        journal_entry_create(actor=person, body=f"entry {i}")
        assignment_create(
            actor=clinician, resource=resource, person=person, due_date=TODAY + datetime.timedelta(days=i + 1)
        )


def test_dashboard_query_count_does_not_grow(world, client_for, resource, django_assert_max_num_queries):
    counter_start(actor=world.participant, start_date=local_today(world.participant) - datetime.timedelta(days=8))
    _fill(world.participant, world.clinician, resource, 2)
    client = client_for(world.participant)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("dashboard")).content.decode()
    assert "Your toolkit today" in page and "8 days on your counter" in page
    _fill(world.participant, world.clinician, resource, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as home_few:
        client.get(reverse("toolkit:home"))
    _fill(world.participant, world.clinician, resource, 4)
    with django_assert_max_num_queries(len(home_few.captured_queries)):
        client.get(reverse("toolkit:home"))


def test_homework_page_lists_people_in_care_only(world, client_for):
    page = client_for(world.clinician).get(reverse("toolkit:assign")).content.decode()
    assert reverse("toolkit:person", args=[world.participant.pk]) in page
    page = client_for(world.other_clinician).get(reverse("toolkit:assign")).content.decode()
    assert reverse("toolkit:person", args=[world.participant.pk]) not in page


def test_gratitude_note_is_saved_as_its_own_kind(world, client_for):
    client = client_for(world.participant)
    response = client.post(reverse("toolkit:journal"), {"kind": "gratitude", "gratitude-body": ""})
    assert response.status_code == 400 and not JournalEntry.objects.exists()
    response = client.post(reverse("toolkit:journal"), {"kind": "gratitude", "gratitude-body": "Sun, tea, my sister"})
    assert response.status_code == 302
    entry = JournalEntry.objects.get()
    assert entry.kind == "gratitude" and not entry.shared_with_care_team
    assert "Gratitude note" in client.get(reverse("toolkit:journal")).content.decode()


def test_staff_add_a_resource_from_the_page(world, client_for):
    client = client_for(world.clinician)
    data = {
        "program": world.program.pk,
        "title": "Sleep basics",
        "kind": "article",
        "language": "en",
        "summary": "Five habits for better sleep.",
        "phase": "any",
        "body": "",
        "topics": ["self_care"],
    }
    response = client.post(reverse("toolkit:resource_new"), data)
    assert response.status_code == 400 and "Write the text, or give a link." in response.content.decode()
    response = client.post(reverse("toolkit:resource_new"), {**data, "body": "Go to bed at the same time."})
    assert response.status_code == 302
    assert "Sleep basics" in client_for(world.participant).get(reverse("toolkit:library")).content.decode()


def test_clinician_dashboard_shows_handed_in_homework(world, client_for, resource):
    from hearth.toolkit.services import assignment_complete

    [assignment] = assignment_create(
        actor=world.clinician, resource=resource, person=world.participant, due_date=TODAY + datetime.timedelta(days=1)
    )
    assert (
        "Homework waiting for your comment"
        not in client_for(world.clinician).get(reverse("dashboard")).content.decode()
    )
    assignment_complete(actor=world.participant, assignment=assignment, answers=["a", "b", "c"])
    page = client_for(world.clinician).get(reverse("dashboard")).content.decode()
    assert "Homework waiting for your comment" in page and reverse("toolkit:review", args=[assignment.pk]) in page
    page = client_for(world.other_clinician).get(reverse("dashboard")).content.decode()
    assert "Homework waiting for your comment" not in page
