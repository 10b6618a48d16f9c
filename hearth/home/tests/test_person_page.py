"""Issue 23 item 4: everything a clinician needs is one click from the person's page."""

import pytest
from django.urls import reverse

from hearth.audit.models import AuditEntry
from hearth.intake.models import IntakePacket, PacketStatus
from hearth.notifications.models import Notification
from hearth.outreach.models import OutreachTask

pytestmark = pytest.mark.django_db


def _page(client, person):
    response = client.get(reverse("person_detail", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_person_page_links_to_each_part_of_their_care(world, client_for):
    page = _page(client_for(world.clinician), world.participant)
    for url in (
        reverse("checkins:person_checkins", args=[world.participant.pk]),
        reverse("checkins:person_measures", args=[world.participant.pk]),
        reverse("scheduling:person_attendance", args=[world.participant.pk]),
        reverse("plans:plan", args=[world.participant.pk]),
        reverse("safety_plan", args=[world.participant.pk]),
        reverse("intake:send_to", args=[world.participant.pk]),
        reverse("conversation_new"),
    ):
        assert f'"{url}"' in page, url
    # The questionnaire schedule (a form on the questionnaires page) is one click away too.
    assert reverse("checkins:person_measures", args=[world.participant.pk]) + '#schedule-heading"' in page
    assert f'value="{world.program.pk}:{world.participant.pk}"' in page  # messages with them
    assert "No outreach yet" in page


def test_each_linked_page_answers_the_care_team(world, client_for):
    client = client_for(world.clinician)
    for name in ("checkins:person_checkins", "checkins:person_measures"):
        assert client.get(reverse(name, args=[world.participant.pk])).status_code == 200, name
    assert (
        'id="schedule-heading"'
        in client.get(reverse("checkins:person_measures", args=[world.participant.pk])).content.decode()
    )
    assert client.get(reverse("scheduling:person_attendance", args=[world.participant.pk])).status_code == 200
    # "Messages with them" opens (or starts) the private conversation.
    response = client.post(reverse("conversation_new"), {"person": f"{world.program.pk}:{world.participant.pk}"})
    assert response.status_code == 302 and "/messages/" in response["Location"]


def test_staff_send_intake_forms_and_the_participant_is_told(world, client_for):
    from django.test import TestCase

    client = client_for(world.clinician)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("intake:send_to", args=[world.participant.pk]), {"program": world.program.pk})
    assert response.status_code == 302
    packet = IntakePacket.objects.get(person=world.participant, program=world.program)
    assert packet.status == PacketStatus.OPEN
    assert AuditEntry.objects.filter(
        action="intake.packet.sent", actor=world.clinician, subject=world.participant
    ).exists()
    notice = Notification.objects.get(recipient=world.participant, kind="intake.sent")
    assert notice.display_title == "Your care team at Evening IOP sent you intake forms to fill in"
    assert notice.url == reverse("intake:packet", args=[packet.pk])
    # The person page now shows the packet's state instead of the button.
    page = _page(client, world.participant)
    assert "Being filled in" in page
    assert reverse("intake:send_to", args=[world.participant.pk]) not in page


@pytest.mark.parametrize("program", ["", "abc", "99999999999999999999", "other"])
def test_sending_intake_with_bad_input_changes_nothing(world, client_for, program):
    value = world.other_program.pk if program == "other" else program
    response = client_for(world.clinician).post(
        reverse("intake:send_to", args=[world.participant.pk]), {"program": value}, follow=True
    )
    assert response.status_code == 200
    assert "Choose one of this person&#x27;s programs that you work in." in response.content.decode()
    assert not IntakePacket.objects.filter(person=world.participant).exists()


def test_outreach_history_shows_the_reason_in_words(world, client_for):
    from django.utils import timezone

    OutreachTask.objects.create(
        person=world.participant,
        program=world.program,
        rule="missed_checkins",
        urgency=2,
        due_at=timezone.now(),
        evidence={"facts": {"missed_days": ["2026-11-30", "2026-12-01"], "last_checkin": "2026-11-29"}},
    )
    page = _page(client_for(world.clinician), world.participant)
    assert "No outreach yet" not in page
    assert "No check-in on 2026-11-30, 2026-12-01; last check-in 2026-11-29." in page
    assert "missed_checkins" not in page


def test_the_person_page_query_count_does_not_grow_with_outreach(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    client = client_for(world.clinician)
    _page(client, world.participant)
    counts = []
    for rule in ("missed_checkins", "isolation"):
        OutreachTask.objects.create(
            person=world.participant,
            program=world.program,
            rule=rule,
            urgency=2,
            due_at=timezone.now(),
            evidence={"facts": {"missed_days": [], "days": 5}},
            status="resolved",
        )
        with CaptureQueriesContext(connection) as captured:
            _page(client, world.participant)
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
