"""The installable app's server side: the service worker, the offline page, the pages it may keep
on the device, and the offline check-in's idempotent send."""

import datetime

import pytest
from django.urls import reverse

from hearth.api.models import IdempotencyKey
from hearth.api.services import IdempotencyConflict, checkin_submit_once
from hearth.audit.models import AuditEntry
from hearth.checkins.models import CheckIn
from hearth.checkins.services import local_today
from hearth.core.offline import OFFLINE_HEADER
from hearth.safety.services import safety_plan_save

pytestmark = pytest.mark.django_db

KEY = "0d6c1b6e-4f57-4a43-9d5b-2f3f1c2d9a10"


def _answers(person, **overrides):
    data = {
        "local_date": local_today(person).isoformat(),
        "version": "0",
        "mood": "6",
        "craving": "3",
        "sleep_hours": "7.5",
        "sleep_quality": "good",
        "used": "no",
        "triggers": ["stress"],
        "connections": ["peer"],
        "note": "Walked to the meeting with Dana.",
    }
    data.update(overrides)
    return data


def _send(client, data, key=KEY):
    return client.post(reverse("api:checkin_send"), data, HTTP_IDEMPOTENCY_KEY=key)


def test_service_worker_is_served_from_the_root_scope_with_workbox_from_static(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    source = response.content.decode()
    assert "/static/vendor/workbox/workbox-sw.js" in source
    assert "/static/vendor/workbox/workbox-routing.prod.js" in source
    assert "/static/notifications/push-handlers.js" in source  # web push lives in the same worker
    assert "googleapis" not in source and "https://" not in source


def test_every_script_the_worker_loads_is_served_by_staticfiles(client):
    source = client.get("/sw.js").content.decode()
    for path in (
        "vendor/workbox/workbox-sw.js",
        "vendor/workbox/workbox-core.prod.js",
        "vendor/workbox/workbox-precaching.prod.js",
        "vendor/workbox/workbox-strategies.prod.js",
        "vendor/workbox/workbox-expiration.prod.js",
        "api/sw.js",
    ):
        assert f"/static/{path}" in source
        assert client.get(f"/static/{path}").status_code == 200, path


def test_worker_text_changes_with_the_language_so_the_offline_page_is_fetched_again(client):
    english = client.get("/sw.js", HTTP_ACCEPT_LANGUAGE="en").content
    spanish = client.get("/sw.js", HTTP_ACCEPT_LANGUAGE="es").content
    assert english != spanish


def test_offline_page_queries_do_not_grow_with_data(world, client_for, django_assert_max_num_queries):
    client = client_for(world.participant)
    client.get(reverse("api:offline"))
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("api:offline"))
    today = local_today(world.participant)
    for back in range(1, 15):
        CheckIn.objects.create(
            person=world.participant,
            local_date=today - datetime.timedelta(days=back),
            mood=5,
            craving=2,
            sleep_hours=7,
            sleep_quality="fair",
        )
    for based_on in range(3):
        safety_plan_save(
            actor=world.participant,
            person=world.participant,
            based_on=based_on,
            sections={"reasons_for_living": f"Mia, version {based_on + 1}"},
            contacts=[{"name": f"Ana {n}", "phone": f"+1 312 555 01{n:02d}"} for n in range(5)],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("api:offline"))
    assert response.status_code == 200 and "Open my safety plan" in response.content.decode()


def test_offline_page_has_crisis_lines_and_is_kept(client):
    response = client.get(reverse("api:offline"))
    assert response.status_code == 200 and response[OFFLINE_HEADER] == "keep"
    body = response.content.decode()
    assert "tel:18006624357" in body and "data-outbox-status" in body
    spanish = client.get(reverse("api:offline"), HTTP_ACCEPT_LANGUAGE="es")
    assert "Sin conexión" in spanish.content.decode()


def test_only_the_persons_own_safety_plan_is_marked_for_the_device(world, client_for):
    url = reverse("safety_plan", args=[world.participant.pk])
    own = client_for(world.participant).get(url)
    assert own.status_code == 200 and own[OFFLINE_HEADER] == "keep"
    clinician = client_for(world.clinician).get(url)
    assert clinician.status_code == 200 and OFFLINE_HEADER not in clinician
    crisis = client_for(world.participant).get(reverse("crisis"))
    assert crisis[OFFLINE_HEADER] == "keep"


