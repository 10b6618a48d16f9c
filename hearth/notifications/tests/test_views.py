"""The preferences page and the delivery log."""

import datetime

import pytest

from hearth.notifications.models import ChannelPreference, Delivery, NotificationSettings, Reminder
from hearth.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_preferences_page_renders_for_a_participant_without_staff_groups(world, client_for):
    page = client_for(world.participant).get("/notifications/settings/").content.decode()
    assert "Quiet hours" in page and "New messages" in page and "Daily check-in reminder" in page
    assert "Safety alerts" not in page  # staff-only group
    assert "<script>" not in page and 'style="' not in page  # strict CSP: nothing inline


def test_staff_see_safety_alerts_group(world, client_for):
    assert "Safety alerts" in client_for(world.clinician).get("/notifications/settings/").content.decode()


def test_saving_preferences(world, client_for):
    client = client_for(world.participant)
    data = {
        "quiet_start": "21:30",
        "quiet_end": "07:00",
        "checkin_reminder_time": "20:00",
        "messages__email": "on",
        "sessions__email": "on",
    }
    response = client.post("/notifications/settings/", data)
    assert response.status_code == 302
    prefs = NotificationSettings.objects.get(person=world.participant)
    assert (prefs.quiet_start, prefs.quiet_end) == (datetime.time(21, 30), datetime.time(7, 0))
    assert prefs.checkin_reminder_time == datetime.time(20, 0)
    assert ChannelPreference.objects.get(person=world.participant, group="messages", channel="email").enabled
    assert not ChannelPreference.objects.get(person=world.participant, group="account", channel="email").enabled
    assert Reminder.objects.filter(person=world.participant, kind="checkins.reminder").count() == 1
    page = client.get("/notifications/settings/").content.decode()
    assert 'value="21:30"' in page


@pytest.mark.parametrize(
    "data",
    [
        {"quiet_start": "21:00"},  # only one end
        {"quiet_start": "25:00", "quiet_end": "07:00"},
        {"checkin_reminder_time": "soon"},
    ],
)
def test_bad_preferences_are_form_errors(world, client_for, data):
    response = client_for(world.participant).post("/notifications/settings/", data)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not NotificationSettings.objects.filter(person=world.participant).exists()


def test_sms_number_is_checked_when_sms_is_set_up(world, client_for, settings):
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM_NUMBER = "AC1", "t", "+13125550100"
    response = client_for(world.participant).post("/notifications/settings/", {"sms_number": "312 555"})
    assert response.status_code == 200 and "country code" in response.content.decode()


def test_delivery_log_shows_only_the_admins_programs(world, client_for):
    from hearth.tests.factories import ProgramFactory, Role, UserFactory, grant_role

    stranger = UserFactory(display_name="Stranger elsewhere")
    grant_role(stranger, ProgramFactory(), Role.PARTICIPANT)
    notify(recipient=stranger, kind="system.welcome")
    notify(recipient=world.participant, kind="system.welcome")
    assert Delivery.objects.filter(notification__recipient=stranger).exists()
    page = client_for(world.admin).get("/notifications/deliveries/").content.decode()
    assert world.participant.display_name in page
    assert "Stranger elsewhere" not in page
    assert client_for(world.clinician).get("/notifications/deliveries/").status_code == 403


def test_delivery_log_query_count_does_not_grow(world, client_for, django_assert_max_num_queries):
    for _ in range(30):
        notify(recipient=world.participant, kind="system.welcome")
    client = client_for(world.admin)
    client.get("/notifications/deliveries/")
    with django_assert_max_num_queries(16):
        client.get("/notifications/deliveries/")


def test_preferences_page_in_spanish(world, client_for):
    world.participant.language = "es"
    world.participant.save(update_fields=["language"])
    page = client_for(world.participant).get("/notifications/settings/").content.decode()
    assert "Horas de silencio" in page and "Mensajes nuevos" in page