def test_offline_checkin_is_sent_once_and_a_resend_returns_it(world, client_for):
    client = client_for(world.participant)
    first = _send(client, _answers(world.participant))
    assert first.status_code == 201, first.content
    again = _send(client, _answers(world.participant))
    assert again.status_code == 200
    assert again.json() == {**first.json(), "replayed": True}
    checkin = CheckIn.objects.get(person=world.participant)
    assert checkin.pk == first.json()["id"] and checkin.version == 1 and checkin.mood == 6
    assert AuditEntry.objects.filter(action="checkins.checkin.submitted", subject=world.participant).count() == 1


def test_replayed_key_at_the_service_returns_the_first_checkin_and_changes_nothing(world):
    person = world.participant
    fields = {
        "local_date": local_today(person),
        "mood": 4,
        "craving": 7,
        "sleep_hours": 5,
        "sleep_quality": "poor",
        "expected_version": 0,
    }
    first, replayed = checkin_submit_once(actor=person, key=KEY, body=b"answers", **fields)
    assert replayed is False
    second, replayed = checkin_submit_once(actor=person, key=KEY, body=b"answers", **fields)
    assert replayed is True and second.pk == first.pk
    assert CheckIn.objects.filter(person=person).count() == 1
    assert CheckIn.objects.get(pk=first.pk).version == 1
    assert IdempotencyKey.objects.filter(person=person, key=KEY).count() == 1
    with pytest.raises(IdempotencyConflict):
        checkin_submit_once(actor=person, key=KEY, body=b"other answers", **{**fields, "mood": 9})
    assert CheckIn.objects.get(pk=first.pk).mood == 4


def test_the_same_key_from_another_person_is_their_own(world, client_for):
    _send(client_for(world.participant), _answers(world.participant))
    other = _send(client_for(world.other_participant), _answers(world.other_participant))
    assert other.status_code == 201
    assert CheckIn.objects.count() == 2


def test_a_kept_edit_of_todays_checkin_applies_once(world, client_for):
    client = client_for(world.participant)
    _send(client, _answers(world.participant), key="first-key-123")
    edit = _answers(world.participant, version="1", mood="8")
    assert _send(client, edit, key="second-key-456").status_code == 201
    assert _send(client, edit, key="second-key-456").status_code == 200
    checkin = CheckIn.objects.get(person=world.participant)
    assert checkin.mood == 8 and checkin.version == 2


@pytest.mark.parametrize(
    ("headers", "data", "status", "error"),
    [
        ({}, {}, 400, "invalid_key"),
        ({"HTTP_IDEMPOTENCY_KEY": "short"}, {}, 400, "invalid_key"),
        ({"HTTP_IDEMPOTENCY_KEY": "ключ-ключ-ключ"}, {}, 400, "invalid_key"),
        ({"HTTP_IDEMPOTENCY_KEY": KEY}, {"mood": "11"}, 422, "invalid"),
        ({"HTTP_IDEMPOTENCY_KEY": KEY}, {"sleep_hours": "lots"}, 422, "invalid"),
        ({"HTTP_IDEMPOTENCY_KEY": KEY}, {"local_date": "2001-01-01"}, 422, "invalid"),
    ],
)
def test_bad_sends_are_refused_with_json_and_change_nothing(world, client_for, headers, data, status, error):
    body = {**_answers(world.participant), **data}
    response = client_for(world.participant).post(reverse("api:checkin_send"), body, **headers)
    assert response.status_code == status
    assert response.json()["error"] == error and response.json()["detail"]
    assert not CheckIn.objects.exists() and not IdempotencyKey.objects.exists()


def test_a_future_day_is_refused(world, client_for):
    tomorrow = (local_today(world.participant) + datetime.timedelta(days=1)).isoformat()
    response = _send(client_for(world.participant), _answers(world.participant, local_date=tomorrow))
    assert response.status_code == 422
    assert not CheckIn.objects.exists()


def test_staff_and_signed_out_devices_cannot_send(world, client, client_for):
    response = _send(client, _answers(world.participant))
    assert response.status_code == 401 and response.json()["error"] == "unauthorized"
    staff = _send(client_for(world.clinician), _answers(world.clinician))
    assert staff.status_code == 403 and staff.json()["error"] == "forbidden"
    assert not CheckIn.objects.exists()


def test_the_checkin_form_is_marked_for_the_outbox(world, client_for):
    body = client_for(world.participant).get(reverse("checkins:checkin")).content.decode()
    assert f'data-offline-outbox="{reverse("api:checkin_send")}"' in body
    assert "data-outbox-status" in body and 'name="hearth-app"' in body
